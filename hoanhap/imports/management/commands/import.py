"""``hoanhap import FILE [--kind KIND] [--commit all|valid] [--dry-run] [--json] [--scope …] [--user …]``.

The same code as the pages, run synchronously (no worker needed): the file is staged (read, then
tried against the services), then applied when ``--commit`` is given. Without ``--commit`` (or with
``--dry-run``) nothing is written and the counts say what would happen. ``--commit all`` writes
nothing if any row has an error; ``--commit valid`` writes the valid rows. ``--json`` prints::

    {"rows": int, "created": int, "updated": int, "skipped": int,
     "errors": [{"sheet": str, "row": int, "column": str | null, "message": str}], "warnings": [...]}

The exit code is 0 whenever the file could be read.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from hoanhap.access.cli import check_scope_allowed, command_actor, scope_argument
from hoanhap.access.roles import Cap
from hoanhap.imports import applying, services, staging
from hoanhap.imports.models import ImportBatch, StagedRow
from hoanhap.imports.reading.files import ReadError
from hoanhap.imports.reading.specs import KINDS


def _unit(scope) -> tuple[int | None, int | None] | None:
    if scope is None:
        return None
    if scope.provinces:
        return min(scope.provinces), None
    from hoanhap.geo.models import Commune

    commune = min(scope.communes)
    return Commune.objects.values_list("province_id", flat=True).get(code=commune), commune


def result_of(batch: ImportBatch, counts: applying.Counts | None, refused: list[dict] | None = None) -> dict:
    """The command's JSON for a staged (and maybe applied) batch."""
    rows = list(batch.staged_rows.order_by("pk"))
    errors = [staging.public(e) for e in batch.sheet_errors]
    errors += [staging.public(e) for r in rows for e in r.errors]
    for problem in refused or []:
        if problem not in errors:
            errors.append(problem)
    warnings = [staging.public(w) for w in batch.sheet_warnings]
    warnings += [staging.public(w) for r in rows for w in r.warnings]
    if counts is None:
        planned = [r.action for r in rows]
        created, updated = planned.count(StagedRow.Action.CREATE), planned.count(StagedRow.Action.UPDATE)
        skipped = planned.count(StagedRow.Action.SKIP)
    else:
        created, updated, skipped = counts.created, counts.updated, counts.skipped
    return {
        "rows": batch.rows,
        "created": created,
        "updated": updated,
        "skipped": skipped,
        "errors": errors,
        "warnings": warnings,
    }


class Command(BaseCommand):
    help = "Import a spreadsheet (persons, judgments, notices, helpers, children, support): check it, and write it with --commit."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The .xlsx, .xls, .ods or .csv file.")
        parser.add_argument(
            "--kind", choices=list(KINDS), help="The kind of data (default: from the sheet names)."
        )
        parser.add_argument(
            "--commit",
            choices=["all", "valid"],
            help="Write all rows (none if one has an error) or the valid ones.",
        )
        parser.add_argument("--dry-run", action="store_true", help="Check only; write nothing (the default).")
        parser.add_argument("--json", action="store_true", help="Print the result as JSON.")
        scope_argument(parser, required=False)

    def handle(
        self,
        *args,
        file: str,
        kind: str | None,
        commit: str | None,
        dry_run: bool,
        json: bool,
        scope,
        **options,
    ):
        actor = command_actor()
        if scope is not None:
            check_scope_allowed(actor, scope, Cap.EDIT_PEOPLE)
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("No file at {path}.").format(path=file))
        commit = None if dry_run else commit
        try:
            result = self._run(actor, path, kind, commit, _unit(scope))
        except (ReadError, PermissionDenied) as exc:
            raise CommandError(str(exc)) from exc
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        if json:
            self.stdout.write(_dumps(result))
        else:
            self.stdout.write(
                _(
                    "{rows} rows: {created} created, {updated} updated, {skipped} unchanged, {errors} errors, {warnings} warnings."
                ).format(
                    rows=result["rows"],
                    created=result["created"],
                    updated=result["updated"],
                    skipped=result["skipped"],
                    errors=len(result["errors"]),
                    warnings=len(result["warnings"]),
                )
            )
            for problem in result["errors"]:
                self.stdout.write(
                    f"{problem['sheet']}:{problem['row'] or '-'} [{problem['column'] or '-'}] {problem['message']}"
                )

    def _run(self, actor, path: Path, kind: str | None, commit: str | None, unit) -> dict:
        """Stage and maybe apply in one transaction, rolled back unless the import was written."""
        with transaction.atomic():
            with path.open("rb") as handle:
                batch = services.batch_create(
                    actor=actor, file=handle, file_name=path.name, kinds=[kind] if kind else [], unit=unit
                )
            written = False
            try:
                services.batch_stage(batch, actor=actor)  # no kind found: a sheet error says so
                counts, refused = None, None
                if commit:
                    try:
                        counts = services.batch_apply(batch, actor=actor, commit=commit)
                        written = True
                    except applying.ApplyRefused as exc:
                        counts, refused = applying.Counts(rows=batch.rows), exc.errors
                    batch.refresh_from_db()
                result = result_of(batch, counts, refused)
            finally:
                if not written:
                    batch.file.delete(save=False)
                    transaction.set_rollback(True)
        return result


def _dumps(result: dict) -> str:
    return json.dumps(result, ensure_ascii=False)
