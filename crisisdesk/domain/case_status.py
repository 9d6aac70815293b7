"""Case statuses and which moves between them are allowed."""
import enum

from crisisdesk.domain.texts import N_


class CaseStatus(str, enum.Enum):
    NEW = "new"
    IN_PROGRESS = "in_progress"
    WAITING = "waiting_for_customer"
    RESOLVED = "resolved"
    CLOSED = "closed"

    @property
    def label(self):
        return STATUS_LABELS[self]

    @property
    def is_open(self):
        return self not in (CaseStatus.RESOLVED, CaseStatus.CLOSED)


STATUS_LABELS = {
    CaseStatus.NEW: N_("New"),
    CaseStatus.IN_PROGRESS: N_("In progress"),
    CaseStatus.WAITING: N_("Waiting for customer"),
    CaseStatus.RESOLVED: N_("Resolved"),
    CaseStatus.CLOSED: N_("Closed"),
}

# Forward along new → in progress ⇄ waiting → resolved → closed; a resolved or closed
# case may be reopened when the customer comes back (it goes to "in progress").
ALLOWED_TRANSITIONS = {
    CaseStatus.NEW: {CaseStatus.IN_PROGRESS, CaseStatus.WAITING, CaseStatus.RESOLVED, CaseStatus.CLOSED},
    CaseStatus.IN_PROGRESS: {CaseStatus.WAITING, CaseStatus.RESOLVED, CaseStatus.CLOSED},
    CaseStatus.WAITING: {CaseStatus.IN_PROGRESS, CaseStatus.RESOLVED, CaseStatus.CLOSED},
    CaseStatus.RESOLVED: {CaseStatus.CLOSED, CaseStatus.IN_PROGRESS},
    CaseStatus.CLOSED: {CaseStatus.IN_PROGRESS},
}

OPEN_STATUSES = [s.value for s in CaseStatus if s.is_open]


def can_transition(current, target):
    """True when a case in `current` may move to `target`."""
    return CaseStatus(target) in ALLOWED_TRANSITIONS[CaseStatus(current)]
