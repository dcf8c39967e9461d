"""API shapes of intake records. Output serializers read; input serializers only validate shapes —
the services decide and write."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from hoanhap.intake.models import (
    Classification,
    ManagementEnd,
    ManagementEvent,
    Reception,
    ReleaseKind,
    ReleaseNotice,
    Transfer,
)
from hoanhap.people.models import Person


def choice(choices, **kwargs) -> serializers.ChoiceField:
    """A choice field kept out of the shared enum components (their names collide with other apps' fields)."""
    values = [value for value, _label in choices]
    if kwargs.get("allow_blank"):
        values.append("")
    field_class = extend_schema_field({"type": "string", "enum": values})(
        type("InlineChoiceField", (serializers.ChoiceField,), {})
    )
    return field_class(choices=choices, **kwargs)


class PersonRefSerializer(serializers.ModelSerializer):
    status = choice(Person.Status.choices, read_only=True)

    class Meta:
        model = Person
        fields = ["id", "record_code", "full_name", "birth_year", "status"]


NOTICE_FIELDS = [
    "id",
    "facility",
    "sender_name",
    "reference",
    "expected_release_date",
    "release_kind",
    "sentence_summary",
    "additional_penalties",
    "province",
    "commune",
    "address",
    "received_on",
    "is_late",
    "verify_by",
    "verified_on",
    "verification_result",
    "verification_note",
    "version",
]


class NoticeSerializer(serializers.ModelSerializer):
    person = PersonRefSerializer(read_only=True)
    verification_result = choice(ReleaseNotice.Result.choices, read_only=True, allow_blank=True)

    class Meta:
        model = ReleaseNotice
        fields = ["person", *NOTICE_FIELDS]
        read_only_fields = fields


class FacilityNoticeSerializer(serializers.ModelSerializer):
    """What a detention facility sees of its own notice: the name it sent, not the person record."""

    person_name = serializers.CharField(source="person.full_name", read_only=True)
    verification_result = choice(ReleaseNotice.Result.choices, read_only=True, allow_blank=True)

    class Meta:
        model = ReleaseNotice
        fields = ["person_name", *NOTICE_FIELDS]
        read_only_fields = fields


class NoticeInputSerializer(serializers.Serializer):
    """A notice, with the identity of the person (a registered person is found by ``personal_id``)."""

    full_name = serializers.CharField(max_length=150)
    sex = serializers.ChoiceField(choices=Person.Sex.choices)
    birth_year = serializers.IntegerField(required=False, allow_null=True, min_value=1900)
    birth_month = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=12)
    birth_day = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=31)
    personal_id = serializers.CharField(required=False, allow_blank=True, max_length=12)
    expected_release_date = serializers.DateField()
    release_kind = serializers.ChoiceField(choices=ReleaseKind.choices)
    sentence_summary = serializers.CharField(required=False, allow_blank=True)
    additional_penalties = serializers.CharField(required=False, allow_blank=True)
    commune = serializers.IntegerField(help_text="Code of the commune where the person will live.")
    address = serializers.CharField(required=False, allow_blank=True, max_length=255)
    reference = serializers.CharField(required=False, allow_blank=True, max_length=60)


class OfficerNoticeInputSerializer(NoticeInputSerializer):
    """A paper notice typed in by a commune officer (in their area), naming its sender."""

    person = serializers.CharField(required=False, help_text="Record code of a registered person, if known.")
    person_version = serializers.IntegerField(required=False)
    received_on = serializers.DateField(required=False)
    facility = serializers.IntegerField(required=False, allow_null=True)
    sender_name = serializers.CharField(required=False, allow_blank=True, max_length=255)


class VerifyInputSerializer(serializers.Serializer):
    result = serializers.ChoiceField(choices=ReleaseNotice.Result.choices)
    verified_on = serializers.DateField(required=False)
    note = serializers.CharField(required=False, allow_blank=True)
    version = serializers.IntegerField(required=False)


class ReceptionSerializer(serializers.ModelSerializer):
    person = PersonRefSerializer(read_only=True)

    class Meta:
        model = Reception
        fields = [
            "id",
            "person",
            "province",
            "commune",
            "reported_on",
            "officer",
            "commitment_signed",
            "residence_registration_done",
            "identity_card_done",
            "wants_job_info",
            "wants_loan_info",
            "notes",
        ]
        read_only_fields = fields


class StepInputSerializer(serializers.Serializer):
    person = serializers.CharField(help_text="Record code (or id) of the person.")
    version = serializers.IntegerField(required=False, help_text="The person's version you read.")


class ReceptionInputSerializer(StepInputSerializer):
    reported_on = serializers.DateField(required=False)
    commitment_signed = serializers.BooleanField(required=False, default=False)
    residence_registration_done = serializers.BooleanField(required=False, default=False)
    identity_card_done = serializers.BooleanField(required=False, default=False)
    wants_job_info = serializers.BooleanField(required=False, default=False)
    wants_loan_info = serializers.BooleanField(required=False, default=False)
    notes = serializers.CharField(required=False, allow_blank=True)


class ClassificationSerializer(serializers.ModelSerializer):
    person = PersonRefSerializer(read_only=True)
    group = choice(Person.Classification.choices, read_only=True)

    class Meta:
        model = Classification
        fields = ["id", "person", "group", "reasons", "decided_on", "next_review_on", "decided_by"]
        read_only_fields = fields


class ClassificationInputSerializer(StepInputSerializer):
    group = choice(Person.Classification.choices)
    reasons = serializers.CharField()
    decided_on = serializers.DateField(required=False)
    next_review_on = serializers.DateField(required=False, allow_null=True)


class TransferSerializer(serializers.ModelSerializer):
    person = PersonRefSerializer(read_only=True)
    status = choice(Transfer.Status.choices, read_only=True)

    class Meta:
        model = Transfer
        fields = [
            "id",
            "person",
            "from_province",
            "from_commune",
            "to_province",
            "to_commune",
            "to_address",
            "reason",
            "sent_on",
            "received_on",
            "confirmed_on",
            "status",
            "escalated_on",
            "return_reason",
            "version",
        ]
        read_only_fields = fields


class TransferInputSerializer(StepInputSerializer):
    to_commune = serializers.IntegerField(help_text="Code of the commune the person moves to.")
    to_address = serializers.CharField(required=False, allow_blank=True, max_length=255)
    reason = serializers.CharField(required=False, allow_blank=True)
    sent_on = serializers.DateField(required=False)


class TransferConfirmInputSerializer(serializers.Serializer):
    confirmed_on = serializers.DateField(required=False)
    received_on = serializers.DateField(required=False)
    version = serializers.IntegerField(required=False, help_text="The transfer's version you read.")


class TransferReturnInputSerializer(serializers.Serializer):
    reason = serializers.CharField()
    returned_on = serializers.DateField(required=False)
    version = serializers.IntegerField(required=False, help_text="The transfer's version you read.")


class ManagementEndSerializer(serializers.ModelSerializer):
    person = PersonRefSerializer(read_only=True)

    class Meta:
        model = ManagementEnd
        fields = ["id", "person", "ground", "ended_on", "note", "province", "commune"]
        read_only_fields = fields


class ManagementEndInputSerializer(StepInputSerializer):
    ground = serializers.ChoiceField(choices=ManagementEnd.Ground.choices)
    ended_on = serializers.DateField(required=False)
    note = serializers.CharField(required=False, allow_blank=True)


class ManagementEventSerializer(serializers.ModelSerializer):
    person = serializers.CharField(source="person.record_code", read_only=True)
    event_kind = serializers.ChoiceField(source="kind", choices=ManagementEvent.Kind.choices, read_only=True)

    class Meta:
        model = ManagementEvent
        fields = [
            "id",
            "person",
            "event_kind",
            "occurred_on",
            "province",
            "commune",
            "status_before",
            "status_after",
            "data",
        ]
        read_only_fields = fields
