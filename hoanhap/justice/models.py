"""Judgments and releases: the facts from which the legal dates of a person are computed.

* ``Offence`` is the catalogue of the Criminal Code 2015 (articles of Chapters XIII–XXVI), with the
  severity class of the basic crime (clause 1) and its usual intent; a judgment line may override both,
  because the class depends on the clause applied (Criminal Code Art. 9).
* ``Judgment`` holds the main penalty pronounced and its execution dates; ``JudgmentOffence``,
  ``AdditionalPenalty`` and ``Obligation`` are its lines.
* ``Release`` records the day a person left a detention facility, how (end of term, amnesty,
  conditional release) and the certificate issued (Law on Execution of Criminal Judgments Art. 46).

The expungement date and the recidivism class are never stored: they are computed from these rows by
``hoanhap.justice.legal_status`` with the rules of ``hoanhap.justice.rules``. A judgment, its lines
and a release sit in the area of their person (``area_fields``); every write goes through
``hoanhap.justice.services``.
"""

from __future__ import annotations

import datetime as dt

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from hoanhap.access.models import AreaFields, Organisation
from hoanhap.core.models import TimeStampedModel, VersionedModel
from hoanhap.core.templatetags.vn import vnd
from hoanhap.core.text import fold
from hoanhap.justice.rules.dates import Term
from hoanhap.justice.rules.explain import show_term
from hoanhap.justice.rules.tables import (
    ADDITIONAL_PENALTY_TYPES,
    CHAPTERS,
    INTENTS,
    MAIN_PENALTY_TYPES,
    SEVERITIES,
)

PERSON_AREA = AreaFields(province="person__province", commune="person__commune")
JUDGMENT_AREA = AreaFields(province="judgment__person__province", commune="judgment__person__commune")

CHAPTER_CHOICES = [(number, roman) for number, (roman, _name) in CHAPTERS.items()]
SEVERITY_CHOICES = list(SEVERITIES.items())
INTENT_CHOICES = list(INTENTS.items())
# Main penalties served in a detention facility: only they end with a release.
CUSTODIAL_PENALTIES = frozenset({"imprisonment", "life_imprisonment", "death_commuted"})
# Main penalties with a length in years, months and days.
PENALTIES_WITH_TERM = frozenset({"imprisonment", "suspended_imprisonment", "non_custodial_reform"})


class Offence(TimeStampedModel):
    """One article (optionally one clause) of the special part of the Criminal Code 2015.

    ``severity`` is the class of the basic crime (the bracket of clause 1, Criminal Code Art. 9:
    up to 3 years less serious, up to 7 serious, up to 15 very serious, beyond particularly
    serious); the clause a court applies may put a conviction in a higher class, which the judgment
    line records. ``intent`` is the usual form of guilt of the crime.
    """

    article = models.PositiveSmallIntegerField(
        _("article"), validators=[MinValueValidator(108), MaxValueValidator(426)]
    )
    clause = models.CharField(_("clause"), max_length=10, blank=True)
    name = models.CharField(_("name"), max_length=255, help_text=_("As written in the Criminal Code."))
    chapter = models.PositiveSmallIntegerField(_("chapter"), choices=CHAPTER_CHOICES)
    severity = models.CharField(_("severity class"), max_length=30, choices=SEVERITY_CHOICES)
    intent = models.CharField(_("intent"), max_length=20, choices=INTENT_CHOICES, default="intentional")
    is_active = models.BooleanField(_("in use"), default=True)
    name_folded = models.CharField(max_length=255, editable=False, db_index=True, default="")

    audited = True

    class Meta:
        verbose_name = _("offence")
        verbose_name_plural = _("offences")
        ordering = ["article", "clause"]
        constraints = [
            models.UniqueConstraint(fields=["article", "clause"], name="justice_offence_unique_article"),
            models.CheckConstraint(
                condition=Q(chapter__gte=13, chapter__lte=26), name="justice_offence_chapter_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.name}"

    def save(self, *args, **kwargs) -> None:
        self.name_folded = fold(self.name)
        super().save(*args, **kwargs)

    @property
    def reference(self) -> str:
        """'Đ.173' or 'Đ.134 k.1' (Vietnamese abbreviations of article and clause)."""
        return f"Đ.{self.article}" + (f" k.{self.clause}" if self.clause else "")

    @property
    def chapter_roman(self) -> str:
        return CHAPTERS[self.chapter][0]

    @property
    def chapter_name(self) -> object:
        return CHAPTERS[self.chapter][1]


class Judgment(TimeStampedModel, VersionedModel):
    """A criminal judgment against a person: the court, the main penalty and when it was served.

    ``main_penalty_completed_on`` is entered when known (the day the term ended, the fine was paid,
    the probation of a suspended sentence ended); when left empty the legal-status computation uses
    the release recorded for this judgment, or works it out from the start and the term.
    """

    class PenaltyType(models.TextChoices):
        WARNING = "warning", MAIN_PENALTY_TYPES["warning"]
        FINE = "fine", MAIN_PENALTY_TYPES["fine"]
        NON_CUSTODIAL_REFORM = "non_custodial_reform", MAIN_PENALTY_TYPES["non_custodial_reform"]
        SUSPENDED = "suspended_imprisonment", MAIN_PENALTY_TYPES["suspended_imprisonment"]
        IMPRISONMENT = "imprisonment", MAIN_PENALTY_TYPES["imprisonment"]
        LIFE = "life_imprisonment", MAIN_PENALTY_TYPES["life_imprisonment"]
        DEATH_COMMUTED = "death_commuted", MAIN_PENALTY_TYPES["death_commuted"]

    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        related_name="judgments",
        verbose_name=_("person"),
        db_index=False,  # the first column of an index below: its own index would be one more to update
    )
    court_name = models.CharField(_("court"), max_length=255)
    judgment_number = models.CharField(_("judgment number"), max_length=60)
    judgment_date = models.DateField(_("judgment date"))
    is_final = models.BooleanField(
        _("final"), default=True, help_text=_("The judgment has taken legal effect (no appeal pending).")
    )
    offence_committed_on = models.DateField(_("offence committed on"))
    main_penalty_type = models.CharField(_("main penalty"), max_length=30, choices=PenaltyType.choices)
    main_penalty_years = models.PositiveSmallIntegerField(_("years"), default=0)
    main_penalty_months = models.PositiveSmallIntegerField(_("months"), default=0)
    main_penalty_days = models.PositiveSmallIntegerField(_("days"), default=0)
    fine_amount = models.BigIntegerField(_("fine (đồng)"), null=True, blank=True)
    probation_years = models.PositiveSmallIntegerField(_("probation years"), default=0)
    probation_months = models.PositiveSmallIntegerField(_("probation months"), default=0)
    main_penalty_started_on = models.DateField(_("main penalty started on"), null=True, blank=True)
    main_penalty_completed_on = models.DateField(_("main penalty completed on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    area_fields = PERSON_AREA
    audited = True

    class Meta:
        verbose_name = _("judgment")
        verbose_name_plural = _("judgments")
        ordering = ["person_id", "judgment_date", "pk"]
        indexes = [models.Index(fields=["person", "judgment_date"], name="justice_judgment_person_date")]
        constraints = [
            models.CheckConstraint(
                condition=Q(offence_committed_on__lte=F("judgment_date")),
                name="justice_judgment_offence_before_judgment",
            ),
            models.CheckConstraint(
                condition=Q(main_penalty_started_on__isnull=True)
                | Q(main_penalty_completed_on__isnull=True)
                | Q(main_penalty_completed_on__gte=F("main_penalty_started_on")),
                name="justice_judgment_completed_after_start",
            ),
            models.CheckConstraint(
                condition=Q(fine_amount__isnull=True) | Q(fine_amount__gte=0),
                name="justice_judgment_fine_not_negative",
            ),
        ]

    # Its text; a writer of thousands translates the pattern once and calls ``text``.
    TEXT = gettext_noop("Judgment {number} of {date}")

    def __str__(self) -> str:
        return self.text(gettext(self.TEXT), self.judgment_number, self.judgment_date)

    @staticmethod
    def text(pattern: str, number: str, date: dt.date) -> str:
        return pattern.format(number=number, date=date.strftime("%d/%m/%Y"))

    def get_absolute_url(self) -> str:
        return reverse("justice:judgment-detail", args=[self.pk])

    def audit_area(self) -> tuple[int | None, int | None]:
        return self.person.province_id, self.person.commune_id

    @property
    def term(self) -> Term:
        return Term(self.main_penalty_years, self.main_penalty_months, self.main_penalty_days)

    @property
    def probation(self) -> Term:
        return Term(self.probation_years, self.probation_months, 0)

    @property
    def main_penalty_display(self) -> str:
        """'imprisonment of 3 years', 'suspended imprisonment of 2 years, probation of 4 years', 'fine of 5.000.000 đ'."""
        label = self.get_main_penalty_type_display()
        if self.main_penalty_type == self.PenaltyType.FINE and self.fine_amount:
            return _("{penalty} of {amount}").format(penalty=label, amount=vnd(self.fine_amount))
        if not self.has_term or self.term.is_zero:
            return str(label)
        text = _("{penalty} of {term}").format(penalty=label, term=show_term(self.term))
        if self.main_penalty_type == self.PenaltyType.SUSPENDED and not self.probation.is_zero:
            text = _("{penalty}, probation of {term}").format(penalty=text, term=show_term(self.probation))
        return text

    @property
    def is_custodial(self) -> bool:
        return self.main_penalty_type in CUSTODIAL_PENALTIES

    @property
    def has_term(self) -> bool:
        return self.main_penalty_type in PENALTIES_WITH_TERM


class JudgmentOffence(models.Model):
    """An offence the person was convicted of by the judgment, under a clause of its article.

    ``severity`` and ``intent`` are left empty to take the catalogue's values; the clause applied
    may place the conviction in another class than the basic crime.
    """

    judgment = models.ForeignKey(
        Judgment, on_delete=models.CASCADE, related_name="offences", verbose_name=_("judgment")
    )
    offence = models.ForeignKey(
        Offence, on_delete=models.PROTECT, related_name="+", verbose_name=_("offence")
    )
    clause = models.CharField(_("clause applied"), max_length=20, blank=True)
    severity = models.CharField(
        _("severity class"),
        max_length=30,
        choices=SEVERITY_CHOICES,
        blank=True,
        help_text=_("Empty: the class of the basic crime in the catalogue."),
    )
    intent = models.CharField(
        _("intent"),
        max_length=20,
        choices=INTENT_CHOICES,
        blank=True,
        help_text=_("Empty: as in the catalogue."),
    )

    area_fields = JUDGMENT_AREA
    audited = True

    class Meta:
        verbose_name = _("offence of a judgment")
        verbose_name_plural = _("offences of a judgment")
        ordering = ["judgment_id", "pk"]

    def __str__(self) -> str:
        clause = _(" clause {clause}").format(clause=self.clause) if self.clause else ""
        return f"{self.offence}{clause}"

    def audit_area(self) -> tuple[int | None, int | None]:
        return self.judgment.audit_area()

    @property
    def effective_severity(self) -> str:
        return self.severity or self.offence.severity

    @property
    def effective_intent(self) -> str:
        return self.intent or self.offence.intent

    def get_effective_severity_display(self) -> object:
        return SEVERITIES[self.effective_severity]

    def get_effective_intent_display(self) -> object:
        return INTENTS[self.effective_intent]


class AdditionalPenalty(models.Model):
    """An additional penalty of the judgment (Criminal Code Art. 32(2)), with when it ran.

    A probation (quản chế), residence ban, position ban or deprivation of civic rights that runs
    longer than the expungement period moves the date to its completion (Art. 70(2), last paragraph).
    """

    class Type(models.TextChoices):
        PROBATION_SUPERVISION = "probation_supervision", ADDITIONAL_PENALTY_TYPES["probation_supervision"]
        RESIDENCE_BAN = "residence_ban", ADDITIONAL_PENALTY_TYPES["residence_ban"]
        POSITION_BAN = "position_ban", ADDITIONAL_PENALTY_TYPES["position_ban"]
        CIVIC_RIGHTS_DEPRIVATION = (
            "civic_rights_deprivation",
            ADDITIONAL_PENALTY_TYPES["civic_rights_deprivation"],
        )
        FINE = "fine", ADDITIONAL_PENALTY_TYPES["fine"]
        CONFISCATION = "confiscation", ADDITIONAL_PENALTY_TYPES["confiscation"]

    judgment = models.ForeignKey(
        Judgment, on_delete=models.CASCADE, related_name="additional_penalties", verbose_name=_("judgment")
    )
    type = models.CharField(_("additional penalty"), max_length=30, choices=Type.choices)
    term_years = models.PositiveSmallIntegerField(_("years"), default=0)
    term_months = models.PositiveSmallIntegerField(_("months"), default=0)
    amount = models.BigIntegerField(_("amount (đồng)"), null=True, blank=True)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)

    area_fields = JUDGMENT_AREA
    audited = True

    class Meta:
        verbose_name = _("additional penalty")
        verbose_name_plural = _("additional penalties")
        ordering = ["judgment_id", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True)
                | Q(completed_on__isnull=True)
                | Q(completed_on__gte=F("starts_on")),
                name="justice_additional_completed_after_start",
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0),
                name="justice_additional_amount_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return str(self.get_type_display())

    def audit_area(self) -> tuple[int | None, int | None]:
        return self.judgment.audit_area()

    @property
    def term(self) -> Term:
        return Term(self.term_years, self.term_months, 0)

    @property
    def term_display(self) -> str:
        return "" if self.term.is_zero else show_term(self.term)


class Obligation(models.Model):
    """Something else the judgment ordered: court fees, compensation, a fine, another payment.

    Until every obligation is completed the record cannot be expunged (Art. 70(2)); the latest
    completion counts as the day "the other decisions of the judgment" were completed.
    """

    class Kind(models.TextChoices):
        COURT_FEE = "court_fee", _("court fee")
        COMPENSATION = "compensation", _("compensation")
        FINE = "fine", _("fine")
        OTHER = "other", _("other")

    judgment = models.ForeignKey(
        Judgment, on_delete=models.CASCADE, related_name="obligations", verbose_name=_("judgment")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    description = models.CharField(_("description"), max_length=255, blank=True)
    amount_due = models.BigIntegerField(_("amount due (đồng)"), default=0)
    amount_paid = models.BigIntegerField(_("amount paid (đồng)"), default=0)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)

    area_fields = JUDGMENT_AREA
    audited = True

    class Meta:
        verbose_name = _("obligation")
        verbose_name_plural = _("obligations")
        ordering = ["judgment_id", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_due__gte=0) & Q(amount_paid__gte=0), name="justice_obligation_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.description or str(self.get_kind_display())

    def audit_area(self) -> tuple[int | None, int | None]:
        return self.judgment.audit_area()

    @property
    def outstanding(self) -> int:
        return max(self.amount_due - self.amount_paid, 0)


class Release(TimeStampedModel, VersionedModel):
    """A person's release from a detention facility under a judgment.

    The release date of a completed term is the last day of the term; the certificate of completion
    (or the amnesty certificate) is what makes the person eligible for management and for loans
    (LTHAHS 2019 Art. 46(2); Decision 22/2023 Art. 3(1)). A conditionally released person is on
    probation until ``probation_ends_on``, which then counts as the completion of the main penalty.
    """

    class Kind(models.TextChoices):
        COMPLETED_TERM = "completed_term", _("term completed")
        AMNESTY = "amnesty", _("special amnesty")
        CONDITIONAL_RELEASE = "conditional_release", _("conditional early release")

    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        related_name="releases",
        verbose_name=_("person"),
        db_index=False,  # the first column of an index below: its own index would be one more to update
    )
    judgment = models.ForeignKey(
        Judgment, on_delete=models.PROTECT, related_name="releases", verbose_name=_("judgment")
    )
    facility = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": Organisation.Kind.DETENTION_FACILITY},
        verbose_name=_("detention facility"),
    )
    release_date = models.DateField(_("release date"))
    kind = models.CharField(_("kind of release"), max_length=30, choices=Kind.choices)
    amnesty_decision_number = models.CharField(_("amnesty decision number"), max_length=60, blank=True)
    amnesty_decision_date = models.DateField(_("amnesty decision date"), null=True, blank=True)
    probation_ends_on = models.DateField(_("probation ends on"), null=True, blank=True)
    certificate_number = models.CharField(_("certificate number"), max_length=60, blank=True)
    certificate_date = models.DateField(_("certificate date"), null=True, blank=True)
    allowance_amount = models.BigIntegerField(
        _("allowance received (đồng)"),
        null=True,
        blank=True,
        help_text=_("Money received from the facility's Community Reintegration Fund."),
    )
    note = models.TextField(_("note"), blank=True)

    area_fields = PERSON_AREA
    audited = True

    class Meta:
        verbose_name = _("release")
        verbose_name_plural = _("releases")
        ordering = ["person_id", "release_date", "pk"]
        indexes = [models.Index(fields=["person", "release_date"], name="justice_release_person_date")]
        constraints = [
            models.CheckConstraint(
                condition=Q(allowance_amount__isnull=True) | Q(allowance_amount__gte=0),
                name="justice_release_allowance_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(probation_ends_on__isnull=True) | Q(probation_ends_on__gt=F("release_date")),
                name="justice_release_probation_after_release",
            ),
        ]

    TEXT = gettext_noop("Release of {date}")  # as ``Judgment.TEXT``

    def __str__(self) -> str:
        return self.text(gettext(self.TEXT), self.release_date)

    @staticmethod
    def text(pattern: str, date: dt.date) -> str:
        return pattern.format(date=date.strftime("%d/%m/%Y"))

    def get_absolute_url(self) -> str:
        return reverse("justice:release-detail", args=[self.pk])

    def audit_area(self) -> tuple[int | None, int | None]:
        return self.person.province_id, self.person.commune_id

    @property
    def completes_main_penalty_on(self) -> dt.date | None:
        """The day the main penalty counts as completed because of this release.

        A completed term ends on the release day; an amnestied person is exempted from the rest and
        counts as having completed it (Criminal Code Art. 73(4)); a conditionally released person
        completes it when the probation ends.
        """
        if self.kind == self.Kind.CONDITIONAL_RELEASE:
            return self.probation_ends_on
        return self.release_date
