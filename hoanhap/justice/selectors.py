"""Scoped reads of judgments and releases, and the legal status computed from them.

Who sees what: a judgment, its lines and a release sit in the area of their person. Reading needs
``view_judgments`` on that area (police, the commune People's Committee, administrators; never
helpers), writing ``edit_people``. Out of scope answers 404, like a missing row. The offence catalogue
is reference data: every holder of ``view_judgments`` reads it whole.

The legal-status computations live in ``legal_status`` and are re-exported here: pages, the API and
other apps call ``person_expungement`` and ``judgment_recidivism`` from this module.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from hoanhap.access import policy
from hoanhap.access.models import Organisation
from hoanhap.access.roles import Cap
from hoanhap.core.text import fold
from hoanhap.justice.legal_status import (
    PersonExpungement,
    RecidivismStatus,
    judgment_recidivism,
    load_judgments,
    main_penalty_completion,
    person_expungement,
)
from hoanhap.justice.models import Judgment, Offence, Release
from hoanhap.people.models import Person

__all__ = [
    "PersonExpungement",
    "RecidivismStatus",
    "can_edit",
    "can_see_judgments",
    "facility_choices",
    "judgment_get",
    "judgment_list",
    "judgment_recidivism",
    "load_judgments",
    "main_penalty_completion",
    "offence_search",
    "person_expungement",
    "person_get",
    "person_justice",
    "release_get",
    "release_list",
    "released_in_year",
]


def person_get(*, actor: Any, record_code: str, cap: str = Cap.VIEW_JUDGMENTS) -> Person:
    """The person with ``record_code`` if in the actor's area for ``cap`` (404 otherwise)."""
    queryset = Person.objects.select_related("province", "commune")
    return policy.get_or_404(queryset, actor, cap, record_code=record_code)


def can_see_judgments(actor: Any, person: Person) -> bool:
    return policy.restrict(Person.objects.filter(pk=person.pk), actor, Cap.VIEW_JUDGMENTS).exists()


def can_edit(actor: Any, person: Person) -> bool:
    """Whether ``actor`` may record judgments and releases of ``person`` (edit_people on their area)."""
    return policy.restrict(Person.objects.filter(pk=person.pk), actor, Cap.EDIT_PEOPLE).exists()


def judgment_list(*, actor: Any, cap: str = Cap.VIEW_JUDGMENTS) -> QuerySet[Judgment]:
    return policy.restrict(
        Judgment.objects.select_related("person").prefetch_related("offences__offence"), actor, cap
    ).order_by("person_id", "judgment_date", "pk")


def judgment_get(*, actor: Any, pk: int, cap: str = Cap.VIEW_JUDGMENTS) -> Judgment:
    return policy.get_or_404(Judgment.objects.select_related("person"), actor, cap, pk=pk)


def release_list(*, actor: Any, cap: str = Cap.VIEW_JUDGMENTS) -> QuerySet[Release]:
    return policy.restrict(
        Release.objects.select_related("person", "judgment", "facility"), actor, cap
    ).order_by("person_id", "release_date", "pk")


def release_get(*, actor: Any, pk: int, cap: str = Cap.VIEW_JUDGMENTS) -> Release:
    return policy.get_or_404(
        Release.objects.select_related("person", "judgment", "facility"), actor, cap, pk=pk
    )


def offence_search(
    *, query: str = "", chapter: int | None = None, active_only: bool = True
) -> QuerySet[Offence]:
    """Catalogue rows matching ``query``: an article number ("173", "Đ.173") or words of the name,
    without tone marks ("trom cap" finds "Tội trộm cắp tài sản")."""
    offences = Offence.objects.all()
    if active_only:
        offences = offences.filter(is_active=True)
    if chapter:
        offences = offences.filter(chapter=chapter)
    for word in fold(query).split():
        if word in {"d", "dieu"}:  # "Đ.173", "Điều 173": the number follows
            continue
        condition = Q(name_folded__contains=word)
        if word.isdigit():
            condition |= Q(article=int(word))
        offences = offences.filter(condition)
    return offences.order_by("article", "clause")


def facility_choices() -> QuerySet[Organisation]:
    """Every active detention facility, whatever its province: a person is released wherever they served."""
    return Organisation.objects.filter(kind=Organisation.Kind.DETENTION_FACILITY, is_active=True).order_by(
        "name"
    )


def person_justice(person: Person) -> dict[str, Any]:
    """What the person pages show: judgments (with their recidivism class), releases, expungement."""
    judgments = load_judgments(person)
    memo: dict = {}
    rows = [(j, judgment_recidivism(j, judgments=judgments, _memo=memo)) for j in judgments]
    releases = [r for j in judgments for r in j.releases.all()]
    releases.sort(key=lambda r: (r.release_date, r.pk))
    for release in releases:  # the judgment is already loaded: no query per row
        release.judgment = next(j for j in judgments if j.pk == release.judgment_id)
    return {
        "judgments": rows,
        "releases": releases,
        "expungement": person_expungement(judgments=judgments),
    }


def released_in_year(queryset: QuerySet[Person], year: int) -> QuerySet[Person]:
    """The people of ``queryset`` released in ``year`` (the people list's release-year filter)."""
    return queryset.filter(Exists(Release.objects.filter(person=OuterRef("pk"), release_date__year=year)))
