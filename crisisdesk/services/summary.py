"""The numbers behind the WordPress dashboard widget (SPEC section 6, Summary API): two queries."""
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import and_, case, exists, func, or_

from crisisdesk import clock
from crisisdesk.domain.case_rules import ratings_that_open_case
from crisisdesk.domain.case_status import OPEN_STATUSES
from crisisdesk.extensions import db
from crisisdesk.models import Case, Review
from crisisdesk.services.review_cases import REMOVED_STATUSES, thresholds_for

NEGATIVE_WINDOW = timedelta(days=7)


@dataclass(frozen=True)
class WidgetSummary:
    open_cases: int
    overdue_cases: int
    negative_reviews_7d: int
    alerts: list = field(default_factory=list)


def widget_summary(shop):
    """Open and overdue cases of `shop` now, and its negative reviews written in the last 7 days."""
    now = clock.utcnow()
    open_cases, overdue = (db.session.query(func.count(Case.id),
                                            func.coalesce(func.sum(case((Case.overdue_at(now), 1), else_=0)), 0))
                           .filter(Case.shop_id == shop.id, Case.status.in_(OPEN_STATUSES)).one())
    # alerts: crisis (spike) alerts arrive with their own issue; until then there are none to show.
    return WidgetSummary(open_cases=open_cases, overdue_cases=int(overdue),
                         negative_reviews_7d=negative_reviews_since(shop, now - NEGATIVE_WINDOW), alerts=[])


def negative_reviews_since(shop, since):
    """Reviews of `shop` written since `since` that the shop's own case rule counts as negative.

    The rule is domain.case_rules.review_opens_case with the shop's thresholds, applied in one
    COUNT: ratings that open a case on their own (1-2★ by default) count outright; ratings that
    need negative text too (3★ or no rating, by default) count when the review's case holds a
    negative sentiment score. That stored score is cheap and faithful: the same rule opened the
    case from the same score, and `sync_case` re-scores it whenever the text is edited, so no
    text is classified again here. Spam and trash are left out, as they open no case either.
    """
    thresholds = thresholds_for(shop)
    by_rating = ratings_that_open_case(thresholds, text_is_negative=False)
    with_text = [r for r in ratings_that_open_case(thresholds, text_is_negative=True) if r not in by_rating]
    text_is_negative = exists().where(Case.review_id == Review.id,
                                      Case.sentiment_score <= thresholds.negative_score)
    return (db.session.query(func.count(Review.id))
            .filter(Review.shop_id == shop.id, Review.created_at >= since,
                    Review.status.not_in(sorted(REMOVED_STATUSES)),
                    or_(Review.rating.in_(by_rating), and_(Review.rating.in_(with_text), text_is_negative)))
            .scalar())
