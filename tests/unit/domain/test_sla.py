"""SLA due times: first answer within 24 h by default; overdue while open and unanswered."""
from datetime import datetime, timedelta, timezone

import pytest

from crisisdesk.domain.sla import SlaTargets, first_response_due, first_response_overdue, validate_hours

OPENED = datetime(2026, 11, 22, 12, 0, tzinfo=timezone.utc)
DUE = OPENED + timedelta(hours=24)


def test_it_uses_the_spec_defaults():
    assert SlaTargets() == SlaTargets(first_response_hours=24, apology_hours=48, update_hours=72)


def test_it_makes_the_first_answer_due_24_hours_after_opening():
    assert first_response_due(OPENED, SlaTargets()) == datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc)


def test_it_follows_the_shops_own_first_response_target():
    assert first_response_due(OPENED, SlaTargets(first_response_hours=4)) == OPENED + timedelta(hours=4)


def test_it_is_not_overdue_until_the_due_time_has_passed():
    assert not first_response_overdue(DUE, None, "new", DUE - timedelta(seconds=1))
    assert not first_response_overdue(DUE, None, "new", DUE)
    assert first_response_overdue(DUE, None, "new", DUE + timedelta(seconds=1))


@pytest.mark.parametrize("status", ["new", "in_progress", "waiting_for_customer"])
def test_it_is_overdue_in_every_open_status(status):
    assert first_response_overdue(DUE, None, status, DUE + timedelta(hours=1))


@pytest.mark.parametrize("status", ["resolved", "closed"])
def test_it_is_never_overdue_once_the_case_is_finished(status):
    assert not first_response_overdue(DUE, None, status, DUE + timedelta(days=30))


def test_it_is_not_overdue_once_answered_even_if_late():
    answered_late = DUE + timedelta(hours=5)
    assert not first_response_overdue(DUE, answered_late, "in_progress", DUE + timedelta(days=2))


@pytest.mark.parametrize("hours", [1, 24, 720])
def test_it_accepts_whole_hours_up_to_thirty_days(hours):
    assert validate_hours("first_response_hours", hours) is None


@pytest.mark.parametrize("hours", [0, -5, 721, 2.5, "24", None])
def test_it_rejects_other_targets_and_names_the_setting(hours):
    message = validate_hours("apology_hours", hours)
    assert message == "apology_hours must be a whole number of hours from 1 to 720"
