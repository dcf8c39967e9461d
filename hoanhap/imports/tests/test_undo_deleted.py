"""The undo brings back the rows an import deleted: with their keys and values, a parent before its
children, audited as the undo's; it is refused when a row was stored again under a deleted row's key
or a row it pointed at is gone. A plain import's undo list is as before."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.db.models.signals import pre_delete

from hoanhap.audit import context
from hoanhap.audit import selectors as audit_selectors
from hoanhap.audit.models import AuditEvent
from hoanhap.imports import applying, capture, services, undoing
from hoanhap.imports.models import AppliedChange, StagedRow
from hoanhap.justice.models import Judgment, JudgmentOffence, Release

from .test_reimport_offences import ROWS, _apply, imported, officer  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db

NAME = "Nguyễn Văn An"
KEPT = {"updated_at", "version"}  # the undo's own save stamps these


def _stored(model, pk) -> dict:
    row = model._base_manager.get(pk=pk)
    return {k: v for k, v in capture.whole(row).items() if k not in KEPT}


def _within(batch, write) -> None:
    """``write()`` as if the import ``batch`` had done it: captured into its undo list, audited
    under its tag, before its audit mark."""
    with capture.capturing() as captured, applying.tagged(batch.tag, None):
        write()
        applying._record_changes(batch, captured)
    type(batch).objects.filter(pk=batch.pk).update(audit_mark=audit_selectors.last_event_id())
    batch.refresh_from_db()


@pytest.fixture
def batch(tmp_path, officer, imported):  # noqa: F811
    """An applied import of the same three people again (nothing written): the deletes are added."""
    batch, _preview, counts = _apply(officer, tmp_path / "again.xlsx", rows=ROWS)
    assert counts == (0, 0, 3, 0)
    return batch


def _undo(batch, officer):  # noqa: F811
    with context.acting(user=officer, source=context.SOURCE_WEB):
        return services.batch_undo(batch, actor=officer)


def test_the_undo_brings_back_a_deleted_judgment_and_its_lines(batch, officer):  # noqa: F811
    judgment = Judgment.objects.get(person__full_name=NAME)
    lines = list(judgment.offences.order_by("pk").values_list("pk", flat=True))
    before = {"judgment": _stored(Judgment, judgment.pk)} | {pk: _stored(JudgmentOffence, pk) for pk in lines}
    releases = list(judgment.releases.values_list("pk", flat=True))
    assert releases  # a custodial judgment with its release: deleted first, brought back after it
    before |= {("release", pk): _stored(Release, pk) for pk in releases}

    def write():
        judgment.releases.all().delete()
        Judgment.objects.get(pk=judgment.pk).delete()

    _within(batch, write)
    changes = list(batch.changes.filter(change=AppliedChange.Change.DELETED).order_by("pk"))
    keys = [(c.model, c.object_pk) for c in changes]
    assert keys.index(("justice.judgment", str(judgment.pk))) > max(
        keys.index(("justice.judgmentoffence", str(pk))) for pk in lines
    )  # noted child first: the undo, newest first, brings back the parent first
    assert not Judgment.objects.filter(pk=judgment.pk).exists()
    mark = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
    _undo(batch, officer)
    after = {"judgment": _stored(Judgment, judgment.pk)} | {pk: _stored(JudgmentOffence, pk) for pk in lines}
    after |= {("release", pk): _stored(Release, pk) for pk in releases}
    assert after == before  # same keys, same values, created_at included
    assert Judgment.objects.get(pk=judgment.pk).version == judgment.version + 1
    created = AuditEvent.objects.filter(pk__gt=mark, action__endswith=".created")
    assert {(e.target_type, e.target_id) for e in created} == {(label, str(pk)) for label, pk in keys}
    assert all(f"undo {batch.tag}" in str(e.data) for e in created)


def test_a_row_changed_then_deleted_comes_back_as_before_the_import(batch, officer):  # noqa: F811
    line = JudgmentOffence.objects.filter(judgment__person__full_name=NAME).first()
    pk, before = line.pk, _stored(JudgmentOffence, line.pk)

    def write():
        line.clause = "3"
        line.save()
        line.delete()

    _within(batch, write)
    _undo(batch, officer)
    assert _stored(JudgmentOffence, pk) == before


def test_a_row_created_then_deleted_stays_gone(batch, officer):  # noqa: F811
    judgment = Judgment.objects.get(person__full_name=NAME)
    first = judgment.offences.first()
    made = []

    def write():
        line = JudgmentOffence.objects.create(judgment=judgment, offence=first.offence, clause="3")
        made.append(line.pk)
        line.delete()

    _within(batch, write)
    _undo(batch, officer)
    assert not JudgmentOffence.objects.filter(pk=made[0]).exists()
    assert JudgmentOffence.objects.filter(pk=first.pk).exists()


def test_the_undo_is_refused_when_a_row_is_stored_again_under_the_key(batch, officer):  # noqa: F811
    line = JudgmentOffence.objects.filter(judgment__person__full_name=NAME).first()
    pk, text, values = line.pk, str(line), _stored(JudgmentOffence, line.pk)
    _within(batch, line.delete)
    again = JudgmentOffence(pk=pk)
    capture.restore(again, values)
    again.save(force_insert=True)
    with pytest.raises(undoing.UndoRefused) as refused:
        _undo(batch, officer)
    assert any(text in record for record in refused.value.records)
    batch.refresh_from_db()
    assert batch.status == batch.Status.APPLIED


def test_the_undo_is_refused_when_a_deleted_rows_parent_is_gone(batch, officer):  # noqa: F811
    line = JudgmentOffence.objects.filter(judgment__person__full_name=NAME).first()
    pk, judgment = line.pk, line.judgment
    _within(batch, line.delete)
    judgment.releases.all().delete()  # by someone else, after the import
    judgment.delete()
    with pytest.raises(undoing.UndoRefused):
        _undo(batch, officer)
    assert not JudgmentOffence.objects.filter(pk=pk).exists()


def test_only_the_watched_models_lose_fast_deletes():
    """The receiver is connected to each domain model, not to every sender: the import's own
    tables (100,000s of staged rows) are still deleted without loading them."""
    assert pre_delete.has_listeners(JudgmentOffence)
    assert not pre_delete.has_listeners(StagedRow)
    assert not pre_delete.has_listeners(AuditEvent)


def test_a_plain_import_has_the_same_undo_list_without_the_delete_receiver(tmp_path, officer):  # noqa: F811
    """Nothing deleted: no deleted row listed, and the list is the one made without the receiver."""

    def undo_list(name: str) -> list[tuple]:
        batch, _preview, counts = _apply(officer, tmp_path / name, rows=ROWS)
        assert counts == (3, 0, 0, 0)
        return list(batch.changes.order_by("pk").values_list("model", "change", "object_repr"))

    models = capture.watched_models()
    with transaction.atomic():
        for model in models:
            pre_delete.disconnect(
                capture.before_delete,
                sender=model,
                dispatch_uid=f"imports_capture_pre_delete:{model._meta.label_lower}",
            )
        try:
            without = undo_list("without.xlsx")
        finally:
            for model in models:
                pre_delete.connect(
                    capture.before_delete,
                    sender=model,
                    dispatch_uid=f"imports_capture_pre_delete:{model._meta.label_lower}",
                )
        transaction.set_rollback(True)
    with_receiver = undo_list("with.xlsx")
    assert with_receiver == without
    assert {change for _model, change, _text in with_receiver} == {AppliedChange.Change.CREATED}
