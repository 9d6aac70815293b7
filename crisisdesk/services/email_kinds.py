"""What each kind of customer email says, and whether it is still wanted when its time comes.

The outbox (services/outbox.py) calls these two functions for every row it sends; the follow-up
logic (services/follow_up.py) owns the kinds listed in models.outreach.EMAIL_KINDS.
"""
from dataclasses import dataclass


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str  # the plain-text part
    html: str  # the HTML part


def render(email):
    """The subject and both parts of an outbox row, in its language. Raises for an unknown kind."""
    raise NotImplementedError("filled in by the follow-up emails work")


def cancel_reason(email):
    """Why a due row must not be sent after all (opted out, case reopened, already recovered), or None."""
    raise NotImplementedError("filled in by the follow-up emails work")
