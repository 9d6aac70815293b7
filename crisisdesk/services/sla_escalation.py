"""SLA escalation: warn before a clock runs out and again when it has, once each, and raise the case's priority.

Run periodically (jobs/sla.py). For each open case and each running clock (domain.sla.clock_states)
that is due soon or overdue, one SlaNotification row per (case, clock, stage, due time) is the
record that the notice went out: the unique constraint makes two runs at once (two schedulers, a
retried job) send it once, and a clock that restarts (the update clock after a reply) gets new
notices for its new due time. The notice raises the case's escalation level (overdue by more than
due soon), recomputes its priority, goes on the timeline, and emails the assignee or, with nobody
assigned, the owners through the outbox (kind "sla_alert": no quiet hours, no unsubscribe link).
"""
import logging
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError

from crisisdesk import clock
from crisisdesk.domain.case_status import OPEN_STATUSES
from crisisdesk.domain.roles import Role
from crisisdesk.domain.sla import CLOCK_LABELS, clock_states, countdown_text
from crisisdesk.extensions import db
from crisisdesk.models import Case, Shop, SlaNotification, User
from crisisdesk.services import outbox, sla_emails
from crisisdesk.services.case_priority import refresh_priority
from crisisdesk.services.review_cases import add_event

log = logging.getLogger(__name__)

ESCALATION_STEPS = {"due_soon": 1, "overdue": 2}
BATCH = 500  # open cases loaded at a time


@dataclass(frozen=True)
class EscalationResult:
    notices: int  # new SlaNotification rows
    emails: int  # alert emails scheduled


def escalate_due_cases(now=None):
    """Send each due-soon and overdue notice not sent yet; safe to run any number of times, at once too."""
    now = now or clock.utcnow()
    case_ids = [row[0] for row in db.session.query(Case.id).filter(Case.status.in_(OPEN_STATUSES))
                .order_by(Case.id)]
    notices = emails = 0
    # In batches: one query for the cases and one for the notices they already had, not two per case (a shop
    # with thousands of open cases runs this every few minutes, and almost every notice is already sent).
    for start in range(0, len(case_ids), BATCH):
        batch = case_ids[start:start + BATCH]
        already = _sent_notices(batch)
        # What is due is read for the whole batch first: each notice commits, which expires every loaded case.
        due = [(case.id, state) for case in Case.query.filter(Case.id.in_(batch)).order_by(Case.id)
               for state in clock_states(case, now)
               if state.running and state.stage in ESCALATION_STEPS
               and (case.id, state.clock, state.stage, state.due_at) not in already]
        for case_id, state in due:
            case = db.session.get(Case, case_id)
            if case is None or state not in clock_states(case, now):
                continue  # answered, resolved or changed since the batch was read
            sent = _notify(case, state, now)
            if sent is not None:
                notices, emails = notices + 1, emails + sent
    if notices:
        log.info("SLA escalation: %d notices, %d emails", notices, emails)
    return EscalationResult(notices, emails)


def recipients_for(case):
    """The assignee (if enabled); else the owners who belong to the case's shop, else every owner."""
    if case.assignee is not None and case.assignee.is_enabled:
        return [case.assignee]
    return shop_owners(case.shop_id)


def shop_owners(shop_id):
    """The enabled owners who belong to the shop, else every enabled owner: who hears of a shop's trouble."""
    owners = User.query.filter(User.role == Role.OWNER.value, User.is_enabled.is_(True))
    members = owners.filter(User.shops.any(Shop.id == shop_id)).order_by(User.email).all()
    return members or owners.order_by(User.email).all()


def _notify(case, state, now):
    """One notice for (case, clock, stage, due time); None when it was already sent (by this or another run)."""
    if _already_sent(case.id, state):
        return None
    people = recipients_for(case)
    db.session.add(SlaNotification(shop_id=case.shop_id, case_id=case.id, clock=state.clock, stage=state.stage,
                                   due_at=state.due_at, recipients=[u.email for u in people], at=now))
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()  # another run sent this notice a moment ago
        return None
    case.escalation_level = (case.escalation_level or 0) + ESCALATION_STEPS[state.stage]
    priority = refresh_priority(case)
    who = ", ".join(u.display_name for u in people) or "nobody (no owner account)"
    add_event(case, "sla_" + state.stage, f"SLA: {countdown_text(state, now)}. Escalation level "
              f"{case.escalation_level}, priority {priority.level}. Alert sent to {who}.",
              clock=state.clock, stage=state.stage, due_at=state.due_at.isoformat(), level=case.escalation_level)
    db.session.commit()
    for person in people:
        outbox.schedule_staff_email(
            case.shop, sla_emails.KIND, sla_emails.alert_key(case.id, state.clock, state.stage, state.due_at,
                                                             person.id),
            person.email, now, f"SLA alert: the {CLOCK_LABELS[state.clock]} clock is "
            f"{'overdue' if state.stage == 'overdue' else 'due soon'}.", case=case)
    return len(people)


def _sent_notices(case_ids):
    """{(case id, clock, stage, due time)} of the notices these cases already had."""
    rows = (db.session.query(SlaNotification.case_id, SlaNotification.clock, SlaNotification.stage,
                             SlaNotification.due_at).filter(SlaNotification.case_id.in_(case_ids)))
    return {tuple(row) for row in rows}


def _already_sent(case_id, state):
    return db.session.query(SlaNotification.query.filter(
        SlaNotification.case_id == case_id, SlaNotification.clock == state.clock,
        SlaNotification.stage == state.stage, SlaNotification.due_at == state.due_at).exists()).scalar()


