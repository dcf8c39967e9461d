"""audit.services: who, when, from where and what goes into each entry."""

import pytest

from hoanhap.access import policy
from hoanhap.audit import context, services
from hoanhap.audit.models import AuditEvent
from hoanhap.core.testing import AN_GIANG, THOAI_SON, make_organisation, make_user

pytestmark = pytest.mark.django_db


def test_record_captures_actor_source_ip_request_and_area():
    """An entry carries the acting user, the channel, the address, the request id and the unit."""
    user = make_user(username="an.officer")
    org = make_organisation(province=AN_GIANG, commune=THOAI_SON, name="Công an xã Thoại Sơn")
    with context.acting(user=user, source=context.SOURCE_WEB, ip="10.0.0.7") as ctx:
        event = services.record("access.organisation.inspected", target=org, data={"note": "ok"})
    event.refresh_from_db()
    assert event.actor == user
    assert event.actor_label == "an.officer"
    assert event.source == "web"
    assert event.ip == "10.0.0.7"
    assert event.request_id == ctx.request_id
    assert (event.province_code, event.commune_code) == (AN_GIANG, THOAI_SON)
    assert (event.target_type, event.target_id, event.target_repr) == (
        "access.organisation",
        str(org.pk),
        "Công an xã Thoại Sơn",
    )
    assert event.data == {"note": "ok"}
    assert event.search_text == f"cong an xa thoai son {org.pk}"


def test_system_actor_is_recorded_as_system():
    """Commands without --user act as the system: no user, labelled 'system'."""
    with context.acting(user=None, source=context.SOURCE_CLI):
        event = services.record("geo.units.loaded", actor=policy.SYSTEM)
    assert event.actor is None
    assert event.actor_label == "system"
    assert event.source == "cli"


def test_anonymous_web_request_is_labelled_anonymous():
    with context.acting(user=None, source=context.SOURCE_WEB, ip="10.0.0.9"):
        event = services.record("access.user.sign_in_failed", target_type="access.user", target_repr="nobody")
    assert event.actor_label == "anonymous"


def test_commune_alone_is_completed_with_its_province():
    """An entry filed under a commune also carries its province, so province scopes see it."""
    event = services.record("casework.visit.created", target_type="x", commune=THOAI_SON)
    assert (event.province_code, event.commune_code) == (AN_GIANG, THOAI_SON)


def test_context_note_travels_into_every_entry():
    """An import run's note ('import 42') is carried into each entry it writes."""
    with context.acting(source=context.SOURCE_TASK, note="import 42"):
        event = services.record("imports.batch.applied", target_type="imports.batch", target_id="42")
    assert event.data == {"context": "import 42"}


def test_area_of_follows_related_lookups():
    """area_fields may name a path through relations (person__home_commune)."""

    class Holder:
        area_fields = type("F", (), {"province": "org__province", "commune": "org__commune"})()

        def __init__(self, org):
            self.org = org

    org = make_organisation(province=AN_GIANG, commune=THOAI_SON)
    assert services.area_of(Holder(org)) == (AN_GIANG, THOAI_SON)
    assert services.area_of(Holder(None)) == (None, None)


def test_record_view_and_export_require_a_purpose():
    """A sensitive read or an export is recorded with its purpose, never without."""
    org = make_organisation()
    with pytest.raises(ValueError):
        services.record_view(org, purpose="  ")
    with pytest.raises(ValueError):
        services.record_export("people", purpose="", rows=3)
    viewed = services.record_view(org, purpose="verify before a visit")
    assert viewed.action == "access.organisation.viewed"
    assert viewed.purpose == "verify before a visit"
    exported = services.record_export("people", purpose="yearly review", rows=3, filters={"province": "91"})
    assert (exported.action, exported.data) == ("export.created", {"rows": 3, "filters": {"province": "91"}})


def test_diff_masks_secrets_and_keeps_only_changes():
    changes = services.diff(
        {"a": 1, "b": 2, "secret": "x"}, {"a": 1, "b": 3, "secret": "y"}, masked={"secret"}
    )
    assert changes == {"b": [2, 3], "secret": ["***", "***"]}


def test_field_values_leave_out_bookkeeping_columns():
    org = make_organisation()
    values = services.field_values(org)
    assert "created_at" not in values
    assert "updated_at" not in values
    assert values["province_id"] == AN_GIANG
    assert AuditEvent.objects.filter(action="access.organisation.created", target_id=str(org.pk)).exists()
