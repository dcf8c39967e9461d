"""Every write to the registry of people: check the rule, write, timeline, audit — in one transaction.

Rules enforced here:

* a person is created and edited only inside the writer's areas (``edit_people`` on the unit of
  residence), and cannot be moved out of them (transfers are a workflow of their own);
* the date of birth may be a full date, a month and year, or a year only, never in the future;
* a personal identification number must follow its structure (``rules.identity``) and can never
  be registered twice; when the holder is outside the writer's areas the refusal says only that
  the number is registered in another area, nothing about the person;
* a probable duplicate (same or very similar name, same year of birth, same commune) is returned
  as a warning and the creation waits for a confirmation;
* an edit carries the version it read; a stale edit is refused (``core.concurrency``);
* only an actor who edits people everywhere (a system administrator) merges two records.

Person, ResidenceHistory and Relative are ``audited`` models: their saves and deletes are logged by
``audit.signals``. Named events (merge, change of residence) are recorded here.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from hoanhap.access import policy
from hoanhap.access.roles import Cap
from hoanhap.audit import services as audit
from hoanhap.core import clock
from hoanhap.core.concurrency import bump_version, check_version
from hoanhap.core.text import nfc
from hoanhap.geo.models import Commune, Province
from hoanhap.people import selectors
from hoanhap.people.models import (
    RECORD_CODE_RE,
    Person,
    Relative,
    ResidenceHistory,
    TimelineEntry,
    keep_record_code,
)
from hoanhap.people.rules import identity

ID_IN_OTHER_AREA = gettext_noop(
    "This identification number is already registered in another area. You can request a transfer."
)

# Fields a form or the API may set on a person (status and classification are set by workflows
# later, but may be given at registration: a person is often registered after release).
PERSON_FIELDS = (
    "full_name",
    "other_names",
    "birth_year",
    "birth_month",
    "birth_day",
    "sex",
    "ethnicity",
    "religion",
    "nationality",
    "stateless",
    "personal_id",
    "old_id_number",
    "document_type",
    "document_number",
    "phone",
    "photo",
    "province",
    "commune",
    "address",
    "status",
    "classification",
    "note",
)
RESIDENCE_FIELDS = ("province", "commune", "address")

# Allowed codes, as sets: ``Choices.values`` builds a list on every read (rules run per import row).
_SEXES = frozenset(Person.Sex.values)
_STATUSES = frozenset(Person.Status.values)
_CLASSIFICATIONS = frozenset(Person.Classification.values)
_RELATIONS = frozenset(Relative.Relation.values)


@dataclass
class CreateResult:
    """A created person, or (person None) the probable duplicates awaiting a confirmation."""

    person: Person | None
    duplicates: list[Person] = field(default_factory=list)


# -- validation ----------------------------------------------------------------------------------


def _pk(value: Any) -> int | None:
    if value in (None, ""):
        return None
    return value.pk if isinstance(value, models.Model) else int(value)


def clean_note(value: Any) -> str:
    """A free-text note as stored: NFC (as an import reads it), its line breaks kept (as ``\n``), the
    spaces ending each line and the blank lines around the text dropped."""
    lines = nfc(str(value or "")).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip()


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    """Normalised values: numbers without separators, codes upper case, units as ids, a note's lines kept."""
    values = {k: data[k] for k in PERSON_FIELDS if k in data}
    for key in ("province", "commune"):
        if key in values:
            values[key] = _pk(values[key])
    if "personal_id" in values:
        values["personal_id"] = identity.normalise(values["personal_id"]) or None
    if "old_id_number" in values:
        values["old_id_number"] = identity.normalise(values["old_id_number"])
    if "nationality" in values:
        values["nationality"] = (values["nationality"] or "VN").strip().upper()
    for key in ("full_name", "other_names", "address", "phone", "document_number"):
        if key in values and values[key] is not None:
            values[key] = " ".join(str(values[key]).split())
    if "note" in values:
        values["note"] = clean_note(values["note"])
    for key in ("ethnicity", "birth_year", "birth_month", "birth_day"):
        if key in values and values[key] in ("", None):
            values[key] = None
    return values


def birth_date_errors(year: int | None, month: int | None, day: int | None) -> dict[str, str]:
    """Impossible dates of birth, keyed by the field at fault."""
    today = clock.today()
    errors: dict[str, str] = {}
    if month is not None and year is None:
        errors["birth_year"] = _("A month of birth needs a year of birth.")
    if day is not None and month is None:
        errors["birth_month"] = _("A day of birth needs a month of birth.")
    if year is not None and not (1900 <= year <= today.year):
        errors["birth_year"] = _("The year of birth must be between 1900 and {year}.").format(year=today.year)
    if month is not None and not (1 <= month <= 12):
        errors["birth_month"] = _("The month of birth must be between 1 and 12.")
    if errors or year is None or month is None:
        return errors
    if (year, month) > (today.year, today.month):
        errors["birth_month"] = _("The date of birth is in the future.")
        return errors
    if day is not None:
        last = calendar.monthrange(year, month)[1]
        if not (1 <= day <= last):
            errors["birth_day"] = _("Month {month} of {year} has no day {day}.").format(
                month=month, year=year, day=day
            )
        elif dt.date(year, month, day) > today:
            errors["birth_day"] = _("The date of birth is in the future.")
    return errors


def clean_person_values(data: dict[str, Any]) -> dict[str, Any]:
    """The values ``person_create`` would store for ``data`` (normalised, units as ids)."""
    return _clean(data)


def person_value_errors(values: dict[str, Any], *, commune_province: int | None) -> dict[str, list[str]]:
    """The refusals of ``_validate`` that need no query: every rule but the holder of the number.

    ``commune_province``: the province of ``values["commune"]`` (None when there is none). Pure, so
    that an import can check thousands of rows without a query each; ``_validate`` calls it.
    """
    errors: dict[str, list[str]] = {}

    def add(key: str, message: str) -> None:
        errors.setdefault(key, []).append(message)

    if not values.get("full_name"):
        add("full_name", _("The full name is required."))
    if values.get("sex") not in _SEXES:
        add("sex", _("Choose the sex."))
    if not values.get("province"):
        add("province", _("The province of residence is required."))
    for key, message in birth_date_errors(
        values.get("birth_year"), values.get("birth_month"), values.get("birth_day")
    ).items():
        add(key, message)
    if values.get("status") and values["status"] not in _STATUSES:
        add("status", _("Unknown status."))
    if values.get("classification") and values["classification"] not in _CLASSIFICATIONS:
        add("classification", _("Unknown classification group."))
    nationality = values.get("nationality") or "VN"
    if len(nationality) != 2 or not nationality.isalpha() or not nationality.isascii():
        add("nationality", _("The nationality is a two-letter country code, e.g. VN."))
    if values.get("commune") and values.get("province") and commune_province != values["province"]:
        add("commune", _("The commune is not in the chosen province."))
    if values.get("old_id_number"):
        for message in identity.old_id_errors(values["old_id_number"]):
            add("old_id_number", message)
    number = values.get("personal_id")
    if number:
        for message in identity.personal_id_errors(
            number, sex=values.get("sex"), birth_year=values.get("birth_year")
        ):
            add("personal_id", message)
    return errors


def _validate(actor: Any, values: dict[str, Any], *, person: Person | None = None) -> None:
    commune = values.get("commune")
    commune_province = (
        Commune.objects.filter(pk=commune).values_list("province_id", flat=True).first()
        if commune and values.get("province")
        else None
    )
    errors = person_value_errors(values, commune_province=commune_province)

    def add(key: str, message: str) -> None:
        errors.setdefault(key, []).append(message)

    number = values.get("personal_id")
    if number and "personal_id" not in errors:
        holder = selectors.id_holder(number, exclude=person.pk if person else None)
        if holder is not None:
            if selectors.in_scope(actor, holder):
                add(
                    "personal_id",
                    _("This identification number is already registered for {name} ({code}).").format(
                        name=holder.full_name, code=holder.record_code
                    ),
                )
            else:
                add("personal_id", _(ID_IN_OTHER_AREA))
    if errors:
        raise ValidationError(errors)


def _ensure_unit(actor: Any, province: int | None, commune: int | None) -> None:
    policy.ensure_unit_in_scope(actor, Cap.EDIT_PEOPLE, province=province, commune=commune)


# -- people --------------------------------------------------------------------------------------


def person_duplicates(*, actor: Any, data: dict[str, Any], exclude: int | None = None) -> list[Person]:
    """Probable duplicates of the person described by ``data`` (see ``selectors.probable_duplicates``)."""
    values = _clean(data)
    return selectors.probable_duplicates(
        full_name=values.get("full_name") or "",
        birth_year=values.get("birth_year"),
        province=values.get("province"),
        commune=values.get("commune"),
        exclude=exclude,
        actor=actor,
    )


@transaction.atomic
def _check_record_code(code: str) -> None:
    match = RECORD_CODE_RE.match(code)
    if match is None or not Province.objects.filter(code=int(match.group(1))).exists():
        raise ValidationError(
            {
                "record_code": _("“{code}” is not a record code (province code, dash, number).").format(
                    code=code
                )
            }
        )
    if Person.objects.filter(record_code=code).exists():
        raise ValidationError({"record_code": _("Record code {code} is already used.").format(code=code)})


def person_create(
    *, actor: Any, data: dict[str, Any], confirm_duplicates: bool = False, record_code: str | None = None
) -> CreateResult:
    """Register a person in the writer's area, with a record code, a first residence and a timeline entry.

    When probable duplicates exist and ``confirm_duplicates`` is false nothing is written: the
    duplicates are returned for the writer to check. ``record_code`` keeps a code made elsewhere (an
    import of another installation's export); otherwise the province's next code is taken.
    """
    values = _clean(data)
    _ensure_unit(actor, values.get("province"), values.get("commune"))
    if record_code:
        _check_record_code(record_code)
    _validate(actor, values)
    duplicates = person_duplicates(actor=actor, data=values)
    if duplicates and not confirm_duplicates:
        return CreateResult(person=None, duplicates=duplicates)
    photo = values.pop("photo", None)
    province, commune = values.pop("province"), values.pop("commune", None)
    person = Person(province_id=province, commune_id=commune, **values)
    if record_code:
        keep_record_code(record_code)
        person.record_code = record_code
    if photo:
        person.photo = photo
    person.save()
    today = timezone.localdate()
    ResidenceHistory.objects.create(
        person=person, province_id=province, commune_id=commune, address=person.address, from_date=today
    )
    timeline_add(
        person=person,
        occurred_on=today,
        kind="people.person.registered",
        summary=_("Record {code} opened.").format(code=person.record_code),
        target=person,
        actor=actor,
    )
    return CreateResult(person=person, duplicates=duplicates)


@transaction.atomic
def person_update(
    *, actor: Any, person: Person, data: dict[str, Any], expected_version: int | None
) -> Person:
    """Change a person's details; a new unit of residence goes through ``person_change_residence``."""
    check_version(person, expected_version)
    person = Person.objects.select_for_update().get(pk=person.pk)
    _ensure_unit(actor, person.province_id, person.commune_id)
    values = _clean(data)
    merged = {k: getattr(person, k + "_id" if k in ("province", "commune") else k) for k in PERSON_FIELDS}
    merged.update(values)
    _ensure_unit(actor, merged.get("province"), merged.get("commune"))
    _validate(actor, merged, person=person)
    residence = {k: merged[k] for k in RESIDENCE_FIELDS}
    moved = (residence["province"], residence["commune"], residence["address"]) != (
        person.province_id,
        person.commune_id,
        person.address,
    )
    photo_changed = False
    for key, value in merged.items():
        if key in RESIDENCE_FIELDS:
            continue
        if key == "photo":
            if value is not None and value is not person.photo:
                person.photo = value or ""
                photo_changed = True
            continue
        setattr(person, key, value)
    today = timezone.localdate()
    before = _apply_residence(person, **residence, from_date=today) if moved else None
    bump_version(person)
    person.save()
    if photo_changed:
        audit.record("people.person.photo_changed", target=person, data={"photo": person.photo.name or None})
    if moved:
        person = _residence_recorded(actor, person, before, today)
    return person


def _apply_residence(
    person: Person, *, province: int, commune: int | None, address: str, from_date: dt.date
) -> str:
    """Close the open history rows, open a new one and set the residence on ``person`` (unsaved)."""
    if (
        commune
        and Commune.objects.filter(pk=commune).values_list("province_id", flat=True).first() != province
    ):
        raise ValidationError({"commune": _("The commune is not in the chosen province.")})
    before = person.unit_display
    for row in person.residences.filter(to_date__isnull=True):
        row.to_date = max(from_date, row.from_date) if row.from_date else from_date
        row.save(update_fields=["to_date"])
    ResidenceHistory.objects.create(
        person=person, province_id=province, commune_id=commune, address=address or "", from_date=from_date
    )
    person.province_id, person.commune_id, person.address = province, commune, address or ""
    return before


def _residence_recorded(actor: Any, person: Person, before: str | None, from_date: dt.date) -> Person:
    person = Person.objects.select_related("province", "commune").get(pk=person.pk)
    audit.record(
        "people.person.residence_changed",
        target=person,
        data={"from": before, "to": person.unit_display, "from_date": from_date},
    )
    timeline_add(
        person=person,
        occurred_on=from_date,
        kind="people.residence.changed",
        summary=_("Residence changed to {unit}.").format(unit=person.unit_display),
        target=person,
        actor=actor,
    )
    return person


@transaction.atomic
def person_change_residence(
    *,
    actor: Any,
    person: Person,
    province: int,
    commune: int | None,
    address: str = "",
    from_date: dt.date | None = None,
    expected_version: int | None = None,
) -> Person:
    """Move the person's current residence, closing the previous history row and opening a new one."""
    check_version(person, expected_version)
    from_date = from_date or timezone.localdate()
    person = (
        Person.objects.select_for_update(of=("self",)).select_related("province", "commune").get(pk=person.pk)
    )
    _ensure_unit(actor, person.province_id, person.commune_id)
    _ensure_unit(actor, province, commune)
    before = _apply_residence(
        person, province=province, commune=commune, address=address, from_date=from_date
    )
    bump_version(person)
    person.save()
    return _residence_recorded(actor, person, before, from_date)


# -- relatives -----------------------------------------------------------------------------------

RELATIVE_FIELDS = ("relation", "full_name", "birth_year", "phone", "address", "note")


def _relative_values(data: dict[str, Any]) -> dict[str, Any]:
    values = {k: data[k] for k in RELATIVE_FIELDS if k in data}
    errors = {}
    if "full_name" in values:
        values["full_name"] = " ".join(str(values["full_name"] or "").split())
        if not values["full_name"]:
            errors["full_name"] = _("The full name is required.")
    if "relation" in values and values["relation"] not in _RELATIONS:
        errors["relation"] = _("Choose the relation.")
    year = values.get("birth_year")
    if year not in (None, "") and not (1900 <= int(year) <= timezone.localdate().year):
        errors["birth_year"] = _("The year of birth must be between 1900 and {year}.").format(
            year=timezone.localdate().year
        )
    if errors:
        raise ValidationError(errors)
    if values.get("birth_year") == "":
        values["birth_year"] = None
    return values


@transaction.atomic
def relative_add(*, actor: Any, person: Person, data: dict[str, Any]) -> Relative:
    _ensure_unit(actor, person.province_id, person.commune_id)
    values = _relative_values({"relation": "", "full_name": "", **data})
    return Relative.objects.create(person=person, **values)


@transaction.atomic
def relative_update(*, actor: Any, relative: Relative, data: dict[str, Any]) -> Relative:
    person = relative.person
    _ensure_unit(actor, person.province_id, person.commune_id)
    for key, value in _relative_values(data).items():
        setattr(relative, key, value)
    relative.save()
    return relative


@transaction.atomic
def relative_delete(*, actor: Any, relative: Relative) -> None:
    person = relative.person
    _ensure_unit(actor, person.province_id, person.commune_id)
    relative.delete()


# -- timeline ------------------------------------------------------------------------------------


def timeline_add(
    *,
    person: Person,
    occurred_on: dt.date,
    kind: str,
    summary: str,
    target: models.Model | None = None,
    target_type: str = "",
    target_id: str = "",
    url: str = "",
    actor: Any = None,
) -> TimelineEntry:
    """Append a dated event to a person's timeline (any app; the caller has checked its own rules).

    ``target`` (or ``target_type``/``target_id``) names the record the event is about; its
    ``get_absolute_url()`` becomes the link unless ``url`` is given.
    """
    if target is not None:
        target_type = target_type or target._meta.label_lower
        target_id = target_id or str(target.pk)
        if not url and hasattr(target, "get_absolute_url"):
            url = target.get_absolute_url()
    return TimelineEntry.objects.create(
        person=person,
        occurred_on=occurred_on,
        kind=kind[:60],
        summary=str(summary)[:500],
        target_type=target_type[:100],
        target_id=str(target_id)[:64],
        url=url[:500],
        created_by=policy.account_of(actor),
    )


# -- merge ---------------------------------------------------------------------------------------

MERGE_FILL_FIELDS = (
    "other_names",
    "birth_year",
    "birth_month",
    "birth_day",
    "ethnicity",
    "religion",
    "personal_id",
    "old_id_number",
    "document_type",
    "document_number",
    "phone",
    "photo",
    "classification",
    "note",
)


def _move_related(keep: Person, remove: Person) -> dict[str, int]:
    """Point every row that refers to ``remove`` at ``keep``, whatever app declared the relation."""
    moved: dict[str, int] = {}
    for rel in Person._meta.related_objects:
        model = rel.related_model
        if rel.many_to_many:
            through = rel.through
            source = next(f for f in through._meta.fields if f.is_relation and f.related_model is Person)
            others = [f for f in through._meta.fields if f.is_relation and f is not source]
            rows = through._base_manager.filter(**{source.name: remove})
            for other in others:
                taken = through._base_manager.filter(**{source.name: keep}).values(other.attname)
                rows.filter(**{f"{other.attname}__in": taken}).delete()
            count = rows.update(**{source.name: keep})
        elif rel.one_to_one:
            rows = model._base_manager.filter(**{rel.field.name: remove})
            if rows.exists() and model._base_manager.filter(**{rel.field.name: keep}).exists():
                raise ValidationError(
                    _("Both records have a {what}; settle it by hand before merging.").format(
                        what=model._meta.verbose_name
                    )
                )
            count = rows.update(**{rel.field.name: keep})
        else:
            count = model._base_manager.filter(**{rel.field.name: remove}).update(**{rel.field.name: keep})
        if count:
            moved[model._meta.label_lower] = count
    return moved


@transaction.atomic
def person_merge(*, keep: Person, remove: Person, actor: Any) -> Person:
    """Merge ``remove`` into ``keep``: every linked record moves, blanks of ``keep`` are filled from
    ``remove`` (two notes are both kept), ``remove`` is deleted. System administrators only; audited
    as ``people.person.merged``."""
    if not selectors.can_merge(actor):
        raise PermissionDenied(_("Only a system administrator can merge person records."))
    if keep.pk == remove.pk:
        raise ValidationError(_("Choose two different records to merge."))
    keep = Person.objects.select_for_update().get(pk=keep.pk)
    remove = Person.objects.select_for_update().get(pk=remove.pk)
    removed_code, removed_name = remove.record_code, remove.full_name
    filled = {}
    for name in MERGE_FILL_FIELDS:
        mine, theirs = getattr(keep, name), getattr(remove, name)
        if (mine in (None, "") or (name == "photo" and not mine)) and theirs not in (None, ""):
            filled[name] = theirs
    if keep.note and remove.note and remove.note != keep.note:
        filled["note"] = keep.note + "\n\n" + remove.note  # both notes kept, the removed one's after
    moved = _move_related(keep, remove)
    if "personal_id" in filled:
        Person.objects.filter(pk=remove.pk).update(personal_id=None)
    remove.delete()
    for name, value in filled.items():
        setattr(keep, name, value)
    bump_version(keep)
    keep.save()
    audit.record(
        "people.person.merged",
        target=keep,
        data={
            "kept": keep.record_code,
            "removed": removed_code,
            "removed_name": removed_name,
            "moved": moved,
            "filled": sorted(filled),
        },
    )
    timeline_add(
        person=keep,
        occurred_on=timezone.localdate(),
        kind="people.person.merged",
        summary=_("Record {removed} ({name}) merged into this record.").format(
            removed=removed_code, name=removed_name
        ),
        target=keep,
        actor=actor,
    )
    return keep
