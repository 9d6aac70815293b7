"""Post-purchase review requests (issue 10, item 6): the shop's setting, and the pass that schedules them.

The rules are domain/review_requests.py; this module gathers their facts from the database. Every
request is an outbox row of kind "review_request" keyed "order:<id>:review_request", so an order is
asked about once whatever happens: the outbox keeps it out of quiet hours, adds the one-click
unsubscribe, and at send time asks services/review_request_emails.cancel_reason whether it is
still wanted.

The periodic pass (`schedule_due`, every 15 minutes) creates the row as soon as an order has been
completed, due `review_request_days` later. One SQL query per shop and batch finds the candidates:
completed orders since the setting was switched on (and recent enough, see LATE_GRACE), without a
request or refund, whose buyer has an address, no open case, no follow-up email to come, no opt-out,
an unreviewed product of the order, and no other request due after this order's completion; the
index on orders (shop, status, completed time) keeps it to the recent ones. Each candidate is then
confirmed by the domain rules with fresh facts, since the rows scheduled a moment earlier in the
same pass count too.
"""
import logging
from datetime import timedelta

from sqlalchemy import and_, exists, func, or_, update
from sqlalchemy.orm import aliased

from crisisdesk import clock
from crisisdesk.domain import review_requests as rules
from crisisdesk.domain.case_status import OPEN_STATUSES
from crisisdesk.domain.errors import Invalid
from crisisdesk.domain.follow_up import KINDS as FOLLOW_UP_KINDS, choose_language
from crisisdesk.domain.personal_data import ERASED_EMAIL_DOMAIN
from crisisdesk.domain.roles import Role
from crisisdesk.extensions import db
from crisisdesk.models import Case, EmailSuppression, Order, OrderItem, OutboxEmail, Refund, Review, Shop
from crisisdesk.services import audit, outbox
from crisisdesk.services.access import get_shop
from crisisdesk.services.review_cases import REMOVED_STATUSES

log = logging.getLogger(__name__)

BATCH = 200
SETTING_FIELDS = ("review_requests_enabled", "review_request_days")


# --- the setting ------------------------------------------------------------------------------------------

def update_settings(user, shop_id, actor, enabled, days):
    """Switch the requests on or off and set their delay (owners only; audited).

    Switching on records the moment: only orders completed from then on are asked about. Switching
    off cancels the requests still scheduled at once (the panel then counts them as cancelled).
    """
    shop = get_shop(user, shop_id, Role.OWNER)
    if not isinstance(enabled, bool):
        raise Invalid("must be on or off", "review_requests_enabled")
    try:
        rules.validate_days(days)
    except ValueError as error:
        raise Invalid(str(error), "review_request_days") from None
    changes = {name: [getattr(shop, name), value] for name, value in zip(SETTING_FIELDS, (enabled, days))
               if getattr(shop, name) != value}
    if not changes:
        return shop
    details = {}
    if enabled and not shop.review_requests_enabled:
        shop.review_requests_enabled_at = clock.utcnow()
    elif shop.review_requests_enabled and not enabled:
        details["cancelled"] = _cancel_scheduled(shop.id, rules.TURNED_OFF)
    shop.review_requests_enabled, shop.review_request_days = enabled, days
    audit.record(actor, "shop.review_request_settings_changed", shop, changes=changes, **details)
    db.session.commit()
    return shop


def _cancel_scheduled(shop_id, note):
    return db.session.execute(
        update(OutboxEmail).where(OutboxEmail.shop_id == shop_id, OutboxEmail.kind == rules.KIND,
                                  OutboxEmail.status == "scheduled")
        .values(status="cancelled", status_note=note).execution_options(synchronize_session=False)).rowcount


# --- scheduling -------------------------------------------------------------------------------------------

def schedule_due(now=None):
    """Periodic: schedule the requests that completed orders of every shop with the setting on should have;
    returns how many were scheduled. Idempotent: an order that has its row is never a candidate again."""
    now = now or clock.utcnow()
    shops = Shop.query.filter(Shop.review_requests_enabled.is_(True)).order_by(Shop.id).all()
    return sum(_schedule_shop(shop, now) for shop in shops)


def _schedule_shop(shop, now):
    if shop.review_requests_enabled_at is None:  # switched on outside the panel (SQL): count from now on
        shop.review_requests_enabled_at = now
        db.session.commit()
    scheduled, after = 0, None
    while True:
        orders = _candidates(shop, now, after)
        scheduled += sum(1 for order in orders if schedule_for_order(shop, order, now) is not None)
        if len(orders) < BATCH:
            return scheduled
        after = (orders[-1].completed_at, orders[-1].id)


def schedule_for_order(shop, order, now):
    """The order's request, scheduled when the rules allow it (else None)."""
    reason = rules.skip_reason(order_facts(shop, order, order.billing_email, now, scheduling=True))
    if reason:
        log.debug("no review request for order %s: %s", order.id, reason)
        return None
    days = shop.review_request_days
    due = max(rules.due_at(order.completed_at, days), now)
    customer = order.customer
    language = choose_language(customer.language if customer else None, None, shop.language)
    try:
        return outbox.schedule_email(
            shop, rules.KIND, rules.idempotency_key(order.id), order.billing_email, language, due,
            f"It asks for an honest review of order #{order.number}, {days} days after it was completed; it "
            "offers nothing in return.", customer=customer, order=order)
    except Invalid as error:  # an address the outbox cannot send to
        db.session.rollback()
        log.warning("no review request for order %s: %s", order.id, error.message)
        return None


def _candidates(shop, now, after):
    """The shop's next batch of orders that look due for a request (the domain rules decide each)."""
    since = max(shop.review_requests_enabled_at, now - timedelta(days=shop.review_request_days) - rules.LATE_GRACE)
    other = aliased(OutboxEmail)
    query = Order.query.filter(
        Order.shop_id == shop.id, Order.status == rules.COMPLETED, Order.completed_at >= since,
        Order.customer_id.is_not(None), Order.billing_email != "",
        ~Order.billing_email.like(f"%@{ERASED_EMAIL_DOMAIN}"),
        ~exists().where(OutboxEmail.order_id == Order.id, OutboxEmail.kind == rules.KIND),
        ~exists().where(Refund.order_id == Order.id),
        ~_open_case(Order.shop_id, Order.customer_id),
        ~_follow_up_pending(Order.customer_id),
        ~exists().where(EmailSuppression.shop_id == Order.shop_id, EmailSuppression.email == Order.billing_email),
        ~exists().where(Review.shop_id == Order.shop_id, Review.remote_order_id == Order.remote_id),
        exists().where(OrderItem.order_id == Order.id, OrderItem.product_id.is_not(None),
                       ~_reviewed(Order.shop_id, Order.customer_id, OrderItem.product_id)),
        ~exists().where(other.shop_id == Order.shop_id, other.customer_id == Order.customer_id,
                        other.kind == rules.KIND, other.status.in_(rules.LIVE_STATUSES),
                        other.due_at > Order.completed_at))
    if after is not None:
        completed_at, order_id = after
        query = query.filter(or_(Order.completed_at > completed_at,
                                 and_(Order.completed_at == completed_at, Order.id > order_id)))
    # Oldest completion first: of a buyer's orders close together, the first is the one asked about.
    return query.order_by(Order.completed_at, Order.id).limit(BATCH).all()


# --- the facts the rules decide on ------------------------------------------------------------------------

def order_facts(shop, order, email, now, scheduling=False):
    """domain.review_requests.OrderFacts of `order`, for a request to `email` ("" for an address no longer valid)."""
    products = product_ids(order)
    reviewed = reviewed_product_ids(shop.id, order.customer_id, products)
    extra = {}
    if scheduling:
        extra = {"already_requested": _requested(order.id), "other_request_due_at": _other_request_due(order)}
    return rules.OrderFacts(
        enabled=shop.review_requests_enabled, enabled_at=shop.review_requests_enabled_at,
        days=shop.review_request_days, status=order.status, completed_at=order.completed_at,
        refunded=bool(order.refunds), email=email, open_case=_has_open_case(shop.id, order.customer_id),
        follow_up_pending=order.customer_id is not None and _scalar(_follow_up_pending(order.customer_id)),
        suppressed=bool(email) and outbox.is_suppressed(shop.id, email), products=len(products),
        unreviewed_products=len(products - reviewed), now=now,
        order_reviewed=_scalar(exists().where(Review.shop_id == shop.id, Review.remote_order_id == order.remote_id)),
        **extra)


def product_ids(order):
    """The distinct products of the order (lines of products deleted in WooCommerce have none)."""
    return {item.product_id for item in order.items if item.product_id is not None}


def reviewed_product_ids(shop_id, customer_id, products):
    """Which of `products` the customer has reviewed (reviews trashed or marked as spam do not count)."""
    if customer_id is None or not products:
        return set()
    rows = db.session.query(Review.product_id).filter(
        Review.shop_id == shop_id, Review.customer_id == customer_id, Review.product_id.in_(sorted(products)),
        Review.status.not_in(sorted(REMOVED_STATUSES))).distinct()
    return {product_id for product_id, in rows}


def _open_case(shop_id, customer_id):
    return exists().where(Case.shop_id == shop_id, Case.customer_id == customer_id, Case.status.in_(OPEN_STATUSES))


def _follow_up_pending(customer_id):
    return exists().where(OutboxEmail.customer_id == customer_id, OutboxEmail.kind.in_(FOLLOW_UP_KINDS),
                          OutboxEmail.status.in_(("scheduled", "sending"))).correlate_except(OutboxEmail)


def _reviewed(shop_id, customer_id, product_id):
    # correlate_except: nested two levels deep, it must refer to the outer query's order, not join its own.
    return exists().where(Review.shop_id == shop_id, Review.customer_id == customer_id,
                          Review.product_id == product_id, Review.status.not_in(sorted(REMOVED_STATUSES))
                          ).correlate_except(Review)


def _has_open_case(shop_id, customer_id):
    return customer_id is not None and _scalar(_open_case(shop_id, customer_id))


def _requested(order_id):
    return _scalar(exists().where(OutboxEmail.order_id == order_id, OutboxEmail.kind == rules.KIND))


def _other_request_due(order):
    """When the latest live request to the same buyer, for another order, is (or was) due."""
    if order.customer_id is None:
        return None
    return db.session.query(func.max(OutboxEmail.due_at)).filter(
        OutboxEmail.shop_id == order.shop_id, OutboxEmail.customer_id == order.customer_id,
        OutboxEmail.kind == rules.KIND, OutboxEmail.status.in_(rules.LIVE_STATUSES),
        OutboxEmail.order_id != order.id).scalar()


def _scalar(clause):
    return bool(db.session.query(clause).scalar())
