"""Upsert WooCommerce resources (customers, products, orders, reviews) from parsed payloads.

Events may arrive twice, late or out of order. Each resource keeps the version
stamp it was last written from (`date_modified_gmt`, or the event's time when the
resource has none, as reviews do) and when that state was observed (the event's
time, or the moment the backfill fetched it). An older payload is reported as stale
and changes nothing; on equal stamps (WooCommerce's are whole seconds, and an order
created and completed in one second shares one) the later observation wins.
Shared by event ingest and the backfill. The caller commits.
"""
from dataclasses import dataclass, field

from crisisdesk.domain.moderation import HELD
from crisisdesk.extensions import db
from crisisdesk.models import Customer, Order, OrderItem, Product, Refund, Review, ReviewRevision


@dataclass
class OrderChange:
    applied: bool
    order: Order | None = None
    created: bool = False


@dataclass
class ReviewChange:
    applied: bool
    review: Review | None = None
    created: bool = False
    previous: dict = field(default_factory=dict)  # rating/text/status before this change

    @property
    def rating_changed(self):
        return bool(self.previous) and self.previous["rating"] != self.review.rating

    @property
    def text_changed(self):
        return bool(self.previous) and self.previous["text"] != self.review.text

    @property
    def status_changed(self):
        return bool(self.previous) and self.previous["status"] != self.review.status


def upsert_customer(shop, email, first_name="", last_name="", remote_id=None):
    """The shop's customer with this email, created when new; names fill in only where empty."""
    if not email:
        return None
    customer = (Customer.query.filter_by(shop_id=shop.id, email=email).first()
                or _pending(Customer, shop_id=shop.id, email=email))
    if customer is None:
        customer = Customer(shop_id=shop.id, email=email)
        db.session.add(customer)
    customer.first_name = customer.first_name or first_name
    customer.last_name = customer.last_name or last_name
    if remote_id:
        customer.remote_id = remote_id
    return customer


def upsert_product(shop, remote_id, name="", permalink="", sku=""):
    if not remote_id:
        return None
    product = (Product.query.filter_by(shop_id=shop.id, remote_id=remote_id).first()
               or _pending(Product, shop_id=shop.id, remote_id=remote_id))
    if product is None:
        product = Product(shop_id=shop.id, remote_id=remote_id)
        db.session.add(product)
    product.name = name or product.name
    product.permalink = permalink or product.permalink
    product.sku = sku or product.sku
    return product


def upsert_order(shop, data, observed_at):
    """Write an OrderData unless we already hold a newer version of the order."""
    # No autoflush: a half-filled new row must not be flushed by the look-ups below.
    with db.session.no_autoflush:
        return _upsert_order(shop, data, observed_at)


def _upsert_order(shop, data, observed_at):
    version = data.modified_at or observed_at
    order = (Order.query.filter_by(shop_id=shop.id, remote_id=data.remote_id)
             .with_for_update().first())
    if order is not None and _is_older(version, observed_at, order):
        return OrderChange(applied=False, order=order)
    created = order is None
    if created:
        order = Order(shop_id=shop.id, remote_id=data.remote_id)
        db.session.add(order)
    order.number = data.number
    order.status = data.status
    order.currency = data.currency
    order.total = data.total
    order.billing_email = data.email
    order.billing_name = " ".join(p for p in (data.first_name, data.last_name) if p)
    order.payment_method_title = data.payment_method_title
    order.created_at = data.created_at or order.created_at
    order.completed_at = data.completed_at
    order.paid_at = data.paid_at
    order.source_modified_at, order.source_observed_at = version, observed_at
    order.customer = upsert_customer(shop, data.email, data.first_name, data.last_name,
                                     data.remote_customer_id or None)
    _sync_items(shop, order, data.items)
    _add_refunds(shop, order, data.refunds)
    db.session.flush()
    return OrderChange(applied=True, order=order, created=created)


def upsert_review(shop, data, observed_at):
    """Write a ReviewData unless we hold a newer version; a new revision row records each change."""
    with db.session.no_autoflush:
        return _upsert_review(shop, data, observed_at)


def _upsert_review(shop, data, observed_at):
    version = data.modified_at or observed_at
    review = (Review.query.filter_by(shop_id=shop.id, remote_id=data.remote_id)
              .with_for_update().first())
    if review is not None and _is_older(version, observed_at, review):
        return ReviewChange(applied=False, review=review)
    created = review is None
    previous = {} if created else {"rating": review.rating, "text": review.text, "status": review.status}
    if created:
        review = Review(shop_id=shop.id, remote_id=data.remote_id, remote_product_id=data.remote_product_id)
        db.session.add(review)
    review.product = upsert_product(shop, data.remote_product_id, data.product_name, data.product_permalink)
    review.remote_product_id = data.remote_product_id
    first, _, last = data.reviewer.partition(" ")
    review.customer = upsert_customer(shop, data.email, first, last)
    review.reviewer_name = data.reviewer
    review.reviewer_email = data.email
    review.rating = data.rating
    review.text = data.text
    review.status = data.status
    review.verified = data.verified
    review.remote_order_id = data.remote_order_id or review.remote_order_id
    review.created_at = data.created_at or review.created_at or version
    review.source_modified_at, review.source_observed_at = version, observed_at
    _track_moderation(review, previous.get("status"), version)
    current = {"rating": review.rating, "text": review.text, "status": review.status}
    if current != previous:
        review.revisions.append(ReviewRevision(shop_id=shop.id, source_modified_at=version, **current))
    db.session.flush()
    return ReviewChange(applied=True, review=review, created=created, previous=previous)


def _track_moderation(review, previous_status, version):
    """Since when the review awaits moderation ("hold"): since it was written, or since it was unapproved."""
    if review.status != HELD:
        review.held_since = review.moderation_warned_at = None
    elif previous_status != HELD:
        review.held_since = review.created_at if previous_status is None else version
        review.moderation_warned_at = None


def _is_older(version, observed_at, row):
    """True when (version, observed_at) is before what `row` was last written from."""
    if row.source_modified_at is None:
        return False
    if version != row.source_modified_at:
        return version < row.source_modified_at
    return row.source_observed_at is not None and observed_at < row.source_observed_at


def _sync_items(shop, order, items):
    by_remote = {item.remote_id: item for item in order.items}
    wanted = {item.remote_id for item in items}
    for stale in [i for i in order.items if i.remote_id not in wanted]:
        order.items.remove(stale)
    for data in items:
        item = by_remote.get(data.remote_id)
        if item is None:
            item = OrderItem(shop_id=shop.id, remote_id=data.remote_id)
            order.items.append(item)
        item.remote_product_id = data.remote_product_id
        item.product = upsert_product(shop, data.remote_product_id, data.name, sku=data.sku)
        item.name = data.name
        item.sku = data.sku
        item.quantity = data.quantity
        item.total = data.total


def _add_refunds(shop, order, refunds):
    known = {r.remote_id: r for r in order.refunds}
    for data in refunds:
        refund = known.get(data.remote_id)
        if refund is None:
            order.refunds.append(Refund(shop_id=shop.id, remote_id=data.remote_id, amount=data.amount,
                                        reason=data.reason))
        else:
            refund.amount, refund.reason = data.amount, data.reason


def _pending(model, **keys):
    # Upserts run without autoflush, so a row added earlier in the same upsert (two line items of one
    # product, i.e. two variations) is not in the database yet, only in the session.
    return next((row for row in db.session.new
                 if isinstance(row, model) and all(getattr(row, k) == v for k, v in keys.items())), None)
