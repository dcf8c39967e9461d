"""API shapes of organisations, accounts and the signed-in user. Writes go through services."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from hoanhap.access import policy
from hoanhap.access.models import Organisation, RoleAssignment, User
from hoanhap.access.roles import ROLE_SPECS, Cap


class OrganisationSerializer(serializers.ModelSerializer):
    province_name = serializers.CharField(source="province.name", read_only=True)
    commune_name = serializers.CharField(source="commune.name", read_only=True, allow_null=True, default=None)

    class Meta:
        model = Organisation
        fields = [
            "id",
            "name",
            "kind",
            "province",
            "province_name",
            "commune",
            "commune_name",
            "address",
            "phone",
            "is_active",
        ]
        # Uniqueness and unit rules are checked by the service (model validation), in one place.
        validators: list = []


class OrganisationBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "name", "kind", "province", "commune"]


class RoleGrantSerializer(serializers.ModelSerializer):
    role_display = serializers.CharField(source="get_role_display", read_only=True)
    scoping = serializers.SerializerMethodField()

    class Meta:
        model = RoleAssignment
        fields = [
            "id",
            "role",
            "role_display",
            "scoping",
            "province",
            "commune",
            "organisation",
            "starts_on",
            "ends_on",
        ]

    def get_scoping(self, grant: RoleAssignment) -> str:
        return ROLE_SPECS[grant.role].scoping


class UserSerializer(serializers.ModelSerializer):
    organisation = OrganisationBriefSerializer(read_only=True)
    roles = RoleGrantSerializer(source="current_grants", many=True, read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "full_name", "phone", "organisation", "is_active", "last_login", "roles"]
        read_only_fields = fields


class AreaSerializer(serializers.Serializer):
    capability = serializers.CharField()
    everything = serializers.BooleanField()
    provinces = serializers.ListField(child=serializers.IntegerField())
    communes = serializers.ListField(child=serializers.IntegerField())


ALL_CAPS = sorted(v for k, v in vars(Cap).items() if not k.startswith("_") and isinstance(v, str))


class MeSerializer(serializers.ModelSerializer):
    organisation = OrganisationBriefSerializer(read_only=True)
    roles = serializers.SerializerMethodField()
    areas = serializers.SerializerMethodField()
    needs_two_factor = serializers.BooleanField(read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "full_name", "organisation", "needs_two_factor", "roles", "areas"]
        read_only_fields = fields

    @extend_schema_field(RoleGrantSerializer(many=True))
    def get_roles(self, user: User):
        return RoleGrantSerializer(user.active_assignments(), many=True).data

    @extend_schema_field(AreaSerializer(many=True))
    def get_areas(self, user: User):
        """For each capability held, the units where it applies (area roles only)."""
        areas = []
        for cap in ALL_CAPS:
            if not policy.has_cap(user, cap):
                continue
            scope = policy.scope_for(user, cap)
            areas.append(
                {
                    "capability": cap,
                    "everything": scope.everything,
                    "provinces": sorted(scope.provinces),
                    "communes": sorted(scope.communes),
                }
            )
        return AreaSerializer(areas, many=True).data
