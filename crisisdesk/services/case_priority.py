"""A case's priority (domain.priority) from what the database knows: rating, causes, order, customer."""
from decimal import Decimal

from sqlalchemy import func

from crisisdesk.domain.priority import PriorityFacts, assess, is_lost_package
from crisisdesk.extensions import db
from crisisdesk.models import Order


def facts_for(case):
    """The facts domain.priority weighs, read from the case and its linked rows."""
    review = case.review
    # After the flush in refresh_priority, order_id is right whichever side (id or relationship) was set.
    order = db.session.get(Order, case.order_id) if case.order_id else None
    lost = is_lost_package(e.get("text", "") for e in case.cause_evidence or [] if e.get("cause") == "late_delivery")
    return PriorityFacts(
        rating=(review.rating if review is not None else 0) if case.source == "review" else None,
        causes=tuple(case.causes or ()), lost_package=lost,
        order_total=Decimal(order.total) if order is not None else None,
        currency=order.currency if order is not None else "",
        repeat_buyer=_order_count(case) > 1, public=case.source == "review",
        escalation_level=case.escalation_level or 0)


def refresh_priority(case):
    """Recompute and store the case's priority (in the caller's transaction); returns the Priority."""
    if case in db.session:
        db.session.flush()
    result = assess(facts_for(case))
    case.priority, case.priority_score, case.priority_reasons = result.level, result.score, list(result.reasons)
    return result


def _order_count(case):
    if case.customer_id is None:
        return 0
    return db.session.query(func.count(Order.id)).filter(Order.shop_id == case.shop_id,
                                                         Order.customer_id == case.customer_id).scalar()
