"""Broadcast updates of an incident: one email per affected customer, exactly once, and the 72 h cadence.

An agent writes each update from the prepared text for the incident's cause (domain/incident_texts.py), one
text per language its customers read (pl, en, lv: the language a follow-up would use), previews it as a
customer gets it, and sends it. Sending records an IncidentUpdate with the next number, then one outbox row
per customer address (domain.incidents.recipients: a customer with two cases gets one email) keyed
"incident:<id>:update:<n>:case:<case>":
- a double click or a retried request posts the same number: the UNIQUE (incident, number) finds the first
  update, and scheduling again finds each key's row, so nobody gets it twice; a request that died half-way
  is completed by the retry (rows it had not written yet are written then);
- the outbox sends each row once (its claim), skips an address that opted out (the row is cancelled) and
  an erased customer (no row, and a row due after an erasure is cancelled);
- updates are service messages to many customers at once: they wait for the end of the shop's quiet
  hours, as follow-ups do (outbox.IMMEDIATE_KINDS leaves them out).
After an update the next one is due `cadence_hours` later. A person writes and sends every update: the
periodic `remind_due` only emails the incident's owner (or the shop's owners when it has none) once per due
time, and the panel marks the incident "update due". Closing the incident stops the cadence.
"""
from collections import Counter
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError

from crisisdesk import clock
from crisisdesk.domain import incidents as rules
from crisisdesk.domain.errors import Conflict
from crisisdesk.domain.follow_up import normalise_language
from crisisdesk.domain.incident_texts import template_for
from crisisdesk.domain.roles import Role
from crisisdesk.extensions import db
from crisisdesk.models import Case, Incident, IncidentUpdate, OutboxEmail
from crisisdesk.services import audit, crisis_alerts, incident_emails, outbox
from crisisdesk.services.email_kinds import language_for
from crisisdesk.services.incidents import get_incident
from crisisdesk.services.review_cases import add_event

EMAIL_STATUSES = ("scheduled", "sending", "sent", "failed", "cancelled")


@dataclass(frozen=True)
class Recipient:
    case: Case  # the case the email is about (the customer's first in the incident)
    address: str
    language: str
    case_ids: tuple


@dataclass(frozen=True)
class Preview:
    language: str
    recipients: int  # customers who read this language
    to_email: str  # the customer the sample is written for
    email: object  # email_kinds.RenderedEmail


def recipients(incident):
    """Who gets the next update: one per address among the incident's cases, in case order."""
    cases = {link.case.id: link.case for link in incident.links}
    candidates = [rules.Candidate(case.id, _address(case), language_for(case)) for case in cases.values()]
    return [Recipient(cases[r.case_id], r.address, r.language, r.case_ids) for r in rules.recipients(candidates)]


def languages(people, shop):
    """The languages the update must be written in: its customers', or the shop's when it has none yet."""
    return sorted({p.language for p in people}) or [normalise_language(shop.language) or "en"]


def drafts(incident, wanted):
    """{language: the prepared text for the incident's cause}, the agent's starting point."""
    return {language: template_for(incident.cause, language, incident.cadence_hours) for language in wanted}


def preview(user, incident_id, texts):
    """The update as the first customer of each language will get it; Invalid (naming text_<language>) on a
    text that cannot be sent."""
    incident = get_incident(user, incident_id, Role.AGENT)
    people = recipients(incident)
    approved = _approved(texts, languages(people, incident.shop))
    number = len(incident.updates) + 1
    samples = []
    for language, text in approved.items():
        readers = [p for p in people if p.language == language]
        if readers:
            email = incident_emails.compose(readers[0].case, number, text, language, readers[0].address)
            samples.append(Preview(language, len(readers), readers[0].address, email))
    return samples


def send_update(user, incident_id, actor, number, texts):
    """Record update `number` with its approved texts and schedule its emails; returns (update, created).

    The same number again (a double submit, a retry) returns the first update and only schedules what is
    missing; a stale number (someone sent an update meanwhile) is a Conflict."""
    incident = get_incident(user, incident_id, Role.AGENT)
    existing = _update(incident.id, number)
    if existing is not None:
        _schedule(incident, existing, recipients(incident))
        return existing, False
    if not rules.is_open(incident.phase):
        raise Conflict("the incident is closed")
    if number != len(incident.updates) + 1:
        raise Conflict("another update was sent meanwhile; look at the incident again")
    people = recipients(incident)
    if not people:
        raise Conflict("no customer of this incident has an email address", "text")
    approved = _approved(texts, languages(people, incident.shop))
    now = clock.utcnow()
    update = IncidentUpdate(incident=incident, number=number, texts=approved, recipients=len(people),
                            sent_by_id=user.id, created_at=now)
    db.session.add(update)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()  # the same update sent from another tab a moment ago: that one stands
        incident, update = get_incident(user, incident_id, Role.AGENT), _update(incident_id, number)
        _schedule(incident, update, recipients(incident))
        return update, False
    incident.next_update_due_at = rules.next_update_due(now, incident.cadence_hours)
    for link in incident.links:
        add_event(link.case, "incident", f"Incident #{incident.id}: update {number} sent to everyone affected.",
                  actor, incident_id=incident.id, update=number)
    audit.record(actor, "incident.update_sent", incident, number=number, recipients=len(people),
                 languages=sorted(approved))
    db.session.commit()
    _schedule(incident, update, people)
    return update, True


def progress(incident):
    """{update number: {status: count}} of the incident's update emails (scheduled, sent, failed, cancelled…)."""
    rows = (db.session.query(OutboxEmail.idempotency_key, OutboxEmail.status)
            .filter(OutboxEmail.shop_id == incident.shop_id, OutboxEmail.kind == rules.UPDATE_KIND,
                    OutboxEmail.idempotency_key.like(f"incident:{incident.id}:update:%")).all())
    counts = {update.number: Counter() for update in incident.updates}
    for key, status in rows:
        counts.setdefault(rules.parse_update_key(key)[1], Counter())[status] += 1
    return {number: {status: found[status] for status in EMAIL_STATUSES} for number, found in counts.items()}


def remind_due(now=None):
    """Email the owner of every open incident whose next update is due (once per due time); returns how many
    incidents are due."""
    now = now or clock.utcnow()
    due = (Incident.query.filter(Incident.phase.in_(rules.OPEN_PHASES), Incident.next_update_due_at <= now)
           .order_by(Incident.id).all())
    for incident in due:
        owner = incident.owner
        people = [owner] if owner is not None and owner.is_enabled else crisis_alerts.shop_owners(incident.shop_id)
        for person in people:
            outbox.schedule_staff_email(incident.shop, rules.REMINDER_KIND,
                                        rules.reminder_key(incident.id, incident.next_update_due_at, person.id),
                                        person.email, now,
                                        f"Incident #{incident.id}: an update to the affected customers is due.")
    return len(due)


# --- helpers ------------------------------------------------------------------------------------------------

def _approved(texts, wanted):
    return {language: rules.checked_update_text((texts or {}).get(language), f"text_{language}")
            for language in wanted}


def _schedule(incident, update, people):
    """One outbox row per recipient whose language the update was written in (idempotent by key)."""
    reason = f"Update {update.number} of incident #{incident.id}, to everyone affected."
    for person in people:
        if person.language not in update.texts:
            continue  # joined later in a language this update was not written in: the next update covers them
        case = person.case
        outbox.schedule_email(incident.shop, rules.UPDATE_KIND, rules.update_key(incident.id, update.number, case.id),
                              person.address, person.language, clock.utcnow(), reason, case=case,
                              customer=case.customer, order=case.order)


def _update(incident_id, number):
    return IncidentUpdate.query.filter_by(incident_id=incident_id, number=number).one_or_none()


def _address(case):
    if case.customer is not None and case.customer.email:
        return case.customer.email
    return case.order.billing_email if case.order is not None else ""
