"""Orders likely to become complaints before any review arrives (domain/at_risk.py), and what was done about them.

A periodic job flags them (services/at_risk_orders.py); an agent sends the customer a transparent delay notice
(services/delay_notices.py) or dismisses the flag with a reason.

  open → notified (a delay notice went into the outbox)
       ↘ dismissed (an agent decided no notice is needed, and said why)
       ↘ cleared (the order moved on, completed, cancelled or refunded, before anyone acted)

Whatever the status, `cleared_at` is set once the order moves on. Rows are kept after that: they are the
record the bench (bench/at_risk_orders.py) measures the rule with.
"""
from crisisdesk.extensions import db
from crisisdesk.models.types import UTCDateTime, utc_now

AT_RISK_STATUSES = ("open", "notified", "dismissed", "cleared")


class AtRiskOrder(db.Model):
    __tablename__ = "at_risk_orders"
    __table_args__ = (
        # One flag per order while it is active: NULLs never collide, so cleared rows (NULL here) stay.
        db.UniqueConstraint("active_order_id"),
        # The panel's list (a shop's flags of one status, newest first) and the job's pass over active flags.
        db.Index("ix_at_risk_orders_shop_status_flagged", "shop_id", "status", "flagged_at"),
    )

    id = db.Column(db.Integer, primary_key=True)
    shop_id = db.Column(db.Integer, db.ForeignKey("shops.id", ondelete="CASCADE"), nullable=False)
    order_id = db.Column(db.Integer, db.ForeignKey("orders.id", ondelete="CASCADE"), nullable=False, index=True)
    # The order's id while the flag is active (not cleared), NULL after: the UNIQUE column above.
    active_order_id = db.Column(db.Integer)
    customer_id = db.Column(db.Integer, db.ForeignKey("customers.id", ondelete="SET NULL"), index=True)
    reason = db.Column(db.String(30), nullable=False)  # one of domain.at_risk.REASONS
    flagged_at = db.Column(UTCDateTime, nullable=False, default=utc_now)
    status = db.Column(db.String(20), nullable=False, default="open")  # one of AT_RISK_STATUSES
    acted_by_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"))  # who notified or dismissed
    # The delay notice: what the agent wrote, and the outbox row and goodwill code that carry it.
    notified_at = db.Column(UTCDateTime)
    notice_language = db.Column(db.String(8))
    notice_text = db.Column(db.Text)
    delay_reason = db.Column(db.Text)  # why the order is late, as the agent told the customer (may be empty)
    expected_on = db.Column(db.Date)  # the new expected dispatch date the agent promised
    outbox_email_id = db.Column(db.Integer, db.ForeignKey("outbox_emails.id", ondelete="SET NULL"))
    compensation_id = db.Column(db.Integer, db.ForeignKey("compensations.id", ondelete="SET NULL"))
    dismissed_at = db.Column(UTCDateTime)
    dismiss_reason = db.Column(db.Text)
    cleared_at = db.Column(UTCDateTime)  # when the job saw the order move on

    shop = db.relationship("Shop")
    order = db.relationship("Order")
    customer = db.relationship("Customer")
    acted_by = db.relationship("User")
    outbox_email = db.relationship("OutboxEmail")
    compensation = db.relationship("Compensation")
