"""The append-only audit log of every action that changes data."""
from crisisdesk.extensions import db
from crisisdesk.models.types import UTCDateTime, utc_now


class AuditEntry(db.Model):
    __tablename__ = "audit_entries"
    __table_args__ = (db.Index("ix_audit_entries_shop_at", "shop_id", "at"),)

    id = db.Column(db.Integer, primary_key=True)
    at = db.Column(UTCDateTime, nullable=False, default=utc_now)
    shop_id = db.Column(db.Integer, db.ForeignKey("shops.id", ondelete="SET NULL"))
    actor_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"))
    actor_label = db.Column(db.String(254), nullable=False)  # kept when the user is gone: "cli", "bridge", an email
    action = db.Column(db.String(60), nullable=False)
    target_type = db.Column(db.String(40), nullable=False, default="")
    target_id = db.Column(db.Integer)
    details = db.Column(db.JSON, nullable=False, default=dict)
    ip = db.Column(db.String(64), nullable=False, default="")

    actor = db.relationship("User")
