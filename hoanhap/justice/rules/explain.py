"""What a rule hands back besides its answer: the facts it used, as sentences for the officer.

A ``Fact`` keeps an English msgid (marked with ``gettext_lazy`` where it is written, so the
translator finds it) and the values to put into it. It is rendered only when shown, in the
language active then: dates as dd/mm/yyyy, lengths as "2 years 3 months".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import ngettext

from hoanhap.justice.rules.dates import Term


def show_date(value: dt.date) -> str:
    return value.strftime("%d/%m/%Y")


def show_term(term: Term) -> str:
    """'2 years 3 months 10 days'; zero parts are left out; a zero length reads '0 days'."""
    parts = []
    if term.years:
        parts.append(ngettext("{n} year", "{n} years", term.years).format(n=term.years))
    if term.months:
        parts.append(ngettext("{n} month", "{n} months", term.months).format(n=term.months))
    if term.days or not parts:
        parts.append(ngettext("{n} day", "{n} days", term.days).format(n=term.days))
    return " ".join(parts)


def show(value: Any) -> str:
    if isinstance(value, dt.date):
        return show_date(value)
    if isinstance(value, Term):
        return show_term(value)
    if isinstance(value, list | tuple):
        return ", ".join(show(v) for v in value)
    return str(value)


@dataclass(frozen=True)
class Fact:
    """One sentence of an explanation: a lazy msgid with ``{name}`` placeholders and its values."""

    message: Any
    params: Mapping[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return str(self.message).format(**{key: show(value) for key, value in self.params.items()})


def fact(message: Any, **params: Any) -> Fact:
    return Fact(message, params)


def join(parts: Iterable[Fact]) -> str:
    """A rule citation made of several clauses, one sentence: 'clause; clause'."""
    return "; ".join(str(p) for p in parts)


class InvalidInput(ValueError):
    """The case given to a rule is not well formed; ``field`` names the offending field (a.b[0].c)."""

    def __init__(self, field_path: str | None, message: Any, **params: Any):
        self.field = field_path
        self.detail = Fact(message, params)
        super().__init__(self.text)

    @property
    def text(self) -> str:
        detail = str(self.detail)
        return f"{self.field}: {detail}" if self.field else detail

    def as_dict(self) -> dict[str, Any]:
        return {"error": self.text, "field": self.field}

    def __str__(self) -> str:
        return self.text
