"""The judgment and the release of a row, written through ``hoanhap.justice.services``.

A judgment is the same when the person, its number and its date are; a release when the judgment
and the release date are. Unchanged ones are left alone (a re-import changes nothing); changed ones
go through ``judgment_update`` / ``release_update``. Only the values a row gives are compared: an
empty cell never erases a stored value.

A judgment's offences are compared too, as what a file can say of each line: its article and clause
(the line's, else its catalogue row's, as the export writes it), in any order. A row that names
other offences corrects the lines through ``judgment_update``: a line cited again is kept as it is,
a changed one takes the place of a line no longer cited (an update the undo puts back), the rest
are added or deleted. A row without offences leaves the lines alone.

The judgment's note is read from the ``judgments`` sheet only (``with_note``): the "Ghi chú" of a
persons row is about the person, not the judgment. A note is one line in a cell, so a stored note
that differs only in line breaks and spaces counts as unchanged.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from django.utils.translation import gettext as _

from hoanhap.core.text import fold
from hoanhap.imports.kinds.base import ApplyContext, RowError, facility
from hoanhap.imports.reading.values import Term
from hoanhap.justice import services as justice
from hoanhap.justice.models import Judgment, JudgmentOffence, Offence, Release

JUDGMENT_COLUMNS = {
    "court_name": "court_name",
    "judgment_number": "judgment_number",
    "judgment_date": "judgment_date",
    "offence_committed_on": "offence_committed_on",
    "main_penalty_type": "main_penalty_type",
    "main_penalty_years": "term",
    "main_penalty_months": "term",
    "main_penalty_days": "term",
    "fine_amount": "fine_amount",
    "probation_years": "probation",
    "probation_months": "probation",
    "main_penalty_started_on": "main_penalty_started_on",
    "main_penalty_completed_on": "main_penalty_completed_on",
    "offences": "offences",
    "note": "note",
}
RELEASE_COLUMNS = {
    "release_date": "release_date",
    "kind": "release_kind",
    "facility": "facility",
    "judgment": "judgment_number",
    "certificate_number": "certificate_number",
    "certificate_date": "certificate_date",
    "amnesty_decision_number": "amnesty_decision_number",
    "amnesty_decision_date": "amnesty_decision_date",
    "probation_ends_on": "probation_ends_on",
}
# Columns that describe a judgment: given without its number and date, the row says why it is not recorded.
JUDGMENT_PARTS = (
    "court_name",
    "judgment_number",
    "judgment_date",
    "offences",
    "main_penalty_type",
    "term",
    "fine_amount",
    "probation",
    "main_penalty_started_on",
    "main_penalty_completed_on",
)


def judgment_data(values: dict[str, Any], *, with_note: bool = False) -> dict[str, Any]:
    """The judgment fields the row gives (the bulk path and the adapters share it)."""
    data: dict[str, Any] = {}
    for key in (
        "court_name",
        "judgment_number",
        "judgment_date",
        "offence_committed_on",
        "fine_amount",
        "main_penalty_started_on",
        "main_penalty_completed_on",
    ):
        if values.get(key) is not None:
            data[key] = values[key]
    penalty = values.get("main_penalty_type")
    term = values.get("term")
    if isinstance(term, Term):
        if term.life:
            penalty = penalty or Judgment.PenaltyType.LIFE
        else:
            data.update(
                main_penalty_years=term.years, main_penalty_months=term.months, main_penalty_days=term.days
            )
    if penalty:
        data["main_penalty_type"] = penalty
    probation = values.get("probation")
    if isinstance(probation, Term) and not probation.life:
        data.update(probation_years=probation.years, probation_months=probation.months)
    if with_note and values.get("note"):
        data["note"] = values["note"]
    return data


def differs(field: str, stored: Any, given: Any) -> bool:
    if field == "note":
        return " ".join(str(stored or "").split()) != " ".join(str(given or "").split())
    return stored != given


def _catalogued(article: int, clause: str) -> Offence | None:
    rows = Offence.objects.filter(article=article, is_active=True)
    return (rows.filter(clause=clause).first() if clause else None) or rows.filter(clause="").first()


def _offences(values: dict[str, Any]) -> list[dict[str, Any]]:
    return offence_lines(values, _catalogued)


def offence_lines(values: dict[str, Any], catalogued) -> list[dict[str, Any]]:
    """The catalogue offences the row cites: the clause when catalogued, else the article.

    ``catalogued(article, clause)`` finds the catalogue row (a query, or the bulk path's memory).
    """
    found = values.get("offences")
    if not found:
        raise RowError(
            [("offences", _("Give the offence with its article, e.g. Trộm cắp tài sản (Điều 173)."))]
        )
    text, refs = found
    if not refs:
        raise RowError(
            [
                (
                    "offences",
                    _("“{text}” cites no article of the Criminal Code (e.g. Điều 173).").format(text=text),
                )
            ]
        )
    lines = []
    for ref in refs:
        offence = catalogued(ref.article, ref.clause)
        if offence is None:
            raise RowError(
                [
                    (
                        "offences",
                        _("Article {article} is not in the offence catalogue.").format(article=ref.article),
                    )
                ]
            )
        lines.append({"offence": offence, "clause": ref.clause})
    return lines


def line_key(article: int, offence_clause: str, clause: str) -> tuple[int, str]:
    """An offence line as a file names it: the article, and the line's clause else the catalogue row's."""
    return article, clause or offence_clause


def _row_key(line: dict[str, Any]) -> tuple[int, str]:
    return line_key(line["offence"].article, line["offence"].clause, line["clause"])


def offences_differ(lines: list[dict[str, Any]], stored: list[tuple[int, str]]) -> bool:
    """Whether the row's ``lines`` (``offence_lines``) cite other offences than the ``stored`` keys."""
    return Counter(map(_row_key, lines)) != Counter(stored)


def _stored_lines(judgment: Judgment) -> list[tuple[int, tuple[int, str]]]:
    """(id, ``line_key``) of the judgment's offence lines, oldest first."""
    rows = JudgmentOffence.objects.filter(judgment=judgment).order_by("pk")
    return [
        (pk, line_key(article, offence_clause, clause))
        for pk, article, offence_clause, clause in rows.values_list(
            "pk", "offence__article", "offence__clause", "clause"
        )
    ]


def offence_update(
    lines: list[dict[str, Any]], stored: list[tuple[int, tuple[int, str]]]
) -> list[dict[str, Any]]:
    """The offence lines to give ``judgment_update`` for the row's ``lines``, in the row's order.

    A stored line the row cites again is given by its ``id`` alone (left as it is); a line the row
    changes takes the ``id`` of a stored line it no longer cites, so the change is an update the
    undo puts back (its severity and intent left to the catalogue, as on a new line); the rest are
    new, and stored lines given no place are deleted by the service.
    """
    free: dict[tuple[int, str], list[int]] = defaultdict(list)
    for pk, key in stored:
        free[key].append(pk)
    given: list[dict[str, Any] | None] = []
    for line in lines:
        same = free.get(_row_key(line))
        given.append({"id": same.pop(0)} if same else None)
    spare = iter([pk for pk, key in stored if pk in free[key]])
    for index, line in enumerate(lines):
        if given[index] is None:
            new = {"offence": line["offence"], "clause": line["clause"]}
            pk = next(spare, None)
            if pk is not None:
                new.update(id=pk, severity="", intent="")
            given[index] = new
    return given


def judgment_given(values: dict[str, Any], warnings: list) -> bool:
    """Whether the row names a judgment (its number and date); a row that gives some of a
    judgment's parts without both is warned that the judgment is not recorded."""
    if values.get("judgment_number") and values.get("judgment_date"):
        return True
    if any(values.get(k) for k in JUDGMENT_PARTS):
        warnings.append(
            ("judgment_number", _("The judgment is not recorded: its number and date are both needed."))
        )
    return False


def apply_judgment(
    person, values: dict[str, Any], ctx: ApplyContext, warnings: list, *, with_note: bool = False
) -> tuple[Judgment | None, str]:
    """The row's judgment of ``person``: (judgment or None, "create" | "update" | "skip").

    ``with_note``: the row's ``note`` is the judgment's (the judgments sheet).
    """
    if not judgment_given(values, warnings):
        return None, "skip"
    number, judged = values["judgment_number"], values["judgment_date"]
    data = judgment_data(values, with_note=with_note)
    existing = next(
        (j for j in person.judgments.filter(judgment_date=judged) if fold(j.judgment_number) == fold(number)),
        None,
    )
    if existing is None:
        judgment = justice.judgment_create(
            actor=ctx.actor, person=person, data=data, offences=_offences(values)
        )
        return judgment, "create"
    changed = {
        k: v for k, v in data.items() if k != "judgment_number" and differs(k, getattr(existing, k), v)
    }
    offences = None
    if values.get("offences"):  # a row without offences leaves the lines alone
        lines, stored = _offences(values), _stored_lines(existing)
        if offences_differ(lines, [key for _pk, key in stored]):
            offences = offence_update(lines, stored)
    if not changed and offences is None:
        return existing, "skip"
    judgment = justice.judgment_update(actor=ctx.actor, judgment=existing, data=changed, offences=offences)
    return judgment, "update"


def release_data(values: dict[str, Any], judgment: Judgment) -> dict[str, Any]:
    """The release fields the row gives, under ``judgment`` (the facility apart)."""
    data: dict[str, Any] = {"judgment": judgment, "release_date": values.get("release_date")}
    for key in (
        "certificate_number",
        "certificate_date",
        "amnesty_decision_number",
        "amnesty_decision_date",
        "probation_ends_on",
    ):
        if values.get(key) is not None:
            data[key] = values[key]
    if values.get("release_kind"):
        data["kind"] = values["release_kind"]
    return data


def apply_release(
    person, judgment: Judgment | None, values: dict[str, Any], ctx: ApplyContext, warnings: list
) -> str:
    """The row's release of ``person`` under ``judgment`` (else the latest custodial one)."""
    released = values.get("release_date")
    if released is None:
        return "skip"
    if judgment is None:
        judgment = (
            person.judgments.filter(
                main_penalty_type__in=["imprisonment", "life_imprisonment", "death_commuted"]
            )
            .order_by("-judgment_date", "-pk")
            .first()
        )
    if judgment is None:
        warnings.append(
            ("release_date", _("The release is not recorded: the person has no prison sentence recorded."))
        )
        return "skip"
    data = release_data(values, judgment)
    place = facility(values.get("facility"), values.get("facility_unit"), ctx, warnings, person.province_id)
    if place is not None:
        data["facility"] = place
    existing = Release.objects.filter(person=person, judgment=judgment, release_date=released).first()
    if existing is None:
        data.setdefault("kind", Release.Kind.COMPLETED_TERM)
        justice.release_record(actor=ctx.actor, person=person, data=data)
        return "create"
    changed = {k: v for k, v in data.items() if getattr(existing, k) != v}
    if not changed:
        return "skip"
    justice.release_update(actor=ctx.actor, release=existing, data=changed)
    return "update"
