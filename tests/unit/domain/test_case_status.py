"""Case statuses: new → in progress ⇄ waiting → resolved → closed, and reopening."""
import pytest

from crisisdesk.domain.case_status import ALLOWED_TRANSITIONS, OPEN_STATUSES, CaseStatus, can_transition

ALLOWED = [
    ("new", "in_progress"), ("new", "waiting_for_customer"), ("new", "resolved"), ("new", "closed"),
    ("in_progress", "waiting_for_customer"), ("in_progress", "resolved"), ("in_progress", "closed"),
    ("waiting_for_customer", "in_progress"), ("waiting_for_customer", "resolved"),
    ("waiting_for_customer", "closed"),
    ("resolved", "closed"), ("resolved", "in_progress"),
    ("closed", "in_progress"),
]
EVERY_PAIR = [(a.value, b.value) for a in CaseStatus for b in CaseStatus]


@pytest.mark.parametrize("current, target", ALLOWED)
def test_it_allows_the_documented_moves(current, target):
    assert can_transition(current, target)


@pytest.mark.parametrize("current, target", sorted(set(EVERY_PAIR) - set(ALLOWED)))
def test_it_forbids_every_other_move(current, target):
    assert not can_transition(current, target)


@pytest.mark.parametrize("current", ["in_progress", "waiting_for_customer", "resolved", "closed"])
def test_it_never_sends_a_case_back_to_new(current):
    assert not can_transition(current, "new")


def test_it_reopens_resolved_and_closed_cases_into_in_progress_only():
    assert can_transition(CaseStatus.RESOLVED, CaseStatus.IN_PROGRESS)
    assert can_transition(CaseStatus.CLOSED, CaseStatus.IN_PROGRESS)
    assert not can_transition(CaseStatus.CLOSED, CaseStatus.RESOLVED)
    assert not can_transition(CaseStatus.CLOSED, CaseStatus.WAITING)


def test_it_has_a_rule_for_every_status():
    assert set(ALLOWED_TRANSITIONS) == set(CaseStatus)


def test_it_rejects_an_unknown_status():
    with pytest.raises(ValueError):
        can_transition("new", "deleted")
    with pytest.raises(ValueError):
        can_transition("archived", "closed")


def test_it_counts_only_resolved_and_closed_as_finished():
    assert OPEN_STATUSES == ["new", "in_progress", "waiting_for_customer"]
    assert [s for s in CaseStatus if not s.is_open] == [CaseStatus.RESOLVED, CaseStatus.CLOSED]


def test_it_labels_every_status_for_people():
    assert [s.label for s in CaseStatus] == ["New", "In progress", "Waiting for customer", "Resolved", "Closed"]


def test_it_compares_equal_to_the_stored_string():
    assert CaseStatus("waiting_for_customer") is CaseStatus.WAITING
    assert CaseStatus.WAITING == "waiting_for_customer"
