"""``bulk.Writer`` writes, for every record it inserts, exactly the audit entry the signals write for
that record saved one by one (ids included), lists it in the undo list under its own text, and files
the timeline entries the services file."""

from __future__ import annotations

import pytest
from django.utils.translation import gettext as _

from hoanhap.access.models import Organisation
from hoanhap.access.roles import Role
from hoanhap.audit import context
from hoanhap.audit import services as audit
from hoanhap.audit.models import AuditEvent
from hoanhap.audit.signals import _record_save
from hoanhap.core.testing import make_user, stored_rows
from hoanhap.imports import applying, services
from hoanhap.imports.models import AppliedChange, StagedRow
from hoanhap.justice import services as justice
from hoanhap.justice.models import Judgment, JudgmentOffence, Release
from hoanhap.people.models import Person, ResidenceHistory, TimelineEntry

from .builders import PERSON_BASE, kind_sheet, undo_rows

pytestmark = pytest.mark.django_db

BASE = {
    **PERSON_BASE,
    "judgment_date": "15/06/2019",
    "offence_committed_on": "01/02/2019",
    "release_date": "15/06/2021",
    "release_kind": "Hết án",
}
ROWS = [
    {**BASE, "full_name": "Nguyễn Văn Tâm", "birth_date": "3/4/1980", "id_number": "089080000101"},
    {
        **BASE,
        "full_name": "TRẦN THỊ HOA",
        "sex": "Nữ",
        "birth_date": "1985",
        "release_kind": "Đặc xá",
        "amnesty_decision_number": "1/QĐ-CTN",
        "amnesty_decision_date": "01/06/2021",
        "facility": "Trại giam Mới Lập",  # registered by the import
    },
    {
        **BASE,
        "full_name": "Lê Văn Quý",
        "birth_date": "12/1979",
        "record_code": "91-000900",
        "release_kind": "Tha tù trước thời hạn có điều kiện",
        "probation": "2 năm",
        "probation_ends_on": "15/06/2023",
        "offences": "Trộm cắp tài sản (Điều 173 khoản 2); Đánh bạc (Điều 321 khoản 1)",
    },
    {**BASE, "full_name": "Phạm Văn Sơn", "birth_date": "1/1/1990", "judgment_number": None},
]
for number, row in enumerate(ROWS, start=1):
    row.setdefault("judgment_number", f"{number}/2019/HS-ST")
    row["address"] = f"Ấp Đông Sơn {number}"

AUDITED = (Person, ResidenceHistory, Judgment, JudgmentOffence, Release)


@pytest.fixture
def imported(tmp_path):
    """The file previewed and committed in bulk as an officer from an address; (batch, context)."""
    officer = make_user(Role.PROVINCE_OFFICER, province=91, username="writer.officer")
    path = kind_sheet(tmp_path / "persons.xlsx", "persons", ROWS)
    with context.acting(user=officer, source=context.SOURCE_WEB, ip="10.2.3.4") as ctx:
        with path.open("rb") as handle:
            batch = services.batch_create(actor=officer, file=handle, file_name=path.name, kinds=["persons"])
        batch = services.batch_stage(batch, actor=officer)
        counts = services.batch_apply(batch, actor=officer, commit="valid")
    assert (counts.created, counts.failed) == (len(ROWS), 0)
    batch.refresh_from_db()
    return batch, officer, ctx


def _stored(entry_id: int) -> tuple:
    """An entry's columns as the database holds them (JSON as its values), but its id and time."""
    return stored_rows(AuditEvent, [n for n in audit.ENTRY_COLUMNS if n != "occurred_at"], [entry_id])[0]


def _records() -> list:
    return [record for model in AUDITED for record in model.objects.order_by("pk")]


def test_each_entry_is_the_one_the_signals_write_for_the_same_record(imported):
    batch, officer, ctx = imported
    records = _records()
    written = {
        (e.target_type, e.target_id): e.pk
        for e in AuditEvent.objects.filter(
            action__endswith=".created", target_type__in=[m._meta.label_lower for m in AUDITED]
        )
    }
    assert len(written) == len(records) == 4 * 2 + 3 * 2 + 4  # people, residences; judgments, releases; lines
    with context.acting(user=officer, source=ctx.source, ip=ctx.ip) as again:
        again.request_id = ctx.request_id
        with applying.tagged(batch.tag, officer):
            for record in records:
                last = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
                _record_save(type(record), record, created=True)  # as the signal when it is saved
                expected = AuditEvent.objects.get(pk__gt=last).pk
                key = (record._meta.label_lower, str(record.pk))
                assert _stored(written[key]) == _stored(expected), key


def test_every_record_is_in_the_undo_list_a_run_of_ids_at_a_time(imported):
    batch, _officer, _ctx = imported
    stored = list(
        AppliedChange.objects.filter(batch=batch, change=AppliedChange.Change.CREATED).order_by("pk")
    )
    records = [*_records(), *TimelineEntry.objects.order_by("pk")]
    facilities = list(Organisation.objects.filter(kind=Organisation.Kind.DETENTION_FACILITY).order_by("pk"))
    # One change per table the writer inserts into (its ids are one run); the facility a row
    # registers is saved as any record is, under its own text.
    assert sorted((c.model, c.last_pk is None) for c in stored) == sorted(
        [(m._meta.label_lower, False) for m in {type(r) for r in records}]
        + [("access.organisation", True)] * len(facilities)
    )
    assert [(c.object_repr, c.object_pk) for c in stored if c.last_pk is None] == [
        (str(f)[:255], str(f.pk)) for f in facilities
    ]
    # The undo reads every record once, each model's newest first.
    listed = [(model, pk) for model, pk, _change, _text in undo_rows(stored[::-1])]
    assert sorted(listed) == sorted((r._meta.label_lower, str(r.pk)) for r in [*records, *facilities])
    assert listed[-1][0] == "people.person"  # the people were written first: undone last
    for model in (Person, ResidenceHistory, Judgment, JudgmentOffence, Release, TimelineEntry):
        keys = [int(pk) for label, pk in listed if label == model._meta.label_lower]
        assert keys == sorted(keys, reverse=True)


def test_timeline_entries_name_their_records_as_the_services_do(imported):
    batch, officer, _ctx = imported
    for person in Person.objects.all():
        entries = {(e.kind, e.target_id): e for e in person.timeline.all()}
        opened = entries.pop(("people.person.registered", str(person.pk)))
        assert opened.summary == _("Record {code} opened.").format(code=person.record_code)
        assert opened.url == person.get_absolute_url()
        for judgment in person.judgments.all():
            entry = entries.pop(("justice.judgment.recorded", str(judgment.pk)))
            assert (entry.summary, entry.url, entry.occurred_on) == (
                justice.judgment_summary(judgment),
                judgment.get_absolute_url(),
                judgment.judgment_date,
            )
        for release in person.releases.all():
            entry = entries.pop(("justice.release.recorded", str(release.pk)))
            assert (entry.summary, entry.url, entry.occurred_on) == (
                justice.release_summary(release),
                release.get_absolute_url(),
                release.release_date,
            )
        assert not entries
        assert {e.created_by_id for e in person.timeline.all()} == {officer.pk}
    rows = batch.staged_rows.filter(outcome=StagedRow.Action.CREATE)
    people = {p.pk: p for p in Person.objects.all()}
    assert sorted((r.target_repr, r.target_url) for r in rows) == sorted(
        (str(p), p.get_absolute_url()) for p in people.values()
    )
