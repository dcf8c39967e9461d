"""The reading shortcuts change no result: an address resolved from its unit columns alone when the
free-text part names no unit, cells parsed once per distinct value, legacy text repaired once."""

from __future__ import annotations

import itertools

import pytest

from hoanhap.imports.reading import legacy, specs
from hoanhap.imports.reading.addresses import AddressCache, names_no_unit, resolve_address
from hoanhap.imports.reading.table import ParseCache
from hoanhap.imports.reading.values import ParseError

pytestmark = pytest.mark.django_db

HEADS = [
    "",
    "Ấp Đông Sơn",
    "Số 12, Ấp Tây Bình",
    "Khóm 3",
    "ap dong son",
    "123 đường Trần Hưng Đạo",
    "Tổ 5, khu phố 2",
    "Thoại Sơn",  # names a unit: resolved whole
    "Ấp Phú Hữu - Châu Thành",
    "TT Núi Sập",
    "Q1",
    "Việt Nam",
]
TAILS = [
    "Xã Thoại Sơn, An Giang",
    "xa thoai son, an giang",
    "Phường Châu Đốc, Tỉnh An Giang",
    "Thị trấn Núi Sập, Huyện Thoại Sơn, Tỉnh An Giang",
    "Xã Phước Hưng, Huyện An Phú, Tỉnh An Giang",  # a legacy commune split in three
    "Xã Phú Hòa",  # several provinces
    "An Giang",  # a province only
    "Long Xuyên",
]


@pytest.mark.parametrize("hint", [None, 91])
def test_the_address_cache_resolves_as_the_whole_text(hint):
    """Every head with every tail: the cached reading equals resolving the joined text."""
    cache = AddressCache(hint)
    for head, tail in itertools.product(HEADS, TAILS):
        text = ", ".join(p for p in (head, tail) if p)
        assert cache.resolve(head, tail) == resolve_address(text, hint), text


def test_only_a_part_without_unit_names_is_skipped():
    assert names_no_unit("Số 12, Ấp Tây Bình")
    assert not names_no_unit("Thoại Sơn")
    assert not names_no_unit("TT Núi Sập")


def test_a_cell_is_parsed_once_and_a_refusal_is_kept():
    """The same cell reads the same every time, a refusal included; a bool is not the number 1."""
    cache = ParseCache()
    date = specs.PERSONS.column("judgment_date")
    assert cache.parse(date, "15/3/2023") == cache.parse(date, "15/3/2023")
    for _ in range(2):
        with pytest.raises(ParseError, match="does not exist"):
            cache.parse(date, "31/02/2020")
    kind = specs.PERSONS.column("release_kind")
    assert cache.parse(kind, "Hết án") == "completed_term"
    sex = specs.PERSONS.column("sex")
    with pytest.raises(ParseError):
        cache.parse(sex, True)


def test_legacy_repair_is_remembered_and_unchanged():
    first = legacy.repair("Nguyeãn Vaên Sôn Hµ Néi")
    assert legacy.repair("Nguyeãn Vaên Sôn Hµ Néi") is first
    assert legacy.repair("Hµ Néi").text == "Hà Nội"
    assert legacy.repair("Tô Hoài").text == "Tô Hoài"
