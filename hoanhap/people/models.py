"""The registry of people who completed a prison sentence or were amnestied.

``Person`` is the record every other app hangs its data on (judgments, intake, casework, support,
loans). A person sits in the unit of their current residence — a province, and a commune once it
is known — and that unit decides who may see them (``area_fields``, ``hoanhap.access.policy``).

Record codes (mã hồ sơ) are ``PP-NNNNNN``: the two-digit code of the current province in which the
record was opened, a dash, and that province's own sequence number, zero-padded to six digits
(it grows to seven digits after 999,999). The code never changes, even when the person moves, and
never collides between installations as long as each province is registered by one installation.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hoanhap.access.models import AreaFields
from hoanhap.core.models import TimeStampedModel, VersionedModel
from hoanhap.core.text import canonical, fold, nfc, vietnamese_sort_key
from hoanhap.geo.models import Commune, Province
from hoanhap.people.ethnicities import ETHNICITY_CHOICES

RECORD_CODE_DIGITS = 6


class RecordSequence(models.Model):
    """The last record number given in one province; locked while the next one is taken."""

    province = models.OneToOneField(
        Province, on_delete=models.PROTECT, primary_key=True, related_name="+", verbose_name=_("province")
    )
    last_number = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("record number sequence")
        verbose_name_plural = _("record number sequences")

    def __str__(self) -> str:
        return f"{self.province_id}: {self.last_number}"


def format_record_code(province: int, number: int) -> str:
    return f"{province:02d}-{number:0{RECORD_CODE_DIGITS}d}"


def next_record_code(province: int) -> str:
    """Take the next record code of ``province`` (the sequence row is locked until commit)."""
    with transaction.atomic():
        RecordSequence.objects.get_or_create(province_id=province)
        sequence = RecordSequence.objects.select_for_update().get(province_id=province)
        sequence.last_number += 1
        sequence.save(update_fields=["last_number"])
        return format_record_code(province, sequence.last_number)


RECORD_CODE_RE = re.compile(r"^(\d{2,3})-(\d{6,9})$")


def keep_record_code(code: str) -> None:
    """Accept a record code made elsewhere (an import, another installation's export).

    The code's province sequence is moved past its number (locked until commit), so that codes
    opened here later never reach it. The caller has checked the code is free.
    """
    match = RECORD_CODE_RE.match(code)
    if match is None:
        raise ValueError(f"not a record code: {code!r}")
    province, number = int(match.group(1)), int(match.group(2))
    with transaction.atomic():
        RecordSequence.objects.get_or_create(province_id=province)
        sequence = RecordSequence.objects.select_for_update().get(province_id=province)
        if sequence.last_number < number:
            sequence.last_number = number
            sequence.save(update_fields=["last_number"])


def search_text_of(full_name: str, other_names: str = "") -> str:
    """The folded text that the name search matches (leading space: word starts are ' word')."""
    return _search_text(fold(full_name), fold(other_names))


def _search_text(folded: str, folded_other: str) -> str:
    return " " + " ".join(x for x in (folded, folded_other) if x)


def sort_key_of(full_name: str, other_names: str = "") -> str:
    """Vietnamese order as one column: given name, then family and middle names, then the name itself.

    The folded other names follow: they never change the order that matters, and the search can then
    test every name of a person on the ordering index alone.
    """
    return _sort_key(vietnamese_sort_key(full_name), fold(other_names))


def _sort_key(key: tuple[str, str, str], folded_other: str) -> str:
    return " ".join([*key, folded_other]).strip()[:300]


def name_columns(full_name: str, other_names: str = "") -> dict[str, str]:
    """The names as stored (NFC, single spaces) and the columns derived from them, as ``save`` sets
    them; an import computes them for thousands of people without building a model each (each
    name folded and put in canonical form once, though three columns use it)."""
    full_name = " ".join(nfc(full_name).split())
    other_names = " ".join(nfc(other_names).split())
    folded, folded_other, name_canonical = fold(full_name), fold(other_names), canonical(full_name)
    return {
        "full_name": full_name,
        "other_names": other_names,
        "name_folded": folded,
        "name_canonical": name_canonical,
        "sort_key": _sort_key(vietnamese_sort_key(full_name, name_canonical), folded_other),
        "search_text": _search_text(folded, folded_other),
    }


def birth_display(year: int | None, month: int | None, day: int | None) -> str:
    """dd/mm/yyyy, mm/yyyy or yyyy, as precisely as the date of birth is known ('' if unknown)."""
    if year is None:
        return ""
    if month is None:
        return f"{year:04d}"
    if day is None:
        return f"{month:02d}/{year:04d}"
    return f"{day:02d}/{month:02d}/{year:04d}"


class Person(TimeStampedModel, VersionedModel):
    """A person who completed a prison sentence or was amnestied, in the commune where they live.

    ``status`` is kept by the intake workflow; ``classification`` (group A–D, Circular 10/2024) by
    casework. ``name_folded``, ``name_canonical``, ``sort_key`` and ``search_text`` are derived from
    the names on every save and serve the search (see ``hoanhap.people.search``).
    """

    class Sex(models.TextChoices):
        MALE = "male", _("Male")
        FEMALE = "female", _("Female")

    class Religion(models.TextChoices):
        NONE = "none", _("None")
        BUDDHISM = "buddhism", _("Buddhism")
        HOA_HAO = "hoa_hao", _("Hòa Hảo Buddhism")
        CAO_DAI = "cao_dai", _("Cao Đài")
        CATHOLIC = "catholic", _("Catholic")
        PROTESTANT = "protestant", _("Protestant")
        ISLAM = "islam", _("Islam")
        OTHER = "other", _("Other religion")

    class Status(models.TextChoices):
        IN_PRISON = "in_prison", _("In prison")
        NOTIFIED = "notified", _("Release notice received")
        RELEASED = "released", _("Released")
        RECEIVED = "received", _("Received at the commune")
        IN_MANAGEMENT = "in_management", _("Under management")
        WHEREABOUTS_UNKNOWN = "whereabouts_unknown", _("Whereabouts unknown")
        ENDED = "ended", _("Management ended")

    class Classification(models.TextChoices):
        A = "A", _("Group A — law-abiding, favourable conditions")
        B = "B", _("Group B — law-abiding, with difficulties")
        C = "C", _("Group C — not law-abiding or at risk")
        D = "D", _("Group D — in custody, education or rehabilitation")

    class DocumentType(models.TextChoices):
        PASSPORT = "passport", _("Passport")
        RESIDENCE_CARD = "residence_card", _("Residence card")
        OTHER = "other", _("Other document")

    record_code = models.CharField(_("record code"), max_length=20, unique=True, editable=False)
    full_name = models.CharField(_("full name"), max_length=150)
    other_names = models.CharField(
        _("other names"),
        max_length=255,
        blank=True,
        help_text=_("Aliases and former names, separated by commas."),
    )
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    birth_month = models.PositiveSmallIntegerField(_("month of birth"), null=True, blank=True)
    birth_day = models.PositiveSmallIntegerField(_("day of birth"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices)
    ethnicity = models.PositiveSmallIntegerField(
        _("ethnicity"), choices=ETHNICITY_CHOICES, null=True, blank=True
    )
    religion = models.CharField(_("religion"), max_length=20, choices=Religion.choices, blank=True)
    nationality = models.CharField(
        _("nationality"),
        max_length=2,
        default="VN",
        help_text=_("Two-letter country code (ISO 3166), e.g. VN."),
    )
    stateless = models.BooleanField(_("stateless"), default=False)
    # NULL when unknown, so that the unique constraint ignores the people without one.
    personal_id = models.CharField(
        _("personal identification number"), max_length=12, unique=True, null=True, blank=True
    )
    old_id_number = models.CharField(_("old identity card number"), max_length=9, blank=True, db_index=True)
    document_type = models.CharField(
        _("identity document type"), max_length=20, choices=DocumentType.choices, blank=True
    )
    document_number = models.CharField(_("identity document number"), max_length=30, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    photo = models.ImageField(_("photo"), upload_to="people/photos/%Y/", blank=True)
    province = models.ForeignKey(
        Province,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("province of residence"),
        db_index=False,  # the first column of an index below: its own index would be one more to update
    )
    commune = models.ForeignKey(
        Commune,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("commune of residence"),
        db_index=False,  # the first column of an index below: its own index would be one more to update
        help_text=_("Empty while the person is in prison or the place of residence is unknown."),
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    status = models.CharField(_("status"), max_length=30, choices=Status.choices, default=Status.IN_PRISON)
    classification = models.CharField(
        _("classification group"), max_length=1, choices=Classification.choices, blank=True
    )
    note = models.TextField(_("note"), blank=True)
    name_folded = models.CharField(max_length=150, editable=False, default="")
    name_canonical = models.CharField(max_length=150, editable=False, default="")
    sort_key = models.CharField(max_length=300, db_index=True, editable=False, default="")
    search_text = models.CharField(max_length=420, editable=False, default="")

    area_fields = AreaFields(province="province", commune="commune", person="pk")
    audited = True
    # ``photo``: audit.services._plain fails on an empty file field (reported to the lead); a
    # change of photo is recorded by the services as ``people.person.photo_changed`` instead.
    audit_exclude = ("name_canonical", "sort_key", "search_text", "photo")

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["sort_key", "pk"]
        indexes = [
            # Exact-name tiers read these in name order and stop after a page, whatever the planner.
            models.Index(fields=["name_canonical", "sort_key"], name="people_person_canon_sort"),
            models.Index(fields=["name_folded", "sort_key"], name="people_person_folded_sort"),
            models.Index(fields=["province", "sort_key"], name="people_person_prov_sort"),
            models.Index(fields=["commune", "sort_key"], name="people_person_comm_sort"),
            # The probable-duplicate and exact-name rules: same commune and year of birth, with the
            # names they compare (an import reads hundreds of thousands of entries from it alone).
            models.Index(
                fields=["commune", "birth_year", "name_canonical", "name_folded"],
                name="people_person_comm_birth_names",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(birth_month__isnull=True) | Q(birth_month__gte=1, birth_month__lte=12),
                name="people_person_birth_month_range",
            ),
            models.CheckConstraint(
                condition=Q(birth_day__isnull=True) | Q(birth_day__gte=1, birth_day__lte=31),
                name="people_person_birth_day_range",
            ),
            models.CheckConstraint(
                condition=Q(birth_day__isnull=True) | Q(birth_month__isnull=False),
                name="people_person_day_needs_month",
            ),
            models.CheckConstraint(
                condition=Q(birth_month__isnull=True) | Q(birth_year__isnull=False),
                name="people_person_month_needs_year",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.record_code})" if self.record_code else self.full_name

    def save(self, *args, **kwargs) -> None:
        for column, value in name_columns(self.full_name, self.other_names).items():
            setattr(self, column, value)
        if not self.record_code and self._state.adding:
            self.record_code = next_record_code(self.province_id)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"full_name", "other_names"} & set(update_fields):
            kwargs["update_fields"] = set(update_fields) | {
                "name_folded",
                "name_canonical",
                "sort_key",
                "search_text",
            }
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("people:person-detail", args=[self.record_code])

    @property
    def birth_date_display(self) -> str:
        """dd/mm/yyyy, mm/yyyy or yyyy, as precisely as the date of birth is known ('' if unknown)."""
        return birth_display(self.birth_year, self.birth_month, self.birth_day)

    @property
    def is_foreign(self) -> bool:
        return self.stateless or (self.nationality or "VN").upper() != "VN"

    @property
    def unit_display(self) -> str:
        """'Xã Thoại Sơn, Tỉnh An Giang' (the commune only when known)."""
        parts = [self.commune.name if self.commune_id else "", self.province.name if self.province_id else ""]
        return ", ".join(p for p in parts if p)


class ResidenceHistory(models.Model):
    """A place where the person lived, from ``from_date`` to ``to_date`` (open while current).

    Appended by ``services.person_change_residence``; the current residence is also on ``Person``.
    """

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="residences", verbose_name=_("person")
    )
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="+", verbose_name=_("province")
    )
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("commune")
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    from_date = models.DateField(_("from"), null=True, blank=True)
    to_date = models.DateField(_("until"), null=True, blank=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    area_fields = AreaFields(province="person__province", commune="person__commune", person="person")
    audited = True

    class Meta:
        verbose_name = _("residence")
        verbose_name_plural = _("residence history")
        ordering = ["person_id", "-from_date", "-pk"]

    def __str__(self) -> str:
        unit = self.commune or self.province
        return f"{unit} ({self.from_date or '?'} – {self.to_date or '…'})"


class Relative(TimeStampedModel):
    """A family member or other close person (contact for reception and support)."""

    class Relation(models.TextChoices):
        FATHER = "father", _("Father")
        MOTHER = "mother", _("Mother")
        SPOUSE = "spouse", _("Spouse")
        CHILD = "child", _("Child")
        SIBLING = "sibling", _("Brother or sister")
        GRANDPARENT = "grandparent", _("Grandparent")
        GUARDIAN = "guardian", _("Guardian")
        OTHER = "other", _("Other")

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="relatives", verbose_name=_("person")
    )
    relation = models.CharField(_("relation"), max_length=20, choices=Relation.choices)
    full_name = models.CharField(_("full name"), max_length=150)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    note = models.TextField(_("note"), blank=True)

    area_fields = AreaFields(province="person__province", commune="person__commune", person="person")
    audited = True

    class Meta:
        verbose_name = _("relative")
        verbose_name_plural = _("relatives")
        ordering = ["person_id", "relation", "full_name", "pk"]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.get_relation_display()})"


class TimelineEntry(models.Model):
    """One dated event in a person's story, appended by any app through ``services.timeline_add``.

    The timeline is a domain record (what happened to the person), separate from the audit log (who
    touched which row). ``kind`` is a code such as ``people.person.created`` or
    ``justice.judgment.recorded``; ``target_type``/``target_id`` name the record it is about and
    ``url`` links to it.
    """

    person = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        related_name="timeline",
        verbose_name=_("person"),
        db_index=False,  # the first column of an index below: its own index would be one more to update
    )
    occurred_on = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=60)
    summary = models.CharField(_("summary"), max_length=500)
    target_type = models.CharField(_("record type"), max_length=100, blank=True)
    target_id = models.CharField(_("record id"), max_length=64, blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    area_fields = AreaFields(province="person__province", commune="person__commune")

    class Meta:
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline entries")
        ordering = ["person_id", "-occurred_on", "-pk"]
        indexes = [models.Index(fields=["person", "-occurred_on"], name="people_timeline_person_date")]

    def __str__(self) -> str:
        return f"{self.occurred_on}: {self.summary}"
