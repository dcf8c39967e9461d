"""Serializers of judgments, releases and the offence catalogue. They shape JSON only: the services
validate and write (their refusals come back as 400 naming the field, e.g. ``judgment_date`` or
``offences[0].offence``), the legal status is computed by ``justice.legal_status``.

Codes (penalty types, kinds) are strings documented with their list, not enum components: names such
as ``type`` and ``kind`` are used by other apps too (see ``serializers.code_field``).
"""

from __future__ import annotations

from typing import Any

from django.utils import translation
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from hoanhap.access import policy
from hoanhap.access.roles import Cap
from hoanhap.justice.api.serializers import code_field
from hoanhap.justice.legal_status import main_penalty_completion
from hoanhap.justice.models import AdditionalPenalty, Judgment, JudgmentOffence, Obligation, Offence, Release
from hoanhap.justice.rules.tables import INTENTS, SEVERITIES
from hoanhap.justice.selectors import facility_choices
from hoanhap.people.models import Person


class ScopedPersonField(serializers.SlugRelatedField):
    """A person given by record code, looked up among the people the caller may edit: an unknown code and
    a person outside the caller's areas get the same answer."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(slug_field="record_code", **kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        return policy.restrict(Person.objects.all(), getattr(request, "user", None), Cap.EDIT_PEOPLE)


class ScopedJudgmentField(serializers.PrimaryKeyRelatedField):
    """A judgment id, looked up among the judgments the caller may edit (others answer "does not exist")."""

    def get_queryset(self):
        request = self.context.get("request")
        return policy.restrict(Judgment.objects.all(), getattr(request, "user", None), Cap.EDIT_PEOPLE)


class OffenceSerializer(serializers.ModelSerializer):
    chapter_roman = serializers.CharField(read_only=True)
    reference = serializers.CharField(read_only=True)
    severity = code_field(
        SEVERITIES, help_text="Severity class of the basic crime (clause 1).", read_only=True
    )
    intent = code_field(INTENTS, help_text="Usual intent of the crime.", read_only=True)

    class Meta:
        model = Offence
        fields = [
            "id",
            "article",
            "clause",
            "reference",
            "name",
            "chapter",
            "chapter_roman",
            "severity",
            "intent",
            "is_active",
        ]
        read_only_fields = fields


class JudgmentOffenceSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(
        required=False, help_text="Give it to keep an existing line; leave it out for a new one."
    )
    offence = serializers.PrimaryKeyRelatedField(queryset=Offence.objects.all())
    severity = code_field(
        SEVERITIES,
        help_text="Class given by the clause applied; empty: the catalogue's.",
        required=False,
        allow_blank=True,
    )
    intent = code_field(INTENTS, help_text="Empty: the catalogue's.", required=False, allow_blank=True)
    effective_severity = serializers.CharField(read_only=True)
    effective_intent = serializers.CharField(read_only=True)

    class Meta:
        model = JudgmentOffence
        fields = ["id", "offence", "clause", "severity", "intent", "effective_severity", "effective_intent"]


class AdditionalPenaltySerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(required=False)
    type = code_field(AdditionalPenalty.Type.values, help_text="The additional penalty.")

    class Meta:
        model = AdditionalPenalty
        fields = ["id", "type", "term_years", "term_months", "amount", "starts_on", "completed_on"]


class ObligationSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(required=False)
    kind = code_field(Obligation.Kind.values, help_text="What the judgment ordered.")

    class Meta:
        model = Obligation
        fields = ["id", "kind", "description", "amount_due", "amount_paid", "completed_on"]


class CompletionSerializer(serializers.Serializer):
    on = serializers.DateField(allow_null=True)
    source = serializers.CharField(help_text="entered, release, computed, or empty when unknown.")
    explanation = serializers.CharField()


LINE_GROUPS = ("offences", "additional_penalties", "obligations")


class JudgmentSerializer(serializers.ModelSerializer):
    person = ScopedPersonField(help_text="Record code of the person (e.g. 91-000012).")
    main_penalty_type = code_field(Judgment.PenaltyType.values, help_text="The main penalty pronounced.")
    offences = JudgmentOffenceSerializer(many=True)
    additional_penalties = AdditionalPenaltySerializer(many=True, required=False)
    obligations = ObligationSerializer(many=True, required=False)
    version = serializers.IntegerField(
        required=False, help_text="The version read; required to change a judgment (a stale one is refused)."
    )
    main_penalty_completion = serializers.SerializerMethodField()

    class Meta:
        model = Judgment
        fields = [
            "id",
            "person",
            "court_name",
            "judgment_number",
            "judgment_date",
            "is_final",
            "offence_committed_on",
            "main_penalty_type",
            "main_penalty_years",
            "main_penalty_months",
            "main_penalty_days",
            "fine_amount",
            "probation_years",
            "probation_months",
            "main_penalty_started_on",
            "main_penalty_completed_on",
            "note",
            "offences",
            "additional_penalties",
            "obligations",
            "main_penalty_completion",
            "version",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            self.fields["person"].read_only = True  # a judgment never moves to another person

    @extend_schema_field(CompletionSerializer)
    def get_main_penalty_completion(self, judgment: Judgment) -> dict[str, Any]:
        completion = main_penalty_completion(judgment)
        with translation.override(None):  # computed texts in English, like the rule endpoints
            explanation = str(completion.fact)
        return {"on": completion.on, "source": completion.source, "explanation": explanation}

    def split(self) -> tuple[dict[str, Any], dict[str, Any]]:
        """(judgment fields, line groups given) from the validated data, for the services."""
        data = dict(self.validated_data)
        data.pop("person", None)
        data.pop("version", None)
        lines = {group: [dict(row) for row in data.pop(group)] for group in LINE_GROUPS if group in data}
        return data, lines


class ReleaseSerializer(serializers.ModelSerializer):
    person = ScopedPersonField(help_text="Record code of the person (e.g. 91-000012).")
    judgment = ScopedJudgmentField(help_text="One of the person's prison judgments.")
    facility = serializers.PrimaryKeyRelatedField(
        queryset=facility_choices(),
        required=False,
        allow_null=True,
        help_text="A detention facility (organisation).",
    )
    kind = code_field(Release.Kind.values, help_text="How the person was released.")
    version = serializers.IntegerField(
        required=False, help_text="The version read; required to change a release."
    )

    class Meta:
        model = Release
        fields = [
            "id",
            "person",
            "judgment",
            "facility",
            "release_date",
            "kind",
            "amnesty_decision_number",
            "amnesty_decision_date",
            "probation_ends_on",
            "certificate_number",
            "certificate_date",
            "allowance_amount",
            "note",
            "version",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            self.fields["person"].read_only = True

    def service_data(self) -> dict[str, Any]:
        data = dict(self.validated_data)
        data.pop("person", None)
        data.pop("version", None)
        return data


class ExpungementRecordSerializer(serializers.Serializer):
    judgment = serializers.IntegerField(source="judgment.pk")
    expunged = serializers.BooleanField()
    provisional = serializers.BooleanField()
    case = serializers.JSONField(
        allow_null=True, help_text="The case given to the rule (as POST /rules/expungement/)."
    )
    result = serializers.JSONField(allow_null=True, help_text="The rule's answer, with its explanation.")
    explanation = serializers.ListField(child=serializers.CharField())


class PersonExpungementSerializer(serializers.Serializer):
    person = serializers.CharField(help_text="Record code.")
    status = serializers.CharField(
        help_text="no_record, expunged, eligible_date_known, court_decision_required, blocked or unknown."
    )
    eligible_on = serializers.DateField(
        allow_null=True, help_text="The day every pending record is expunged."
    )
    expunged_on = serializers.DateField(allow_null=True)
    provisional = serializers.BooleanField()
    current_judgment = serializers.IntegerField(
        allow_null=True, help_text="The earliest conviction not yet expunged."
    )
    records = ExpungementRecordSerializer(many=True)
    no_record_judgments = serializers.ListField(child=serializers.IntegerField())


def expungement_answer(person: Person, expungement: Any) -> dict[str, Any]:
    current = expungement.current
    return {
        "person": person.record_code,
        "status": expungement.status,
        "eligible_on": expungement.eligible_on,
        "expunged_on": expungement.expunged_on,
        "provisional": expungement.provisional,
        "current_judgment": current.judgment.pk if current else None,
        "records": [
            {
                "judgment": record.judgment,
                "expunged": record.expunged,
                "provisional": record.provisional,
                "case": record.case,
                "result": record.result.as_dict(explain=True) if record.result is not None else None,
                "explanation": record.explanation,
            }
            for record in expungement.records
        ],
        "no_record_judgments": [j.pk for j in expungement.no_record],
    }


class JudgmentRecidivismSerializer(serializers.Serializer):
    judgment = serializers.IntegerField()
    classification = serializers.CharField(
        allow_null=True, help_text="none, recidivism or dangerous_recidivism."
    )
    rule = serializers.CharField(allow_null=True)
    prior_judgments = serializers.ListField(
        child=serializers.DictField(), help_text="{judgment, expunged} of each."
    )
    explanation = serializers.ListField(child=serializers.CharField())
