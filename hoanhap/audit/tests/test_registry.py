"""Action codes read as translated sentences."""

import pytest
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from hoanhap.audit.registry import ActionRegistry, actions, register_defaults


@pytest.fixture
def registry():
    fresh = ActionRegistry()
    register_defaults(fresh)
    return fresh


def test_generic_write_codes_use_the_model_verbose_name(registry):
    """<app>.<model>.created|updated|deleted|viewed are composed from the model's name."""
    with translation.override("en"):
        assert registry.describe("access.organisation.created") == "created organisation"
        assert registry.describe("access.user.updated") == "updated account"
        assert registry.describe("access.roleassignment.deleted") == "deleted role assignment"
        assert registry.describe("access.organisation.viewed") == "viewed the details of organisation"


def test_named_business_events_have_their_own_sentence(registry):
    """An exact code wins over the generic pattern (house style: people.person.merged)."""
    registry.register("people.person.merged", _("merged two person records"))
    registry.register("people.person.created", _("registered a person"))
    with translation.override("en"):
        assert registry.describe("people.person.merged") == "merged two person records"
        assert registry.describe("people.person.created") == "registered a person"


def test_defaults_never_replace_an_app_message(registry):
    registry.register("access.user.signed_in", _("opened a session"))
    register_defaults(registry)
    with translation.override("en"):
        assert registry.describe("access.user.signed_in") == "opened a session"


def test_a_later_pattern_wins_over_an_earlier_one(registry):
    registry.register("funds.*.created", _("opened a fund record"))
    with translation.override("en"):
        assert registry.describe("funds.loan.created") == "opened a fund record"
        assert registry.describe("access.organisation.created") == "created organisation"


def test_export_message_counts_rows(registry):
    with translation.override("en"):
        assert registry.describe("export.created", {"rows": 1}) == "exported 1 row"
        assert registry.describe("export.created", {"rows": 12}) == "exported 12 rows"
        assert registry.describe("export.created", {}) == "exported data"


def test_unknown_code_is_shown_as_it_is(registry):
    assert registry.describe("something.odd") == "something.odd"


def test_project_registry_has_the_defaults():
    with translation.override("en"):
        assert actions.describe("access.user.signed_in") == "signed in"
