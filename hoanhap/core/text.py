"""Vietnamese text normalisation shared by search, the address resolver and imports.

Two keys are derived from any text:

* ``fold(text)``: lower case ASCII with đ→d, no marks, punctuation turned to spaces, single
  spaces. "Nguyễn Văn Hoà", "NGUYỄN VĂN HÒA" (NFC or NFD) and "nguyen van hoa" all fold to
  "nguyen van hoa". Used for matching.
* ``canonical(text)``: NFC lower case that keeps the marks but puts the tone mark in one place
  (the "new" placement: hoà, thuỷ, khoẻ), so "Hòa" and "Hoà" compare equal while "Hòa", "Hoa" and
  "Hóa" stay apart. Used for ranking exact matches first.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}  # huyền, sắc, ngã, hỏi, nặng
_PUNCT = re.compile(r"[^\w\s]", re.UNICODE)
_SPACES = re.compile(r"\s+")
_VOWELS = set("aăâeêioôơuưy")
_QUALITY = set("ăâêôơư")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text or "")


class _Unmarked(dict):
    """Each character without its marks (đ→d): filled on first sight, read by ``str.translate``.

    Dropping the combining marks of each character's own decomposition gives what decomposing the
    whole text and dropping its marks gives (canonical reordering only moves marks), at a
    dictionary lookup per character instead of a Python step per character.
    """

    def __missing__(self, code: int) -> str:
        char = chr(code).replace("đ", "d").replace("Đ", "D")
        bare = "".join(ch for ch in unicodedata.normalize("NFD", char) if not unicodedata.combining(ch))
        self[code] = bare
        return bare


_UNMARKED = _Unmarked()


class _Spaced(dict):
    """Each character that is not a letter, a digit or a space (``[^\\w\\s]``, and ``_``) as a space,
    the others as they are: read by ``str.translate``."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        spaced = " " if char == "_" or not (char.isalnum() or char.isspace()) else char
        self[code] = spaced
        return spaced


_SPACED = _Spaced()
# The same for ASCII text, as a byte table (``bytes.translate``: no lookup per character).
_SPACED_ASCII = bytes(ord(_SPACED[code]) for code in range(128)) + bytes(range(128, 256))


@lru_cache(maxsize=8192)  # a name is folded several times in a row (keys, sort key, search text)
def fold(text: str | None) -> str:
    """Lower-case ASCII key: no diacritics, đ→d, punctuation as spaces, whitespace collapsed.

    Two character tables and a split: a bulk import folds 100,000s of texts (names, the audit
    entries' search text), where regular expressions took twice as long."""
    if not text:
        return ""
    if not text.isascii():  # ASCII has no marks
        text = text.translate(_UNMARKED)
    text = text.lower()
    text = text.encode().translate(_SPACED_ASCII).decode() if text.isascii() else text.translate(_SPACED)
    return " ".join(text.split())


@lru_cache(maxsize=65536)
def _place_tone(syllable: str) -> str:
    """Re-place the tone mark of one lower-case NFC syllable in the new-style position (the few
    thousand syllables of names repeat down every list: each is worked out once)."""
    decomposed = unicodedata.normalize("NFD", syllable)
    tone = next((ch for ch in decomposed if ch in _TONES), None)
    if tone is None:
        return syllable
    bare = unicodedata.normalize("NFC", "".join(ch for ch in decomposed if ch not in _TONES))
    # Locate the vowel nucleus; "qu" and "gi" belong to the initial consonant.
    start = 0
    while start < len(bare) and bare[start] not in _VOWELS:
        start += 1
    after_q = start > 0 and bare[start - 1] == "q" and bare[start : start + 1] == "u"
    after_g = (
        start > 0
        and bare[start - 1] == "g"
        and bare[start : start + 1] == "i"
        and bare[start + 1 : start + 2] in _VOWELS
    )
    if after_q or (after_g and bare[start + 1 : start + 2] != ""):
        start += 1
    end = start
    while end < len(bare) and bare[end] in _VOWELS:
        end += 1
    nucleus = bare[start:end]
    if not nucleus:
        return unicodedata.normalize("NFC", bare + tone)
    has_final = end < len(bare)
    quality = [i for i, ch in enumerate(nucleus) if ch in _QUALITY]
    if quality:
        pos = quality[-1] if nucleus[quality[-1]] == "ơ" else quality[0]
    elif len(nucleus) == 1:
        pos = 0
    elif nucleus in {"oa", "oe", "uy", "uê"} or has_final or len(nucleus) == 3:
        pos = 1
    else:
        pos = 0
    idx = start + pos
    marked = unicodedata.normalize("NFC", unicodedata.normalize("NFD", bare[idx]) + tone)
    return bare[:idx] + marked + bare[idx + 1 :]


@lru_cache(maxsize=8192)
def canonical(text: str | None) -> str:
    """NFC lower case with tone marks in one canonical place; keeps đ and vowel marks."""
    if not text:
        return ""
    text = _SPACES.sub(" ", _PUNCT.sub(" ", nfc(text).lower())).strip()
    return " ".join(_place_tone(word) for word in text.split(" "))


def vietnamese_sort_key(full_name: str, name_canonical: str | None = None) -> tuple[str, str, str]:
    """Vietnamese name order: given name (last word) first, then family and middle names.

    ``name_canonical``: ``canonical(full_name)``, when the caller has it already."""
    words = nfc(full_name).split()
    if not words:
        return ("", "", "")
    given = words[-1]
    rest = " ".join(words[:-1])
    return (fold(given), fold(rest), canonical(full_name) if name_canonical is None else name_canonical)
