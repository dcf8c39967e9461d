"""The log is append-only: in the model, in the queryset and in the database itself."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, transaction

from hoanhap.audit import db, services
from hoanhap.audit.models import AppendOnlyError, AuditEvent
from hoanhap.geo.models import Province

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    return services.record("test.thing.done", target_type="test.thing", target_repr="original")


def test_saving_an_existing_entry_is_refused(event):
    event.target_repr = "forged"
    with pytest.raises(AppendOnlyError):
        event.save()
    assert AuditEvent.objects.get(pk=event.pk).target_repr == "original"


def test_deleting_an_entry_is_refused(event):
    with pytest.raises(AppendOnlyError):
        event.delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_queryset_update_and_delete_are_refused(event):
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(target_repr="forged")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.bulk_update([event], ["target_repr"])
    assert AuditEvent.objects.get(pk=event.pk).target_repr == "original"


def test_an_entry_with_a_chosen_id_cannot_overwrite_another(event):
    """Saving a new object that reuses an id never turns into an UPDATE."""
    with pytest.raises(AppendOnlyError):
        AuditEvent(pk=event.pk, actor_label="x", source="web", action="forged").save()


def test_triggers_are_installed():
    """The database triggers exist after all migrations (a table rebuild on SQLite would drop them)."""
    assert db.TRIGGERS[connection.vendor] <= db.installed_triggers(connection)


def _raw(sql: str, params=None):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_raw_sql_update_is_refused_by_the_database(event):
    """Even SQL that bypasses Django cannot change an entry."""
    with pytest.raises(IntegrityError, match="append-only"):
        _raw("UPDATE audit_auditevent SET target_repr = %s WHERE id = %s", ["forged", event.pk])
    assert AuditEvent.objects.get(pk=event.pk).target_repr == "original"


def test_raw_sql_delete_is_refused_by_the_database(event):
    with pytest.raises(IntegrityError, match="append-only"):
        _raw("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    with pytest.raises(IntegrityError, match="append-only"):
        _raw("DELETE FROM audit_auditevent")
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE exists on PostgreSQL only")
def test_truncate_is_refused_on_postgresql(event):
    with pytest.raises(IntegrityError, match="append-only"):
        _raw("TRUNCATE audit_auditevent")
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_purge_gate_opens_delete_only(event):
    """The gate that flush uses lets DELETE through, never UPDATE, and only while it is open."""
    other = services.record("test.thing.done", target_type="test.thing", target_repr="other")
    with transaction.atomic():
        with db.purge_gate(connection), pytest.raises(IntegrityError):
            _raw("UPDATE audit_auditevent SET target_repr = 'forged'")
        assert AuditEvent.objects.get(pk=event.pk).target_repr == "original"
        with db.purge_gate(connection):
            _raw("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
        assert not AuditEvent.objects.filter(pk=event.pk).exists()
        with pytest.raises(IntegrityError):
            _raw("DELETE FROM audit_auditevent WHERE id = %s", [other.pk])
        assert AuditEvent.objects.filter(pk=other.pk).exists()
        transaction.set_rollback(True)


def test_flush_is_refused_without_the_test_setting(event, settings):
    """In production, flush leaves the database as it was: the audit table refuses to be emptied."""
    settings.HOANHAP_ALLOW_AUDIT_PURGE = False
    with pytest.raises(CommandError, match="append-only"), transaction.atomic():
        call_command("flush", interactive=False, verbosity=0, reset_sequences=False)
    assert AuditEvent.objects.filter(pk=event.pk).exists()
    assert Province.objects.exists()


def test_flush_empties_the_database_under_the_test_setting(event, settings):
    """pytest-django's flush after transactional tests works, audit table included."""
    settings.HOANHAP_ALLOW_AUDIT_PURGE = True
    with transaction.atomic():
        call_command(
            "flush", interactive=False, verbosity=0, reset_sequences=False, inhibit_post_migrate=True
        )
        assert not AuditEvent.objects.exists()
        assert not Province.objects.exists()
        transaction.set_rollback(True)  # keep the suite's geography
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_the_record_type_is_indexed_once_through_the_target_index():
    """``audit`` 0003 dropped the record type's own index: the (record type, record id) index serves
    it, and the append-only triggers are still there (the table was not rebuilt)."""
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, AuditEvent._meta.db_table)
    indexed = [c["columns"] for c in constraints.values() if c["index"] and not c["primary_key"]]
    assert ["target_type", "target_id"] in indexed
    assert ["target_type"] not in indexed
