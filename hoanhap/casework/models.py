"""Case work: who helps each person under management, their needs, the plan, contacts and reviews.

Decree 49/2020 Chapter III and Circular 10/2024 ask the commune police to manage, supervise, educate
and help each person under management with the help of individuals and organisations assigned to
them. Rows about a person name it in ``area_fields.person`` when helpers assigned to that person may
read them (assignments, needs, plan actions, contacts); police-only rows (police notes, reviews that
carry the classification) leave it out, so no page, API, search or export can open them to a helper
(see ``hoanhap.access.policy``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hoanhap.access.models import AreaFields, Organisation
from hoanhap.core.models import TimeStampedModel, VersionedModel
from hoanhap.people.models import Person

PERSON_AREA = {"province": "person__province", "commune": "person__commune"}


class _PersonArea:
    """Audit entries of a row about a person sit in the person's current unit."""

    def audit_area(self) -> tuple[int | None, int | None]:
        person = self.person
        return person.province_id, person.commune_id


class HelperAssignment(_PersonArea, TimeStampedModel, VersionedModel):
    """A helper assigned to a person for a dated period: an individual, an organisation, or both.

    The assignment is also an access grant: while it runs (``start_date`` ≤ today ≤ ``end_date``),
    the helper's account (``user``) and the accounts of the helping ``organisation`` see the person.
    """

    person = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        related_name="helper_assignments",
        verbose_name=_("person"),
        db_index=False,  # the first column of an index below: its own index would be one more to update
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="helper_assignments",
        verbose_name=_("helping organisation"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="helper_assignments",
        verbose_name=_("helper's account"),
    )
    helper_name = models.CharField(_("helper's name"), max_length=150, blank=True)
    helper_role = models.CharField(
        _("helper's role"),
        max_length=150,
        blank=True,
        help_text=_("For example: Women's Union member, neighbourhood head, the person's brother."),
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    area_fields = AreaFields(province="person__province", commune="person__commune", person="person")
    audited = True

    class Meta:
        verbose_name = _("helper assignment")
        verbose_name_plural = _("helper assignments")
        ordering = ["person_id", "-start_date", "-pk"]
        indexes = [models.Index(fields=["person", "start_date"], name="casework_helper_person_start")]
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=False) | ~Q(helper_name="") | Q(user__isnull=False),
                name="casework_helper_names_someone",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="casework_helper_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        parts = [self.helper_name or (self.user.get_full_name() if self.user_id else "")]
        if self.organisation_id:
            parts.append(self.organisation.name)
        return " — ".join(p for p in parts if p)

    def is_active_on(self, day) -> bool:
        return self.start_date <= day and (self.end_date is None or self.end_date >= day)


class Need(_PersonArea, TimeStampedModel, VersionedModel):
    """What the person needs in one domain of life, and where helping them with it stands.

    One row per person and domain; its changes are kept by the audit log and snapshotted by each
    review. Circular 10/2024 Art. 9 names papers (residence registration, identity card), work and
    policy-bank loans at reception; the other domains follow the Decree 49/2020 Chapter III measures.
    """

    class Domain(models.TextChoices):
        ACCOMMODATION = "accommodation", _("Accommodation")
        PAPERS = "papers", _("Identity and legal papers")
        WORK = "work", _("Work and skills")
        MONEY = "money", _("Money and capital")
        HEALTH = "health", _("Health and addiction")
        FAMILY = "family", _("Family and children")
        ATTITUDES = "attitudes", _("Attitudes and behaviour")

    class Status(models.TextChoices):
        NO_NEED = "no_need", _("No need")
        IDENTIFIED = "identified", _("Identified")
        IN_PROGRESS = "in_progress", _("In progress")
        MET = "met", _("Met")
        DECLINED = "declined", _("Declined")

    OPEN_STATUSES = (Status.IDENTIFIED, Status.IN_PROGRESS)

    person = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        related_name="needs",
        verbose_name=_("person"),
        db_index=False,  # the first column of an index below: its own index would be one more to update
    )
    domain = models.CharField(_("domain"), max_length=20, choices=Domain.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.IDENTIFIED)
    description = models.TextField(
        _("description"),
        blank=True,
        help_text=_("What exactly is needed, in the person's words if possible."),
    )
    declined_reason = models.TextField(_("reason for declining"), blank=True)
    status_since = models.DateField(_("status since"))

    area_fields = AreaFields(province="person__province", commune="person__commune", person="person")
    audited = True

    class Meta:
        verbose_name = _("need")
        verbose_name_plural = _("needs")
        ordering = ["person_id", "domain"]
        constraints = [
            models.UniqueConstraint(fields=["person", "domain"], name="casework_need_one_per_domain"),
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(declined_reason=""),
                name="casework_need_declined_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_domain_display()}: {self.get_status_display()}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class PlanAction(_PersonArea, TimeStampedModel, VersionedModel):
    """One action of the person's plan: what, who does it, by when, and what came of it."""

    class Status(models.TextChoices):
        OPEN = "open", _("To do")
        DONE = "done", _("Done")
        NOT_DONE = "not_done", _("Not done")

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="plan_actions", verbose_name=_("person")
    )
    need = models.ForeignKey(
        Need, on_delete=models.PROTECT, related_name="actions", verbose_name=_("need answered")
    )
    description = models.CharField(_("action"), max_length=255)
    owner = models.CharField(
        _("owner"), max_length=150, help_text=_("Who carries it out: an officer, a helper, an organisation.")
    )
    due_on = models.DateField(_("due on"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    result = models.TextField(_("result"), blank=True)
    result_on = models.DateField(_("result recorded on"), null=True, blank=True)

    area_fields = AreaFields(province="person__province", commune="person__commune", person="person")
    audited = True

    class Meta:
        verbose_name = _("plan action")
        verbose_name_plural = _("plan actions")
        ordering = ["person_id", "due_on", "pk"]
        indexes = [models.Index(fields=["status", "due_on"], name="casework_plan_status_due")]

    def __str__(self) -> str:
        return self.description


class Contact(_PersonArea, TimeStampedModel, VersionedModel):
    """A contact with the person: a home visit, a meeting at the commune office, a call, a meeting.

    Everything here may be read by the person's helpers. What only the police may read goes in a
    ``PoliceNote`` (linked to the contact when it came from it).
    """

    class Kind(models.TextChoices):
        HOME_VISIT = "home_visit", _("Home visit")
        OFFICE = "office", _("At the commune office")
        PHONE = "phone", _("Phone call")
        MEETING = "meeting", _("Meeting")

    person = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        related_name="contacts",
        verbose_name=_("person"),
        db_index=False,  # the first column of an index below: its own index would be one more to update
    )
    occurred_on = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    participants = models.CharField(
        _("who took part"), max_length=255, help_text=_("Officers, helpers and family members present.")
    )
    observations = models.TextField(_("what was seen"), blank=True)
    note = models.TextField(
        _("note"), blank=True, help_text=_("Helpers assigned to the person can read this note.")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    area_fields = AreaFields(province="person__province", commune="person__commune", person="person")
    audited = True

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["person_id", "-occurred_on", "-pk"]
        indexes = [models.Index(fields=["person", "occurred_on"], name="casework_contact_person_date")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_on:%d/%m/%Y}"


class PoliceNote(_PersonArea, TimeStampedModel, VersionedModel):
    """A note only the police side may read (assessments, information from informants, suspicions).

    ``area_fields`` deliberately does not name the person: no assignment ever opens these rows to a
    helper. Their text is masked in the audit log, which non-police account administrators read.
    """

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="police_notes", verbose_name=_("person")
    )
    written_on = models.DateField(_("date"))
    text = models.TextField(_("note"))
    contact = models.ForeignKey(
        Contact,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="police_notes",
        verbose_name=_("from the contact"),
    )
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("written by"),
    )

    area_fields = AreaFields(province="person__province", commune="person__commune")
    audited = True
    audit_mask = ("text",)

    class Meta:
        verbose_name = _("police note")
        verbose_name_plural = _("police notes")
        ordering = ["person_id", "-written_on", "-pk"]

    def __str__(self) -> str:
        return str(_("Police note of {date}")).format(date=self.written_on.strftime("%d/%m/%Y"))


class Review(_PersonArea, TimeStampedModel):
    """A review of the person's needs and plan, made together with the classification review (A–D).

    The classification itself is intake's (``intake.Classification``, made through
    ``intake.services.classify`` inside the review's transaction); the review keeps a snapshot of
    the needs and plan as they stood. Police-only (it carries the group): no ``person`` in
    ``area_fields``.
    """

    class Kind(models.TextChoices):
        ENTRY = "entry", _("At entry into management")
        PERIODIC = "periodic", _("Periodic review")

    person = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        related_name="reviews",
        verbose_name=_("person"),
        db_index=False,  # the first column of an index below: its own index would be one more to update
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    reviewed_on = models.DateField(_("reviewed on"))
    classification = models.ForeignKey(
        "intake.Classification",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("classification decided"),
    )
    summary = models.TextField(_("assessment"))
    next_review_on = models.DateField(_("next review on"))
    needs_snapshot = models.JSONField(_("needs at the review"), default=list, blank=True)
    plan_snapshot = models.JSONField(_("plan at the review"), default=list, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )

    area_fields = AreaFields(province="person__province", commune="person__commune")
    audited = True

    class Meta:
        verbose_name = _("needs and plan review")
        verbose_name_plural = _("needs and plan reviews")
        ordering = ["person_id", "-reviewed_on", "-pk"]
        indexes = [models.Index(fields=["person", "reviewed_on"], name="casework_review_person_date")]

    def __str__(self) -> str:
        return str(_("Review of {date}")).format(date=self.reviewed_on.strftime("%d/%m/%Y"))

    def get_absolute_url(self) -> str:
        return reverse("casework:review-detail", args=[self.pk])
