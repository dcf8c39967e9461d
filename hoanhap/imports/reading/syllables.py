"""Is this word a possible Vietnamese syllable? The test that tells real text from mojibake.

A syllable is an optional initial consonant, a rhyme (vowel nucleus with an optional final) and at
most one tone mark on a vowel. Rhymes ending in a stop (-c, -ch, -p, -t) only take the sắc or nặng
tone. The check is generous with rare rhymes (loanwords such as "boong", "quýnh") and strict where
legacy-encoding garbage fails: stray symbols (¸ µ § ¬), impossible vowel clusters ("uyô", "aủo")
and tones in the wrong place.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from hoanhap.core.text import canonical

SAC, HUYEN, HOI, NGA, NANG = "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"
TONES = (HUYEN, HOI, NGA, SAC, NANG)
_TONE_SET = frozenset(TONES)

INITIALS = sorted(
    [
        "b",
        "c",
        "ch",
        "d",
        "đ",
        "g",
        "gh",
        "gi",
        "h",
        "k",
        "kh",
        "l",
        "m",
        "n",
        "ng",
        "ngh",
        "nh",
        "p",
        "ph",
        "qu",
        "r",
        "s",
        "t",
        "th",
        "tr",
        "v",
        "x",
    ],
    key=len,
    reverse=True,
)
_FRONT = frozenset("ieêy")  # k, gh, ngh are written only before these vowels

RHYMES = frozenset(
    [
        "a",
        "ac",
        "ach",
        "ai",
        "am",
        "an",
        "ang",
        "anh",
        "ao",
        "ap",
        "at",
        "au",
        "ay",
        "ăc",
        "ăm",
        "ăn",
        "ăng",
        "ăp",
        "ăt",
        "âc",
        "âm",
        "ân",
        "âng",
        "âp",
        "ât",
        "âu",
        "ây",
        "e",
        "ec",
        "em",
        "en",
        "eng",
        "eo",
        "ep",
        "et",
        "ê",
        "êch",
        "êm",
        "ên",
        "ênh",
        "êp",
        "êt",
        "êu",
        "i",
        "ia",
        "ich",
        "im",
        "in",
        "inh",
        "ip",
        "it",
        "iu",
        "iêc",
        "iêm",
        "iên",
        "iêng",
        "iêp",
        "iêt",
        "iêu",
        "o",
        "oc",
        "oi",
        "om",
        "on",
        "ong",
        "op",
        "ot",
        "oa",
        "oac",
        "oach",
        "oai",
        "oam",
        "oan",
        "oang",
        "oanh",
        "oao",
        "oap",
        "oat",
        "oay",
        "oăc",
        "oăm",
        "oăn",
        "oăng",
        "oăt",
        "oe",
        "oem",
        "oen",
        "oeo",
        "oet",
        "ooc",
        "oong",
        "ô",
        "ôc",
        "ôi",
        "ôm",
        "ôn",
        "ông",
        "ôp",
        "ôt",
        "ơ",
        "ơi",
        "ơm",
        "ơn",
        "ơp",
        "ơt",
        "u",
        "uc",
        "ui",
        "um",
        "un",
        "ung",
        "up",
        "ut",
        "ua",
        "uân",
        "uâng",
        "uât",
        "uây",
        "uê",
        "uêch",
        "uênh",
        "uơ",
        "uy",
        "uya",
        "uych",
        "uyên",
        "uyêt",
        "uynh",
        "uyt",
        "uyu",
        "uôc",
        "uôi",
        "uôm",
        "uôn",
        "uông",
        "uôt",
        "ư",
        "ưc",
        "ưi",
        "ưm",
        "ưn",
        "ưng",
        "ưt",
        "ưu",
        "ưa",
        "ươc",
        "ươi",
        "ươm",
        "ươn",
        "ương",
        "ươp",
        "ươt",
        "ươu",
        "y",
        "yêm",
        "yên",
        "yêng",
        "yêt",
        "yêu",
        "ynh",
        "yt",
        "ych",
        "ak",
        "ăk",
        "âk",
        "ek",
        "êk",
        "ok",
        "ôk",
        "uk",
        "ưk",
    ]
)
_STOPS = ("c", "ch", "p", "t", "k")  # -k: Central Highlands names such as Đắk Lắk
LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzăâđêôơư")
_PLAIN_VOWELS = frozenset("aeiouy")  # in NFD every Vietnamese vowel starts with one of these


def split_tone(syllable: str) -> tuple[str, str | None] | None:
    """(the lower-case syllable without its tone mark, the tone mark); None when it has two tones
    or a tone mark that does not sit on a vowel."""
    decomposed = unicodedata.normalize("NFD", syllable.lower())
    tone = None
    base = ""  # the last letter that is not a mark
    bare = []
    for ch in decomposed:
        if ch in _TONE_SET:
            if tone is not None or base not in _PLAIN_VOWELS:
                return None
            tone = ch
            continue
        if not unicodedata.combining(ch):
            base = ch
        bare.append(ch)
    return unicodedata.normalize("NFC", "".join(bare)), tone


@lru_cache(maxsize=8192)
def is_syllable(word: str) -> bool:
    """Whether ``word`` (any case, NFC or NFD) can be one Vietnamese syllable."""
    parts = split_tone(word)
    if parts is None:
        return False
    bare, tone = parts
    if not bare or any(ch not in LETTERS for ch in bare):
        return False
    if tone is not None and not _tone_in_place(word):
        return False
    return any(_rhyme_ok(bare[len(initial) :], initial, tone) for initial in _initials_of(bare))


_OLD_STYLE = re.compile(
    r"(?<!q)([ou])(\u0300|\u0301|\u0303|\u0309|\u0323)?([aey])(\u0300|\u0301|\u0303|\u0309|\u0323)?$"
)


def _tone_in_place(word: str) -> bool:
    """The tone sits where Vietnamese writes it: the new placement ("hoà", "thuỷ", as
    ``core.text.canonical`` puts it) or the old one ("hòa", "thủy")."""
    written = unicodedata.normalize("NFC", word.lower())
    new = canonical(written)
    if written == new:
        return True
    match = _OLD_STYLE.search(unicodedata.normalize("NFD", new))
    if match is None or not match[4] or (match[1], match[3]) not in _OLD_PAIRS:
        return False
    decomposed = unicodedata.normalize("NFD", new)
    old = decomposed[: match.start()] + match[1] + match[4] + match[3]
    return written == unicodedata.normalize("NFC", old)


_OLD_PAIRS = {("o", "a"), ("o", "e"), ("u", "y")}


def _initials_of(bare: str) -> list[str]:
    found = [initial for initial in INITIALS if bare.startswith(initial)]
    return [*found, ""]


def _rhyme_ok(rhyme: str, initial: str, tone: str | None) -> bool:
    if initial == "gi" and (rhyme not in RHYMES or not rhyme):
        rhyme = "i" + rhyme  # "giếng" is gi + iêng, "gì" is g + ì
    if rhyme not in RHYMES:
        return False
    if initial in ("k", "gh", "ngh") and rhyme[0] not in _FRONT:
        return False
    if initial == "qu" and rhyme[0] in "uo":
        return False
    return not (rhyme.endswith(_STOPS) and tone not in (SAC, NANG))
