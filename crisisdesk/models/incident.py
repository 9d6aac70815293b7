"""Incidents: many cases with one cause handled as one crisis, its broadcast updates and its security checklist.

The phases and every rule are in domain/incidents.py; services/incidents.py and services/incident_broadcasts.py
change these rows. Nothing here is deleted: a closed incident keeps its cases, updates and retrospective.
"""
from crisisdesk.extensions import db
from crisisdesk.models.types import UTCDateTime, utc_now


class Incident(db.Model):
    __tablename__ = "incidents"
    __table_args__ = (
        db.Index("ix_incidents_shop_phase", "shop_id", "phase"),
        # The reminder job: open incidents whose next update is due.
        db.Index("ix_incidents_phase_due", "phase", "next_update_due_at"),
    )

    id = db.Column(db.Integer, primary_key=True)
    shop_id = db.Column(db.Integer, db.ForeignKey("shops.id", ondelete="CASCADE"), nullable=False)
    title = db.Column(db.String(200), nullable=False)
    cause = db.Column(db.String(40), nullable=False)  # one of domain.causes.CAUSE_NAMES
    product_id = db.Column(db.Integer, db.ForeignKey("products.id", ondelete="SET NULL"), index=True)
    phase = db.Column(db.String(20), nullable=False, default="recognised")  # one of domain.incidents.PHASES
    owner_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    statement = db.Column(db.Text, nullable=False, default="")  # the public statement
    opened_at = db.Column(UTCDateTime, nullable=False, default=utc_now)
    closed_at = db.Column(UTCDateTime)
    created_from_alert_id = db.Column(db.Integer, db.ForeignKey("crisis_alerts.id", ondelete="SET NULL"),
                                      index=True)
    cadence_hours = db.Column(db.Integer, nullable=False, default=72)
    next_update_due_at = db.Column(UTCDateTime)  # None once closed: the cadence stops
    # The retrospective, required to close (domain.incidents.RETROSPECTIVE_FIELDS).
    what_happened = db.Column(db.Text)
    what_worked = db.Column(db.Text)
    what_to_change = db.Column(db.Text)
    updated_at = db.Column(UTCDateTime, nullable=False, default=utc_now, onupdate=utc_now)

    shop = db.relationship("Shop")
    product = db.relationship("Product")
    owner = db.relationship("User")
    alert = db.relationship("CrisisAlert")
    links = db.relationship("IncidentCase", back_populates="incident", order_by="IncidentCase.case_id",
                            cascade="all, delete-orphan")
    updates = db.relationship("IncidentUpdate", back_populates="incident", order_by="IncidentUpdate.number",
                              cascade="all, delete-orphan")
    ticks = db.relationship("IncidentChecklistTick", order_by="IncidentChecklistTick.id",
                            cascade="all, delete-orphan")


class IncidentCase(db.Model):
    """A case that is part of an incident; a case belongs to one incident at most (the UNIQUE case_id)."""

    __tablename__ = "incident_cases"
    __table_args__ = (db.UniqueConstraint("case_id"),)

    id = db.Column(db.Integer, primary_key=True)
    incident_id = db.Column(db.Integer, db.ForeignKey("incidents.id", ondelete="CASCADE"), nullable=False,
                            index=True)
    case_id = db.Column(db.Integer, db.ForeignKey("cases.id", ondelete="CASCADE"), nullable=False)
    added_by_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"))
    added_at = db.Column(UTCDateTime, nullable=False, default=utc_now)

    incident = db.relationship("Incident", back_populates="links")
    case = db.relationship("Case", backref=db.backref("incident_link", uselist=False))


class IncidentUpdate(db.Model):
    """One broadcast update: the texts an agent approved, per language; its emails are outbox rows keyed
    "incident:<id>:update:<number>:case:<case>" (domain.incidents.update_key)."""

    __tablename__ = "incident_updates"
    __table_args__ = (db.UniqueConstraint("incident_id", "number"),)  # a double submit creates one update

    id = db.Column(db.Integer, primary_key=True)
    incident_id = db.Column(db.Integer, db.ForeignKey("incidents.id", ondelete="CASCADE"), nullable=False)
    number = db.Column(db.Integer, nullable=False)  # 1, 2, … per incident
    texts = db.Column(db.JSON, nullable=False, default=dict)  # {language: the approved text}
    recipients = db.Column(db.Integer, nullable=False, default=0)  # customers it was addressed to
    sent_by_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"))
    created_at = db.Column(UTCDateTime, nullable=False, default=utc_now)

    incident = db.relationship("Incident", back_populates="updates")
    sent_by = db.relationship("User")


class IncidentChecklistTick(db.Model):
    """A ticked step of the security playbook (domain.incidents.SECURITY_CHECKLIST): who ticked it, when."""

    __tablename__ = "incident_checklist_ticks"
    __table_args__ = (db.UniqueConstraint("incident_id", "item"),)

    id = db.Column(db.Integer, primary_key=True)
    incident_id = db.Column(db.Integer, db.ForeignKey("incidents.id", ondelete="CASCADE"), nullable=False)
    item = db.Column(db.String(40), nullable=False)
    ticked_by_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"))
    ticked_at = db.Column(UTCDateTime, nullable=False, default=utc_now)

    ticked_by = db.relationship("User")
