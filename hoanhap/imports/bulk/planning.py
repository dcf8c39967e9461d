"""Planning: what a ``persons`` row does, worked out from a few queries per chunk.

``Planner`` settles the rows that register a person nobody has yet (with their judgment and
release), or change nothing on a re-import, from a few queries per chunk (people by record code and
number, people of the same years of birth and communes for the exact-name and duplicate rules,
facilities, the offence catalogue, the judgments and releases of the people found) and the
services' own rules, which are pure (``people.services.person_value_errors``,
``justice.services.judgment_checked`` / ``release_checked``). Every other row (a correction, a
decision, a split commune, a catalogue or unit that must be looked up) returns None and goes
through the adapter.

Rows of the same file are rows of one transaction in the apply: a person registered by an earlier
row is found by the exact-name rule and offered as a probable duplicate to later rows. The planner
keeps the people earlier rows register (``Known``) and consults them with the database, so the
preview says what the apply does.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils.translation import gettext as _

from hoanhap.access import policy
from hoanhap.access.models import Organisation
from hoanhap.access.roles import Cap
from hoanhap.core.text import canonical, fold, nfc
from hoanhap.geo.models import Commune, Province
from hoanhap.imports.kinds import justice_parts, persons
from hoanhap.imports.kinds.base import ApplyContext, RowError, identities_differ, person_values
from hoanhap.imports.reading.addresses import CHOICE, RESOLVED
from hoanhap.imports.reading.values import OLD_ID, IdNumber
from hoanhap.justice import services as justice
from hoanhap.justice.models import Judgment, JudgmentOffence, Offence, Release
from hoanhap.people import search
from hoanhap.people import services as people_services
from hoanhap.people.models import (
    RECORD_CODE_RE,
    Person,
    RecordSequence,
    birth_display,
    format_record_code,
    name_columns,
    sort_key_of,
)
from hoanhap.people.selectors import DUPLICATE_SIMILARITY

DUPLICATE_CANDIDATES = 500  # as ``selectors.probable_duplicates`` reads them
CUSTODIAL = ("imprisonment", "life_imprisonment", "death_commuted")


@dataclass(slots=True)
class Known:
    """A person as the matching rules see one: registered, or registered by an earlier row of the file.

    A file's planned people stay in memory for the whole preview (tens of thousands): what can be
    worked out again when a duplicate is shown (the date of birth as written, the sort key of a name
    without other names) is, rather than kept.
    """

    pk: int | None
    full_name: str
    name_folded: str
    name_canonical: str
    birth_year: int | None
    birth_month: int | None
    birth_day: int | None
    province: int
    commune: int | None
    personal_id: str | None
    record_code: str
    sort_key: str | None  # None: the name's alone (no other names), worked out by ``order``
    row: int | None = None  # the staged row that registers it (None: in the database)
    grams: tuple[str, ...] | None = None  # its name's trigrams, once compared (``Planner._known_grams``)

    @property
    def order(self) -> str:
        """The person's sort key (``Person.sort_key``)."""
        if self.sort_key is None:
            return sort_key_of(self.full_name, "")
        return self.sort_key

    def as_duplicate(self, units: Units) -> dict[str, Any]:
        return {
            "id": self.pk,
            "name": self.full_name,
            "code": self.record_code,
            "birth": birth_display(self.birth_year, self.birth_month, self.birth_day),
            "unit": units.display(self.province, self.commune),
        }


@dataclass
class Plan:
    """What the adapter would do with one row, worked out without writing."""

    action: str  # create | skip | error
    target_repr: str = ""
    target_url: str = ""
    errors: list[tuple[str | None, str]] = field(default_factory=list)
    warnings: list[tuple[str | None, str]] = field(default_factory=list)
    duplicates: list[Known] = field(default_factory=list)
    person: dict[str, Any] | None = None  # the values of a new person
    record_code: str = ""  # kept from the file ("" : the province's next one)
    judgment: dict[str, Any] | None = None
    offences: list[dict[str, Any]] = field(default_factory=list)
    release: dict[str, Any] | None = None
    facility: tuple | None = None  # key of a facility registered by this row
    known: Known | None = None
    names: dict[str, str] | None = None  # the new person's name columns (``name_columns``)


class Units:
    """Provinces and communes in memory: names for messages, the province of each commune."""

    def __init__(self) -> None:
        self.province_rows = {p.code: p for p in Province.objects.all()}
        self.commune_rows = {c.code: c for c in Commune.objects.all()}
        self.provinces = {code: p.name for code, p in self.province_rows.items()}
        self.communes = {code: (c.name, c.province_id) for code, c in self.commune_rows.items()}

    def province_of(self, commune: int | None) -> int | None:
        found = self.communes.get(commune) if commune else None
        return found[1] if found else None

    def display(self, province: int | None, commune: int | None) -> str:
        parts = [
            self.communes[commune][0] if commune in self.communes else "",
            self.provinces.get(province, ""),
        ]
        return ", ".join(p for p in parts if p)


def _known_from(person: Person) -> Known:
    return Known(
        person.pk,
        person.full_name,
        person.name_folded,
        person.name_canonical,
        person.birth_year,
        person.birth_month,
        person.birth_day,
        person.province_id,
        person.commune_id,
        person.personal_id,
        person.record_code,
        person.sort_key,
    )


@dataclass(frozen=True, slots=True)
class _Unsaved:
    """A person planned but not yet written: no key, its units."""

    province_id: int
    commune_id: int | None
    pk: None = None


def any_in(queryset, **columns):
    """The rows of ``queryset`` whose column is one of the values given for it, for any of the
    columns (``Q(a__in=…) | Q(b__in=…)`` prepares each of hundreds of values through the field:
    longer than the query takes to run). Values are compared as given: text, numbers."""
    quote = connection.ops.quote_name
    table = quote(queryset.model._meta.db_table)
    tests, params = [], []
    for name, values in columns.items():
        values = list(values)
        if values:
            column = quote(queryset.model._meta.get_field(name).column)
            tests.append(f"{table}.{column} IN ({', '.join(['%s'] * len(values))})")
            params += values
    if not tests:
        return queryset.none()
    return queryset.extra(where=[" OR ".join(tests)], params=params)


def _of_pairs(pairs: list[tuple[int, int]]) -> list[tuple]:
    """The people of these (year of birth, commune) pairs as (pk, folded name, canonical name, year,
    commune): one plain test per pair, answered from the (commune, year of birth, names) index alone,
    without reading each person's row. The caller tests its scope on the communes found. An OR of
    hundreds of ``Q`` objects costs more to build than the query costs to run."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(c) for c in ("id", "name_folded", "name_canonical", "birth_year", "commune_id"))
    test = f"({quote('commune_id')} = %s AND {quote('birth_year')} = %s)"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns} FROM {quote(Person._meta.db_table)} WHERE {' OR '.join([test] * len(pairs))}",
            [value for year, commune in pairs for value in (commune, year)],
        )
        return cursor.fetchall()


class Fallback(Exception):
    """The row needs the adapter (a case the bulk path does not settle)."""


class Planner:
    """Settles the persons rows of one batch, chunk by chunk (see the module docstring)."""

    def __init__(
        self,
        ctx: ApplyContext,
        adapter,
        linked: set[int] = frozenset(),
        *,
        trial: bool = False,
        trusted: bool = False,
    ) -> None:
        self.ctx = ctx
        self.linked = linked
        # The preview registers the facilities a row adds at once (rolled back with the trial), so
        # the rows the adapter tries find them as the apply will.
        self.trial = trial
        # The apply, when nothing was written since the trial and its officer applies: a row the
        # trial found to register a new person, without a decision since, met nobody of its name,
        # year and commune then and meets nobody now (``trusts``).
        self.trusted = trusted
        self.adapter = adapter
        self.units = Units()
        self.edit_scope = policy.scope_for(ctx.actor, Cap.EDIT_PEOPLE)
        self.view_scope = policy.scope_for(ctx.actor, Cap.VIEW_PEOPLE)
        self.visible = policy.row_test(ctx.actor, Cap.VIEW_PEOPLE, Person)
        self.grams: dict[str, frozenset[str]] = {}  # ``_trigrams``, for one chunk
        self.offences = self._catalogue()
        self.facilities = self._facilities()
        # People registered by earlier rows: by (year, commune) for the duplicate rules.
        self.planned: dict[tuple, list[Known]] = defaultdict(list)
        self._values: dict[int, int] = {}  # ``_shared``
        self.planned_facilities: dict[tuple, Organisation] = {}
        self.numbers: dict[int, int] = {}  # province → last record number taken by the plan
        self.kept: set[str] = set()
        self.pending_codes: list[Known] = []

    # -- lookups ------------------------------------------------------------------------------

    @staticmethod
    def _catalogue() -> dict[tuple[int, str], Offence]:
        found: dict[tuple[int, str], Offence] = {}
        for offence in Offence.objects.filter(is_active=True).order_by("article", "clause", "pk"):
            found.setdefault((offence.article, offence.clause), offence)
        return found

    @staticmethod
    def _facilities() -> list[Organisation]:
        return list(Organisation.objects.filter(kind=Organisation.Kind.DETENTION_FACILITY).order_by("pk"))

    def prepare(self, rows: list) -> None:
        """Read what the chunk's rows refer to: a few queries for the whole chunk."""
        self.grams = {}
        if self.trial:
            self._register_again()
        else:
            self._forget_written()
        codes, ids, old_ids = set(), set(), set()
        for row in rows:
            values = row.values
            if values.get("record_code"):
                codes.add(values["record_code"])
            number = values.get("id_number")
            if number:
                (old_ids if number["kind"] == OLD_ID else ids).add(number["number"])
        found = (
            list(any_in(Person.objects.all(), record_code=codes, personal_id=ids, old_id_number=old_ids))
            if codes or ids or old_ids
            else []
        )
        self.by_code = {p.record_code: p for p in found}
        self.by_id = {p.personal_id: p for p in found if p.personal_id}
        self.by_old_id: dict[str, list[Person]] = defaultdict(list)
        for person in found:
            if person.old_id_number:
                self.by_old_id[person.old_id_number].append(person)
        # The people of the same year of birth and commune as a row nobody was found for.
        pairs = set()
        for row in rows:
            if self.trusts(row):
                continue
            values, address = row.values, row.address or {}
            number = (values.get("id_number") or {}).get("number")
            if values.get("record_code") in self.by_code or number in self.by_id or number in self.by_old_id:
                continue
            commune = address.get("commune") or (
                row.commune_choice if address.get("status") == CHOICE else None
            )
            if values.get("birth_date") and commune:
                pairs.add((values["birth_date"][0], commune))
        self.groups: dict[tuple, list[tuple]] = defaultdict(list)
        pairs_list = sorted(pairs)
        # The people the actor may see, as ``policy.restrict`` would (a person lives in the province
        # of their commune).
        visible, province_of = self.visible, self.units.province_of
        for start in range(0, len(pairs_list), 500):
            for entry in sorted(_of_pairs(pairs_list[start : start + 500])):
                if visible(province_of(entry[4]), entry[4], entry[0]):
                    self.groups[(entry[3], entry[4])].append(entry)
        # The registered person a row without record code or number names (same name, year, commune).
        named = set()
        for row in rows:
            if self.trusts(row):
                continue
            values, address = row.values, row.address or {}
            commune = address.get("commune") or row.commune_choice
            if values.get("full_name") and values.get("birth_date") and commune:
                key = (values["birth_date"][0], commune)
                name = canonical(values["full_name"])
                same = [e[0] for e in self.groups.get(key, ()) if e[2] == name]
                if len(same) == 1:
                    named.add(same[0])
        self.people_by_pk = {p.pk: p for p in Person.objects.filter(pk__in=named)} if named else {}
        found += list(self.people_by_pk.values())
        self.judgments: dict[int, list[Judgment]] = defaultdict(list)
        self.releases: dict[int, list[Release]] = defaultdict(list)
        self.lines: dict[int, list[tuple[int, str]]] = defaultdict(list)  # judgment → ``line_key``s
        people = [p.pk for p in found]
        if people:
            for judgment in Judgment.objects.filter(person_id__in=people).order_by("pk"):
                self.judgments[judgment.person_id].append(judgment)
            for release in Release.objects.filter(person_id__in=people).order_by("pk"):
                self.releases[release.person_id].append(release)
            lines = JudgmentOffence.objects.filter(judgment__person_id__in=people)
            for judgment, *line in lines.values_list(
                "judgment_id", "offence__article", "offence__clause", "clause"
            ):
                self.lines[judgment].append(justice_parts.line_key(*line))

    def trusts(self, row) -> bool:
        """Whether the trial's word on the people of the row's name, year and commune holds (the
        exact-name and duplicate rules are then not run again)."""
        return self.trusted and row.action == "create" and not row.decision and not row.commune_choice

    def _trigrams(self, name: str) -> frozenset[str]:
        """A folded name's trigram set, kept for the chunk (rows of one year and commune meet the
        same names): a file's names would only churn the searches' shared cache."""
        found = self.grams.get(name)
        if found is None:
            found = self.grams[name] = search.trigrams(name)
        return found

    def _shared(self, value: int | None) -> int | None:
        """One int object per value (a year of birth, a commune) for the planned people: each row's
        own would be kept with each. (Not the names: sharing them saved nothing measurable on the
        benchmark's file, where 30,000 names serve 100,000 rows, and would cost a file of distinct
        names the table's entries.)"""
        return value if value is None else self._values.setdefault(value, value)

    def _known_grams(self, known: Known) -> tuple[str, ...]:
        """The trigrams of a person earlier rows register, kept with it: every later row of its year
        and commune compares its name with it, chunk after chunk (worked out again for each chunk,
        they were a tenth of a 100,000-row preview). A tuple of interned trigrams: a province's
        names share a few thousand, so each person keeps only their references."""
        found = known.grams
        if found is None:
            found = known.grams = tuple(map(sys.intern, self._trigrams(known.name_folded)))
        return found

    # -- planning -----------------------------------------------------------------------------

    def plan(self, row, values: dict[str, Any]) -> Plan | None:
        """The row's plan, or None when the adapter must try it."""
        try:
            return self._plan(row, values)
        except Fallback:
            return None

    def _plan(self, row, values: dict[str, Any]) -> Plan:
        if row.decision == "same" or row.row in self.linked:
            raise Fallback
        warnings: list = []
        data = person_values(values)
        province, commune = self._residence(row)
        person = self._find(values)
        try:
            if (
                person is None
                and province is not None
                and not values.get("record_code")
                and not self.trusts(row)
            ):
                person = self._exact(data, commune)
            if person is not None:
                return self._unchanged(person, data, values, province, commune, warnings)
            if province is None:
                raise RowError([("address", _("The place of residence is required to register a person."))])
            return self._create(row, data, values, province, commune, warnings)
        except RowError as exc:
            return Plan("error", errors=exc.problems)
        except (ValidationError, PermissionDenied) as exc:
            return Plan("error", errors=self.adapter.problems(exc))

    def _residence(self, row) -> tuple[int | None, int | None]:
        address = row.address or {}
        status = address.get("status")
        if status == RESOLVED:
            return address["province"], address["commune"]
        if status == CHOICE:
            if row.commune_choice and row.commune_choice in (address.get("candidates") or []):
                return self.units.province_of(row.commune_choice), row.commune_choice
            raise Fallback  # a residence left to choose
        return None, None

    def _find(self, values: dict[str, Any]) -> Person | None:
        """``find_person`` from the chunk's lookups; anything unusual goes to the adapter."""
        code = values.get("record_code")
        number = values.get("id_number")
        by_code = self.by_code.get(code) if code else None
        by_id = None
        if isinstance(number, IdNumber):
            if number.kind == OLD_ID:
                holders = self.by_old_id.get(number.number, [])
                by_id = holders[0] if len(holders) == 1 else None
            else:
                by_id = self.by_id.get(number.number)
        if by_code is not None and by_id is not None and by_code.pk != by_id.pk:
            raise Fallback
        if code and by_code is None and by_id is not None:
            raise Fallback
        person = by_code or by_id
        if person is not None and not self.view_scope.covers(
            province=person.province_id, commune=person.commune_id
        ):
            raise Fallback
        return person

    def _exact(self, data: dict[str, Any], commune: int | None) -> Person | Known | None:
        """``exact_match``: the one person with the same name, year of birth and commune."""
        if not data.get("full_name") or not data.get("birth_year"):
            return None
        if commune is None:
            raise Fallback
        name = canonical(data["full_name"])
        group = self.groups.get((data["birth_year"], commune), [])
        if len(group) >= DUPLICATE_CANDIDATES:
            raise Fallback
        found = [entry for entry in group if entry[2] == name]
        seen = {entry[0] for entry in group}
        found += [
            k
            for k in self.planned.get((data["birth_year"], commune), [])
            if k.name_canonical == name and (k.pk is None or k.pk not in seen)
        ]
        if len(found) != 1:
            return None
        if isinstance(found[0], Known):
            return None if identities_differ(data, found[0]) else found[0]
        person = self.people_by_pk.get(found[0][0])
        if person is None:
            raise Fallback  # registered meanwhile: compared by the adapter
        return None if identities_differ(data, person) else person

    def _unchanged(self, person, data, values, province, commune, warnings) -> Plan:
        """A found person: settled here only when the row changes nothing (a re-import)."""
        if isinstance(person, Known):
            given = data.get("personal_id")
            if given and person.personal_id and given != person.personal_id:
                raise RowError(
                    [
                        (
                            "id_number",
                            _("The record {code} has another identification number.").format(
                                code=person.record_code
                            ),
                        )
                    ]
                )
            raise Fallback  # completes a person an earlier row registers
        if province is not None:
            data.update(province=province, commune=commune)
            if values.get("address"):
                data["address"] = values["address"]
        if persons.person_changes(person, persons.with_note(data, values)):
            raise Fallback  # the adapter updates it (a different note included)
        values = persons.release_probation(values, warnings)
        judgment = self._same_judgment(person, values, warnings)
        self._same_release(person, judgment, values, warnings)
        return Plan(
            "skip", target_repr=str(person)[:255], target_url=person.get_absolute_url(), warnings=warnings
        )

    def _same_judgment(self, person: Person, values, warnings) -> Judgment | None:
        if not justice_parts.judgment_given(values, warnings):
            return None
        number, judged = values["judgment_number"], values["judgment_date"]
        data = justice_parts.judgment_data(values)
        existing = next(
            (
                j
                for j in self.judgments.get(person.pk, [])
                if j.judgment_date == judged and fold(j.judgment_number) == fold(number)
            ),
            None,
        )
        if existing is None:
            raise Fallback
        if any(
            k != "judgment_number" and justice_parts.differs(k, getattr(existing, k), v)
            for k, v in data.items()
        ):
            raise Fallback
        if values.get("offences") and justice_parts.offences_differ(
            justice_parts.offence_lines(values, self._offence), self.lines.get(existing.pk, [])
        ):
            raise Fallback  # the adapter corrects the offence lines
        return existing

    def _same_release(self, person: Person, judgment: Judgment | None, values, warnings) -> None:
        released = values.get("release_date")
        if released is None:
            return
        if judgment is None:
            custodial = [j for j in self.judgments.get(person.pk, []) if j.main_penalty_type in CUSTODIAL]
            judgment = max(custodial, key=lambda j: (j.judgment_date, j.pk), default=None)
        data = self._release_data(person, judgment, values, warnings, register=False)
        if data is None:
            return
        existing = next(
            (
                r
                for r in self.releases.get(person.pk, [])
                if r.judgment_id == judgment.pk and r.release_date == released
            ),
            None,
        )
        if existing is None:
            raise Fallback
        for key, value in data.items():
            stored = (
                getattr(existing, f"{key}_id") if key in ("judgment", "facility") else getattr(existing, key)
            )
            given = value.pk if key in ("judgment", "facility") and value is not None else value
            if stored != given or (key == "facility" and value is not None and value.pk is None):
                raise Fallback

    def _release_data(self, person, judgment, values, warnings, *, register: bool) -> dict | None:
        """The release the row records for ``judgment`` (with its facility), or None — warned —
        when the person has no prison sentence to release from."""
        if judgment is None:
            warnings.append(
                (
                    "release_date",
                    _("The release is not recorded: the person has no prison sentence recorded."),
                )
            )
            return None
        data = justice_parts.release_data(values, judgment)
        place = self._facility(values, person.province_id, warnings, register=register)
        if place is not None:
            data["facility"] = place
        return data

    def _facility(self, values, fallback_province, warnings, *, register: bool) -> Organisation | None:
        """``base.facility`` from memory; a missing one is planned (``register``) or left to the adapter."""
        name, unit = values.get("facility"), values.get("facility_unit")
        if not name:
            return None
        key = (fold(name), unit)
        if key in self.planned_facilities:
            return self.planned_facilities[key]
        known = self.ctx.facilities.get(key)
        province = commune = None
        if unit:
            if unit < 100 and unit in self.units.provinces:
                province = unit
            elif unit in self.units.communes:
                commune, province = unit, self.units.communes[unit][1]
            else:
                raise Fallback
        folded = fold(name)
        found = next(
            (
                f
                for f in self.facilities
                if f.name_folded == folded
                and (province is None or (f.province_id, f.commune_id) == (province, commune))
            ),
            None,
        )
        if found is None and known is not None:
            raise Fallback  # registered meanwhile by a row tried by the adapter
        if found is not None:
            return found
        if not register:
            raise Fallback
        facility = Organisation(
            name=" ".join(name.split()),
            kind=Organisation.Kind.DETENTION_FACILITY,
            province_id=province or self.ctx.province_hint or fallback_province,
            commune_id=commune,
        )
        warnings.append(
            (
                "facility",
                _("The detention facility “{name}” was added to the organisations.").format(
                    name=facility.name
                ),
            )
        )
        return facility

    def _duplicates(self, data: dict[str, Any], commune: int) -> list[Known]:
        """``person_duplicates`` over the database and the people earlier rows register."""
        year = data.get("birth_year")
        name = data.get("full_name") or ""
        if year is None or not name:
            return []
        folded = fold(" ".join(nfc(name).split()))
        group = self.groups.get((year, commune), [])
        if len(group) >= DUPLICATE_CANDIDATES:
            raise Fallback
        grams, close = self._trigrams, search.set_similarity
        mine = grams(folded)
        similar = [
            entry
            for entry in group
            if entry[1] == folded or close(mine, grams(entry[1])) >= DUPLICATE_SIMILARITY
        ]
        seen = {entry[0] for entry in group}
        kept = self._known_grams
        planned = [
            k
            for k in self.planned.get((year, commune), [])
            if (k.pk is None or k.pk not in seen)
            and (k.name_folded == folded or close(mine, kept(k)) >= DUPLICATE_SIMILARITY)
        ]
        if not similar and not planned:
            return []
        people = {p.pk: p for p in Person.objects.filter(pk__in=[e[0] for e in similar])} if similar else {}
        found = [_known_from(people[e[0]]) for e in similar if e[0] in people] + planned
        return sorted(found, key=lambda k: (k.order, k.pk is None, k.pk or 0, k.row or 0))

    def _create(self, row, data, values, province, commune, warnings) -> Plan:
        data = persons.with_note(data, values)  # the person's note, among the planned values
        data.update(province=province, commune=commune, address=values.get("address") or "")
        data["status"] = Person.Status.RELEASED if values.get("release_date") else Person.Status.IN_MANAGEMENT
        code = values.get("record_code")
        if code:
            match = RECORD_CODE_RE.match(code or "")
            if match is None or int(match.group(1)) not in self.units.provinces:
                raise RowError(
                    [
                        (
                            "record_code",
                            _("“{code}” is not a record code (province code, dash, number).").format(
                                code=code
                            ),
                        )
                    ]
                )
            if code in self.kept:
                raise Fallback
        elif row.decision != "new" and commune is not None:
            duplicates = [] if self.trusts(row) else self._duplicates(data, commune)
            if duplicates:
                return Plan("error", duplicates=duplicates)
        elif row.decision != "new":
            raise Fallback
        clean = people_services.clean_person_values(data)
        if not self.edit_scope.covers(province=clean.get("province"), commune=clean.get("commune")):
            raise PermissionDenied(_("This unit is outside the areas you are assigned."))
        errors = people_services.person_value_errors(
            clean, commune_province=self.units.province_of(clean.get("commune"))
        )
        if errors:
            raise ValidationError(errors)
        if commune is None:
            raise Fallback
        names = name_columns(clean["full_name"], clean.get("other_names") or "")
        # Stands for the person until it is written: the judgment and release rules read these.
        person = _Unsaved(province_id=province, commune_id=commune)
        values = persons.release_probation(values, warnings)
        plan = Plan("create", person=clean, record_code=code or "", names=names)
        judgment = self._new_judgment(person, values, warnings, plan)
        self._new_release(person, judgment, values, warnings, plan)
        plan.warnings = warnings
        plan.known = Known(
            None,
            names["full_name"],
            names["name_folded"],
            names["name_canonical"],
            self._shared(clean.get("birth_year")),
            clean.get("birth_month"),
            clean.get("birth_day"),
            province,
            self._shared(commune),
            clean.get("personal_id") or None,
            code or "",
            names["sort_key"] if names["other_names"] else None,
            row=row.pk,
        )
        return plan

    def _new_judgment(self, person, values, warnings, plan: Plan) -> justice.PlannedJudgment | None:
        if not justice_parts.judgment_given(values, warnings):
            return None
        data = justice_parts.judgment_data(values)
        lines = justice_parts.offence_lines(values, self._offence)
        if not self.edit_scope.covers(province=person.province_id, commune=person.commune_id):
            raise PermissionDenied(_("This unit is outside the areas you are assigned."))
        plan.judgment, plan.offences = justice.judgment_checked(data, lines)
        return justice.PlannedJudgment(plan.judgment)

    def _offence(self, article: int, clause: str) -> Offence | None:
        return (self.offences.get((article, clause)) if clause else None) or self.offences.get((article, ""))

    def _new_release(self, person, judgment, values, warnings, plan: Plan) -> None:
        released = values.get("release_date")
        if released is None:
            return
        data = self._release_data(person, judgment, values, warnings, register=True)
        if data is None:
            return
        place = data.get("facility")
        if place is not None and place.pk is None:
            plan.facility = (fold(values["facility"]), values.get("facility_unit"))
        data.setdefault("kind", Release.Kind.COMPLETED_TERM)
        plan.release = justice.release_checked(person, data)

    # -- after a row ------------------------------------------------------------------------

    def settled(self, row, plan: Plan) -> None:
        """Remember what a planned row registers, for the rows after it."""
        if plan.action != "create":
            return
        self._take_code(plan)
        plan.target_repr = f"{plan.known.full_name} ({plan.known.record_code})"[:255]
        key = (plan.known.birth_year, plan.known.commune)
        self.planned[key].append(plan.known)
        if plan.facility is not None:
            place = plan.release["facility"]
            self.planned_facilities[plan.facility] = place
            if self.trial and place.pk is None:
                place.save()
                self.ctx.facilities[plan.facility] = place.pk

    def _forget_written(self) -> None:
        """The apply: people earlier rows registered and wrote are read back from the database
        with the next chunk's neighbours (the rules already prefer that record to the planned
        one), so only the ones not written yet stay in memory — whatever the number of rows."""
        for key in list(self.planned):
            kept = [k for k in self.planned[key] if k.pk is None]
            if kept:
                self.planned[key] = kept
            else:
                del self.planned[key]

    def _register_again(self) -> None:
        """Facilities registered in a chunk's trial that was rolled back: registered in this one too."""
        places = [p for p in self.planned_facilities.values() if p.pk is not None]
        present = set(Organisation.objects.filter(pk__in=[p.pk for p in places]).values_list("pk", flat=True))
        for key, place in self.planned_facilities.items():
            if place.pk is not None and place.pk not in present:
                place.pk, place._state.adding = None, True
                place.save()
                self.ctx.facilities[key] = place.pk

    def _take_code(self, plan: Plan) -> None:
        """Record codes in row order, as ``next_record_code`` / ``keep_record_code`` would give them."""
        if plan.record_code:
            self.kept.add(plan.record_code)
            match = RECORD_CODE_RE.match(plan.record_code)
            province, number = int(match.group(1)), int(match.group(2))
            self.numbers[province] = max(self._last(province), number)
            plan.known.record_code = plan.record_code
            return
        province = plan.person["province"]
        self.numbers[province] = self._last(province) + 1
        plan.known.record_code = format_record_code(province, self.numbers[province])

    def _last(self, province: int) -> int:
        if province not in self.numbers:
            self.numbers[province] = (
                RecordSequence.objects.filter(province_id=province)
                .values_list("last_number", flat=True)
                .first()
                or 0
            )
        return self.numbers[province]

    def tried(self, outcome) -> None:
        """A row the adapter applied: the person it registered or changed counts for later rows."""
        person = getattr(outcome, "target", None)
        if not isinstance(person, Person) or outcome.action == "skip" or person.commune_id is None:
            return
        known = _known_from(person)
        self.planned[(known.birth_year, known.commune)].append(known)
        if outcome.action == "create":  # the adapter took a code: the sequence may be past ours
            stored = RecordSequence.objects.filter(province_id=person.province_id)
            number = stored.values_list("last_number", flat=True).first() or 0
            self.numbers[person.province_id] = max(self.numbers.get(person.province_id, 0), number)
