"""``hoanhap rules <rule> --input CASE.json [--json] [--explain]``: the legal-date rules from the console.

Subcommands: ``expungement``, ``recidivism``, ``conditional-release`` (JSON shapes in docs/rules.md).
``--input -`` reads the case from standard input. With ``--json`` the answer is one JSON object on
standard output, in English (stable for scripts); without it, readable lines in the language of the
installation. Exit code 0 whenever an answer was computed (a blocked case is an answer), 2 when the
input is invalid (with ``--json`` a JSON ``{"error", "field"}`` object is printed first).
"""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from hoanhap.justice.rules import RULES, InvalidInput

INVALID_INPUT = 2


class Command(BaseCommand):
    requires_system_checks: list = []  # pure computation: no database, nothing to check first
    help = "Apply a legal-date rule (expungement, recidivism, conditional release) to a case in a JSON file."

    def add_arguments(self, parser):
        subparsers = parser.add_subparsers(dest="rule", required=True, metavar="RULE")
        for name, text in [
            ("expungement", "When a criminal record is expunged (Criminal Code Arts. 69-73)."),
            (
                "recidivism",
                "Recidivism or dangerous recidivism of a new offence (Criminal Code Arts. 53, 69).",
            ),
            ("conditional-release", "Conditional early release dates and probation (Criminal Code Art. 66)."),
        ]:
            aliases = [name.replace("-", "_")] if "-" in name else []
            sub = subparsers.add_parser(name, aliases=aliases, help=text, description=text)
            sub.add_argument(
                "--input", required=True, metavar="FILE", help="the case as JSON; - reads standard input"
            )
            sub.add_argument("--json", action="store_true", help="print the answer as one JSON object")
            sub.add_argument("--explain", action="store_true", help="add the facts the rule used")

    def handle(self, *args, rule: str, **options):
        as_json = options["json"]
        with translation.override(None if as_json else translation.get_language()):
            try:
                result = RULES[rule.replace("_", "-")](self._read(options["input"]))
            except InvalidInput as error:
                if as_json:
                    self.stdout.write(json.dumps(error.as_dict(), ensure_ascii=False))
                raise CommandError(error.text, returncode=INVALID_INPUT) from None
            if as_json:
                self.stdout.write(json.dumps(result.as_dict(explain=options["explain"]), ensure_ascii=False))
            else:
                self._print(result.as_dict(explain=True))

    def _read(self, source: str) -> Any:
        try:
            if source == "-":
                text = sys.stdin.read()
            else:
                with open(source, encoding="utf-8") as handle:
                    text = handle.read()
        except OSError as error:
            raise InvalidInput(
                None,
                _("Cannot read the input {source}: {reason}."),
                source=source,
                reason=error.strerror or str(error),
            ) from None
        except UnicodeDecodeError:
            raise InvalidInput(None, _("The input {source} is not UTF-8 text."), source=source) from None
        try:
            return json.loads(text)
        except json.JSONDecodeError as error:
            raise InvalidInput(
                None,
                _("The input is not valid JSON: {reason} (line {line}, column {column})."),
                reason=error.msg,
                line=error.lineno,
                column=error.colno,
            ) from None

    def _print(self, answer: dict[str, Any]) -> None:
        explanation = answer.pop("explanation", [])
        for key, value in answer.items():
            if isinstance(value, list):
                value = ", ".join(str(v) for v in value) or "-"
            elif isinstance(value, dict):
                value = ", ".join(f"{k}={v}" for k, v in value.items())
            elif value is None:
                value = "-"
            self.stdout.write(f"{key}: {value}")
        for line in explanation:
            self.stdout.write(f"  - {line}")
