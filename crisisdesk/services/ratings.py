"""The "Ratings" page: reviews and average rating per product and month, the products nobody has reviewed
yet, and what the post-purchase review requests brought (issue 10, item 6; EXTRACT §12: the number of
reviews matters as well as their average, and zero reviews is a problem of its own).

Every figure is a SQL aggregate (GROUP BY with the portable month of services/sql_stats.py); the
page loads at most MAX_ROWS products per table. Definitions:
- Reviews count by the day they were written, spam and trash left out (as on the dashboard); an
  average is over the reviews that carry a rating.
- A product without reviews has none left at all (not only in the period); its orders are the
  paid ones (processing or completed) with a line of it, in the period and ever.
- Review requests count by the day they went out (cancelled and failed ones: by the day they were
  due; the scheduled ones: all that wait now). A sent request got a review when, after it went
  out, the buyer reviewed one of the order's products, or a review names the order (WooCommerce's
  `_review_order_id`).
"""
from dataclasses import dataclass

from sqlalchemy import and_, case, distinct, exists, func, or_, select

from crisisdesk.domain.review_requests import KIND
from crisisdesk.extensions import db
from crisisdesk.models import Order, OrderItem, OutboxEmail, Product, Review, Shop
from crisisdesk.services.access import get_shop, visible_shop_ids
from crisisdesk.services.review_cases import REMOVED_STATUSES
from crisisdesk.services.sql_stats import year_and_month

MAX_ROWS = 50
BOUGHT = ("processing", "completed")  # paid for (domain.follow_up.REPEAT_ORDER_STATUSES)


@dataclass(frozen=True)
class Tally:
    """Reviews in a span: how many, and the average of those with a rating."""

    count: int = 0
    rated: int = 0
    rating_sum: int = 0

    @property
    def average(self):
        return round(self.rating_sum / self.rated, 2) if self.rated else None

    def __add__(self, other):
        return Tally(self.count + other.count, self.rated + other.rated, self.rating_sum + other.rating_sum)


@dataclass(frozen=True)
class ProductRatings:
    product_id: int
    name: str
    months: list  # one Tally per month of the period
    total: Tally


@dataclass(frozen=True)
class Unreviewed:
    product_id: int
    name: str
    orders_in_period: int
    orders: int


@dataclass(frozen=True)
class RequestFigures:
    sent: int
    cancelled: int
    failed: int
    scheduled: int  # waiting to go out now, whenever due
    answered: int  # sent requests a review followed
    reviews_after: int  # the reviews that followed them

    @property
    def answer_rate(self):
        return round(self.answered / self.sent, 4) if self.sent else None


@dataclass(frozen=True)
class Ratings:
    shop: Shop | None  # None: every shop the user may see
    period: object  # domain.periods.Period
    months: list  # the first day of each month of the period
    by_month: list  # one Tally per month, every product together
    total: Tally
    products: list  # ProductRatings, most reviewed first (at most MAX_ROWS)
    products_reviewed: int  # products with a review in the period
    unreviewed: list  # Unreviewed, most ordered first (at most MAX_ROWS)
    unreviewed_count: int
    requests: RequestFigures
    requests_on: bool  # the shop (or one of the shops) sends review requests


def ratings(user, period, shop_id=None):
    """The page for one shop the user may see (NotFound otherwise), or for all of them when shop_id is None."""
    shop = get_shop(user, shop_id) if shop_id else None
    shop_ids = [shop.id] if shop else visible_shop_ids(user)
    months = period.months()
    products, by_month, reviewed = _product_months(shop_ids, period, months)
    unreviewed, unreviewed_count = _unreviewed(shop_ids, period)
    requests_on = db.session.query(exists().where(Shop.id.in_(shop_ids or [-1]),
                                                  Shop.review_requests_enabled.is_(True))).scalar()
    return Ratings(shop=shop, period=period, months=months, by_month=by_month, total=sum(by_month, Tally()),
                   products=products[:MAX_ROWS], products_reviewed=reviewed, unreviewed=unreviewed,
                   unreviewed_count=unreviewed_count, requests=request_figures(shop_ids, period),
                   requests_on=bool(requests_on))


def _product_months(shop_ids, period, months):
    """Per product and month (and every product together): Tallies of the reviews written in the period."""
    year, month = year_and_month(Review.created_at)
    rated = Review.rating > 0
    rows = db.session.execute(
        select(Review.product_id, Product.name, year, month, func.count(Review.id),
               func.coalesce(func.sum(case((rated, 1), else_=0)), 0),
               func.coalesce(func.sum(case((rated, Review.rating), else_=0)), 0))
        .select_from(Review).outerjoin(Product, Product.id == Review.product_id)
        .where(Review.shop_id.in_(shop_ids or [-1]), Review.created_at >= period.starts_at,
               Review.created_at < period.ends_at, Review.status.not_in(sorted(REMOVED_STATUSES)))
        .group_by(Review.product_id, Product.name, year, month)).all()
    column = {(first.year, first.month): i for i, first in enumerate(months)}
    cells, names = {}, {}
    by_month = [Tally()] * len(months)
    for product_id, name, y, m, count, rated_count, rating_sum in rows:
        i = column[(int(y), int(m))]
        tally = Tally(count, int(rated_count), int(rating_sum))
        by_month[i] = by_month[i] + tally
        if product_id is not None:  # a review of a product deleted in WooCommerce counts only in the totals
            names[product_id] = name or ""
            cells.setdefault(product_id, [Tally()] * len(months))[i] = tally
    products = [ProductRatings(pid, names[pid], line, sum(line, Tally())) for pid, line in cells.items()]
    products.sort(key=lambda p: (-p.total.count, p.name.lower(), p.product_id))
    return products, by_month, len(products)


def _unreviewed(shop_ids, period):
    """Products with no review left at all, the most ordered first, and how many there are."""
    has_review = exists().where(Review.product_id == Product.id, Review.status.not_in(sorted(REMOVED_STATUSES)))
    where = [Product.shop_id.in_(shop_ids or [-1]), ~has_review]
    in_period = and_(Order.created_at >= period.starts_at, Order.created_at < period.ends_at)
    orders = func.count(distinct(Order.id))
    rows = db.session.execute(
        select(Product.id, Product.name, func.count(distinct(case((in_period, Order.id)))), orders)
        .select_from(Product)
        .outerjoin(OrderItem, OrderItem.product_id == Product.id)
        .outerjoin(Order, and_(Order.id == OrderItem.order_id, Order.status.in_(BOUGHT)))
        .where(*where).group_by(Product.id, Product.name)
        .order_by(orders.desc(), Product.name, Product.id).limit(MAX_ROWS)).all()
    count = db.session.execute(select(func.count(Product.id)).where(*where)).scalar()
    return [Unreviewed(pid, name, in_count, all_count) for pid, name, in_count, all_count in rows], count


def request_figures(shop_ids, period):
    """What the review requests of the period became, and how many of the sent ones a review followed."""
    requests = [OutboxEmail.shop_id.in_(shop_ids or [-1]), OutboxEmail.kind == KIND]
    due_in = [OutboxEmail.due_at >= period.starts_at, OutboxEmail.due_at < period.ends_at]
    counts = dict(db.session.execute(
        select(OutboxEmail.status, func.count(OutboxEmail.id)).where(*requests, *due_in)
        .where(OutboxEmail.status.in_(("cancelled", "failed"))).group_by(OutboxEmail.status)).all())
    sent_in = [*requests, OutboxEmail.status == "sent", OutboxEmail.sent_at >= period.starts_at,
               OutboxEmail.sent_at < period.ends_at]
    sent = db.session.execute(select(func.count(OutboxEmail.id)).where(*sent_in)).scalar()
    follows = and_(Review.shop_id == OutboxEmail.shop_id, Review.created_at >= OutboxEmail.sent_at,
                   Review.status.not_in(sorted(REMOVED_STATUSES)),
                   or_(Review.remote_order_id == Order.remote_id,
                       and_(Review.customer_id == OutboxEmail.customer_id,
                            exists().where(OrderItem.order_id == Order.id, OrderItem.product_id == Review.product_id))))
    answered, reviews = db.session.execute(
        select(func.count(distinct(OutboxEmail.id)), func.count(distinct(Review.id)))
        .select_from(OutboxEmail).join(Order, Order.id == OutboxEmail.order_id).join(Review, follows)
        .where(*sent_in)).one()
    waiting = db.session.execute(select(func.count(OutboxEmail.id)).where(
        *requests, OutboxEmail.status.in_(("scheduled", "sending")))).scalar()
    return RequestFigures(sent=sent, cancelled=counts.get("cancelled", 0), failed=counts.get("failed", 0),
                          scheduled=waiting, answered=answered, reviews_after=reviews)

