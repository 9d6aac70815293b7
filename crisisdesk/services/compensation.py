"""Ask for a compensation, approve or reject it. Money rules live in domain/compensation_*.

Safety, in order: the idempotency key makes a double click or a browser retry return the
first request; the order row is locked (an UPDATE of its lock_version) while the refundable
amount is computed and the request recorded, so two agents at once cannot both spend the
same money; amounts above the shop's threshold wait for a second person with the owner role.
WooCommerce is called only later, by a job (services/compensation_execution.py).

A goodwill code sent with a delay notice (services/delay_notices.py) takes the same path without a case:
`request_goodwill_code` records a coupon for the order itself, bounded by the coupon rules and by the shop's
approval threshold (the notice is one action, so there is nobody to wait for).
"""
import secrets
from dataclasses import dataclass, replace
from decimal import Decimal

from sqlalchemy import text, update
from sqlalchemy.exc import IntegrityError

from crisisdesk import clock
from crisisdesk.domain import compensation_policy as policy
from crisisdesk.domain.compensation_request import coupon_expiry, today_utc, validate
from crisisdesk.domain.errors import Conflict, Forbidden, Invalid, NotFound
from crisisdesk.domain.roles import Role
from crisisdesk.domain.texts import N_
from crisisdesk.extensions import db
from crisisdesk.models import Compensation, Order, PolicyRule, Shop
from crisisdesk.services import audit
from crisisdesk.services.access import get_shop
from crisisdesk.services.cases import get_case
from crisisdesk.services.review_cases import add_event

KIND_LABELS = {"refund": N_("Refund"), "replacement": N_("Replacement order"), "coupon": N_("Discount code")}


@dataclass(frozen=True)
class Preview:
    request: object
    value: Decimal
    refundable: Decimal
    needs_approval: bool
    items: list
    coupon_expires_on: object


def refundable_for(order):
    """What may still be refunded on `order`, counting CrisisDesk's pending and unknown refunds as spent."""
    ours = (db.session.query(Compensation.state, Compensation.amount, Compensation.remote_id)
            .filter(Compensation.order_id == order.id, Compensation.kind == "refund").all())
    ledger = policy.RefundLedger(order_total=Decimal(order.total),
                          woo_refunds=tuple((r.remote_id, Decimal(r.amount)) for r in order.refunds),
                          ours=tuple((state, Decimal(amount), remote_id) for state, amount, remote_id in ours))
    return policy.refundable_remaining(ledger)


def suggestion_for(case):
    """The shop's suggested remedy for the case's cause and order value, or None."""
    if case.order is None or not case.cause:
        return None
    return _suggest(case.shop_id, case.cause, case.order)


def goodwill_suggestion(order):
    """The shop's suggestion for a late delivery of `order` (a delay notice's code), or None."""
    return _suggest(order.shop_id, "late_delivery", order)


def _suggest(shop_id, cause, order):
    rows = PolicyRule.query.filter_by(shop_id=shop_id).all()
    rules = tuple(policy.PolicyRule(r.cause, Decimal(r.min_order_value), r.remedy, r.percent, r.note) for r in rows)
    return policy.suggest(cause, Decimal(order.total), rules or policy.DEFAULT_POLICY)


def preview(user, case_id, request):
    """Everything the agent should see before confirming; raises Invalid naming the field."""
    case = get_case(user, case_id, Role.AGENT)
    order = _order_of(case)
    return _checked(order, request)


def request_compensation(user, case_id, request, idempotency_key, actor):
    """Record the compensation (approved, or awaiting a second person) exactly once per key."""
    case = get_case(user, case_id, Role.AGENT)
    return _record(case, _order_of(case), request, idempotency_key, actor, _checked)


def goodwill_preview(order, request):
    """A goodwill code's check without a case: a coupon within the coupon rules and the shop's approval threshold."""
    if request.kind != "coupon":
        raise Invalid("a goodwill gesture without a case is a discount code", "kind")
    checked = _checked(order, request)
    if checked.needs_approval:
        threshold = db.session.get(Shop, order.shop_id).approval_threshold
        raise Invalid(f"a goodwill code may be worth at most the shop's approval threshold ({threshold} "
                      f"{order.currency}); a larger one needs a case and an owner's approval", "amount")
    return checked


def request_goodwill_code(order, request, idempotency_key, actor):
    """Record a goodwill code for `order` (no case) exactly once per key; the caller checked the user may act on
    the order's shop (services/delay_notices.py)."""
    return _record(None, order, request, idempotency_key, actor, goodwill_preview)


def _record(case, order, request, idempotency_key, actor, check):
    if not idempotency_key or len(idempotency_key) > 64:
        raise Invalid("the form expired; open it again", "idempotency_key")
    earlier = _by_key(idempotency_key, case, order)
    if earlier:
        return earlier
    _lock_order(order)
    earlier = _by_key(idempotency_key, case, order)  # a double click that waited for our lock
    if earlier:
        db.session.rollback()
        return earlier
    checked = check(order, request)
    compensation = _new_compensation(case, order, request, checked, idempotency_key, actor)
    db.session.add(compensation)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        return _by_key(idempotency_key, case, order)
    waiting = compensation.state == "awaiting_approval"
    if case is not None:
        add_event(case, "compensation_requested",
                  f"{describe(compensation)} requested" + (" — waits for an owner's approval" if waiting else ""),
                  actor, compensation_id=compensation.id)
    audit.record(actor, "compensation.requested", compensation, kind=compensation.kind,
                 amount=str(compensation.amount), value=str(compensation.value), state=compensation.state)
    db.session.commit()
    if not waiting:
        _enqueue(compensation.id)
    return compensation


def find(user, compensation_id):
    """A compensation the user may see."""
    return _get(user, compensation_id, Role.VIEWER)


def approve(user, compensation_id, actor):
    """A second person with the owner role lets an above-threshold compensation go ahead."""
    compensation = _get(user, compensation_id, Role.OWNER)
    if compensation.requested_by_id == user.id:
        raise Forbidden("a second person must approve what you asked for")
    moved = db.session.execute(
        update(Compensation).where(Compensation.id == compensation.id, Compensation.state == "awaiting_approval")
        .values(state="approved", approved_by_id=user.id, approved_at=clock.utcnow())).rowcount
    if not moved:
        db.session.rollback()
        raise Conflict("this compensation is no longer waiting for approval")
    db.session.refresh(compensation)
    add_event(compensation.case, "compensation_approved", f"{describe(compensation)} approved", actor,
              compensation_id=compensation.id)
    audit.record(actor, "compensation.approved", compensation)
    db.session.commit()
    _enqueue(compensation.id)
    return compensation


def reject(user, compensation_id, actor, note=""):
    compensation = _get(user, compensation_id, Role.OWNER)
    moved = db.session.execute(
        update(Compensation).where(Compensation.id == compensation.id, Compensation.state == "awaiting_approval")
        .values(state="rejected", error=(note or "rejected")[:500], finished_at=clock.utcnow())).rowcount
    if not moved:
        db.session.rollback()
        raise Conflict("this compensation is no longer waiting for approval")
    db.session.refresh(compensation)
    add_event(compensation.case, "compensation_rejected", f"{describe(compensation)} rejected. {note}".strip(),
              actor, compensation_id=compensation.id)
    audit.record(actor, "compensation.rejected", compensation, note=note)
    db.session.commit()
    return compensation


def describe(compensation):
    currency = compensation.currency
    if compensation.kind == "refund":
        way = "through the payment gateway" if compensation.api_refund else "recorded only"
        return f"Refund of {compensation.amount} {currency} ({way})"
    if compensation.kind == "coupon":
        worth = f"{compensation.amount:.0f}%" if compensation.coupon_type == "percent" else \
            f"{compensation.amount} {currency}"
        return f"Discount code {compensation.coupon_code} ({worth}, until {compensation.coupon_expires_on})"
    return f"Replacement order worth {compensation.value} {currency}"


def _checked(order, request):
    refundable = refundable_for(order)
    items = []
    if request.kind == "replacement" or (request.kind == "refund" and request.restock):
        items = _chosen_items(order, request.item_ids)
    if request.kind == "refund" and request.restock:
        # Restocking refunds whole lines, so the amount is theirs.
        request = replace(request, amount=sum((Decimal(i.total) for i in items), Decimal("0")))
    value = validate(request, Decimal(order.total), refundable)
    if request.kind == "replacement":
        value = sum((Decimal(i.total) for i in items), Decimal("0"))
    threshold = Decimal(db.session.get(Shop, order.shop_id).approval_threshold)
    expires = coupon_expiry(today_utc(clock.utcnow()), request.coupon_days) if request.kind == "coupon" else None
    return Preview(request=request, value=value, refundable=refundable,
                   needs_approval=policy.needs_second_approval(value, threshold), items=items, coupon_expires_on=expires)


def _new_compensation(case, order, request, checked, key, actor):
    return Compensation(
        shop_id=order.shop_id, case=case, order_id=order.id, kind=request.kind, idempotency_key=key,
        state="awaiting_approval" if checked.needs_approval else "approved",
        amount=checked.value if request.kind == "replacement" else checked.request.amount, value=checked.value,
        currency=order.currency, reason=request.reason.strip(), api_refund=request.api_refund,
        restock=request.restock,
        items=[{"item_id": i.id, "remote_id": i.remote_id, "remote_product_id": i.remote_product_id, "name": i.name,
                "quantity": i.quantity, "total": str(i.total)} for i in checked.items],
        coupon_type=request.coupon_type if request.kind == "coupon" else None,
        coupon_code=_coupon_code(case, order) if request.kind == "coupon" else None,
        coupon_expires_on=checked.coupon_expires_on, requested_by_id=actor.user_id)


def _coupon_code(case, order):
    # The case's number when there is one, else the order's ("O" keeps the two apart).
    return f"SORRY-{case.id if case is not None else f'O{order.id}'}-{secrets.token_hex(3).upper()}"


def _chosen_items(order, item_ids):
    items = list(order.items)
    if item_ids:
        wanted = {int(i) for i in item_ids}
        items = [i for i in items if i.id in wanted]
        if len(items) != len(wanted):
            raise Invalid("choose items of this order", "items")
    if not items:
        raise Invalid("the order has no items to replace", "items")
    return items


def _lock_order(order):
    """Hold the order until commit, so the refundable amount computed next cannot change under us.

    PostgreSQL: the UPDATE takes the row lock. SQLite has no row locks: BEGIN IMMEDIATE takes the
    database's write lock up front (waiting up to busy_timeout), because a read transaction that
    upgrades to a write later can fail instead of waiting when another writer got there first.
    """
    if db.session.get_bind().dialect.name == "sqlite":
        db.session.commit()
        db.session.execute(text("BEGIN IMMEDIATE"))
    db.session.execute(update(Order).where(Order.id == order.id).values(lock_version=Order.lock_version + 1))
    db.session.refresh(order)


def _by_key(key, case, order):
    found = Compensation.query.filter_by(idempotency_key=key).first()
    case_id = case.id if case is not None else None
    if found is not None and (found.case_id != case_id or (case is None and found.order_id != order.id)):
        raise Conflict("that form belongs to another case", "idempotency_key")
    return found


def _get(user, compensation_id, role):
    compensation = db.session.get(Compensation, compensation_id)
    if compensation is None:
        raise NotFound("no such compensation")
    if compensation.case_id is None:  # a delay notice's goodwill code: its shop decides
        get_shop(user, compensation.shop_id, role)
    else:
        get_case(user, compensation.case_id, role)
    return compensation


def _order_of(case):
    if case.order is None:
        raise Invalid("link the case to an order first", "order")
    return case.order


def _enqueue(compensation_id):
    from crisisdesk.jobs import enqueue_compensation

    enqueue_compensation(compensation_id)
