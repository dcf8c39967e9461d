"""Reading a case from JSON-like data (CLI file, API body, page form): one validator for all three.

Each helper names the field it reads with a path such as ``main_penalty.years`` or
``new_convictions[1].offence_committed_on``, so an error tells the officer exactly what to fix.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

from hoanhap.justice.rules.dates import Term
from hoanhap.justice.rules.explain import InvalidInput

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MISSING = object()


def path(parent: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{parent}[{key}]"
    return f"{parent}.{key}" if parent else key


def mapping(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise InvalidInput(where or None, _("Expected a JSON object."))
    return value


def only_keys(data: Mapping[str, Any], allowed: Iterable[str], where: str) -> None:
    """Unknown keys are refused: a misspelt field must not be ignored silently."""
    allowed = set(allowed)
    for key in data:
        if key not in allowed:
            raise InvalidInput(
                path(where, str(key)),
                _("Unknown field; expected one of: {fields}."),
                fields=", ".join(sorted(allowed)),
            )


def value(data: Mapping[str, Any], key: str, where: str, *, default: Any = _MISSING) -> Any:
    if key not in data:
        if default is _MISSING:
            raise InvalidInput(path(where, key), _("This field is required."))
        return default
    return data[key]


def date(
    data: Mapping[str, Any], key: str, where: str, *, nullable: bool = False, default: Any = _MISSING
) -> dt.date | None:
    raw = value(data, key, where, default=default)
    if raw is None:
        if nullable:
            return None
        raise InvalidInput(path(where, key), _("A date is required here (YYYY-MM-DD)."))
    if isinstance(raw, dt.date) and not isinstance(raw, dt.datetime):
        return raw
    if not isinstance(raw, str) or not _ISO_DATE.match(raw):
        raise InvalidInput(
            path(where, key), _("Expected a date written YYYY-MM-DD, got {got}."), got=repr(raw)
        )
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise InvalidInput(path(where, key), _("{got} is not a date in the calendar."), got=raw) from None


def whole_number(data: Mapping[str, Any], key: str, where: str, *, default: Any = 0) -> int:
    raw = value(data, key, where, default=default)
    if isinstance(raw, bool) or not isinstance(raw, int) or raw < 0:
        raise InvalidInput(
            path(where, key), _("Expected a whole number of 0 or more, got {got}."), got=repr(raw)
        )
    return raw


def boolean(data: Mapping[str, Any], key: str, where: str, *, default: bool = False) -> bool:
    raw = value(data, key, where, default=default)
    if not isinstance(raw, bool):
        raise InvalidInput(path(where, key), _("Expected true or false, got {got}."), got=repr(raw))
    return raw


def choice(
    data: Mapping[str, Any], key: str, where: str, choices: Iterable[str], *, default: Any = _MISSING
) -> str:
    choices = list(choices)
    raw = value(data, key, where, default=default)
    if raw not in choices:
        raise InvalidInput(
            path(where, key),
            _("Expected one of: {choices}; got {got}."),
            choices=", ".join(choices),
            got=repr(raw),
        )
    return raw


def items(data: Mapping[str, Any], key: str, where: str, *, default: Any = _MISSING) -> list[Any]:
    raw = value(data, key, where, default=default)
    if not isinstance(raw, list):
        raise InvalidInput(path(where, key), _("Expected a list."))
    return raw


def term(data: Mapping[str, Any], where: str) -> Term:
    """``years``, ``months`` and ``days`` of ``data`` (each 0 when left out)."""
    return Term(
        whole_number(data, "years", where),
        whole_number(data, "months", where),
        whole_number(data, "days", where),
    )
