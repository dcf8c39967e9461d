"""The undo list's bookkeeping: rows created together are noted as runs of ids, and a row noted in
a run counts as noted (a later change to it is not listed again: the undo deletes it anyway)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from hoanhap.imports import capture


@given(st.lists(st.integers(1, 60), unique=True))
def test_runs_of_ids_give_back_every_id_in_order_each_run_as_long_as_it_can_be(pks):
    runs = capture.runs_of(pks)
    assert [pk for run in runs for pk in run] == pks
    assert all(len(run) > 0 for run in runs)
    # A run ends only where the next id does not follow.
    assert all(left[-1] + 1 != right.start for left, right in zip(runs, runs[1:], strict=False))


def test_rows_created_in_runs_are_noted_and_taken_in_the_order_they_were_written():
    captured = capture.Captured()
    captured.note_created(("access.organisation", "7"), "Trại giam Mới Lập")
    captured.note_created_run("people.person", [10, 11, 12, 20])
    assert captured.noted(("people.person", "11"))
    assert captured.noted(("people.person", "20"))
    assert not captured.noted(("people.person", "13"))
    assert not captured.noted(("people.person", "abc"))
    assert captured.noted(("access.organisation", "7"))
    created, _updated, _deleted = captured.take()
    assert list(created.items()) == [
        (("access.organisation", "7"), "Trại giam Mới Lập"),
        (("people.person", "10"), range(10, 13)),
        (("people.person", "20"), range(20, 21)),
    ]
    assert captured.noted(("people.person", "12"))  # taken, but still known as noted
