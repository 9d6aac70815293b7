"""Post-purchase review requests (issue 10, item 6; seeds, EXTRACT §8.2 and §10.2): pure rules.

Who is asked and when: a shop that switched the requests on asks the buyer of an ordinary completed
order, once, `days` after the completion, for an honest review of what they bought. Only orders
completed since the setting was (last) switched on count, so switching it on never mails the
shop's whole order history. Nobody is asked who has an open case (they are in the middle of a
complaint: asking for a review then is tone-deaf) or a follow-up email still to come after one, who
unsubscribed or whose address bounced, whose data was erased, whose order was refunded or
cancelled, or who already reviewed what they bought.

Never buy a rating (SPEC section 2): a request offers nothing, for any rating, and does not hint
that only good reviews are wanted. No rule here looks at what the customer might write.

The scheduler (services/review_requests.py) finds the candidate orders with one SQL query that
mirrors these rules and confirms each with `skip_reason`; when the request falls due, the outbox
asks `cancel_reason` again, since a case may have opened or the order been refunded meanwhile.
"""
from dataclasses import dataclass
from datetime import datetime, timedelta

from crisisdesk.domain.personal_data import ERASED_EMAIL_DOMAIN

KIND = "review_request"
COMPLETED = "completed"  # WooCommerce's status of an order that was delivered (or handed over) and paid
DEFAULT_DAYS = 7
DAYS_RANGE = (1, 60)  # the shop setting's bounds: at least a day to unpack, at most two months
# A request whose due time passed while no scheduler ran (or whose order event came late) still goes
# out, at once, up to this long after its time; later than that the purchase is no longer fresh.
LATE_GRACE = timedelta(days=3)
LIVE_STATUSES = ("scheduled", "sending", "sent")  # a request that went, or will go, out
MAX_PRODUCTS = 5  # products named in one email; a large order is asked about its first few
ORDER_GONE = "the order no longer exists"  # why a request whose order was deleted is not sent
TURNED_OFF = "the shop turned review requests off"


def idempotency_key(order_id):
    """One request per order, ever: the outbox row's key (the order's id in CrisisDesk)."""
    return f"order:{order_id}:{KIND}"


def due_at(completed_at, days):
    """When the request is due: `days` after the order was completed (the outbox then avoids quiet hours)."""
    return completed_at + timedelta(days=days)


def validate_days(days):
    """The setting's days as an int within DAYS_RANGE; ValueError otherwise (True is not a number of days)."""
    least, most = DAYS_RANGE
    if type(days) is not int or not least <= days <= most:  # noqa: E721
        raise ValueError(f"must be a whole number from {least} to {most}")
    return days


@dataclass(frozen=True)
class OrderFacts:
    """What is true of one completed order and its buyer, gathered by the caller from the database."""

    enabled: bool  # the shop's setting, now
    enabled_at: datetime | None  # when it was last switched on
    days: int
    status: str
    completed_at: datetime | None
    refunded: bool  # any refund, even a partial one: something went wrong with this order
    email: str  # the billing address now ("" when none, or after erasure)
    open_case: bool  # the buyer has a case that is not resolved or closed
    follow_up_pending: bool  # a follow-up email after a resolved case is still to go to the buyer
    suppressed: bool  # the address unsubscribed, or the mail server refused it for good
    products: int  # distinct products in the order (lines of deleted products have none)
    unreviewed_products: int  # of those, the ones the buyer has not reviewed yet
    order_reviewed: bool  # a review names this order (WooCommerce 10.8+ `_review_order_id`)
    now: datetime
    # Only for scheduling:
    already_requested: bool = False  # this order has its request row (whatever became of it)
    # The latest live request to the same buyer for another order, and when it is (or was) due.
    other_request_due_at: datetime | None = None


def cancel_reason(facts):
    """Why a due request must not go out (any more), or None to send it (an order that is gone: ORDER_GONE)."""
    if not facts.enabled:
        return TURNED_OFF
    if facts.status != COMPLETED:  # refunded, cancelled, back in processing (WooCommerce then clears its date)
        return f"the order is now {facts.status}"
    if facts.completed_at is None or facts.enabled_at is None or facts.completed_at < facts.enabled_at:
        return "the order was completed before review requests were switched on"
    if facts.refunded:
        return "the order was refunded"
    email = facts.email.strip().lower()
    if not email or email.endswith("@" + ERASED_EMAIL_DOMAIN):
        return "the customer's address was erased"
    if facts.suppressed:
        return "the address asked for no more emails"
    if facts.open_case:
        return "the customer has an open case"
    if facts.follow_up_pending:  # that email already invites a review update: one request at a time
        return "the customer is waiting for a follow-up email"
    if facts.products == 0:
        return "the order has no product to review"
    if facts.order_reviewed or facts.unreviewed_products == 0:
        return "the customer already reviewed what they bought"
    return None


def skip_reason(facts):
    """Why no request is scheduled for this order (now), or None to schedule it."""
    if facts.already_requested:
        return "this order already has its review request"
    reason = cancel_reason(facts)
    if reason:
        return reason
    if due_at(facts.completed_at, facts.days) + LATE_GRACE < facts.now:
        return "the order was completed too long ago"
    # At most one request per buyer per `days`: a repeat order is not asked about while another request
    # to the same buyer went out, or is due, after this order was completed, i.e. less than `days` before
    # this order's own request would be due (and, for an order that arrived late, any later request).
    # The SQL of the scheduler compares the same two moments.
    other = facts.other_request_due_at
    if other is not None and other > facts.completed_at:
        return "the customer already gets a review request for another order"
    return None


def product_review_url(permalink, shop_url):
    """Where to write the review: the product's page at its reviews tab (WooCommerce's own rating link
    points at `#reviews`), or the shop's address when the product's page is not known here."""
    base = (permalink or "").strip()
    if base.lower().startswith(("https://", "http://")):
        return base.split("#")[0] + "#reviews"
    return shop_url
