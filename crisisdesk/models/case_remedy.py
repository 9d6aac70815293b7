"""What was done about a case besides money: a remedy of one of domain/remedies.py's kinds, planned or done.

Kept apart from Compensation (money, executed in WooCommerce), so a case says both what was fixed and how the
customer was compensated. The description is the agent's free text for the team; it may name the customer, so
an erasure redacts it (services/privacy.py). The idempotency key of the form makes a double submit record once.
"""
from crisisdesk.domain.remedies import KIND_STEPS
from crisisdesk.extensions import db
from crisisdesk.models.types import UTCDateTime, utc_now


class CaseRemedy(db.Model):
    __tablename__ = "case_remedies"
    __table_args__ = (db.UniqueConstraint("idempotency_key"),)

    id = db.Column(db.Integer, primary_key=True)
    shop_id = db.Column(db.Integer, db.ForeignKey("shops.id", ondelete="CASCADE"), nullable=False, index=True)
    case_id = db.Column(db.Integer, db.ForeignKey("cases.id", ondelete="CASCADE"), nullable=False, index=True)
    kind = db.Column(db.String(30), nullable=False)  # one of domain.remedies.KIND_LABELS
    status = db.Column(db.String(10), nullable=False)  # planned | done
    description = db.Column(db.Text, nullable=False)
    idempotency_key = db.Column(db.String(64), nullable=False)
    recorded_by_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"))
    recorded_at = db.Column(UTCDateTime, nullable=False, default=utc_now)
    done_at = db.Column(UTCDateTime)  # when it was recorded as done, or marked done later

    case = db.relationship("Case", backref=db.backref("remedies", order_by="CaseRemedy.id"))
    recorded_by = db.relationship("User")

    @property
    def step(self):
        """The 5P step it answers: act (Przeciwdziałaj), improve (Popraw się) or compensate (Powetuj)."""
        return KIND_STEPS.get(self.kind, "act")
