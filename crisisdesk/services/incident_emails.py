"""The emails of an incident: the broadcast update to each affected customer (outbox kind "incident_update") and
the reminder to the incident's owner that the next update is due ("incident_reminder", English staff mail).

The update is the text an agent approved for the customer's language (IncidentUpdate.texts), framed personally
(domain/incident_texts.py): the first name, the order number, and the remedy that applies to this customer
(their case's latest compensation that went through, in the follow-up's words; else that we will contact them
about compensation). The outbox row's key names the incident, the update and the case, so the email is found
again from the row. Names, texts and product names are people's input: the HTML part autoescapes them (a .html
template) and the subject is one line.
"""
from zoneinfo import ZoneInfo

from flask import current_app

from crisisdesk.domain import incidents as rules
from crisisdesk.domain.causes import CAUSES
from crisisdesk.domain.follow_up import header_safe, normalise_language
from crisisdesk.domain.follow_up_texts import TEXTS as REMEDY_TEXTS
from crisisdesk.domain.incident_texts import FRAME
from crisisdesk.extensions import db
from crisisdesk.models import Incident, IncidentUpdate
from crisisdesk.services import email_links
from crisisdesk.services.case_people import customer_first_name
from crisisdesk.services.email_kinds import RenderedEmail, remedy_sentences

KIND = rules.UPDATE_KIND
REMINDER_KIND = rules.REMINDER_KIND


def render(email):
    """Subject and both parts of an update or a reminder."""
    if email.kind == REMINDER_KIND:
        return _render_reminder(email)
    update = update_of(email)
    if update is None or email.case is None:
        raise ValueError(f"outbox row {email.id} names no existing incident update and case")
    language = normalise_language(email.language) or "en"
    return compose(email.case, update.number, update.texts.get(language, ""), language, email.to_email)


def compose(case, number, text, language, to_email):
    """The update for the customer of `case`: the approved `text` in `language`, framed personally."""
    shop, t = case.shop, FRAME[language]
    shop_name, name = header_safe(shop.name, 200), customer_first_name(case)
    order = header_safe(case.order.number, 40) if case.order else None
    subject = (t["subject_order"] if order else t["subject"]).format(shop=shop_name, order=order)
    context = {
        "t": t, "language": language, "subject": header_safe(subject),
        "greeting": t["greeting_named"].format(name=name) if name else t["greeting"],
        "about": (t["about_order"] if order else t["about"]).format(order=order, number=number),
        "paragraphs": [p.strip() for p in text.split("\n\n") if p.strip()],
        "remedies": remedies(case, language) or [t["no_remedy"]],
        "reply": t["reply"] if shop.reply_to_email else t["reply_site"].format(url=shop.url),
        "shop_name": shop_name, "footer": t["footer"].format(shop=shop_name),
        "unsubscribe_url": email_links.unsubscribe_url(shop.id, to_email),
    }
    env = current_app.jinja_env
    return RenderedEmail(subject=context["subject"],
                         text=env.get_template("emails/incident_update.txt").render(context),
                         html=env.get_template("emails/incident_update.html").render(context))


def remedies(case, language):
    """The remedy that applies to this customer: the case's latest compensation that went through, in words."""
    done = [c for c in case.compensations if c.state == "succeeded"]
    return remedy_sentences(done[-1:], case.shop_id, language, REMEDY_TEXTS[language])


def cancel_reason(email):
    """Why a due email must not go out after all, or None."""
    if email.kind == REMINDER_KIND:
        incident_id, due_at = rules.parse_reminder_key(email.idempotency_key)
        incident = db.session.get(Incident, incident_id)
        if incident is None:
            return "the incident no longer exists"
        if not rules.is_open(incident.phase):
            return "the incident was closed"
        if incident.next_update_due_at != due_at:
            return "an update was sent since"
        return None
    if update_of(email) is None or email.case is None:
        return "the incident no longer exists"
    from crisisdesk.services import outbox  # outbox imports email_kinds, which imports this module

    if outbox.is_suppressed(email.shop_id, email.to_email):
        return "the address asked for no more emails"
    if not _still_theirs(email.case, email.to_email):
        return "the customer's address was erased"
    return None


def update_of(email):
    incident_id, number, _ = rules.parse_update_key(email.idempotency_key)
    return IncidentUpdate.query.filter_by(incident_id=incident_id, number=number).one_or_none()


def _still_theirs(case, to_email):
    """The address is still the customer's (or the order's) and not an erased placeholder."""
    address = to_email.strip().lower()
    known = {case.customer.email.lower() if case.customer else "",
             case.order.billing_email.lower() if case.order else ""}
    return address in known - {""} and not rules.is_erased(address)


def _render_reminder(email):
    incident_id, due_at = rules.parse_reminder_key(email.idempotency_key)
    incident = db.session.get(Incident, incident_id)
    if incident is None:
        raise ValueError(f"outbox row {email.id} names no existing incident")
    shop = email.shop
    subject = header_safe(f"[Update due] Incident #{incident.id}: {incident.title} ({shop.name})")
    context = {
        "language": "en", "subject": subject, "incident": incident, "shop_name": header_safe(shop.name, 200),
        "title": header_safe(incident.title, 200), "cause": CAUSES.get(incident.cause, incident.cause),
        "due_local": f"{due_at.astimezone(ZoneInfo(shop.timezone)):%Y-%m-%d %H:%M} ({shop.timezone})",
        "cases": len(incident.links), "updates": len(incident.updates), "cadence": incident.cadence_hours,
        "url": current_app.config["PANEL_URL"].rstrip("/") + f"/incidents/{incident.id}/update",
    }
    env = current_app.jinja_env
    return RenderedEmail(subject=subject, text=env.get_template("emails/incident_reminder.txt").render(context),
                         html=env.get_template("emails/incident_reminder.html").render(context))
