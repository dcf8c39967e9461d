"""Imports: a file read into a staging area, checked row by row, applied at once, undoable as a whole.

``ImportBatch`` is one uploaded file; ``StagedRow`` each of its data rows with the values read, the
errors and warnings (column named) and the planned action; ``ColumnMapping`` remembers how the
columns of a source were mapped; ``AppliedChange`` lists every row the apply created or changed
(with the values before) so that the import can be undone; ``ResidenceChoice`` is a person whose
legacy commune was split, waiting for an officer of one of the candidate communes to choose.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hoanhap.access.models import AreaFields
from hoanhap.core.models import TimeStampedModel


class ImportBatch(TimeStampedModel):
    """One uploaded file, imported as one or more kinds into the unit of the person who uploaded it.

    The batch sits in that unit (``province``/``commune``): officers of the unit see it, nobody
    else (``area_fields``). Its audit tag ``import <id>`` is carried into every audit entry the
    apply and the undo write.
    """

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("Uploaded")
        STAGING = "staging", _("Being checked")
        STAGED = "staged", _("Checked, ready to import")
        APPLYING = "applying", _("Being imported")
        APPLIED = "applied", _("Imported")
        FAILED = "failed", _("Failed")
        UNDOING = "undoing", _("Being undone")
        UNDONE = "undone", _("Undone")

    class Commit(models.TextChoices):
        ALL = "all", _("All rows (nothing if a row has an error)")
        VALID = "valid", _("Only the valid rows")

    file = models.FileField(_("file"), upload_to="imports/%Y/%m/")
    file_name = models.CharField(_("file name"), max_length=255)
    kinds = models.JSONField(_("kinds"), default=list)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    province = models.ForeignKey(
        "geo.Province",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("province"),
    )
    commune = models.ForeignKey(
        "geo.Commune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("commune"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.UPLOADED)
    commit = models.CharField(_("rows to import"), max_length=5, choices=Commit.choices, blank=True)
    mapping = models.JSONField(_("column mapping"), default=dict, blank=True)  # kind → {header: code | ""}
    headers = models.JSONField(_("headers found"), default=dict, blank=True)  # kind → [{index, header, code}]
    sheet_errors = models.JSONField(_("file errors"), default=list, blank=True)
    sheet_warnings = models.JSONField(_("file warnings"), default=list, blank=True)
    rows = models.PositiveIntegerField(_("data rows"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    skipped = models.PositiveIntegerField(_("skipped"), default=0)
    failed = models.PositiveIntegerField(_("rows with errors"), default=0)
    job = models.ForeignKey(
        "jobs.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("job")
    )
    message = models.CharField(_("message"), max_length=500, blank=True)
    applied_at = models.DateTimeField(_("imported at"), null=True, blank=True)
    audit_mark = models.BigIntegerField(null=True, blank=True, editable=False)  # last audit id of the apply
    # The last audit id when the rows were last tried, and by whom: an apply by the same officer with
    # nothing written since takes the trial's word on what the database holds (``applying.trusted``).
    tried_mark = models.BigIntegerField(null=True, blank=True, editable=False)
    tried_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("tried by"),
    )
    undone_at = models.DateTimeField(_("undone at"), null=True, blank=True)

    area_fields = AreaFields(province="province", commune="commune")

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.pk})"

    def get_absolute_url(self) -> str:
        return reverse("imports:batch-detail", args=[self.pk])

    @property
    def tag(self) -> str:
        """The note every audit entry of this import carries (``data.context``)."""
        return f"import {self.pk}"

    @property
    def is_busy(self) -> bool:
        return self.status in {self.Status.STAGING, self.Status.APPLYING, self.Status.UNDOING}


class StagedRow(models.Model):
    """One data row of a batch: what was read, what is wrong, and what the import will do with it."""

    class Action(models.TextChoices):
        CREATE = "create", _("Create")
        UPDATE = "update", _("Update")
        SKIP = "skip", _("Unchanged")
        ERROR = "error", _("Error")

    class Decision(models.TextChoices):
        NONE = "", _("Not decided")
        NEW = "new", _("A new person")
        SAME = "same", _("The same person as the existing record")

    batch = models.ForeignKey(
        ImportBatch,
        on_delete=models.CASCADE,
        related_name="staged_rows",
        db_index=False,  # the first column of an index below: its own index would be one more to update
    )
    kind = models.CharField(_("kind"), max_length=20)
    sheet = models.CharField(_("sheet"), max_length=100)
    row = models.PositiveIntegerField(_("row"))
    raw = models.JSONField(_("cells"), default=dict)  # header as written → cell as text
    values = models.JSONField(_("values"), default=dict)  # column code → encoded value (see codec)
    address = models.JSONField(_("address"), default=dict, blank=True)
    errors = models.JSONField(_("errors"), default=list, blank=True)  # CellError dicts
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices, default=Action.ERROR)
    target_repr = models.CharField(_("record"), max_length=255, blank=True)
    target_url = models.CharField(max_length=255, blank=True)
    duplicates = models.JSONField(_("probable duplicates"), default=list, blank=True)  # [{id, name, code}]
    decision = models.CharField(_("decision"), max_length=5, choices=Decision.choices, blank=True)
    decision_person = models.PositiveBigIntegerField(null=True, blank=True)
    commune_choice = models.PositiveIntegerField(_("chosen commune"), null=True, blank=True)
    outcome = models.CharField(_("result"), max_length=10, choices=Action.choices, blank=True)
    outcome_message = models.CharField(_("result message"), max_length=500, blank=True)

    area_fields = AreaFields(province="batch__province", commune="batch__commune")

    class Meta:
        verbose_name = _("staged row")
        verbose_name_plural = _("staged rows")
        ordering = ["batch_id", "pk"]
        indexes = [models.Index(fields=["batch", "action"], name="imports_row_batch_action")]

    def __str__(self) -> str:
        return f"{self.sheet}:{self.row}"

    @property
    def needs_decision(self) -> bool:
        return bool(self.duplicates) and not self.decision


class ColumnMapping(models.Model):
    """How the columns of one source were mapped last time, per province: reused for the next file.

    A source is recognised by ``key``: the kind and the folded headers of the file, in order.
    """

    key = models.CharField(max_length=64)
    kind = models.CharField(_("kind"), max_length=20)
    province = models.ForeignKey(
        "geo.Province",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("province"),
    )
    headers = models.JSONField(_("headers"), default=list)
    mapping = models.JSONField(_("mapping"), default=dict)  # header key → column code ("" ignores it)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("column mapping")
        verbose_name_plural = _("column mappings")
        constraints = [
            models.UniqueConstraint(fields=["key", "province"], name="imports_mapping_unique_source"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.key[:8]}"


class AppliedChange(models.Model):
    """A row the import created, changed or deleted, with its values before (for the undo).

    Rows the bulk path writes take ids in runs: one change stands for each run of created rows,
    ``object_pk`` to ``last_pk`` (half a million entries for 100,000 people were a tenth of the
    commit); the undo reads it as one change per row.
    """

    class Change(models.TextChoices):
        CREATED = "created", _("Created")
        UPDATED = "updated", _("Updated")
        DELETED = "deleted", _("Deleted")

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="changes")
    model = models.CharField(_("record type"), max_length=100)
    object_pk = models.CharField(_("record id"), max_length=64)
    change = models.CharField(_("change"), max_length=10, choices=Change.choices)
    before = models.JSONField(_("values before"), default=dict, blank=True)
    object_repr = models.CharField(_("record"), max_length=255, blank=True)
    last_pk = models.PositiveBigIntegerField(_("last record id"), null=True, blank=True)

    area_fields = AreaFields(province="batch__province", commune="batch__commune")

    class Meta:
        verbose_name = _("applied change")
        verbose_name_plural = _("applied changes")
        ordering = ["batch_id", "pk"]

    def __str__(self) -> str:
        last = f"–{self.last_pk}" if self.last_pk is not None else ""
        return f"{self.change} {self.model} {self.object_pk}{last}"


class ResidenceChoice(models.Model):
    """A person imported from a legacy commune that was split: the current commune is still to choose.

    Officers of every candidate commune (and of the province) see it in their worklist; the first to
    choose settles it. ``area_fields`` reaches the candidates, so ``policy.restrict`` (with
    ``distinct()``) gives exactly that.
    """

    batch = models.ForeignKey(
        ImportBatch, on_delete=models.SET_NULL, null=True, blank=True, related_name="residence_choices"
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="+", verbose_name=_("person")
    )
    province = models.ForeignKey(
        "geo.Province", on_delete=models.PROTECT, related_name="+", verbose_name=_("province")
    )
    address_text = models.CharField(_("address as written"), max_length=255)
    chosen = models.ForeignKey(
        "geo.Commune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("chosen commune"),
    )
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    chosen_at = models.DateTimeField(_("chosen at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    area_fields = AreaFields(province="province", commune="candidates__commune")
    audited = True

    class Meta:
        verbose_name = _("residence to choose")
        verbose_name_plural = _("residences to choose")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.address_text

    def get_absolute_url(self) -> str:
        return reverse("imports:residence-choose", args=[self.pk])

    def audit_area(self) -> tuple[int | None, int | None]:
        return self.province_id, None


class ResidenceCandidate(models.Model):
    """One current commune a split legacy commune went to."""

    choice = models.ForeignKey(
        ResidenceChoice,
        on_delete=models.CASCADE,
        related_name="candidates",
        db_index=False,  # the first column of an index below: its own index would be one more to update
    )
    commune = models.ForeignKey("geo.Commune", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("candidate commune")
        verbose_name_plural = _("candidate communes")
        ordering = ["choice_id", "commune_id"]
        constraints = [
            models.UniqueConstraint(fields=["choice", "commune"], name="imports_candidate_unique"),
        ]

    def __str__(self) -> str:
        return str(self.commune_id)
