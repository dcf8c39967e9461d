"""Reads of the geography for pages, the API and pickers.

Units are public reference data, not personal data: every signed-in user may read all of them,
so nothing here goes through ``access.policy``. Predecessors come from the in-memory tables
(``hoanhap.geo.tables``), which spares a join over 10,000 crosswalk rows per page.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, QuerySet

from hoanhap.core.text import fold
from hoanhap.geo import tables as T
from hoanhap.geo.models import Commune, Province

# Type words a search may start with ("xa thoai son"): the folded names are stored without them.
_TYPE_WORDS = (
    "thanh pho ",
    "thi tran ",
    "thi xa ",
    "dac khu ",
    "phuong ",
    "tinh ",
    "xa ",
    "tp ",
    "tt ",
    "p ",
    "x ",
)


@dataclass(frozen=True)
class Predecessor:
    """A legacy commune that went (wholly or in part) into a current commune."""

    code: int  # legacy code: never compare it with current codes
    name: str
    district: str
    province: str
    partial: bool
    also_to: tuple[str, ...]  # the other current communes it was split into


def province_list() -> QuerySet[Province]:
    return Province.objects.annotate(commune_count=Count("communes")).order_by("code")


def search_key(text: str) -> str:
    """The folded form of a name search, without a leading type word."""
    key = fold(text)
    for word in _TYPE_WORDS:
        if key.startswith(word) and len(key) > len(word):
            return key[len(word) :]
    return key


def commune_search(text: str = "", *, provinces: list[int] | None = None) -> QuerySet[Commune]:
    """Current communes whose folded name contains the folded ``text`` (all when it is empty)."""
    qs = Commune.objects.select_related("province").order_by("province_id", "name_folded", "code")
    if provinces:
        qs = qs.filter(province_id__in=provinces)
    key = search_key(text)
    if key:
        qs = qs.filter(name_folded__contains=key)
    return qs


def predecessors_of(codes: list[int]) -> dict[int, list[Predecessor]]:
    """For each current commune code, the legacy communes it came from (legacy code order)."""
    t = T.get_tables()
    out: dict[int, list[Predecessor]] = {}
    for code in codes:
        rows = []
        for legacy_id in t.predecessors.get(code, ()):
            legacy = t.legacy_communes[legacy_id]
            district = t.legacy_districts[legacy.parent]
            province = t.legacy_provinces[district.parent]
            targets = t.successors.get(legacy_id, ())
            rows.append(
                Predecessor(
                    code=legacy.code,
                    name=legacy.name,
                    district=district.name,
                    province=province.name,
                    partial=any(p for c, p in targets if c == code),
                    also_to=tuple(t.communes[c].name for c, _p in targets if c != code),
                )
            )
        out[code] = sorted(rows, key=lambda r: r.code)
    return out
