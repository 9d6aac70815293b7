"""The numbers behind the WordPress dashboard widget (SPEC section 6, Summary API): two queries.

One for the counts (open and overdue cases, with the negative reviews as a scalar subquery) and one
for the shop's open crisis alerts with their product names, however many cases or alerts there are.
"""
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import and_, case, exists, func, or_, select

from crisisdesk import clock
from crisisdesk.domain.case_rules import ratings_that_open_case
from crisisdesk.domain.case_status import OPEN_STATUSES
from crisisdesk.extensions import db
from crisisdesk.models import Case, CrisisAlert, Product, Review
from crisisdesk.services.review_cases import REMOVED_STATUSES, thresholds_for

NEGATIVE_WINDOW = timedelta(days=7)


@dataclass(frozen=True)
class AlertLine:
    """One open crisis alert as the widget shows it."""
    id: int
    scope: str  # "product" or "shop"
    product_id: int | None
    product_name: str | None
    observed: int
    expected: float
    dominant_cause: str | None
    since: object  # datetime (UTC): when the alert was raised


@dataclass(frozen=True)
class WidgetSummary:
    open_cases: int
    overdue_cases: int
    negative_reviews_7d: int
    alerts: list = field(default_factory=list)  # AlertLine, newest first


def widget_summary(shop):
    """Open and overdue cases of `shop` now, its negative reviews of the last 7 days, its open alerts: two queries."""
    now = clock.utcnow()
    negatives = (select(func.count(Review.id))
                 .where(Review.shop_id == shop.id, Review.created_at >= now - NEGATIVE_WINDOW,
                        negative_review_condition(shop))
                 .correlate(None).scalar_subquery())
    open_cases, overdue, negative = (
        db.session.query(func.count(Case.id), func.coalesce(func.sum(case((Case.overdue_at(now), 1), else_=0)), 0),
                         negatives)
        .filter(Case.shop_id == shop.id, Case.status.in_(OPEN_STATUSES)).one())
    return WidgetSummary(open_cases=open_cases, overdue_cases=int(overdue), negative_reviews_7d=negative,
                         alerts=open_alert_lines(shop.id))


def open_alert_lines(shop_id):
    """The shop's open crisis alerts, newest first, with their product's name: one query."""
    rows = (db.session.query(CrisisAlert.id, CrisisAlert.scope, CrisisAlert.product_id, Product.name,
                             CrisisAlert.observed, CrisisAlert.expected, CrisisAlert.dominant_cause,
                             CrisisAlert.created_at)
            .outerjoin(Product, Product.id == CrisisAlert.product_id)
            .filter(CrisisAlert.shop_id == shop_id, CrisisAlert.status == "open")
            .order_by(CrisisAlert.created_at.desc(), CrisisAlert.id.desc()).all())
    return [AlertLine(*row) for row in rows]


def negative_reviews_since(shop, since):
    """Reviews of `shop` written since `since` that the shop's own case rule counts as negative.

    The rule is domain.case_rules.review_opens_case with the shop's thresholds, applied in one
    COUNT: ratings that open a case on their own (1-2★ by default) count outright; ratings that
    need negative text too (3★ or no rating, by default) count when the review's case holds a
    negative sentiment score. That stored score is cheap and faithful: the same rule opened the
    case from the same score, and `sync_case` re-scores it whenever the text is edited, so no
    text is classified again here. Spam and trash are left out, as they open no case either.
    """
    return (db.session.query(func.count(Review.id))
            .filter(Review.shop_id == shop.id, Review.created_at >= since, negative_review_condition(shop))
            .scalar())


def negative_review_condition(shop):
    """The SQL condition "this review of `shop` is negative by the shop's own case rule" (see above)."""
    thresholds = thresholds_for(shop)
    by_rating = ratings_that_open_case(thresholds, text_is_negative=False)
    with_text = [r for r in ratings_that_open_case(thresholds, text_is_negative=True) if r not in by_rating]
    # Correlated on the review only: inside the widget's count of cases, `Case` here is the review's own case.
    text_is_negative = exists().where(Case.review_id == Review.id,
                                      Case.sentiment_score <= thresholds.negative_score).correlate(Review)
    return and_(Review.status.not_in(sorted(REMOVED_STATUSES)),
                or_(Review.rating.in_(by_rating), and_(Review.rating.in_(with_text), text_is_negative)))
