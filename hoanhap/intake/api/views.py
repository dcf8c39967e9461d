"""/api/v1/intake/: the same selectors and services as the pages.

* ``notices``: the release notices of the caller's areas (``view_people``); an officer files a
  paper notice (``edit_casework``, POST) and records the residence check (``POST …/verify/``);
* ``facility-notices``: a detention facility's own notices — list, read, and POST to send one
  for any commune (``send_notices``);
* ``receptions``, ``classifications``, ``management-ends``: list/read (``view_people``), POST to
  take the step on a person (``edit_casework``), by record code and the person's ``version``;
* ``transfers``: both directions; POST sends, ``…/confirm/`` and ``…/return/`` answer (receiving
  commune);
* ``events``: the management events of the caller's areas (read only), for period summaries.

A stale ``version`` answers 409; a step the person's status does not allow answers 400.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.response import Response

from hoanhap.access import policy
from hoanhap.access.roles import Cap
from hoanhap.access.views_base import ScopedAPIMixin
from hoanhap.intake import selectors, services
from hoanhap.intake.api import serializers as s
from hoanhap.intake.models import (
    Classification,
    ManagementEnd,
    ManagementEvent,
    Reception,
    ReleaseNotice,
    Transfer,
)
from hoanhap.people import selectors as people_selectors


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


def _errors(exc: DjangoValidationError) -> APIException:
    codes = {getattr(exc, "code", None)}
    if hasattr(exc, "error_list"):
        codes |= {e.code for e in exc.error_list}
    if "stale" in codes:
        return Conflict({"detail": " ".join(exc.messages)})
    return ValidationError(
        exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
    )


def _call(func, **kwargs: Any) -> Any:
    try:
        return func(**kwargs)
    except DjangoValidationError as exc:
        raise _errors(exc) from exc


def _person(actor: Any, key: str):
    """The person named in a request body, inside the caller's casework areas (400 otherwise)."""
    try:
        return people_selectors.person_get(actor=actor, key=key, cap=Cap.EDIT_CASEWORK)
    except Http404 as exc:
        raise ValidationError({"person": [_("No person with this record code in your areas.")]}) from exc


class _ReadCreateViewSet(
    ScopedAPIMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Read with ``view_people``; write with ``edit_casework`` (``write_capability``)."""

    access_capability = Cap.VIEW_JUDGMENTS
    write_capability = Cap.EDIT_CASEWORK
    READ_ACTIONS = frozenset({"list", "retrieve", None})

    def initial(self, request, *args, **kwargs):
        if self.action not in self.READ_ACTIONS:
            self.access_capability = self.write_capability
        super().initial(request, *args, **kwargs)

    def created(self, instance: Any, serializer_class: type) -> Response:
        return Response(serializer_class(instance, context=self.get_serializer_context()).data, status=201)


class NoticeViewSet(_ReadCreateViewSet):
    """Release notices naming a commune of the caller's areas."""

    model = ReleaseNotice
    queryset = ReleaseNotice.objects.none()
    serializer_class = s.NoticeSerializer

    def get_queryset(self):
        return selectors.notice_list(actor=self.request.user, cap=self.access_capability)

    @extend_schema(request=s.OfficerNoticeInputSerializer, responses={201: s.NoticeSerializer})
    def create(self, request):
        data = s.OfficerNoticeInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        key = values.pop("person", None)
        version = values.pop("person_version", None)
        person = _person(request.user, key) if key else None
        notice = _call(
            services.notice_receive, actor=request.user, data=values, person=person, expected_version=version
        )
        return self.created(notice, s.NoticeSerializer)

    @extend_schema(request=s.VerifyInputSerializer, responses=s.NoticeSerializer)
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        notice = self.get_object()
        data = s.VerifyInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        notice = _call(
            services.notice_verify,
            actor=request.user,
            notice=notice,
            result=values["result"],
            verified_on=values.get("verified_on"),
            note=values.get("note", ""),
            expected_version=values.get("version"),
        )
        return Response(s.NoticeSerializer(notice).data)


class FacilityNoticeViewSet(
    ScopedAPIMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """A detention facility's own notices; POST sends one for any commune of the country."""

    model = ReleaseNotice
    queryset = ReleaseNotice.objects.none()
    serializer_class = s.FacilityNoticeSerializer
    access_capability = Cap.SEND_NOTICES

    def get_queryset(self):
        return selectors.facility_notice_list(actor=self.request.user)

    @extend_schema(request=s.NoticeInputSerializer, responses={201: s.FacilityNoticeSerializer})
    def create(self, request):
        data = s.NoticeInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        notice = _call(services.notice_receive, actor=request.user, data=dict(data.validated_data))
        return Response(s.FacilityNoticeSerializer(notice).data, status=201)


class ReceptionViewSet(_ReadCreateViewSet):
    """Receptions (reporting at the commune) in the caller's areas; POST records one."""

    model = Reception
    queryset = Reception.objects.none()
    serializer_class = s.ReceptionSerializer

    def get_queryset(self):
        return selectors.reception_list(actor=self.request.user, cap=self.access_capability)

    @extend_schema(request=s.ReceptionInputSerializer, responses={201: s.ReceptionSerializer})
    def create(self, request):
        data = s.ReceptionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        person = _person(request.user, values.pop("person"))
        version = values.pop("version", None)
        reception = _call(
            services.reception_record,
            actor=request.user,
            person=person,
            data=values,
            expected_version=version,
        )
        return self.created(reception, s.ReceptionSerializer)


class ClassificationViewSet(_ReadCreateViewSet):
    """Classification decisions (groups A–D) of people in the caller's areas; POST classifies."""

    model = Classification
    queryset = Classification.objects.none()
    serializer_class = s.ClassificationSerializer

    def get_queryset(self):
        return selectors.classification_list(actor=self.request.user, cap=self.access_capability)

    @extend_schema(request=s.ClassificationInputSerializer, responses={201: s.ClassificationSerializer})
    def create(self, request):
        data = s.ClassificationInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        person = _person(request.user, values["person"])
        classification = _call(
            services.classify,
            actor=request.user,
            person=person,
            group=values["group"],
            reasons=values["reasons"],
            decided_on=values.get("decided_on"),
            next_review_on=values.get("next_review_on"),
            expected_version=values.get("version"),
        )
        return self.created(classification, s.ClassificationSerializer)


class ManagementEndViewSet(_ReadCreateViewSet):
    """Ends of management in the caller's areas; POST ends a person's management."""

    model = ManagementEnd
    queryset = ManagementEnd.objects.none()
    serializer_class = s.ManagementEndSerializer

    def get_queryset(self):
        return selectors.management_end_list(actor=self.request.user, cap=self.access_capability)

    @extend_schema(request=s.ManagementEndInputSerializer, responses={201: s.ManagementEndSerializer})
    def create(self, request):
        data = s.ManagementEndInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        person = _person(request.user, values["person"])
        end = _call(
            services.management_end,
            actor=request.user,
            person=person,
            ground=values["ground"],
            ended_on=values.get("ended_on"),
            note=values.get("note", ""),
            expected_version=values.get("version"),
        )
        return self.created(end, s.ManagementEndSerializer)


class TransferViewSet(_ReadCreateViewSet):
    """Transfers out of and into the caller's areas; POST sends, confirm/return answer (receiving commune)."""

    model = Transfer
    queryset = Transfer.objects.none()
    serializer_class = s.TransferSerializer

    def get_queryset(self):
        return selectors.transfer_list(actor=self.request.user, cap=self.access_capability)

    @extend_schema(request=s.TransferInputSerializer, responses={201: s.TransferSerializer})
    def create(self, request):
        data = s.TransferInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        person = _person(request.user, values["person"])
        transfer = _call(
            services.transfer_send,
            actor=request.user,
            person=person,
            to_commune=values["to_commune"],
            to_address=values.get("to_address", ""),
            reason=values.get("reason", ""),
            sent_on=values.get("sent_on"),
            expected_version=values.get("version"),
        )
        return self.created(transfer, s.TransferSerializer)

    @extend_schema(request=s.TransferConfirmInputSerializer, responses=s.TransferSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        transfer = self.get_object()
        data = s.TransferConfirmInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        transfer = _call(
            services.transfer_confirm,
            actor=request.user,
            transfer=transfer,
            confirmed_on=values.get("confirmed_on"),
            received_on=values.get("received_on"),
            expected_version=values.get("version"),
        )
        return Response(s.TransferSerializer(transfer).data)

    @extend_schema(request=s.TransferReturnInputSerializer, responses=s.TransferSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None):
        transfer = self.get_object()
        data = s.TransferReturnInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        transfer = _call(
            services.transfer_return,
            actor=request.user,
            transfer=transfer,
            reason=values["reason"],
            returned_on=values.get("returned_on"),
            expected_version=values.get("version"),
        )
        return Response(s.TransferSerializer(transfer).data)


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("kind", OpenApiTypes.STR, enum=ManagementEvent.Kind.values),
            OpenApiParameter(
                "commune", OpenApiTypes.INT, description="Commune code where the event happened."
            ),
            OpenApiParameter("occurred_from", OpenApiTypes.DATE),
            OpenApiParameter("occurred_to", OpenApiTypes.DATE),
        ]
    )
)
class ManagementEventViewSet(ScopedAPIMixin, viewsets.ReadOnlyModelViewSet):
    """Management events of the caller's areas (where each happened), newest first."""

    model = ManagementEvent
    queryset = ManagementEvent.objects.none()
    serializer_class = s.ManagementEventSerializer
    access_capability = Cap.VIEW_JUDGMENTS
    filter_backends: list = []

    def get_queryset(self):
        queryset = ManagementEvent.objects.select_related("person").order_by("-occurred_on", "-pk")
        params = self.request.query_params
        if params.get("kind") in ManagementEvent.Kind.values:
            queryset = queryset.filter(kind=params["kind"])
        if (params.get("commune") or "").isdigit():
            queryset = queryset.filter(commune_id=int(params["commune"]))
        for key, lookup in (("occurred_from", "occurred_on__gte"), ("occurred_to", "occurred_on__lte")):
            try:
                if params.get(key):
                    queryset = queryset.filter(**{lookup: dt.date.fromisoformat(params[key])})
            except ValueError as exc:
                raise ValidationError({key: [_("Enter a date as YYYY-MM-DD.")]}) from exc
        return policy.restrict(queryset, self.request.user, Cap.VIEW_JUDGMENTS)
