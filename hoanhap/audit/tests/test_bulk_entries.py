"""Entries of rows inserted in bulk (``services.record_created``) are the entries the signals write
for the same rows saved one by one: same values (masked fields masked, excluded ones left out), same
text, unit, actor and context, stored alike."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hoanhap.access.models import Organisation, User
from hoanhap.audit import context, services
from hoanhap.audit.models import AuditEvent
from hoanhap.casework.models import PoliceNote
from hoanhap.core.testing import AN_GIANG, THOAI_SON, make_organisation, make_user, stored_rows
from hoanhap.core.text import fold
from hoanhap.people.models import Person
from hoanhap.support.models import SupportEvidence

pytestmark = pytest.mark.django_db

# Every column but the id and the time, as the database holds it (JSON as its values).
COLUMNS = [c for c in services.ENTRY_COLUMNS if c != "occurred_at"]


def stored(entry_id: int) -> tuple:
    return stored_rows(AuditEvent, COLUMNS, [entry_id])[0]


def fields_of(model) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields if not f.primary_key]


def in_bulk(instance) -> int:
    """Write the instance's entry as a bulk writer does; the id of the entry."""
    model = type(instance)
    fields = fields_of(model)
    last = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    province, commune = services.area_of(instance)
    services.record_created(
        model,
        fields,
        [(instance.pk, [getattr(instance, f) for f in fields], str(instance), province, commune)],
    )
    return AuditEvent.objects.filter(pk__gt=last).get().pk


def signalled(instance) -> int:
    """The id of the entry the signals wrote when the instance was created."""
    return AuditEvent.objects.get(
        action=f"{instance._meta.label_lower}.created", target_id=str(instance.pk)
    ).pk


def test_an_entry_written_in_bulk_is_the_one_the_signals_write():
    """An organisation, an account (password masked), a person (derived name columns left out)
    and a police note (its text masked), as a signed-in officer with an address and a note."""
    officer = make_user(username="bulk.audit.officer")
    with context.acting(user=officer, source=context.SOURCE_WEB, ip="10.0.0.7", note="import 9"):
        records = [
            make_organisation(province=AN_GIANG, commune=THOAI_SON, name="Hội Phụ nữ (xã Thoại Sơn)"),
            make_user(username="bulk.audit.other"),
            Person.objects.create(
                full_name="Nguyễn Văn Ân",
                sex="male",
                birth_year=1980,
                province_id=AN_GIANG,
                commune_id=THOAI_SON,
                address="Ấp Đông Sơn",
            ),
        ]
        records.append(
            PoliceNote.objects.create(person=records[2], written_on=dt.date(2024, 5, 1), text="Bí mật")
        )
        for record in records:
            expected = stored(signalled(record))
            assert stored(in_bulk(record)) == expected, record._meta.label
        note = AuditEvent.objects.get(pk=in_bulk(records[3]))
        account = AuditEvent.objects.get(pk=in_bulk(records[1]))
        person = AuditEvent.objects.get(pk=in_bulk(records[2]))
    assert note.changes["text"] == [None, services.MASK]
    assert note.actor == officer
    assert note.data == {"context": "import 9"}
    assert account.changes["password"] == [None, services.MASK]
    assert "sort_key" not in person.changes
    assert person.changes["full_name"] == [None, "Nguyễn Văn Ân"]


def test_the_system_actor_and_a_commune_without_its_province():
    """No signed-in user: the system actor; a commune given alone gets its province, as ``record``."""
    org = make_organisation(province=AN_GIANG, commune=THOAI_SON)
    fields = fields_of(Organisation)
    entry = services.created_entries(
        Organisation, fields, [(org.pk, [getattr(org, f) for f in fields], str(org), None, THOAI_SON)]
    )[0]
    row = dict(zip(services.ENTRY_COLUMNS, entry, strict=True))
    assert (row["actor"], row["actor_label"], row["source"]) == (None, "system", "system")
    assert (row["province_code"], row["commune_code"]) == (AN_GIANG, THOAI_SON)


def test_file_fields_are_logged_by_name_and_left_out_when_empty():
    """As ``field_values`` gives them: a stored file by its name, an empty one not at all."""
    fields = fields_of(SupportEvidence)
    for name in ("support/evidence/2024/receipt.pdf", ""):
        evidence = SupportEvidence(action_id=7, file=name, description="Biên nhận")
        values = [getattr(evidence, f) for f in fields]
        changes = services.created_entries(
            SupportEvidence, fields, [(None, values, str(evidence), None, None)]
        )[0][services.ENTRY_COLUMNS.index("changes")]
        expected = services.diff(None, services.field_values(evidence))
        assert {k: list(v) for k, v in changes.items()} == expected
        assert ("file" in changes) == bool(name)


def test_every_audited_field_must_be_given():
    fields = [f for f in fields_of(Organisation) if f != "name"]
    with pytest.raises(ValueError, match="name"):
        services.created_entries(Organisation, fields, [])


TEXTS = st.text(
    alphabet=st.sampled_from(list("aAđĐăâêôơưáàảãạ ỳ_-(),./:\t\u0301Σσ")) | st.characters(),
    max_size=40,
)


@given(text=TEXTS, pk=st.integers(min_value=0, max_value=10**12))
@settings(max_examples=300, deadline=None)
def test_the_search_text_is_the_folded_text_and_id(text, pk):
    """The text is folded once per distinct text; the result is ``record``'s ``fold("text id")``."""
    fields = fields_of(User)
    user = User(username="x", password="p")
    values = [getattr(user, f) for f in fields]
    entries = services.created_entries(
        User, fields, [(pk, values, text, None, None), (pk + 1, values, text, None, None)]
    )
    at = services.ENTRY_COLUMNS.index("search_text")
    assert [e[at] for e in entries] == [
        fold(f"{text[:255]} {pk}")[:500],
        fold(f"{text[:255]} {pk + 1}")[:500],
    ]


def test_the_entry_of_a_row_deleted_unchanged_is_the_one_its_delete_writes():
    """Rows deleted as they were created: each entry is the ``.deleted`` entry the signal writes when
    the row is deleted (masked values masked), for the actor and context of the delete; a row
    without a ``.created`` entry is handed back."""
    officer = make_user(username="bulk.delete.officer")
    org = make_organisation(province=AN_GIANG, commune=THOAI_SON, name="Hội Phụ nữ (xã Thoại Sơn)")
    person = Person.objects.create(
        full_name="Nguyễn Văn Ân", sex="male", birth_year=1980, province_id=AN_GIANG, commune_id=THOAI_SON
    )
    # Inserted without the signals: no ``.created`` entry to turn round.
    (note,) = PoliceNote.objects.bulk_create(
        [PoliceNote(person=person, written_on=dt.date(2024, 5, 1), text="Bí")]
    )
    with context.acting(user=officer, source=context.SOURCE_WEB, ip="10.0.0.8", note="undo import 9"):
        for record in (org, person):
            model = type(record)
            last = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
            assert services.record_deleted_unchanged(model, [record.pk]) == []
            turned = AuditEvent.objects.get(pk__gt=last).pk
            record.delete()  # the signal's entry
            expected = AuditEvent.objects.get(pk__gt=turned, target_type=model._meta.label_lower).pk
            assert stored(turned) == stored(expected), model._meta.label
        assert services.record_deleted_unchanged(PoliceNote, [note.pk]) == [note.pk]
    entry = AuditEvent.objects.get(action="people.person.deleted", pk=turned)
    assert (entry.actor, entry.data) == (officer, {"context": "undo import 9"})
    assert entry.changes["full_name"] == ["Nguyễn Văn Ân", None]
