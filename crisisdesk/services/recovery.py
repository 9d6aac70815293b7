"""Who was won back after a fix (SPEC section 4 "Follow-up and recovery"; seeds, EXTRACT §8.4).

A case's Recovery starts when the case is resolved and stays `pending` until, within the shop's
window (default 90 days), evidence arrives: the rating on the case's review rises above what it
was at resolution, the customer posts a new review of 4★ or more, or places a new, paid order
(*won back*); or answers the follow-up's one-click question with 4 or 5 (*confirmed satisfied*,
weaker: a later won-back event upgrades it, nothing downgrades a won-back one). When the window
ends without evidence it becomes `not_recovered`. Every outcome goes on the case's timeline.

Evidence is read on the ingest path (`ingest.apply_resource`), so events, the backfill and the
reconciliation all find it; those hooks never commit (their caller does). The panel's figures
(`recovery_stats`, `resolved_customers`) are SQL aggregates and one page of rows.
"""
from dataclasses import dataclass

from sqlalchemy import or_

from crisisdesk import clock
from crisisdesk.domain import follow_up as rules
from crisisdesk.domain.errors import Invalid
from crisisdesk.extensions import db
from crisisdesk.models import Case, Compensation, Recovery, ReviewRevision
from crisisdesk.services import email_kinds
from crisisdesk.services.recovery_report import recovery_stats, resolved_customers
from crisisdesk.services.review_cases import add_event

__all__ = ["SatisfactionAnswer", "start", "pause", "order_changed", "review_changed", "record_satisfaction",
           "expire_recoveries", "recovery_stats", "resolved_customers"]  # the last two: the panel's figures


@dataclass(frozen=True)
class SatisfactionAnswer:
    """What the public "thank you" page needs after a one-click answer."""

    recovery_id: int
    score: int
    language: str
    review_url: str | None
    shop_name: str


# --- the lifecycle, driven by the case's status (services/follow_up.py calls these) ----------------------

def start(case):
    """Open, or restart after a reopening, the case's recovery at its resolution. The caller commits.

    The baseline is the review's rating now. When the customer already raised it while the case
    was open (above the rating the case was opened with), they count as won back at once, and
    no follow-up is needed.
    """
    review = case.review
    opened_with = _first_rating(review)
    window_ends_at = rules.window_end(case.resolved_at, case.shop.recovery_window_days)
    recovery = case.recovery
    if recovery is None:
        # Complete before it joins the session: a query below would flush it.
        recovery = Recovery(shop_id=case.shop_id, case=case, resolved_at=case.resolved_at,
                            window_ends_at=window_ends_at)
        db.session.add(recovery)
    recovery.customer_id = case.customer_id
    recovery.resolved_at, recovery.window_ends_at = case.resolved_at, window_ends_at
    recovery.baseline_rating = review.rating if review else None
    _reset(recovery)
    if rules.rating_raised(opened_with, recovery.baseline_rating):
        _recover(recovery, "rating_raised", case.resolved_at,
                 f"the rating was already raised from {opened_with}★ to {review.rating}★ before the case was resolved")
    return recovery


def pause(case, actor=None):
    """A reopened case's recovery waits for the next resolution (it starts afresh then). The caller commits."""
    recovery = case.recovery
    if recovery is None:
        return
    _reset(recovery)
    add_event(case, "recovery_paused", "Case reopened: recovery tracking waits for the next resolution, and "
              "follow-up emails not sent yet are cancelled.", actor)


def _reset(recovery):
    recovery.outcome, recovery.outcome_at, recovery.recovered_by, recovery.evidence = "pending", None, None, ""
    recovery.satisfaction = recovery.satisfaction_at = None
    recovery.waiting_for_order_id = None


def _first_rating(review):
    if review is None:
        return None
    first = (db.session.query(ReviewRevision.rating).filter_by(review_id=review.id)
             .order_by(ReviewRevision.id).first())
    return first[0] if first else review.rating


# --- evidence from the ingest path (the caller commits) --------------------------------------------------

def order_changed(shop, change):
    """A new, paid order placed after the resolution wins the customer back (never our own replacement)."""
    order = change.order
    if (order.customer_id is None or order.created_at is None or order.status not in rules.REPEAT_ORDER_STATUSES
            or order.total is None or order.total <= 0):  # a free order is a replacement made by hand
        return
    candidates = [r for r in _open_recoveries(shop.id, order.customer_id, order.created_at)
                  if r.case.order_id != order.id]
    if not candidates or _is_replacement(shop.id, order.remote_id):
        return
    for recovery in candidates:
        _take(recovery, "new_order", order.created_at, f"new order #{order.number} placed "
              f"{order.created_at:%Y-%m-%d} ({rules.format_money(order.total, order.currency, 'en')})",
              order_id=order.id)


def review_changed(shop, change):
    """A rating raised on the case's own review, or a new review of 4★ or more by the same customer."""
    review = change.review
    if review.status in rules.REMOVED_REVIEW_STATUSES:
        return
    if change.rating_changed:
        case = Case.query.filter_by(review_id=review.id).first()
        recovery = case.recovery if case else None
        moment = review.source_modified_at or clock.utcnow()
        if (recovery is not None and _is_open(recovery, moment)
                and rules.rating_raised(recovery.baseline_rating, review.rating)):
            _take(recovery, "rating_raised", moment,
                  f"rating raised from {recovery.baseline_rating}★ to {review.rating}★", review_id=review.id)
    if review.customer_id and rules.is_positive_review(review.rating) and review.created_at:
        for recovery in _open_recoveries(shop.id, review.customer_id, review.created_at):
            if recovery.case.review_id != review.id:
                _take(recovery, "positive_review", review.created_at,
                      f"new {review.rating}★ review" + (f" of {review.product.name}" if review.product else ""),
                      review_id=review.id)


def _open_recoveries(shop_id, customer_id, moment):
    """The customer's recoveries of resolved cases that `moment` falls in and that may still take evidence."""
    return (Recovery.query.join(Recovery.case)
            .filter(Recovery.shop_id == shop_id, Recovery.customer_id == customer_id,
                    Case.status.in_(rules.SETTLED_STATUSES),
                    or_(Recovery.outcome == "pending",
                        (Recovery.outcome == "recovered") & (Recovery.recovered_by == rules.CONFIRMED_SATISFIED)),
                    Recovery.resolved_at < moment, Recovery.window_ends_at >= moment)
            .order_by(Recovery.id).all())


def _is_open(recovery, moment):
    return (recovery.case.status in rules.SETTLED_STATUSES and recovery.resolved_at < moment <= recovery.window_ends_at
            and rules.takes_evidence(recovery.outcome, recovery.recovered_by, "rating_raised"))


def _is_replacement(shop_id, remote_order_id):
    return db.session.query(Compensation.query.filter_by(shop_id=shop_id, kind="replacement",
                                                         remote_id=remote_order_id).exists()).scalar()


def _take(recovery, by, moment, evidence, **details):
    if rules.takes_evidence(recovery.outcome, recovery.recovered_by, by):
        _recover(recovery, by, moment, evidence, **details)


def _recover(recovery, by, moment, evidence, **details):
    upgrade = recovery.outcome == "recovered"
    recovery.outcome, recovery.recovered_by, recovery.outcome_at = "recovered", by, moment
    recovery.evidence = evidence
    strength = "won back" if rules.is_won_back(by) else "confirmed satisfied"
    add_event(recovery.case, "recovered", f"Customer {strength}" + (" (was: confirmed satisfied)" if upgrade else "")
              + f": {evidence}.", recovered_by=by, outcome_at=moment.isoformat(), **details)


# --- the one-click answer --------------------------------------------------------------------------------

def record_satisfaction(recovery_id, score):
    """Store the customer's 1–5 answer (a repeat click is a no-op, a different one replaces it) and commit.

    4 or 5 marks a pending recovery as confirmed satisfied; changing the answer to 1–3 takes that
    back (a won-back outcome stays). An answer to a case reopened since, or after its window,
    is kept and shown on the timeline but decides nothing.
    """
    score = rules.validate_score(score)
    recovery = Recovery.query.filter_by(id=recovery_id).with_for_update().first()
    if recovery is None:
        raise Invalid("this link is not valid", "token")  # the same answer as a forged link
    case, now = recovery.case, clock.utcnow()
    previous = recovery.satisfaction
    if previous != score:
        recovery.satisfaction, recovery.satisfaction_at = score, now
        add_event(case, "satisfaction", f"The customer answered the follow-up: {score} of 5"
                  + (f" (earlier answer: {previous})" if previous else "") + ".", score=score, previous=previous)
        _decide_by_answer(recovery, score, now)
    db.session.commit()
    return SatisfactionAnswer(recovery_id=recovery.id, score=score, language=email_kinds.language_for(case),
                              review_url=email_kinds.review_url_for(case), shop_name=case.shop.name)


def _decide_by_answer(recovery, score, now):
    if recovery.case.status not in rules.SETTLED_STATUSES or now > recovery.window_ends_at:
        return
    if rules.is_satisfied(score):
        _take(recovery, rules.CONFIRMED_SATISFIED, now, f"answered {score} of 5 to the follow-up")
    elif recovery.outcome == "recovered" and recovery.recovered_by == rules.CONFIRMED_SATISFIED:
        recovery.outcome, recovery.outcome_at, recovery.recovered_by, recovery.evidence = "pending", None, None, ""
        add_event(recovery.case, "recovery_reverted", f"The customer changed the answer to {score} of 5: no longer "
                  "counted as satisfied.", score=score)


# --- windows that ended ----------------------------------------------------------------------------------

EXPIRE_BATCH = 500


def expire_recoveries(now=None):
    """Pending recoveries of resolved cases whose window has ended become `not_recovered`; returns how many."""
    now = now or clock.utcnow()
    expired = 0
    while True:
        batch = (Recovery.query.join(Recovery.case)
                 .filter(Recovery.outcome == "pending", Recovery.window_ends_at < now,
                         Case.status.in_(rules.SETTLED_STATUSES))
                 .order_by(Recovery.id).limit(EXPIRE_BATCH).all())
        for recovery in batch:
            recovery.outcome, recovery.outcome_at = "not_recovered", recovery.window_ends_at
            days = (recovery.window_ends_at - recovery.resolved_at).days
            recovery.evidence = f"no raised rating, positive review or new order within {days} days"
            add_event(recovery.case, "not_recovered", f"Recovery window ended: {recovery.evidence}.")
        db.session.commit()
        expired += len(batch)
        if len(batch) < EXPIRE_BATCH:
            return expired
