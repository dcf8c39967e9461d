"""Serializers of the geography API; the resolve shape is ``Resolution.as_dict()``."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from hoanhap.geo.models import Commune, Province


class ProvinceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Province
        fields = ["code", "name", "short_name", "kind"]


class CommuneSerializer(serializers.ModelSerializer):
    province_code = serializers.IntegerField(source="province_id", read_only=True)
    province_name = serializers.CharField(source="province.name", read_only=True)

    class Meta:
        model = Commune
        fields = ["code", "name", "short_name", "kind", "province_code", "province_name"]


class PredecessorSerializer(serializers.Serializer):
    code = serializers.IntegerField(help_text="Legacy code: never compare it with current codes.")
    name = serializers.CharField()
    district = serializers.CharField()
    province = serializers.CharField()
    partial = serializers.BooleanField(help_text="The legacy commune was split; only part of it is here.")
    also_to = serializers.ListField(child=serializers.CharField(), help_text="Where the rest of it went.")


class CommuneDetailSerializer(CommuneSerializer):
    predecessors = PredecessorSerializer(many=True, read_only=True)

    class Meta(CommuneSerializer.Meta):
        fields = [*CommuneSerializer.Meta.fields, "predecessors"]


class ResolveQuerySerializer(serializers.Serializer):
    q = serializers.CharField(
        required=False, default="", allow_blank=True, max_length=500, help_text="The address (free text)."
    )
    province_hint = serializers.IntegerField(
        required=False, help_text="Current province code that breaks ties, e.g. 91.", min_value=1
    )

    def validate_province_hint(self, value):
        if not Province.objects.filter(code=value).exists():
            raise serializers.ValidationError(_("No current province has this code."))
        return value


class MatchSerializer(serializers.Serializer):
    code = serializers.IntegerField()
    name = serializers.CharField(help_text="With its type, e.g. 'Xã Thoại Sơn'.")
    province_code = serializers.IntegerField()
    province_name = serializers.CharField()
    partial = serializers.BooleanField(help_text="The legacy commune named in the text was split.")


class LegacyPathSerializer(serializers.Serializer):
    province = serializers.CharField(allow_null=True)
    district = serializers.CharField(allow_null=True)
    commune = serializers.CharField(allow_null=True)


class ResolutionSerializer(serializers.Serializer):
    matches = MatchSerializer(many=True)
    legacy = LegacyPathSerializer(
        allow_null=True, help_text="Filled when the text was read as a legacy address."
    )
    message = serializers.CharField(allow_null=True, help_text="Why nothing or several matched.")
