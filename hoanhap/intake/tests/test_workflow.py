"""The transition table of the management lifecycle (pure: no database needed for the table itself)."""

import pytest

from hoanhap.intake import workflow as wf

ALLOWED = {
    ("notice_receive", wf.IN_PRISON): wf.NOTIFIED,
    ("notice_receive", wf.NOTIFIED): wf.NOTIFIED,
    ("notice_receive", wf.ENDED): wf.NOTIFIED,
    ("notice_verify", wf.NOTIFIED): wf.NOTIFIED,
    ("notice_verify", wf.RELEASED): wf.RELEASED,
    ("release_confirm", wf.IN_PRISON): wf.RELEASED,
    ("release_confirm", wf.NOTIFIED): wf.RELEASED,
    ("reception_record", wf.RELEASED): wf.RECEIVED,
    ("management_enter", wf.RECEIVED): wf.IN_MANAGEMENT,
    ("classify", wf.IN_MANAGEMENT): wf.IN_MANAGEMENT,
    ("transfer_send", wf.RECEIVED): wf.RECEIVED,
    ("transfer_send", wf.IN_MANAGEMENT): wf.IN_MANAGEMENT,
    ("transfer_confirm", wf.RECEIVED): wf.RECEIVED,
    ("transfer_confirm", wf.IN_MANAGEMENT): wf.IN_MANAGEMENT,
    ("transfer_return", wf.RECEIVED): wf.RECEIVED,
    ("transfer_return", wf.IN_MANAGEMENT): wf.IN_MANAGEMENT,
    ("transfer_return", wf.WHEREABOUTS_UNKNOWN): wf.WHEREABOUTS_UNKNOWN,
    ("whereabouts_unknown", wf.RELEASED): wf.WHEREABOUTS_UNKNOWN,
    ("whereabouts_unknown", wf.RECEIVED): wf.WHEREABOUTS_UNKNOWN,
    ("whereabouts_unknown", wf.IN_MANAGEMENT): wf.WHEREABOUTS_UNKNOWN,
    ("management_end", wf.RELEASED): wf.ENDED,
    ("management_end", wf.RECEIVED): wf.ENDED,
    ("management_end", wf.IN_MANAGEMENT): wf.ENDED,
    ("management_end", wf.WHEREABOUTS_UNKNOWN): wf.ENDED,
}


def test_table_lists_exactly_the_expected_steps_and_sources():
    """Every (step, status) pair the table allows is one of the expected ones, and vice versa
    (found is checked separately: its target depends on the status before going missing)."""
    allowed = {
        (code, status) for code, step in wf.TRANSITIONS.items() for status in step.sources if code != "found"
    }
    assert allowed == set(ALLOWED)


@pytest.mark.parametrize(("key", "target"), sorted(ALLOWED.items()))
def test_every_allowed_transition(key, target):
    step, status = key
    assert wf.is_allowed(step, status)
    assert wf.ensure_allowed(step, status) == target


@pytest.mark.parametrize("previous", [wf.RELEASED, wf.RECEIVED, wf.IN_MANAGEMENT])
def test_found_returns_to_the_status_before_going_missing(previous):
    assert wf.ensure_allowed("found", wf.WHEREABOUTS_UNKNOWN, previous=previous) == previous


def test_found_without_a_known_previous_status_returns_to_management():
    assert wf.ensure_allowed("found", wf.WHEREABOUTS_UNKNOWN, previous=None) == wf.IN_MANAGEMENT
    assert wf.ensure_allowed("found", wf.WHEREABOUTS_UNKNOWN, previous=wf.ENDED) == wf.IN_MANAGEMENT


REFUSED = [
    ("reception_record", wf.IN_PRISON),
    ("reception_record", wf.NOTIFIED),
    ("reception_record", wf.IN_MANAGEMENT),
    ("management_enter", wf.RELEASED),
    ("management_enter", wf.NOTIFIED),
    ("classify", wf.RECEIVED),
    ("classify", wf.ENDED),
    ("release_confirm", wf.RELEASED),
    ("release_confirm", wf.IN_MANAGEMENT),
    ("notice_receive", wf.IN_MANAGEMENT),
    ("notice_receive", wf.RELEASED),
    ("transfer_send", wf.NOTIFIED),
    ("transfer_send", wf.ENDED),
    ("found", wf.IN_MANAGEMENT),
    ("management_end", wf.ENDED),
    ("management_end", wf.NOTIFIED),
    ("whereabouts_unknown", wf.ENDED),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("step", "status"), REFUSED)
def test_refused_transitions_raise_a_translated_error(step, status):
    """A refused step says which step and which status, in words."""
    assert not wf.is_allowed(step, status)
    with pytest.raises(wf.TransitionNotAllowed) as excinfo:
        wf.ensure_allowed(step, status)
    message = excinfo.value.messages[0]
    assert str(wf.TRANSITIONS[step].label) in message
    assert wf.status_label(status) in message
    assert excinfo.value.code == "transition"


def test_allowed_steps_follow_table_order():
    assert wf.allowed_steps(wf.IN_MANAGEMENT) == [
        "classify",
        "transfer_send",
        "transfer_confirm",
        "transfer_return",
        "whereabouts_unknown",
        "management_end",
    ]
    assert wf.allowed_steps(wf.ENDED) == ["notice_receive"]


def test_edges_cover_the_main_path():
    """The status graph contains the path of legal brief §9 and the return of a re-imprisoned person."""
    path = [wf.IN_PRISON, wf.NOTIFIED, wf.RELEASED, wf.RECEIVED, wf.IN_MANAGEMENT, wf.ENDED]
    edges = wf.edges()
    for a, b in zip(path, path[1:], strict=False):
        assert (a, b) in edges
    assert (wf.ENDED, wf.NOTIFIED) in edges
    assert (wf.WHEREABOUTS_UNKNOWN, wf.IN_MANAGEMENT) in edges
    assert all(a in wf.STATUSES and b in wf.STATUSES for a, b in edges)
