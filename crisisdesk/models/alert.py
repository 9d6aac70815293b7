"""Crisis alerts: negative reviews for a product, or for the whole shop, well above their usual rate."""
from crisisdesk.extensions import db
from crisisdesk.models.types import UTCDateTime, utc_now

ALERT_SCOPES = ("shop", "product")
ALERT_STATUSES = ("open", "acknowledged")


class CrisisAlert(db.Model):
    __tablename__ = "crisis_alerts"
    __table_args__ = (
        # One alert per spike: the detector derives the key (scope, product, the window the spike began in),
        # so two detector runs at once insert it once.
        db.UniqueConstraint("dedupe_key"),
        db.Index("ix_crisis_alerts_shop_status", "shop_id", "status"),
    )

    id = db.Column(db.Integer, primary_key=True)
    shop_id = db.Column(db.Integer, db.ForeignKey("shops.id", ondelete="CASCADE"), nullable=False)
    scope = db.Column(db.String(10), nullable=False)  # one of ALERT_SCOPES
    product_id = db.Column(db.Integer, db.ForeignKey("products.id", ondelete="SET NULL"), index=True)
    dedupe_key = db.Column(db.String(120), nullable=False)
    window_start = db.Column(UTCDateTime, nullable=False)
    window_end = db.Column(UTCDateTime, nullable=False)
    observed = db.Column(db.Integer, nullable=False)  # negative reviews in the window
    expected = db.Column(db.Float, nullable=False)  # what the baseline predicts for a window that long
    p_value = db.Column(db.Float)  # chance of at least `observed` if nothing changed
    rule = db.Column(db.String(200), nullable=False, default="")  # the rule and thresholds that fired, in words
    dominant_cause = db.Column(db.String(40))
    cause_counts = db.Column(db.JSON, nullable=False, default=dict)
    review_ids = db.Column(db.JSON, nullable=False, default=list)  # the evidence
    status = db.Column(db.String(20), nullable=False, default="open")  # one of ALERT_STATUSES
    acknowledged_by_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"))
    acknowledged_at = db.Column(UTCDateTime)
    acknowledgement_note = db.Column(db.Text)
    emailed_at = db.Column(UTCDateTime)  # owners emailed (once per alert)
    created_at = db.Column(UTCDateTime, nullable=False, default=utc_now)
    updated_at = db.Column(UTCDateTime, nullable=False, default=utc_now, onupdate=utc_now)

    shop = db.relationship("Shop")
    product = db.relationship("Product")
    acknowledged_by = db.relationship("User")
