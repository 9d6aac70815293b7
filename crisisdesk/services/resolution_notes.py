"""Posting the public resolution note of a resolved case (domain/resolution_notes.py) under its review.

The note is a public CaseReply delivered by services/reply_delivery.py like any public reply (fixed
webhook-id, retries with backoff, never twice). What makes it a note is its idempotency key,
"resolution-note:<case id>:public": one per case, held by the column's UNIQUE constraint, so a second
attempt (a double click, a second agent, a browser retry) finds the first note instead of posting another.
No schema change was needed.
"""
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError

from crisisdesk import clock
from crisisdesk.domain import resolution_notes as texts
from crisisdesk.domain.case_status import CaseStatus
from crisisdesk.domain.errors import Conflict, Invalid
from crisisdesk.domain.roles import Role
from crisisdesk.extensions import db
from crisisdesk.models import CaseReply
from crisisdesk.services import audit, reply_delivery
from crisisdesk.services.cases import get_case
from crisisdesk.services.case_people import customer_first_name
from crisisdesk.services.replies import language_for, reply_options
from crisisdesk.services.review_cases import add_event

KEY_PREFIX = "resolution-note:"


@dataclass(frozen=True)
class NoteDraft:
    text: str
    language: str


def note_key(case_id):
    """The idempotency key of a case's one resolution note."""
    return f"{KEY_PREFIX}{case_id}:public"


def is_resolution_note(reply):
    return reply.idempotency_key.startswith(KEY_PREFIX)


def resolution_note(case):
    """The case's resolution note, whatever its delivery status, or None."""
    return CaseReply.query.filter_by(idempotency_key=note_key(case.id)).one_or_none()


def note_refusal(case):
    """Why this case cannot get a resolution note now (English, for the panel's table), or None."""
    if case.status != CaseStatus.RESOLVED.value:
        return "A resolution note can be posted once the case is resolved."
    return reply_options(case).public_refusal


def draft_note(case, language=None):
    """The suggested note: short, in the review's language, without the order number or any amount."""
    language = language if language in texts.LANGUAGES else language_for(case)
    return NoteDraft(text=texts.note_text(language, case.shop.name, customer_first_name(case)), language=language)


def post_note(user, case_id, actor, text, language=None):
    """Record the note and start posting it; returns (the note, created). An existing note is returned as it is."""
    case = get_case(user, case_id, Role.AGENT)
    earlier = resolution_note(case)
    if earlier is not None:
        return earlier, False
    refusal = note_refusal(case)
    if refusal:
        raise Conflict(refusal, "text")
    text = _checked_text(text, case)
    language = language if language in texts.LANGUAGES else language_for(case)
    note = CaseReply(shop_id=case.shop_id, case=case, author_id=user.id, channel="public", language=language,
                     content=text, idempotency_key=note_key(case.id), status="pending",
                     next_attempt_at=clock.utcnow(), steps_missing=[], similar_to=[])
    db.session.add(note)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()  # another agent's note for this case won the race: theirs is the note
        return resolution_note(get_case(user, case_id, Role.AGENT)), False
    add_event(case, "resolution_note", "Resolution note written, to be posted under the review.", actor,
              reply_id=note.id)
    audit.record(actor, "case.resolution_note", case, reply_id=note.id, language=language)
    db.session.commit()
    reply_delivery.start(note)
    return note, True


def _checked_text(text, case):
    text = " ".join((text or "").split())
    if not text:
        raise Invalid("the note is empty", "text")
    if len(text) > texts.MAX_LENGTH:
        raise Invalid(f"the note is longer than {texts.MAX_LENGTH} characters", "text")
    problem = texts.public_problem(text, case.order.number if case.order is not None else None)
    if problem:
        raise Invalid(problem, "text")
    return text
