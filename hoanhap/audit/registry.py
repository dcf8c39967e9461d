"""Action codes → translated sentences, for the log pages, the API and the CSV export.

An action code names what happened: ``<app>.<model>.<verb>`` (``people.person.merged``), or a
short namespace for events without one model (``export.created``). The message is a verb phrase
that reads after the actor's name: "an.officer merged two person records".

Apps register the codes of their business events in their ``AppConfig.ready``::

    from hoanhap.audit.registry import actions
    actions.register("people.person.merged", _("merged two person records"))

A message may be a translatable string, with ``{model}`` standing for the verbose name of the
code's model, or a callable ``(code, data) -> str`` for sentences that depend on the entry's
details. Patterns use shell wildcards (``*.*.created``); an exact code wins over a pattern, and
among patterns the one registered last wins. An unknown code is shown as it is.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from fnmatch import fnmatchcase
from typing import Any

from django.apps import apps
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

Message = Any  # a (lazy) translatable str, or a callable (code, data) -> str


def model_verbose_name(code: str) -> str:
    """The verbose name of the model an action code or record type starts with ('' if none)."""
    parts = code.split(".")
    if len(parts) < 2:
        return ""
    try:
        return str(apps.get_model(parts[0], parts[1])._meta.verbose_name)
    except (LookupError, ValueError):
        return ""


class ActionRegistry:
    def __init__(self) -> None:
        self._exact: dict[str, Message] = {}
        self._patterns: list[tuple[str, Message]] = []

    def register(self, code: str, message: Message, *, default: bool = False) -> None:
        """Map ``code`` (or a wildcard pattern) to ``message``.

        ``default=True`` never replaces a message registered earlier and ranks a pattern below
        every other pattern: the built-in messages are registered that way.
        """
        if any(ch in code for ch in "*?["):
            if default and any(p == code for p, _m in self._patterns):
                return
            self._patterns = [(p, m) for p, m in self._patterns if p != code]
            if default:
                self._patterns.insert(0, (code, message))
            else:
                self._patterns.append((code, message))
        elif not (default and code in self._exact):
            self._exact[code] = message

    def known_codes(self) -> list[str]:
        return sorted(self._exact)

    def find(self, code: str) -> Message | None:
        if code in self._exact:
            return self._exact[code]
        for pattern, message in reversed(self._patterns):
            if fnmatchcase(code, pattern):
                return message
        return None

    def describe(self, code: str, data: Mapping[str, Any] | None = None) -> str:
        """The translated sentence for ``code`` (the code itself when nothing is registered)."""
        message = self.find(code)
        if message is None:
            return code
        if callable(message):
            return str(message(code, data or {}))
        model = model_verbose_name(code) or code.rsplit(".", 1)[0]
        return str(message).format(model=model)


actions = ActionRegistry()


def describe(code: str, data: Mapping[str, Any] | None = None) -> str:
    return actions.describe(code, data)


def _export_message(code: str, data: Mapping[str, Any]) -> str:
    rows = data.get("rows")
    if not isinstance(rows, int):
        return str(_("exported data"))
    return ngettext("exported {rows} row", "exported {rows} rows", rows).format(rows=rows)


DEFAULTS: list[tuple[str, Message | Callable]] = [
    ("*.*.created", _("created {model}")),
    ("*.*.updated", _("updated {model}")),
    ("*.*.deleted", _("deleted {model}")),
    ("*.*.viewed", _("viewed the details of {model}")),
    ("export.created", _export_message),
    ("access.user.signed_in", _("signed in")),
    ("access.user.signed_out", _("signed out")),
    ("access.user.sign_in_failed", _("failed to sign in")),
]


def register_defaults(registry: ActionRegistry = actions) -> None:
    for code, message in DEFAULTS:
        registry.register(code, message, default=True)
