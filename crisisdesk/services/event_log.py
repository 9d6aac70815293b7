"""Read model of a shop's received events, so a person can see what arrived and what failed."""
from crisisdesk.domain.roles import Role
from crisisdesk.models import InboundEvent
from crisisdesk.services.access import get_shop

PER_PAGE = 50
OUTCOME_FILTERS = ("all", "pending", "applied", "stale", "failed")


def recent_events(user, shop_id, outcome="all", page=1):
    """The shop's events, newest first; `outcome` narrows to pending (not processed yet) or one outcome."""
    shop = get_shop(user, shop_id, Role.OWNER)
    query = InboundEvent.query.filter_by(shop_id=shop.id)
    if outcome == "pending":
        query = query.filter(InboundEvent.processed_at.is_(None))
    elif outcome in ("applied", "stale", "failed"):
        query = query.filter(InboundEvent.outcome == outcome)
    rows = (query.order_by(InboundEvent.id.desc())
            .offset((max(page, 1) - 1) * PER_PAGE).limit(PER_PAGE + 1).all())
    return shop, rows[:PER_PAGE], len(rows) > PER_PAGE
