"""Typed cell values ↔ JSON, so that a staged row keeps exactly what was read until it is applied.

Each column type of ``reading.specs`` has one JSON form: dates as ISO text, partial dates and terms
as lists, identification numbers as objects, offences as the text and its articles.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from json.encoder import encode_basestring_ascii as _quoted
from typing import Any

from hoanhap.imports.reading import specs
from hoanhap.imports.reading.addresses import AddressResult
from hoanhap.imports.reading.values import IdNumber, OffenceRef, PartialDate, Term, shown


def _offences(value: Any) -> dict[str, Any]:
    text, refs = value
    return {"text": text, "articles": [[r.article, r.clause] for r in refs]}


# The JSON form of each column type that has one (the others are their value).
_ENCODERS = {
    specs.DATE: lambda value: value.isoformat(),
    specs.PARTIAL_DATE: lambda value: [value.year, value.month, value.day],
    specs.ID_NUMBER: lambda value: {"kind": value.kind, "number": value.number, "restored": value.restored},
    specs.TERM: lambda value: [value.years, value.months, value.days, value.life],
    specs.OFFENCES: _offences,
    specs.PHONE: str,  # a ``RestoredPhone`` as plain text
}


def _decode_offences(value: dict[str, Any]) -> tuple[str, tuple[OffenceRef, ...]]:
    return value["text"], tuple(OffenceRef(a, c) for a, c in value["articles"])


# The value of each column type from its JSON form (``_ENCODERS`` undone).
_DECODERS = {
    specs.DATE: dt.date.fromisoformat,
    specs.PARTIAL_DATE: lambda value: PartialDate(*value),
    specs.ID_NUMBER: lambda value: IdNumber(value["kind"], value["number"], value.get("restored", False)),
    specs.TERM: lambda value: Term(*value),
    specs.OFFENCES: _decode_offences,
}


@functools.cache
def _types(kind_code: str) -> dict[str, str]:
    """Column code → type, for every kind's columns, ``kind_code``'s own winning (built once)."""
    types = {c.code: c.type for k in specs.KINDS.values() for c in k.columns}
    types.update({c.code: c.type for c in specs.KINDS[kind_code].columns})
    return types


@functools.cache
def _encoders(kind_code: str) -> dict[str, Any]:
    """Column code → the encoder of its type (None: the value is its JSON form)."""
    return {code: _ENCODERS.get(kind) for code, kind in _types(kind_code).items()}


def encode_values(kind: specs.KindSpec, values: dict[str, Any]) -> dict[str, Any]:
    encoders = _encoders(kind.code)
    found = {}
    for code, value in values.items():
        if value is not None:
            encoder = encoders[code]
            found[code] = value if encoder is None else encoder(value)
    return found


@functools.cache
def _decoders(kind_code: str) -> dict[str, Any]:
    """Column code → the decoder of its type (None: the JSON form is the value)."""
    return {code: _DECODERS.get(kind) for code, kind in _types(kind_code).items()}


def decode_values(kind: specs.KindSpec, values: dict[str, Any]) -> dict[str, Any]:
    """Decoded values; codes of other kinds are kept too (a judgments row may complete a persons row).

    Every row the trial and the apply work on goes through here: the decoders are looked up once
    per kind, and the values that are their own JSON form (most) are kept as they are."""
    decoders = _decoders(kind.code)
    found = {}
    for code, value in values.items():
        if code in decoders:
            decoder = decoders[code]
            found[code] = value if decoder is None or value is None else decoder(value)
    return found


def encode_raw(raw: dict[str, Any], headers: dict[str, str]) -> dict[str, str]:
    """The cells as the user typed them, by header as written (for the preview and the report)."""
    found = {}
    for code, value in raw.items():
        if value is not None and value != "":
            found[headers.get(code, code)] = value.strip() if value.__class__ is str else shown(value)
    return found


def encode_address(address: AddressResult | None) -> dict[str, Any]:
    if address is None:
        return {}
    return {
        "text": address.text,
        "status": address.status,
        "commune": address.commune_code,
        "province": address.province_code,
        "candidates": [m.code for m in address.candidates],
        "options": [[m.code, f"{m.name}, {m.province_name}"] for m in address.candidates],
        "message": address.message,
    }


# --- The same as JSON text ---------------------------------------------------------------------------


class CellsJson:
    """A sheet's cells as JSON text, exactly as ``json.dumps`` writes ``encode_raw`` (what the
    database stores for a ``JSONField`` on SQLite), without building the dict: the headers, the
    same on every row, are encoded once."""

    def __init__(self, headers: dict[str, str]) -> None:
        self.headers = headers
        self.keys: dict[str, str] = {}  # column code → its key (the header) as JSON, with the colon
        self.exact = len(set(headers.values())) == len(headers)  # else as ``encode_raw``'s dict

    def __call__(self, raw: dict[str, Any]) -> str:
        """``json.dumps(encode_raw(raw, headers))``."""
        if not self.exact:
            return json.dumps(encode_raw(raw, self.headers))
        pieces = []
        keys = self.keys
        for code, value in raw.items():
            if value is None or value == "":
                continue
            key = keys.get(code)
            if key is None:
                header = self.headers.get(code, code)
                if code not in self.headers and header in self.headers.values():
                    self.exact = False  # a code written as another column's header
                    return json.dumps(encode_raw(raw, self.headers))
                key = keys[code] = _quoted(header) + ": "
            pieces.append(key + _quoted(value.strip() if value.__class__ is str else shown(value)))
        return "{" + ", ".join(pieces) + "}"
