"""Negative reviews left awaiting moderation in WordPress too long (domain/moderation.py): the warning shown on
the case page, the inbox and the dashboard, and the one staff email per held review.

`Review.held_since` (kept by services/catalog.py) says since when a review is held; approving it in WordPress
clears it, and with it every warning. The periodic job (jobs/moderation.py) claims each overdue review once per
hold with a conditional UPDATE of `moderation_warned_at` (two runs at once warn once), notes it on the case's
timeline and emails, through the outbox (kind "moderation_alert", services/moderation_emails.py), the case's
assignee or else the shop's owners, as SLA alerts do.
"""
import logging
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import and_, exists, false, func, or_, update

from crisisdesk import clock
from crisisdesk.domain import moderation as rules
from crisisdesk.domain.errors import Invalid
from crisisdesk.domain.roles import Role
from crisisdesk.extensions import db
from crisisdesk.models import Case, Review, Shop
from crisisdesk.services import audit, moderation_emails, outbox
from crisisdesk.services.access import get_shop
from crisisdesk.services.review_cases import add_event
from crisisdesk.services.sla_escalation import recipients_for, shop_owners

log = logging.getLogger(__name__)

SETTING = "moderation_warning_hours"


@dataclass(frozen=True)
class ModerationState:
    """How a held review stands, for the panel: since when it is held, and whether that is a warning now."""
    since: object  # aware UTC datetime
    warning_at: object  # when a negative review becomes a warning; None for others
    overdue: bool


@dataclass(frozen=True)
class WarningResult:
    warnings: int  # reviews warned about in this run
    emails: int  # alert emails scheduled


def moderation_state(review, has_case, now=None):
    """The review's moderation state, or None when it is not held."""
    if review is None or review.status != rules.HELD or review.held_since is None:
        return None
    negative = rules.is_negative(review.rating, has_case)
    hours = db.session.get(Shop, review.shop_id).moderation_warning_hours
    return ModerationState(since=review.held_since,
                           warning_at=rules.warning_at(review.held_since, hours) if negative else None,
                           overdue=rules.is_overdue(review.status, review.held_since, negative, hours,
                                                    now or clock.utcnow()))


def overdue_held(shops, now):
    """SQL: the reviews of `shops` (Shop rows) that are negative and held past each shop's warning time."""
    has_case = exists().where(Case.review_id == Review.id)
    # One cutoff per shop (each has its own setting), so the comparison stays plain SQL on every database.
    past = or_(*[and_(Review.shop_id == shop.id,
                      Review.held_since <= now - timedelta(hours=shop.moderation_warning_hours))
                 for shop in shops]) if shops else false()
    return and_(past, Review.status == rules.HELD,
                or_(has_case, Review.rating.in_(rules.NEGATIVE_RATINGS)))


def count_overdue(shop_ids, now=None):
    """How many negative reviews of these (already checked) shops are held past their warning time now."""
    shops = Shop.query.filter(Shop.id.in_(shop_ids or [-1])).all()
    return db.session.query(func.count(Review.id)).filter(overdue_held(shops, now or clock.utcnow())).scalar()


def warn_about_held_reviews(now=None):
    """Warn once about each negative review held too long (per hold); safe to run any number of times, at once too."""
    now = now or clock.utcnow()
    shops = Shop.query.order_by(Shop.id).all()
    due = [row[0] for row in db.session.query(Review.id).filter(overdue_held(shops, now),
                                                                Review.moderation_warned_at.is_(None))
           .order_by(Review.held_since, Review.id)]
    warnings = emails = 0
    for review_id in due:
        sent = _warn(review_id, now)
        if sent is not None:
            warnings, emails = warnings + 1, emails + sent
    if warnings:
        log.info("moderation warnings: %d reviews, %d emails", warnings, emails)
    return WarningResult(warnings, emails)


def update_settings(user, shop_id, actor, hours):
    """How long a negative review may wait for moderation before the warning (owners only; audited)."""
    shop = get_shop(user, shop_id, Role.OWNER)
    problem = rules.validate_hours(hours)
    if problem:
        raise Invalid(problem, SETTING)
    if shop.moderation_warning_hours != hours:
        audit.record(actor, "shop.moderation_settings_changed", shop,
                     changes={SETTING: [shop.moderation_warning_hours, hours]})
        shop.moderation_warning_hours = hours
    db.session.commit()
    return shop


def _warn(review_id, now):
    """Claim the review's warning for this hold (None when another run has it), note it, email the people."""
    claimed = db.session.execute(
        update(Review).where(Review.id == review_id, Review.moderation_warned_at.is_(None),
                             Review.status == rules.HELD)
        .values(moderation_warned_at=now).execution_options(synchronize_session=False)).rowcount
    db.session.commit()
    if claimed != 1:
        return None
    review = db.session.get(Review, review_id, populate_existing=True)
    shop = db.session.get(Shop, review.shop_id)
    case = Case.query.filter_by(review_id=review.id).one_or_none()
    people = recipients_for(case) if case is not None else shop_owners(shop.id)
    if case is not None:
        who = ", ".join(u.display_name for u in people) or "nobody (no owner account)"
        add_event(case, "moderation_warning", f"The review has awaited moderation in WordPress for more than "
                  f"{shop.moderation_warning_hours} hours. {rules.WHY} Alert sent to {who}.",
                  held_since=review.held_since.isoformat(), hours=shop.moderation_warning_hours)
        db.session.commit()
    for person in people:
        outbox.schedule_staff_email(
            shop, moderation_emails.KIND, moderation_emails.alert_key(review.id, review.held_since, person.id),
            person.email, now, f"Moderation alert: a negative review has awaited moderation for more than "
            f"{shop.moderation_warning_hours} hours.", case=case)
    return len(people)

