"""What every kind adapter shares: the row it gets, the outcome it returns, and the common lookups.

A kind is a small adapter (``Adapter``): its column spec (``reading.specs``), and ``apply(row, ctx)``,
which finds the records the row refers to and writes through the domain services. ``apply`` is run
twice: during staging inside a transaction that is rolled back (so the preview shows exactly what
the services accept and what would be created, updated or skipped), and for real in the apply.

Lookups shared by the kinds:

* people by record code, identification number, a decision taken on the preview, or the exact
  name, year of birth and commune; probable duplicates (``people.services.person_duplicates``)
  stop the row until somebody decides;
* detention facilities by name (and unit code), created when missing;
* a record code unknown to this installation is kept for the person created (``create_person``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, Q
from django.utils.translation import gettext as _

from hoanhap.access import policy
from hoanhap.access.models import Organisation
from hoanhap.access.roles import Cap
from hoanhap.core.text import canonical, fold
from hoanhap.geo.models import Commune, Province
from hoanhap.imports.reading import specs
from hoanhap.imports.reading.addresses import CHOICE, RESOLVED
from hoanhap.imports.reading.values import OLD_ID, IdNumber, PartialDate
from hoanhap.people import services as people_services
from hoanhap.people.models import RECORD_CODE_RE, Person
from hoanhap.people.rules import identity


class RowError(Exception):
    """The row cannot be applied: ``problems`` are (column code or None, message)."""

    def __init__(self, problems: list[tuple[str | None, str]]) -> None:
        super().__init__("; ".join(m for _c, m in problems))
        self.problems = problems


class NeedsDecision(Exception):
    """The row describes a person probably already registered: someone must decide."""

    def __init__(self, duplicates: list[Person]) -> None:
        super().__init__("probable duplicate")
        self.duplicates = duplicates


@dataclass
class RowInput:
    """A staged row as an adapter sees it: decoded values and the preview's decisions."""

    values: dict[str, Any]
    address: dict[str, Any]
    decision: str = ""
    decision_person: int | None = None
    commune_choice: int | None = None


@dataclass
class Outcome:
    action: str  # "create" | "update" | "skip" (StagedRow.Action)
    target: Model | None = None
    warnings: list[tuple[str | None, str]] = field(default_factory=list)
    residence_choice: dict[str, Any] | None = None  # a split legacy commune left to choose


@dataclass
class ApplyContext:
    actor: Any
    batch: Any = None
    province_hint: int | None = None
    facilities: dict[tuple[str, int | None], int] = field(default_factory=dict)
    # Person of each ``same_person_keys`` met in this file so far (a later row names the same one).
    people: dict[tuple, int] = field(default_factory=dict)
    # Care records (label, pk) a row of this import matched already: a later row matches another.
    claimed: set[tuple[str, int]] = field(default_factory=set)
    # Catalogue rows by model, read once per import (the import never writes catalogues).
    catalogues: dict[type, list] = field(default_factory=dict)

    def reset(self) -> None:
        """Forget what a rolled-back trial created."""
        self.facilities.clear()
        self.people.clear()

    def remember(self, keys: list[tuple], person: Person) -> None:
        for key in keys:
            self.people.setdefault(key, person.pk)

    def remembered(self, keys: list[tuple]) -> Person | None:
        """The person an earlier row of the file with one of ``keys`` found or registered."""
        for key in keys:
            if key in self.people:
                return Person.objects.filter(pk=self.people[key]).first()
        return None


class Adapter:
    """One import kind: its columns and how a row is applied."""

    spec: specs.KindSpec
    # Service field names → column codes, to name the column of a refusal.
    field_columns: dict[str, str] = {}

    def apply(self, row: RowInput, ctx: ApplyContext) -> Outcome:  # pragma: no cover - interface
        raise NotImplementedError

    def problems(self, exc: Exception) -> list[tuple[str | None, str]]:
        """A service's refusal as (column code or None, message) pairs."""
        if isinstance(exc, PermissionDenied):
            return [(None, str(exc) or _("This record is outside the areas you are assigned."))]
        if isinstance(exc, ValidationError):
            if hasattr(exc, "error_dict"):
                found = []
                for name, errors in exc.error_dict.items():
                    base = name.split("[")[0].split(".")[0]
                    column = self.field_columns.get(name, self.field_columns.get(base, base))
                    if column not in {c.code for c in self.spec.columns}:
                        column = None
                    for error in errors:
                        found.extend((column, message) for message in error.messages)
                return found
            return [(None, message) for message in exc.messages]
        raise exc


# -- people ------------------------------------------------------------------------------------------


PERSON_FIELD_COLUMNS = {
    "full_name": "full_name",
    "other_names": "other_names",
    "birth_year": "birth_date",
    "birth_month": "birth_date",
    "birth_day": "birth_date",
    "sex": "sex",
    "personal_id": "id_number",
    "old_id_number": "id_number",
    "ethnicity": "ethnicity",
    "religion": "religion",
    "phone": "phone",
    "province": "address",
    "commune": "address",
    "address": "address",
}


def residence(row: RowInput, *, required: bool) -> tuple[int | None, int | None, dict[str, Any] | None]:
    """(province, commune, pending choice) of the row's address; a split commune leaves commune None."""
    address = row.address or {}
    status = address.get("status")
    if status == RESOLVED:
        return address["province"], address["commune"], None
    if status == CHOICE:
        candidates = address.get("candidates") or []
        if row.commune_choice and row.commune_choice in candidates:
            province = (
                Commune.objects.filter(pk=row.commune_choice).values_list("province_id", flat=True).first()
            )
            return province, row.commune_choice, None
        if required:
            raise RowError(
                [
                    (
                        "address",
                        _(
                            "“{text}” was split between several communes; choose the commune on the preview."
                        ).format(text=address.get("text", "")),
                    )
                ]
            )
        province = address.get("province")
        if province is None:
            raise RowError([("address", address.get("message") or _("The address fits several provinces."))])
        return province, None, {"text": address.get("text", ""), "candidates": candidates}
    if required:
        raise RowError([("address", _("The place of residence is required."))])
    return None, None, None


def person_values(values: dict[str, Any]) -> dict[str, Any]:
    """The person fields a row gives (only those filled)."""
    data: dict[str, Any] = {}
    for key in ("full_name", "other_names", "phone", "religion"):
        if values.get(key):
            data[key] = values[key]
    birth = values.get("birth_date")
    if isinstance(birth, PartialDate):
        data.update(birth_year=birth.year, birth_month=birth.month, birth_day=birth.day)
    number = values.get("id_number")
    if isinstance(number, IdNumber):
        data["old_id_number" if number.kind == OLD_ID else "personal_id"] = number.number
    if values.get("ethnicity"):
        data["ethnicity"] = int(values["ethnicity"])
    sex = values.get("sex")
    if not sex and data.get("personal_id"):
        parts = identity.decode_personal_id(data["personal_id"])
        sex = parts.sex if parts else None
    if sex:
        data["sex"] = sex
    return data


def same_person_keys(values: dict[str, Any], commune: int | None, place: str) -> list[tuple]:
    """How rows of one file name the same person: the record code, the identification number;
    without either, the name with the year of birth (or none) and the commune (else the place as
    written), as ``exact_match`` finds a registered person. Two rows sharing a key are about the
    same person (staging and the adapters agree)."""
    keys: list[tuple] = []
    code = values.get("record_code")
    if code:
        keys.append(("code", str(code).strip().upper()))
    number = values.get("id_number")
    if isinstance(number, IdNumber):
        keys.append(("id", number.number))
    name = values.get("full_name")
    if not keys and name:
        birth = values.get("birth_date")
        born = birth.year if isinstance(birth, PartialDate) else None
        keys.append(("name", canonical(name), born, commune or fold(place or "")))
    return keys


def find_person(values: dict[str, Any], row: RowInput, ctx: ApplyContext) -> Person | None:
    """The registered person the row names: record code, identification number, decision, exact match."""
    code = values.get("record_code")
    number = values.get("id_number")
    by_code = Person.objects.filter(record_code=code).first() if code else None
    by_id = None
    if isinstance(number, IdNumber):
        if number.kind == OLD_ID:
            holders = list(Person.objects.filter(old_id_number=number.number)[:2])
            by_id = holders[0] if len(holders) == 1 else None
        else:
            by_id = Person.objects.filter(personal_id=number.number).first()
    if by_code is not None and by_id is not None and by_code.pk != by_id.pk:
        raise RowError(
            [
                (
                    "id_number",
                    _("This identification number belongs to another record than {code}.").format(code=code),
                )
            ]
        )
    if code and by_code is None and by_id is not None:
        raise RowError(
            [
                (
                    "record_code",
                    _("The identification number is registered under another record code.")
                    if policy.scope_for(ctx.actor, Cap.VIEW_PEOPLE).covers(
                        province=by_id.province_id, commune=by_id.commune_id
                    )
                    else _(people_services.ID_IN_OTHER_AREA),
                )
            ]
        )
    person = by_code or by_id
    if person is None and row.decision == "same" and row.decision_person:
        person = (
            policy.restrict(Person.objects.all(), ctx.actor, Cap.VIEW_PEOPLE)
            .filter(pk=row.decision_person)
            .first()
        )
    if person is not None and not policy.scope_for(ctx.actor, Cap.VIEW_PEOPLE).covers(
        province=person.province_id, commune=person.commune_id
    ):
        raise RowError([(None, _(people_services.ID_IN_OTHER_AREA))])
    return person


def identities_differ(data: dict[str, Any], person: Any) -> bool:
    """Whether the row's identification number and the person's are two different numbers: then
    they are namesakes, never the same person, whatever the name, year and commune say."""
    for name in ("personal_id", "old_id_number"):
        given, held = data.get(name), getattr(person, name, "")
        if given and held and given != held:
            return True
    return False


def exact_match(
    data: dict[str, Any],
    province: int | None,
    commune: int | None,
    ctx: ApplyContext,
    candidates=(),
    record_code: str | None = None,
) -> Person | None:
    """The one person in the actor's areas with the same name (diacritics too), year of birth and commune.

    For a split legacy commune (``candidates``), a person still without commune in the province or
    living in one of the communes it went to. A row carrying a record code unknown here (a person
    of another installation's export) or another identification number is never matched by name.
    """
    if record_code or not data.get("full_name") or not data.get("birth_year") or province is None:
        return None
    rows = Person.objects.filter(name_canonical=canonical(data["full_name"]), birth_year=data["birth_year"])
    if commune:
        rows = rows.filter(commune_id=commune)
    else:
        rows = rows.filter(Q(province_id=province, commune=None) | Q(commune_id__in=list(candidates)))
    found = list(policy.restrict(rows, ctx.actor, Cap.VIEW_PEOPLE)[:2])
    if len(found) != 1 or identities_differ(data, found[0]):
        return None
    return found[0]


def check_duplicates(data: dict[str, Any], row: RowInput, ctx: ApplyContext) -> None:
    if row.decision == "new":
        return
    duplicates = people_services.person_duplicates(actor=ctx.actor, data=data)
    if duplicates:
        raise NeedsDecision(duplicates)


def check_record_code(code: str) -> None:
    match = RECORD_CODE_RE.match(code or "")
    if match is None or not Province.objects.filter(code=int(match.group(1))).exists():
        raise RowError(
            [
                (
                    "record_code",
                    _("“{code}” is not a record code (province code, dash, number).").format(code=code),
                )
            ]
        )


def create_person(data: dict[str, Any], record_code: str | None, ctx: ApplyContext) -> Person:
    """Register a person through ``people.services.person_create``, keeping ``record_code`` when given.

    The people service moves the province's sequence past a kept number, so that codes opened later
    never collide with it.
    """
    result = people_services.person_create(
        actor=ctx.actor, data=data, confirm_duplicates=True, record_code=record_code or None
    )
    return result.person


# -- organisations -----------------------------------------------------------------------------------


def facility(
    name: str | None,
    unit: int | None,
    ctx: ApplyContext,
    warnings: list,
    fallback_province: int | None = None,
    *,
    register_without_unit: bool = True,
) -> Organisation | None:
    """The detention facility named ``name`` (in ``unit`` when given), created when missing.

    A missing facility without a unit code is registered in the batch's province, else in
    ``fallback_province`` (the province of the row's person) — unless ``register_without_unit`` is
    false (notices, which can name their sender in words): then None, and the caller keeps the name.
    """
    if not name:
        return None
    key = (fold(name), unit)
    if key in ctx.facilities:
        known = Organisation.objects.filter(pk=ctx.facilities[key]).first()
        if known is not None:
            return known
        del ctx.facilities[key]  # registered by a row whose savepoint was rolled back
    province = commune = None
    if unit:
        if unit < 100 and Province.objects.filter(code=unit).exists():
            province = unit
        else:
            commune_row = Commune.objects.filter(code=unit).values_list("code", "province_id").first()
            if commune_row is None:
                raise RowError(
                    [
                        (
                            "facility_unit",
                            _("No current province or commune has code {code}.").format(code=unit),
                        )
                    ]
                )
            commune, province = commune_row
    rows = Organisation.objects.filter(kind=Organisation.Kind.DETENTION_FACILITY, name_folded=fold(name))
    if province is not None:
        rows = rows.filter(province_id=province, commune_id=commune)
    found = rows.order_by("pk").first()
    if found is None and unit is None and not register_without_unit:
        return None
    if found is None:
        province = province or ctx.province_hint or fallback_province
        if province is None:
            raise RowError(
                [
                    (
                        "facility_unit",
                        _("Give the unit code of the facility “{name}”, which is not registered.").format(
                            name=name
                        ),
                    )
                ]
            )
        # A documented import path (docs/import.md): organisations named by a list are registered
        # as they are read; the audited model records the creation under the import's tag.
        found = Organisation.objects.create(
            name=" ".join(name.split()),
            kind=Organisation.Kind.DETENTION_FACILITY,
            province_id=province,
            commune_id=commune,
        )
        warnings.append(
            (
                "facility",
                _("The detention facility “{name}” was added to the organisations.").format(name=found.name),
            )
        )
    ctx.facilities[key] = found.pk
    return found
