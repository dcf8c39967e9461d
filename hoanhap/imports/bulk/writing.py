"""Writing: insert what ``planning.Planner`` planned, a chunk at a time.

``Writer`` inserts the planned records — person, residence, judgment and its offences, release,
timeline entries — each with the audit entry the signals would have written (tagged with the
import) and its line in the undo list; the record codes are taken in row order.

A chunk writes thousands of rows, so no model instance is built for them: each table's rows are
tuples of the values the plan holds (``_Table``), inserted with prepared multi-row INSERTs that
hand back the new ids (``core.bulk_sql``); the audit entries (``audit.services.record_created``)
and the undo list are written from the same tuples. On SQLite the inserts of a chunk run on a
second thread while the next table's rows are made (``core.bulk_behind``), the ids taken ahead.
The text of each record is the model's own ``__str__`` applied to the row's values (``_text``),
so it reads exactly as on a saved record.
"""

from __future__ import annotations

import operator
from types import SimpleNamespace
from typing import Any

from django.db.models import Model
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hoanhap.access import policy
from hoanhap.audit import services as audit
from hoanhap.core import bulk_behind, bulk_sql
from hoanhap.imports import capture
from hoanhap.imports.bulk.planning import Plan, Planner
from hoanhap.justice import services as justice
from hoanhap.justice.models import Judgment, JudgmentOffence, Release
from hoanhap.people import db as people_db
from hoanhap.people.models import (
    RECORD_CODE_RE,
    Person,
    RecordSequence,
    ResidenceHistory,
    TimelineEntry,
)

MODELS = (Person, ResidenceHistory, Judgment, JudgmentOffence, Release, TimelineEntry)
# The values a judgment's penalty text depends on (``Judgment.main_penalty_display``).
PENALTY_KEYS = (
    "main_penalty_type",
    "fine_amount",
    "main_penalty_years",
    "main_penalty_months",
    "main_penalty_days",
    "probation_years",
    "probation_months",
)


class _Table:
    """One model's columns (attribute names, in the model's order, the primary key left out) and
    the value of a column a row does not give: the field's default, the time for ``auto_now``."""

    def __init__(self, model: type[Model], now) -> None:
        fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        self.model = model
        self.label = model._meta.label_lower
        self.columns = [f.attname for f in fields]
        self.attnames = {f.name: f.attname for f in fields}
        self.relations = {f.name for f in fields if f.is_relation}
        self.defaults = {
            f.attname: now
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
            else f.get_default()
            for f in fields
        }
        self.pick = operator.itemgetter(*self.columns)
        # Defaults made anew for each row (a callable), as a model instance makes them.
        self.fresh = [f for f in fields if f.has_default() and callable(f.default)]

    def values(self, data: dict[str, Any]) -> dict[str, Any]:
        """``data`` (by field name, related rows as rows or ids) by attribute name, related rows as ids."""
        found = {}
        for name, value in data.items():
            if name in self.relations and isinstance(value, Model):
                value = value.pk
            found[self.attnames[name]] = value
        return found

    def row(self, values: dict[str, Any]) -> tuple:
        """The row's tuple of ``columns`` from ``values`` (by attribute name), defaults for the others."""
        if self.fresh:
            values = {f.attname: f.get_default() for f in self.fresh} | values
        return self.pick(self.defaults | values)

    def insert(self, rows: list[tuple]) -> list[int]:
        """Insert ``rows``; their new ids, in order (taken ahead when the inserts run behind)."""
        worker = bulk_behind.current()
        if worker is None:
            return bulk_sql.insert(self.model, self.columns, rows, returning=True)
        pks = list(worker.reserve(self.model, len(rows)))
        bulk_sql.insert(
            self.model,
            [self.model._meta.pk.attname, *self.columns],
            [(pk, *row) for pk, row in zip(pks, rows, strict=True)],
        )
        return pks


def _text(model: type[Model]) -> type:
    """A stand-in with the attributes ``model.__str__`` (and the summaries) read, whose text is the
    one given (``_text``), else the model's ``__str__`` of them (worked out once: a judgment's text
    is read three times)."""

    def text(self) -> str:
        found = self.__dict__.get("_text")
        if found is None:
            found = self._text = model.__str__(self)
        return found

    return type(f"{model.__name__}Text", (SimpleNamespace,), {"__str__": text})


_PersonText = _text(Person)
_JudgmentText = _text(Judgment)
_ReleaseText = _text(Release)


class Writer:
    """Inserts the planned rows of a batch (``add`` them in row order, then ``flush``)."""

    def __init__(self, planner: Planner, captured: capture.Captured) -> None:
        self.planner = planner
        self.captured = captured
        self.pending: list[tuple[Any, Plan]] = []
        self.today = timezone.localdate()
        actor = planner.ctx.actor
        self.created_by = getattr(policy.account_of(actor), "pk", None)
        self.urls = {
            "person": reverse("people:person-detail", args=["99-999999"]).replace("99-999999", "{}"),
            "judgment": reverse("justice:judgment-detail", args=[999999999]).replace("999999999", "{}"),
            "release": reverse("justice:release-detail", args=[999999999]).replace("999999999", "{}"),
        }

    def add(self, row, plan: Plan) -> None:
        self.pending.append((row, plan))

    def flush(self) -> list[tuple[Any, str, str]]:
        """Write every pending plan; (row, the person's text, its address) of each, in row order."""
        if not self.pending:
            return []
        pending, self.pending = self.pending, []
        now = timezone.now()
        self.tables = {model: _Table(model, now) for model in MODELS}
        # The patterns of the texts, translated once (Django finds the active language on each call).
        self.words = {
            "judgment": _(Judgment.TEXT),
            "release": _(Release.TEXT),
            "judgment_summary": _(justice.JUDGMENT_SUMMARY),
            "release_summary": _(justice.RELEASE_SUMMARY),
            "unnamed": _(justice.UNNAMED_FACILITY),
        }
        with bulk_behind.behind():  # SQLite inserts a table while the next one's rows are made
            people = self._people([plan for _row, plan in pending])
            judgments, releases = self._justice([plan for _row, plan in pending], people)
            self._timeline(people, judgments, releases)
        for (_row, plan), person in zip(pending, people, strict=True):
            plan.known.pk = person.pk
        return [
            (row, str(person), self.urls["person"].format(person.record_code))
            for (row, _plan), person in zip(pending, people, strict=True)
        ]

    def _created(self, table: _Table, pks: list, rows: list[tuple], texts: list[str], areas: list) -> None:
        """The audit entries the signals write for created rows, and the rows in the undo list."""
        audit.record_created(
            table.model,
            table.columns,
            [
                (pk, row, text, province, commune)
                for pk, row, text, (province, commune) in zip(pks, rows, texts, areas, strict=True)
            ],
        )
        self.captured.note_created_run(table.label, pks)

    def _people(self, plans: list[Plan]) -> list[SimpleNamespace]:
        table = self.tables[Person]
        rows, people = [], []
        sequences: dict[int, int] = {}
        for plan in plans:
            values = table.values({k: v for k, v in plan.person.items() if k != "photo"})
            values.update(plan.names)  # worked out by the planner (``name_columns``)
            values["record_code"] = code = plan.known.record_code
            rows.append(table.row(values))
            people.append(
                _PersonText(
                    full_name=values["full_name"],
                    record_code=code,
                    province_id=values["province_id"],
                    commune_id=values.get("commune_id"),
                    address=values.get("address", ""),
                )
            )
            province, number = map(int, RECORD_CODE_RE.match(code).groups())
            sequences[province] = max(sequences.get(province, 0), number)
        for province, number in sequences.items():
            RecordSequence.objects.get_or_create(province_id=province)
            RecordSequence.objects.select_for_update().filter(
                province_id=province, last_number__lt=number
            ).update(last_number=number)
        with people_db.indexed_in_bulk() as index:  # one statement per search table, not four per person
            pks = table.insert(rows)
            index(pks)
        areas = [(p.province_id, p.commune_id) for p in people]
        for person, pk in zip(people, pks, strict=True):
            person.pk = pk
        self._created(table, pks, rows, [str(p) for p in people], areas)
        self._residences(people, areas)
        return people

    def _residences(self, people: list, areas: list) -> None:
        table = self.tables[ResidenceHistory]
        units = self.planner.units
        texts: dict[tuple, str] = {}  # a residence's text depends on its unit alone (from today, open)
        rows, notes = [], []
        for person, (province, commune) in zip(people, areas, strict=True):
            values = {
                "person_id": person.pk,
                "province_id": province,
                "commune_id": commune,
                "address": person.address,
                "from_date": self.today,
            }
            rows.append(table.row(values))
            if (province, commune) not in texts:
                texts[(province, commune)] = str(
                    ResidenceHistory(
                        province=units.province_rows[province],
                        commune=units.commune_rows.get(commune),
                        from_date=self.today,
                    )
                )
            notes.append(texts[(province, commune)])
        self._created(table, table.insert(rows), rows, notes, areas)

    def _justice(self, plans: list[Plan], people: list) -> tuple[list, list]:
        judgments = self._judgments(plans, people)
        self._offences(plans, people, judgments)
        return judgments, self._releases(plans, people, judgments)

    def _judgments(self, plans: list[Plan], people: list) -> list:
        table = self.tables[Judgment]
        rows, made, areas = [], [], []
        penalties: dict[tuple, str] = {}  # the penalty's text depends on these values alone
        for plan, person in zip(plans, people, strict=True):
            if plan.judgment is None:
                made.append(None)
                continue
            values = table.values(plan.judgment)
            values["person_id"] = person.pk
            rows.append(table.row(values))
            key = tuple(values.get(k) for k in PENALTY_KEYS)
            if key not in penalties:
                penalties[key] = Judgment(**dict(zip(PENALTY_KEYS, key, strict=True))).main_penalty_display
            made.append(
                _JudgmentText(
                    _text=Judgment.text(
                        self.words["judgment"], values["judgment_number"], values["judgment_date"]
                    ),
                    judgment_number=values["judgment_number"],
                    judgment_date=values["judgment_date"],
                    court_name=values["court_name"],
                    main_penalty_display=penalties[key],
                )
            )
            areas.append((person.province_id, person.commune_id))
        pks = table.insert(rows)
        written = [j for j in made if j is not None]
        for judgment, pk in zip(written, pks, strict=True):
            judgment.pk = pk
        self._created(table, pks, rows, [str(j) for j in written], areas)
        return made

    def _offences(self, plans: list[Plan], people: list, judgments: list) -> None:
        table = self.tables[JudgmentOffence]
        rows, texts, areas = [], [], []
        lines: dict[tuple, str] = {}  # a line's text depends on its offence and clause alone
        for plan, person, judgment in zip(plans, people, judgments, strict=True):
            if judgment is None:
                continue
            for line in plan.offences:
                values = table.values(line)
                values["judgment_id"] = judgment.pk
                rows.append(table.row(values))
                key = (values["offence_id"], values.get("clause", ""))
                if key not in lines:
                    lines[key] = str(JudgmentOffence(offence=line["offence"], clause=key[1]))
                texts.append(lines[key])
                areas.append((person.province_id, person.commune_id))
        self._created(table, table.insert(rows), rows, texts, areas)

    def _releases(self, plans: list[Plan], people: list, judgments: list) -> list:
        table = self.tables[Release]
        rows, made, areas = [], [], []
        kinds: dict[str, Any] = {}
        kind_at = table.columns.index("kind")
        for plan, person, judgment in zip(plans, people, judgments, strict=True):
            if plan.release is None:
                made.append(None)
                continue
            data = dict(plan.release)
            place = data.get("facility")
            if place is not None and place.pk is None:
                place.save()  # the first row naming it registers it (audited, captured by the signals)
                self.planner.facilities.append(place)
                self.planner.ctx.facilities[plan.facility] = place.pk
            data["judgment"] = judgment.pk if judgment is not None else None
            values = table.values(data)
            values["person_id"] = person.pk
            row = table.row(values)
            rows.append(row)
            kind = row[kind_at]
            if kind not in kinds:  # the display of a choice reads the field's choices each time
                kinds[kind] = Release(kind=kind).get_kind_display().__str__
            made.append(
                _ReleaseText(
                    _text=Release.text(self.words["release"], values["release_date"]),
                    release_date=values["release_date"],
                    facility=place,
                    facility_id=place.pk if place is not None else None,
                    get_kind_display=kinds[kind],
                    judgment=judgment,
                )
            )
            areas.append((person.province_id, person.commune_id))
        pks = table.insert(rows)
        written = [r for r in made if r is not None]
        for release, pk in zip(written, pks, strict=True):
            release.pk = pk
        self._created(table, pks, rows, [str(r) for r in written], areas)
        return made

    def _timeline(self, people: list, judgments: list, releases: list) -> None:
        table = self.tables[TimelineEntry]
        opened = _("Record {code} opened.")
        rows = []

        def entry(person, on, kind: str, summary: str, label: str, pk, url: str) -> None:
            values = {
                "person_id": person.pk,
                "occurred_on": on,
                "kind": kind[:60],
                "summary": str(summary)[:500],
                "target_type": label[:100],
                "target_id": str(pk)[:64],
                "url": url[:500],
                "created_by_id": self.created_by,
            }
            rows.append(table.row(values))

        for person, judgment, release in zip(people, judgments, releases, strict=True):
            entry(
                person,
                self.today,
                "people.person.registered",
                opened.format(code=person.record_code),
                "people.person",
                person.pk,
                self.urls["person"].format(person.record_code),
            )
            if judgment is not None:
                entry(
                    person,
                    judgment.judgment_date,
                    "justice.judgment.recorded",
                    justice.judgment_summary(judgment, self.words["judgment_summary"]),
                    "justice.judgment",
                    judgment.pk,
                    self.urls["judgment"].format(judgment.pk),
                )
            if release is not None:
                entry(
                    person,
                    release.release_date,
                    "justice.release.recorded",
                    justice.release_summary(release, self.words["release_summary"], self.words["unnamed"]),
                    "justice.release",
                    release.pk,
                    self.urls["release"].format(release.pk),
                )
        self.captured.note_created_run(table.label, table.insert(rows))


def insert_rows(model, fields: list[str], rows: list[tuple]) -> None:
    """Insert ``rows`` (values of ``fields``, in order) with prepared multi-row INSERTs.

    For rows nothing reads back (audit entries, the undo list): ``bulk_create`` spends most of its
    time building model instances and SQL for each row.
    """
    bulk_sql.insert(model, fields, rows)
