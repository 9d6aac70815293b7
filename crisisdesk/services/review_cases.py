"""Cases that follow reviews: open one when a review crosses the shop's threshold,
keep it in step when the review is edited, trashed or restored."""
from sqlalchemy import or_

from crisisdesk import clock
from crisisdesk.domain.case_rules import CaseThresholds, review_opens_case
from crisisdesk.domain.case_status import OPEN_STATUSES
from crisisdesk.domain.order_linking import LINK_METHOD_LABELS, ReviewFacts
from crisisdesk.domain.case_status import CaseStatus
from crisisdesk.domain.sla import SlaTargets, opening_clocks
from crisisdesk.extensions import db
from crisisdesk.models import Case, CaseEvent, Review
from crisisdesk.services.case_classification import apply_classification, classify_text, detection_text
from crisisdesk.services.case_priority import refresh_priority
from crisisdesk.services.linking import best_link

REMOVED_STATUSES = {"trash", "spam"}


def sync_case(shop, change):
    """Open or update the case for the review in a ReviewChange (one case per review, ever)."""
    review = change.review
    result = classify_text(review.text)
    case = Case.query.filter_by(review_id=review.id).first()
    if case is None:
        decision = review_opens_case(review.rating, result.score, thresholds_for(shop))
        if decision.opens and review.status not in REMOVED_STATUSES:
            case = open_review_case(shop, review, result, decision.reason)
        return case
    case.sentiment_score = result.score
    case.summary = review.text
    if change.rating_changed or change.text_changed:
        old = change.previous
        # New words, new causes, unless a person already decided them (an agent's correction stands).
        detected = ""
        if change.text_changed and CaseStatus(case.status).is_open and case.causes == case.detected_causes:
            apply_classification(case, result)
            detected = " " + detection_text(result)
        refresh_priority(case)
        add_event(case, "review_edited", f"The customer edited the review: {old['rating']}★ → {review.rating}★"
                  + (" and changed the text." if change.text_changed else ".") + detected,
                  before=old, after={"rating": review.rating, "text": review.text})
    if change.status_changed:
        _note_status_change(case, change.previous["status"], review.status)
    return case


def open_review_case(shop, review, result, reason):
    """A case for `review`, classified (`result`: cause_detection.classify) and with every opening clock set."""
    now = clock.utcnow()
    opened_at = min(review.created_at or now, now)
    link = best_link(shop.id, facts_for(review))
    case = Case(shop_id=shop.id, source="review", channel="review", review=review, customer=review.customer,
                product=review.product, order_id=link.order_id, link_method=link.method,
                link_confidence=link.confidence, summary=review.text, opened_at=opened_at,
                **opening_clocks(opened_at, sla_for(shop), public=True))
    apply_classification(case, result)
    db.session.add(case)
    add_event(case, "opened", f"Case opened from a review: {reason}. {detection_text(result)}",
              triggers=[e["text"] for e in case.cause_evidence], causes=list(result.causes),
              language=result.language)
    if link.linked:
        add_event(case, "order_linked", f"Linked to an order automatically by {LINK_METHOD_LABELS[link.method]} ("
                  f"confidence {link.confidence:.0%})", method=link.method, confidence=link.confidence)
    refresh_priority(case)
    return case


def link_waiting_cases(shop, order):
    """An order arrived after its review: link the open, unlinked cases it now explains."""
    # By email, or by `_review_order_id`, which names the order even when it was billed to another email.
    explained = Review.remote_order_id == order.remote_id
    if order.billing_email:
        explained = or_(explained, Review.reviewer_email == order.billing_email)
    waiting = (Case.query.join(Case.review)
               .filter(Case.shop_id == shop.id, Case.order_id.is_(None), Case.link_method == "none",
                       Case.status.in_(OPEN_STATUSES), explained).all())
    for case in waiting:
        link = best_link(shop.id, facts_for(case.review))
        if link.linked:
            case.order_id, case.link_method, case.link_confidence = link.order_id, link.method, link.confidence
            add_event(case, "order_linked", f"Linked to an order that arrived later, by {LINK_METHOD_LABELS[link.method]} ("
                      f"confidence {link.confidence:.0%})", method=link.method, confidence=link.confidence)
            refresh_priority(case)


def facts_for(review):
    """What the order-linking rule needs to know about a review."""
    return ReviewFacts(email=review.reviewer_email, remote_product_id=review.remote_product_id, text=review.text,
                       verified=review.verified, remote_order_id=review.remote_order_id, written_at=review.created_at)


def add_event(case, kind, message, actor=None, **details):
    event = CaseEvent(shop_id=case.shop_id, kind=kind, message=message, details=details,
                      actor_id=actor.user_id if actor else None)
    case.events.append(event)
    return event


def thresholds_for(shop):
    return CaseThresholds(case_max_rating=shop.case_max_rating,
                          negative_text_max_rating=shop.negative_text_max_rating)


def sla_for(shop):
    return SlaTargets(first_response_hours=shop.first_response_hours, apology_hours=shop.apology_hours,
                      update_hours=shop.update_hours)


def _note_status_change(case, old, new):
    if new in REMOVED_STATUSES:
        case.review_removed = True
        add_event(case, "review_removed", f"The review was moved to {new} in WordPress. CrisisDesk keeps it "
                  "and its history; reviews are never deleted here.", before=old, after=new)
    elif old in REMOVED_STATUSES:
        case.review_removed = False
        add_event(case, "review_restored", f"The review was restored in WordPress ({new}).", before=old, after=new)
    else:
        add_event(case, "review_status", f"Review status changed in WordPress: {old} → {new}", before=old, after=new)
