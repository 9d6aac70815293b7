"""Compensations (refund, replacement order, discount code) and the shop's suggestion table.

A compensation row is written, with its idempotency key, before WooCommerce is called;
its state says how far it got, so a retry knows whether it may call again:

  awaiting_approval → approved → executing → succeeded
                 ↘ rejected              ↘ failed (WooCommerce said no; nothing was paid)
                                         ↘ unknown (timed out after sending: check before any retry)
"""
from crisisdesk.extensions import db
from crisisdesk.models.commerce import MONEY
from crisisdesk.models.types import UTCDateTime, utc_now


class Compensation(db.Model):
    __tablename__ = "compensations"
    __table_args__ = (
        db.UniqueConstraint("idempotency_key"),
        db.Index("ix_compensations_order_state", "order_id", "state"),
        db.Index("ix_compensations_shop_state_finished", "shop_id", "state", "finished_at"),  # money spent
    )

    id = db.Column(db.Integer, primary_key=True)
    shop_id = db.Column(db.Integer, db.ForeignKey("shops.id", ondelete="CASCADE"), nullable=False, index=True)
    # NULL for a goodwill code sent with a delay notice before any complaint (services/delay_notices.py).
    case_id = db.Column(db.Integer, db.ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    order_id = db.Column(db.Integer, db.ForeignKey("orders.id", ondelete="RESTRICT"), nullable=False)
    kind = db.Column(db.String(20), nullable=False)  # refund | replacement | coupon
    state = db.Column(db.String(20), nullable=False)
    idempotency_key = db.Column(db.String(64), nullable=False)
    # Refund: the amount. Coupon: the percent or the fixed amount. Replacement: the items' value.
    amount = db.Column(MONEY, nullable=False)
    value = db.Column(MONEY, nullable=False)  # what it is worth to the customer, for approval and reports
    currency = db.Column(db.String(8), nullable=False, default="")
    reason = db.Column(db.Text, nullable=False, default="")
    api_refund = db.Column(db.Boolean, nullable=False, default=False)
    restock = db.Column(db.Boolean, nullable=False, default=False)
    items = db.Column(db.JSON, nullable=False, default=list)  # replacement / refund lines
    coupon_type = db.Column(db.String(20))  # percent | fixed_cart
    coupon_code = db.Column(db.String(40))
    coupon_expires_on = db.Column(db.Date)
    remote_id = db.Column(db.Integer)  # the WooCommerce refund, order or coupon id
    error = db.Column(db.Text)
    attempts = db.Column(db.Integer, nullable=False, default=0)
    requested_by_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"))
    approved_by_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"))
    approved_at = db.Column(UTCDateTime)
    created_at = db.Column(UTCDateTime, nullable=False, default=utc_now)
    sent_at = db.Column(UTCDateTime)  # the last time a WooCommerce call was started
    finished_at = db.Column(UTCDateTime)

    shop = db.relationship("Shop")
    case = db.relationship("Case", backref=db.backref("compensations", order_by="Compensation.id"))
    order = db.relationship("Order")
    requested_by = db.relationship("User", foreign_keys=[requested_by_id])
    approved_by = db.relationship("User", foreign_keys=[approved_by_id])

    @property
    def marker(self):
        """Written into WooCommerce (refund reason, order meta, coupon description) to find it again."""
        return f"crisisdesk:{self.idempotency_key}"


class PolicyRule(db.Model):
    """One line of a shop's suggestion table: for this cause and order value, suggest this remedy."""

    __tablename__ = "compensation_policy_rules"

    id = db.Column(db.Integer, primary_key=True)
    shop_id = db.Column(db.Integer, db.ForeignKey("shops.id", ondelete="CASCADE"), nullable=False, index=True)
    cause = db.Column(db.String(40), nullable=False)
    min_order_value = db.Column(MONEY, nullable=False, default=0)
    remedy = db.Column(db.String(20), nullable=False)
    percent = db.Column(db.Integer, nullable=False, default=0)
    note = db.Column(db.Text, nullable=False, default="")
