"""Organisations, user accounts and the role grants that decide what each account may see."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hoanhap.access.roles import ROLE_SPECS, Role, Scoping
from hoanhap.core.models import TimeStampedModel
from hoanhap.core.text import fold
from hoanhap.geo.models import Commune, Province


class AreaFields:
    """Names the lookups that place a model's rows in a province and a commune (for scoping).

    ``person`` names the lookup to the ``people.Person`` a row is about (``"pk"`` for the person
    itself). Setting it opens the model's rows to helpers assigned to that person; models that
    helpers must never read (judgments, offences, police notes, intake steps) leave it unset.
    """

    def __init__(self, province: str, commune: str | None = None, *, person: str | None = None) -> None:
        self.province = province
        self.commune = commune
        self.person = person


class Organisation(TimeStampedModel):
    """A body that takes part in reintegration work, attached to the unit it belongs to.

    Province-level bodies have no commune; commune-level bodies (commune police, the commune
    People's Committee, a commune Women's Union branch) carry both.
    """

    class Kind(models.TextChoices):
        PROVINCE_POLICE = "province_police", _("Provincial police")
        COMMUNE_POLICE = "commune_police", _("Commune police")
        COMMUNE_COMMITTEE = "commune_committee", _("Commune People's Committee")
        PROVINCE_COMMITTEE = "province_committee", _("Provincial People's Committee")
        FATHERLAND_FRONT = "fatherland_front", _("Fatherland Front")
        WOMENS_UNION = "womens_union", _("Women's Union")
        YOUTH_UNION = "youth_union", _("Youth Union")
        VETERANS = "veterans", _("Veterans' Association")
        FARMERS_UNION = "farmers_union", _("Farmers' Union")
        RELIGIOUS_PARTNER = "religious_partner", _("Religious partner")
        LOAN_FUND = "loan_fund", _("Revolving loan fund")
        DETENTION_FACILITY = "detention_facility", _("Detention facility")
        EMPLOYER = "employer", _("Employer")
        TRAINING_INSTITUTION = "training_institution", _("Training institution")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="+", verbose_name=_("province")
    )
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("commune")
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    # fold(name): lets "hoi phu nu" find "Hội Phụ nữ" in any database, without an unaccent extension.
    name_folded = models.CharField(max_length=255, db_index=True, editable=False, default="")

    area_fields = AreaFields(province="province", commune="commune")
    audited = True

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["province_id", "commune_id", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "name", "province", "commune"], name="access_org_unique_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("access:organisation-detail", args=[self.pk])

    def clean(self) -> None:
        if self.commune_id and self.province_id and self.commune.province_id != self.province_id:
            raise ValidationError({"commune": _("The commune is not in the chosen province.")})

    def save(self, *args, **kwargs) -> None:
        self.name_folded = fold(self.name)
        kwargs["update_fields"] = _with_key(kwargs.get("update_fields"), {"name"}, "name_folded")
        super().save(*args, **kwargs)


def _with_key(update_fields, sources: set[str], key: str):
    """``update_fields`` plus the derived search key when one of its sources is being saved."""
    if update_fields is None:
        return None
    fields = set(update_fields)
    return fields | {key} if fields & sources else fields


class User(AbstractUser):
    """A person who signs in. There is no e-mail on these networks: administrators reset passwords."""

    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("organisation"),
    )
    must_change_password = models.BooleanField(_("must change password"), default=False)
    # fold(full name + username), for the account search.
    name_folded = models.CharField(max_length=300, db_index=True, editable=False, default="")

    # An account sits in the unit of its organisation. Its role grants widen the accounts an
    # administrator may manage: see ``selectors.user_list``.
    area_fields = AreaFields(province="organisation__province", commune="organisation__commune")
    audited = True

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_absolute_url(self) -> str:
        return reverse("access:user-detail", args=[self.pk])

    def save(self, *args, **kwargs) -> None:
        self.name_folded = fold(f"{self.full_name} {self.username}")
        kwargs["update_fields"] = _with_key(
            kwargs.get("update_fields"), {"full_name", "username"}, "name_folded"
        )
        super().save(*args, **kwargs)

    def audit_area(self) -> tuple[int | None, int | None]:
        """An account's audit entries belong to the unit of its organisation."""
        if self.organisation_id is None:
            return None, None
        org = self.organisation
        return org.province_id, org.commune_id

    def active_assignments(self, on: dt.date | None = None) -> list[RoleAssignment]:
        """Role grants in force on ``on`` (today by default), cached on the instance."""
        on = on or timezone.localdate()
        cache = self.__dict__.setdefault("_assignments_cache", {})
        if on not in cache:
            cache[on] = list(
                self.role_assignments.filter(starts_on__lte=on)
                .filter(models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=on))
                .select_related("province", "commune", "organisation")
            )
        return cache[on]

    def clear_access_cache(self) -> None:
        self.__dict__.pop("_assignments_cache", None)
        self.__dict__.pop("_scope_cache", None)

    @property
    def needs_two_factor(self) -> bool:
        return any(ROLE_SPECS[a.role].needs_two_factor for a in self.active_assignments())


class RoleAssignment(TimeStampedModel):
    """A role granted to an account on a unit (area roles) or through an organisation.

    Area roles cover the unit and everything below it: a grant on a province covers all its
    communes. The grant runs from ``starts_on`` to ``ends_on`` (inclusive; open-ended when empty).
    """

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="role_assignments", verbose_name=_("account")
    )
    role = models.CharField(_("role"), max_length=40, choices=Role.choices)
    province = models.ForeignKey(
        Province,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("province"),
    )
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("commune")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=_("organisation"),
    )
    starts_on = models.DateField(_("starts on"), default=timezone.localdate)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)

    area_fields = AreaFields(province="province", commune="commune")
    audited = True

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        ordering = ["user_id", "role"]

    def __str__(self) -> str:
        unit = self.commune or self.province or self.organisation or _("whole country")
        return f"{self.get_role_display()} — {unit}"

    def clean(self) -> None:
        scoping = ROLE_SPECS[self.role].scoping if self.role in ROLE_SPECS else None
        errors: dict[str, str] = {}
        if scoping == Scoping.GLOBAL:
            if self.province_id or self.commune_id:
                errors["province"] = _(
                    "A system administrator covers the whole country; leave the unit empty."
                )
        elif scoping == Scoping.PROVINCE:
            if not self.province_id:
                errors["province"] = _("This role is granted on a province.")
            if self.commune_id:
                errors["commune"] = _("This role is granted on a province, not on a commune.")
        elif scoping == Scoping.COMMUNE:
            if not self.commune_id:
                errors["commune"] = _("This role is granted on a commune.")
        elif scoping in {Scoping.ASSIGNMENT, Scoping.FUND, Scoping.FACILITY} and not self.organisation_id:
            errors["organisation"] = _("This role is granted through an organisation.")
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("The end date is before the start date.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs) -> None:
        # Keep the province filled for commune and organisation grants: scoping filters on it.
        if self.commune_id and not self.province_id:
            self.province_id = Commune.objects.values_list("province_id", flat=True).get(pk=self.commune_id)
        if self.organisation_id and not self.province_id and ROLE_SPECS[self.role].scoping != Scoping.GLOBAL:
            self.province_id = self.organisation.province_id
        super().save(*args, **kwargs)
