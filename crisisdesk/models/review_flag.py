"""A review flagged as unfair or fake, with the removal request made to the platform and its outcome.

The flag is a record of a person's judgement and of what was asked of whom; it never deletes the review and
never touches the case's clocks (domain/review_flags.py). Rows are kept: a decided request stays on the case.
"""
from crisisdesk.extensions import db
from crisisdesk.models.types import UTCDateTime, utc_now


class ReviewFlag(db.Model):
    __tablename__ = "review_flags"

    id = db.Column(db.Integer, primary_key=True)
    shop_id = db.Column(db.Integer, db.ForeignKey("shops.id", ondelete="CASCADE"), nullable=False, index=True)
    review_id = db.Column(db.Integer, db.ForeignKey("reviews.id", ondelete="CASCADE"), nullable=False, index=True)
    case_id = db.Column(db.Integer, db.ForeignKey("cases.id", ondelete="SET NULL"), index=True)
    reason = db.Column(db.String(20), nullable=False)  # one of domain.review_flags.FLAG_REASONS
    explanation = db.Column(db.Text, nullable=False, default="")
    flagged_by = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"))
    flagged_at = db.Column(UTCDateTime, nullable=False, default=utc_now)
    # What was asked of whom: at most one request per flag (flag again to ask another platform).
    removal_requested_at = db.Column(UTCDateTime)
    removal_request_channel = db.Column(db.String(20))  # one of domain.review_flags.REMOVAL_CHANNELS
    removal_request_text = db.Column(db.Text)
    removal_outcome = db.Column(db.String(10))  # pending | granted | refused, once requested
    removal_outcome_at = db.Column(UTCDateTime)

    review = db.relationship("Review")
    case = db.relationship("Case", backref=db.backref("review_flags", order_by="ReviewFlag.id"))
    flagger = db.relationship("User")
