"""One customer's records as WordPress personal-data exporter items (`wp_privacy_personal_data_exporters`).

Each item is `{"group_id", "group_label", "item_id", "data": [{"name", "value"}]}`, which the
bridge's exporter callback can return as its `data` unchanged. Values are strings; empty ones are
left out, as WordPress would print them as blank rows.
"""
from datetime import date, datetime
from decimal import Decimal

from crisisdesk.domain.case_status import CaseStatus
from crisisdesk.domain.causes import CAUSES
from crisisdesk.domain.personal_data import format_address
from crisisdesk.domain.remedies import KIND_LABELS as REMEDY_LABELS
from crisisdesk.domain.review_flags import FLAG_REASONS

GROUPS = {
    "customer": ("crisisdesk-customer", "CrisisDesk customer"),
    "order": ("crisisdesk-orders", "CrisisDesk orders"),
    "review": ("crisisdesk-reviews", "CrisisDesk reviews"),
    "case": ("crisisdesk-cases", "CrisisDesk cases"),
    "compensation": ("crisisdesk-compensations", "CrisisDesk compensations"),
}
KIND_LABELS = {"refund": "Refund", "replacement": "Replacement order", "coupon": "Discount code"}


def customer_item(customer):
    return _item("customer", customer.id, [
        ("Email", customer.email), ("First name", customer.first_name), ("Last name", customer.last_name),
        ("Language", customer.language), ("First seen", customer.created_at)])


def order_item(order, latest_data):
    """`latest_data` is the order as last sent by the bridge (billing and shipping addresses live only there)."""
    billing = latest_data.get("billing") if isinstance(latest_data.get("billing"), dict) else {}
    shipping = latest_data.get("shipping") if isinstance(latest_data.get("shipping"), dict) else {}
    return _item("order", order.id, [
        ("Order number", order.number), ("Status", order.status), ("Created", order.created_at),
        ("Completed", order.completed_at), ("Total", f"{order.total} {order.currency}".strip()),
        ("Payment method", order.payment_method_title), ("Billing name", order.billing_name),
        ("Billing email", order.billing_email), ("Billing phone", billing.get("phone")),
        ("Billing address", format_address(billing)),
        ("Shipping name", " ".join(p for p in (shipping.get("first_name"), shipping.get("last_name")) if p)),
        ("Shipping phone", shipping.get("phone")), ("Shipping address", format_address(shipping)),
        ("Items", "; ".join(f"{i.name} × {i.quantity}" for i in order.items)),
        ("Refunded", f"{order.refunded_total} {order.currency}" if order.refunds else None)])


def review_item(review, flags=()):
    """The review with its versions, the shop's public answer and the agents' unfair-review flags on it."""
    pairs = [("Product", review.product.name if review.product else review.remote_product_id),
             ("Rating", review.rating or "no rating"), ("Review", review.text), ("Status", review.status),
             ("Written", review.created_at), ("Reviewer name", review.reviewer_name),
             ("Reviewer email", review.reviewer_email), ("Verified owner", "yes" if review.verified else "no")]
    pairs += [(f"Version {n} ({_text(r.recorded_at)})", f"{r.rating}★, {r.status}: {r.text}")
              for n, r in enumerate(review.revisions, 1)]
    if review.answer is not None:
        pairs.append(("Shop's public answer", review.answer.content))
    for n, flag in enumerate(flags, 1):
        said = [FLAG_REASONS.get(flag.reason, flag.reason), flag.explanation]
        if flag.removal_requested_at:
            said.append(f"removal asked of {flag.removal_request_channel} on {_text(flag.removal_requested_at)}: "
                        f"{flag.removal_request_text or ''} ({flag.removal_outcome})")
        pairs.append((f"Flagged as unfair {n} ({_text(flag.flagged_at)})", "; ".join(p for p in said if p)))
    return _item("review", review.id, pairs)


def case_item(case):
    pairs = [("Status", case.status), ("Status label", CaseStatus(case.status).label),
             ("Cause", CAUSES.get(case.cause, case.cause) if case.cause else None), ("Channel", case.channel),
             ("Complaint", case.summary), ("Opened", case.opened_at), ("First answered", case.first_responded_at),
             ("Resolved", case.resolved_at), ("Closed", case.closed_at)]
    pairs += [(f"Timeline {n} ({_text(e.at)})", e.message) for n, e in enumerate(case.events, 1)]
    # What the shop said to them, and what it fixed for them (remedies without money: domain/remedies.py).
    pairs += [(f"Reply {n} ({r.channel}, {r.status})", r.content) for n, r in enumerate(case.replies, 1)]
    pairs += [(f"Fixed {n} ({REMEDY_LABELS.get(r.kind, r.kind)}, {r.status})", r.description)
              for n, r in enumerate(case.remedies, 1)]
    return _item("case", case.id, pairs)


def compensation_item(compensation):
    percent = compensation.kind == "coupon" and compensation.coupon_type == "percent"
    amount = f"{compensation.amount:.0f}%" if percent else f"{compensation.amount} {compensation.currency}"
    return _item("compensation", compensation.id, [
        ("Kind", KIND_LABELS.get(compensation.kind, compensation.kind)), ("State", compensation.state),
        ("Amount", amount.strip()), ("Value", f"{compensation.value} {compensation.currency}".strip()),
        ("Coupon code", compensation.coupon_code), ("Coupon valid until", compensation.coupon_expires_on),
        ("Case", f"case-{compensation.case_id}" if compensation.case_id else None),
        ("Order", f"order-{compensation.order_id}"), ("Requested", compensation.created_at),
        ("Finished", compensation.finished_at)])


def _item(group, row_id, pairs):
    group_id, label = GROUPS[group]
    data = [{"name": name, "value": _text(value)} for name, value in pairs if value not in (None, "")]
    return {"group_id": group_id, "group_label": label, "item_id": f"{group}-{row_id}", "data": data}


def _text(value):
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds").replace("+00:00", "Z")
    if isinstance(value, (date, Decimal, int)):
        return str(value)
    return value
