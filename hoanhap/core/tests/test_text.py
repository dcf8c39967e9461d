"""Vietnamese normalisation: one key for every spelling of the same name."""

import re
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from hoanhap.core.text import canonical, fold, vietnamese_sort_key

NAMES = ["Nguyễn Văn Hòa", "Trần Thị Thủy", "Lê Hoàng Khỏe", "Đặng Quý", "Chau Sóc Kha", "Mã Lỗi Hoà"]


def test_spellings_of_one_name_fold_to_one_key():
    variants = [
        "nguyen van hoa",
        "Nguyễn Văn Hoà",
        "NGUYỄN VĂN HÒA",
        unicodedata.normalize("NFD", "Nguyễn Văn Hòa"),
    ]
    assert {fold(v) for v in variants} == {"nguyen van hoa"}


def test_d_with_stroke_folds_to_d():
    assert fold("Đặng Đình Đức") == "dang dinh duc"


def test_canonical_merges_tone_placement_but_keeps_marks():
    """Hòa and Hoà are one name; Hòa, Hoa and Hóa are three."""
    assert canonical("Hòa") == canonical("Hoà")
    assert canonical("Thủy") == canonical("Thuỷ")
    assert canonical("khỏe") == canonical("khoẻ")
    assert len({canonical("Hòa"), canonical("Hoa"), canonical("Hóa")}) == 3


def test_tone_after_qu_and_gi_goes_on_the_vowel():
    assert canonical("quý") == "quý"
    assert canonical("già") == "già"
    assert canonical("gì") == "gì"


def test_vietnamese_sort_orders_by_given_name_first():
    names = ["Nguyễn Văn Bình", "Trần Thị An", "Lê Văn Bình"]
    assert sorted(names, key=vietnamese_sort_key) == ["Trần Thị An", "Lê Văn Bình", "Nguyễn Văn Bình"]


@given(
    st.sampled_from(NAMES),
    st.sampled_from(["NFC", "NFD"]),
    st.sampled_from([str.lower, str.upper, str.title]),
)
def test_fold_and_canonical_ignore_case_and_normal_form(name, form, case):
    variant = unicodedata.normalize(form, case(name))
    assert fold(variant) == fold(name)
    assert canonical(variant) == canonical(name)


@given(st.text())
def test_fold_is_idempotent_and_ascii_for_vietnamese_letters(text):
    once = fold(text)
    assert fold(once) == once
    assert "đ" not in once


def _fold_reference(text: str) -> str:
    """``fold`` as first written: decompose the whole text, drop its marks (one Python step each)."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"[^\w\s]", " ", text.lower().replace("_", " "))
    return re.sub(r"\s+", " ", text).strip()


@given(
    st.text()
    | st.text(alphabet="ĐđÀÁẢÃẠàáảãạĂẰẮẲẴẶăằắẳẵặÂẦẤẨẪẬâầấẩẫậưƯơƠ aeiouy\u0300\u0301\u0303\u0309\u0323İ")
    | st.text(alphabet="Aa Ởở1_-.,;:()/\\\t\n\u00a0\u2003\u3000ΣσςΦ٣²½·", max_size=40)
)
def test_fold_by_character_table_equals_folding_the_decomposed_text(text):
    assert fold(text) == _fold_reference(text)


@given(st.text(alphabet="abcdeghiklmnopqrstuvxyđăâêôơư\u0300\u0301\u0303\u0309\u0323 ", max_size=30))
def test_a_cached_syllable_is_placed_as_the_uncached_rule_places_it(text):
    from hoanhap.core.text import _place_tone

    for word in text.split():
        assert _place_tone(word) == _place_tone(word) == _place_tone.__wrapped__(word)
