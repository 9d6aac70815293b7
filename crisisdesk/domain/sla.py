"""SLA due times and overdue checks (SPEC section 2: first answer within 24 h by default)."""
from dataclasses import dataclass
from datetime import timedelta

from crisisdesk.domain.case_status import CaseStatus
from crisisdesk.domain.texts import N_


@dataclass(frozen=True)
class SlaTargets:
    first_response_hours: int = 24
    apology_hours: int = 48
    update_hours: int = 72


def first_response_due(opened_at, targets):
    """When the first answer to a case opened at `opened_at` is due."""
    return opened_at + timedelta(hours=targets.first_response_hours)


def first_response_overdue(due_at, responded_at, status, now):
    """A case is overdue while it is open, unanswered and past its due time."""
    return CaseStatus(status).is_open and responded_at is None and now > due_at


def validate_hours(name, value):
    """SLA targets are whole hours from 1 to 30 days; returns an error message or None."""
    if not isinstance(value, int) or not 1 <= value <= 720:
        return f"{name} must be a whole number of hours from 1 to 720"
    return None


# --- The other clocks (apology, updates, the statutory answer) -------------------------------------------
# Contract shared by case opening, the reply service and SLA escalation:
#   first_response  due first_response_due_at; met by the first reply of any channel (first_responded_at)
#   apology         due apology_due_at (public reviews only); met by the first public reply (public_replied_at)
#   update          due next_update_due_at while the case is open; every reply sent moves it update_hours on
#   statutory       due statutory_due_at = formal_complaint_at + 14 days; met by a reply after it, or resolution
STATUTORY_ANSWER_DAYS = 14


def opening_clocks(opened_at, targets, public):
    """The due times a new case starts with; a hand-entered complaint has no public apology to owe."""
    return {
        "first_response_due_at": first_response_due(opened_at, targets),
        "apology_due_at": opened_at + timedelta(hours=targets.apology_hours) if public else None,
        "next_update_due_at": opened_at + timedelta(hours=targets.update_hours),
    }


def clocks_after_reply(first_responded_at, public_replied_at, public, now, targets):
    """The clock fields a reply sent at `now` sets: first answers stay as first set; the update clock restarts."""
    return {
        "first_responded_at": first_responded_at or now,
        "public_replied_at": public_replied_at or (now if public else None),
        "last_update_at": now,
        "next_update_due_at": now + timedelta(hours=targets.update_hours),
    }


def statutory_due(formal_complaint_at):
    """A formal complaint (reklamacja) unanswered after 14 days counts as accepted (Polish consumer law)."""
    return formal_complaint_at + timedelta(days=STATUTORY_ANSWER_DAYS)


# --- Clock states: what is due next, for the inbox countdowns and SLA escalation ---------------------------
# A clock is "due soon" in the last quarter of its length (24 h first answer: the last 6 h; 14-day
# statutory answer: the last 3.5 days): proportional, so a short clock is not due soon from its start
# and a long one warns early enough to act. A resolved or closed case has no running clock.
CLOCKS = ("first_response", "apology", "update", "statutory")
CLOCK_LABELS = {"first_response": N_("first response"), "apology": N_("apology"), "update": N_("update"),
                "statutory": N_("statutory answer")}
DUE_SOON_FRACTION = 0.25
STAGES = ("on_track", "due_soon", "overdue")


@dataclass(frozen=True)
class ClockState:
    clock: str  # one of CLOCKS
    due_at: object  # aware datetime
    started_at: object
    met: bool
    stage: str  # "met" or one of STAGES

    @property
    def running(self):
        return not self.met


def clock_states(case, now):
    """Every clock that applies to `case`, met or not, with its stage at `now`; [] once resolved or closed.

    `case` is anything with the Case model's clock attributes (status, opened_at, first_response_due_at,
    first_responded_at, apology_due_at, public_replied_at, next_update_due_at, last_update_at,
    formal_complaint_at, statutory_due_at, resolved_at).
    """
    if not CaseStatus(case.status).is_open:
        return []
    states = [_state("first_response", case.opened_at, case.first_response_due_at,
                     case.first_responded_at is not None, now)]
    if case.apology_due_at is not None:
        states.append(_state("apology", case.opened_at, case.apology_due_at, case.public_replied_at is not None, now))
    if case.next_update_due_at is not None:
        states.append(_state("update", case.last_update_at or case.opened_at, case.next_update_due_at, False, now))
    if case.formal_complaint_at is not None and case.statutory_due_at is not None:
        answered = case.last_update_at is not None and case.last_update_at >= case.formal_complaint_at
        states.append(_state("statutory", case.formal_complaint_at, case.statutory_due_at, answered, now))
    return states


def any_clock_overdue(case, now):
    """A case is overdue while any of its clocks is unmet past its due time: the inbox filter, the widget
    and the dashboard count what the countdowns show (Case.overdue_at has the same rule in SQL)."""
    return any(state.stage == "overdue" for state in clock_states(case, now))


def nearest_running(states):
    """The unmet clock due first, or None."""
    running = [s for s in states if s.running]
    return min(running, key=lambda s: s.due_at) if running else None


def countdown_text(state, now):
    """'first response due in 3 h', 'apology overdue by 2 h', 'statutory answer met'."""
    label = CLOCK_LABELS[state.clock]
    if state.met:
        return f"{label} met"
    if state.stage == "overdue":
        return f"{label} overdue by {duration_text(now - state.due_at)}"
    return f"{label} due in {duration_text(state.due_at - now)}"


def duration_text(delta):
    """A short, rounded-down duration: '45 min', '3 h', '2 d 4 h'."""
    minutes = max(0, int(delta.total_seconds() // 60))
    if minutes < 60:
        return f"{minutes} min"
    hours = minutes // 60
    if hours < 48:
        return f"{hours} h"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h" if hours else f"{days} d"


def _state(clock, started_at, due_at, met, now):
    if met:
        stage = "met"
    elif now > due_at:  # as first_response_overdue: due at 12:00 is still on time at 12:00
        stage = "overdue"
    elif due_at - now <= (due_at - started_at) * DUE_SOON_FRACTION:
        stage = "due_soon"
    else:
        stage = "on_track"
    return ClockState(clock=clock, due_at=due_at, started_at=started_at, met=met, stage=stage)
