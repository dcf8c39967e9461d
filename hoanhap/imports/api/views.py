"""/api/v1/imports/: the same selectors and services as the pages (``edit_people``, scoped by area).

* ``batches``: list and read (status, counts, progress); POST a file (multipart) to upload and
  start checking it; ``…/rows/`` is the preview; ``…/commit/`` starts the import (``all`` or
  ``valid``); ``…/undo/`` starts undoing it (status ``undoing``, then ``undone``; refused, back to
  ``applied`` with the reason in ``message``);
* ``rows/<id>/decide/``: a decision on a probable duplicate or a split commune;
* ``exports/``: POST a scope and a purpose to queue the export of a whole province or commune
  (``view_judgments`` on it, as ``hoanhap export``); the answer names the job to follow.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied as APIPermissionDenied
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from hoanhap.access.roles import Cap
from hoanhap.access.views_base import ScopedAPIMixin
from hoanhap.imports import selectors, services
from hoanhap.imports.api import serializers as s
from hoanhap.imports.exporting import services as exporting
from hoanhap.imports.models import ImportBatch, StagedRow


def _errors(exc: DjangoValidationError) -> ValidationError:
    return ValidationError(
        exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
    )


class BatchViewSet(ScopedAPIMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    access_capability = Cap.EDIT_PEOPLE
    serializer_class = s.BatchSerializer
    queryset = ImportBatch.objects.none()  # the real rows come from get_queryset (scoped)
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        return selectors.batch_list(actor=self.request.user)

    @extend_schema(request={"multipart/form-data": s.UploadSerializer}, responses={201: s.BatchSerializer})
    def create(self, request):
        form = s.UploadSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        upload, kind = form.validated_data["file"], form.validated_data.get("kind")
        try:
            batch = services.batch_create(
                actor=request.user, file=upload, file_name=upload.name, kinds=[kind] if kind else []
            )
            services.batch_stage_start(batch, actor=request.user)
        except DjangoValidationError as exc:
            raise _errors(exc) from exc
        batch = selectors.batch_get(actor=request.user, pk=batch.pk)
        return Response(s.BatchSerializer(batch).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=s.RowSerializer(many=True))
    @action(detail=True, methods=["get"])
    def rows(self, request, pk=None):
        batch = self.get_object()
        rows = selectors.rows_of(batch, only=request.query_params.get("only", ""))
        page = self.paginate_queryset(rows)
        data = s.RowSerializer(page if page is not None else rows, many=True).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    @extend_schema(request=s.CommitSerializer, responses=s.BatchSerializer)
    @action(detail=True, methods=["post"])
    def commit(self, request, pk=None):
        batch = self.get_object()
        form = s.CommitSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        try:
            services.batch_commit_start(batch, actor=request.user, commit=form.validated_data["commit"])
        except DjangoValidationError as exc:
            raise _errors(exc) from exc
        return Response(s.BatchSerializer(selectors.batch_get(actor=request.user, pk=batch.pk)).data)

    @extend_schema(request=None, responses=s.BatchSerializer)
    @action(detail=True, methods=["post"])
    def undo(self, request, pk=None):
        batch = self.get_object()
        try:
            services.batch_undo_start(batch, actor=request.user)
        except (DjangoValidationError, PermissionDenied) as exc:
            raise ValidationError({"non_field_errors": getattr(exc, "messages", [str(exc)])}) from exc
        return Response(s.BatchSerializer(selectors.batch_get(actor=request.user, pk=batch.pk)).data)


class RowViewSet(ScopedAPIMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    access_capability = Cap.EDIT_PEOPLE
    serializer_class = s.RowSerializer
    queryset = StagedRow.objects.none()

    def get_queryset(self):
        from hoanhap.access import policy

        return policy.restrict(StagedRow.objects.select_related("batch"), self.request.user, Cap.EDIT_PEOPLE)

    @extend_schema(request=s.DecisionSerializer, responses=s.RowSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        row = self.get_object()
        form = s.DecisionSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        try:
            services.row_decide(
                actor=request.user,
                row=row,
                decision=data.get("decision") or "",
                person=data.get("person"),
                commune=data.get("commune"),
            )
            services.batch_retry_rows(row.batch, actor=request.user)
        except DjangoValidationError as exc:
            raise _errors(exc) from exc
        row.refresh_from_db()
        return Response(s.RowSerializer(row).data)


class ExportViewSet(ScopedAPIMixin, viewsets.GenericViewSet):
    """Queue the export of a whole province or commune; follow it at ``status_url``."""

    access_capability = Cap.VIEW_JUDGMENTS
    serializer_class = s.ExportRequestSerializer
    parser_classes = [JSONParser, FormParser]

    @extend_schema(request=s.ExportRequestSerializer, responses={202: s.ExportJobSerializer})
    def create(self, request):
        form = s.ExportRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        try:
            job = exporting.export_start(
                request.user, scope=data["scope"], purpose=data["purpose"], with_details=data["with_details"]
            )
        except DjangoValidationError as exc:
            raise _errors(exc) from exc
        except PermissionDenied as exc:
            raise APIPermissionDenied(str(exc)) from exc
        job.refresh_from_db(fields=["status"])
        body = {
            "id": job.pk,
            "status": job.status,
            "status_url": reverse("job-detail", args=[job.pk]),
            "page_url": reverse("imports:export-job", args=[job.pk]),
        }
        return Response(s.ExportJobSerializer(body).data, status=status.HTTP_202_ACCEPTED)
