"""Unfair or fake reviews: flag one with a documented reason, log the removal request made to the platform and
its outcome (SPEC section 2 "Never delete" and "Answer everyone"; domain/review_flags.py).

Nothing here deletes a review or touches a case's status or clocks: a flagged review still gets its public
answer within the shop's deadlines, whatever the platform decides.
"""
from dataclasses import dataclass

from crisisdesk import clock
from crisisdesk.domain.errors import Conflict, Invalid, NotFound
from crisisdesk.domain.review_flags import (DECIDED_OUTCOMES, EXPLANATION_MAX, FLAG_REASONS, REMOVAL_CHANNELS,
                                            REQUEST_TEXT_MAX)
from crisisdesk.domain.roles import Role
from crisisdesk.extensions import db
from crisisdesk.models import ReviewFlag
from crisisdesk.services import audit
from crisisdesk.services.cases import get_case
from crisisdesk.services.inbox import orders_with_email
from crisisdesk.services.review_cases import add_event

STILL_ANSWER = "It still gets a public answer; the review is kept."


@dataclass(frozen=True)
class FlagEvidence:
    """What the agent weighs before flagging: does the reviewer own the product, is there an order of theirs."""

    verified: bool  # WooCommerce's verified-owner flag on the review
    link_method: str  # how the case was linked to an order (domain.order_linking.LINK_METHOD_LABELS)
    link_confidence: float
    linked_order: object  # the linked Order, or None
    email: str  # the reviewer's email, searched below
    orders_by_email: list  # this shop's orders matching that email


def evidence(user, case_id):
    """The verified-owner flag, the order-linking result and an order search by the reviewer's email."""
    case = get_case(user, case_id)
    review = _review_of(case)
    email = (review.reviewer_email or "").strip()
    return FlagEvidence(verified=bool(review.verified), link_method=case.link_method,
                        link_confidence=case.link_confidence, linked_order=case.order, email=email,
                        orders_by_email=orders_with_email(case.shop_id, email) if email else [])


def flag_review(user, case_id, actor, reason, explanation):
    """Flag the case's review as unfair or fake for one of the documented reasons; the case keeps every clock."""
    case = get_case(user, case_id, Role.AGENT)
    review = _review_of(case)
    if reason not in FLAG_REASONS:
        raise Invalid("choose one of the documented reasons", "reason")
    explanation = (explanation or "").strip()
    if not explanation:
        raise Invalid("say why the review is unfair", "explanation")
    if len(explanation) > EXPLANATION_MAX:
        raise Invalid(f"the explanation is longer than {EXPLANATION_MAX} characters", "explanation")
    flag = ReviewFlag(shop_id=case.shop_id, review_id=review.id, case=case, reason=reason, explanation=explanation,
                      flagged_by=actor.user_id, flagged_at=clock.utcnow())
    db.session.add(flag)
    db.session.flush()
    _event(case, "review_flagged", f"Review flagged: {FLAG_REASONS[reason]}. {STILL_ANSWER}", actor, flag,
           reason=reason)
    audit.record(actor, "review.flagged", flag, case_id=case.id, review_id=review.id, reason=reason)
    db.session.commit()
    return flag


def request_removal(user, case_id, flag_id, actor, channel, text):
    """Log the removal request made to `channel` (what was asked of whom); its outcome starts pending."""
    case, flag = _flag_of(user, case_id, flag_id)
    if channel not in REMOVAL_CHANNELS:
        raise Invalid("choose where the removal was requested", "channel")
    text = (text or "").strip()
    if not text:
        raise Invalid("write what was asked of the platform", "text")
    if len(text) > REQUEST_TEXT_MAX:
        raise Invalid(f"the request is longer than {REQUEST_TEXT_MAX} characters", "text")
    if flag.removal_requested_at is not None:
        raise Conflict("a removal request is already logged for this flag; flag the review again to ask another "
                       "platform", "channel")
    flag.removal_requested_at, flag.removal_request_channel = clock.utcnow(), channel
    flag.removal_request_text, flag.removal_outcome = text, "pending"
    _event(case, "removal_requested", f"Removal requested from {REMOVAL_CHANNELS[channel]}. {STILL_ANSWER}",
           actor, flag, channel=channel)
    audit.record(actor, "review.removal_requested", flag, case_id=case.id, channel=channel)
    db.session.commit()
    return flag


def record_outcome(user, case_id, flag_id, actor, outcome):
    """Record what the platform decided (granted or refused), once; the case is answered publicly either way."""
    case, flag = _flag_of(user, case_id, flag_id)
    if outcome not in DECIDED_OUTCOMES:
        raise Invalid("the outcome is granted or refused", "outcome")
    if flag.removal_outcome != "pending":
        raise Conflict("no pending removal request on this flag", "outcome")
    flag.removal_outcome, flag.removal_outcome_at = outcome, clock.utcnow()
    channel = REMOVAL_CHANNELS[flag.removal_request_channel]
    _event(case, "removal_outcome", f"{channel} {outcome} the removal request. {STILL_ANSWER}", actor, flag,
           outcome=outcome)
    audit.record(actor, "review.removal_outcome", flag, case_id=case.id, outcome=outcome)
    db.session.commit()
    return flag


def _review_of(case):
    if case.review is None:
        raise Invalid("only a review can be flagged; this complaint was entered by hand", "reason")
    return case.review


def _flag_of(user, case_id, flag_id):
    case = get_case(user, case_id, Role.AGENT)
    flag = db.session.get(ReviewFlag, flag_id)
    if flag is None or flag.case_id != case.id:
        raise NotFound("no such flag on this case")
    return case, flag


def _event(case, kind, message, actor, flag, **details):
    add_event(case, kind, message, actor, flag_id=flag.id, **details)
