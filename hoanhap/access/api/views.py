"""API endpoints of the access app: the same selectors and services as the pages."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import generics, mixins, viewsets
from rest_framework.exceptions import ValidationError

from hoanhap.access import selectors, services
from hoanhap.access.api.serializers import MeSerializer, OrganisationSerializer, UserSerializer
from hoanhap.access.filters import OrganisationFilter, UserFilter
from hoanhap.access.models import Organisation, User
from hoanhap.access.roles import Cap
from hoanhap.access.views_base import ScopedAPIMixin


def _service_errors(exc: DjangoValidationError) -> ValidationError:
    return ValidationError(
        exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
    )


class OrganisationViewSet(
    ScopedAPIMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Organisations in the caller's areas. Reading needs view_organisations; writing
    manage_organisations, on a unit inside the caller's areas."""

    model = Organisation
    queryset = Organisation.objects.none()  # for the schema; rows come from get_queryset
    serializer_class = OrganisationSerializer
    filterset_class = OrganisationFilter
    access_capability = Cap.VIEW_ORGANISATIONS
    write_capability = Cap.MANAGE_ORGANISATIONS
    WRITE_ACTIONS = {"create", "update", "partial_update"}

    def initial(self, request, *args, **kwargs):
        if self.action in self.WRITE_ACTIONS:
            self.access_capability = self.write_capability
        super().initial(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.organisation_list(actor=self.request.user, cap=self.access_capability)

    def perform_create(self, serializer):
        try:
            serializer.instance = services.organisation_create(
                actor=self.request.user, **serializer.validated_data
            )
        except DjangoValidationError as exc:
            raise _service_errors(exc) from exc

    def perform_update(self, serializer):
        try:
            serializer.instance = services.organisation_update(
                actor=self.request.user, organisation=serializer.instance, data=serializer.validated_data
            )
        except DjangoValidationError as exc:
            raise _service_errors(exc) from exc


class UserViewSet(ScopedAPIMixin, viewsets.ReadOnlyModelViewSet):
    """Accounts the caller manages (manage_accounts), with their role grants in force."""

    model = User
    queryset = User.objects.none()
    serializer_class = UserSerializer
    filterset_class = UserFilter
    access_capability = Cap.MANAGE_ACCOUNTS

    def get_queryset(self):
        return selectors.user_list(actor=self.request.user)


class MeView(ScopedAPIMixin, generics.RetrieveAPIView):
    """The signed-in account: its roles in force and, per capability, the units it covers."""

    serializer_class = MeSerializer
    access_capability = "signed_in"

    def get_object(self):
        return self.request.user
