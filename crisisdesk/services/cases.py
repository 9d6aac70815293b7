"""What agents do to a case: change status, assign, add notes, link orders, enter complaints by hand."""
from crisisdesk import clock
from crisisdesk.domain.case_status import CaseStatus, can_transition
from crisisdesk.domain.causes import CAUSES
from crisisdesk.domain.errors import Conflict, Invalid, NotFound
from crisisdesk.domain.roles import Role
from crisisdesk.domain.sla import opening_clocks
from crisisdesk.extensions import db
from crisisdesk.models import Case, CauseCorrection, Order
from crisisdesk.services import audit, follow_up
from crisisdesk.services.case_classification import apply_classification, classify_text, detection_text
from crisisdesk.services.case_priority import refresh_priority
from crisisdesk.services.access import get_shop, shop_workers
from crisisdesk.services.catalog import upsert_customer
from crisisdesk.services.review_cases import add_event, sla_for
from crisisdesk.services.users import normalise_email

MANUAL_CHANNELS = ("email", "phone", "social", "other")
MAX_NOTE_LENGTH = 10_000


def get_case(user, case_id, role=Role.VIEWER):
    """The case if `user` may see it with `role`; NotFound hides other shops' cases."""
    case = db.session.get(Case, case_id)
    if case is None:
        raise NotFound("no such case")
    get_shop(user, case.shop_id, role)
    return case


def change_status(user, case_id, status, actor):
    case = get_case(user, case_id, Role.AGENT)
    if status not in [s.value for s in CaseStatus]:
        raise Invalid("unknown status", "status")
    if status == case.status:
        return case
    if not can_transition(case.status, status):
        raise Conflict(f"a case cannot go from {CaseStatus(case.status).label} to {CaseStatus(status).label}",
                       "status")
    old, now = case.status, clock.utcnow()
    case.status = status
    if status == CaseStatus.RESOLVED.value:
        case.resolved_at = now
    if status == CaseStatus.CLOSED.value:
        case.closed_at = now
    if status == CaseStatus.IN_PROGRESS.value and old in (CaseStatus.RESOLVED.value, CaseStatus.CLOSED.value):
        case.resolved_at = case.closed_at = None
    add_event(case, "status", f"Status: {CaseStatus(old).label} → {CaseStatus(status).label}", actor,
              before=old, after=status)
    audit.record(actor, "case.status_changed", case, before=old, after=status)
    # Follow-up and recovery (services/follow_up.py): resolving starts the recovery, reopening pauses it
    # and cancels unsent follow-ups; the emails are scheduled after the commit (the outbox commits itself).
    follow_up.on_status_change(case, old, status, actor)
    db.session.commit()
    follow_up.after_status_commit(case)
    return case


def correct_causes(user, case_id, causes, actor):
    """Set the case's causes (one or more, the first is the main one): a person always has the last word.

    A result that differs from what the detector said is kept as a CauseCorrection, so the shop can see
    how often the detector is wrong (services.cause_accuracy)."""
    case = get_case(user, case_id, Role.AGENT)
    chosen = list(dict.fromkeys(c for c in (causes or []) if c))
    if not chosen:
        raise Invalid("choose at least one cause", "causes")
    unknown = [c for c in chosen if c not in CAUSES]
    if unknown:
        raise Invalid(f"unknown cause {unknown[0]!r}", "causes")
    if list(case.causes or []) == chosen:
        return case
    before = list(case.causes or [])
    case.causes, case.cause = chosen, chosen[0]
    if chosen != list(case.detected_causes or []):
        db.session.add(CauseCorrection(shop_id=case.shop_id, case_id=case.id, actor_id=actor.user_id,
                                       language=case.language, detected=list(case.detected_causes or []),
                                       corrected=chosen, at=clock.utcnow()))
    refresh_priority(case)
    labels = ", ".join(CAUSES[c] for c in chosen)
    add_event(case, "cause", f"Causes set by hand: {labels} (main: {CAUSES[chosen[0]]})", actor,
              before=before, after=chosen)
    audit.record(actor, "case.causes_corrected", case, before=before, after=chosen,
                 detected=list(case.detected_causes or []))
    db.session.commit()
    return case


def set_cause(user, case_id, cause, actor):
    """Make `cause` the case's only cause (correct_causes with one)."""
    return correct_causes(user, case_id, [cause] if cause else [], actor)


def assign(user, case_id, assignee_id, actor):
    """Give the case to an agent of its shop (None unassigns)."""
    case = get_case(user, case_id, Role.AGENT)
    assignee = None
    if assignee_id:
        assignee = next((u for u in shop_workers(case.shop_id) if u.id == assignee_id), None)
        if assignee is None:
            raise Invalid("that person cannot work on this shop's cases", "assignee")
    if case.assignee_id == (assignee.id if assignee else None):
        return case
    case.assignee = assignee
    add_event(case, "assigned", f"Assigned to {assignee.display_name}" if assignee else "Unassigned", actor,
              assignee_id=assignee.id if assignee else None)
    audit.record(actor, "case.assigned", case, assignee_id=assignee.id if assignee else None)
    db.session.commit()
    return case


def add_note(user, case_id, text, actor, customer_contacted=False):
    """An internal note; when it records contact with the customer, it stops the first-response clock."""
    case = get_case(user, case_id, Role.AGENT)
    text = (text or "").strip()
    if not text:
        raise Invalid("the note is empty", "text")
    if len(text) > MAX_NOTE_LENGTH:
        raise Invalid(f"the note is longer than {MAX_NOTE_LENGTH} characters", "text")
    add_event(case, "contact" if customer_contacted else "note", text, actor)
    if customer_contacted and case.first_responded_at is None:
        case.first_responded_at = clock.utcnow()
        if case.status == CaseStatus.NEW.value:
            case.status = CaseStatus.IN_PROGRESS.value
    audit.record(actor, "case.note_added", case, customer_contacted=customer_contacted)
    db.session.commit()
    return case


def link_order(user, case_id, order_id, actor):
    """Link (or re-link) the case to one of its shop's orders by hand; None removes the link."""
    case = get_case(user, case_id, Role.AGENT)
    order = None
    if order_id:
        order = db.session.get(Order, order_id)
        if order is None or order.shop_id != case.shop_id:
            raise Invalid("no such order in this shop", "order")
    if case.order_id == (order.id if order else None):
        return case  # nothing changes: no timeline or audit noise
    before = case.order_id
    case.order = order
    case.link_method = "manual" if order else "none"
    case.link_confidence = 1.0 if order else 0.0
    if order and case.customer is None:
        case.customer = order.customer
    message = f"Linked by hand to order #{order.number}" if order else "Order link removed"
    add_event(case, "order_linked", message, actor, method=case.link_method, before=before,
              after=order.id if order else None)
    refresh_priority(case)  # the order's value and the customer's orders weigh in
    audit.record(actor, "case.order_linked", case, before=before, after=order.id if order else None)
    db.session.commit()
    return case


def open_manual_case(user, shop_id, actor, channel, email, name, text, order_number=""):
    """A complaint that came by email, phone or social media, entered by an agent."""
    shop = get_shop(user, shop_id, Role.AGENT)
    if channel not in MANUAL_CHANNELS:
        raise Invalid(f"channel must be one of {', '.join(MANUAL_CHANNELS)}", "channel")
    text = (text or "").strip()
    if not text:
        raise Invalid("describe the complaint", "text")
    email = normalise_email(email)
    # Every check before the customer is added: a rejected complaint must leave nothing behind.
    number, order = (order_number or "").strip().lstrip("#"), None
    if number:
        order = Order.query.filter_by(shop_id=shop.id, number=number).first()
        if order is None:
            raise Invalid(f"no order #{number} in {shop.name}", "order_number")
    first, _, last = (name or "").strip().partition(" ")
    customer = upsert_customer(shop, email, first, last)
    now, result = clock.utcnow(), classify_text(text)
    case = Case(shop_id=shop.id, source="manual", channel=channel, customer=customer, order=order,
                link_method="manual" if order else "none", link_confidence=1.0 if order else 0.0,
                summary=text, opened_at=now, **opening_clocks(now, sla_for(shop), public=False))
    apply_classification(case, result)
    db.session.add(case)
    add_event(case, "opened", f"Complaint entered by hand ({channel}). {detection_text(result)}", actor,
              causes=list(result.causes), language=result.language)
    refresh_priority(case)
    audit.record(actor, "case.opened", case, channel=channel)
    db.session.commit()
    return case
