"""An apply by the officer who tried the rows, with nothing written since, takes the trial's word on
the people already registered (``applying.trusted``, ``Planner.trusts``): it writes exactly what an
apply that looks again writes, and a write since the preview makes it look again."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import transaction

from hoanhap.access.roles import Role
from hoanhap.audit import context
from hoanhap.audit import services as audit
from hoanhap.core.testing import make_user
from hoanhap.imports import applying, bulk, services
from hoanhap.imports.models import StagedRow
from hoanhap.people import services as people_services
from hoanhap.people.models import Person

from .builders import kind_sheet
from .test_bulk import ROWS, _batch, _import, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer():
    return make_user(Role.PROVINCE_OFFICER, province=91, username="trust.officer")


def _register(officer, name: str, year: int) -> Person:
    with context.acting(user=officer, source=context.SOURCE_WEB):
        return people_services.person_create(
            actor=officer,
            data={"full_name": name, "birth_year": year, "sex": "male", "province": 91, "commune": 30682},
        ).person


def test_an_apply_that_trusts_the_trial_writes_what_one_that_looks_again_writes(tmp_path, officer):
    """The file of the bulk tests (a namesake registered before, a row close to an earlier one):
    same preview, outcomes, counts, records, audit entries and undo list either way."""
    _register(officer, "Lý Văn Nam", 1970)
    path = kind_sheet(tmp_path / "persons.xlsx", "persons", ROWS)
    with transaction.atomic():
        with mock.patch.object(applying, "trusted", return_value=False):
            looked_again = _import(officer, path, bulk_path=True)
        transaction.set_rollback(True)
    verdicts: list[bool] = []
    trusts = bulk.Planner.trusts

    def spy(self, row):
        verdicts.append(trusts(self, row))
        return verdicts[-1]

    with mock.patch.object(bulk.Planner, "trusts", spy):
        trusted = _import(officer, path, bulk_path=True)
    assert any(verdicts), "the apply took the trial's word for no row"
    assert trusted[:3] == looked_again[:3]
    for key, value in looked_again[3].items():
        assert trusted[3][key] == value, key


def test_a_person_registered_after_the_preview_is_met_by_the_apply(tmp_path, officer):
    path = kind_sheet(tmp_path / "persons.xlsx", "persons", [person(1, "Trương Văn Tín", id_number=None)])
    with context.acting(user=officer, source=context.SOURCE_WEB):
        batch = _batch(officer, path)
        assert batch.staged_rows.get().action == StagedRow.Action.CREATE
        _register(officer, "Trương Văn Tín", 1981)  # the same name, year and commune, meanwhile
        batch.refresh_from_db()
        assert not applying.trusted(batch, officer)
        services.batch_apply(batch, actor=officer, commit="valid")
    assert Person.objects.filter(full_name="Trương Văn Tín").count() == 1


def test_trust_needs_the_officer_who_tried_the_rows_and_no_write_since(tmp_path, officer):
    path = kind_sheet(tmp_path / "persons.xlsx", "persons", [person(1, "Châu Văn Út")])
    colleague = make_user(Role.PROVINCE_OFFICER, province=91, username="trust.colleague")
    with context.acting(user=officer, source=context.SOURCE_WEB):
        batch = _batch(officer, path)
        batch.refresh_from_db()
        assert batch.tried_by == officer
        assert applying.trusted(batch, officer)
        assert not applying.trusted(batch, colleague)
        audit.record_view(_register(officer, "Hà Văn Xem", 1960), purpose="test")
    assert not applying.trusted(batch, officer)  # registering is a write; reading alone is not
    with context.acting(user=officer, source=context.SOURCE_WEB):
        services.batch_retry_rows(batch, actor=officer)  # tried again: the trial's word is new
    batch.refresh_from_db()
    assert applying.trusted(batch, officer)
    with context.acting(user=officer, source=context.SOURCE_WEB):
        audit.record_view(Person.objects.get(full_name="Hà Văn Xem"), purpose="test")
    assert applying.trusted(batch, officer)
