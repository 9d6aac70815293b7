"""Raw events from the bridge, stored before they are acknowledged."""
from crisisdesk.extensions import db
from crisisdesk.models.types import UTCDateTime, utc_now


class InboundEvent(db.Model):
    """One delivery, unique per shop and `webhook-id`; `processed_at` stays empty until it is applied (or found stale)."""

    __tablename__ = "inbound_events"
    __table_args__ = (
        db.UniqueConstraint("shop_id", "webhook_id"),
        db.Index("ix_inbound_events_pending", "processed_at", "id"),
    )

    id = db.Column(db.Integer, primary_key=True)
    shop_id = db.Column(db.Integer, db.ForeignKey("shops.id", ondelete="CASCADE"), nullable=False)
    webhook_id = db.Column(db.String(255), nullable=False)
    type = db.Column(db.String(40), nullable=False)
    occurred_at = db.Column(UTCDateTime, nullable=False)
    received_at = db.Column(UTCDateTime, nullable=False, default=utc_now)
    body = db.Column(db.Text, nullable=False)
    processed_at = db.Column(UTCDateTime)
    # applied | stale (an older state than we hold; kept, not applied) | failed (see error)
    outcome = db.Column(db.String(20))
    attempts = db.Column(db.Integer, nullable=False, default=0)
    error = db.Column(db.Text)
