"""``release_checked`` under a ``PlannedJudgment``: the release rules for a judgment not yet saved."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError

from hoanhap.justice import services

UNSAVED_PERSON = SimpleNamespace(pk=None, province_id=91, commune_id=None)


def _judgment(**changes):
    """A judgment's values as ``judgment_checked`` returns them (the fields the release rules read)."""
    values = {"judgment_date": dt.date(2020, 3, 15), "main_penalty_type": "imprisonment", **changes}
    return services.PlannedJudgment(values)


def test_a_release_under_a_planned_prison_sentence_passes():
    values = services.release_checked(
        UNSAVED_PERSON,
        {"judgment": _judgment(), "release_date": dt.date(2023, 3, 15), "kind": "completed_term"},
    )
    assert values["release_date"] == dt.date(2023, 3, 15)


def test_a_release_before_the_planned_judgment_is_refused():
    with pytest.raises(ValidationError) as refused:
        services.release_checked(
            UNSAVED_PERSON,
            {"judgment": _judgment(), "release_date": dt.date(2019, 1, 1), "kind": "completed_term"},
        )
    assert "release_date" in refused.value.message_dict


def test_nobody_is_released_under_a_planned_judgment_without_prison():
    judgment = _judgment(main_penalty_type="non_custodial_reform")
    with pytest.raises(ValidationError) as refused:
        services.release_checked(
            UNSAVED_PERSON,
            {"judgment": judgment, "release_date": dt.date(2023, 3, 15), "kind": "completed_term"},
        )
    assert "judgment" in refused.value.message_dict
