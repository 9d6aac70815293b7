"""Mirrors of WooCommerce records, keyed by the shop and WooCommerce's own id."""
from crisisdesk.extensions import db
from crisisdesk.models.types import UTCDateTime, utc_now

MONEY = db.Numeric(12, 2)


class Customer(db.Model):
    """A person who bought or reviewed; guests have no WooCommerce id, so email is the key."""

    __tablename__ = "customers"
    __table_args__ = (db.UniqueConstraint("shop_id", "email"),)

    id = db.Column(db.Integer, primary_key=True)
    shop_id = db.Column(db.Integer, db.ForeignKey("shops.id", ondelete="CASCADE"), nullable=False, index=True)
    remote_id = db.Column(db.Integer)
    email = db.Column(db.String(254), nullable=False)
    first_name = db.Column(db.String(200), nullable=False, default="")
    last_name = db.Column(db.String(200), nullable=False, default="")
    language = db.Column(db.String(8))
    created_at = db.Column(UTCDateTime, nullable=False, default=utc_now)

    @property
    def full_name(self):
        return " ".join(p for p in (self.first_name, self.last_name) if p) or self.email


class Product(db.Model):
    __tablename__ = "products"
    __table_args__ = (db.UniqueConstraint("shop_id", "remote_id"),)

    id = db.Column(db.Integer, primary_key=True)
    shop_id = db.Column(db.Integer, db.ForeignKey("shops.id", ondelete="CASCADE"), nullable=False, index=True)
    remote_id = db.Column(db.Integer, nullable=False)
    name = db.Column(db.String(300), nullable=False, default="")
    sku = db.Column(db.String(100), nullable=False, default="")
    permalink = db.Column(db.String(500), nullable=False, default="")


class Order(db.Model):
    __tablename__ = "orders"
    __table_args__ = (
        db.UniqueConstraint("shop_id", "remote_id"),
        db.Index("ix_orders_shop_number", "shop_id", "number"),
        db.Index("ix_orders_shop_email", "shop_id", "billing_email"),
        # Orders completed in a span, per shop: the review requests' scheduler (services/review_requests.py).
        db.Index("ix_orders_shop_status_completed", "shop_id", "status", "completed_at"),
        # The case page's orders of the customer, newest first (services/inbox.case_context).
        db.Index("ix_orders_shop_customer", "shop_id", "customer_id", "created_at"),
    )

    id = db.Column(db.Integer, primary_key=True)
    shop_id = db.Column(db.Integer, db.ForeignKey("shops.id", ondelete="CASCADE"), nullable=False)
    remote_id = db.Column(db.Integer, nullable=False)
    number = db.Column(db.String(40), nullable=False)
    status = db.Column(db.String(40), nullable=False)
    currency = db.Column(db.String(8), nullable=False, default="")
    total = db.Column(MONEY, nullable=False, default=0)
    customer_id = db.Column(db.Integer, db.ForeignKey("customers.id", ondelete="SET NULL"), index=True)
    billing_email = db.Column(db.String(254), nullable=False, default="")
    billing_name = db.Column(db.String(400), nullable=False, default="")
    payment_method_title = db.Column(db.String(200), nullable=False, default="")
    created_at = db.Column(UTCDateTime)
    paid_at = db.Column(UTCDateTime)  # WooCommerce's date_paid_gmt: the at-risk rule counts from it
    completed_at = db.Column(UTCDateTime)
    # WooCommerce's date_modified_gmt: the version stamp that keeps late events from going back in time.
    source_modified_at = db.Column(UTCDateTime)
    source_observed_at = db.Column(UTCDateTime)  # when that state was seen: breaks ties of equal stamps
    # Bumped by an UPDATE to take the row lock before money moves (works on PostgreSQL and SQLite alike).
    lock_version = db.Column(db.Integer, nullable=False, default=0)

    customer = db.relationship("Customer")
    items = db.relationship("OrderItem", back_populates="order", order_by="OrderItem.id",
                            cascade="all, delete-orphan")
    refunds = db.relationship("Refund", back_populates="order", order_by="Refund.id",
                              cascade="all, delete-orphan")

    @property
    def refunded_total(self):
        return sum((r.amount for r in self.refunds), 0)

    def contains_product(self, remote_product_id):
        return any(i.remote_product_id == remote_product_id for i in self.items)


class OrderItem(db.Model):
    __tablename__ = "order_items"
    __table_args__ = (db.UniqueConstraint("order_id", "remote_id"),)

    id = db.Column(db.Integer, primary_key=True)
    shop_id = db.Column(db.Integer, db.ForeignKey("shops.id", ondelete="CASCADE"), nullable=False, index=True)
    order_id = db.Column(db.Integer, db.ForeignKey("orders.id", ondelete="CASCADE"), nullable=False)
    remote_id = db.Column(db.Integer, nullable=False)
    product_id = db.Column(db.Integer, db.ForeignKey("products.id", ondelete="SET NULL"), index=True)
    remote_product_id = db.Column(db.Integer, nullable=False, default=0)
    name = db.Column(db.String(300), nullable=False, default="")
    sku = db.Column(db.String(100), nullable=False, default="")
    quantity = db.Column(db.Integer, nullable=False, default=1)
    total = db.Column(MONEY, nullable=False, default=0)

    order = db.relationship("Order", back_populates="items")
    product = db.relationship("Product")


class Refund(db.Model):
    __tablename__ = "refunds"
    __table_args__ = (db.UniqueConstraint("shop_id", "remote_id"),)

    id = db.Column(db.Integer, primary_key=True)
    shop_id = db.Column(db.Integer, db.ForeignKey("shops.id", ondelete="CASCADE"), nullable=False)
    order_id = db.Column(db.Integer, db.ForeignKey("orders.id", ondelete="CASCADE"), nullable=False, index=True)
    remote_id = db.Column(db.Integer, nullable=False)
    amount = db.Column(MONEY, nullable=False)
    reason = db.Column(db.Text, nullable=False, default="")

    order = db.relationship("Order", back_populates="refunds")
