"""Model-level capture: every save and delete of an audited model leaves an entry."""

from unittest import mock

import pytest
from django.db import connection

from hoanhap.access.models import Organisation, User
from hoanhap.audit import context, services
from hoanhap.audit.models import AuditEvent
from hoanhap.core.testing import AN_GIANG, CHAU_DOC, THOAI_SON, make_organisation, make_user

pytestmark = pytest.mark.django_db


def entries(org, verb):
    return AuditEvent.objects.filter(action=f"access.organisation.{verb}", target_id=str(org.pk))


def test_create_records_every_value():
    """Creating a record logs its values as None → value."""
    user = make_user()
    with context.acting(user=user, source=context.SOURCE_WEB, ip="10.1.1.1"):
        org = Organisation.objects.create(
            name="Hội Phụ nữ xã Thoại Sơn",
            kind=Organisation.Kind.WOMENS_UNION,
            province_id=AN_GIANG,
            commune_id=THOAI_SON,
        )
    event = entries(org, "created").get()
    assert event.actor == user
    assert event.source == "web"
    assert event.ip == "10.1.1.1"
    assert event.changes["name"] == [None, "Hội Phụ nữ xã Thoại Sơn"]
    assert event.changes["province_id"] == [None, AN_GIANG]
    assert "created_at" not in event.changes
    assert (event.province_code, event.commune_code) == (AN_GIANG, THOAI_SON)


def test_update_records_only_changed_fields_old_to_new():
    org = make_organisation(province=AN_GIANG, commune=THOAI_SON, name="Old name")
    org.name = "New name"
    org.commune_id = CHAU_DOC
    org.save()
    event = entries(org, "updated").get()
    assert event.changes == {"name": ["Old name", "New name"], "commune_id": [THOAI_SON, CHAU_DOC]}
    assert event.commune_code == CHAU_DOC


def test_save_without_change_records_nothing():
    org = make_organisation()
    org.save()
    assert not entries(org, "updated").exists()


def test_update_fields_limits_the_diff_to_the_saved_fields():
    """Unsaved edits in memory are not reported as changes."""
    org = make_organisation(name="Stays", province=AN_GIANG, commune=THOAI_SON)
    org.name = "Not saved"
    org.phone = "0296 3 123 456"
    org.save(update_fields=["phone"])
    assert entries(org, "updated").get().changes == {"phone": ["", "0296 3 123 456"]}


def test_delete_records_the_values_that_were_removed():
    org = make_organisation(name="Gone")
    pk = org.pk
    org.delete()
    event = AuditEvent.objects.get(action="access.organisation.deleted", target_id=str(pk))
    assert event.changes["name"] == ["Gone", None]
    assert event.target_repr == "Gone"


def test_password_is_masked_on_create_change_and_delete():
    """A password hash never reaches the log; its change does, as ***."""
    user = make_user(username="masked")
    created = AuditEvent.objects.get(action="access.user.created", target_id=str(user.pk))
    assert created.changes["password"] == [None, "***"]
    user.set_password("another-password-456")
    user.save()
    updated = AuditEvent.objects.get(action="access.user.updated", target_id=str(user.pk))
    assert updated.changes == {"password": ["***", "***"]}
    pk = user.pk
    User.objects.filter(pk=pk).get().delete()
    deleted = AuditEvent.objects.get(action="access.user.deleted", target_id=str(pk))
    assert deleted.changes["password"] == ["***", None]
    assert not any(user.password in str(e.changes) for e in AuditEvent.objects.filter(target_id=str(pk)))


def test_save_and_its_entry_share_one_transaction():
    """The entry is written inside a transaction opened around the save, even in autocommit code."""
    depth_at_call = []
    real_record = services.record

    def spy(*args, **kwargs):
        depth_at_call.append(len(connection.atomic_blocks))
        return real_record(*args, **kwargs)

    outside = len(connection.atomic_blocks)
    with mock.patch.object(services, "record", side_effect=spy):
        make_organisation()
    assert depth_at_call == [outside + 1]
