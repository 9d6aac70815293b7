"""The effect of an improvement: counts in equal windows before and after it took effect
(domain/improvement_effect.py has the windows and the verdict; this module only counts, in SQL).

What is counted, for the improvement's shop:
- negative: reviews rated 1–2★ (spam and trash left out, as on the dashboard) written in the window that are
  about one of the improvement's products, or whose case has one of its causes as main cause (the dashboard's
  "top causes" counts main causes too). Each review counts once, even when it matches both. The verdict rests
  on this row.
- cases: cases opened in the window with one of the causes as main cause, from reviews and from complaints
  entered by hand (email, phone…). Only when the improvement has causes.
- product reviews, all reviews, orders: every review of its products, every review of the shop, every order
  placed — context: fewer negative reviews on half the orders is no sign that the change worked.
Each row is one query that sums both windows at once.
"""
from dataclasses import dataclass

from sqlalchemy import and_, case, func, or_, select

from crisisdesk.domain.improvement_effect import Change, verdict, windows
from crisisdesk.domain.periods import Period
from crisisdesk.domain.texts import N_
from crisisdesk.extensions import db
from crisisdesk.models import Case, Order, Review
from crisisdesk.services.dashboard import NEGATIVE
from crisisdesk.services.review_cases import REMOVED_STATUSES

ROW_LABELS = {
    "negative": N_("Negative reviews (1–2★) for these causes or products"),
    "cases": N_("Cases opened with one of these causes as main cause"),
    "product_reviews": N_("All reviews of these products (context)"),
    "reviews": N_("All reviews of the shop (context)"),
    "orders": N_("Orders placed in the shop (context)"),
}


@dataclass(frozen=True)
class Row:
    key: str  # a key of ROW_LABELS
    change: object  # domain.improvement_effect.Change

    @property
    def label(self):
        return ROW_LABELS[self.key]


@dataclass(frozen=True)
class Effect:
    window_days: int  # the window asked for; `spans.days` may be shorter while fewer days have passed
    spans: object  # domain.improvement_effect.Windows, or None while no whole day has passed
    rows: list  # the negative row first
    verdict: str  # a key of domain.improvement_effect.VERDICTS

    @property
    def negative(self):
        return self.rows[0].change if self.rows else Change(0, 0)


def effect(improvement, today, window_days):
    """The improvement's effect as of `today` (UTC), comparing `window_days` (or fewer) on each side."""
    spans = windows(improvement.made_on, today, window_days)
    if spans is None:
        return Effect(window_days=window_days, spans=None, rows=[], verdict=verdict(None, Change(0, 0)))
    shop, causes = improvement.shop_id, list(improvement.causes or [])
    product_ids = [p.id for p in improvement.products]
    about = or_(Review.product_id.in_(product_ids or [-1]), Case.cause.in_(causes or ["-"]))
    negative = _reviews(shop, Review.rating.in_(NEGATIVE), about)
    counted = {"negative": _count(spans, Review.created_at, negative, join=(Case, Case.review_id == Review.id))}
    if causes:
        counted["cases"] = _count(spans, Case.opened_at, [Case.shop_id == shop, Case.cause.in_(causes)])
    if product_ids:
        of_products = _reviews(shop, Review.product_id.in_(product_ids))
        counted["product_reviews"] = _count(spans, Review.created_at, of_products)
    counted["reviews"] = _count(spans, Review.created_at, _reviews(shop))
    counted["orders"] = _count(spans, Order.created_at, [Order.shop_id == shop])
    rows = [Row(key, change) for key, change in counted.items()]
    return Effect(window_days=window_days, spans=spans, rows=rows, verdict=verdict(spans, rows[0].change))


def _reviews(shop_id, *where):
    return [Review.shop_id == shop_id, Review.status.not_in(sorted(REMOVED_STATUSES)), *where]


def _count(spans, moment, where, join=None):
    """Change(rows in spans.before, rows in spans.after) of the rows matching `where`, dated by `moment`; `join`
    (an entity and its ON clause) is outer-joined to the rows' table."""
    def inside(period):
        return and_(moment >= period.starts_at, moment < period.ends_at)

    query = select(func.count(case((inside(spans.before), 1))), func.count(case((inside(spans.after), 1))))
    query = query.select_from(moment.class_)
    if join is not None:
        query = query.outerjoin(*join)
    both = Period(spans.before.start, spans.after.end)
    before, after = db.session.execute(query.where(*where, inside(both))).one()
    return Change(int(before), int(after))
