"""Serializers of /api/v1/imports/ (explicit fields; the shapes the command prints where they overlap)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import serializers

from hoanhap.imports import staging
from hoanhap.imports.models import ImportBatch, StagedRow
from hoanhap.imports.reading.specs import KINDS


class ProblemSerializer(serializers.Serializer):
    sheet = serializers.CharField()
    row = serializers.IntegerField(help_text="The row the spreadsheet shows; 1 for a whole-sheet problem.")
    column = serializers.CharField(allow_null=True)
    message = serializers.CharField()


class BatchSerializer(serializers.ModelSerializer):
    percent = serializers.SerializerMethodField()
    errors = serializers.SerializerMethodField()
    warnings = serializers.SerializerMethodField()

    class Meta:
        model = ImportBatch
        fields = [
            "id",
            "file_name",
            "kinds",
            "status",
            "commit",
            "rows",
            "created",
            "updated",
            "skipped",
            "failed",
            "percent",
            "message",
            "errors",
            "warnings",
            "created_at",
            "applied_at",
            "undone_at",
        ]
        read_only_fields = fields

    def get_percent(self, batch: ImportBatch) -> int:
        if batch.is_busy:
            return batch.job.percent if batch.job_id else 0
        return 100

    def _public(self, problems: list) -> list[dict]:
        return [staging.public(p) for p in problems]

    @staticmethod
    def _schema():
        return ProblemSerializer(many=True)

    def get_errors(self, batch: ImportBatch) -> list[dict]:
        return self._public(batch.sheet_errors)

    def get_warnings(self, batch: ImportBatch) -> list[dict]:
        return self._public(batch.sheet_warnings)


class UploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    kind = serializers.CharField(
        required=False, allow_blank=True, help_text="One of: " + ", ".join(KINDS) + "."
    )

    def validate_kind(self, value: str) -> str:
        if value and value not in KINDS:
            raise serializers.ValidationError(_("Unknown kind."))
        return value


class RowSerializer(serializers.ModelSerializer):
    action = serializers.CharField(read_only=True, help_text="create, update, skip or error")
    outcome = serializers.CharField(
        read_only=True, help_text="What the import did: create, update, skip, error"
    )
    errors = ProblemSerializer(many=True, read_only=True)
    warnings = ProblemSerializer(many=True, read_only=True)

    class Meta:
        model = StagedRow
        fields = [
            "id",
            "kind",
            "sheet",
            "row",
            "raw",
            "action",
            "outcome",
            "target_repr",
            "errors",
            "warnings",
            "duplicates",
            "decision",
            "decision_person",
            "commune_choice",
        ]
        read_only_fields = fields


class DecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["", "new", "same"], required=False, allow_blank=True)
    person = serializers.IntegerField(required=False, allow_null=True)
    commune = serializers.IntegerField(required=False, allow_null=True)


class CommitSerializer(serializers.Serializer):
    commit = serializers.ChoiceField(choices=ImportBatch.Commit.values)


class ExportRequestSerializer(serializers.Serializer):
    scope = serializers.CharField(
        help_text="province:CODE or commune:CODE (current unit codes), within your own areas."
    )
    purpose = serializers.CharField(
        max_length=255, help_text="Why the data leaves the system (recorded in the audit log)."
    )
    with_details = serializers.BooleanField(
        default=True, help_text="Add the readonly_… sheets (legal dates, judgment details, timeline)."
    )


class ExportJobSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The background job.")
    status = serializers.CharField(help_text="queued, running, done or failed")
    status_url = serializers.CharField(help_text="The job in the API: status, progress, result.")
    page_url = serializers.CharField(help_text="The export's page: progress, then the audited download.")
