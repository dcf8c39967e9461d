"""One export row per record, as ``{column code: cell value}`` in the columns of ``reading/specs.py``.

* ``persons``: one row per person with the judgment and release real lists show — the latest
  release and the judgment it ended, or the latest judgment when the person was never released —
  fine, probation and dates of serving included, and the person's note ("Ghi chú");
* ``judgments``: every other judgment of the person, and the row's own judgment too when it holds
  more than the persons columns can (today only a note: the persons "Ghi chú" is the person's)
  — the import then completes the judgment the person row recorded. The row refers to the person
  by record code, identification number, name and date of birth;
* ``notices``: one row per release notice.

No database id, no system timestamp: people are named by their record code (mã hồ sơ), units by
their current names, organisations by name.
"""

from __future__ import annotations

from typing import Any

from hoanhap.access.models import Organisation
from hoanhap.imports.exporting import cells
from hoanhap.imports.reading import specs
from hoanhap.justice.models import Judgment, Release
from hoanhap.people.models import Person

PERSONS = specs.PERSONS
JUDGMENTS = specs.JUDGMENTS
NOTICES = specs.NOTICES


# Judgment values beyond the basic ones (court, number, dates, offences, penalty, term), by the
# column of the judgments sheet that carries them.
EXTRA_JUDGMENT_COLUMNS = {
    "fine_amount": lambda j: j.fine_amount is not None,
    "probation": lambda j: bool(j.probation_years or j.probation_months),
    "main_penalty_started_on": lambda j: j.main_penalty_started_on is not None,
    "main_penalty_completed_on": lambda j: j.main_penalty_completed_on is not None,
    "note": lambda j: cells.text(j.note) is not None,
}
# The persons columns that carry a judgment's values: "Ghi chú" (note) there is the person's note.
PERSON_JUDGMENT_COLUMNS = frozenset(c.code for c in PERSONS.columns) - {"note"}


def fits_person_row(judgment: Judgment) -> bool:
    """Whether the persons sheet holds the whole judgment: each value it has beyond the basic
    columns has a column there (a fine, a probation and the dates of serving do; a note does not).
    Otherwise the judgment is (also) written on the judgments sheet, which has them all."""
    return all(
        code in PERSON_JUDGMENT_COLUMNS or not has(judgment) for code, has in EXTRA_JUDGMENT_COLUMNS.items()
    )


def row_judgment(
    judgments: list[Judgment], releases: list[Release]
) -> tuple[Judgment | None, Release | None]:
    """The judgment and release of a person's row, as real lists show them.

    The latest release and the judgment it ended; without a release, the latest judgment when the
    persons sheet can hold it whole (a judgment with a note goes to the judgments sheet only).
    ``judgments`` and ``releases`` come ordered by date.
    """
    if releases:
        release = releases[-1]
        judgment = next((j for j in judgments if j.pk == release.judgment_id), None)
        return judgment, release
    if judgments and fits_person_row(judgments[-1]):
        return judgments[-1], None
    return None, None


def on_judgments_sheet(judgment: Judgment, on_row: Judgment | None) -> bool:
    """Every judgment but the one a person row holds whole."""
    return judgment is not on_row or not fits_person_row(judgment)


def unit_code(organisation: Organisation | None) -> int | None:
    """An organisation is named by its name and the code of its unit: the commune, else the province."""
    if organisation is None:
        return None
    return organisation.commune_id or organisation.province_id


def _id_number(person: Person) -> str | None:
    return person.personal_id or person.old_id_number or None


def _identity(person: Person) -> dict[str, Any]:
    return {
        "record_code": person.record_code,
        "full_name": cells.text(person.full_name),
        "birth_date": cells.partial_date(person.birth_year, person.birth_month, person.birth_day),
        "id_number": _id_number(person),
    }


def _offences(judgment: Judgment) -> str | None:
    return cells.offences(
        (line.offence.name, line.offence.article, line.clause or line.offence.clause)
        for line in judgment.offences.all()
    )


def _judgment_values(judgment: Judgment | None) -> dict[str, Any]:
    if judgment is None:
        return {}
    return {
        "court_name": cells.text(judgment.court_name),
        "judgment_number": cells.text(judgment.judgment_number),
        "judgment_date": judgment.judgment_date,
        "offence_committed_on": judgment.offence_committed_on,
        "offences": _offences(judgment),
        "main_penalty_type": cells.choice(PERSONS.column("main_penalty_type"), judgment.main_penalty_type),
        "term": cells.term(
            judgment.main_penalty_years, judgment.main_penalty_months, judgment.main_penalty_days
        ),
        "fine_amount": cells.money(judgment.fine_amount),
        "probation": cells.term(judgment.probation_years, judgment.probation_months),
        "main_penalty_started_on": judgment.main_penalty_started_on,
        "main_penalty_completed_on": judgment.main_penalty_completed_on,
    }


def person_row(person: Person, judgment: Judgment | None, release: Release | None) -> dict[str, Any]:
    row = _identity(person)
    row.update(
        {
            "other_names": cells.text(person.other_names),
            "sex": cells.sex(person.sex),
            "ethnicity": cells.choice(PERSONS.column("ethnicity"), person.ethnicity),
            "religion": cells.choice(PERSONS.column("religion"), person.religion),
            "phone": cells.text(person.phone),
            "address": cells.text(person.address),
            "commune": person.commune.name if person.commune_id else None,
            "province": person.province.name,
            "note": cells.text(person.note),  # one line: the import compares it so
        }
    )
    row.update(_judgment_values(judgment))
    if release is not None:
        row.update(
            {
                "release_date": release.release_date,
                "release_kind": cells.choice(PERSONS.column("release_kind"), release.kind),
                "facility": release.facility.name if release.facility_id else None,
                "facility_unit": unit_code(release.facility),
                "amnesty_decision_number": cells.text(release.amnesty_decision_number),
                "amnesty_decision_date": release.amnesty_decision_date,
                "probation_ends_on": release.probation_ends_on,
                "certificate_number": cells.text(release.certificate_number),
                "certificate_date": release.certificate_date,
            }
        )
    return row


def judgment_row(person: Person, judgment: Judgment) -> dict[str, Any]:
    row = _identity(person)
    row.update(_judgment_values(judgment))
    row["note"] = cells.text(judgment.note)
    return row


def notice_row(notice: Any) -> dict[str, Any]:
    person = notice.person
    row = _identity(person)
    row.update(
        {
            "sex": cells.sex(person.sex),
            "facility": cells.text(notice.sender_display),
            "facility_unit": unit_code(notice.facility),
            "reference": cells.text(notice.reference),
            "expected_release_date": notice.expected_release_date,
            "release_kind": cells.choice(NOTICES.column("release_kind"), notice.release_kind),
            "address": cells.text(notice.address),
            "commune": notice.commune.name,
            "province": notice.province.name,
            "sentence_summary": cells.text(notice.sentence_summary),
            "additional_penalties": cells.text(notice.additional_penalties),
            "received_on": notice.received_on,
        }
    )
    return row
