"""Orders likely to become complaints (domain/at_risk.py): the periodic flagging, the panel's list, dismissing a flag
and the shop's promised dispatch time.

`flag_at_risk_orders(shop, now)` is one pass over one shop, run every 30 minutes (jobs/at_risk.py):
- it clears the active flags whose order moved on (completed, cancelled, refunded...): `cleared_at` is set, an
  untouched flag becomes `cleared`, a notified or dismissed one keeps its status; the row stays;
- it flags the orders the rule calls at risk that have no active flag yet. SQL picks the candidates: the shop's
  orders still processing or on hold (the orders index on shop and status) that either waited past the promise
  or belong to a customer with an open case, and have neither an active flag nor a case of their own; the domain
  rule then names the reason. Completed orders, most of a shop's history, are never read.
Running it twice, or two at once, flags nothing twice: an active flag holds its order in a UNIQUE column, and a
pass that loses that race looks again.
"""
import logging
from dataclasses import dataclass

from sqlalchemy import exists, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from crisisdesk import clock
from crisisdesk.domain import at_risk as rules
from crisisdesk.domain.case_status import OPEN_STATUSES
from crisisdesk.domain.errors import Conflict, Invalid
from crisisdesk.domain.roles import Role
from crisisdesk.extensions import db
from crisisdesk.models import AtRiskOrder, Case, Order, Shop
from crisisdesk.services import audit
from crisisdesk.services.access import get_shop, get_shop_record

log = logging.getLogger(__name__)

STATUS_FILTERS = ("open", "notified", "dismissed", "cleared", "all")
PER_PAGE = 50
MAX_DISMISS_REASON = 500


@dataclass(frozen=True)
class FlagPass:
    flagged: int  # new flags
    cleared: int  # active flags whose order moved on


@dataclass(frozen=True)
class AtRiskRow:
    flag: AtRiskOrder
    order: Order
    waiting_since: object  # aware datetime, or None
    hours_waited: int  # until now, or until the order moved on


def flag_all(now=None):
    """One pass over every shop (the periodic job); returns the totals."""
    now = now or clock.utcnow()
    flagged = cleared = 0
    for shop_id in [row[0] for row in db.session.query(Shop.id).order_by(Shop.id)]:
        result = flag_at_risk_orders(db.session.get(Shop, shop_id), now)
        flagged, cleared = flagged + result.flagged, cleared + result.cleared
    if flagged or cleared:
        log.info("at-risk orders: %d flagged, %d cleared", flagged, cleared)
    return FlagPass(flagged, cleared)


def flag_at_risk_orders(shop, now):
    """Clear the flags whose order moved on, then flag what is at risk now; idempotent (module doc)."""
    cleared = _clear_moved_on(shop, now)
    db.session.commit()
    for _ in range(2):
        flags = _new_flags(shop, now)
        db.session.add_all(flags)
        try:
            db.session.commit()
            return FlagPass(len(flags), cleared)
        except IntegrityError:
            db.session.rollback()  # another pass flagged one of these orders a moment ago: look again
    return FlagPass(0, cleared)


def _clear_moved_on(shop, now):
    flags = (AtRiskOrder.query.join(Order, Order.id == AtRiskOrder.order_id)
             .filter(AtRiskOrder.shop_id == shop.id, AtRiskOrder.active_order_id.is_not(None),
                     Order.status.not_in(rules.WAITING_STATUSES)).all())
    for flag in flags:
        flag.active_order_id, flag.cleared_at = None, now
        if flag.status == "open":
            flag.status = "cleared"
    return len(flags)


def _new_flags(shop, now):
    open_case_customers = select(Case.customer_id).where(Case.shop_id == shop.id, Case.status.in_(OPEN_STATUSES),
                                                         Case.customer_id.is_not(None))
    customer_has_open_case = Order.customer_id.in_(open_case_customers)
    waited_since = func.coalesce(Order.paid_at, Order.created_at)
    rows = (db.session.query(Order.id, Order.status, Order.paid_at, Order.created_at, Order.customer_id,
                             customer_has_open_case)
            .filter(Order.shop_id == shop.id, Order.status.in_(rules.WAITING_STATUSES),
                    or_(waited_since <= rules.stuck_before(now, shop.promised_dispatch_hours), customer_has_open_case),
                    ~exists().where(AtRiskOrder.active_order_id == Order.id),
                    ~exists().where(Case.order_id == Order.id))
            .order_by(Order.id).all())
    flags = []
    for order_id, status, paid_at, created_at, customer_id, open_case in rows:
        facts = rules.OrderFacts(status=status, waiting_since=rules.waiting_since(paid_at, created_at),
                                 customer_has_open_case=bool(open_case))
        reason = rules.risk_reason(facts, now, shop.promised_dispatch_hours)
        if reason:
            flags.append(AtRiskOrder(shop_id=shop.id, order_id=order_id, active_order_id=order_id,
                                     customer_id=customer_id, reason=reason, flagged_at=now, status="open"))
    return flags


# --- the panel -----------------------------------------------------------------------------------------------

def list_flags(scope, status="open", reason=None, page=1, now=None):
    """One page of a user's (or one shop's) flags of `status`, optionally of one reason; newest first."""
    from crisisdesk.services.inbox import Page  # inbox → cases → … : imported when used, as recovery_report does
    from crisisdesk.services.recovery_report import shop_ids_of

    if status not in STATUS_FILTERS:
        raise Invalid(f"status must be one of {', '.join(STATUS_FILTERS)}", "status")
    if reason and reason not in rules.REASONS:
        raise Invalid(f"reason must be one of {', '.join(rules.REASONS)}", "reason")
    now = now or clock.utcnow()
    query = AtRiskOrder.query.filter(AtRiskOrder.shop_id.in_(shop_ids_of(scope) or [-1]))
    if status != "all":
        query = query.filter(AtRiskOrder.status == status)
    if reason:
        query = query.filter(AtRiskOrder.reason == reason)
    total = query.count()
    page = max(1, page)
    flags = (query.options(joinedload(AtRiskOrder.order).joinedload(Order.customer),
                           joinedload(AtRiskOrder.outbox_email), joinedload(AtRiskOrder.acted_by),
                           joinedload(AtRiskOrder.compensation))
             .order_by(AtRiskOrder.flagged_at.desc(), AtRiskOrder.id.desc())
             .offset((page - 1) * PER_PAGE).limit(PER_PAGE).all())
    return Page(items=[row_of(flag, now) for flag in flags], total=total, page=page, per_page=PER_PAGE)


def row_of(flag, now):
    """A flag with how long its order has waited: until now, or until it moved on."""
    order = flag.order
    since = rules.waiting_since(order.paid_at, order.created_at)
    return AtRiskRow(flag=flag, order=order, waiting_since=since,
                     hours_waited=rules.hours_waited(since, flag.cleared_at or now))


def get_flag(user, flag_id, role=Role.VIEWER):
    """A flag of a shop the user may act on with `role`; NotFound hides other shops' flags."""
    return get_shop_record(user, AtRiskOrder, flag_id, "no such at-risk order", role)


def dismiss(user, flag_id, actor, reason):
    """An agent decides the order needs no notice, and says why (audited). Conflict unless the flag is open."""
    flag = get_flag(user, flag_id, Role.AGENT)
    reason = " ".join((reason or "").split())
    if not reason:
        raise Invalid("say why this order needs no delay notice", "reason")
    if len(reason) > MAX_DISMISS_REASON:
        raise Invalid(f"the reason is longer than {MAX_DISMISS_REASON} characters", "reason")
    now = clock.utcnow()
    # Conditional: of a dismissal and a notice at once (two agents), one wins.
    taken = db.session.execute(
        update(AtRiskOrder).where(AtRiskOrder.id == flag.id, AtRiskOrder.status == "open")
        .values(status="dismissed", dismissed_at=now, dismiss_reason=reason, acted_by_id=user.id)
        .execution_options(synchronize_session=False)).rowcount
    if taken != 1:
        db.session.rollback()
        db.session.refresh(flag)
        raise Conflict(f"this order was already {flag.status}")
    audit.record(actor, "at_risk.dismissed", flag, order_id=flag.order_id, reason=reason)
    db.session.commit()
    db.session.refresh(flag)
    return flag


def update_settings(user, shop_id, actor, promised_dispatch_hours):
    """Set how long after payment the shop promises to dispatch (owners only; audited)."""
    shop = get_shop(user, shop_id, Role.OWNER)
    problem = rules.validate_promised_hours(promised_dispatch_hours)
    if problem:
        raise Invalid(problem, "promised_dispatch_hours")
    if shop.promised_dispatch_hours != promised_dispatch_hours:
        audit.record(actor, "shop.at_risk_settings_changed", shop,
                     changes={"promised_dispatch_hours": [shop.promised_dispatch_hours, promised_dispatch_hours]})
        shop.promised_dispatch_hours = promised_dispatch_hours
    db.session.commit()
    return shop
