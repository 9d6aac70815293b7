"""Which orders are likely to become complaints before any review arrives (issue 9, item 3; EXTRACT §11:
"transparent notices about delays", and §4.4: a late delivery is best answered before the customer asks).

An order is at risk while it still waits to be dispatched (WooCommerce's `processing`, or `on-hold`) and
- it has waited longer than the shop promised (`promised_dispatch_hours`, 48 by default), counted from its
  payment (WooCommerce's date_paid) or, without one, from its creation: `stuck_processing` / `stuck_on_hold`;
- or its customer already has an open case: someone unhappy whose next order must not go wrong too
  (`open_case_customer`), whatever its age.

An order that has a case of its own is not flagged: that complaint has already arrived.

Hours are calendar hours, weekends and holidays included, and need no time zone: the customer counts the days
they wait, not the shop's working days. A shop that promises "2 working days" sets 96 hours if it wants
Friday's orders left alone until Tuesday; a promise per weekday would need the shop's calendar, which
CrisisDesk does not know.
"""
from dataclasses import dataclass
from datetime import timedelta

from crisisdesk.domain.texts import N_

STUCK_REASONS = {"processing": "stuck_processing", "on-hold": "stuck_on_hold"}
WAITING_STATUSES = tuple(STUCK_REASONS)  # not dispatched yet: anything else means the order moved on
OPEN_CASE_CUSTOMER = "open_case_customer"
REASONS = (*STUCK_REASONS.values(), OPEN_CASE_CUSTOMER)
REASON_LABELS = {"stuck_processing": N_("Processing past the promised dispatch time"),
                 "stuck_on_hold": N_("On hold past the promised dispatch time"),
                 OPEN_CASE_CUSTOMER: N_("The customer has an open case")}
HOURS_RANGE = (1, 720)  # an hour to 30 days, as the SLA targets
DEFAULT_PROMISED_HOURS = 48


@dataclass(frozen=True)
class OrderFacts:
    status: str  # WooCommerce's order status
    waiting_since: object  # aware datetime: paid_at, else created_at; None when neither is known
    customer_has_open_case: bool
    has_own_case: bool = False


def waiting_since(paid_at, created_at):
    """From when the shop's dispatch promise counts: the payment, else the order's creation."""
    return paid_at or created_at


def stuck_before(now, promised_hours):
    """Orders waiting since before this moment have outlived the promise (the job's SQL filter)."""
    return now - timedelta(hours=promised_hours)


def risk_reason(facts, now, promised_hours):
    """Why the order is at risk now (one of REASONS), or None. A late order is named for its lateness first."""
    if facts.status not in WAITING_STATUSES or facts.has_own_case:
        return None
    if facts.waiting_since is not None and facts.waiting_since <= stuck_before(now, promised_hours):
        return STUCK_REASONS[facts.status]
    if facts.customer_has_open_case:
        return OPEN_CASE_CUSTOMER
    return None


def moved_on(status):
    """True once the order left the waiting statuses (completed, cancelled, refunded, shipped by a plugin...)."""
    return status not in WAITING_STATUSES


def hours_waited(since, now):
    """Whole hours the order has waited, for the panel (0 when the start is unknown or in the future)."""
    if since is None or since > now:
        return 0
    return int((now - since).total_seconds() // 3600)


def validate_promised_hours(value):
    """An error message for a promise that is not a whole number of hours in HOURS_RANGE, else None."""
    least, most = HOURS_RANGE
    if type(value) is not int or not least <= value <= most:  # noqa: E721 (True is an int)
        return f"must be a whole number of hours from {least} to {most}"
    return None
