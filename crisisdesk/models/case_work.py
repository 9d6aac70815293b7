"""Working a case: the replies sent, the agents' cause corrections, and SLA notices already sent.

A reply is a row before it is delivered (like an outbox email): the row fixes the text, the
channel and the idempotency key the bridge sees, so a retried job, a restarted worker or a double
click never posts the same reply twice under a review.

  pending → sending → posted (public, under the review) | queued (email, handed to the outbox)
          ↘ pending again (WordPress unreachable, with backoff)   ↘ unknown (sent, no answer)
          ↘ failed (WordPress refused it for good; shown on the case)
"""
from crisisdesk.extensions import db
from crisisdesk.models.posted import PostedUnderReview
from crisisdesk.models.types import UTCDateTime, utc_now

REPLY_CHANNELS = ("public", "email")
REPLY_STATUSES = ("pending", "sending", "posted", "queued", "failed")
SLA_CLOCKS = ("first_response", "apology", "update", "statutory")
SLA_STAGES = ("due_soon", "overdue")


class CaseReply(PostedUnderReview, db.Model):
    __tablename__ = "case_replies"
    __table_args__ = (
        db.UniqueConstraint("idempotency_key"),
        db.Index("ix_case_replies_status_next", "status", "next_attempt_at"),
        # A case's replies; with channel and status, the dashboard's "has a posted public reply" per review is
        # answered from the index alone (services/dashboard.review_counts).
        db.Index("ix_case_replies_case_channel_status", "case_id", "channel", "status"),
    )

    id = db.Column(db.Integer, primary_key=True)
    shop_id = db.Column(db.Integer, db.ForeignKey("shops.id", ondelete="CASCADE"), nullable=False, index=True)
    case_id = db.Column(db.Integer, db.ForeignKey("cases.id", ondelete="CASCADE"), nullable=False)
    author_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"))
    channel = db.Column(db.String(10), nullable=False)  # one of REPLY_CHANNELS
    # The composer's form token: the same submission twice finds the first row.
    idempotency_key = db.Column(db.String(120), nullable=False)
    # language, content, status (one of REPLY_STATUSES), attempts, … delivered_at: models/posted.py
    outbox_email_id = db.Column(db.Integer, db.ForeignKey("outbox_emails.id", ondelete="SET NULL"))
    steps_missing = db.Column(db.JSON, nullable=False, default=list)  # 5P steps the text did not cover
    similar_to = db.Column(db.JSON, nullable=False, default=list)  # earlier replies it nearly repeats

    case = db.relationship("Case", backref=db.backref("replies", order_by="CaseReply.id"))
    author = db.relationship("User")
    outbox_email = db.relationship("OutboxEmail")


class CauseCorrection(db.Model):
    """An agent's change to the detected causes, kept so the shop can see how often the detector is wrong."""

    __tablename__ = "cause_corrections"

    id = db.Column(db.Integer, primary_key=True)
    shop_id = db.Column(db.Integer, db.ForeignKey("shops.id", ondelete="CASCADE"), nullable=False, index=True)
    case_id = db.Column(db.Integer, db.ForeignKey("cases.id", ondelete="CASCADE"), nullable=False, index=True)
    actor_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"))
    language = db.Column(db.String(8))
    detected = db.Column(db.JSON, nullable=False, default=list)
    corrected = db.Column(db.JSON, nullable=False, default=list)
    at = db.Column(UTCDateTime, nullable=False, default=utc_now)


class SlaNotification(db.Model):
    """One SLA notice sent: at most one per case, clock, stage and due time, however often the job runs."""

    __tablename__ = "sla_notifications"
    __table_args__ = (db.UniqueConstraint("case_id", "clock", "stage", "due_at"),)

    id = db.Column(db.Integer, primary_key=True)
    shop_id = db.Column(db.Integer, db.ForeignKey("shops.id", ondelete="CASCADE"), nullable=False, index=True)
    case_id = db.Column(db.Integer, db.ForeignKey("cases.id", ondelete="CASCADE"), nullable=False)
    clock = db.Column(db.String(20), nullable=False)  # one of SLA_CLOCKS
    stage = db.Column(db.String(10), nullable=False)  # one of SLA_STAGES
    due_at = db.Column(UTCDateTime, nullable=False)
    recipients = db.Column(db.JSON, nullable=False, default=list)
    at = db.Column(UTCDateTime, nullable=False, default=utc_now)
