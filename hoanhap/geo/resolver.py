"""Resolve a free-text Vietnamese address to the current commune(s) it lies in.

    >>> resolve("TT Núi Sập, H. Thoại Sơn, T. An Giang").as_dict()
    {"matches": [{"code": 30682, "name": "Xã Thoại Sơn", "province_code": 91, ...}], "legacy": {...}}

One resolver serves forms, imports, search, the ``geo resolve`` command and the API. The rules,
in the order they apply (docs/geo.md has the reasoning and examples):

1. The text is cut into parts at commas, semicolons and new lines; dashes, slashes and brackets
   only mark where a hamlet or street ends (names such as "Bà Rịa - Vũng Tàu" contain dashes).
   Case, NFC/NFD and old/new tone placement do not matter (``core.text.canonical``); missing
   diacritics do not matter either (``core.text.fold``), but when the text has them, a name
   spelled with the same marks beats one that differs only by a tone mark.
2. Type words and their abbreviations (tỉnh/T., thành phố/TP/T.P, quận/Q., huyện/H., thị xã/TX,
   phường/P., xã/X., thị trấn/TT, đặc khu) say what the following name is. A type word written
   with its diacritics, or an abbreviation, is binding ("Huyện Thoại Sơn" is never the commune
   Thoại Sơn); a type word written without diacritics ("huyen", "xa") is a hint, since it may
   also be a syllable of a name.
3. Hamlets, streets and house numbers are skipped: from a word such as ấp, khóm, tổ, thôn, xóm,
   bản, số (nhà), khu phố, đường, ngõ, hẻm to the next type word, comma or dash. A number alone
   is only a name right after a type word ("Phường 3", "Q1"). A one-word name without a type
   word counts only when it stands alone between commas.
4. Every known name in the text is a candidate: current or legacy province, legacy district,
   current or legacy commune. The resolver then picks one commune with, optionally, one district
   and one province that agree with it (a legacy commune agrees with a current province when one
   of its successors lies there), scoring the commune, each agreeing level, binding type words and
   exact diacritics. A province or district named *after* the commune that disagrees with it
   rules that commune out; names before the commune are taken for hamlets or streets.
5. When a current commune and a legacy commune score the same in the same current province, the
   current one wins. A legacy commune leads to its successor(s) through the official crosswalk
   only (never through codes, which were reused); a split one gives several matches, each with
   ``partial`` set, restricted to the named current province when there is one.
6. When the best reading is shared by communes that are not the same place ("Xã Phú Hòa" with no
   province), nothing is matched: ``message`` says to add the province or district, and
   ``candidates`` lists the communes it could be (for pickers; not part of ``as_dict``). A text
   that names only a province or only a district, or nothing known, gets a message too.

The unit tables come from ``hoanhap.geo.tables`` (in memory, per process); a resolve takes about
a millisecond.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hoanhap.core.text import canonical, fold
from hoanhap.geo import tables as T
from hoanhap.geo.tables import Tables, Unit, name_key

# Weights of the reading score (see rule 4).
COMMUNE_WEIGHT = 100
DISTRICT_WEIGHT = 40
PROVINCE_WEIGHT = 40
HINT_WEIGHT = 30
CURRENT_BONUS = 3
STRAY_COMMUNE_PENALTY = 15
MAX_CANDIDATES = 30

_TIER = {
    T.PROVINCE: "province",
    T.LEGACY_PROVINCE: "province",
    T.LEGACY_DISTRICT: "district",
    T.COMMUNE: "commune",
    T.LEGACY_COMMUNE: "commune",
}


# --- Results ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Match:
    """A current commune the address lies in (``partial``: its legacy commune was split)."""

    code: int
    name: str
    province_code: int
    province_name: str
    partial: bool = False

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "name": self.name,
            "province_code": self.province_code,
            "province_name": self.province_name,
            "partial": self.partial,
        }


@dataclass(frozen=True)
class LegacyPath:
    """The legacy units through which the text was resolved, names with their type."""

    province: str | None
    district: str | None
    commune: str | None

    def as_dict(self) -> dict:
        return {"province": self.province, "district": self.district, "commune": self.commune}


@dataclass(frozen=True)
class Resolution:
    """The outcome of one resolve: matches best first, the legacy path, or why nothing matched."""

    text: str
    matches: tuple[Match, ...] = ()
    legacy: LegacyPath | None = None
    message: str | None = None
    candidates: tuple[Match, ...] = field(default=(), compare=False)

    @property
    def is_unique(self) -> bool:
        return len(self.matches) == 1

    @property
    def is_partial(self) -> bool:
        return any(m.partial for m in self.matches)

    def as_dict(self) -> dict:
        """The JSON shape shared by ``geo resolve --json`` and ``/api/v1/geo/resolve/``."""
        return {
            "matches": [m.as_dict() for m in self.matches],
            "legacy": self.legacy.as_dict() if self.legacy else None,
            "message": self.message,
        }


# --- Tokens and type words ----------------------------------------------------------------------

_PARTS = re.compile(r"[,;\n\r|]+")
_PIECES = re.compile(r"[-–—/\\()\[\]]+")
_GLUED = re.compile(r"\b([pq])\.?(\d{1,2})\b", re.IGNORECASE)  # "Q1", "P.12" → "Q 1", "P 12"
_COUNTRY = ("viet nam", "vietnam", "vn")


@dataclass(frozen=True, slots=True)
class _Tok:
    canon: str
    fold: str
    marked: bool  # written with diacritics (or đ)
    numeric: bool
    boundary: bool  # first word after a comma, dash, slash or bracket


@dataclass(frozen=True, slots=True)
class _Marker:
    words: tuple[str, ...]  # canonical
    folded: tuple[str, ...]
    kind: str  # folded unit type it announces
    tiers: frozenset[str]
    abbreviation: bool


def _marker(text: str, kind: str, tiers: set[str], abbreviation: bool = False) -> _Marker:
    words = tuple(canonical(text).split())
    return _Marker(words, tuple(fold(w) for w in words), kind, frozenset(tiers), abbreviation)


_P, _D, _C = "province", "district", "commune"
ADMIN_MARKERS = sorted(
    [
        _marker("tỉnh", "tinh", {_P}),
        _marker("t", "tinh", {_P}, True),
        _marker("thành phố", "thanh pho", {_P, _D}),
        _marker("tp", "thanh pho", {_P, _D}, True),
        _marker("t p", "thanh pho", {_P, _D}, True),
        _marker("quận", "quan", {_D}),
        _marker("q", "quan", {_D}, True),
        _marker("huyện", "huyen", {_D}),
        _marker("h", "huyen", {_D}, True),
        _marker("thị xã", "thi xa", {_D}),
        _marker("tx", "thi xa", {_D}, True),
        _marker("t x", "thi xa", {_D}, True),
        _marker("phường", "phuong", {_C}),
        _marker("p", "phuong", {_C}, True),
        _marker("xã", "xa", {_C}),
        _marker("x", "xa", {_C}, True),
        _marker("thị trấn", "thi tran", {_C}),
        _marker("tt", "thi tran", {_C}, True),
        _marker("t t", "thi tran", {_C}, True),
        _marker("đặc khu", "dac khu", {_C}),
    ],
    key=lambda m: -len(m.words),
)
_HAMLET_WORDS = [
    "ấp",
    "khóm",
    "tổ",
    "thôn",
    "xóm",
    "bản",
    "buôn",
    "sóc",
    "làng",
    "số",
    "nhà",
    "khu",
    "đường",
    "phố",
    "ngõ",
    "ngách",
    "hẻm",
    "kiệt",
    "lô",
    "tầng",
    "tòa",
    "đội",
    "cụm",
] + ["tổ dân phố", "số nhà", "khu phố", "khu vực", "khu dân cư", "khu tập thể", "căn hộ", "chung cư"]
HAMLET_MARKERS = sorted(
    [_marker(w, "", set()) for w in _HAMLET_WORDS]
    + [_marker(w, "", set(), True) for w in ("tdp", "sn", "kp", "kv", "kdc", "ktt")],
    key=lambda m: -len(m.words),
)


def _by_first_word(markers: list[_Marker]) -> dict[str, tuple[_Marker, ...]]:
    index: dict[str, list[_Marker]] = {}
    for m in markers:  # already longest first
        index.setdefault(m.folded[0], []).append(m)
    return {k: tuple(v) for k, v in index.items()}


_ADMIN_BY_WORD = _by_first_word(ADMIN_MARKERS)
_HAMLET_BY_WORD = _by_first_word(HAMLET_MARKERS)


def _tokens(part: str) -> list[_Tok]:
    out: list[_Tok] = []
    for piece in _PIECES.split(part):
        first = True
        for word in canonical(piece).split():
            folded = fold(word).replace(" ", "")
            if not folded:
                continue
            out.append(_Tok(word, folded, word != folded, folded.isdigit(), first))
            first = False
    return out


def _match(toks: list[_Tok], i: int, markers: dict[str, tuple[_Marker, ...]]) -> tuple[_Marker, bool] | None:
    """The type word starting at ``i`` and whether it is binding (diacritics or abbreviation)."""
    for m in markers.get(toks[i].fold, ()):
        window = toks[i : i + len(m.words)]
        if len(window) < len(m.words):
            continue
        if m.abbreviation:
            if all(t.fold == w for t, w in zip(window, m.folded, strict=True)):
                return m, True
        elif all(t.canon == w for t, w in zip(window, m.words, strict=True)):
            return m, True
        elif all(not t.marked and t.fold == w for t, w in zip(window, m.folded, strict=True)):
            return m, False
    return None


# --- Candidates ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Cand:
    unit: Unit
    start: int  # global token positions [start, end)
    end: int
    quality: int
    text: str
    typed: bool  # right after a type word of its tier
    mismatches: int  # words whose diacritics differ from the official spelling

    @property
    def tier(self) -> str:
        return _TIER[self.unit.level]

    def overlaps(self, other: _Cand) -> bool:
        return self.start < other.end and other.start < self.end


def _candidates(text: str, tables: Tables) -> list[_Cand]:
    text = _GLUED.sub(r"\1 \2", text or "")
    parts = [p for p in (_tokens(p) for p in _PARTS.split(text)) if p]
    if parts:  # "..., Việt Nam" / "... VN" at the very end
        last = parts[-1]
        for country in _COUNTRY:
            words = country.split()
            if len(last) > len(words) and [t.fold for t in last[-len(words) :]] == words:
                parts[-1] = last[: -len(words)]
                break
        parts = [p for p in parts if " ".join(t.fold for t in p) not in _COUNTRY]
    # Written with diacritics: then a word without marks means "no marks", not "marks left out".
    accented = any(t.marked for toks in parts for t in toks)
    cands: list[_Cand] = []
    offset = 0
    for toks in parts:
        cands.extend(_part_candidates(toks, offset, tables, accented))
        offset += len(toks)
    return cands


def _name_starts_at(toks: list[_Tok], i: int, tables: Tables) -> bool:
    limit = min(len(toks), i + tables.max_name_tokens)
    return any(name_key([t.fold for t in toks[i:j]]) in tables.names for j in range(i + 1, limit + 1))


def _part_candidates(toks: list[_Tok], offset: int, tables: Tables, accented: bool) -> list[_Cand]:
    n = len(toks)
    hints: dict[int, tuple[_Marker, bool]] = {}
    blocked = [False] * n
    i = 0
    after_marker = False
    in_hamlet = False
    while i < n:
        if toks[i].boundary:
            in_hamlet = False
        if not after_marker:
            found = _match(toks, i, _ADMIN_BY_WORD)
            if found:
                marker, binding = found
                size = len(marker.words)
                if binding:
                    blocked[i : i + size] = [True] * size
                hints[i + size] = found
                in_hamlet = False
                after_marker = True
                i += size
                continue
            found = _match(toks, i, _HAMLET_BY_WORD)
            if found and not _name_starts_at(toks, i, tables):
                marker, binding = found
                at_edge = toks[i].boundary or (i > 0 and toks[i - 1].numeric)
                if binding or at_edge:
                    size = len(marker.words)
                    blocked[i : i + size] = [True] * size
                    in_hamlet = True
                    after_marker = True
                    i += size
                    continue
        after_marker = False
        if in_hamlet:
            blocked[i] = True
        i += 1

    cands: list[_Cand] = []
    folds = [t.fold for t in toks]
    for i in range(n):
        if blocked[i]:
            continue
        hint = hints.get(i)
        for j in range(i + 1, min(n, i + tables.max_name_tokens) + 1):
            units = tables.names.get(name_key(folds[i:j]))
            if not units:
                continue
            if hint is None:
                if toks[i].numeric:
                    continue
                if j - i == 1 and not (toks[i].boundary and (j == n or toks[j].boundary)):
                    continue
            span = toks[i:j]
            text = " ".join(t.canon for t in span)
            for unit in units:
                scored = _quality(span, unit, hint, accented)
                if scored is not None:
                    cands.append(
                        _Cand(unit, offset + i, offset + j, scored[0], text, hint is not None, scored[1])
                    )
    return _prune(cands)


def _quality(
    span: list[_Tok], unit: Unit, hint: tuple[_Marker, bool] | None, accented: bool
) -> tuple[int, int] | None:
    """(how well ``span`` names ``unit``, diacritic mismatches); None when a type word rules it out."""
    quality = 2 * len(span)
    mismatches = 0
    if accented:
        mismatches = sum(1 for t, official in zip(span, unit.canon, strict=False) if t.canon != official)
        if not mismatches:
            quality += 6
    quality -= 8 * mismatches
    if hint is not None:
        marker, binding = hint
        if _TIER[unit.level] not in marker.tiers:
            return None
        same_kind = unit.kind.startswith(marker.kind)
        if binding:
            quality += 10 if same_kind else 2
        else:
            quality += 6 if same_kind else 1
    return quality, mismatches


def _prune(cands: list[_Cand]) -> list[_Cand]:
    """Drop readings of the same words that lose anyway.

    Where the words name a unit with exactly the written diacritics, the near misses go; where they
    name a province and no type word says otherwise, the district of that name goes ("Cao Bằng" is
    the province, "TP Cao Bằng" the old city).
    """
    exact_spans = {(c.start, c.end) for c in cands if c.mismatches == 0}
    cands = [c for c in cands if c.mismatches == 0 or (c.start, c.end) not in exact_spans]
    province_spans = {(c.start, c.end) for c in cands if c.tier == "province"}
    return [c for c in cands if c.tier != "district" or c.typed or (c.start, c.end) not in province_spans]


# --- Readings -----------------------------------------------------------------------------------


@dataclass(slots=True)
class _Reading:
    score: int
    commune: _Cand
    district: _Cand | None
    province: _Cand | None
    targets: tuple[tuple[int, bool], ...]  # (current commune code, partial)


def _successors(c: Unit, tables: Tables) -> tuple[tuple[int, bool], ...]:
    if c.is_current:
        return ((c.code, False),)
    return tables.successors.get(c.key, ())


def _agrees(a: Unit, b: Unit, tables: Tables) -> bool:
    """Whether two units of different levels can describe the same place (through the crosswalk)."""
    if b.level in (T.COMMUNE, T.LEGACY_COMMUNE):
        a, b = b, a
    if a.level == T.COMMUNE:
        if b.level == T.PROVINCE:
            return a.parent == b.code
        if b.level == T.LEGACY_PROVINCE:
            return b.key in tables.predecessor_provinces.get(a.code, ())
        return b.key in tables.predecessor_districts.get(a.code, ())
    if a.level == T.LEGACY_COMMUNE:
        district = tables.legacy_districts[a.parent]
        if b.level == T.LEGACY_DISTRICT:
            return district.key == b.key
        if b.level == T.LEGACY_PROVINCE:
            return district.parent == b.key
        return _in_province(a, b.code, tables)
    district, province = (a, b) if a.level == T.LEGACY_DISTRICT else (b, a)
    if province.level == T.LEGACY_PROVINCE:
        return district.parent == province.key
    return province.code in tables.district_provinces.get(district.key, ())


def _in_province(c: Unit, province: int, tables: Tables) -> bool:
    return any(tables.communes[code].parent == province for code, _p in _successors(c, tables))


def _readings(cands: list[_Cand], hint: int | None, tables: Tables) -> list[_Reading]:
    communes = [c for c in cands if c.tier == "commune"]
    districts = [c for c in cands if c.tier == "district"]
    provinces = [c for c in cands if c.tier == "province"]
    context = districts + provinces
    province_spans = {(p.start, p.end) for p in provinces}
    readings: list[_Reading] = []
    for c in communes:
        # "Kiên Giang" alone is the province, not the old commune Kiến Giang: a commune whose
        # name is also a province name needs its type word or a province of its own.
        needs_province = not c.typed and (c.start, c.end) in province_spans
        hinted = hint is not None and _in_province(c.unit, hint, tables)
        best: _Reading | None = None
        for d in [None, *districts]:
            if d is not None and (d.overlaps(c) or not _agrees(c.unit, d.unit, tables)):
                continue
            for p in [None, *provinces]:
                if p is not None and (
                    p.overlaps(c)
                    or (d is not None and (p.overlaps(d) or not _agrees(d.unit, p.unit, tables)))
                    or not _agrees(c.unit, p.unit, tables)
                ):
                    continue
                if needs_province and p is None:
                    continue
                used = [x for x in (c, d, p) if x is not None]
                # A province or district named after the commune must be one of the chosen ones.
                if any(x.start >= c.end and not any(x.overlaps(u) for u in used) for x in context):
                    continue
                score = COMMUNE_WEIGHT + c.quality
                if d is not None:
                    score += DISTRICT_WEIGHT + d.quality
                if p is not None:
                    score += PROVINCE_WEIGHT + p.quality
                if hinted:
                    score += HINT_WEIGHT
                if d is not None:  # a district is written only in a legacy address: read it as one
                    score += 0 if c.unit.is_current else CURRENT_BONUS
                elif c.unit.is_current and ((p is not None and p.unit.is_current) or hinted):
                    score += CURRENT_BONUS
                strays = {
                    (x.start, x.end)
                    for x in communes
                    if x.start >= c.end and not any(x.overlaps(u) for u in used)
                }
                score -= STRAY_COMMUNE_PENALTY * len(strays)
                if best is None or score > best.score:
                    best = _Reading(score, c, d, p, ())
        if best is not None:
            best.targets = _targets(best, hint, tables)
            readings.append(best)
    readings.sort(key=lambda r: (-r.score, not r.commune.unit.is_current, r.commune.start))
    return readings


def _targets(reading: _Reading, hint: int | None, tables: Tables) -> tuple[tuple[int, bool], ...]:
    targets = _successors(reading.commune.unit, tables)
    if reading.commune.unit.is_current:
        return targets
    for province in (
        reading.province.unit.code if reading.province and reading.province.unit.is_current else None,
        hint,
    ):
        if province is not None:
            inside = tuple(t for t in targets if tables.communes[t[0]].parent == province)
            if inside:
                targets = inside
    # The successor that kept the old name first, then by code.
    old = reading.commune.unit.folded
    return tuple(sorted(targets, key=lambda t: (tables.communes[t[0]].folded != old, t[0])))


def _match_of(code: int, partial: bool, tables: Tables) -> Match:
    commune = tables.communes[code]
    province = tables.provinces[commune.parent]
    return Match(code, commune.name, province.code, province.name, partial)


# --- Entry point --------------------------------------------------------------------------------


def resolve(text: str, *, province_hint: int | None = None) -> Resolution:
    """Resolve ``text`` to current communes; ``province_hint`` (a current province code) breaks ties."""
    text = text or ""
    if not text.strip():
        return Resolution(text, message=_("Type an address: commune or ward, and province."))
    tables = T.get_tables()
    hint = province_hint if province_hint in tables.provinces else None
    cands = _candidates(text, tables)
    readings = _readings(cands, hint, tables)
    if not readings:
        return Resolution(text, message=_why_nothing(cands, tables))

    top = [r for r in readings if r.score == readings[0].score]
    # A legacy commune without successor (a few duplicates in the source) never hides one with.
    top = [r for r in top if r.targets] or top
    outcomes = {frozenset(code for code, _p in r.targets) for r in top}
    if len(outcomes) > 1:
        seen: dict[int, Match] = {}
        for r in top:
            for code, partial in r.targets:
                seen.setdefault(code, _match_of(code, partial, tables))
        candidates = tuple(list(seen.values())[:MAX_CANDIDATES])
        names = sorted({r.commune.unit.name for r in top})
        message = ngettext(
            "The address fits {count} commune ({names}); add the province or the district.",
            "The address fits {count} communes ({names}); add the province or the district.",
            len(seen),
        ).format(count=len(seen), names=", ".join(names[:5]))
        return Resolution(text, message=message, candidates=candidates)

    reading = top[0]
    commune = reading.commune.unit
    legacy = None
    message = None
    if not commune.is_current:
        district = tables.legacy_districts[commune.parent]
        province = tables.legacy_provinces[district.parent]
        legacy = LegacyPath(province.name, district.name, commune.name)
        if not reading.targets:
            message = _(
                "{commune} ({district}, {province}) has no successor in the official crosswalk."
            ).format(commune=commune.name, district=district.name, province=province.name)
        elif len(reading.targets) > 1:
            message = _(
                "{commune} ({district}) was split between {count} communes on 1 July 2025; "
                "choose the one that holds the address."
            ).format(commune=commune.name, district=district.name, count=len(reading.targets))
    matches = tuple(_match_of(code, partial, tables) for code, partial in reading.targets)
    return Resolution(text, matches=matches, legacy=legacy, message=message)


def _why_nothing(cands: list[_Cand], tables: Tables) -> str:
    communes = [c for c in cands if c.tier == "commune"]
    districts = [c for c in cands if c.tier == "district"]
    provinces = [c for c in cands if c.tier == "province"]
    if communes:
        return _("The commune or ward in the text does not lie in the district or province named with it.")
    if districts:
        best = max(districts, key=lambda c: c.quality)
        fitting = [p for p in provinces if _agrees(best.unit, p.unit, tables)]
        district = best.unit
        province = tables.legacy_provinces[district.parent]
        if fitting or len({d.unit.key for d in districts if d.text == best.text}) == 1:
            where = f"{district.name} ({province.name})"
        else:
            where = district.name
        return _(
            "Only a district was recognised: {district}. Districts were abolished on 1 July 2025; "
            "add the commune or ward."
        ).format(district=where)
    if provinces:
        best = max(provinces, key=lambda c: (c.quality, c.unit.is_current))
        if best.unit.is_current:
            return _("Only a province was recognised: {province}. Add the commune or ward.").format(
                province=best.unit.name
            )
        return _(
            "Only a province was recognised: {province} (before 1 July 2025). Add the commune or ward."
        ).format(province=best.unit.name)
    return _("No commune, ward, district or province was recognised in the text.")
