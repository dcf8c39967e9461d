"""/api/v1/people/persons/: the same selectors and services as the pages.

* list: ``q`` (name or number, ranked as on the list page), ``commune``, ``status``,
  ``classification``, ``release_year`` (ignored until judgments can answer it), ``limit``/``offset``;
* retrieve/update by id or record code (``/persons/91-000123/``); out of scope answers 404;
* create: probable duplicates answer 409 with the list, unless ``confirm_duplicates`` is true;
* update: send the ``version`` you read; a stale one answers 409.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.response import Response

from hoanhap.access.roles import Cap
from hoanhap.access.views_base import ScopedAPIMixin
from hoanhap.people import selectors, services
from hoanhap.people.api.serializers import PersonPageSerializer, PersonSerializer
from hoanhap.people.models import Person


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


def _service_errors(exc: DjangoValidationError) -> APIException:
    if getattr(exc, "code", None) == "stale" or (
        hasattr(exc, "error_list") and any(e.code == "stale" for e in exc.error_list)
    ):
        return Conflict({"detail": " ".join(exc.messages)})
    return ValidationError(
        exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
    )


LIST_PARAMETERS = [
    OpenApiParameter("q", OpenApiTypes.STR, description="Name or number (12/9 digits, record code)."),
    OpenApiParameter("commune", OpenApiTypes.INT, description="Current commune code."),
    OpenApiParameter("status", OpenApiTypes.STR, enum=Person.Status.values),
    OpenApiParameter("classification", OpenApiTypes.STR, enum=Person.Classification.values),
    OpenApiParameter(
        "release_year", OpenApiTypes.INT, description="Year of release (once judgments are recorded)."
    ),
    OpenApiParameter("limit", OpenApiTypes.INT),
    OpenApiParameter("offset", OpenApiTypes.INT),
]


@extend_schema_view(
    list=extend_schema(parameters=LIST_PARAMETERS, responses=PersonPageSerializer),
    retrieve=extend_schema(
        parameters=[
            OpenApiParameter("pk", OpenApiTypes.STR, OpenApiParameter.PATH, description="Id or record code.")
        ]
    ),
    update=extend_schema(
        parameters=[
            OpenApiParameter("pk", OpenApiTypes.STR, OpenApiParameter.PATH, description="Id or record code.")
        ]
    ),
    partial_update=extend_schema(
        parameters=[
            OpenApiParameter("pk", OpenApiTypes.STR, OpenApiParameter.PATH, description="Id or record code.")
        ]
    ),
)
class PersonViewSet(
    ScopedAPIMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """People in the caller's areas. Reading needs view_people; writing edit_people on the unit."""

    model = Person
    queryset = Person.objects.none()
    serializer_class = PersonSerializer
    access_capability = Cap.VIEW_PEOPLE
    lookup_value_regex = r"[0-9]+|[0-9]{2,3}-[0-9]{1,9}"
    filter_backends: list = []
    pagination_class = None
    WRITE_ACTIONS = {"create", "update", "partial_update"}

    def initial(self, request, *args, **kwargs):
        if self.action in self.WRITE_ACTIONS:
            self.access_capability = Cap.EDIT_PEOPLE
        super().initial(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.person_list(actor=self.request.user, cap=self.access_capability).select_related(
            "province", "commune"
        )

    def get_object(self):
        return selectors.person_get(
            actor=self.request.user, key=self.kwargs["pk"], cap=self.access_capability
        )

    def list(self, request, *args, **kwargs):
        params = request.query_params
        try:
            limit = min(max(int(params.get("limit", 50)), 1), 200)
            offset = max(int(params.get("offset", 0)), 0)
        except ValueError as exc:
            raise ValidationError({"limit": ["limit and offset are whole numbers."]}) from exc
        page = selectors.person_search(
            actor=request.user,
            q=params.get("q", ""),
            filters=selectors.PersonFilters.from_data(params),
            limit=limit,
            offset=offset,
        )
        data = PersonSerializer(page.people, many=True).data
        return Response(
            {"count": None, "next": page.next_offset, "previous": page.previous_offset, "results": data}
        )

    def perform_create(self, serializer):
        try:
            result = services.person_create(
                actor=self.request.user,
                data=serializer.service_data(),
                confirm_duplicates=serializer.validated_data.get("confirm_duplicates", False),
            )
        except DjangoValidationError as exc:
            raise _service_errors(exc) from exc
        if result.person is None:
            raise Conflict(
                {
                    "detail": "Probable duplicates exist; check them, then send confirm_duplicates: true.",
                    "duplicates": [
                        {"record_code": p.record_code, "full_name": p.full_name, "birth_year": p.birth_year}
                        for p in result.duplicates
                    ],
                }
            )
        serializer.instance = result.person

    def perform_update(self, serializer):
        version = serializer.validated_data.get("version")
        if version is None:
            raise ValidationError({"version": ["Send the version you read."]})
        try:
            serializer.instance = services.person_update(
                actor=self.request.user,
                person=serializer.instance,
                data=serializer.service_data(),
                expected_version=version,
            )
        except DjangoValidationError as exc:
            raise _service_errors(exc) from exc
