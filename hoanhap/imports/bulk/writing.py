"""Writing: insert what ``planning.Planner`` planned, a chunk at a time.

``Writer`` inserts the planned records — person, residence, judgment and its offences, release,
timeline entries — each with the audit entry the signals would have written (tagged with the
import) and its line in the undo list; the record codes are taken in row order.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hoanhap.audit import context as audit_context
from hoanhap.audit import services as audit
from hoanhap.audit.models import AuditEvent
from hoanhap.core.text import fold
from hoanhap.imports import capture
from hoanhap.imports.bulk.planning import Plan, Planner, derive
from hoanhap.justice import services as justice
from hoanhap.justice.models import Judgment, JudgmentOffence, Release
from hoanhap.people.models import (
    RECORD_CODE_RE,
    Person,
    RecordSequence,
    ResidenceHistory,
    TimelineEntry,
)


class Writer:
    """Inserts the planned rows of a batch (``add`` them in row order, then ``flush``)."""

    def __init__(self, planner: Planner, captured: capture.Captured) -> None:
        self.planner = planner
        self.captured = captured
        self.pending: list[tuple[Any, Plan]] = []
        self.today = timezone.localdate()
        audit_ctx = audit_context.current()
        user = audit_ctx.resolve_user()
        if user is not None and (
            getattr(user, "is_system", False) or not getattr(user, "is_authenticated", False)
        ):
            user = None
        self.audit_user = user
        self.audit_fields = {
            "actor": user,
            "actor_label": audit._actor_label(user, audit_ctx.source)[:150],
            "source": audit_ctx.source,
            "ip": audit_ctx.ip,
            "request_id": (audit_ctx.request_id or "")[:32],
            "data": audit._plain({"context": audit_ctx.note} if audit_ctx.note else {}),
        }
        actor = planner.ctx.actor
        self.created_by = (
            actor
            if getattr(actor, "is_authenticated", False) and not getattr(actor, "is_system", False)
            else None
        )
        self.urls = {
            "person": reverse("people:person-detail", args=["99-999999"]).replace("99-999999", "{}"),
            "judgment": reverse("justice:judgment-detail", args=[999999999]).replace("999999999", "{}"),
            "release": reverse("justice:release-detail", args=[999999999]).replace("999999999", "{}"),
        }

    def add(self, row, plan: Plan) -> None:
        self.pending.append((row, plan))

    def flush(self) -> list[tuple[Any, Person]]:
        """Write every pending plan; (row, the person's text, its address) of each, in row order."""
        if not self.pending:
            return []
        pending, self.pending = self.pending, []
        people = self._people(pending)
        judgments, releases = self._justice(pending, people)
        self._timeline(pending, people, judgments, releases)
        for (_row, plan), person in zip(pending, people, strict=True):
            plan.known.pk = person.pk
        return [
            (row, str(person), person.get_absolute_url())
            for (row, _plan), person in zip(pending, people, strict=True)
        ]

    def _people(self, pending) -> list[Person]:
        people = []
        sequences: dict[int, int] = {}
        for _row, plan in pending:
            values = {k: v for k, v in plan.person.items() if k not in ("province", "commune", "photo")}
            person = Person(
                province_id=plan.person["province"], commune_id=plan.person.get("commune"), **values
            )
            derive(person)
            person.record_code = plan.known.record_code
            people.append(person)
            province, number = map(int, RECORD_CODE_RE.match(person.record_code).groups())
            sequences[province] = max(sequences.get(province, 0), number)
        for province, number in sequences.items():
            RecordSequence.objects.get_or_create(province_id=province)
            RecordSequence.objects.select_for_update().filter(
                province_id=province, last_number__lt=number
            ).update(last_number=number)
        Person.objects.bulk_create(people)
        self._created(people)
        units = self.planner.units
        residences = [
            ResidenceHistory(
                person=p,
                province=units.province_rows[p.province_id],
                commune=units.commune_rows.get(p.commune_id),
                address=p.address,
                from_date=self.today,
            )
            for p in people
        ]
        ResidenceHistory.objects.bulk_create(residences)
        self._created(residences)
        return people

    def _justice(self, pending, people) -> tuple[list, list]:
        judgments: list[Judgment | None] = []
        for (_row, plan), person in zip(pending, people, strict=True):
            judgments.append(Judgment(person=person, **plan.judgment) if plan.judgment is not None else None)
        made = [j for j in judgments if j is not None]
        Judgment.objects.bulk_create(made)
        self._created(made)
        lines = []
        for (_row, plan), judgment in zip(pending, judgments, strict=True):
            if judgment is not None:
                lines += [JudgmentOffence(judgment=judgment, **line) for line in plan.offences]
        JudgmentOffence.objects.bulk_create(lines)
        self._created(lines)
        releases: list[Release | None] = []
        for (_row, plan), person, judgment in zip(pending, people, judgments, strict=True):
            if plan.release is None:
                releases.append(None)
                continue
            data = dict(plan.release)
            place = data.get("facility")
            if place is not None and place.pk is None:
                place.save()  # the first row naming it registers it (audited, captured by the signals)
                self.planner.facilities.append(place)
                self.planner.ctx.facilities[plan.facility] = place.pk
            data["judgment"] = judgment
            releases.append(Release(person=person, **data))
        made = [r for r in releases if r is not None]
        Release.objects.bulk_create(made)
        self._created(made)
        return judgments, releases

    def _timeline(self, pending, people, judgments, releases) -> None:
        entries = []
        for person, judgment, release in zip(people, judgments, releases, strict=True):
            entries.append(
                self._entry(
                    person,
                    self.today,
                    "people.person.registered",
                    _("Record {code} opened.").format(code=person.record_code),
                    person,
                    self.urls["person"].format(person.record_code),
                )
            )
            if judgment is not None:
                entries.append(
                    self._entry(
                        person,
                        judgment.judgment_date,
                        "justice.judgment.recorded",
                        justice.judgment_summary(judgment),
                        judgment,
                        self.urls["judgment"].format(judgment.pk),
                    )
                )
            if release is not None:
                entries.append(
                    self._entry(
                        person,
                        release.release_date,
                        "justice.release.recorded",
                        justice.release_summary(release),
                        release,
                        self.urls["release"].format(release.pk),
                    )
                )
        TimelineEntry.objects.bulk_create(entries)
        for entry in entries:
            self.captured.note_created(capture.key_of(entry), str(entry)[:255])

    def _entry(self, person, on: dt.date, kind: str, summary, target, url: str) -> TimelineEntry:
        return TimelineEntry(
            person=person,
            occurred_on=on,
            kind=kind[:60],
            summary=str(summary)[:500],
            target_type=target._meta.label_lower[:100],
            target_id=str(target.pk)[:64],
            url=url[:500],
            created_by=self.created_by,
        )

    def _created(self, instances: list) -> None:
        """The audit entries the signals write for created rows, and the rows in the undo list."""
        if not instances:
            return
        model = type(instances[0])
        label = model._meta.label_lower
        masked = audit.masked_attnames(model)
        fixed = self.audit_fields
        now = timezone.now()
        events = []
        for instance in instances:
            changes = audit.diff(None, audit.field_values(instance), masked=masked)
            province, commune = _area(instance)
            text = str(instance)[:255]
            events.append(
                (
                    now,
                    fixed["actor"].pk if fixed["actor"] is not None else None,
                    fixed["actor_label"],
                    fixed["source"],
                    f"{label}.created",
                    label,
                    str(instance.pk)[:64],
                    text,
                    audit._plain(changes),
                    fixed["data"],
                    "",
                    fixed["ip"],
                    fixed["request_id"],
                    province,
                    commune,
                    fold(f"{text} {instance.pk}")[:500],
                )
            )
            self.captured.note_created((label, str(instance.pk)), text)
        insert_rows(AuditEvent, AUDIT_COLUMNS, events)


AUDIT_COLUMNS = [
    "occurred_at",
    "actor",
    "actor_label",
    "source",
    "action",
    "target_type",
    "target_id",
    "target_repr",
    "changes",
    "data",
    "purpose",
    "ip",
    "request_id",
    "province_code",
    "commune_code",
    "search_text",
]


def insert_rows(model, fields: list[str], rows: list[tuple]) -> None:
    """Insert ``rows`` (values of ``fields``, in order) with one prepared statement.

    For rows nothing reads back (audit entries, the undo list): ``bulk_create`` spends most of its
    time building model instances and SQL for each row.
    """
    if not rows:
        return
    columns = [model._meta.get_field(name) for name in fields]
    quote = connection.ops.quote_name
    names = ", ".join(quote(f.column) for f in columns)
    marks = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({names}) VALUES ({marks})"
    # Text, numbers and None go to the driver as they are; the rest (JSON, times) the field prepares.
    prepared = [i for i, f in enumerate(columns) if f.get_internal_type() in ("JSONField", "DateTimeField")]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 2000):
            batch = [list(row) for row in rows[start : start + 2000]]
            for values in batch:
                for i in prepared:
                    values[i] = columns[i].get_db_prep_save(values[i], connection)
            cursor.executemany(sql, batch)


def _area(instance) -> tuple[int | None, int | None]:
    person = (
        instance.judgment.person
        if isinstance(instance, JudgmentOffence)
        else getattr(instance, "person", instance)
    )
    return person.province_id, person.commune_id
