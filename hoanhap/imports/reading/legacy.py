"""Text typed in the legacy Vietnamese encodings, found cell by cell and turned into Unicode NFC.

Spreadsheets made before Unicode took over hold text typed for font encodings; opened today, the
cell shows the bytes as Latin-1 (or Windows-1252) characters:

* **TCVN3** (TCVN 5712:1993, the "ABC" fonts .VnTime, .VnArial): one byte per letter. "Hà Nội"
  reads "Hµ Néi", "Đà Nẵng" reads "§µ N½ng". Capitals with a tone have codes of their own at
  0x80–0x9F and a few other places, and twelve (Ú Ụ Ừ Ử Ữ Ứ Ự Ỳ Ỷ Ỹ Ý Ỵ) only in control codes; in
  practice capitals were mostly typed with the ".VnTimeH" fonts, which draw the lower-case codes as
  capitals, so a word of ASCII capitals with lower-case toned letters ("NGUYễN") is read as all
  capitals.
* **VNI** (VNI-Times): the base letter followed by one or two mark characters. "Việt Nam" reads
  "Vieät Nam", "Nguyễn" reads "Nguyeãn"; ơ, ư, đ and the toned i are single characters (ô, ö, ñ,
  í ì æ ó ò) and ỵ is î.
* **UTF-8 read as Windows-1252** ("Nguyá»…n"): a file saved as UTF-8 and opened as ANSI.

The rule that decides (``repair``) never touches text that may already be right:

1. Text with any character outside ASCII, Latin-1, the Windows-1252 extras and TCVN3's control
   codes is Unicode already (a real "ă", "ơ", "đ", "ạ" … cannot come from these encodings): it is
   only normalised to NFC. So is plain ASCII.
2. Words (runs between ASCII spaces and punctuation) that hold a non-ASCII character are checked as
   Vietnamese syllables (``syllables.is_syllable``). When all of them already are ("Tô Hoài",
   "Lê Hà"), the text is Unicode Vietnamese and stays as it is.
3. Otherwise each decoding is tried; one is taken when every changed word becomes a Vietnamese
   syllable and the text does not hold more foreign-looking ASCII words (lower-case words that are
   not syllables, like "sais", "est") than converted ones — so French "où" in a French sentence
   stays. When two decodings fit, or none, the text stays as it is.

A one-word cell whose legacy bytes also read as a valid syllable (TCVN3 "cã" for "có", VNI "Sôn"
for "Sơn") therefore stays as written: the price of never damaging Unicode text.
"""

from __future__ import annotations

import contextlib
import re
import unicodedata
from dataclasses import dataclass

from hoanhap.imports.reading.syllables import HOI, HUYEN, NANG, NGA, SAC, is_syllable

TCVN3 = "tcvn3"
VNI = "vni"
UTF8_AS_ANSI = "utf8_as_ansi"

_BREVE, _CIRCUMFLEX, _HORN = "\u0306", "\u0302", "\u031b"
_TONE_ORDER = (HUYEN, HOI, NGA, SAC, NANG)  # the order of the code columns below


def _letter(base: str, quality: str = "", tone: str = "") -> str:
    return unicodedata.normalize("NFC", base + quality + tone)


# --- TCVN3 --------------------------------------------------------------------------------------
# For each vowel: (base, quality mark, code of the bare letter or None when ASCII,
#                  codes with huyền, hỏi, ngã, sắc, nặng) — lower case, then upper case.
# Checked against glibc's TCVN5712-1 table in the tests.
_TCVN3_VOWELS: tuple[tuple[str, str, int | None, tuple[int, ...], int | None, tuple[int, ...]], ...] = (
    ("a", "", None, (0xB5, 0xB6, 0xB7, 0xB8, 0xB9), None, (0x80, 0x81, 0x82, 0x83, 0x84)),
    ("a", _BREVE, 0xA8, (0xBB, 0xBC, 0xBD, 0xBE, 0xC6), 0xA1, (0xAF, 0xBA, 0xBF, 0xC0, 0x85)),
    ("a", _CIRCUMFLEX, 0xA9, (0xC7, 0xC8, 0xC9, 0xCA, 0xCB), 0xA2, (0xC1, 0xC2, 0xC3, 0xC4, 0x86)),
    ("e", "", None, (0xCC, 0xCE, 0xCF, 0xD0, 0xD1), None, (0x87, 0x88, 0x89, 0x8A, 0x8B)),
    ("e", _CIRCUMFLEX, 0xAA, (0xD2, 0xD3, 0xD4, 0xD5, 0xD6), 0xA3, (0xC5, 0xCD, 0xD9, 0xDA, 0x8C)),
    ("i", "", None, (0xD7, 0xD8, 0xDC, 0xDD, 0xDE), None, (0x8D, 0x8E, 0x8F, 0x90, 0x91)),
    ("o", "", None, (0xDF, 0xE1, 0xE2, 0xE3, 0xE4), None, (0x92, 0x93, 0x94, 0x95, 0x96)),
    ("o", _CIRCUMFLEX, 0xAB, (0xE5, 0xE6, 0xE7, 0xE8, 0xE9), 0xA4, (0xDB, 0xE0, 0xF0, 0xFF, 0x97)),
    ("o", _HORN, 0xAC, (0xEA, 0xEB, 0xEC, 0xED, 0xEE), 0xA5, (0x98, 0x99, 0x9A, 0x9B, 0x9C)),
    ("u", "", None, (0xEF, 0xF1, 0xF2, 0xF3, 0xF4), None, (0x9D, 0x9E, 0x9F, 0x01, 0x02)),
    ("u", _HORN, 0xAD, (0xF5, 0xF6, 0xF7, 0xF8, 0xF9), 0xA6, (0x04, 0x05, 0x06, 0x11, 0x12)),
    ("y", "", None, (0xFA, 0xFB, 0xFC, 0xFD, 0xFE), None, (0x13, 0x14, 0x15, 0x16, 0x17)),
)
_TCVN3_D = {"đ": 0xAE, "Đ": 0xA7}


def _byte_chars(code: int) -> list[str]:
    """How byte ``code`` shows in a cell: as Latin-1, and for 0x80–0x9F also as Windows-1252."""
    chars = [chr(code)]
    if 0x80 <= code <= 0x9F:
        with contextlib.suppress(UnicodeDecodeError):  # five bytes are undefined in Windows-1252
            chars.insert(0, bytes([code]).decode("cp1252"))
    return chars


def _tcvn3_codes() -> dict[str, int]:
    codes: dict[str, int] = dict(_TCVN3_D)
    for base, quality, lower_bare, lower_toned, upper_bare, upper_toned in _TCVN3_VOWELS:
        if lower_bare is not None:
            codes[_letter(base, quality)] = lower_bare
            codes[_letter(base.upper(), quality)] = upper_bare
        for tone, code in zip(_TONE_ORDER, lower_toned, strict=True):
            codes[_letter(base, quality, tone)] = code
        for tone, code in zip(_TONE_ORDER, upper_toned, strict=True):
            codes[_letter(base.upper(), quality, tone)] = code
    return codes


TCVN3_CODES: dict[str, int] = _tcvn3_codes()
_TCVN3_ENCODE = {letter: _byte_chars(code)[0] for letter, code in TCVN3_CODES.items()}
_TCVN3_DECODE = {ch: letter for letter, code in TCVN3_CODES.items() for ch in _byte_chars(code)}


def tcvn3_encode(text: str) -> str:
    """Unicode → TCVN3 as a cell shows it (Windows-1252 characters for 0x80–0x9F)."""
    return "".join(_TCVN3_ENCODE.get(ch, ch) for ch in unicodedata.normalize("NFC", text))


def tcvn3_decode(text: str) -> str:
    """TCVN3 as a cell shows it → Unicode NFC (characters outside the table are kept)."""
    return "".join(_TCVN3_DECODE.get(ch, ch) for ch in text)


# --- VNI ----------------------------------------------------------------------------------------
_VNI_TONE_MARKS = {SAC: "ù", HUYEN: "ø", HOI: "û", NGA: "õ", NANG: "ï"}
_VNI_CIRCUMFLEX_MARKS = {"": "â", SAC: "á", HUYEN: "à", HOI: "å", NGA: "ã", NANG: "ä"}
_VNI_BREVE_MARKS = {"": "ê", SAC: "é", HUYEN: "è", HOI: "ú", NGA: "ü", NANG: "ë"}
_VNI_I = {SAC: "í", HUYEN: "ì", HOI: "æ", NGA: "ó", NANG: "ò"}
_VNI_SINGLE_BASES = {"o" + _HORN: "ô", "u" + _HORN: "ö"}  # ơ and ư are one character
_VNI_D = {"đ": "ñ", "Đ": "Ñ"}


def _vni_codes() -> dict[str, str]:
    """Every Vietnamese letter (NFC, both cases) → its VNI spelling."""
    lower: dict[str, str] = {"đ": "ñ"}
    for base in "aeouy":
        for tone, mark in _VNI_TONE_MARKS.items():
            lower[_letter(base, "", tone)] = base + mark
    lower[_letter("y", "", NANG)] = "î"
    for tone, mark in _VNI_I.items():
        lower[_letter("i", "", tone)] = mark
    for base in "aeo":
        for tone, mark in _VNI_CIRCUMFLEX_MARKS.items():
            lower[_letter(base, _CIRCUMFLEX, tone)] = base + mark
    for tone, mark in _VNI_BREVE_MARKS.items():
        lower[_letter("a", _BREVE, tone)] = "a" + mark
    for decomposed, single in _VNI_SINGLE_BASES.items():
        lower[_letter(decomposed)] = single
        for tone, mark in _VNI_TONE_MARKS.items():
            lower[_letter(decomposed, "", tone)] = single + mark
    codes = dict(lower)
    for letter, spelling in lower.items():
        codes[letter.upper()] = spelling.upper()
    return codes


VNI_CODES: dict[str, str] = _vni_codes()
_VNI_PAIRS: dict[str, str] = {}
_VNI_SINGLES: dict[str, str] = {}
for _letter_, _spelling in VNI_CODES.items():
    if len(_spelling) == 2:
        base, mark = _spelling
        upper = _letter_.isupper()
        for b in (base.lower(), base.upper()):
            for m in (mark.lower(), mark.upper()):
                key = b + m
                if b.isupper() == upper:
                    _VNI_PAIRS[key] = _letter_
    else:
        _VNI_SINGLES[_spelling] = _letter_
_VNI_MARKS = frozenset(pair[1] for pair in _VNI_PAIRS)


def vni_encode(text: str) -> str:
    """Unicode → VNI as a cell shows it."""
    return "".join(VNI_CODES.get(ch, ch) for ch in unicodedata.normalize("NFC", text))


def vni_decode(text: str) -> str:
    """VNI as a cell shows it → Unicode NFC; a mark with no letter before it is kept as it is."""
    out: list[str] = []
    i = 0
    while i < len(text):
        pair = text[i : i + 2]
        if len(pair) == 2 and pair in _VNI_PAIRS:
            out.append(_VNI_PAIRS[pair])
            i += 2
            continue
        out.append(_VNI_SINGLES.get(text[i], text[i]))
        i += 1
    return "".join(out)


# --- UTF-8 read as Windows-1252 -----------------------------------------------------------------


def utf8_as_ansi_decode(text: str) -> str:
    """ "Nguyá»…n" → "Nguyễn"; the text unchanged when its bytes are not UTF-8."""
    raw = bytearray()
    for ch in text:
        try:
            raw += ch.encode("cp1252")
        except UnicodeEncodeError:
            if ord(ch) > 0xFF:
                return text
            raw.append(ord(ch))  # the five bytes Windows-1252 leaves undefined
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return text


# --- Detection ----------------------------------------------------------------------------------

_CP1252_EXTRAS = frozenset(bytes([b]).decode("cp1252", errors="ignore") for b in range(0x80, 0xA0)) - {""}
_TCVN3_CONTROLS = frozenset(ch for ch in _TCVN3_DECODE if ord(ch) < 0x20)
# ASCII non-alphanumerics and NBSP, except TCVN3's control-code capitals (0x01, 0x02, 0x04–0x06, 0x11–0x17).
_SEPARATORS = re.compile(r"[\x00\x03\x07-\x10\x18-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f\xa0]+")
# Foreign words whose letters also spell a Vietnamese syllable in VNI ("où" would read "ó").
FOREIGN_WORDS = frozenset({"où", "dû"})
_DECODERS = ((UTF8_AS_ANSI, utf8_as_ansi_decode), (TCVN3, tcvn3_decode), (VNI, vni_decode))


@dataclass(frozen=True)
class Repaired:
    """The text in Unicode NFC and the legacy encoding it was converted from (None: kept)."""

    text: str
    encoding: str | None = None


def _could_be_legacy(text: str) -> bool:
    return all(
        ord(ch) < 0x100 or ch in _CP1252_EXTRAS or ch in _TCVN3_CONTROLS or ch in "\t\n\r" for ch in text
    )


def _words(text: str) -> list[str]:
    return [w for w in _SEPARATORS.split(text) if w]


def _letters(word: str) -> str:
    return "".join(ch for ch in word if not ("0" <= ch <= "9"))


def _all_syllables(words: list[str]) -> bool:
    checked = [_letters(w) for w in words if _letters(w)]
    return bool(checked) and all(is_syllable(w) for w in checked)


def _foreign_ascii_words(words: list[str]) -> int:
    """Lower-case ASCII words that are not Vietnamese syllables (abbreviations in capitals do not count)."""
    return sum(
        1
        for w in words
        if w.isascii() and w.isalpha() and len(w) > 1 and not w.isupper() and not is_syllable(w)
    )


def _fits(decoded: str) -> bool:
    words = _words(decoded)
    changed = [w for w in words if not w.isascii()]
    return _all_syllables(changed) and _foreign_ascii_words(words) <= len(changed)


def _typed_in_capitals_font(word: str) -> bool:
    """ASCII capitals with a lower-case toned letter after a capital: "NGUYễN", "áN" cannot be
    ordinary capitalisation ("Hà" can)."""
    ascii_letters = [ch for ch in word if ch.isascii() and ch.isalpha()]
    if not ascii_letters or any(ch.islower() for ch in ascii_letters):
        return False
    lower_after_capital = any(a.islower() and b.isupper() for a, b in zip(word, word[1:], strict=False))
    return lower_after_capital or (len(ascii_letters) >= 2 and not word.isupper())


def _capitals_font(text: str) -> str:
    """Text typed with a .VnTimeH capitals font (the font drew lower-case codes as capitals).

    When every ASCII letter of the text is a capital and one word cannot be ordinary
    capitalisation, the whole text is in capitals.
    """
    letters = [ch for ch in text if ch.isascii() and ch.isalpha()]
    if not letters or any(ch.islower() for ch in letters):
        return text
    if any(_typed_in_capitals_font(w) for w in re.findall(r"[^\W\d_]+", text)):
        return text.upper()
    return text


# Cells repeat down a list (communes, hamlets, courts, offences): each distinct text is decided once.
_REPAIRED: dict[str, Repaired] = {}
CACHE_LIMIT = 50_000


def repair(text: str) -> Repaired:
    """``text`` in Unicode NFC, converted from TCVN3, VNI or UTF-8-as-ANSI only when that is certain.

    The answer depends on the text alone, so it is remembered (plain ASCII is answered at once).
    """
    if text.isascii():
        return Repaired(text)
    found = _REPAIRED.get(text)
    if found is None:
        if len(_REPAIRED) >= CACHE_LIMIT:
            _REPAIRED.clear()
        found = _REPAIRED[text] = _repair(text)
    return found


def _repair(text: str) -> Repaired:
    nfc = unicodedata.normalize("NFC", text)
    if nfc.isascii() or not _could_be_legacy(nfc):
        return Repaired(nfc)
    as_is = [w for w in _words(nfc) if not w.isascii() or any(ch in _TCVN3_CONTROLS for ch in w)]
    if not as_is or _all_syllables(as_is) or any(w.lower() in FOREIGN_WORDS for w in as_is):
        return Repaired(nfc)
    fitting = []
    for encoding, decode in _DECODERS:
        decoded = unicodedata.normalize("NFC", decode(nfc))
        if decoded != nfc and _fits(decoded):
            fitting.append((encoding, decoded))
    if fitting and fitting[0][0] == UTF8_AS_ANSI:
        return Repaired(fitting[0][1], UTF8_AS_ANSI)
    if len(fitting) != 1:
        return Repaired(nfc)
    encoding, decoded = fitting[0]
    if encoding == TCVN3:
        decoded = _capitals_font(decoded)
    return Repaired(decoded, encoding)


def repair_value(value: object) -> object:
    """``repair`` for a cell of any type: only strings change."""
    return repair(value).text if isinstance(value, str) else value
