"""Cases (one per negative review or hand-entered complaint) and their timeline."""
from sqlalchemy import and_, or_
from sqlalchemy.ext.hybrid import hybrid_method

from crisisdesk import clock
from crisisdesk.domain.case_status import OPEN_STATUSES, CaseStatus
from crisisdesk.domain.sla import any_clock_overdue
from crisisdesk.extensions import db
from crisisdesk.models.types import UTCDateTime, utc_now


class Case(db.Model):
    __tablename__ = "cases"
    __table_args__ = (
        db.UniqueConstraint("review_id"),
        db.Index("ix_cases_inbox", "shop_id", "status", "first_response_due_at"),
        db.Index("ix_cases_priority", "shop_id", "status", "priority_score"),
        # The dashboard's periods (services/dashboard.py): cases opened, and cases resolved, in a span.
        db.Index("ix_cases_shop_opened", "shop_id", "opened_at"),
        db.Index("ix_cases_shop_resolved", "shop_id", "resolved_at"),
        # The retention job (services/retention.py) looks only at a shop's cases not anonymised yet.
        db.Index("ix_cases_shop_anonymised", "shop_id", "anonymised_at"),
        # The case page's other cases of the customer, newest first (services/inbox.case_context).
        db.Index("ix_cases_shop_customer", "shop_id", "customer_id", "opened_at"),
    )

    id = db.Column(db.Integer, primary_key=True)
    shop_id = db.Column(db.Integer, db.ForeignKey("shops.id", ondelete="CASCADE"), nullable=False)
    source = db.Column(db.String(20), nullable=False)  # review | manual
    channel = db.Column(db.String(20), nullable=False, default="review")  # review, email, phone, social, other
    review_id = db.Column(db.Integer, db.ForeignKey("reviews.id", ondelete="SET NULL"))
    customer_id = db.Column(db.Integer, db.ForeignKey("customers.id", ondelete="SET NULL"), index=True)
    product_id = db.Column(db.Integer, db.ForeignKey("products.id", ondelete="SET NULL"), index=True)
    order_id = db.Column(db.Integer, db.ForeignKey("orders.id", ondelete="SET NULL"), index=True)
    link_method = db.Column(db.String(40), nullable=False, default="none")
    link_confidence = db.Column(db.Float, nullable=False, default=0.0)
    summary = db.Column(db.Text, nullable=False, default="")
    cause = db.Column(db.String(40))  # the main cause (causes[0]): one of domain.causes.CAUSE_NAMES
    causes = db.Column(db.JSON, nullable=False, default=list)  # every cause, main first; an agent may correct
    detected_causes = db.Column(db.JSON, nullable=False, default=list)  # what the detector said, kept
    cause_evidence = db.Column(db.JSON, nullable=False, default=list)  # the words that triggered it, with offsets
    language = db.Column(db.String(8))  # of the customer's text: pl, en, lv
    sentiment_score = db.Column(db.Float)
    # Severity and priority (domain.priority): a score orders the inbox; the reasons explain it.
    priority = db.Column(db.String(10), nullable=False, default="normal")  # urgent | high | normal | low
    priority_score = db.Column(db.Integer, nullable=False, default=0)
    priority_reasons = db.Column(db.JSON, nullable=False, default=list)
    escalation_level = db.Column(db.Integer, nullable=False, default=0)  # raised by SLA escalation
    status = db.Column(db.String(30), nullable=False, default=CaseStatus.NEW.value)
    assignee_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    opened_at = db.Column(UTCDateTime, nullable=False, default=utc_now)
    first_response_due_at = db.Column(UTCDateTime, nullable=False)
    first_responded_at = db.Column(UTCDateTime)
    # The other SLA clocks (SPEC section 2): apology, regular updates, and the 14-day statutory
    # answer to a formal complaint (reklamacja) once the customer files one.
    apology_due_at = db.Column(UTCDateTime)
    public_replied_at = db.Column(UTCDateTime)
    next_update_due_at = db.Column(UTCDateTime)
    last_update_at = db.Column(UTCDateTime)
    formal_complaint_at = db.Column(UTCDateTime)
    statutory_due_at = db.Column(UTCDateTime)
    resolved_at = db.Column(UTCDateTime)
    closed_at = db.Column(UTCDateTime)
    review_removed = db.Column(db.Boolean, nullable=False, default=False)  # trashed/spammed in WordPress
    anonymised_at = db.Column(UTCDateTime)  # when the shop's retention period took its personal data
    updated_at = db.Column(UTCDateTime, nullable=False, default=utc_now, onupdate=utc_now)

    shop = db.relationship("Shop")
    review = db.relationship("Review")
    customer = db.relationship("Customer")
    product = db.relationship("Product")
    order = db.relationship("Order")
    assignee = db.relationship("User")
    events = db.relationship("CaseEvent", back_populates="case", order_by="CaseEvent.id",
                             cascade="all, delete-orphan")

    @property
    def status_enum(self):
        return CaseStatus(self.status)

    def is_overdue(self, now=None):
        return self.overdue_at(now or clock.utcnow())

    @hybrid_method
    def overdue_at(self, now):
        """domain.sla's rule on one case; on the class, the same rule as SQL (the inbox filter, the widget)."""
        return any_clock_overdue(self, now)

    @overdue_at.inplace.expression
    @classmethod
    def _overdue_at_sql(cls, now):
        # any_clock_overdue, clock by clock (domain.sla.clock_states): open, and one clock unmet past due.
        return and_(cls.status.in_(OPEN_STATUSES), or_(
            and_(cls.first_responded_at.is_(None), cls.first_response_due_at < now),
            and_(cls.public_replied_at.is_(None), cls.apology_due_at < now),
            cls.next_update_due_at < now,
            and_(cls.formal_complaint_at.is_not(None), cls.statutory_due_at < now,
                 or_(cls.last_update_at.is_(None), cls.last_update_at < cls.formal_complaint_at)),
        ))


class CaseEvent(db.Model):
    """One line of a case's timeline: who did what, when."""

    __tablename__ = "case_events"

    id = db.Column(db.Integer, primary_key=True)
    shop_id = db.Column(db.Integer, db.ForeignKey("shops.id", ondelete="CASCADE"), nullable=False, index=True)
    case_id = db.Column(db.Integer, db.ForeignKey("cases.id", ondelete="CASCADE"), nullable=False, index=True)
    at = db.Column(UTCDateTime, nullable=False, default=utc_now)
    kind = db.Column(db.String(40), nullable=False)
    actor_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"))
    message = db.Column(db.Text, nullable=False, default="")
    details = db.Column(db.JSON, nullable=False, default=dict)

    case = db.relationship("Case", back_populates="events")
    actor = db.relationship("User")
