"""Which imports and residence choices an actor sees: those of their areas (``edit_people``)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from hoanhap.access import policy
from hoanhap.access.roles import Cap
from hoanhap.imports.models import ImportBatch, ResidenceChoice, StagedRow

CAP = Cap.EDIT_PEOPLE


def batch_list(*, actor: Any) -> QuerySet[ImportBatch]:
    return policy.restrict(
        ImportBatch.objects.select_related("uploaded_by", "province", "commune", "job"), actor, CAP
    )


def batch_get(*, actor: Any, pk: int) -> ImportBatch:
    return policy.get_or_404(
        ImportBatch.objects.select_related("uploaded_by", "province", "commune", "job"), actor, CAP, pk=pk
    )


def row_get(*, actor: Any, pk: int) -> StagedRow:
    return policy.get_or_404(StagedRow.objects.select_related("batch"), actor, CAP, pk=pk)


def rows_of(batch: ImportBatch, *, only: str = "") -> QuerySet[StagedRow]:
    rows = batch.staged_rows.order_by("pk")
    if only == "problems":
        rows = rows.filter(Q(action=StagedRow.Action.ERROR) | ~Q(warnings=[]))
    elif only:
        rows = rows.filter(action=only)
    return rows


def residence_choices(*, actor: Any, open_only: bool = True) -> QuerySet[ResidenceChoice]:
    rows = policy.restrict(ResidenceChoice.objects.all(), actor, CAP)
    if open_only:
        rows = rows.filter(chosen__isnull=True)
    return (
        ResidenceChoice.objects.filter(pk__in=rows.values("pk"))
        .select_related("person__province", "person__commune", "province")
        .prefetch_related("candidates__commune")
        .order_by("created_at", "pk")
    )


def residence_choice_get(*, actor: Any, pk: int) -> ResidenceChoice:
    """One residence choice of the actor's areas (the candidates' join is kept out of the lookup)."""
    visible = policy.restrict(ResidenceChoice.objects.filter(pk=pk), actor, CAP).values("pk")
    choice = ResidenceChoice.objects.filter(pk__in=visible).select_related("person", "province").first()
    if choice is None:
        raise Http404
    return choice
