"""Load administrative units from the ``vietnam-provinces`` package (release 2026.9.0).

Idempotent: rows are upserted by code, the crosswalk is replaced only when it differs, and a
second run that finds everything in place does nothing but count. Takes a few seconds.
"""

from __future__ import annotations

from django.db import transaction

from hoanhap.core.text import fold
from hoanhap.geo.models import (
    Commune,
    CommuneSuccession,
    LegacyCommune,
    LegacyDistrict,
    LegacyProvince,
    Province,
)

# Type words that open an official name; the short name is what follows.
_TYPE_PREFIXES = sorted(
    ["Thành phố", "Tỉnh", "Xã", "Phường", "Thị trấn", "Đặc khu", "Quận", "Huyện", "Thị xã"],
    key=len,
    reverse=True,
)


def short_name(name: str) -> str:
    for prefix in _TYPE_PREFIXES:
        if name.startswith(prefix + " "):
            return name[len(prefix) + 1 :]
    return name


def _kind(division_type) -> str:
    return str(getattr(division_type, "value", division_type))


def _source():
    from vietnam_provinces import Province as SrcProvince
    from vietnam_provinces import Ward as SrcWard
    from vietnam_provinces import legacy
    from vietnam_provinces._ward_conversion_2025 import OLD_TO_NEW

    return SrcProvince, SrcWard, legacy, OLD_TO_NEW


def expected_counts() -> dict[str, int]:
    SrcProvince, SrcWard, legacy, old_to_new = _source()
    return {
        "provinces": sum(1 for _ in SrcProvince.iter_all()),
        "communes": sum(1 for _ in SrcWard.iter_all()),
        "legacy_provinces": sum(1 for _ in legacy.Province.iter_all()),
        "legacy_districts": sum(1 for _ in legacy.District.iter_all()),
        "legacy_communes": sum(1 for _ in legacy.Ward.iter_all()),
    }


def current_counts() -> dict[str, int]:
    return {
        "provinces": Province.objects.count(),
        "communes": Commune.objects.count(),
        "legacy_provinces": LegacyProvince.objects.count(),
        "legacy_districts": LegacyDistrict.objects.count(),
        "legacy_communes": LegacyCommune.objects.count(),
        "successions": CommuneSuccession.objects.count(),
    }


def is_loaded() -> bool:
    counts = current_counts()
    expected = expected_counts()
    return all(counts[k] == v for k, v in expected.items()) and counts["successions"] > 0


def _upsert(model, rows: list, fields: list[str]) -> None:
    model.objects.bulk_create(rows, batch_size=1000, update_conflicts=True, unique_fields=["code"], update_fields=fields)


@transaction.atomic
def load_geo(*, force: bool = False) -> dict[str, int]:
    """Load or refresh every unit and the crosswalk; returns the counts now stored."""
    if not force and is_loaded():
        return current_counts()
    SrcProvince, SrcWard, legacy, old_to_new = _source()
    unit_fields = ["name", "short_name", "kind", "name_folded"]

    provinces = [
        Province(
            code=int(p.code), name=p.name, short_name=short_name(p.name), kind=_kind(p.division_type),
            name_folded=fold(short_name(p.name)),
        )
        for p in SrcProvince.iter_all()
    ]
    _upsert(Province, provinces, unit_fields)
    communes = [
        Commune(
            code=int(w.code), name=w.name, short_name=short_name(w.name), kind=_kind(w.division_type),
            province_id=int(w.province_code), name_folded=fold(short_name(w.name)),
        )
        for w in SrcWard.iter_all()
    ]
    _upsert(Commune, communes, [*unit_fields, "province"])

    legacy_provinces = [
        LegacyProvince(
            code=int(p.code), name=p.name, short_name=short_name(p.name), kind=_kind(p.division_type),
            name_folded=fold(short_name(p.name)),
        )
        for p in legacy.Province.iter_all()
    ]
    _upsert(LegacyProvince, legacy_provinces, unit_fields)
    province_ids = dict(LegacyProvince.objects.values_list("code", "id"))
    districts = [
        LegacyDistrict(
            code=int(d.code), name=d.name, short_name=short_name(d.name), kind=_kind(d.division_type),
            province_id=province_ids[int(d.province_code)], name_folded=fold(short_name(d.name)),
        )
        for d in legacy.District.iter_all()
    ]
    _upsert(LegacyDistrict, districts, [*unit_fields, "province"])
    district_ids = dict(LegacyDistrict.objects.values_list("code", "id"))
    legacy_communes = [
        LegacyCommune(
            code=int(w.code), name=w.name, short_name=short_name(w.name), kind=_kind(w.division_type),
            district_id=district_ids[int(w.district_code)], name_folded=fold(short_name(w.name)),
        )
        for w in legacy.Ward.iter_all()
    ]
    _upsert(LegacyCommune, legacy_communes, [*unit_fields, "district"])

    # The crosswalk, joined on the legacy ward code inside the legacy table only (the old
    # province code of a few crosswalk rows is wrong, so it is not used).
    legacy_ids = dict(LegacyCommune.objects.values_list("code", "id"))
    commune_codes = set(Commune.objects.values_list("code", flat=True))
    wanted: set[tuple[int, int, bool]] = set()
    for old_code, entry in old_to_new.items():
        legacy_id = legacy_ids.get(int(old_code))
        if legacy_id is None:
            continue
        targets = [int(n.code) for n in entry.new_wards if int(n.code) in commune_codes]
        partial = len(targets) > 1
        for code in targets:
            wanted.add((legacy_id, code, partial))
    existing = set(CommuneSuccession.objects.values_list("legacy_commune_id", "commune_id", "partial"))
    if existing != wanted:
        CommuneSuccession.objects.all().delete()
        CommuneSuccession.objects.bulk_create(
            [CommuneSuccession(legacy_commune_id=l, commune_id=c, partial=p) for l, c, p in sorted(wanted)],
            batch_size=2000,
        )
    return current_counts()
