"""What an agent asks for, validated before anything is recorded (pure; the service adds the database facts)."""
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from crisisdesk.domain.compensation_policy import REMEDIES
from crisisdesk.domain.errors import Invalid

COUPON_TYPES = ("percent", "fixed_cart")
MAX_COUPON_PERCENT = 50  # a bigger "sorry" is a refund, and should go through the refund's bound and approval
MAX_COUPON_DAYS = 365


@dataclass(frozen=True)
class CompensationRequest:
    kind: str
    amount: Decimal = Decimal("0")  # refund amount, coupon percent or fixed amount
    reason: str = ""
    api_refund: bool = False
    restock: bool = False
    coupon_type: str = "percent"
    coupon_days: int = 30
    item_ids: tuple = field(default=())  # order item ids to replace (empty: all)


def parse_amount(raw, field_name="amount"):
    """A positive money amount with at most two decimals, from form text like "12,50" or "12.50"."""
    try:
        amount = Decimal(str(raw).strip().replace(",", "."))
    except (InvalidOperation, AttributeError):
        raise Invalid("enter an amount such as 12.50", field_name) from None
    if not amount.is_finite() or amount <= 0:
        raise Invalid("the amount must be more than zero", field_name)
    if amount != amount.quantize(Decimal("0.01")):
        raise Invalid("use at most two decimals", field_name)
    return amount.quantize(Decimal("0.01"))  # "20" is shown and sent as 20.00


def validate(request, order_total, refundable):
    """Check a request against the order; returns the value it gives the customer (for approval)."""
    if request.kind not in REMEDIES:
        raise Invalid(f"choose one of {', '.join(REMEDIES)}", "kind")
    if len(request.reason) > 500:
        raise Invalid("keep the reason under 500 characters", "reason")
    if request.kind == "refund":
        if request.amount <= 0:
            raise Invalid("the amount must be more than zero", "amount")
        if request.amount > refundable:
            raise Invalid(f"at most {refundable} can still be refunded on this order", "amount")
        return request.amount
    if request.kind == "coupon":
        return _coupon_value(request, order_total)
    return None  # a replacement's value is the items', which the service knows


def coupon_expiry(today, days):
    return today + timedelta(days=days)


def _coupon_value(request, order_total):
    if request.coupon_type not in COUPON_TYPES:
        raise Invalid("the code is a percent or a fixed amount", "coupon_type")
    if not 1 <= request.coupon_days <= MAX_COUPON_DAYS:
        raise Invalid(f"the code must expire in 1 to {MAX_COUPON_DAYS} days", "coupon_days")
    if request.coupon_type == "percent":
        if not (0 < request.amount <= MAX_COUPON_PERCENT and request.amount == request.amount.to_integral()):
            raise Invalid(f"a percent code is a whole number from 1 to {MAX_COUPON_PERCENT}", "amount")
        return (order_total * request.amount / 100).quantize(Decimal("0.01"))
    if not 0 < request.amount <= order_total:
        raise Invalid(f"a fixed code may be worth up to the order's total ({order_total})", "amount")
    return request.amount


def today_utc(now):
    return date(now.year, now.month, now.day)
