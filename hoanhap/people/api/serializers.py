"""Person as the API shows and takes it. Writes go through ``services``; this only shapes data."""

from __future__ import annotations

from rest_framework import serializers

from hoanhap.people.ethnicities import ETHNICITY_CHOICES
from hoanhap.people.models import Person


class PersonSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True)
    record_code = serializers.CharField(read_only=True)
    birth_date = serializers.CharField(
        source="birth_date_display", read_only=True, help_text="dd/mm/yyyy, mm/yyyy or yyyy."
    )
    province = serializers.IntegerField(source="province_id", help_text="Current province code, e.g. 91.")
    commune = serializers.IntegerField(
        source="commune_id", allow_null=True, required=False, help_text="Current commune code, e.g. 30682."
    )
    commune_name = serializers.SerializerMethodField()
    ethnicity = serializers.ChoiceField(choices=ETHNICITY_CHOICES, allow_null=True, required=False)
    personal_id = serializers.CharField(allow_null=True, allow_blank=True, required=False, max_length=20)
    version = serializers.IntegerField(
        required=False, help_text="The version you read; required on update (a stale one answers 409)."
    )
    confirm_duplicates = serializers.BooleanField(
        write_only=True,
        required=False,
        default=False,
        help_text="Register even if probable duplicates exist.",
    )

    class Meta:
        model = Person
        fields = [
            "id",
            "record_code",
            "full_name",
            "other_names",
            "birth_year",
            "birth_month",
            "birth_day",
            "birth_date",
            "sex",
            "ethnicity",
            "religion",
            "nationality",
            "stateless",
            "personal_id",
            "old_id_number",
            "document_type",
            "document_number",
            "phone",
            "province",
            "commune",
            "commune_name",
            "address",
            "status",
            "classification",
            "note",
            "version",
            "confirm_duplicates",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        extra_kwargs = {"old_id_number": {"max_length": 15}}

    def get_commune_name(self, obj: Person) -> str:
        return obj.commune.name if obj.commune_id else ""

    def service_data(self) -> dict:
        data = dict(self.validated_data)
        data.pop("version", None)
        data.pop("confirm_duplicates", None)
        if "province_id" in data:
            data["province"] = data.pop("province_id")
        if "commune_id" in data:
            data["commune"] = data.pop("commune_id")
        return data


class DuplicateSerializer(serializers.Serializer):
    record_code = serializers.CharField()
    full_name = serializers.CharField()
    birth_year = serializers.IntegerField(allow_null=True)


class PersonPageSerializer(serializers.Serializer):
    """One page of a ranked search: offsets of the next and previous pages (null at the ends)."""

    next = serializers.IntegerField(allow_null=True)
    previous = serializers.IntegerField(allow_null=True)
    results = PersonSerializer(many=True)
