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
