"""The loader: idempotent, names normalised, the dataset version drives the in-memory tables."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hoanhap.geo import loader, tables
from hoanhap.geo.models import (
    Commune,
    CommuneSuccession,
    Dataset,
    LegacyCommune,
    LegacyDistrict,
    LegacyProvince,
    Province,
)

pytestmark = pytest.mark.django_db

WRITES = ("INSERT", "UPDATE", "DELETE")


def snapshot() -> dict:
    return {
        "provinces": list(Province.objects.order_by("code").values_list()),
        "communes": list(Commune.objects.order_by("code").values_list()),
        "legacy_provinces": list(LegacyProvince.objects.order_by("code").values_list()),
        "legacy_districts": list(LegacyDistrict.objects.order_by("code").values_list()),
        "legacy_communes": list(LegacyCommune.objects.order_by("code").values_list()),
        "successions": list(CommuneSuccession.objects.order_by("id").values_list()),
    }


def test_everything_is_loaded_with_the_official_counts():
    """34 provinces, 3,321 communes; 63 / 696 / 10,051 legacy units; a crosswalk."""
    counts = loader.current_counts()
    assert counts["provinces"] == 34
    assert counts["communes"] == 3321
    assert counts["legacy_provinces"] == 63
    assert counts["legacy_districts"] == 696
    assert counts["legacy_communes"] == 10051
    assert counts["successions"] > 10051
    assert loader.is_loaded()
    dataset = Dataset.objects.get(pk=1)
    assert dataset.revision == loader.LOADER_REVISION
    assert dataset.source == "vietnam-provinces 2026.9.0"


def test_second_run_changes_nothing():
    """A second load finds everything in place: no write at all, same rows, same version."""
    before = snapshot()
    version = Dataset.objects.get(pk=1).version
    with CaptureQueriesContext(connection) as queries:
        loader.load_geo()
    assert not [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(WRITES)]
    assert snapshot() == before
    assert Dataset.objects.get(pk=1).version == version


def test_forced_reload_rewrites_the_same_data_and_bumps_the_version():
    """--force rewrites every unit to the same values, keeps the crosswalk rows, and bumps the version."""
    before = snapshot()
    version = Dataset.objects.get(pk=1).version
    old_tables = tables.get_tables()
    loader.load_geo(force=True)
    assert snapshot() == before
    assert Dataset.objects.get(pk=1).version == version + 1
    assert tables.get_tables() is not old_tables


def test_type_words_are_written_the_usual_way():
    """Source names with an odd case of the type word ('xã Bắc Sơn') are stored as 'Xã Bắc Sơn'."""
    # Checked in Python: LIKE is case-insensitive on SQLite.
    assert not [n for n in Commune.objects.values_list("name", flat=True) if n.startswith("xã ")]
    assert not [
        n for n in LegacyDistrict.objects.values_list("name", flat=True) if n.startswith("Thành Phố ")
    ]
    assert loader.split_name("xã Bắc Sơn") == ("Xã Bắc Sơn", "Bắc Sơn")
    assert loader.split_name("Thành Phố Bắc Kạn") == ("Thành phố Bắc Kạn", "Bắc Kạn")
    assert loader.split_name("Đặc khu Phú Quốc") == ("Đặc khu Phú Quốc", "Phú Quốc")
    # Every name starts with its type word, and the short name is the rest ("Phường Phường Đúc" is real).
    for model in (Province, Commune, LegacyProvince, LegacyDistrict, LegacyCommune):
        assert not [
            (n, s) for n, s in model.objects.values_list("name", "short_name") if not n.endswith(" " + s)
        ]


def test_new_codes_reuse_old_codes_of_other_units():
    """Why legacy and current units are never joined by code: 30682 names two different units."""
    assert Commune.objects.get(code=30682).name == "Xã Thoại Sơn"
    assert LegacyCommune.objects.get(code=30682).name == "Thị trấn Núi Sập"
    assert Province.objects.get(code=91).name == "Tỉnh An Giang"
    assert LegacyProvince.objects.get(code=91).name == "Tỉnh Kiên Giang"
    assert LegacyProvince.objects.get(code=89).name == "Tỉnh An Giang"


def test_split_flag_matches_the_number_of_successors():
    """partial is set exactly when a legacy commune went to more than one current commune."""
    from django.db.models import Count

    counted = LegacyCommune.objects.annotate(n=Count("successions"))
    split_ids = set(counted.filter(n__gt=1).values_list("id", flat=True))
    partial_ids = set(
        CommuneSuccession.objects.filter(partial=True).values_list("legacy_commune_id", flat=True)
    )
    assert split_ids == partial_ids
    assert len(split_ids) > 100
