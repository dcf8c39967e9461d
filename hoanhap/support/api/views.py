"""/api/v1/support/: the same selectors and services as the pages.

* ``kinds``, ``sources``: the catalogues (read; ``view_people``);
* ``actions``: support actions the caller may read (filters as on the page: ``kind``, ``source``,
  ``date_from``, ``date_to``, ``province``, ``commune``, ``beneficiary``); POST records one
  (``record_control``: police casework, or a helper for an assigned person); ``…/follow-up/`` records
  a job follow-up;
* ``children``: read with ``view_children`` (or as the supporting organisation); POST registers one
  (``edit_casework``);
* ``referrals``: read with ``view_judgments``; ``referrals/eligibility/?person=&purpose=&amount=&months=``
  explains the checks; POST refers (``edit_casework``); ``…/decision/`` records the bank's decision;
* ``form01-lists``: read with ``view_judgments``; ``form01-lists/generate/`` prepares one
  (``edit_casework``); ``form01-lists/<id>/certify/`` certifies it (``certify_lists``).

A stale ``version`` answers 409; a refused write 400; a row outside the caller's scope 404.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, NotFound, ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from hoanhap.access.models import Organisation
from hoanhap.access.roles import Cap
from hoanhap.access.views_base import ScopedAPIMixin
from hoanhap.geo.models import Commune
from hoanhap.people import selectors as people_selectors
from hoanhap.people.models import Relative
from hoanhap.support import conf, selectors, services
from hoanhap.support.api import serializers as s
from hoanhap.support.models import (
    Child,
    Form01List,
    FundingSource,
    PolicyBankReferral,
    SupportAction,
    SupportKind,
)


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


def _call(func, **kwargs: Any) -> Any:
    try:
        return func(**kwargs)
    except DjangoPermissionDenied as exc:
        raise NotFound() from exc
    except DjangoValidationError as exc:
        codes = {getattr(exc, "code", None)} | {e.code for e in getattr(exc, "error_list", [])}
        if "stale" in codes:
            raise Conflict({"detail": " ".join(exc.messages)}) from exc
        raise ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        ) from exc


class _ReadWriteViewSet(
    ScopedAPIMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Read with ``access_capability``; every other action needs ``write_capability``."""

    write_capability = ""
    READ_ACTIONS = frozenset({"list", "retrieve", None})

    def initial(self, request, *args, **kwargs):
        if self.action not in self.READ_ACTIONS:
            self.access_capability = self.write_capability
        super().initial(request, *args, **kwargs)


class KindViewSet(ScopedAPIMixin, viewsets.ReadOnlyModelViewSet):
    access_capability = Cap.VIEW_PEOPLE
    queryset = SupportKind.objects.order_by("order", "code")
    serializer_class = s.SupportKindSerializer


class SourceViewSet(ScopedAPIMixin, viewsets.ReadOnlyModelViewSet):
    access_capability = Cap.VIEW_PEOPLE
    queryset = FundingSource.objects.order_by("order", "code")
    serializer_class = s.FundingSourceSerializer


ACTION_FILTERS = [
    OpenApiParameter(name, OpenApiTypes.STR, required=False)
    for name in ("kind", "source", "date_from", "date_to", "province", "commune", "beneficiary")
]


class ActionViewSet(_ReadWriteViewSet):
    model = SupportAction
    queryset = SupportAction.objects.none()
    serializer_class = s.SupportActionSerializer
    access_capability = Cap.VIEW_PEOPLE
    write_capability = Cap.RECORD_CONTACTS

    def get_queryset(self):
        filters = selectors.ActionFilters.from_data(self.request.query_params)
        return selectors.action_list(actor=self.request.user, filters=filters)

    @extend_schema(parameters=ACTION_FILTERS)
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def _beneficiary(self, data: dict) -> dict:
        actor = self.request.user
        out: dict[str, Any] = {}
        try:
            if data.get("child"):
                out["child"] = selectors.child_get(actor=actor, pk=data["child"])
            if data.get("person"):
                out["person"] = people_selectors.person_get(actor=actor, key=data["person"])
            if data.get("relative"):
                relative = Relative.objects.select_related("person").filter(pk=data["relative"]).first()
                if relative is None:
                    raise Http404
                people_selectors.person_get(actor=actor, key=relative.person.record_code)
                out["relative"] = relative
        except Http404 as exc:
            raise ValidationError({"beneficiary": [_("No such beneficiary in your areas.")]}) from exc
        return out

    @extend_schema(request=s.SupportActionInputSerializer, responses={201: s.SupportActionSerializer})
    def create(self, request):
        data = s.SupportActionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        for key in ("person", "relative", "child"):
            values.pop(key, None)
        values.update(self._beneficiary(data.validated_data))
        provider = values.pop("provider", None)
        if provider is not None:
            values["provider"] = Organisation.objects.filter(pk=provider).first()
            if values["provider"] is None:
                raise ValidationError({"provider": [_("No such organisation.")]})
        created = _call(services.action_record, actor=request.user, data=values)
        return Response(s.SupportActionSerializer(created).data, status=201)

    @extend_schema(request=s.FollowUpInputSerializer, responses=s.SupportActionSerializer)
    @action(detail=True, methods=["post"], url_path="follow-up")
    def follow_up(self, request, pk=None):
        supported = self.get_object()
        data = s.FollowUpInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        updated = _call(
            services.action_follow_up,
            actor=request.user,
            action=supported,
            months=data.validated_data["months"],
            employed=data.validated_data["employed"],
        )
        return Response(s.SupportActionSerializer(updated).data)


class ChildViewSet(_ReadWriteViewSet):
    model = Child
    queryset = Child.objects.none()
    serializer_class = s.ChildSerializer
    access_capability = Cap.VIEW_CHILDREN
    write_capability = Cap.EDIT_CASEWORK

    def get_queryset(self):
        return selectors.child_list(actor=self.request.user)

    @extend_schema(request=s.ChildInputSerializer, responses={201: s.ChildSerializer})
    def create(self, request):
        data = s.ChildInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        try:
            values["parent"] = people_selectors.person_get(actor=request.user, key=values["parent"])
        except Http404 as exc:
            raise ValidationError({"parent": [_("No person with this record code in your areas.")]}) from exc
        commune = values.pop("commune", None)
        if commune:
            unit = Commune.objects.select_related("province").filter(pk=commune).first()
            if unit is None:
                raise ValidationError({"commune": [_("No current commune has this code.")]})
            values.update(commune=unit, province=unit.province)
        created = _call(services.child_create, actor=request.user, data=values)
        return Response(s.ChildSerializer(created).data, status=201)


ELIGIBILITY_PARAMETERS = [
    OpenApiParameter("person", OpenApiTypes.STR, required=False, description="Record code."),
    OpenApiParameter("purpose", OpenApiTypes.STR, required=False, enum=["training", "business"]),
    OpenApiParameter("amount", OpenApiTypes.INT, required=False),
    OpenApiParameter("months", OpenApiTypes.INT, required=False),
]


class ReferralViewSet(_ReadWriteViewSet):
    model = PolicyBankReferral
    queryset = PolicyBankReferral.objects.none()
    serializer_class = s.ReferralSerializer
    access_capability = Cap.VIEW_JUDGMENTS
    write_capability = Cap.EDIT_CASEWORK
    READ_ACTIONS = frozenset({"list", "retrieve", "eligibility", None})

    def get_queryset(self):
        return selectors.referral_list(actor=self.request.user)

    @extend_schema(request=s.ReferralInputSerializer, responses={201: s.ReferralSerializer})
    def create(self, request):
        data = s.ReferralInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        try:
            person = people_selectors.person_get(
                actor=request.user, key=values["person"], cap=Cap.EDIT_CASEWORK
            )
        except Http404 as exc:
            raise ValidationError({"person": [_("No person with this record code in your areas.")]}) from exc
        referral = _call(
            services.referral_create,
            actor=request.user,
            person=person,
            purpose=values["purpose"],
            amount=values["amount"],
            months=values.get("months"),
            referred_on=values.get("referred_on"),
        )
        return Response(s.ReferralSerializer(referral).data, status=201)

    @extend_schema(parameters=ELIGIBILITY_PARAMETERS, responses=s.EligibilitySerializer)
    @action(detail=False, methods=["get"])
    def eligibility(self, request):
        """The checks of Decision 22/2023 for a person and a request, each explained; the caps without one."""
        answer: dict[str, Any] = {
            "training_cap_per_month": conf.training_cap_per_month(),
            "business_cap": conf.business_cap(),
            "window_years": conf.loan_window_years(),
            "result": None,
        }
        key = request.query_params.get("person")
        if key:
            params = s.ReferralInputSerializer(data=request.query_params)
            params.is_valid(raise_exception=True)
            values = params.validated_data
            person = people_selectors.person_get(actor=request.user, key=key, cap=Cap.VIEW_JUDGMENTS)
            answer["result"] = selectors.eligibility(
                person,
                purpose=values["purpose"],
                amount=values["amount"],
                months=values.get("months"),
                apply_on=values.get("referred_on"),
            ).as_dict()
        return Response(answer)

    @extend_schema(request=s.DecisionInputSerializer, responses=s.ReferralSerializer)
    @action(detail=True, methods=["post"])
    def decision(self, request, pk=None):
        referral = self.get_object()
        data = s.DecisionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        referral = _call(
            services.referral_decide,
            actor=request.user,
            referral=referral,
            status=values["status"],
            decided_on=values["decided_on"],
            approved_amount=values.get("approved_amount"),
            reference=values.get("reference", ""),
            note=values.get("note", ""),
            expected_version=values.get("version"),
        )
        return Response(s.ReferralSerializer(referral).data)


class Form01ViewSet(_ReadWriteViewSet):
    model = Form01List
    queryset = Form01List.objects.none()
    serializer_class = s.Form01ListSerializer
    access_capability = Cap.VIEW_JUDGMENTS
    write_capability = Cap.EDIT_CASEWORK

    def get_queryset(self):
        return selectors.form01_list(actor=self.request.user).prefetch_related("entries")

    @extend_schema(request=s.Form01GenerateInputSerializer, responses={201: s.Form01ListSerializer})
    @action(detail=False, methods=["post"])
    def generate(self, request):
        data = s.Form01GenerateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        commune = Commune.objects.filter(pk=data.validated_data["commune"]).first()
        if commune is None:
            raise ValidationError({"commune": [_("No current commune has this code.")]})
        listing = _call(
            services.form01_generate,
            actor=request.user,
            commune=commune,
            prepared_on=data.validated_data.get("prepared_on"),
        )
        return Response(s.Form01ListSerializer(listing).data, status=201)


class Form01CertifyView(ScopedAPIMixin, GenericAPIView):
    """POST: the commune People's Committee certifies a Form 01 list (``certify_lists`` on the commune)."""

    model = Form01List
    queryset = Form01List.objects.none()
    serializer_class = s.Form01CertifyInputSerializer
    access_capability = Cap.CERTIFY_LISTS

    @extend_schema(request=s.Form01CertifyInputSerializer, responses=s.Form01ListSerializer)
    def post(self, request, pk):
        listing = selectors.form01_get(actor=request.user, pk=pk, cap=Cap.CERTIFY_LISTS)
        data = s.Form01CertifyInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        listing = _call(
            services.form01_certify,
            actor=request.user,
            listing=listing,
            certified_on=values["certified_on"],
            reference=values.get("reference", ""),
            expected_version=values.get("version"),
        )
        return Response(s.Form01ListSerializer(listing).data)
