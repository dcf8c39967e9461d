"""Every kind of help given: to returnees, to their relatives, and to the children of people in prison.

* ``SupportKind`` and ``FundingSource`` are catalogues (administrators add rows; the seeded codes
  never change, reports count by them).
* ``SupportAction`` is one act of help: who received it (a person, a relative of a person, or a
  child), what, when, from whom, through which community model, worth how much and paid by whom,
  with its evidence (``SupportEvidence``) and, for a job, the employment follow-ups.
* ``Child`` is a child of a person in prison or released. Children are police-side records: their
  ``area_fields`` never name the parent, so a helper assigned to the parent does not see them.
* ``PolicyBankReferral`` is a referral to the policy bank under Decision 22/2023/QĐ-TTg, with the
  eligibility checked at referral and the bank's decision.
* ``Form01List`` / ``Form01Entry`` are a commune's list of people eligible for policy-bank credit
  (Form No. 01 of Decision 22/2023), prepared by commune police and certified by the commune
  People's Committee.

Who sees what is written in docs/support.md and enforced by ``hoanhap.support.selectors``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from hoanhap.access.models import AreaFields, Organisation
from hoanhap.core.models import TimeStampedModel, VersionedModel
from hoanhap.core.text import fold
from hoanhap.geo.models import Commune, Province

# Rows about a person (or a relative of one) sit in the person's unit and open to their helpers.
PERSON_AREA = AreaFields(province="person__province", commune="person__commune", person="person")


class _Catalogue(TimeStampedModel):
    """A catalogue row named in Vietnamese and in English; ``code`` is stable and used by reports."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=150)
    name_en = models.CharField(_("name (English)"), max_length=150)
    is_active = models.BooleanField(_("in use"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    audited = True

    class Meta:
        abstract = True
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name in the active language (Vietnamese unless English is active)."""
        language = (translation.get_language() or "vi")[:2]
        return self.name_en if language == "en" and self.name_en else self.name_vi


class SupportKind(_Catalogue):
    """A kind of support (vocational training, a policy-bank loan, a gift in kind, …).

    ``value_basis`` says how its value is usually stated; ``asks_item`` asks for the item given (a
    bicycle, notebooks); ``tracks_employment`` asks for the employer and the 3/6/12-month follow-ups.
    """

    class Basis(models.TextChoices):
        CASH = "cash", _("Cash amount")
        ESTIMATE = "estimate", _("Estimated value of goods or services")
        NONE = "none", _("No value in money")

    description = models.TextField(_("description"), blank=True)
    legal_reference = models.CharField(_("legal reference"), max_length=255, blank=True)
    value_basis = models.CharField(
        _("usual value basis"), max_length=10, choices=Basis.choices, default=Basis.CASH
    )
    asks_item = models.BooleanField(_("asks for the item given"), default=False)
    tracks_employment = models.BooleanField(_("follows up employment"), default=False)

    class Meta(_Catalogue.Meta):
        verbose_name = _("support kind")
        verbose_name_plural = _("support kinds")


class FundingSource(_Catalogue):
    """Who paid for a support action (state budget, the facility's fund, donors, …)."""

    class Meta(_Catalogue.Meta):
        verbose_name = _("funding source")
        verbose_name_plural = _("funding sources")


class Child(TimeStampedModel, VersionedModel):
    """A child of a person in prison or released, in the unit where the child lives.

    The parent may be in prison or back home: the link stays either way. ``area_fields`` name the
    child's own unit and deliberately not the parent, so that helpers assigned to the parent never
    see the child; the organisations that supported the child see it (see selectors.child_scope).
    """

    class Sex(models.TextChoices):
        MALE = "male", _("Male")
        FEMALE = "female", _("Female")

    class ParentRelation(models.TextChoices):
        FATHER = "father", _("Father")
        MOTHER = "mother", _("Mother")
        OTHER = "other", _("Other")

    parent = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="support_children", verbose_name=_("parent")
    )
    parent_relation = models.CharField(
        _("the parent is the child's"), max_length=10, choices=ParentRelation.choices, default="father"
    )
    full_name = models.CharField(_("full name"), max_length=150)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices, blank=True)
    school = models.CharField(_("school"), max_length=255, blank=True)
    grade = models.CharField(_("grade"), max_length=20, blank=True, help_text=_("For example: 5, 10A2."))
    guardian_name = models.CharField(_("guardian"), max_length=150, blank=True)
    guardian_relation = models.CharField(
        _("guardian's relation to the child"), max_length=60, blank=True, help_text=_("For example: mother.")
    )
    guardian_phone = models.CharField(_("guardian's phone"), max_length=30, blank=True)
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="+", verbose_name=_("province")
    )
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("commune")
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    note = models.TextField(_("note"), blank=True)
    name_folded = models.CharField(max_length=150, editable=False, default="", db_index=True)

    area_fields = AreaFields(province="province", commune="commune")  # never person=: see the docstring
    audited = True

    class Meta:
        verbose_name = _("child")
        verbose_name_plural = _("children")
        ordering = ["full_name", "pk"]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs) -> None:
        self.name_folded = fold(self.full_name)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("support:child-detail", args=[self.pk])


class SupportAction(TimeStampedModel, VersionedModel):
    """One act of help, to a person, to a relative of a person, or to a child.

    Exactly one beneficiary: ``person`` alone (the returnee), ``person`` + ``relative`` (a relative
    of that person), or ``child`` alone (then ``person`` stays empty, so that the parent's helpers
    do not see it: a child's support follows the child's visibility).

    ``value`` is in đồng; ``value_basis`` says whether it is cash paid or an estimate of goods or
    services. ``community_model_name`` is free text until the community-models catalogue exists; a
    foreign key ``community_model`` will replace it.
    """

    class Basis(models.TextChoices):
        CASH = "cash", _("Cash paid")
        ESTIMATE = "estimate", _("Estimated value (in kind)")

    kind = models.ForeignKey(SupportKind, on_delete=models.PROTECT, related_name="+", verbose_name=_("kind"))
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="support_actions",
        verbose_name=_("person"),
        db_index=False,  # the first column of an index below: its own index would be one more to update
    )
    relative = models.ForeignKey(
        "people.Relative",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="support_actions",
        verbose_name=_("relative"),
    )
    child = models.ForeignKey(
        Child,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="support_actions",
        verbose_name=_("child"),
        db_index=False,  # the first column of an index below: its own index would be one more to update
    )
    given_on = models.DateField(_("date"))
    provider = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("provider organisation"),
    )
    community_model_name = models.CharField(
        _("community model"),
        max_length=255,
        blank=True,
        help_text=_("The community model the support came through, if any (free text for now)."),
    )
    value = models.BigIntegerField(_("value (đồng)"), null=True, blank=True)
    value_basis = models.CharField(_("value basis"), max_length=10, choices=Basis.choices, default=Basis.CASH)
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    item = models.CharField(
        _("item"),
        max_length=150,
        blank=True,
        help_text=_("For a gift in kind: bicycle, notebooks, Tết gift, …"),
    )
    funding_source = models.ForeignKey(
        FundingSource,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("funding source"),
    )
    description = models.TextField(_("description"), blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    employer = models.CharField(_("employer"), max_length=255, blank=True)
    job_start_on = models.DateField(_("job started on"), null=True, blank=True)
    employed_3m = models.BooleanField(_("still employed after 3 months"), null=True, blank=True)
    employed_6m = models.BooleanField(_("still employed after 6 months"), null=True, blank=True)
    employed_12m = models.BooleanField(_("still employed after 12 months"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    area_fields = PERSON_AREA
    audited = True

    class Meta:
        verbose_name = _("support action")
        verbose_name_plural = _("support actions")
        ordering = ["-given_on", "-pk"]
        indexes = [
            models.Index(fields=["person", "-given_on"], name="support_action_person_date"),
            models.Index(fields=["child", "-given_on"], name="support_action_child_date"),
            models.Index(fields=["given_on"], name="support_action_date"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(child__isnull=True) & Q(person__isnull=False))
                | (Q(child__isnull=False) & Q(person__isnull=True) & Q(relative__isnull=True)),
                name="support_action_one_beneficiary",
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=0), name="support_action_value_not_negative"
            ),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="support_action_quantity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} — {self.beneficiary_name} ({self.given_on:%d/%m/%Y})"

    def get_absolute_url(self) -> str:
        return reverse("support:action-detail", args=[self.pk])

    def audit_area(self) -> tuple[int | None, int | None]:
        if self.child_id:
            return self.child.province_id, self.child.commune_id
        return self.person.province_id, self.person.commune_id

    @property
    def beneficiary_type(self) -> str:
        if self.child_id:
            return "child"
        return "relative" if self.relative_id else "person"

    @property
    def beneficiary_name(self) -> str:
        if self.child_id:
            return self.child.full_name
        if self.relative_id:
            return self.relative.full_name
        return self.person.full_name if self.person_id else ""

    @property
    def beneficiary_type_display(self) -> str:
        return str(
            {"child": _("child"), "relative": _("relative"), "person": _("person")}[self.beneficiary_type]
        )


class SupportEvidence(TimeStampedModel):
    """A file that proves a support action (a signed receipt, a photo, a decision)."""

    action = models.ForeignKey(
        SupportAction, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("support action")
    )
    file = models.FileField(_("file"), upload_to="support/evidence/%Y/")
    description = models.CharField(_("description"), max_length=255, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )

    area_fields = AreaFields(
        province="action__person__province", commune="action__person__commune", person="action__person"
    )
    audited = True

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["action_id", "pk"]

    def __str__(self) -> str:
        return self.description or self.file.name.rsplit("/", 1)[-1]

    def audit_area(self) -> tuple[int | None, int | None]:
        return self.action.audit_area()


class PolicyBankReferral(TimeStampedModel, VersionedModel):
    """A referral of a person to the policy bank (VBSP) under Decision 22/2023/QĐ-TTg.

    The eligibility checks are run and stored (``eligibility``) when the referral is made; a
    referral is only made when they pass. The bank decides; an approval records the amount and
    creates the ``policy_bank_loan`` support action. ``repaid_on`` closes the loan: until then it is
    outstanding debt for the same purpose (Art. 3(3)). Police-side: helpers do not see referrals,
    only the resulting support action.
    """

    class Purpose(models.TextChoices):
        TRAINING = "training", _("Vocational training")
        BUSINESS = "business", _("Production, business, job creation")

    class Status(models.TextChoices):
        REFERRED = "referred", _("Awaiting the bank's decision")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        related_name="policy_bank_referrals",
        verbose_name=_("person"),
    )
    purpose = models.CharField(_("purpose"), max_length=10, choices=Purpose.choices)
    amount = models.BigIntegerField(_("amount requested (đồng)"))
    months = models.PositiveSmallIntegerField(
        _("months of training"), null=True, blank=True, help_text=_("For a training loan: months of study.")
    )
    referred_on = models.DateField(_("referred on"))
    eligibility = models.JSONField(_("eligibility checks"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.REFERRED)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decision_reference = models.CharField(_("bank's reference"), max_length=100, blank=True)
    approved_amount = models.BigIntegerField(_("amount approved (đồng)"), null=True, blank=True)
    decision_note = models.TextField(_("note on the decision"), blank=True)
    repaid_on = models.DateField(_("repaid on"), null=True, blank=True)
    support_action = models.OneToOneField(
        SupportAction,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referral",
        verbose_name=_("support action"),
    )
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("referred by"),
    )

    # No person=: the referral carries release facts (certificate, dates): police side only.
    area_fields = AreaFields(province="person__province", commune="person__commune")
    audited = True

    class Meta:
        verbose_name = _("policy-bank referral")
        verbose_name_plural = _("policy-bank referrals")
        ordering = ["-referred_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="support_referral_amount_positive"),
            models.CheckConstraint(
                condition=Q(approved_amount__isnull=True) | Q(approved_amount__gt=0),
                name="support_referral_approved_positive",
            ),
        ]

    def __str__(self) -> str:
        return _("Referral of {name} on {date}").format(
            name=self.person.full_name, date=self.referred_on.strftime("%d/%m/%Y")
        )

    def get_absolute_url(self) -> str:
        return reverse("support:referral-detail", args=[self.pk])

    def audit_area(self) -> tuple[int | None, int | None]:
        return self.person.province_id, self.person.commune_id


class Form01List(TimeStampedModel, VersionedModel):
    """A commune's list of people eligible for policy-bank credit (Decision 22/2023, Form No. 01).

    Prepared by commune police from the records (``services.form01_generate``); entries may be left
    out with a reason while it is a draft; certified by the commune People's Committee, after which
    it no longer changes. The printed layout is provisional (the official form was not available).
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        CERTIFIED = "certified", _("Certified")

    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="+", verbose_name=_("province")
    )
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="+", verbose_name=_("commune")
    )
    prepared_on = models.DateField(_("prepared on"))
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("prepared by"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    certified_on = models.DateField(_("certified on"), null=True, blank=True)
    certified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("certified by"),
    )
    certificate_reference = models.CharField(_("certification reference"), max_length=100, blank=True)
    note = models.TextField(_("note"), blank=True)

    area_fields = AreaFields(province="province", commune="commune")
    audited = True

    class Meta:
        verbose_name = _("Form 01 list")
        verbose_name_plural = _("Form 01 lists")
        ordering = ["-prepared_on", "-pk"]

    def __str__(self) -> str:
        return _("Form 01 of {commune}, {date}").format(
            commune=self.commune.name, date=self.prepared_on.strftime("%d/%m/%Y")
        )

    def get_absolute_url(self) -> str:
        return reverse("support:form01-detail", args=[self.pk])

    @property
    def is_certified(self) -> bool:
        return self.status == self.Status.CERTIFIED


class Form01Entry(models.Model):
    """One person on a Form 01 list, with the facts copied when the list was prepared."""

    list = models.ForeignKey(
        Form01List,
        on_delete=models.CASCADE,
        related_name="entries",
        verbose_name=_("list"),
        db_index=False,  # the first column of an index below: its own index would be one more to update
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="form01_entries", verbose_name=_("person")
    )
    position = models.PositiveIntegerField(_("number"), default=0)
    full_name = models.CharField(_("full name"), max_length=150)
    birth = models.CharField(_("born"), max_length=20, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    release_date = models.DateField(_("release date"), null=True, blank=True)
    completed_on = models.DateField(_("sentence completed on"), null=True, blank=True)
    certificate_number = models.CharField(_("certificate number"), max_length=60, blank=True)
    certificate_date = models.DateField(_("certificate date"), null=True, blank=True)
    included = models.BooleanField(_("included"), default=True)
    exclusion_reason = models.CharField(_("reason for leaving out"), max_length=255, blank=True)

    area_fields = AreaFields(province="list__province", commune="list__commune")
    audited = True

    class Meta:
        verbose_name = _("Form 01 entry")
        verbose_name_plural = _("Form 01 entries")
        ordering = ["list_id", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["list", "person"], name="support_form01_one_entry_per_person"),
        ]

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("support:form01-detail", args=[self.list_id])
