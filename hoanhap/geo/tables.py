"""The unit tables in memory: one read-only copy per process, rebuilt when ``load-geo`` writes.

The resolver looks names up thousands of times per second; reading 25,000 rows for each address
would cost far more than the matching itself. ``get_tables()`` builds the copy on first use (about
a fifth of a second) and afterwards reads ``Dataset`` (one row: version and load time), at most once every
``VERSION_CHECK_SECONDS``, to learn whether another process reloaded the units; the loader also
calls ``invalidate()`` in its own process, so there the change is seen at once. (A test that edits
unit rows by hand must call ``invalidate()`` too.)

Current units are keyed by their official code; legacy units by their row id, because legacy and
current codes overlap and mean different places. The two sides meet only through the crosswalk
(``successors``).
"""

from __future__ import annotations

import math
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache, lru_cache

from hoanhap.core.text import canonical, fold

PROVINCE = "province"
COMMUNE = "commune"
LEGACY_PROVINCE = "legacy_province"
LEGACY_DISTRICT = "legacy_district"
LEGACY_COMMUNE = "legacy_commune"

# Short forms people write for a province name, folded (added to the name index).
PROVINCE_ALIASES = {"hcm": "ho chi minh", "tphcm": "ho chi minh", "tp hcm": "ho chi minh"}


def name_key(folded_tokens: list[str] | tuple[str, ...]) -> str:
    """The lookup key of a folded name: numbers without leading zeros ("Phường 01" = "Phường 1")."""
    return " ".join((t.lstrip("0") or "0") if t.isdigit() else t for t in folded_tokens)


@dataclass(frozen=True, slots=True)
class Unit:
    """One unit of any level, as the resolver needs it."""

    level: str
    key: int  # current units: the official code; legacy units: the row id
    code: int  # the official code (for legacy units: the legacy code, never a current one)
    name: str  # with its type, e.g. "Xã Thoại Sơn"
    short_name: str
    kind: str  # folded type, e.g. "xa", "thi tran", "thanh pho trung uong"
    folded: str  # folded short name
    parent: int | None  # commune → province code; district → legacy province id; legacy commune → district id

    @property
    def is_current(self) -> bool:
        return self.level in (PROVINCE, COMMUNE)

    @property
    def canon(self) -> tuple[str, ...]:
        """Canonical words of the short name (tone marks in one place), computed on first use."""
        return _canonical_words(self.short_name)


@cache
def _canonical_words(text: str) -> tuple[str, ...]:
    return tuple(canonical(text).split())


@lru_cache(maxsize=64)
def _folded_kind(kind: str) -> str:
    return fold(kind)


@dataclass(slots=True)
class Tables:
    version: tuple  # (Dataset.version, Dataset.loaded_at): changes with every load that writes
    provinces: dict[int, Unit] = field(default_factory=dict)
    communes: dict[int, Unit] = field(default_factory=dict)
    legacy_provinces: dict[int, Unit] = field(default_factory=dict)
    legacy_districts: dict[int, Unit] = field(default_factory=dict)
    legacy_communes: dict[int, Unit] = field(default_factory=dict)
    # legacy commune id → ((current commune code, partial), ...)
    successors: dict[int, tuple[tuple[int, bool], ...]] = field(default_factory=dict)
    # current commune code → legacy commune ids it came from
    predecessors: dict[int, tuple[int, ...]] = field(default_factory=dict)
    predecessor_districts: dict[int, frozenset[int]] = field(default_factory=dict)
    predecessor_provinces: dict[int, frozenset[int]] = field(default_factory=dict)
    # legacy district / legacy province id → current province codes its communes went to
    district_provinces: dict[int, frozenset[int]] = field(default_factory=dict)
    legacy_province_provinces: dict[int, frozenset[int]] = field(default_factory=dict)
    # folded short name key → every unit of every level with that name
    names: dict[str, tuple[Unit, ...]] = field(default_factory=dict)
    max_name_tokens: int = 1

    def legacy_province_of(self, legacy_commune: Unit) -> Unit:
        district = self.legacy_districts[legacy_commune.parent]
        return self.legacy_provinces[district.parent]

    def province_of(self, commune: Unit) -> Unit:
        return self.provinces[commune.parent]


def _make(level: str, key: int, row: dict, parent: int | None) -> Unit:
    return Unit(
        level=level,
        key=key,
        code=row["code"],
        name=row["name"],
        short_name=row["short_name"],
        kind=_folded_kind(row["kind"]),
        folded=row["name_folded"],
        parent=parent,
    )


def build(version: tuple) -> Tables:
    from hoanhap.geo.models import (
        Commune,
        CommuneSuccession,
        LegacyCommune,
        LegacyDistrict,
        LegacyProvince,
        Province,
    )

    fields = ("code", "name", "short_name", "kind", "name_folded")
    t = Tables(version=version)
    for row in Province.objects.values(*fields):
        t.provinces[row["code"]] = _make(PROVINCE, row["code"], row, None)
    for row in Commune.objects.values(*fields, "province_id"):
        t.communes[row["code"]] = _make(COMMUNE, row["code"], row, row["province_id"])
    for row in LegacyProvince.objects.values(*fields, "id"):
        t.legacy_provinces[row["id"]] = _make(LEGACY_PROVINCE, row["id"], row, None)
    for row in LegacyDistrict.objects.values(*fields, "id", "province_id"):
        t.legacy_districts[row["id"]] = _make(LEGACY_DISTRICT, row["id"], row, row["province_id"])
    for row in LegacyCommune.objects.values(*fields, "id", "district_id"):
        t.legacy_communes[row["id"]] = _make(LEGACY_COMMUNE, row["id"], row, row["district_id"])

    successors: dict[int, list[tuple[int, bool]]] = defaultdict(list)
    predecessors: dict[int, list[int]] = defaultdict(list)
    for legacy_id, code, partial in CommuneSuccession.objects.order_by(
        "legacy_commune_id", "commune_id"
    ).values_list("legacy_commune_id", "commune_id", "partial"):
        successors[legacy_id].append((code, partial))
        predecessors[code].append(legacy_id)
    t.successors = {k: tuple(v) for k, v in successors.items()}
    t.predecessors = {k: tuple(v) for k, v in predecessors.items()}

    pred_districts: dict[int, set[int]] = defaultdict(set)
    pred_provinces: dict[int, set[int]] = defaultdict(set)
    district_provinces: dict[int, set[int]] = defaultdict(set)
    legacy_province_provinces: dict[int, set[int]] = defaultdict(set)
    for legacy_id, targets in t.successors.items():
        district_id = t.legacy_communes[legacy_id].parent
        legacy_province_id = t.legacy_districts[district_id].parent
        for code, _partial in targets:
            province = t.communes[code].parent
            pred_districts[code].add(district_id)
            pred_provinces[code].add(legacy_province_id)
            district_provinces[district_id].add(province)
            legacy_province_provinces[legacy_province_id].add(province)
    t.predecessor_districts = {k: frozenset(v) for k, v in pred_districts.items()}
    t.predecessor_provinces = {k: frozenset(v) for k, v in pred_provinces.items()}
    t.district_provinces = {k: frozenset(v) for k, v in district_provinces.items()}
    t.legacy_province_provinces = {k: frozenset(v) for k, v in legacy_province_provinces.items()}

    names: dict[str, list[Unit]] = defaultdict(list)
    for table in (t.provinces, t.legacy_provinces, t.legacy_districts, t.communes, t.legacy_communes):
        for unit in table.values():
            names[name_key(unit.folded.split())].append(unit)
    for alias, target in PROVINCE_ALIASES.items():
        names[alias].extend(u for u in names.get(target, ()) if u.level in (PROVINCE, LEGACY_PROVINCE))
    t.names = {k: tuple(v) for k, v in names.items()}
    t.max_name_tokens = max(len(k.split()) for k in t.names)
    return t


VERSION_CHECK_SECONDS = 1.0

_lock = threading.Lock()
_cached: Tables | None = None
_checked_at = 0.0


def current_version() -> tuple:
    """What identifies the loaded data; the load time too, since a flushed test database restarts at 1."""
    from hoanhap.geo.models import Dataset

    return Dataset.objects.filter(pk=1).values_list("version", "loaded_at").first() or (0, None)


def get_tables() -> Tables:
    """The unit tables of this process, rebuilt when the database holds a newer load."""
    global _cached, _checked_at
    cached = _cached
    now = time.monotonic()
    if cached is not None and now - _checked_at < VERSION_CHECK_SECONDS:
        return cached
    version = current_version()
    with _lock:
        if _cached is None or _cached.version != version:
            _cached = build(version)
        _checked_at = now
        return _cached


def pin() -> None:
    """From now on this process keeps the tables it has loaded, without asking the database whether
    they changed: a forked process that must not query (the reader of a big import, ``imports.pipeline``)."""
    global _checked_at
    if _cached is not None:
        _checked_at = math.inf


def invalidate() -> None:
    """Forget the tables of this process (the loader calls this after writing)."""
    global _cached, _checked_at
    _cached = None
    _checked_at = 0.0
