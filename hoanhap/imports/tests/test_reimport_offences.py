"""A re-import compares a judgment's offences too: a row that corrects them updates the lines through
``judgment_update`` (audited, undone by the undo, a removed line brought back); the same offences in any order change nothing; a
row without offences leaves the lines alone. The bulk path hands such a row to the adapter, so the
preview and the apply say the same either way."""

from __future__ import annotations

from collections import Counter
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import transaction
from hypothesis import given, settings
from hypothesis import strategies as st

from hoanhap.access.policy import SYSTEM
from hoanhap.access.roles import Role
from hoanhap.audit import context
from hoanhap.audit.models import AuditEvent
from hoanhap.core.testing import make_user
from hoanhap.imports import services
from hoanhap.imports.kinds import justice_parts
from hoanhap.imports.kinds.persons import PersonsAdapter
from hoanhap.imports.models import StagedRow
from hoanhap.justice import services as justice
from hoanhap.justice.models import Judgment, JudgmentOffence, Offence
from hoanhap.people.models import TimelineEntry

from .builders import kind_sheet, run
from .test_bulk import _batch, _import, person
from .test_export import build_world

pytestmark = pytest.mark.django_db

THEFT = "Trộm cắp tài sản (Điều 173 khoản 1)"
ROWS = [person(1, "Nguyễn Văn An"), person(2, "Lê Văn Chí"), person(3, "Phạm Văn Dũng")]


def _with(offences, rows=ROWS) -> list[dict]:
    """The rows, the first one citing ``offences``."""
    return [{**rows[0], "offences": offences}, *rows[1:]]


def _lines(name: str = "Nguyễn Văn An") -> list[tuple]:
    """(id, article, clause) of the person's offence lines, oldest first."""
    found = JudgmentOffence.objects.filter(judgment__person__full_name=name).order_by("pk")
    return list(found.values_list("pk", "offence__article", "clause"))


def _audits() -> int:
    return AuditEvent.objects.exclude(action__startswith="imports.").count()


def _apply(officer, path, *, kind: str = "persons", rows: list[dict]):
    """Stage and apply ``rows`` as a ``kind`` sheet: (the batch, its preview actions by row, the counts)."""
    path = kind_sheet(path, kind, rows)
    with context.acting(user=officer, source=context.SOURCE_WEB):
        with path.open("rb") as handle:
            batch = services.batch_create(actor=officer, file=handle, file_name=path.name, kinds=[kind])
        batch = services.batch_stage(batch, actor=officer)
        preview = dict(batch.staged_rows.values_list("row", "action"))
        counts = services.batch_apply(batch, actor=officer, commit="all")
    batch.refresh_from_db()
    return batch, preview, (counts.created, counts.updated, counts.skipped, counts.failed)


@pytest.fixture
def officer():
    return make_user(Role.PROVINCE_OFFICER, province=91, username="reimport.officer")


@pytest.fixture
def imported(tmp_path, officer):
    """The three people imported, each with one theft under clause 1."""
    _apply(officer, tmp_path / "first.xlsx", rows=ROWS)
    assert [line[1:] for line in _lines()] == [(173, "1")]


def test_a_corrected_clause_updates_the_line_in_place_and_the_undo_puts_it_back(
    tmp_path,
    officer,
    imported,
):
    [(line, _article, _clause)] = _lines()
    audits = _audits()
    batch, preview, counts = _apply(
        officer, tmp_path / "corrected.xlsx", rows=_with("Trộm cắp tài sản (Điều 173 khoản 2)")
    )
    assert preview == {2: StagedRow.Action.UPDATE, 3: StagedRow.Action.SKIP, 4: StagedRow.Action.SKIP}
    assert counts == (0, 1, 2, 0)
    assert _lines() == [(line, 173, "2")]  # the same line, corrected: the undo can put it back
    entry = AuditEvent.objects.get(action="justice.judgmentoffence.updated", target_id=str(line))
    assert entry.changes["clause"] == ["1", "2"]
    assert batch.tag in str(entry.data)
    assert _audits() > audits
    assert TimelineEntry.objects.filter(
        person__full_name="Nguyễn Văn An", kind="justice.judgment.updated"
    ).exists()
    with context.acting(user=officer, source=context.SOURCE_WEB):
        services.batch_undo(batch, actor=officer)
    assert _lines() == [(line, 173, "1")]


def test_the_same_offences_again_in_any_order_change_nothing_and_are_settled_in_bulk(
    tmp_path,
    officer,
    imported,
):
    both = "Trộm cắp tài sản (Điều 173 khoản 1); Cố ý gây thương tích (Điều 134 khoản 2)"
    _batch_, preview, counts = _apply(officer, tmp_path / "both.xlsx", rows=_with(both))
    assert (preview[2], counts) == (StagedRow.Action.UPDATE, (0, 1, 2, 0))
    lines = _lines()
    assert [line[1:] for line in lines] == [(173, "1"), (134, "2")]
    audits = _audits()
    reordered = "Cố ý gây thương tích (Điều 134 khoản 2), Trộm cắp tài sản (Điều 173 khoản 1)"
    with mock.patch.object(PersonsAdapter, "apply", side_effect=AssertionError("row by row")):
        for name, offences in (("again.xlsx", both), ("reordered.xlsx", reordered)):
            _batch_, preview, counts = _apply(officer, tmp_path / name, rows=_with(offences))
            assert set(preview.values()) == {StagedRow.Action.SKIP}, name
            assert counts == (0, 0, 3, 0), name
    assert _lines() == lines
    assert _audits() == audits


def test_an_offence_added_then_removed(tmp_path, officer, imported):
    [(theft, _article, _clause)] = _lines()
    both = "Trộm cắp tài sản (Điều 173 khoản 1); Cố ý gây thương tích (Điều 134 khoản 2)"
    _apply(officer, tmp_path / "added.xlsx", rows=_with(both))
    [_theft, (injury, _article, _clause)] = _lines()
    assert _theft == (theft, 173, "1")  # kept as it is, not deleted and created again
    assert not AuditEvent.objects.filter(action="justice.judgmentoffence.updated").exists()
    removed, preview, counts = _apply(officer, tmp_path / "removed.xlsx", rows=_with(THEFT))
    assert (preview[2], counts) == (StagedRow.Action.UPDATE, (0, 1, 2, 0))
    assert _lines() == [(theft, 173, "1")]
    assert AuditEvent.objects.filter(action="justice.judgmentoffence.deleted", target_id=str(injury)).exists()
    with context.acting(user=officer, source=context.SOURCE_WEB):
        services.batch_undo(removed, actor=officer)
    assert _lines() == [(theft, 173, "1"), (injury, 134, "2")]  # the removed line back, with its id
    back = AuditEvent.objects.filter(action="justice.judgmentoffence.created", target_id=str(injury)).latest(
        "pk"
    )
    assert f"undo {removed.tag}" in str(back.data)


def test_the_undo_of_an_added_offence_removes_it(tmp_path, officer, imported):
    before = _lines()
    both = "Trộm cắp tài sản (Điều 173 khoản 1); Cố ý gây thương tích (Điều 134 khoản 2)"
    batch, _preview, _counts = _apply(officer, tmp_path / "added.xlsx", rows=_with(both))
    assert len(_lines()) == 2
    with context.acting(user=officer, source=context.SOURCE_WEB):
        services.batch_undo(batch, actor=officer)
    assert _lines() == before


def test_a_row_without_offences_leaves_the_lines_alone(tmp_path, officer, imported):
    lines, audits = _lines(), _audits()
    _batch_, preview, counts = _apply(officer, tmp_path / "none.xlsx", rows=_with(None))
    assert set(preview.values()) == {StagedRow.Action.SKIP}
    assert counts == (0, 0, 3, 0)
    assert (_lines(), _audits()) == (lines, audits)


def test_an_unreadable_offence_of_a_stored_judgment_is_an_error(tmp_path, officer, imported):
    """A row naming offences the import cannot look up is refused, as for a new judgment."""
    lines = _lines()
    path = kind_sheet(tmp_path / "unknown.xlsx", "persons", _with("Tội lạ (Điều 999)"))
    with context.acting(user=officer, source=context.SOURCE_WEB):
        batch = _batch(officer, path)
    row = batch.staged_rows.get(row=2)
    assert row.action == StagedRow.Action.ERROR
    assert [e["column"] for e in row.errors] == ["Tội danh"]
    assert _lines() == lines


def test_the_bulk_path_and_the_adapter_agree_on_a_corrected_row(tmp_path, officer, imported):
    """Preview, apply, records, audit entries and undo list of a file whose first row corrects the
    clause: the same whether the planner settles the other rows or the adapter tries every row."""
    path = kind_sheet(tmp_path / "corrected.xlsx", "persons", _with("Trộm cắp tài sản (Điều 173 khoản 2)"))
    with transaction.atomic():
        by_row = _import(officer, path, bulk_path=False)
        transaction.set_rollback(True)
    in_bulk = _import(officer, path, bulk_path=True)
    for label, one, other in zip(("preview", "applied", "counts"), by_row[:3], in_bulk[:3], strict=True):
        assert one == other, label
    for key, value in by_row[3].items():
        assert value == in_bulk[3][key], key
    assert [row[1] for row in in_bulk[0]] == ["update", "skip", "skip"]
    assert in_bulk[2] == (0, 1, 2, 0)


def test_a_judgments_sheet_corrects_the_offences_too(tmp_path, officer, imported):
    rows = _with("Trộm cắp tài sản (Điều 173 khoản 3)")[:1]
    [(line, _article, _clause)] = _lines()
    batch, preview, counts = _apply(officer, tmp_path / "judgments.xlsx", kind="judgments", rows=rows)
    assert (preview, counts) == ({2: StagedRow.Action.UPDATE}, (0, 1, 0, 0))
    assert _lines() == [(line, 173, "3")]
    audits = _audits()
    _batch_, preview, counts = _apply(officer, tmp_path / "again.xlsx", kind="judgments", rows=rows)
    assert (preview, counts, _audits()) == ({2: StagedRow.Action.SKIP}, (0, 0, 1, 0), audits)


def test_an_export_imported_again_changes_no_offence_line(tmp_path):
    """Lines whose clause is their own or their catalogue row's read back as the same offences."""
    world = build_world()
    clause_two = Offence.objects.create(
        article=171, clause="2", name="Tội cướp giật tài sản", chapter=16, severity="serious"
    )
    judgment = world.an.judgments.get(judgment_number="25/2020/HS-ST")
    theft = judgment.offences.get(offence__article=173)
    justice.judgment_update(
        actor=SYSTEM,
        judgment=judgment,
        data={},
        offences=[{"id": theft.pk}, {"offence": clause_two, "clause": ""}],  # the catalogue's clause
    )
    lines = sorted(JudgmentOffence.objects.values_list("pk", "offence_id", "clause", "severity", "intent"))
    assert any(offence == clause_two.pk for _pk, offence, *_rest in lines)
    path = tmp_path / "export.xlsx"
    call_command("export", "--scope", "province:91", "--output", str(path), "--purpose", "Đối chiếu")
    audits = AuditEvent.objects.filter(action__startswith="justice.").count()
    result = run(path, "--commit", "all")
    assert result["errors"] == []
    assert (
        sorted(JudgmentOffence.objects.values_list("pk", "offence_id", "clause", "severity", "intent"))
        == lines
    )
    assert AuditEvent.objects.filter(action__startswith="justice.").count() == audits
    assert Judgment.objects.get(pk=judgment.pk).version == judgment.version + 1  # only the update above


def test_offence_update_keeps_the_lines_cited_again_and_reuses_the_others():
    """The lines given to ``judgment_update``: the same offences by ``id``, a changed one in place of a
    line no longer cited (its severity and intent left to the catalogue), the rest new."""
    theft, injury = Offence(pk=1, article=173), Offence(pk=2, article=134)
    stored = [(10, (173, "1")), (11, (134, "2")), (12, (134, "3"))]
    lines = [
        {"offence": injury, "clause": "2"},
        {"offence": theft, "clause": "2"},
        {"offence": theft, "clause": "1"},
        {"offence": injury, "clause": "1"},
    ]
    assert justice_parts.offence_update(lines, stored) == [
        {"id": 11},
        {"id": 12, "offence": theft, "clause": "2", "severity": "", "intent": ""},
        {"id": 10},
        {"offence": injury, "clause": "1"},
    ]
    assert not justice_parts.offences_differ(lines[::-1], [(173, "2"), (134, "1"), (173, "1"), (134, "2")])
    assert justice_parts.offences_differ(lines[:2], [(134, "2"), (173, "2"), (173, "2")])


KEYS = st.lists(st.tuples(st.sampled_from([134, 173]), st.sampled_from(["", "1", "2"])), max_size=5)


@settings(max_examples=200, deadline=None)
@given(stored_keys=KEYS, row_keys=KEYS)
def test_offence_update_gives_the_rows_offences_and_keeps_all_it_can(stored_keys, row_keys):
    """Whatever is stored and cited: the lines saved are the row's offences; each stored line is
    used once at most; every offence cited again keeps its line; a stored line is deleted only when
    the row cites fewer offences."""
    stored = [(10 + n, key) for n, key in enumerate(stored_keys)]
    lines = [
        {"offence": Offence(pk=article, article=article), "clause": clause} for article, clause in row_keys
    ]
    given_lines = justice_parts.offence_update(lines, stored)
    by_id = dict(stored)
    saved = [
        (line["offence"].article, line["clause"]) if "offence" in line else by_id[line["id"]]
        for line in given_lines
    ]
    assert Counter(saved) == Counter(row_keys)
    ids = [line["id"] for line in given_lines if "id" in line]
    assert len(ids) == len(set(ids)) == min(len(stored), len(lines))
    kept = sum(1 for line in given_lines if set(line) == {"id"})
    assert kept == sum((Counter(stored_keys) & Counter(row_keys)).values())
    assert justice_parts.offences_differ(lines, stored_keys) == (Counter(stored_keys) != Counter(row_keys))
