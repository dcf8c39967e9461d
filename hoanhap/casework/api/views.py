"""/api/v1/casework/: the same selectors and services as the pages.

* ``assignments``, ``needs``, ``plan-actions``: read with ``view_people`` (helpers: their assigned
  people only), write with ``edit_casework``; ``plan-actions/{id}/result/`` with ``record_contacts``;
* ``contacts``: read with ``view_people``, write with ``record_contacts`` (helpers included);
* ``police-notes`` and ``reviews``: read with ``view_judgments`` (never a helper), write with
  ``edit_casework``.

Filter any list with ``?person=<record code>``. A stale ``version`` answers 409.
"""

from __future__ import annotations

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
from hoanhap.casework import selectors, services
from hoanhap.casework.api import serializers as s
from hoanhap.casework.models import Contact, HelperAssignment, Need, PlanAction, PoliceNote, Review
from hoanhap.people import selectors as people_selectors

PERSON_FILTER = OpenApiParameter("person", OpenApiTypes.STR, description="A person's record code.")


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


def _person(actor: Any, key: str, cap: str):
    """The person named in a request body, inside the caller's reach for ``cap`` (400 otherwise)."""
    try:
        return people_selectors.person_get(actor=actor, key=key, cap=cap)
    except Http404 as exc:
        raise ValidationError({"person": [_("No person with this record code in your reach.")]}) from exc


class _CaseworkViewSet(
    ScopedAPIMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Read with ``access_capability``; write with ``write_capability`` (``action_capabilities`` per action)."""

    access_capability = Cap.VIEW_PEOPLE
    write_capability = Cap.EDIT_CASEWORK
    action_capabilities: dict[str, str] = {}
    READ_ACTIONS = frozenset({"list", "retrieve", None})
    http_method_names = ["get", "post", "patch", "head", "options"]

    def initial(self, request, *args, **kwargs):
        if self.action not in self.READ_ACTIONS:
            self.access_capability = self.action_capabilities.get(self.action, self.write_capability)
        super().initial(request, *args, **kwargs)

    def scoped(self):
        raise NotImplementedError

    def get_queryset(self):
        queryset = self.scoped()
        person = self.request.query_params.get("person")
        if person:
            queryset = queryset.filter(person__record_code=person)
        return queryset

    def created(self, instance: Any, status_code: int = 201) -> Response:
        return Response(self.get_serializer(instance).data, status=status_code)

    def validated(self, serializer_class, *, partial: bool = False) -> dict[str, Any]:
        data = serializer_class(data=self.request.data, partial=partial)
        data.is_valid(raise_exception=True)
        return dict(data.validated_data)


@extend_schema_view(list=extend_schema(parameters=[PERSON_FILTER]))
class AssignmentViewSet(_CaseworkViewSet):
    """Helper assignments of the people in the caller's reach; POST assigns, PATCH changes or ends."""

    model = HelperAssignment
    queryset = HelperAssignment.objects.none()
    serializer_class = s.AssignmentSerializer

    def scoped(self):
        return selectors.assignment_list(actor=self.request.user, cap=self.access_capability)

    @extend_schema(request=s.AssignmentInputSerializer, responses={201: s.AssignmentSerializer})
    def create(self, request):
        values = self.validated(s.AssignmentInputSerializer)
        person = _person(request.user, values.pop("person"), Cap.EDIT_CASEWORK)
        return self.created(_call(services.helper_assign, actor=request.user, person=person, data=values))

    @extend_schema(request=s.AssignmentUpdateSerializer, responses=s.AssignmentSerializer)
    def partial_update(self, request, pk=None):
        assignment = self.get_object()
        values = self.validated(s.AssignmentUpdateSerializer, partial=True)
        version = values.pop("version", None)
        assignment = _call(
            services.helper_update,
            actor=request.user,
            assignment=assignment,
            data=values,
            expected_version=version,
        )
        return self.created(assignment, 200)


@extend_schema_view(list=extend_schema(parameters=[PERSON_FILTER]))
class NeedViewSet(_CaseworkViewSet):
    """Needs by domain; POST records a need (or changes the one of that domain), PATCH changes it."""

    model = Need
    queryset = Need.objects.none()
    serializer_class = s.NeedSerializer

    def scoped(self):
        return selectors.need_list(actor=self.request.user, cap=self.access_capability)

    @extend_schema(request=s.NeedInputSerializer, responses={201: s.NeedSerializer})
    def create(self, request):
        values = self.validated(s.NeedInputSerializer)
        person = _person(request.user, values.pop("person"), Cap.EDIT_CASEWORK)
        version = values.pop("version", None)
        need = _call(
            services.need_save, actor=request.user, person=person, expected_version=version, **values
        )
        return self.created(need)

    @extend_schema(request=s.NeedUpdateSerializer, responses=s.NeedSerializer)
    def partial_update(self, request, pk=None):
        need = self.get_object()
        values = self.validated(s.NeedUpdateSerializer)
        version = values.pop("version", None)
        values.setdefault("description", need.description)
        need = _call(
            services.need_save,
            actor=request.user,
            person=need.person,
            domain=need.domain,
            expected_version=version,
            **values,
        )
        return self.created(need, 200)


@extend_schema_view(list=extend_schema(parameters=[PERSON_FILTER]))
class PlanActionViewSet(_CaseworkViewSet):
    """Plan actions; POST adds, PATCH changes (``edit_casework``); ``…/result/`` records the result
    (``record_contacts``: the police and the person's helpers)."""

    model = PlanAction
    queryset = PlanAction.objects.none()
    serializer_class = s.PlanActionSerializer
    action_capabilities = {"result": Cap.RECORD_CONTACTS}

    def scoped(self):
        return selectors.plan_action_list(actor=self.request.user, cap=self.access_capability)

    @extend_schema(request=s.PlanActionInputSerializer, responses={201: s.PlanActionSerializer})
    def create(self, request):
        values = self.validated(s.PlanActionInputSerializer)
        person = _person(request.user, values.pop("person"), Cap.EDIT_CASEWORK)
        return self.created(_call(services.plan_action_add, actor=request.user, person=person, data=values))

    @extend_schema(request=s.PlanActionUpdateSerializer, responses=s.PlanActionSerializer)
    def partial_update(self, request, pk=None):
        plan_action = self.get_object()
        values = self.validated(s.PlanActionUpdateSerializer, partial=True)
        version = values.pop("version", None)
        plan_action = _call(
            services.plan_action_update,
            actor=request.user,
            action=plan_action,
            data=values,
            expected_version=version,
        )
        return self.created(plan_action, 200)

    @extend_schema(request=s.PlanResultInputSerializer, responses=s.PlanActionSerializer)
    @action(detail=True, methods=["post"])
    def result(self, request, pk=None):
        plan_action = self.get_object()
        values = self.validated(s.PlanResultInputSerializer)
        plan_action = _call(
            services.plan_action_result,
            actor=request.user,
            action=plan_action,
            status=values["status"],
            result=values["result"],
            result_on=values.get("result_on"),
            expected_version=values.get("version"),
        )
        return self.created(plan_action, 200)


@extend_schema_view(list=extend_schema(parameters=[PERSON_FILTER]))
class ContactViewSet(_CaseworkViewSet):
    """Contacts and visits; POST records one, PATCH corrects it (``record_contacts``, helpers included)."""

    model = Contact
    queryset = Contact.objects.none()
    serializer_class = s.ContactSerializer
    write_capability = Cap.RECORD_CONTACTS

    def scoped(self):
        return selectors.contact_list(actor=self.request.user, cap=self.access_capability)

    @extend_schema(request=s.ContactInputSerializer, responses={201: s.ContactSerializer})
    def create(self, request):
        values = self.validated(s.ContactInputSerializer)
        person = _person(request.user, values.pop("person"), Cap.RECORD_CONTACTS)
        police_note = values.pop("police_note", "")
        contact = _call(
            services.contact_record, actor=request.user, person=person, data=values, police_note=police_note
        )
        return self.created(contact)

    @extend_schema(request=s.ContactUpdateSerializer, responses=s.ContactSerializer)
    def partial_update(self, request, pk=None):
        contact = self.get_object()
        values = self.validated(s.ContactUpdateSerializer, partial=True)
        version = values.pop("version", None)
        contact = _call(
            services.contact_update,
            actor=request.user,
            contact=contact,
            data=values,
            expected_version=version,
        )
        return self.created(contact, 200)


@extend_schema_view(list=extend_schema(parameters=[PERSON_FILTER]))
class PoliceNoteViewSet(_CaseworkViewSet):
    """Police-only notes: read with ``view_judgments``, written with ``edit_casework``; never a helper."""

    model = PoliceNote
    queryset = PoliceNote.objects.none()
    serializer_class = s.PoliceNoteSerializer
    access_capability = Cap.VIEW_JUDGMENTS

    def scoped(self):
        if self.access_capability == Cap.VIEW_JUDGMENTS:
            return selectors.police_note_list(actor=self.request.user)
        return policy.restrict(
            PoliceNote.objects.select_related("person"), self.request.user, self.access_capability
        )

    @extend_schema(request=s.PoliceNoteInputSerializer, responses={201: s.PoliceNoteSerializer})
    def create(self, request):
        values = self.validated(s.PoliceNoteInputSerializer)
        person = _person(request.user, values.pop("person"), Cap.EDIT_CASEWORK)
        contact_id = values.pop("contact", None)
        contact = Contact.objects.filter(pk=contact_id, person=person).first() if contact_id else None
        if contact_id and contact is None:
            raise ValidationError({"contact": [_("This contact is about another person.")]})
        note = _call(services.police_note_add, actor=request.user, person=person, contact=contact, **values)
        return self.created(note)

    @extend_schema(request=s.PoliceNoteUpdateSerializer, responses=s.PoliceNoteSerializer)
    def partial_update(self, request, pk=None):
        note = self.get_object()
        values = self.validated(s.PoliceNoteUpdateSerializer)
        note = _call(
            services.police_note_update,
            actor=request.user,
            note=note,
            text=values["text"],
            written_on=values.get("written_on"),
            expected_version=values.get("version"),
        )
        return self.created(note, 200)


@extend_schema_view(list=extend_schema(parameters=[PERSON_FILTER]))
class ReviewViewSet(_CaseworkViewSet):
    """Needs-and-plan reviews with the classification: read with ``view_judgments``; POST reviews."""

    model = Review
    queryset = Review.objects.none()
    serializer_class = s.ReviewSerializer
    access_capability = Cap.VIEW_JUDGMENTS
    http_method_names = ["get", "post", "head", "options"]

    def scoped(self):
        return selectors.review_list(actor=self.request.user).select_related("classification")

    @extend_schema(request=s.ReviewInputSerializer, responses={201: s.ReviewSerializer})
    def create(self, request):
        values = self.validated(s.ReviewInputSerializer)
        person = _person(request.user, values["person"], Cap.EDIT_CASEWORK)
        needs = {change.pop("domain"): change for change in [dict(c) for c in values.get("needs", [])]}
        review = _call(
            services.review_record,
            actor=request.user,
            person=person,
            group=values["group"],
            summary=values["summary"],
            needs=needs,
            reviewed_on=values.get("reviewed_on"),
            next_review_on=values.get("next_review_on"),
            expected_version=values.get("version"),
        )
        return self.created(review)
