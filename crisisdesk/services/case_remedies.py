"""Recording what was done about a case besides money (domain/remedies.py): the fix, the change so it does
not recur, or amends without money, kept apart from its compensations (services/compensation.py).

The idempotency key of the panel's form (one per opened case page) makes a double click or a browser retry
find the remedy of the first submission instead of recording a second one.
"""
from sqlalchemy.exc import IntegrityError

from crisisdesk import clock
from crisisdesk.domain.errors import Conflict, Invalid, NotFound
from crisisdesk.domain.remedies import DESCRIPTION_MAX, KIND_LABELS, STATUS_LABELS
from crisisdesk.domain.roles import Role
from crisisdesk.extensions import db
from crisisdesk.models import CaseRemedy
from crisisdesk.services import audit
from crisisdesk.services.cases import get_case
from crisisdesk.services.review_cases import add_event

MAX_KEY_LENGTH = 64  # the column's length


def record(user, case_id, actor, kind, description, idempotency_key, status="done"):
    """Record a remedy on the case; returns (the remedy, created). The same key returns the first one."""
    case = get_case(user, case_id, Role.AGENT)
    key = (idempotency_key or "").strip()
    if not key or len(key) > MAX_KEY_LENGTH:
        raise Invalid("the form expired; open the case again", "idempotency_key")
    earlier = _remedy_for_key(key)
    if earlier is not None:
        if earlier.case_id != case.id:
            raise Conflict("this form was already used for another case; open the case again", "idempotency_key")
        return earlier, False
    if kind not in KIND_LABELS:
        raise Invalid("choose what was done", "kind")
    if status not in STATUS_LABELS:
        raise Invalid("choose whether it is done or planned", "status")
    now = clock.utcnow()
    remedy = CaseRemedy(shop_id=case.shop_id, case=case, kind=kind, status=status,
                        description=_checked_description(description), idempotency_key=key,
                        recorded_by_id=actor.user_id, recorded_at=now, done_at=now if status == "done" else None)
    db.session.add(remedy)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()  # the same submission, racing in another request: theirs is the remedy
        return _remedy_for_key(key), False
    _note(case, remedy, actor, "remedy_recorded", f"Recorded as {status}")
    db.session.commit()
    return remedy, True


def mark_done(user, case_id, remedy_id, actor):
    """Mark a planned remedy done (now); one already done is returned unchanged."""
    case = get_case(user, case_id, Role.AGENT)
    remedy = db.session.get(CaseRemedy, remedy_id)
    if remedy is None or remedy.case_id != case.id:
        raise NotFound("no such remedy on this case")
    if remedy.status == "done":
        return remedy
    remedy.status, remedy.done_at = "done", clock.utcnow()
    _note(case, remedy, actor, "remedy_done", "Marked as done")
    db.session.commit()
    return remedy


def _checked_description(text):
    text = (text or "").replace("\r\n", "\n").strip()
    if not text:
        raise Invalid("describe what was done", "description")
    if len(text) > DESCRIPTION_MAX:
        raise Invalid(f"the description is longer than {DESCRIPTION_MAX} characters", "description")
    return text


def _remedy_for_key(key):
    return CaseRemedy.query.filter_by(idempotency_key=key).one_or_none()


def _note(case, remedy, actor, kind, what):
    # The description stays out of the timeline and the audit log: it is free text that may name the customer.
    add_event(case, kind, f"{what}: {KIND_LABELS[remedy.kind]}.", actor,
              remedy_id=remedy.id, remedy=remedy.kind, status=remedy.status)
    audit.record(actor, f"case.{kind}", case, remedy_id=remedy.id, remedy=remedy.kind, status=remedy.status)
