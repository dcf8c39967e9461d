"""Addresses of import rows through the geography resolver: one commune, a choice, or an error.

A legacy commune split between several current communes on 1 July 2025 is never guessed: the row
gets ``status == CHOICE`` with the candidates, and the import asks the user to pick one. A text
that fits communes of several provinces ("Xã Phú Hòa") is an error that also carries the
candidates, so a picker can offer them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from hoanhap.geo import resolver as geo_resolver
from hoanhap.geo import tables as geo_tables
from hoanhap.geo.resolver import Match, Resolution, resolve

RESOLVED = "resolved"
CHOICE = "choice"
ERROR = "error"


@dataclass(frozen=True)
class AddressResult:
    """What an address of a row resolved to."""

    text: str
    status: str
    commune_code: int | None = None
    province_code: int | None = None
    candidates: tuple[Match, ...] = ()
    message: str | None = None  # the resolver's explanation (split commune, ambiguity, nothing found)

    @property
    def error(self) -> str | None:
        return self.message if self.status == ERROR else None

    @classmethod
    def from_resolution(cls, resolution: Resolution) -> AddressResult:
        matches = resolution.matches
        if len(matches) == 1:
            match = matches[0]
            return cls(
                resolution.text, RESOLVED, match.code, match.province_code, matches, resolution.message
            )
        if len(matches) > 1:
            provinces = {m.province_code for m in matches}
            province = provinces.pop() if len(provinces) == 1 else None
            return cls(resolution.text, CHOICE, None, province, matches, resolution.message)
        return cls(resolution.text, ERROR, candidates=resolution.candidates, message=resolution.message)


def resolve_address(text: str, province_hint: int | None = None) -> AddressResult:
    """Resolve the joined address columns of a row (``province_hint``: the importer's province)."""
    return AddressResult.from_resolution(resolve(text, province_hint=province_hint))


CACHE_LIMIT = 50_000
WHOLE_LIMIT = 8_192  # addresses read from their unit columns alone, kept with their whole text


@dataclass
class AddressCache:
    """Addresses of one sheet, each resolved once; the free-text part skipped when it names no unit.

    A list repeats the same commune, district and province under thousands of different house
    numbers and hamlets. The resolver reads a text part by part (commas) and a part that names no
    unit adds nothing to the reading but its position and whether the text has diacritics; so when
    the free-text column names no unit (``inert``) and does not change whether the text is written
    with diacritics, the address resolves as its other columns alone (tested against the whole
    text). Otherwise the whole text is resolved.
    """

    province_hint: int | None = None
    resolver: object = None  # a replacement for ``resolve_address`` (tests); then nothing is skipped
    _results: dict[str, AddressResult] = field(default_factory=dict)
    _heads: dict[str, tuple[bool, bool]] = field(default_factory=dict)
    _tails: dict[str, bool] = field(default_factory=dict)
    _whole: dict[tuple[str, str], AddressResult] = field(default_factory=dict)  # read from the tail alone

    def resolve(self, head: str, tail: str) -> AddressResult:
        """``head``: the free-text column (may be empty); ``tail``: the commune, district, province joined."""
        text = ", ".join(p for p in (head, tail) if p)
        if self.resolver is not None:
            return self._cached(text, lambda: self.resolver(text, self.province_hint))
        if head and tail:
            whole = self._whole.get((head, tail))
            if whole is not None:
                return whole
            inert, marked = self._head(head)
            if inert and (not marked or self._marked(tail)):
                found = self._cached(tail, lambda: resolve_address(tail, self.province_hint))
                if len(self._whole) >= WHOLE_LIMIT:
                    self._whole.clear()
                whole = self._whole[(head, tail)] = replace(found, text=text)
                return whole
        return self._cached(text, lambda: resolve_address(text, self.province_hint))

    def _cached(self, text: str, compute) -> AddressResult:
        found = self._results.get(text)
        if found is None:
            if len(self._results) >= CACHE_LIMIT:
                self._results.clear()
            found = self._results[text] = compute()
        return found

    def _marked(self, tail: str) -> bool:
        found = self._tails.get(tail)
        if found is None:
            if len(self._tails) >= CACHE_LIMIT:
                self._tails.clear()
            found = self._tails[tail] = has_marks(tail)
        return found

    def _head(self, head: str) -> tuple[bool, bool]:
        found = self._heads.get(head)
        if found is None:
            if len(self._heads) >= CACHE_LIMIT:
                self._heads.clear()
            found = self._heads[head] = (names_no_unit(head), has_marks(head))
        return found


def _parts(text: str) -> list[list]:
    text = geo_resolver._GLUED.sub(r"\1 \2", text)
    return [toks for toks in (geo_resolver._tokens(p) for p in geo_resolver._PARTS.split(text)) if toks]


def has_marks(text: str) -> bool:
    """Whether a word of ``text`` carries diacritics (or đ), as the resolver decides it."""
    return any(t.marked for toks in _parts(text) for t in toks)


def names_no_unit(text: str) -> bool:
    """Whether no part of ``text`` holds a name of a province, district or commune the resolver would
    consider (hamlets, streets and house numbers are skipped as the resolver skips them)."""
    tables = geo_tables.get_tables()
    return not any(geo_resolver._part_candidates(toks, 0, tables, True) for toks in _parts(text))
