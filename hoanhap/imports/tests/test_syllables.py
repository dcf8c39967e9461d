"""The Vietnamese syllable test that tells real text from legacy-encoding garbage."""

import pytest

from hoanhap.imports.reading.syllables import is_syllable


@pytest.mark.parametrize(
    "word",
    [
        "Nguyễn",
        "NGUYỄN",
        "hoà",
        "hòa",
        "thuỷ",
        "thủy",
        "giếng",
        "gì",
        "quốc",
        "Quỳnh",
        "khuỷu",
        "ngoẹo",
        "Đắk",
        "thuở",
        "tốt",
        "an",
        "ông",
    ],
)
def test_real_syllables(word):
    assert is_syllable(word)


@pytest.mark.parametrize(
    "word",
    [
        "Hµ",
        "café",
        "où",
        "uyô",
        "nguyôn",
        "tôt",
        "gỏt",
        "xaõ",
        "tuỉ",
        "ngòai",
        "Krông",
        "kan",
        "ghe\u0301\u0300",
        "n\u0301",
    ],
)
def test_not_syllables(word):
    """Stray symbols, impossible clusters, a stop final without sắc/nặng, a tone in the wrong place."""
    assert not is_syllable(word)
