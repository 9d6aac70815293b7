"""SLA due times: first answer within 24 h by default; overdue while open and unanswered, or any clock late."""
from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

import pytest

from crisisdesk.domain.sla import (SlaTargets, any_clock_overdue, first_response_due, first_response_overdue,
                                   validate_hours)

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


# --- Overdue by any clock: what the inbox filter, the widget and the dashboard count -------------------------

def _case(**clocks):
    fields = dict(status="in_progress", opened_at=OPENED, first_response_due_at=DUE, first_responded_at=None,
                  apology_due_at=None, public_replied_at=None, next_update_due_at=OPENED + timedelta(hours=72),
                  last_update_at=None, formal_complaint_at=None, statutory_due_at=None, resolved_at=None)
    return SimpleNamespace(**{**fields, **clocks})


def test_a_case_answered_in_time_is_overdue_once_its_public_apology_is_late():
    answered = _case(first_responded_at=OPENED + timedelta(hours=1), apology_due_at=OPENED + timedelta(hours=48))
    assert not any_clock_overdue(answered, OPENED + timedelta(hours=48))
    assert any_clock_overdue(answered, OPENED + timedelta(hours=48, seconds=1))
    apologised = _case(first_responded_at=OPENED + timedelta(hours=1), public_replied_at=OPENED + timedelta(hours=1),
                       apology_due_at=OPENED + timedelta(hours=48))
    assert not any_clock_overdue(apologised, OPENED + timedelta(hours=49))


def test_a_case_is_overdue_when_its_update_is_late_and_not_once_it_is_finished():
    quiet = _case(first_responded_at=OPENED + timedelta(hours=1))
    assert any_clock_overdue(quiet, OPENED + timedelta(hours=73))
    assert not any_clock_overdue(_case(status="resolved"), OPENED + timedelta(days=30))


def test_an_unanswered_formal_complaint_is_overdue_after_14_days_and_an_answer_after_filing_meets_it():
    filed = OPENED + timedelta(hours=2)
    late = filed + timedelta(days=14, seconds=1)
    unanswered = _case(first_responded_at=OPENED + timedelta(hours=1), last_update_at=OPENED + timedelta(hours=1),
                       next_update_due_at=late + timedelta(days=1), formal_complaint_at=filed,
                       statutory_due_at=filed + timedelta(days=14))
    assert any_clock_overdue(unanswered, late)
    answered = _case(**{**vars(unanswered), "last_update_at": filed + timedelta(days=1)})
    assert not any_clock_overdue(answered, late)
