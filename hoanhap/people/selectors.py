"""Scoped reads of people. Every list, page, search and API answer starts from ``person_scope``.

Who sees a person: whoever holds ``view_people`` on the person's current province, or on their
current commune (a commune officer does not see a person whose commune is not yet known — that
person is visible at province level until the commune is set). Out of scope answers 404.
Helpers (``view_assigned_people``) will see the people assigned to them once casework adds that
relation; until then they see nobody here (fail closed).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from hoanhap.access import policy
from hoanhap.access.roles import Cap
from hoanhap.core.text import fold
from hoanhap.people import search
from hoanhap.people.models import Person, Relative, ResidenceHistory, TimelineEntry

PAGE_SIZE = 25
DUPLICATE_SIMILARITY = 0.6

# -- release year: a hook for the justice app ----------------------------------------------------

ReleaseYearFilter = Callable[[QuerySet, int], QuerySet]
_release_year_filter: ReleaseYearFilter | None = None


def register_release_year_filter(func: ReleaseYearFilter) -> None:
    """Let the app that knows release dates (justice) filter people by year of release.

    ``func(queryset, year)`` returns the people of ``queryset`` released in ``year``. Until one is
    registered the filter is not offered on the list page, and the API ignores the parameter.
    """
    global _release_year_filter
    _release_year_filter = func


def release_year_filter_available() -> bool:
    return _release_year_filter is not None


# -- lists and search ----------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonFilters:
    commune: int | None = None
    status: str = ""
    classification: str = ""
    release_year: int | None = None

    @classmethod
    def from_data(cls, data: Any) -> PersonFilters:
        def number(name: str) -> int | None:
            value = (data.get(name) or "").strip() if hasattr(data, "get") else ""
            return int(value) if str(value).isdigit() else None

        status = data.get("status") or ""
        classification = data.get("classification") or ""
        return cls(
            commune=number("commune"),
            status=status if status in Person.Status.values else "",
            classification=classification if classification in Person.Classification.values else "",
            release_year=number("release_year"),
        )


def person_scope(*, actor: Any, cap: str = Cap.VIEW_PEOPLE) -> QuerySet[Person]:
    """Every person the actor may reach with ``cap`` (empty without a grant)."""
    return policy.restrict(Person.objects.all(), actor, cap)


def person_list(
    *, actor: Any, filters: PersonFilters | None = None, cap: str = Cap.VIEW_PEOPLE
) -> QuerySet[Person]:
    """People in the actor's areas, filtered, in Vietnamese name order."""
    queryset = person_scope(actor=actor, cap=cap)
    filters = filters or PersonFilters()
    if filters.commune:
        queryset = queryset.filter(commune_id=filters.commune)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.classification:
        queryset = queryset.filter(classification=filters.classification)
    if filters.release_year and _release_year_filter is not None:
        queryset = _release_year_filter(queryset, filters.release_year)
    return queryset.order_by("sort_key", "pk")


@dataclass
class SearchPage:
    people: list[Person]
    has_more: bool
    offset: int
    limit: int

    @property
    def next_offset(self) -> int | None:
        return self.offset + self.limit if self.has_more else None

    @property
    def previous_offset(self) -> int | None:
        return max(self.offset - self.limit, 0) if self.offset else None


def person_search(
    *,
    actor: Any,
    q: str = "",
    filters: PersonFilters | None = None,
    limit: int = PAGE_SIZE,
    offset: int = 0,
    cap: str = Cap.VIEW_PEOPLE,
) -> SearchPage:
    """One page of the people matching ``q`` (name or number) in the actor's areas, best first.

    A few statements whatever the size of the registry: the ranked ids (see ``search``), then the
    rows with their units in one (``search.page_rows``).
    """
    base = person_list(actor=actor, filters=filters, cap=cap)
    scope = policy.scope_for(actor, cap)
    narrow = bool(filters and filters.commune) or (not scope.everything and not scope.provinces)
    ids, has_more = search.ranked_ids(base, q, limit=limit, offset=offset, narrow=narrow)
    return SearchPage(people=search.page_rows(ids), has_more=has_more, offset=offset, limit=limit)


def person_get(*, actor: Any, key: str | int, cap: str = Cap.VIEW_PEOPLE) -> Person:
    """One person by record code (``91-000123``) or id, inside the actor's areas; 404 otherwise."""
    queryset = Person.objects.select_related("province", "commune")
    text = str(key)
    lookup = {"pk": int(text)} if text.isdigit() else {"record_code": text}
    return policy.get_or_404(queryset, actor, cap, **lookup)


def can_edit(actor: Any, person: Person) -> bool:
    return policy.scope_for(actor, Cap.EDIT_PEOPLE).covers(
        province=person.province_id, commune=person.commune_id
    )


def can_merge(actor: Any) -> bool:
    """Merging moves records across areas: only actors who edit people everywhere may do it."""
    return policy.scope_for(actor, Cap.EDIT_PEOPLE).everything


# -- the person page -----------------------------------------------------------------------------


def relatives_of(person: Person) -> QuerySet[Relative]:
    return person.relatives.order_by("relation", "full_name", "pk")


def residences_of(person: Person) -> QuerySet[ResidenceHistory]:
    return person.residences.select_related("province", "commune").order_by("-from_date", "-pk")


# Timeline entries a reader without judgment access (a helper) may see, by the app that wrote them.
OPEN_TIMELINE_PREFIXES = ("people.", "casework.", "support.")


def sees_judgments(actor: Any, person: Person) -> bool:
    """Whether ``actor`` may read the judicial side of ``person``: judgments, intake steps, police notes."""
    return policy.scope_for(actor, Cap.VIEW_JUDGMENTS).covers(
        province=person.province_id, commune=person.commune_id
    )


def timeline_of(person: Person, *, actor: Any = None, limit: int = 200) -> QuerySet[TimelineEntry]:
    """The person's timeline, newest first; without judgment access only the open kinds of entry.

    ``actor=None`` is the caller that has already decided the reader sees everything.
    """
    rows = person.timeline.select_related("created_by").order_by("-occurred_on", "-pk")
    if actor is not None and not sees_judgments(actor, person):
        open_kinds = Q(pk__in=[])
        for prefix in OPEN_TIMELINE_PREFIXES:
            open_kinds |= Q(kind__startswith=prefix)
        rows = rows.filter(open_kinds)
    return rows[:limit]


def probable_duplicates(
    *,
    full_name: str,
    birth_year: int | None,
    province: int | None,
    commune: int | None,
    exclude: int | None = None,
    actor: Any = None,
) -> list[Person]:
    """People probably the same as the one described: same or very similar name, same year of
    birth, same commune (or, while the commune is unknown, same province and no commune).

    Very similar means a trigram similarity of at least 0.6 between the folded names (one letter
    or one tone mark apart). With ``actor``, only people in the actor's areas are returned.
    """
    if birth_year is None or not full_name:
        return []
    queryset = Person.objects.filter(birth_year=birth_year)
    queryset = (
        queryset.filter(commune_id=commune)
        if commune
        else queryset.filter(province_id=province, commune=None)
    )
    if exclude is not None:
        queryset = queryset.exclude(pk=exclude)
    if actor is not None:
        queryset = policy.restrict(queryset, actor, Cap.VIEW_PEOPLE)
    folded = fold(full_name)
    candidates = queryset.select_related("province", "commune").order_by("sort_key", "pk")[:500]
    return [
        p
        for p in candidates
        if p.name_folded == folded or search.similarity(folded, p.name_folded) >= DUPLICATE_SIMILARITY
    ]


def id_holder(personal_id: str, *, exclude: int | None = None) -> Person | None:
    """Whoever holds a personal identification number, in any area (for the duplicate rule only)."""
    queryset = Person.objects.filter(personal_id=personal_id)
    if exclude is not None:
        queryset = queryset.exclude(pk=exclude)
    return queryset.first()


def in_scope(actor: Any, person: Person, cap: str = Cap.VIEW_PEOPLE) -> bool:
    return policy.scope_for(actor, cap).covers(province=person.province_id, commune=person.commune_id)
