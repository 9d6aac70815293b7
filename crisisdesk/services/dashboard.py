"""The dashboard: how a shop (or every shop a user may see) handles negative reviews over a period.

Every figure is a SQL aggregate (COUNT, SUM, AVG with GROUP BY; percentiles with window functions,
services/sql_stats.py), run once for the period and once for the period before it (the trend).
The indexes that keep them cheap are declared on the models (migration 0006_dashboard_indexes).

Definitions:
- Reviews are counted by the day they were written (spam and trash left out): positive 4–5★,
  neutral 3★, negative 1–2★; reviews without a rating are in neither class nor the average.
- First response: from a case's opening to its first answer (reply or contact), over the cases
  opened in the period. "Answered within 24 h" is a share of those cases whose 24 hours are over
  (a case opened an hour ago is not yet late, so it is left out until answered or late).
- Resolution: from opening to resolution, over the cases resolved in the period.
- Overdue: Case.overdue_at, the inbox's rule, now (as is "open"): these two have no trend.
- Recovery rate: services/recovery_report (recovered / decided) of customers resolved in the period.
- Compensation: only what WooCommerce carried out (state "succeeded"), by the day it finished,
  counted at its value to the customer, per kind and currency.
- Causes: the main cause of cases opened in the period; products: by negative reviews written in it.
- Answered: the share of the reviews written in the period (all ratings) that have a public answer from the
  shop now: a reply posted under it on its case (a resolution note is one), or an answer posted from the
  "Reviews to answer" queue; overall and per class.
- Held too long: negative reviews awaiting moderation in WordPress past the shop's warning time, now
  (services/moderation_watch.py).
"""
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import case, func, or_, select

from crisisdesk import clock
from crisisdesk.domain.case_status import OPEN_STATUSES
from crisisdesk.domain.causes import CAUSES
from crisisdesk.extensions import db
from crisisdesk.models import Case, CaseReply, Compensation, Product, Review, ReviewAnswer, Shop
from crisisdesk.services.access import get_shop, visible_shop_ids
from crisisdesk.services.moderation_watch import count_overdue
from crisisdesk.services.recovery_report import recovery_stats
from crisisdesk.services.review_cases import REMOVED_STATUSES
from crisisdesk.services.sql_stats import counted_hour_percentiles, seconds_between, year_and_month

POSITIVE, NEUTRAL, NEGATIVE = (4, 5), (3,), (1, 2)
ANSWER_WITHIN = timedelta(hours=24)
TOP = 5


@dataclass(frozen=True)
class Figures:
    """One period's headline figures."""

    cases_opened: int
    first_response_median_hours: float | None
    first_response_p90_hours: float | None
    answered_within_24h: int
    answer_due: int  # cases opened in the period whose 24 hours are over, or that were answered
    resolved: int
    resolution_median_hours: float | None
    resolution_p90_hours: float | None
    recovered: int
    recovery_decided: int
    reviews: int
    negative_reviews: int
    average_rating: float | None
    # Reviews with a public answer from the shop, and the positive and neutral reviews (negative: above).
    answered_reviews: int = 0
    positive_reviews: int = 0
    answered_positive: int = 0
    neutral_reviews: int = 0
    answered_neutral: int = 0
    answered_negative: int = 0

    @property
    def share_within_24h(self):
        return round(self.answered_within_24h / self.answer_due, 4) if self.answer_due else None

    @property
    def answered_rate(self):
        return _share(self.answered_reviews, self.reviews)

    @property
    def answered_rate_positive(self):
        return _share(self.answered_positive, self.positive_reviews)

    @property
    def answered_rate_neutral(self):
        return _share(self.answered_neutral, self.neutral_reviews)

    @property
    def answered_rate_negative(self):
        return _share(self.answered_negative, self.negative_reviews)

    @property
    def recovery_rate(self):
        return round(self.recovered / self.recovery_decided, 4) if self.recovery_decided else None


@dataclass(frozen=True)
class MonthRow:
    month: date  # the first day of the month
    positive: int
    neutral: int
    negative: int
    average_rating: float | None

    @property
    def total(self):
        return self.positive + self.neutral + self.negative


@dataclass(frozen=True)
class Ranked:
    """A cause or product with its count in the period and in the period before."""

    key: str
    label: str
    count: int
    previous: int


@dataclass(frozen=True)
class Spent:
    kind: str
    currency: str
    count: int
    total: object  # Decimal
    previous_total: object


@dataclass(frozen=True)
class Dashboard:
    shop: Shop | None  # None: every shop the user may see
    shop_ids: list
    period: object  # domain.periods.Period
    previous_period: object
    open_cases: int
    overdue_cases: int
    held_too_long: int  # negative reviews awaiting moderation past the shop's warning time, now
    current: Figures
    previous: Figures
    monthly: list
    causes: list
    products: list
    compensation: list


def dashboard(user, period, shop_id=None):
    """The dashboard of one shop the user may see (NotFound otherwise), or of all of them when shop_id is None."""
    shop = get_shop(user, shop_id) if shop_id else None
    shop_ids = [shop.id] if shop else visible_shop_ids(user)
    previous = period.previous()
    open_cases, overdue = _open_and_overdue(shop_ids, clock.utcnow())
    return Dashboard(shop=shop, shop_ids=shop_ids, period=period, previous_period=previous,
                     open_cases=open_cases, overdue_cases=overdue, held_too_long=count_overdue(shop_ids),
                     current=figures(shop_ids, period), previous=figures(shop_ids, previous),
                     monthly=monthly_reviews(shop_ids, period), causes=top_causes(shop_ids, period, previous),
                     products=top_products(shop_ids, period, previous),
                     compensation=compensation_spent(shop_ids, period, previous))


def figures(shop_ids, period):
    """The headline figures of `period` for these (already checked) shops: seven queries, each one pass."""
    shops = Case.shop_id.in_(shop_ids or [-1])
    opened = [shops, Case.opened_at >= period.starts_at, Case.opened_at < period.ends_at]
    resolved = [shops, Case.resolved_at >= period.starts_at, Case.resolved_at < period.ends_at]
    response = seconds_between(Case.opened_at, Case.first_responded_at)
    _, first = counted_hour_percentiles(response, [*opened, Case.first_responded_at.is_not(None)])
    resolved_count, resolution = counted_hour_percentiles(seconds_between(Case.opened_at, Case.resolved_at),
                                                          resolved)
    cases_opened, within, due = db.session.execute(select(
        func.count(Case.id),
        func.coalesce(func.sum(case((response <= ANSWER_WITHIN.total_seconds(), 1), else_=0)), 0),
        func.coalesce(func.sum(case((Case.first_responded_at.is_not(None), 1),
                                    (Case.opened_at <= clock.utcnow() - ANSWER_WITHIN, 1), else_=0)), 0),
    ).where(*opened)).one()
    recovery = recovery_stats(shop_ids, since=period.starts_at, until=period.ends_at)
    reviews = review_counts(shop_ids, period)
    return Figures(cases_opened=cases_opened, first_response_median_hours=first[0.5],
                   first_response_p90_hours=first[0.9], answered_within_24h=int(within), answer_due=int(due),
                   resolved=resolved_count, resolution_median_hours=resolution[0.5],
                   resolution_p90_hours=resolution[0.9], recovered=recovery.recovered,
                   recovery_decided=recovery.recovered + recovery.not_recovered, **reviews)


def review_counts(shop_ids, period):
    """The reviews written in `period`: how many, negative, average rating, and how many have a public answer from
    the shop now, overall and per class. One query grouped by rating (a handful of rows): each review is read once
    and its answer looked up once."""
    posted_reply = (select(CaseReply.id).join(Case, Case.id == CaseReply.case_id)
                    .where(Case.review_id == Review.id, CaseReply.channel == "public", CaseReply.status == "posted")
                    .exists())
    posted_answer = (select(ReviewAnswer.id)
                     .where(ReviewAnswer.review_id == Review.id, ReviewAnswer.status == "posted").exists())
    rows = db.session.execute(select(
        Review.rating, func.count(Review.id),
        func.coalesce(func.sum(case((or_(posted_reply, posted_answer), 1), else_=0)), 0),
    ).where(*_reviews_in(shop_ids, period)).group_by(Review.rating)).all()
    written = {rating: (int(count), int(answered)) for rating, count, answered in rows}

    def total(ratings=None, answered=False):
        return sum(pair[answered] for rating, pair in written.items() if ratings is None or rating in ratings)

    rated = [(rating, count) for rating, (count, _) in written.items() if rating is not None and rating > 0]
    average = sum(r * n for r, n in rated) / sum(n for _, n in rated) if rated else None
    return {"reviews": total(), "negative_reviews": total(NEGATIVE), "average_rating": _rounded(average),
            "answered_reviews": total(answered=True), "positive_reviews": total(POSITIVE),
            "answered_positive": total(POSITIVE, True), "neutral_reviews": total(NEUTRAL),
            "answered_neutral": total(NEUTRAL, True), "answered_negative": total(NEGATIVE, True)}


def monthly_reviews(shop_ids, period):
    """Positive / neutral / negative counts and the average rating per calendar month of the period."""
    year, month = year_and_month(Review.created_at)
    rows = db.session.execute(select(
        year, month, *(func.coalesce(func.sum(case((Review.rating.in_(r), 1), else_=0)), 0)
                       for r in (POSITIVE, NEUTRAL, NEGATIVE)),
        func.avg(case((Review.rating > 0, Review.rating))),
    ).where(*_reviews_in(shop_ids, period)).group_by(year, month)).all()
    found = {(int(y), int(m)): row for y, m, *row in rows}
    table = []
    for first in period.months():
        positive, neutral, negative, average = found.get((first.year, first.month), (0, 0, 0, None))
        table.append(MonthRow(first, int(positive), int(neutral), int(negative), _rounded(average)))
    return table


def top_causes(shop_ids, period, previous):
    """The most frequent main causes of the cases opened in `period`, with their count in `previous`."""
    def counts(span, only=None):
        where = [Case.shop_id.in_(shop_ids or [-1]), Case.opened_at >= span.starts_at,
                 Case.opened_at < span.ends_at, Case.cause.is_not(None)]
        if only is not None:
            where.append(Case.cause.in_(only))
        query = (select(Case.cause, func.count(Case.id)).where(*where).group_by(Case.cause)
                 .order_by(func.count(Case.id).desc(), Case.cause))
        return db.session.execute(query if only is not None else query.limit(TOP)).all()

    top = counts(period)
    before = dict(counts(previous, [cause for cause, _ in top])) if top else {}
    return [Ranked(cause, CAUSES.get(cause, cause), count, before.get(cause, 0)) for cause, count in top]


def top_products(shop_ids, period, previous):
    """The products with the most negative (1–2★) reviews written in `period`, with their count in `previous`."""
    def counts(span, only=None):
        where = [*_reviews_in(shop_ids, span), Review.rating.in_(NEGATIVE), Review.product_id.is_not(None)]
        if only is not None:
            where.append(Review.product_id.in_(only))
        query = (select(Review.product_id, Product.name, func.count(Review.id))
                 .join(Product, Product.id == Review.product_id).where(*where)
                 .group_by(Review.product_id, Product.name).order_by(func.count(Review.id).desc(), Product.name))
        return db.session.execute(query if only is not None else query.limit(TOP)).all()

    top = counts(period)
    before = {pid: n for pid, _, n in counts(previous, [pid for pid, _, _ in top])} if top else {}
    return [Ranked(str(pid), name, count, before.get(pid, 0)) for pid, name, count in top]


def compensation_spent(shop_ids, period, previous):
    """Succeeded compensations per kind and currency: how many, their value, and the value in `previous`."""
    def sums(span):
        query = (select(Compensation.kind, Compensation.currency, func.count(Compensation.id),
                        func.sum(Compensation.value))
                 .where(Compensation.shop_id.in_(shop_ids or [-1]), Compensation.state == "succeeded",
                        Compensation.finished_at >= span.starts_at, Compensation.finished_at < span.ends_at)
                 .group_by(Compensation.kind, Compensation.currency))
        return {(kind, currency): (count, total) for kind, currency, count, total in db.session.execute(query)}

    now, before = sums(period), sums(previous)
    return [Spent(kind, currency, count, total, before.get((kind, currency), (0, 0))[1])
            for (kind, currency), (count, total) in sorted(now.items())]


def _open_and_overdue(shop_ids, now):
    open_cases, overdue = db.session.execute(select(
        func.count(Case.id), func.coalesce(func.sum(case((Case.overdue_at(now), 1), else_=0)), 0),
    ).where(Case.shop_id.in_(shop_ids or [-1]), Case.status.in_(OPEN_STATUSES))).one()
    return open_cases, int(overdue)


def _reviews_in(shop_ids, period):
    return [Review.shop_id.in_(shop_ids or [-1]), Review.created_at >= period.starts_at,
            Review.created_at < period.ends_at, Review.status.not_in(sorted(REMOVED_STATUSES))]


def _rounded(average):
    return round(float(average), 2) if average is not None else None


def _share(part, whole):
    return round(part / whole, 4) if whole else None
