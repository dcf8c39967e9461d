"""API shapes of case-work records. Output serializers read; input serializers only validate shapes —
the services decide and write. Nothing police-only appears in the shapes helpers can read."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from hoanhap.casework.models import Contact, HelperAssignment, Need, PlanAction, PoliceNote, Review
from hoanhap.intake.api.serializers import PersonRefSerializer
from hoanhap.people.models import Person

_CHOICE_CLASSES: dict[str, type] = {}


def choice(choices, component: str, **kwargs) -> serializers.ChoiceField:
    """A choice field whose values form one named schema component (``CaseworkContactKind``…), so that
    fields called ``kind`` or ``status`` in several apps never collide in the schema."""
    if component not in _CHOICE_CLASSES:
        values = [value for value, _label in choices]
        _CHOICE_CLASSES[component] = extend_schema_field(
            {"type": "string", "enum": values}, component_name=component
        )(type(f"{component}Field", (serializers.ChoiceField,), {}))
    return _CHOICE_CLASSES[component](choices=choices, **kwargs)


class AssignmentSerializer(serializers.ModelSerializer):
    person = PersonRefSerializer(read_only=True)
    display_name = serializers.CharField(read_only=True)

    class Meta:
        model = HelperAssignment
        fields = [
            "id",
            "person",
            "organisation",
            "user",
            "helper_name",
            "helper_role",
            "phone",
            "start_date",
            "end_date",
            "note",
            "display_name",
            "version",
        ]


class AssignmentInputSerializer(serializers.Serializer):
    person = serializers.CharField(help_text="The person's record code, e.g. 91-000123.")
    organisation = serializers.IntegerField(required=False, allow_null=True)
    user = serializers.IntegerField(required=False, allow_null=True)
    helper_name = serializers.CharField(required=False, allow_blank=True, max_length=150)
    helper_role = serializers.CharField(required=False, allow_blank=True, max_length=150)
    phone = serializers.CharField(required=False, allow_blank=True, max_length=30)
    start_date = serializers.DateField()
    end_date = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True)


class AssignmentUpdateSerializer(serializers.Serializer):
    organisation = serializers.IntegerField(required=False, allow_null=True)
    user = serializers.IntegerField(required=False, allow_null=True)
    helper_name = serializers.CharField(required=False, allow_blank=True, max_length=150)
    helper_role = serializers.CharField(required=False, allow_blank=True, max_length=150)
    phone = serializers.CharField(required=False, allow_blank=True, max_length=30)
    start_date = serializers.DateField(required=False)
    end_date = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True)
    version = serializers.IntegerField(required=False)


class NeedSerializer(serializers.ModelSerializer):
    person = PersonRefSerializer(read_only=True)
    domain = choice(Need.Domain.choices, "CaseworkNeedDomain", read_only=True)
    status = choice(Need.Status.choices, "CaseworkNeedStatus", read_only=True)

    class Meta:
        model = Need
        fields = [
            "id",
            "person",
            "domain",
            "status",
            "description",
            "declined_reason",
            "status_since",
            "version",
        ]


class NeedInputSerializer(serializers.Serializer):
    person = serializers.CharField(help_text="The person's record code, e.g. 91-000123.")
    domain = choice(Need.Domain.choices, "CaseworkNeedDomain")
    status = choice(Need.Status.choices, "CaseworkNeedStatus")
    description = serializers.CharField(required=False, allow_blank=True)
    declined_reason = serializers.CharField(required=False, allow_blank=True)
    version = serializers.IntegerField(required=False, help_text="The need's version, when it exists.")


class NeedUpdateSerializer(serializers.Serializer):
    status = choice(Need.Status.choices, "CaseworkNeedStatus")
    description = serializers.CharField(required=False, allow_blank=True)
    declined_reason = serializers.CharField(required=False, allow_blank=True)
    version = serializers.IntegerField(required=False)


class PlanActionSerializer(serializers.ModelSerializer):
    person = PersonRefSerializer(read_only=True)
    status = choice(PlanAction.Status.choices, "CaseworkPlanStatus", read_only=True)

    class Meta:
        model = PlanAction
        fields = [
            "id",
            "person",
            "need",
            "description",
            "owner",
            "due_on",
            "status",
            "result",
            "result_on",
            "version",
        ]


class PlanActionInputSerializer(serializers.Serializer):
    person = serializers.CharField(help_text="The person's record code, e.g. 91-000123.")
    need = serializers.IntegerField(help_text="The id of the person's need the action answers.")
    description = serializers.CharField(max_length=255)
    owner = serializers.CharField(max_length=150)
    due_on = serializers.DateField()


class PlanActionUpdateSerializer(serializers.Serializer):
    need = serializers.IntegerField(required=False)
    description = serializers.CharField(required=False, max_length=255)
    owner = serializers.CharField(required=False, max_length=150)
    due_on = serializers.DateField(required=False)
    version = serializers.IntegerField(required=False)


class PlanResultInputSerializer(serializers.Serializer):
    status = choice(
        [(PlanAction.Status.DONE, "done"), (PlanAction.Status.NOT_DONE, "not done")], "CaseworkPlanOutcome"
    )
    result = serializers.CharField()
    result_on = serializers.DateField(required=False)
    version = serializers.IntegerField(required=False)


class ContactSerializer(serializers.ModelSerializer):
    person = PersonRefSerializer(read_only=True)
    kind = choice(Contact.Kind.choices, "CaseworkContactKind", read_only=True)

    class Meta:
        model = Contact
        fields = ["id", "person", "occurred_on", "kind", "participants", "observations", "note", "version"]


class ContactInputSerializer(serializers.Serializer):
    person = serializers.CharField(help_text="The person's record code, e.g. 91-000123.")
    occurred_on = serializers.DateField()
    kind = choice(Contact.Kind.choices, "CaseworkContactKind")
    participants = serializers.CharField(max_length=255)
    observations = serializers.CharField(required=False, allow_blank=True)
    note = serializers.CharField(required=False, allow_blank=True)
    police_note = serializers.CharField(
        required=False, allow_blank=True, help_text="Police only: stored apart, as a police note."
    )


class ContactUpdateSerializer(serializers.Serializer):
    occurred_on = serializers.DateField(required=False)
    kind = choice(Contact.Kind.choices, "CaseworkContactKind", required=False)
    participants = serializers.CharField(required=False, max_length=255)
    observations = serializers.CharField(required=False, allow_blank=True)
    note = serializers.CharField(required=False, allow_blank=True)
    version = serializers.IntegerField(required=False)


class PoliceNoteSerializer(serializers.ModelSerializer):
    person = PersonRefSerializer(read_only=True)

    class Meta:
        model = PoliceNote
        fields = ["id", "person", "written_on", "text", "contact", "version"]


class PoliceNoteInputSerializer(serializers.Serializer):
    person = serializers.CharField(help_text="The person's record code, e.g. 91-000123.")
    written_on = serializers.DateField(required=False)
    text = serializers.CharField()
    contact = serializers.IntegerField(required=False, allow_null=True)


class PoliceNoteUpdateSerializer(serializers.Serializer):
    written_on = serializers.DateField(required=False)
    text = serializers.CharField()
    version = serializers.IntegerField(required=False)


class ReviewSerializer(serializers.ModelSerializer):
    person = PersonRefSerializer(read_only=True)
    kind = choice(Review.Kind.choices, "CaseworkReviewKind", read_only=True)
    group = serializers.CharField(source="classification.group", read_only=True)

    class Meta:
        model = Review
        fields = [
            "id",
            "person",
            "kind",
            "reviewed_on",
            "group",
            "classification",
            "summary",
            "next_review_on",
            "needs_snapshot",
            "plan_snapshot",
        ]


class NeedChangeSerializer(serializers.Serializer):
    domain = choice(Need.Domain.choices, "CaseworkNeedDomain")
    status = choice(Need.Status.choices, "CaseworkNeedStatus")
    description = serializers.CharField(required=False, allow_blank=True)
    declined_reason = serializers.CharField(required=False, allow_blank=True)


class ReviewInputSerializer(serializers.Serializer):
    person = serializers.CharField(help_text="The person's record code, e.g. 91-000123.")
    group = choice(Person.Classification.choices, "CaseworkGroup")
    summary = serializers.CharField()
    reviewed_on = serializers.DateField(required=False)
    next_review_on = serializers.DateField(required=False)
    needs = NeedChangeSerializer(many=True, required=False)
    version = serializers.IntegerField(required=False, help_text="The person's version.")
