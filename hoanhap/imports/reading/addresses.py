"""Addresses of import rows through the geography resolver: one commune, a choice, or an error.

A legacy commune split between several current communes on 1 July 2025 is never guessed: the row
gets ``status == CHOICE`` with the candidates, and the import asks the user to pick one. A text
that fits communes of several provinces ("Xã Phú Hòa") is an error that also carries the
candidates, so a picker can offer them.
"""

from __future__ import annotations

from dataclasses import dataclass

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
