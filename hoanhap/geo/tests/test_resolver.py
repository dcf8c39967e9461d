"""The address resolver: current and legacy addresses as officials write them, to exact codes."""

import time
import unicodedata

import pytest

from hoanhap.geo import tables
from hoanhap.geo.models import Commune, CommuneSuccession, LegacyCommune
from hoanhap.geo.resolver import resolve

pytestmark = pytest.mark.django_db

THOAI_SON = 30682  # Xã Thoại Sơn, was Thị trấn Núi Sập (legacy code 30682 too)
OC_EO = 30688
LONG_XUYEN = 30307
PHU_HOA_AG = 30685


def codes(text: str, **kwargs) -> list[int]:
    return [m.code for m in resolve(text, **kwargs).matches]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Xã Thoại Sơn, tỉnh An Giang", [THOAI_SON]),
        ("thoai son an giang", [THOAI_SON]),
        ("XÃ THOẠI SƠN - AN GIANG", [THOAI_SON]),
        ("Xa Thoai Son, Tinh An Giang", [THOAI_SON]),
        ("Thoại Sơn, An Giang, Việt Nam", [THOAI_SON]),
        ("Đặc khu Phú Quốc, An Giang", [31078]),
        ("Phường Ba Đình, Hà Nội", [4]),
        ("P. Ba Đình, TP Hà Nội", [4]),
        ("Phường Hoàn Kiếm, Thành phố Hà Nội", [70]),
        ("Phường Sài Gòn, TP.HCM", [26740]),
        ("Xã Ea H'Leo, Đắk Lắk", [24184]),
        ("Phường Văn Miếu - Quốc Tử Giám, Hà Nội", [226]),
    ],
)
def test_current_addresses_resolve_to_their_commune(text, expected):
    """A current address, in any usual spelling, gives its commune and no legacy path."""
    result = resolve(text)
    assert [m.code for m in result.matches] == expected
    assert result.legacy is None
    assert result.message is None
    assert not result.matches[0].partial


@pytest.mark.parametrize(
    ("text", "expected", "legacy_commune"),
    [
        ("TT Núi Sập, H. Thoại Sơn, T. An Giang", [THOAI_SON], "Thị trấn Núi Sập"),
        ("Thị trấn Núi Sập, huyện Thoại Sơn, tỉnh An Giang", [THOAI_SON], "Thị trấn Núi Sập"),
        ("tt nui sap h thoai son an giang", [THOAI_SON], "Thị trấn Núi Sập"),
        ("Số 12, ấp Đông Sơn, xã Vọng Đông, huyện Thoại Sơn, An Giang", [OC_EO], "Xã Vọng Đông"),
        ("So 12 ap Dong Son - xa Vong Dong - huyen Thoai Son - An Giang", [OC_EO], "Xã Vọng Đông"),
        ("P. Mỹ Bình, TP Long Xuyên, An Giang", [LONG_XUYEN], "Phường Mỹ Bình"),
        ("Phường Phúc Xá, Quận Ba Đình, Hà Nội", [97], "Phường Phúc Xá"),
        ("Phường 1, Quận 3, TP.HCM", [27154], "Phường 1"),
        ("P1 Q3 TPHCM", [27154], "Phường 1"),
        ("Xã Vĩnh Hòa, TX Tân Châu, An Giang", [30385], "Xã Vĩnh Hòa"),
        ("Thị trấn Phú Hoà, Thoại Sơn, An Giang", [PHU_HOA_AG], "Thị trấn Phú Hoà"),
    ],
)
def test_legacy_addresses_resolve_through_the_crosswalk(text, expected, legacy_commune):
    """An address from before 1 July 2025 gives its successor and the legacy path it was read through."""
    result = resolve(text)
    assert [m.code for m in result.matches] == expected
    assert result.legacy is not None
    assert result.legacy.commune == legacy_commune


def test_legacy_path_names_carry_their_type():
    """The legacy path names the old province, district and commune with their type words."""
    result = resolve("TT Núi Sập, H. Thoại Sơn, T. An Giang")
    assert result.as_dict()["legacy"] == {
        "province": "Tỉnh An Giang",
        "district": "Huyện Thoại Sơn",
        "commune": "Thị trấn Núi Sập",
    }
    assert result.matches[0].name == "Xã Thoại Sơn"
    assert result.matches[0].province_name == "Tỉnh An Giang"
    assert result.matches[0].province_code == 91


def test_legacy_codes_are_never_joined_to_current_codes():
    """Xã Vĩnh Phú (legacy code 30694) became Xã Định Mỹ 30709: the crosswalk decides, not the code."""
    legacy = LegacyCommune.objects.get(code=30694)
    assert legacy.name == "Xã Vĩnh Phú"
    assert codes("Xã Vĩnh Phú, huyện Thoại Sơn, An Giang") == [30709]


def test_split_legacy_commune_gives_every_successor_marked_partial():
    """A legacy commune split on 1 July 2025 gives all its successors, each partial, and says so."""
    split = (
        LegacyCommune.objects.filter(district__province__code=89, successions__partial=True)
        .distinct()
        .order_by("code")
        .first()
    )
    expected = set(
        CommuneSuccession.objects.filter(legacy_commune=split).values_list("commune_id", flat=True)
    )
    assert len(expected) > 1
    result = resolve(f"{split.name}, {split.district.name}, An Giang")
    assert {m.code for m in result.matches} == expected
    assert all(m.partial for m in result.matches)
    assert result.legacy.commune == split.name
    assert "split" in result.message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Xã Phú Hội, huyện An Phú, An Giang", [30337, 30346]),
        ("Xã Phước Hưng, An Phú, An Giang", [30337, 30346, 30352]),
        ("Xã Vĩnh Châu, TP Châu Đốc, An Giang", [30316, 30325]),
        # The successor that kept the old name comes first.
        ("Phường Ngọc Hà, Quận Ba Đình, Hà Nội", [8, 4]),
    ],
)
def test_split_communes_in_detail(text, expected):
    """Each known split in An Giang and Hà Nội gives exactly its successors, all partial."""
    result = resolve(text)
    assert [m.code for m in result.matches] == expected
    assert all(m.partial for m in result.matches)


def test_a_district_makes_the_address_a_legacy_one():
    """With a legacy district, a name shared by an old ward and a current one is the old ward."""
    assert codes("Phường Ngọc Hà, Hà Nội") == [8]
    assert sorted(codes("Phường Ngọc Hà, Quận Ba Đình, Hà Nội")) == [4, 8]


def test_current_commune_wins_in_its_current_province():
    """Xã Vĩnh Hòa exists now in An Giang (31012) and existed in old Tân Châu (now 30385)."""
    assert codes("Xã Vĩnh Hòa, An Giang") == [31012]
    assert codes("Xã Vĩnh Hòa, Thị xã Tân Châu, An Giang") == [30385]


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("An Giang", "Only a province"),
        ("Tỉnh An Giang", "Only a province"),
        ("Kiên Giang", "before 1 July 2025"),
        ("Huyện Thoại Sơn", "Only a district"),
        ("H. Thoại Sơn, An Giang", "Only a district"),
        ("Thị xã Tịnh Biên, An Giang", "Only a district"),
        ("asdf qwerty zzz", "No commune"),
        ("12345", "No commune"),
        ("", "Type an address"),
        ("Xã Thoại Sơn, Hà Nội", "does not lie"),
    ],
)
def test_texts_that_name_no_commune_get_no_match_and_a_reason(text, needle):
    """Only a province, only a district, nonsense or a contradiction: no match, and a message why."""
    result = resolve(text)
    assert result.matches == ()
    assert needle in result.message
    assert result.as_dict()["legacy"] is None


def test_a_district_type_word_binds():
    """'Huyện Thoại Sơn' is never read as the current commune Xã Thoại Sơn."""
    assert codes("Huyện Thoại Sơn") == []
    assert codes("Thoại Sơn") == [THOAI_SON]


def test_a_name_found_in_several_provinces_is_ambiguous():
    """'Xã Phú Hòa' alone fits communes in several provinces: no match, the candidates, a message."""
    result = resolve("Xã Phú Hòa")
    assert result.matches == ()
    assert "add the province" in result.message
    candidates = {m.code for m in result.candidates}
    assert {PHU_HOA_AG, 26221} <= candidates
    assert "candidates" not in result.as_dict()


def test_province_hint_breaks_a_tie_but_not_the_text():
    """The hint picks among equal readings; a province written in the text still wins."""
    assert codes("Xã Phú Hòa", province_hint=91) == [PHU_HOA_AG]
    assert codes("Xã Phú Hòa", province_hint=75) == [26221]
    assert codes("Xã Thoại Sơn, An Giang", province_hint=1) == [THOAI_SON]
    assert codes("Xã Phú Hòa", province_hint=999) == []


@pytest.mark.parametrize(
    "text",
    ["Xã Phú Hoà, An Giang", "Xã Phú Hòa, An Giang", "xa phu hoa, an giang", "XÃ PHÚ HOÀ, AN GIANG"],
)
def test_old_and_new_tone_placement_are_the_same_name(text):
    """Hoà and Hòa, upper or lower case, with or without diacritics: the same commune."""
    assert codes(text) == [PHU_HOA_AG]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Xã Sơn Thủy, Tuyên Quang", [2620]),  # stored as "Sơn Thuỷ"
        ("Xã Sơn Thuỷ, Tuyên Quang", [2620]),
        ("Xã Đàm Thuỷ, Cao Bằng", [1501]),  # stored as "Đàm Thủy"
        ("Xã Đàm Thủy, Cao Bằng", [1501]),
    ],
)
def test_thuy_spellings(text, expected):
    """Thuỷ and Thủy are the same syllable whichever way the data or the writer places the mark."""
    assert codes(text) == expected


def test_nfd_input_resolves_like_nfc():
    """Text typed on systems that decompose diacritics (NFD) resolves the same."""
    text = "TT Núi Sập, H. Thoại Sơn, T. An Giang"
    nfd = unicodedata.normalize("NFD", text)
    assert nfd != text
    assert resolve(nfd).as_dict() == resolve(text).as_dict()


def test_exact_diacritics_beat_a_name_that_differs_by_a_tone_mark():
    """Mỹ Tho (ward) and Mỹ Thọ (commune) are both in Đồng Tháp: the marks decide; without, ambiguous."""
    assert codes("Mỹ Tho, Đồng Tháp") == [28261]
    assert codes("Mỹ Thọ, Đồng Tháp") != [28261]
    assert len(codes("Mỹ Thọ, Đồng Tháp")) == 1
    assert codes("my tho, dong thap") == []


def test_a_province_name_alone_is_the_province_not_a_namesake_commune():
    """'Kiên Giang' is the old province, not the old Thị trấn Kiến Giang of Quảng Bình."""
    assert codes("Kiên Giang") == []
    assert codes("kien giang") == []


def test_hamlets_and_streets_are_ignored():
    """An ấp or a street named like a commune elsewhere does not decide the commune."""
    assert codes("Ấp Phú Hòa, xã Vọng Đông, huyện Thoại Sơn, An Giang") == [OC_EO]
    assert codes("Đường Thoại Sơn, Phường Long Xuyên, An Giang") == [LONG_XUYEN]


def test_as_dict_has_exactly_the_contract_keys():
    """The dict matches the command and API contract, names with their type."""
    data = resolve("Xã Thoại Sơn, tỉnh An Giang").as_dict()
    assert data == {
        "matches": [
            {
                "code": THOAI_SON,
                "name": "Xã Thoại Sơn",
                "province_code": 91,
                "province_name": "Tỉnh An Giang",
                "partial": False,
            }
        ],
        "legacy": None,
        "message": None,
    }


def test_unit_tables_are_cached_per_process_until_the_data_changes(monkeypatch):
    """The tables are built once; a new dataset version (another process loaded) makes them rebuild."""
    from hoanhap.geo.models import Dataset

    monkeypatch.setattr(tables, "VERSION_CHECK_SECONDS", 0.0)
    first = tables.get_tables()
    assert tables.get_tables() is first
    Dataset.objects.filter(pk=1).update(version=first.version[0] + 1)
    rebuilt = tables.get_tables()
    assert rebuilt is not first
    assert rebuilt.version[0] == first.version[0] + 1
    assert codes("Xã Thoại Sơn, An Giang") == [THOAI_SON]


def test_a_resolve_takes_milliseconds():
    """Once the tables are in memory a resolve is fast (generous bound for slow CI machines)."""
    resolve("warm up")
    texts = [
        "Số 12, ấp Đông Sơn, xã Vọng Đông, huyện Thoại Sơn, An Giang",
        "thoai son an giang",
        "Xã Phú Hòa",
    ]
    start = time.perf_counter()
    for _ in range(20):
        for text in texts:
            resolve(text)
    average_ms = (time.perf_counter() - start) * 1000 / 60
    assert average_ms < 25


def test_every_current_commune_resolves_with_its_province():
    """All 3,321 communes: '<name>, <province>' as written officially gives that commune first."""
    failures = []
    for commune in Commune.objects.select_related("province"):
        text = f"{commune.name}, {commune.province.name}"
        found = codes(text)
        if found[:1] != [commune.code]:
            failures.append((text, found))
    assert failures == []
