"""The staff alert an SLA notice sends (outbox kind "sla_alert"): English, to the assignee or the owners.

The outbox row's idempotency key names the notice ("sla:<case>:<clock>:<stage>:<due>:u<user>"), so the
alert can say which clock it is about and, when its time comes, be dropped if the clock was met
meanwhile or the case resolved. Customer text in it is escaped in the HTML part (a .html template)
and the subject is one line.
"""
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from flask import current_app

from crisisdesk import clock
from crisisdesk.domain.causes import CAUSES
from crisisdesk.domain.follow_up import header_safe
from crisisdesk.domain.priority import LEVEL_LABELS
from crisisdesk.domain.sla import CLOCK_LABELS, clock_states, countdown_text
from crisisdesk.services.email_kinds import RenderedEmail

KIND = "sla_alert"
KEY_PREFIX = "sla:"
_DUE_FORMAT = "%Y%m%dT%H%M%S"


def alert_key(case_id, clock_name, stage, due_at, user_id):
    """The outbox key of one notice's alert to one person."""
    return f"{KEY_PREFIX}{case_id}:{clock_name}:{stage}:{due_at.astimezone(timezone.utc):{_DUE_FORMAT}}:u{user_id}"


def parse_key(key):
    """(clock, stage, due_at) from an alert's key."""
    _, _, clock_name, stage, due, _ = key.split(":")
    return clock_name, stage, datetime.strptime(due, _DUE_FORMAT).replace(tzinfo=timezone.utc)


def render(email):
    """Subject and both parts of the alert."""
    case, shop = email.case, email.shop
    if case is None:
        raise ValueError(f"outbox row {email.id} has no case to alert about")
    clock_name, stage, due_at = parse_key(email.idempotency_key)
    zone = ZoneInfo(shop.timezone)
    state = _state(case, clock_name, due_at, clock.utcnow())
    label = CLOCK_LABELS[clock_name]
    headline = "Overdue" if stage == "overdue" else "Due soon"
    subject = header_safe(f"[{headline}] {label} on case #{case.id} ({shop.name})")
    context = {
        "language": "en", "subject": subject, "headline": headline, "label": label, "case": case,
        "shop_name": header_safe(shop.name, 200),
        "status": countdown_text(state, clock.utcnow()) if state else f"{label} {stage.replace('_', ' ')}",
        "due_local": f"{due_at.astimezone(zone):%Y-%m-%d %H:%M} ({shop.timezone})",
        "priority": LEVEL_LABELS.get(case.priority, case.priority), "reasons": case.priority_reasons or [],
        "causes": [CAUSES.get(c, c) for c in case.causes or []],
        "summary": (case.summary or "")[:500],
        "url": current_app.config["PANEL_URL"].rstrip("/") + f"/cases/{case.id}",
    }
    env = current_app.jinja_env
    return RenderedEmail(subject=subject, text=env.get_template("emails/sla_alert.txt").render(context),
                         html=env.get_template("emails/sla_alert.html").render(context))


def cancel_reason(email):
    """Not sent when the case was resolved or the clock met (or moved on) before the alert went out."""
    case = email.case
    if case is None:
        return "the case no longer exists"
    if not case.status_enum.is_open:
        return "the case was resolved"
    clock_name, _, due_at = parse_key(email.idempotency_key)
    if _state(case, clock_name, due_at, clock.utcnow()) is None:
        return f"the {CLOCK_LABELS[clock_name]} clock was met"
    return None


def _state(case, clock_name, due_at, now):
    """The clock's running state if it still runs with that due time, else None."""
    return next((s for s in clock_states(case, now) if s.clock == clock_name and s.due_at == due_at and s.running),
                None)
