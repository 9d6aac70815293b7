"""SLA due times and overdue checks (SPEC section 2: first answer within 24 h by default)."""
from dataclasses import dataclass
from datetime import timedelta

from crisisdesk.domain.case_status import CaseStatus


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
