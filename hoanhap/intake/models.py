"""Intake and the management lifecycle: notices, reception, events, classification, transfers, end.

Every row here is written by one service of ``hoanhap.intake.services``; the services keep
``Person.status`` and the person's current commune. Each model says in which unit it sits
(``area_fields``), so that ``hoanhap.access.policy`` scopes it like everything else:

* a release notice sits in the commune it names as the expected residence (the facility that sent
  it sees it through its organisation, see ``selectors.notice_list``);
* a reception, a management event and the end of management sit where they happened;
* a classification sits with the person;
* a transfer sits in the sending commune, and the receiving commune sees it too once it is sent.

``ManagementEvent`` is the table period summaries count: every event stores the province and
commune where it happened, so that a later move does not rewrite history.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hoanhap.access.models import AreaFields
from hoanhap.core.models import TimeStampedModel, VersionedModel


class ReleaseKind(models.TextChoices):
    """How the person leaves (or left) the detention facility; same codes as ``justice.Release``."""

    COMPLETED_TERM = "completed_term", _("Completed the term")
    AMNESTY = "amnesty", _("Amnesty")
    CONDITIONAL_RELEASE = "conditional_release", _("Conditional early release")


class CalendarDay(TimeStampedModel):
    """An administrator's override of the working-day calendar for one date.

    Public holidays come from the ``holidays`` library (Vietnam); these rows add what a yearly
    government notice decides: an extra holiday, a Saturday worked to make up a bridge day, or a
    weekday given off in exchange. See ``hoanhap.intake.calendar``.
    """

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Public holiday")
        WORKING_DAY = "working_day", _("Working day (make-up day)")
        DAY_OFF = "day_off", _("Day off (swapped)")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=150)
    note = models.CharField(_("note"), max_length=255, blank=True)

    audited = True

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.name}"

    @property
    def is_working(self) -> bool:
        return self.kind == self.Kind.WORKING_DAY


class ReleaseNotice(TimeStampedModel, VersionedModel):
    """A detention facility's notice that a person will be released (LTHAHS 2019 Art. 46(1)).

    Due two months before the release date (``is_late`` when received after that); the commune
    police then verify the place of residence within three working days (``verify_by``, Circular
    10/2024 Art. 8). When the address is wrong the commune answers with an HCD-03 letter.
    """

    class Result(models.TextChoices):
        CONFIRMED = "confirmed", _("Residence confirmed")
        ADDRESS_WRONG = "address_wrong", _("Address wrong or person will not live there")

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="release_notices", verbose_name=_("person")
    )
    facility = models.ForeignKey(
        "access.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="release_notices",
        verbose_name=_("detention facility"),
        limit_choices_to={"kind": "detention_facility"},
        db_index=False,  # the first column of an index below: its own index would be one more to update
    )
    sender_name = models.CharField(
        _("sender"),
        max_length=255,
        blank=True,
        help_text=_("The sending facility or agency, when it has no account in the system."),
    )
    reference = models.CharField(_("notice number"), max_length=60, blank=True)
    expected_release_date = models.DateField(_("expected release date"))
    release_kind = models.CharField(_("release kind"), max_length=30, choices=ReleaseKind.choices)
    sentence_summary = models.TextField(_("result of serving the sentence"), blank=True)
    additional_penalties = models.TextField(_("additional penalties still to be served"), blank=True)
    province = models.ForeignKey(
        "geo.Province", on_delete=models.PROTECT, related_name="+", verbose_name=_("expected province")
    )
    commune = models.ForeignKey(
        "geo.Commune",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("expected commune"),
        db_index=False,  # the first column of an index below: its own index would be one more to update
    )
    address = models.CharField(_("expected address"), max_length=255, blank=True)
    received_on = models.DateField(_("received on"))
    is_late = models.BooleanField(_("late"), default=False, editable=False)
    verify_by = models.DateField(_("verify by"), editable=False)
    verified_on = models.DateField(_("verified on"), null=True, blank=True)
    verification_result = models.CharField(
        _("verification result"), max_length=20, choices=Result.choices, blank=True
    )
    verification_note = models.TextField(_("verification note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )

    area_fields = AreaFields(province="province", commune="commune")
    audited = True

    class Meta:
        verbose_name = _("release notice")
        verbose_name_plural = _("release notices")
        ordering = ["-received_on", "-pk"]
        indexes = [
            models.Index(fields=["commune", "verified_on", "verify_by"], name="intake_notice_todo"),
            models.Index(fields=["facility", "-received_on"], name="intake_notice_facility"),
        ]

    def __str__(self) -> str:
        return _("Release notice for {person}").format(person=self.person.full_name)

    def get_absolute_url(self) -> str:
        return reverse("intake:notice-detail", args=[self.pk])

    def audit_area(self) -> tuple[int | None, int | None]:
        return self.province_id, self.commune_id

    @property
    def sender_display(self) -> str:
        return self.facility.name if self.facility_id else self.sender_name

    @property
    def is_verified(self) -> bool:
        return self.verified_on is not None


class Reception(TimeStampedModel):
    """The person reported at the commune People's Committee (Circular 10/2024 Art. 9).

    Holds the working record with the commitment not to reoffend (HCD-05) and the checklist of the
    information sheet (HCD-02).
    """

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="receptions", verbose_name=_("person")
    )
    province = models.ForeignKey(
        "geo.Province", on_delete=models.PROTECT, related_name="+", verbose_name=_("province")
    )
    commune = models.ForeignKey(
        "geo.Commune", on_delete=models.PROTECT, related_name="+", verbose_name=_("commune")
    )
    reported_on = models.DateField(_("reported on"))
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("receiving officer"),
    )
    commitment_signed = models.BooleanField(_("commitment signed (HCD-05)"), default=False)
    residence_registration_done = models.BooleanField(_("residence registration done"), default=False)
    identity_card_done = models.BooleanField(_("identity card done"), default=False)
    wants_job_info = models.BooleanField(_("wants information on jobs"), default=False)
    wants_loan_info = models.BooleanField(_("wants information on policy-bank loans"), default=False)
    notes = models.TextField(_("notes"), blank=True)

    area_fields = AreaFields(province="province", commune="commune")
    audited = True

    class Meta:
        verbose_name = _("reception")
        verbose_name_plural = _("receptions")
        ordering = ["-reported_on", "-pk"]

    def __str__(self) -> str:
        return _("Reception of {person} on {date}").format(
            person=self.person.full_name, date=self.reported_on.strftime("%d/%m/%Y")
        )

    def audit_area(self) -> tuple[int | None, int | None]:
        return self.province_id, self.commune_id


class ManagementEvent(models.Model):
    """One step of a person's management lifecycle, where and when it happened.

    Append-only. Period summaries count these rows by ``kind``, ``occurred_on`` and unit, so the
    unit is the one at the moment of the event (a transfer leaves ``transferred_out`` in the old
    commune and ``transferred_in`` in the new one).
    """

    class Kind(models.TextChoices):
        NOTICE_RECEIVED = "notice_received", _("Release notice received")
        NOTICE_VERIFIED = "notice_verified", _("Residence verified")
        RELEASED = "released", _("Released")
        REPORTED = "reported", _("Reported at the commune")
        ENTERED_MANAGEMENT = "entered_management", _("Entered management")
        CLASSIFIED = "classified", _("Classified")
        TRANSFER_SENT = "transfer_sent", _("Transfer sent")
        TRANSFER_ESCALATED = "transfer_escalated", _("Transfer escalated")
        TRANSFER_RETURNED = "transfer_returned", _("Transfer returned")
        TRANSFERRED_OUT = "transferred_out", _("Transferred out")
        TRANSFERRED_IN = "transferred_in", _("Transferred in")
        WHEREABOUTS_UNKNOWN = "whereabouts_unknown", _("Whereabouts unknown")
        FOUND = "found", _("Found again")
        ENDED = "ended", _("Management ended")

    person = models.ForeignKey(
        "people.Person",
        on_delete=models.CASCADE,
        related_name="management_events",
        verbose_name=_("person"),
        db_index=False,  # the first column of an index below: its own index would be one more to update
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    occurred_on = models.DateField(_("date"))
    province = models.ForeignKey(
        "geo.Province",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("province"),
        db_index=False,  # the first column of an index below: its own index would be one more to update
    )
    commune = models.ForeignKey(
        "geo.Commune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("commune"),
    )
    status_before = models.CharField(_("status before"), max_length=30, blank=True)
    status_after = models.CharField(_("status after"), max_length=30, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    area_fields = AreaFields(province="province", commune="commune")

    class Meta:
        verbose_name = _("management event")
        verbose_name_plural = _("management events")
        ordering = ["-occurred_on", "-pk"]
        indexes = [
            models.Index(fields=["kind", "occurred_on"], name="intake_event_kind_date"),
            models.Index(fields=["province", "commune", "occurred_on"], name="intake_event_unit_date"),
            models.Index(fields=["person", "-occurred_on"], name="intake_event_person"),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_on:%d/%m/%Y} {self.get_kind_display()}"


class Classification(TimeStampedModel):
    """A decision placing the person in group A, B, C or D (Circular 10/2024), with its reasons.

    Earlier decisions are kept; the newest is copied to ``Person.classification``.
    """

    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="classifications", verbose_name=_("person")
    )
    group = models.CharField(
        _("group"),
        max_length=1,
        choices=[("A", _("Group A")), ("B", _("Group B")), ("C", _("Group C")), ("D", _("Group D"))],
    )
    reasons = models.TextField(_("reasons"))
    decided_on = models.DateField(_("decided on"))
    next_review_on = models.DateField(_("next review on"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )

    area_fields = AreaFields(province="person__province", commune="person__commune")
    audited = True

    class Meta:
        verbose_name = _("classification")
        verbose_name_plural = _("classifications")
        ordering = ["-decided_on", "-pk"]

    def __str__(self) -> str:
        return _("Group {group} from {date}").format(
            group=self.group, date=self.decided_on.strftime("%d/%m/%Y")
        )

    def audit_area(self) -> tuple[int | None, int | None]:
        person = self.person
        return person.province_id, person.commune_id


class Transfer(TimeStampedModel, VersionedModel):
    """The management file of a person moving to another commune, sent and then confirmed.

    The person stays with the sending commune until the receiving commune confirms; both see the
    transfer meanwhile. A transfer left unconfirmed too long is escalated (``escalated_on``).
    """

    class Status(models.TextChoices):
        SENT = "sent", _("Sent, awaiting confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        RETURNED = "returned", _("Returned")

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="transfers", verbose_name=_("person")
    )
    from_province = models.ForeignKey(
        "geo.Province", on_delete=models.PROTECT, related_name="+", verbose_name=_("from province")
    )
    from_commune = models.ForeignKey(
        "geo.Commune", on_delete=models.PROTECT, related_name="+", verbose_name=_("from commune")
    )
    to_province = models.ForeignKey(
        "geo.Province", on_delete=models.PROTECT, related_name="+", verbose_name=_("to province")
    )
    to_commune = models.ForeignKey(
        "geo.Commune",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("to commune"),
        db_index=False,  # the first column of an index below: its own index would be one more to update
    )
    to_address = models.CharField(_("new address"), max_length=255, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    sent_on = models.DateField(_("sent on"))
    received_on = models.DateField(_("file received on"), null=True, blank=True)
    confirmed_on = models.DateField(_("confirmed on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SENT)
    escalated_on = models.DateField(_("escalated on"), null=True, blank=True)
    return_reason = models.TextField(_("reason for returning"), blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sent by"),
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )

    area_fields = AreaFields(province="from_province", commune="from_commune")
    audited = True

    class Meta:
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        ordering = ["-sent_on", "-pk"]
        indexes = [models.Index(fields=["to_commune", "status"], name="intake_transfer_incoming")]

    def __str__(self) -> str:
        return _("Transfer of {person} to {commune}").format(
            person=self.person.full_name, commune=self.to_commune.name
        )

    def get_absolute_url(self) -> str:
        return reverse("intake:transfer-detail", args=[self.pk])

    def audit_area(self) -> tuple[int | None, int | None]:
        return self.from_province_id, self.from_commune_id


class ManagementEnd(TimeStampedModel):
    """The end of management and its ground (Circular 10/2024 Art. 14(1); list of grounds UNCONFIRMED)."""

    class Ground(models.TextChoices):
        EXPUNGED = "expunged", _("Criminal record expunged")
        DIED = "died", _("Died")
        IMPRISONED = "imprisoned", _("Imprisoned again")
        MOVED_ABROAD = "moved_abroad", _("Moved abroad")
        OTHER = "other", _("Other ground")

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="management_ends", verbose_name=_("person")
    )
    ground = models.CharField(_("ground"), max_length=20, choices=Ground.choices)
    ended_on = models.DateField(_("ended on"))
    note = models.TextField(_("note"), blank=True)
    province = models.ForeignKey(
        "geo.Province", on_delete=models.PROTECT, related_name="+", verbose_name=_("province")
    )
    commune = models.ForeignKey(
        "geo.Commune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("commune"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    area_fields = AreaFields(province="province", commune="commune")
    audited = True

    class Meta:
        verbose_name = _("end of management")
        verbose_name_plural = _("ends of management")
        ordering = ["-ended_on", "-pk"]

    def __str__(self) -> str:
        return _("{person}: {ground} on {date}").format(
            person=self.person.full_name,
            ground=self.get_ground_display(),
            date=self.ended_on.strftime("%d/%m/%Y"),
        )

    def audit_area(self) -> tuple[int | None, int | None]:
        return self.province_id, self.commune_id
