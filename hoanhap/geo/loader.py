"""Load administrative units from the ``vietnam-provinces`` package (release 2026.9.0).

Idempotent: rows are upserted by code, the crosswalk is replaced only when it differs, and a
second run that finds everything in place (same counts, same package release, same loader
revision in ``Dataset``) does nothing but count. Takes a few seconds.

A handful of source names write the type word in another case ("xã Bắc Sơn", "Thành Phố Bắc
Kạn"); the loader writes it the usual way so every display name reads "Xã …", "Thành phố …".
Each load that writes bumps ``Dataset.version``, which tells every process to rebuild its
in-memory unit tables (``hoanhap.geo.tables``).
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as package_version

from django.db import transaction
from django.utils import timezone

from hoanhap.core.text import fold
from hoanhap.geo.models import (
    Commune,
    CommuneSuccession,
    Dataset,
    LegacyCommune,
    LegacyDistrict,
    LegacyProvince,
    Province,
)

# Bump when the loader changes what it writes, so existing databases reload once.
LOADER_REVISION = 2

# Type words that open an official name; the short name is what follows.
_TYPE_PREFIXES = sorted(
    ["Thành phố", "Tỉnh", "Xã", "Phường", "Thị trấn", "Đặc khu", "Quận", "Huyện", "Thị xã"],
    key=len,
    reverse=True,
)


def split_name(name: str) -> tuple[str, str]:
    """(display name with its type word in the usual case, short name without the type word)."""
    name = " ".join(name.split())
    lowered = name.lower()
    for prefix in _TYPE_PREFIXES:
        if lowered.startswith(prefix.lower() + " "):
            rest = name[len(prefix) + 1 :]
            return f"{prefix} {rest}", rest
    return name, name


def short_name(name: str) -> str:
    return split_name(name)[1]


def source_label() -> str:
    try:
        return "vietnam-provinces " + package_version("vietnam-provinces")
    except PackageNotFoundError:  # pragma: no cover - the package is a hard dependency
        return "vietnam-provinces"


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
    """Everything of this package release is in place, written by this loader revision."""
    dataset = Dataset.objects.filter(pk=1).first()
    if dataset is None or dataset.revision != LOADER_REVISION or dataset.source != source_label():
        return False
    counts = current_counts()
    expected = expected_counts()
    return all(counts[k] == v for k, v in expected.items()) and counts["successions"] > 0


def _mark_loaded() -> None:
    dataset, _created = Dataset.objects.select_for_update().get_or_create(pk=1, defaults={"source": ""})
    dataset.source = source_label()
    dataset.revision = LOADER_REVISION
    dataset.version += 1
    dataset.loaded_at = timezone.now()
    dataset.save()

    from hoanhap.geo import tables

    tables.invalidate()
    transaction.on_commit(tables.invalidate)


def _unit(model, src, **extra):
    name, short = split_name(src.name)
    return model(
        code=int(src.code),
        name=name,
        short_name=short,
        kind=_kind(src.division_type),
        name_folded=fold(short),
        **extra,
    )


def _upsert(model, rows: list, fields: list[str]) -> None:
    model.objects.bulk_create(
        rows, batch_size=1000, update_conflicts=True, unique_fields=["code"], update_fields=fields
    )


@transaction.atomic
def load_geo(*, force: bool = False) -> dict[str, int]:
    """Load or refresh every unit and the crosswalk; returns the counts now stored."""
    if not force and is_loaded():
        return current_counts()
    SrcProvince, SrcWard, legacy, old_to_new = _source()
    unit_fields = ["name", "short_name", "kind", "name_folded"]

    provinces = [_unit(Province, p) for p in SrcProvince.iter_all()]
    _upsert(Province, provinces, unit_fields)
    communes = [_unit(Commune, w, province_id=int(w.province_code)) for w in SrcWard.iter_all()]
    _upsert(Commune, communes, [*unit_fields, "province"])

    legacy_provinces = [_unit(LegacyProvince, p) for p in legacy.Province.iter_all()]
    _upsert(LegacyProvince, legacy_provinces, unit_fields)
    province_ids = dict(LegacyProvince.objects.values_list("code", "id"))
    districts = [
        _unit(LegacyDistrict, d, province_id=province_ids[int(d.province_code)])
        for d in legacy.District.iter_all()
    ]
    _upsert(LegacyDistrict, districts, [*unit_fields, "province"])
    district_ids = dict(LegacyDistrict.objects.values_list("code", "id"))
    legacy_communes = [
        _unit(LegacyCommune, w, district_id=district_ids[int(w.district_code)])
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
            [
                CommuneSuccession(legacy_commune_id=old, commune_id=new, partial=p)
                for old, new, p in sorted(wanted)
            ],
            batch_size=2000,
        )
    _mark_loaded()
    return current_counts()
