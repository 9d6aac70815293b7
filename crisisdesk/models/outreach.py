"""Customer emails (the outbox), addresses that asked for no more, and who was won back.

Every customer email is an `OutboxEmail` row before anything is sent (SPEC section 3): the row
says who, what, when, why and in which language; a job claims it atomically and sends it, so a
retried job, a restarted worker or a second scheduler never sends it twice, and a periodic sweep
re-enqueues due rows whose job was lost, so none is forgotten.

  scheduled → sending → sent
          ↘ cancelled      ↘ scheduled again (a temporary SMTP failure, with backoff)
                           ↘ failed (the server refused it for good; shown on the case)
"""
from crisisdesk.extensions import db
from crisisdesk.models.types import UTCDateTime, utc_now

EMAIL_STATUSES = ("scheduled", "sending", "sent", "failed", "cancelled")
EMAIL_KINDS = ("follow_up", "follow_up_reminder", "case_reply", "sla_alert", "crisis_alert", "review_request",
               "moderation_alert", "incident_update", "incident_reminder", "delay_notice")


class OutboxEmail(db.Model):
    __tablename__ = "outbox_emails"
    __table_args__ = (
        db.UniqueConstraint("idempotency_key"),
        db.Index("ix_outbox_emails_status_due", "status", "due_at"),
    )

    id = db.Column(db.Integer, primary_key=True)
    shop_id = db.Column(db.Integer, db.ForeignKey("shops.id", ondelete="CASCADE"), nullable=False, index=True)
    case_id = db.Column(db.Integer, db.ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    customer_id = db.Column(db.Integer, db.ForeignKey("customers.id", ondelete="SET NULL"), index=True)
    order_id = db.Column(db.Integer, db.ForeignKey("orders.id", ondelete="SET NULL"), index=True)  # a review request's
    kind = db.Column(db.String(30), nullable=False)  # one of EMAIL_KINDS
    # One row per purpose, e.g. "case:12:follow_up": scheduling the same email twice finds the first.
    idempotency_key = db.Column(db.String(120), nullable=False)
    to_email = db.Column(db.String(254), nullable=False)
    language = db.Column(db.String(8), nullable=False)
    reason = db.Column(db.Text, nullable=False, default="")  # why it is sent, for the case page
    status = db.Column(db.String(20), nullable=False, default="scheduled")  # one of EMAIL_STATUSES
    due_at = db.Column(UTCDateTime, nullable=False)  # already moved out of the shop's quiet hours
    attempts = db.Column(db.Integer, nullable=False, default=0)
    claimed_at = db.Column(UTCDateTime)  # when a worker took it; a stale claim is swept back
    sent_at = db.Column(UTCDateTime)
    message_id = db.Column(db.String(255))  # our Message-ID, fixed per row so retries carry the same one
    last_error = db.Column(db.Text)
    status_note = db.Column(db.Text)  # why it was cancelled (opted out, rating already raised, case reopened)
    created_at = db.Column(UTCDateTime, nullable=False, default=utc_now)

    shop = db.relationship("Shop")
    case = db.relationship("Case", backref=db.backref("emails", order_by="OutboxEmail.id"))
    customer = db.relationship("Customer")
    order = db.relationship("Order")


class EmailSuppression(db.Model):
    """An address that must get no more email from this shop (one-click unsubscribe, hard bounce)."""

    __tablename__ = "email_suppressions"
    __table_args__ = (db.UniqueConstraint("shop_id", "email"),)

    id = db.Column(db.Integer, primary_key=True)
    shop_id = db.Column(db.Integer, db.ForeignKey("shops.id", ondelete="CASCADE"), nullable=False, index=True)
    email = db.Column(db.String(254), nullable=False)  # lower-cased
    reason = db.Column(db.String(30), nullable=False)  # unsubscribed | rejected
    created_at = db.Column(UTCDateTime, nullable=False, default=utc_now)


RECOVERY_OUTCOMES = ("pending", "recovered", "not_recovered")
# Evidence, strongest first: a changed rating or a repeat order "won back" the customer; a positive
# answer to the follow-up only "confirmed satisfied" them (seeds, EXTRACT §8).
RECOVERED_BY = ("rating_raised", "positive_review", "new_order", "satisfied_answer")


class Recovery(db.Model):
    """One resolved case's customer: won back within the shop's window, or not (yet)."""

    __tablename__ = "recoveries"
    __table_args__ = (
        db.UniqueConstraint("case_id"),
        db.Index("ix_recoveries_shop_outcome", "shop_id", "outcome"),
        db.Index("ix_recoveries_shop_resolved", "shop_id", "resolved_at"),  # the dashboard's recovery rate
    )

    id = db.Column(db.Integer, primary_key=True)
    shop_id = db.Column(db.Integer, db.ForeignKey("shops.id", ondelete="CASCADE"), nullable=False)
    case_id = db.Column(db.Integer, db.ForeignKey("cases.id", ondelete="CASCADE"), nullable=False)
    customer_id = db.Column(db.Integer, db.ForeignKey("customers.id", ondelete="SET NULL"), index=True)
    resolved_at = db.Column(UTCDateTime, nullable=False)
    window_ends_at = db.Column(UTCDateTime, nullable=False)
    baseline_rating = db.Column(db.Integer)  # the review's rating when the case was resolved
    # A replacement's follow-up waits until that order is completed in WooCommerce.
    waiting_for_order_id = db.Column(db.Integer, db.ForeignKey("orders.id", ondelete="SET NULL"))
    outcome = db.Column(db.String(20), nullable=False, default="pending")  # one of RECOVERY_OUTCOMES
    outcome_at = db.Column(UTCDateTime)
    recovered_by = db.Column(db.String(30))  # one of RECOVERED_BY
    evidence = db.Column(db.Text, nullable=False, default="")
    satisfaction = db.Column(db.Integer)  # the one-click answer, 1–5
    satisfaction_at = db.Column(UTCDateTime)
    created_at = db.Column(UTCDateTime, nullable=False, default=utc_now)

    case = db.relationship("Case", backref=db.backref("recovery", uselist=False))
    customer = db.relationship("Customer")
    waiting_for_order = db.relationship("Order")
