"""Schemas of the rule endpoints: the same JSON as the ``hoanhap rules`` command, in and out.

These serializers describe the shapes for the OpenAPI schema only; the case is validated by
``hoanhap.justice.rules`` (one validator for the CLI, the API and the page), so that a case the
command accepts is accepted here and answers the same.

Codes are documented as string patterns rather than enums: the contract fixes names such as
``type`` and ``status``, and enum components named after them would collide with other apps'.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from hoanhap.justice.rules.tables import (
    ADDITIONAL_PENALTY_TYPES,
    BLOCKERS,
    CLASSIFICATIONS,
    INTENTS,
    MAIN_PENALTY_TYPES,
    RELEASE_GROUPS,
    SEVERITIES,
)


def code_field(codes, *, help_text: str, **kwargs):
    """A string restricted to ``codes``, shown in the schema as a pattern with the list in its description."""
    codes = list(codes)

    @extend_schema_field({"type": "string", "pattern": "^({})$".format("|".join(codes))})
    class CodeField(serializers.CharField):
        pass

    return CodeField(
        help_text="{text} One of: {codes}.".format(text=help_text, codes=", ".join(codes)), **kwargs
    )


class RulesLengthSerializer(serializers.Serializer):
    years = serializers.IntegerField(min_value=0, required=False, default=0)
    months = serializers.IntegerField(min_value=0, required=False, default=0, help_text="May exceed 11.")
    days = serializers.IntegerField(min_value=0, required=False, default=0)


class RulesMainPenaltySerializer(RulesLengthSerializer):
    type = code_field(MAIN_PENALTY_TYPES, help_text="Main penalty pronounced.")


class RulesAdditionalPenaltySerializer(serializers.Serializer):
    type = code_field(ADDITIONAL_PENALTY_TYPES, help_text="Additional penalty.")
    completed_on = serializers.DateField(
        allow_null=True, required=False, help_text="Null while not completed."
    )


class RulesNewConvictionSerializer(serializers.Serializer):
    offence_committed_on = serializers.DateField()
    main_penalty_completed_on = serializers.DateField(
        allow_null=True, required=False, help_text="Null while the new main penalty runs."
    )


class ExpungementCaseSerializer(serializers.Serializer):
    main_penalty = RulesMainPenaltySerializer(
        help_text="For suspended_imprisonment, the prison term pronounced."
    )
    main_penalty_completed_on = serializers.DateField(
        help_text="Completion of the main penalty; for suspended_imprisonment, the end of its probation."
    )
    chapters = serializers.ListField(
        child=serializers.IntegerField(min_value=13, max_value=26),
        min_length=1,
        help_text="Criminal Code chapters of the offences (13 = XIII … 26 = XXVI).",
    )
    additional_penalties = RulesAdditionalPenaltySerializer(many=True, required=False)
    other_obligations_completed_on = serializers.DateField(
        allow_null=True, help_text="Null while fees, compensation or other decisions are owed."
    )
    new_convictions = RulesNewConvictionSerializer(many=True, required=False)


class ExpungementAnswerSerializer(serializers.Serializer):
    route = code_field(["automatic", "court"], help_text="Art. 70 (automatic) or Art. 71 (court).")
    eligible_on = serializers.DateField(allow_null=True, help_text="Null when blocked.")
    status = code_field(["eligible_date_known", "blocked", "court_decision_required"], help_text="Status.")
    blocked_by = serializers.ListField(child=code_field(BLOCKERS, help_text="What blocks."))
    rule = serializers.CharField(help_text="The articles applied.")
    explanation = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="Only with ?explain=true: the facts used."
    )


class RulesPriorConvictionSerializer(serializers.Serializer):
    severity = code_field(SEVERITIES, help_text="Severity class.")
    intent = code_field(INTENTS, help_text="Intent.")
    was_recidivism = serializers.BooleanField(
        required=False,
        default=False,
        help_text="The conviction itself was recidivism or dangerous recidivism.",
    )
    exempted_from_penalty = serializers.BooleanField(required=False, default=False)
    expunged = serializers.BooleanField(required=False, default=False)


class RulesOffenceSerializer(serializers.Serializer):
    severity = code_field(SEVERITIES, help_text="Severity class.")
    intent = code_field(INTENTS, help_text="Intent.")


class RecidivismCaseSerializer(serializers.Serializer):
    prior_convictions = RulesPriorConvictionSerializer(many=True, required=False)
    new_offence = RulesOffenceSerializer()


class RecidivismAnswerSerializer(serializers.Serializer):
    classification = code_field(CLASSIFICATIONS, help_text="Art. 53 classification.")
    records_counted = serializers.IntegerField(help_text="Prior convictions that count as a criminal record.")
    rule = serializers.CharField()
    explanation = serializers.ListField(child=serializers.CharField(), required=False)


class ConditionalReleaseCaseSerializer(serializers.Serializer):
    term = RulesLengthSerializer(
        help_text="Fixed term pronounced; for a commuted life sentence, the commuted term."
    )
    life_commuted = serializers.BooleanField(required=False, default=False)
    served_from = serializers.DateField(help_text="First day served (custody included).")
    reductions = RulesLengthSerializer(required=False, help_text="Sentence reductions granted so far.")
    group = code_field(RELEASE_GROUPS, help_text="Art. 66(1)(đ) group.", required=False, default="general")
    release_on = serializers.DateField(allow_null=True, required=False, help_text="Proposed release date.")


class ConditionalReleaseAnswerSerializer(serializers.Serializer):
    eligible_on = serializers.DateField(allow_null=True)
    term_ends_on = serializers.DateField()
    release_on = serializers.DateField(allow_null=True)
    time_condition_met = serializers.BooleanField(allow_null=True)
    probation = RulesLengthSerializer(allow_null=True)
    probation_ends_on = serializers.DateField(allow_null=True)
    shortening_from = serializers.DateField(allow_null=True)
    rule = serializers.CharField()
    explanation = serializers.ListField(child=serializers.CharField(), required=False)


class RuleErrorSerializer(serializers.Serializer):
    error = serializers.CharField(help_text="What is wrong, starting with the field.")
    field = serializers.CharField(allow_null=True, help_text="The field, as a path: main_penalty.years.")
