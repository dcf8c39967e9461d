"""Read-only geography API for any signed-in caller: provinces, communes, and the resolver."""

from __future__ import annotations

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from hoanhap.access.views_base import ScopedAPIMixin
from hoanhap.geo import selectors
from hoanhap.geo.api import serializers as s
from hoanhap.geo.models import Commune, Province
from hoanhap.geo.resolver import resolve


class ProvinceViewSet(ScopedAPIMixin, viewsets.ReadOnlyModelViewSet):
    """The 34 current provinces and centrally-run cities."""

    access_capability = "signed_in"
    queryset = Province.objects.order_by("code")
    serializer_class = s.ProvinceSerializer
    filter_backends: list = []


class CommuneFilter(django_filters.FilterSet):
    province = django_filters.NumberFilter(field_name="province_id", help_text="Current province code.")
    q = django_filters.CharFilter(
        method="filter_q", help_text="Name, folded: 'thoai son' finds 'Xã Thoại Sơn'."
    )

    class Meta:
        model = Commune
        fields = ["province", "q"]

    def filter_q(self, queryset, name, value):
        key = selectors.search_key(value)
        return queryset.filter(name_folded__contains=key) if key else queryset


class CommuneViewSet(ScopedAPIMixin, viewsets.ReadOnlyModelViewSet):
    """The 3,321 current communes, wards and special zones; the detail lists their predecessors."""

    access_capability = "signed_in"
    queryset = Commune.objects.select_related("province").order_by("province_id", "code")
    filterset_class = CommuneFilter

    def get_serializer_class(self):
        return s.CommuneDetailSerializer if self.action == "retrieve" else s.CommuneSerializer

    def retrieve(self, request, *args, **kwargs):
        commune = self.get_object()
        commune.predecessors = selectors.predecessors_of([commune.code])[commune.code]
        return Response(self.get_serializer(commune).data)


class ResolveView(ScopedAPIMixin, APIView):
    """Resolve a free-text address, current or legacy, to current communes (same shape as the command)."""

    access_capability = "signed_in"

    @extend_schema(parameters=[s.ResolveQuerySerializer], responses=s.ResolutionSerializer)
    def get(self, request):
        query = s.ResolveQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        result = resolve(query.validated_data["q"], province_hint=query.validated_data.get("province_hint"))
        return Response(result.as_dict())
