"""domain.sla.clock_states: which clocks run, their stages, and the countdown text."""
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone

from crisisdesk.domain.sla import (SlaTargets, clock_states, countdown_text, duration_text, nearest_running,
                                   opening_clocks, statutory_due)

OPENED = datetime(2026, 11, 22, 12, 0, tzinfo=timezone.utc)


@dataclass(frozen=True)
class FakeCase:
    status: str = "new"
    opened_at: datetime = OPENED
    first_response_due_at: datetime = None
    first_responded_at: datetime = None
    apology_due_at: datetime = None
    public_replied_at: datetime = None
    next_update_due_at: datetime = None
    last_update_at: datetime = None
    formal_complaint_at: datetime = None
    statutory_due_at: datetime = None
    resolved_at: datetime = None


def opened(public=True):
    return FakeCase(**opening_clocks(OPENED, SlaTargets(), public))


def stages(case, now):
    return {s.clock: s.stage for s in clock_states(case, now)}


def test_a_new_public_case_runs_first_response_apology_and_update_clocks():
    assert stages(opened(), OPENED) == {"first_response": "on_track", "apology": "on_track", "update": "on_track"}
    assert "apology" not in stages(opened(public=False), OPENED)


def test_a_clock_is_due_soon_in_its_last_quarter_and_overdue_after_its_due_time():
    case = opened()
    assert stages(case, OPENED + timedelta(hours=17, minutes=59))["first_response"] == "on_track"
    assert stages(case, OPENED + timedelta(hours=18))["first_response"] == "due_soon"
    assert stages(case, OPENED + timedelta(hours=24))["first_response"] == "due_soon"
    assert stages(case, OPENED + timedelta(hours=24, minutes=1))["first_response"] == "overdue"


def test_answers_meet_the_first_response_and_apology_clocks():
    case = replace(opened(), first_responded_at=OPENED + timedelta(hours=1),
                   public_replied_at=OPENED + timedelta(hours=2))
    later = OPENED + timedelta(hours=60)
    assert stages(case, later) == {"first_response": "met", "apology": "met", "update": "due_soon"}


def test_the_statutory_clock_runs_from_a_formal_complaint_until_a_reply_after_it():
    filed = OPENED + timedelta(days=1)
    case = replace(opened(), formal_complaint_at=filed, statutory_due_at=statutory_due(filed),
                   last_update_at=OPENED + timedelta(hours=2), next_update_due_at=OPENED + timedelta(days=20))
    assert stages(case, filed + timedelta(days=11))["statutory"] == "due_soon"
    assert stages(case, filed + timedelta(days=15))["statutory"] == "overdue"
    answered = replace(case, last_update_at=filed + timedelta(days=3))
    assert stages(answered, filed + timedelta(days=15))["statutory"] == "met"


def test_a_resolved_or_closed_case_has_no_running_clock():
    for status in ("resolved", "closed"):
        assert clock_states(replace(opened(), status=status), OPENED + timedelta(days=30)) == []


def test_the_nearest_unmet_clock_and_its_countdown():
    case = replace(opened(), first_responded_at=OPENED + timedelta(hours=1))
    now = OPENED + timedelta(hours=45)
    nearest = nearest_running(clock_states(case, now))
    assert nearest.clock == "apology"
    assert countdown_text(nearest, now) == "apology due in 3 h"
    late = OPENED + timedelta(hours=50)
    assert countdown_text(nearest_running(clock_states(case, late)), late) == "apology overdue by 2 h"
    fresh = opened()
    assert countdown_text(nearest_running(clock_states(fresh, OPENED + timedelta(hours=21))),
                          OPENED + timedelta(hours=21)) == "first response due in 3 h"


def test_durations_are_short_and_rounded_down():
    assert [duration_text(timedelta(minutes=m)) for m in (0, 59, 60, 47 * 60 + 59, 50 * 60, 72 * 60)] == \
        ["0 min", "59 min", "1 h", "47 h", "2 d 2 h", "3 d"]
