"""``heap.settled`` sets the objects alive at its start aside from full collections, then hands them back."""

import gc

from hoanhap.core import heap


def test_objects_alive_at_the_start_are_set_aside_until_the_outermost_block_ends():
    assert gc.get_freeze_count() == 0
    with heap.settled():
        frozen = gc.get_freeze_count()
        assert frozen > 0
        with heap.settled():
            # The inner block freezes nothing more (objects freed meanwhile leave the frozen set).
            assert gc.get_freeze_count() <= frozen
        assert gc.get_freeze_count() > frozen // 2  # the outer block still holds them
    assert gc.get_freeze_count() == 0


def test_a_heap_frozen_by_someone_else_stays_frozen():
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with heap.settled():
            pass
        # Still frozen (not handed back): only objects freed meanwhile have left the frozen set.
        assert gc.get_freeze_count() > frozen // 2
    finally:
        gc.unfreeze()


def test_a_cycle_made_inside_the_block_is_still_collected():
    class Node:
        pass

    with heap.settled():
        node = Node()
        node.self = node
        del node
        assert gc.collect() >= 1


def test_the_collector_runs_less_often_during_a_batch_and_as_before_after_it():
    before = gc.get_threshold()
    with heap.settled():
        raised = gc.get_threshold()
        with heap.settled():
            assert gc.get_threshold() == raised
        assert raised[0] >= heap.BATCH_THRESHOLDS[0] > before[0]
    assert gc.get_threshold() == before


def test_a_collector_switched_off_by_threshold_stays_off():
    before = gc.get_threshold()
    gc.set_threshold(0)
    try:
        with heap.settled():
            assert gc.get_threshold()[0] == 0
    finally:
        gc.set_threshold(*before)


def test_the_outermost_batch_hands_freed_memory_back(monkeypatch):
    calls = []
    monkeypatch.setattr(heap, "_malloc_trim", lambda: calls.append)
    with heap.settled():
        with heap.settled():
            pass
        assert calls == []
    assert calls == [0]


def test_without_malloc_trim_nothing_is_handed_back(monkeypatch):
    monkeypatch.setattr(heap, "_malloc_trim", lambda: None)
    with heap.settled():
        pass
