"""Compensation rules: which remedy fits, how much may still be refunded, what needs a second person.

The default suggestions come from the seed articles (EXTRACT.md §8): damaged, defective
or wrong items → a replacement (or a refund for expensive orders); late delivery → a
goodwill discount code; a disputed charge → a partial refund; poor service → a code.
"""
from dataclasses import dataclass
from decimal import Decimal

REMEDIES = ("refund", "replacement", "coupon")
PENDING_STATES = ("awaiting_approval", "approved", "executing", "unknown")


@dataclass(frozen=True)
class PolicyRule:
    cause: str
    min_order_value: Decimal
    remedy: str
    percent: int  # refund share of the order, or the coupon's percent
    note: str


DEFAULT_POLICY = (
    PolicyRule("damaged_or_defective", Decimal("0"), "replacement", 0, "Send a new one; the customer keeps nothing broken."),
    PolicyRule("damaged_or_defective", Decimal("500"), "refund", 100, "Expensive order: offer the money back."),
    PolicyRule("wrong_or_missing_item", Decimal("0"), "replacement", 0, "Ship the right or missing item."),
    PolicyRule("late_delivery", Decimal("0"), "coupon", 10, "A goodwill code for the wait."),
    PolicyRule("late_delivery", Decimal("300"), "coupon", 15, "A larger goodwill code for a large order."),
    PolicyRule("price_or_hidden_fees", Decimal("0"), "refund", 10, "Refund the disputed charge (partial)."),
    PolicyRule("refund_or_payment", Decimal("0"), "refund", 100, "Complete the refund the customer is owed."),
    PolicyRule("customer_service", Decimal("0"), "coupon", 10, "Apologise for the service with a code."),
    PolicyRule("security_or_fraud", Decimal("0"), "coupon", 15, "Support first; a code as an apology."),
    PolicyRule("other", Decimal("0"), "coupon", 10, "A goodwill code."),
)


@dataclass(frozen=True)
class Suggestion:
    remedy: str
    amount: Decimal  # refund amount, or coupon percent
    rule: PolicyRule


def suggest(cause, order_value, rules=DEFAULT_POLICY):
    """The rule for `cause` with the highest minimum order value not above `order_value`, or None."""
    fitting = [r for r in rules if r.cause == cause and r.min_order_value <= order_value]
    if not fitting:
        return None
    rule = max(fitting, key=lambda r: r.min_order_value)
    if rule.remedy == "refund":
        amount = (order_value * rule.percent / 100).quantize(Decimal("0.01"))
    else:
        amount = Decimal(rule.percent)
    return Suggestion(remedy=rule.remedy, amount=amount, rule=rule)


@dataclass(frozen=True)
class RefundLedger:
    """What the shop has refunded (WooCommerce) and what CrisisDesk has in flight for one order."""

    order_total: Decimal
    woo_refunds: tuple  # (remote_id, amount) as WooCommerce lists them on the order
    ours: tuple  # (state, amount, remote_id) of CrisisDesk refund compensations


def refundable_remaining(ledger):
    """The most that may still be refunded: total − WooCommerce's refunds − ours not yet seen there.

    Pending and unknown-outcome refunds count as spent: an unknown outcome may have paid,
    so paying again before it is resolved could pay twice.
    """
    seen = {remote_id for remote_id, _ in ledger.woo_refunds}
    spent = sum((amount for _, amount in ledger.woo_refunds), Decimal("0"))
    for state, amount, remote_id in ledger.ours:
        if state in PENDING_STATES or (state == "succeeded" and remote_id not in seen):
            spent += amount
    return max(Decimal("0"), ledger.order_total - spent).quantize(Decimal("0.01"))


def needs_second_approval(amount, threshold):
    """Amounts above the shop's threshold wait for an owner other than the requester (threshold None: never)."""
    return threshold is not None and amount > threshold
