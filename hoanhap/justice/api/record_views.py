"""API of judgments, releases and the offence catalogue: the same selectors and services as the pages.

Reading needs ``view_judgments`` and writing ``edit_people``, each on the person's area; a row outside
answers 404. Changing a judgment or a release needs the ``version`` read. The computed legal status
(expungement of a person's record, recidivism of a judgment) is read-only; its texts are English,
like the rule endpoints, so that programs can rely on them.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from hoanhap.access.roles import Cap
from hoanhap.access.views_base import ScopedAPIMixin
from hoanhap.justice import selectors, services
from hoanhap.justice.api import record_serializers as s
from hoanhap.justice.filters import JudgmentFilter, OffenceFilter, ReleaseFilter
from hoanhap.justice.models import Judgment, Offence, Release
from hoanhap.people.models import Person


def _service_errors(exc: DjangoValidationError) -> ValidationError:
    return ValidationError(
        exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
    )


def _version(request) -> int:
    version = request.data.get("version") if hasattr(request.data, "get") else None
    if version in (None, ""):
        raise ValidationError(
            {"version": [_("Send the version you read; it is required to change a record.")]}
        )
    try:
        return int(version)
    except (TypeError, ValueError):
        raise ValidationError({"version": [_("A whole number is required.")]}) from None


class WriteScopedViewSet(ScopedAPIMixin, viewsets.GenericViewSet):
    """Reads need view_judgments; creates and updates edit_people (and rows in that scope)."""

    access_capability = Cap.VIEW_JUDGMENTS
    write_capability = Cap.EDIT_PEOPLE
    WRITE_ACTIONS = {"create", "update", "partial_update"}

    def initial(self, request, *args, **kwargs):
        if self.action in self.WRITE_ACTIONS:
            self.access_capability = self.write_capability
        super().initial(request, *args, **kwargs)


class JudgmentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    WriteScopedViewSet,
):
    """Judgments of the people in the caller's areas, with their offences, additional penalties and
    obligations. Writing sends the lines of each group given (a group left out is kept as it is)."""

    model = Judgment
    queryset = Judgment.objects.none()  # for the schema; rows come from get_queryset
    serializer_class = s.JudgmentSerializer
    filterset_class = JudgmentFilter

    def get_queryset(self):
        return selectors.judgment_list(actor=self.request.user, cap=self.access_capability).prefetch_related(
            "additional_penalties", "obligations", "releases"
        )

    def perform_create(self, serializer):
        data, lines = serializer.split()
        try:
            serializer.instance = services.judgment_create(
                actor=self.request.user,
                person=serializer.validated_data["person"],
                data=data,
                offences=lines.get("offences", []),
                additional_penalties=lines.get("additional_penalties", []),
                obligations=lines.get("obligations", []),
            )
        except DjangoValidationError as exc:
            raise _service_errors(exc) from exc

    def perform_update(self, serializer):
        version = _version(self.request)
        data, lines = serializer.split()
        try:
            serializer.instance = services.judgment_update(
                actor=self.request.user,
                judgment=serializer.instance,
                data=data,
                offences=lines.get("offences"),
                additional_penalties=lines.get("additional_penalties"),
                obligations=lines.get("obligations"),
                version=version,
            )
        except DjangoValidationError as exc:
            raise _service_errors(exc) from exc

    @extend_schema(
        summary="Recidivism class of the judgment's offences (Criminal Code Art. 53), computed",
        responses={200: s.JudgmentRecidivismSerializer},
    )
    @action(detail=True, methods=["get"])
    def recidivism(self, request, pk=None):
        judgment = self.get_object()
        judgments = selectors.load_judgments(judgment.person)
        judgment = next(j for j in judgments if j.pk == judgment.pk)
        with translation.override(None):
            status = selectors.judgment_recidivism(judgment, judgments=judgments)
            answer = {
                "judgment": judgment.pk,
                "classification": status.classification,
                "rule": status.result.rule if status.result is not None else None,
                "prior_judgments": [
                    {"judgment": prior.pk, "expunged": expunged} for prior, expunged in status.priors
                ],
                "explanation": status.explanation,
            }
        return Response(answer)


class ReleaseViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    WriteScopedViewSet,
):
    """Releases of the people in the caller's areas."""

    model = Release
    queryset = Release.objects.none()
    serializer_class = s.ReleaseSerializer
    filterset_class = ReleaseFilter

    def get_queryset(self):
        return selectors.release_list(actor=self.request.user, cap=self.access_capability)

    def perform_create(self, serializer):
        try:
            serializer.instance = services.release_record(
                actor=self.request.user,
                person=serializer.validated_data["person"],
                data=serializer.service_data(),
            )
        except DjangoValidationError as exc:
            raise _service_errors(exc) from exc

    def perform_update(self, serializer):
        version = _version(self.request)
        try:
            serializer.instance = services.release_update(
                actor=self.request.user,
                release=serializer.instance,
                data=serializer.service_data(),
                version=version,
            )
        except DjangoValidationError as exc:
            raise _service_errors(exc) from exc


class OffenceViewSet(ScopedAPIMixin, viewsets.ReadOnlyModelViewSet):
    """The offence catalogue (reference data, read-only): ?q= searches article numbers and names."""

    model = Offence
    queryset = Offence.objects.order_by("article", "clause")
    serializer_class = s.OffenceSerializer
    filterset_class = OffenceFilter
    access_capability = Cap.VIEW_JUDGMENTS


class PersonExpungementAPI(ScopedAPIMixin, GenericAPIView):
    """The expungement of a person's criminal record, computed from their judgments (never stored)."""

    model = Person
    access_capability = Cap.VIEW_JUDGMENTS
    serializer_class = s.PersonExpungementSerializer

    @extend_schema(
        operation_id="justice_people_expungement",
        summary="Expungement of a person's record (Criminal Code Arts. 69-73), computed from the judgments",
        parameters=[
            OpenApiParameter("record_code", str, OpenApiParameter.PATH, description="e.g. 91-000012")
        ],
        responses={200: s.PersonExpungementSerializer},
        tags=["justice"],
    )
    def get(self, request, record_code):
        person = selectors.person_get(actor=request.user, record_code=record_code)
        with translation.override(None):
            answer = s.expungement_answer(person, selectors.person_expungement(person))
            data = s.PersonExpungementSerializer(answer).data
        return Response(data)
