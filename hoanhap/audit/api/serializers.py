"""The audit entry as the API shows it: stored fields plus the translated action sentence."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from hoanhap.audit import display
from hoanhap.audit.models import AuditEvent


class AuditEventSerializer(serializers.ModelSerializer):
    message = serializers.SerializerMethodField(
        help_text="The action as a sentence, in the request's language."
    )

    class Meta:
        model = AuditEvent
        fields = [
            "id",
            "occurred_at",
            "actor",
            "actor_label",
            "source",
            "action",
            "message",
            "target_type",
            "target_id",
            "target_repr",
            "changes",
            "data",
            "purpose",
            "ip",
            "request_id",
            "province_code",
            "commune_code",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField())
    def get_message(self, event: AuditEvent) -> str:
        return display.message(event)
