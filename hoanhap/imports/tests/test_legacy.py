"""Legacy Vietnamese encodings: the tables, the codecs, and the per-cell rule that never damages Unicode."""

import shutil
import subprocess
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hoanhap.imports.reading import legacy
from hoanhap.imports.reading.legacy import (
    TCVN3,
    UTF8_AS_ANSI,
    VNI,
    repair,
    tcvn3_decode,
    tcvn3_encode,
    vni_decode,
    vni_encode,
)

BASES = {"a": "aăâ", "e": "eê", "i": "i", "o": "oôơ", "u": "uư", "y": "y"}
TONES = ("", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323")
LOWER = sorted(
    {unicodedata.normalize("NFC", v + t) for vs in BASES.values() for v in vs for t in TONES} | {"đ"}
)
LETTERS = LOWER + [ch.upper() for ch in LOWER]
NON_ASCII = [ch for ch in LETTERS if not ch.isascii()]


def test_all_134_letters_are_covered_by_both_tables():
    """Đ/đ and every vowel with its marks and tones, both cases: 134 letters outside ASCII."""
    assert len(NON_ASCII) == 134
    assert set(NON_ASCII) == set(legacy.TCVN3_CODES)
    assert set(NON_ASCII) == set(legacy.VNI_CODES)
    assert len(set(legacy.TCVN3_CODES.values())) == 134  # one code per letter


@pytest.mark.skipif(shutil.which("iconv") is None, reason="iconv not installed")
def test_tcvn3_table_agrees_with_glibc():
    """Every TCVN3 code from 0x80 up (the combining marks 0xB0–0xB4 aside) decodes as glibc's TCVN5712-1 does."""
    codes = [b for b in range(0x80, 0x100) if not 0xB0 <= b <= 0xB4 and b != 0xA0]
    raw = b"|".join(bytes([b]) for b in codes)
    result = subprocess.run(["iconv", "-f", "TCVN5712-1", "-t", "UTF-8"], input=raw, capture_output=True)
    if result.returncode:
        pytest.skip("iconv has no TCVN5712-1")
    expected = dict(zip(codes, result.stdout.decode().split("|"), strict=True))
    ours = {code: letter for letter, code in legacy.TCVN3_CODES.items() if code >= 0x80}
    assert ours == {c: unicodedata.normalize("NFC", e) for c, e in expected.items()}


@pytest.mark.parametrize(
    ("garbled", "text"),
    [
        ("Hµ Néi", "Hà Nội"),
        ("§µ N½ng", "Đà Nẵng"),
        ("NguyÔn V¨n An", "Nguyễn Văn An"),
        ("Lª ThÞ Hoa", "Lê Thị Hoa"),
        ("Th¸i B×nh", "Thái Bình"),
        ("C«ng ty TNHH ABC", "Công ty TNHH ABC"),
        ("CéNG HßA X· HéI CHñ NGHÜA VIÖT NAM", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
        ("NGUYÔN V¡N AN", "NGUYỄN VĂN AN"),
        ("DANH S¸CH NG¦êI CHÊP HµNH XONG ¸N PH¹T Tï", "DANH SÁCH NGƯỜI CHẤP HÀNH XONG ÁN PHẠT TÙ"),
        ("TP Hµ Néi", "TP Hà Nội"),
    ],
)
def test_tcvn3_cells_are_converted(garbled, text):
    """TCVN3 text as a cell shows it comes back as Unicode, capitals typed with .VnTimeH included."""
    assert repair(garbled) == legacy.Repaired(text, TCVN3)


@pytest.mark.parametrize(
    ("garbled", "text"),
    [
        ("Vieät Nam", "Việt Nam"),
        ("Nguyeãn Vaên Sôn", "Nguyễn Văn Sơn"),
        ("Thaønh phoá Hoà Chí Minh", "Thành phố Hồ Chí Minh"),
        ("Ñaø Naüng", "Đà Nẵng"),
        ("NGUYEÃN THÒ HÖÔNG", "NGUYỄN THỊ HƯƠNG"),
        ("Tröôøng", "Trường"),
    ],
)
def test_vni_cells_are_converted(garbled, text):
    assert repair(garbled) == legacy.Repaired(text, VNI)


def test_utf8_read_as_ansi_is_converted():
    assert repair("Nguyá»…n VÄƒn An") == legacy.Repaired("Nguyễn Văn An", UTF8_AS_ANSI)


@pytest.mark.parametrize(
    "text",
    [
        "Tô Hoài",
        "Lê Hà",
        "Nguyễn Văn An",
        "Số 12, ấp Đông Sơn",
        "Je ne sais pas où il est.",
        "où",
        "café",
        "Hélène est déjà à Noël.",
        "Le garçon a mangé une crème brûlée à l'hôtel.",
        "naïve résumé façade fiancée",
        "Müller Straße",
        "José García Peña",
        "Krông Búk",
        "§ 12",
        "25°C",
        "plain ASCII text, 123",
    ],
)
def test_unicode_english_and_french_text_is_left_alone(text):
    """Text that may already be right is never converted."""
    assert repair(text) == legacy.Repaired(unicodedata.normalize("NFC", text))


def test_decomposed_text_is_normalised_to_nfc():
    """Windows-1258 style text (base letter + combining tone) becomes NFC."""
    decomposed = unicodedata.normalize("NFD", "Nguyễn Thị Thuỷ")
    assert repair(decomposed).text == "Nguyễn Thị Thuỷ"


def test_one_word_that_is_valid_both_ways_stays_as_written():
    """TCVN3 "cã" (có) also reads as a syllable: kept, the price of never damaging Unicode."""
    assert repair("cã") == legacy.Repaired("cã")


# --- Properties -----------------------------------------------------------------------------------

vietnamese_text = st.text(
    alphabet=st.sampled_from(LETTERS + list("bcdghklmnpqrstvx ,.0123456789")), max_size=60
)


@given(vietnamese_text)
def test_tcvn3_round_trip(text):
    """Encoding any text of Vietnamese letters (all tones, both cases) to TCVN3 and decoding gives it back."""
    assert tcvn3_decode(tcvn3_encode(text)) == text


@given(vietnamese_text)
def test_vni_round_trip(text):
    assert vni_decode(vni_encode(text)) == text


SYLLABLES = [
    "nguyễn",
    "văn",
    "thị",
    "lê",
    "trần",
    "hoàng",
    "phạm",
    "huỳnh",
    "võ",
    "đặng",
    "bùi",
    "đỗ",
    "hồ",
    "ngô",
    "dương",
    "lý",
    "an",
    "bình",
    "cường",
    "dũng",
    "hùng",
    "hương",
    "lan",
    "minh",
    "nga",
    "phúc",
    "quốc",
    "sơn",
    "thuỷ",
    "tuấn",
    "việt",
    "xuân",
    "yến",
    "ấp",
    "xã",
    "huyện",
    "tỉnh",
    "phường",
    "đông",
    "giang",
    "thoại",
    "núi",
    "sập",
    "người",
    "chấp",
    "hành",
    "xong",
    "án",
    "phạt",
    "tù",
    "khuỷu",
    "quyết",
    "giếng",
    "ngoẹo",
    "oanh",
    "tuyết",
    "khoẻ",
]
word = st.sampled_from(SYLLABLES).flatmap(lambda w: st.sampled_from([w, w.capitalize(), w.upper()]))
phrase = st.lists(word, min_size=1, max_size=8).map(" ".join)


@given(phrase)
def test_unicode_vietnamese_is_left_alone(text):
    """Valid Unicode Vietnamese is never converted (in any case, NFC or NFD)."""
    assert repair(text) == legacy.Repaired(text)
    assert repair(unicodedata.normalize("NFD", text)).text == text


@given(st.text(max_size=40))
def test_text_with_characters_no_legacy_encoding_uses_is_only_normalised(text):
    """Any text holding a character beyond Latin-1 (ă, ơ, đ, ạ, CJK …) is only NFC-normalised."""
    text = text + "ơ"
    assert repair(text).text == unicodedata.normalize("NFC", text)


@settings(max_examples=200)
@given(st.lists(word, min_size=2, max_size=6).map(" ".join))
def test_names_typed_in_tcvn3_or_vni_come_back(text):
    """Phrases of two or more words typed in TCVN3 or VNI are recognised and converted back."""
    for encode, name in ((tcvn3_encode, TCVN3), (vni_encode, VNI)):
        garbled = encode(text)
        result = repair(garbled)
        if garbled == text or result.encoding is None:
            # Every word also reads as a syllable in the legacy spelling: kept as written, never damaged.
            assert result.text == unicodedata.normalize("NFC", garbled)
            continue
        assert result == legacy.Repaired(text, name)
