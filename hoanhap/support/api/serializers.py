"""API shapes of the support app. Output serializers read; input serializers only validate shapes —
the services decide and write."""

from __future__ import annotations

from rest_framework import serializers

from hoanhap.intake.api.serializers import PersonRefSerializer, choice
from hoanhap.support.models import (
    Child,
    Form01Entry,
    Form01List,
    FundingSource,
    PolicyBankReferral,
    SupportAction,
    SupportKind,
)


class SupportKindSerializer(serializers.ModelSerializer):
    value_basis = choice(SupportKind.Basis.choices, read_only=True)

    class Meta:
        model = SupportKind
        fields = [
            "id",
            "code",
            "name_vi",
            "name_en",
            "description",
            "legal_reference",
            "value_basis",
            "asks_item",
            "tracks_employment",
            "is_active",
            "order",
        ]
        read_only_fields = fields


class FundingSourceSerializer(serializers.ModelSerializer):
    class Meta:
        model = FundingSource
        fields = ["id", "code", "name_vi", "name_en", "is_active", "order"]
        read_only_fields = fields


class ChildRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Child
        fields = ["id", "full_name", "birth_date"]
        read_only_fields = fields


class SupportActionSerializer(serializers.ModelSerializer):
    kind = serializers.SlugRelatedField(slug_field="code", read_only=True)
    funding_source = serializers.SlugRelatedField(slug_field="code", read_only=True)
    person = PersonRefSerializer(read_only=True)
    relative_name = serializers.CharField(source="relative.full_name", read_only=True, default=None)
    child = ChildRefSerializer(read_only=True)
    beneficiary_type = choice(
        [("person", "person"), ("relative", "relative"), ("child", "child")], read_only=True
    )
    value_basis = serializers.CharField(read_only=True, help_text="cash | estimate")

    class Meta:
        model = SupportAction
        fields = [
            "id",
            "kind",
            "beneficiary_type",
            "person",
            "relative",
            "relative_name",
            "child",
            "given_on",
            "provider",
            "community_model_name",
            "value",
            "value_basis",
            "quantity",
            "item",
            "funding_source",
            "description",
            "outcome",
            "employer",
            "job_start_on",
            "employed_3m",
            "employed_6m",
            "employed_12m",
            "version",
        ]
        read_only_fields = fields


class SupportActionInputSerializer(serializers.Serializer):
    """One of ``person`` (record code), ``relative`` (id, with or without the person) or ``child`` (id)."""

    kind = serializers.SlugRelatedField(
        slug_field="code", queryset=SupportKind.objects.filter(is_active=True)
    )
    person = serializers.CharField(
        required=False, help_text="Record code of the person (or of the relative's person)."
    )
    relative = serializers.IntegerField(required=False)
    child = serializers.IntegerField(required=False)
    given_on = serializers.DateField()
    provider = serializers.IntegerField(required=False, allow_null=True)
    community_model_name = serializers.CharField(required=False, allow_blank=True, max_length=255)
    value = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    value_basis = serializers.CharField(required=False, help_text="cash | estimate")
    quantity = serializers.IntegerField(required=False, min_value=1)
    item = serializers.CharField(required=False, allow_blank=True, max_length=150)
    funding_source = serializers.SlugRelatedField(
        slug_field="code",
        queryset=FundingSource.objects.filter(is_active=True),
        required=False,
        allow_null=True,
    )
    description = serializers.CharField(required=False, allow_blank=True)
    outcome = serializers.CharField(required=False, allow_blank=True)
    employer = serializers.CharField(required=False, allow_blank=True, max_length=255)
    job_start_on = serializers.DateField(required=False, allow_null=True)

    def validate_value_basis(self, value: str) -> str:
        if value not in SupportAction.Basis.values:
            raise serializers.ValidationError("cash | estimate")
        return value


class FollowUpInputSerializer(serializers.Serializer):
    months = serializers.ChoiceField(choices=[3, 6, 12])
    employed = serializers.BooleanField()


class ChildSerializer(serializers.ModelSerializer):
    parent = PersonRefSerializer(read_only=True)
    parent_relation = choice(Child.ParentRelation.choices, read_only=True)
    sex = serializers.CharField(read_only=True, help_text="male | female | empty")

    class Meta:
        model = Child
        fields = [
            "id",
            "parent",
            "parent_relation",
            "full_name",
            "birth_date",
            "sex",
            "school",
            "grade",
            "guardian_name",
            "guardian_relation",
            "guardian_phone",
            "province",
            "commune",
            "address",
            "note",
            "version",
        ]
        read_only_fields = fields


class ChildInputSerializer(serializers.Serializer):
    parent = serializers.CharField(help_text="Record code of the parent.")
    parent_relation = choice(Child.ParentRelation.choices, required=False)
    full_name = serializers.CharField(max_length=150)
    birth_date = serializers.DateField(required=False, allow_null=True)
    sex = serializers.CharField(required=False, allow_blank=True, help_text="male | female | empty")
    school = serializers.CharField(required=False, allow_blank=True, max_length=255)
    grade = serializers.CharField(required=False, allow_blank=True, max_length=20)
    guardian_name = serializers.CharField(required=False, allow_blank=True, max_length=150)
    guardian_relation = serializers.CharField(required=False, allow_blank=True, max_length=60)
    guardian_phone = serializers.CharField(required=False, allow_blank=True, max_length=30)
    commune = serializers.IntegerField(required=False, allow_null=True, help_text="Current commune code.")
    address = serializers.CharField(required=False, allow_blank=True, max_length=255)
    note = serializers.CharField(required=False, allow_blank=True)

    def validate_sex(self, value: str) -> str:
        if value and value not in Child.Sex.values:
            raise serializers.ValidationError("male | female | empty")
        return value


class ReferralSerializer(serializers.ModelSerializer):
    person = PersonRefSerializer(read_only=True)
    purpose = choice(PolicyBankReferral.Purpose.choices, read_only=True)
    status = choice(PolicyBankReferral.Status.choices, read_only=True)

    class Meta:
        model = PolicyBankReferral
        fields = [
            "id",
            "person",
            "purpose",
            "amount",
            "months",
            "referred_on",
            "eligibility",
            "status",
            "decided_on",
            "decision_reference",
            "approved_amount",
            "decision_note",
            "repaid_on",
            "support_action",
            "version",
        ]
        read_only_fields = fields


class ReferralInputSerializer(serializers.Serializer):
    person = serializers.CharField(help_text="Record code.")
    purpose = choice(PolicyBankReferral.Purpose.choices)
    amount = serializers.IntegerField(min_value=1)
    months = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=120)
    referred_on = serializers.DateField(required=False)


class DecisionInputSerializer(serializers.Serializer):
    status = choice(
        [
            (s, s)
            for s in (
                PolicyBankReferral.Status.APPROVED,
                PolicyBankReferral.Status.REJECTED,
                PolicyBankReferral.Status.WITHDRAWN,
            )
        ]
    )
    decided_on = serializers.DateField()
    approved_amount = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    reference = serializers.CharField(required=False, allow_blank=True, max_length=100)
    note = serializers.CharField(required=False, allow_blank=True)
    version = serializers.IntegerField(required=False)


class CheckSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    passed = serializers.BooleanField()
    reference = serializers.CharField()
    explanation = serializers.ListField(child=serializers.CharField())
    facts = serializers.DictField()


class EligibilityResultSerializer(serializers.Serializer):
    eligible = serializers.BooleanField()
    checks = CheckSerializer(many=True)


class EligibilitySerializer(serializers.Serializer):
    """The rule parameters in force, and the result for the person and request given (null without one)."""

    training_cap_per_month = serializers.IntegerField()
    business_cap = serializers.IntegerField()
    window_years = serializers.IntegerField()
    result = EligibilityResultSerializer(allow_null=True)


class Form01EntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = Form01Entry
        fields = [
            "id",
            "person",
            "position",
            "full_name",
            "birth",
            "address",
            "release_date",
            "completed_on",
            "certificate_number",
            "certificate_date",
            "included",
            "exclusion_reason",
        ]
        read_only_fields = fields


class Form01ListSerializer(serializers.ModelSerializer):
    status = choice(Form01List.Status.choices, read_only=True)
    entries = Form01EntrySerializer(many=True, read_only=True)

    class Meta:
        model = Form01List
        fields = [
            "id",
            "province",
            "commune",
            "prepared_on",
            "status",
            "certified_on",
            "certificate_reference",
            "note",
            "entries",
            "version",
        ]
        read_only_fields = fields


class Form01GenerateInputSerializer(serializers.Serializer):
    commune = serializers.IntegerField(help_text="Current commune code.")
    prepared_on = serializers.DateField(required=False)


class Form01CertifyInputSerializer(serializers.Serializer):
    certified_on = serializers.DateField()
    reference = serializers.CharField(required=False, allow_blank=True, max_length=100)
    version = serializers.IntegerField(required=False)
