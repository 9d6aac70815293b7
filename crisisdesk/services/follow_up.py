"""Follow-up emails after a fix (SPEC section 4 "Follow-up and recovery"; issue 6, item 2).

When a case is resolved its Recovery starts (services/recovery.py) and two outbox rows are
scheduled: the follow-up, `shop.follow_up_days` after the resolution, and the one reminder,
`shop.reminder_days` after the follow-up (the outbox moves both out of quiet hours; at send time
`email_kinds.cancel_reason` drops whichever is no longer wanted). Nothing is scheduled for a
customer without an address, an erased one, a review removed in WordPress, or a customer who
already raised the rating; the outbox itself records a suppressed address's row as cancelled.

A replacement is a fix only once it arrives: while the case has a replacement order that is not
`completed` in WooCommerce (or not even known here yet), the follow-up waits, and it is due
`follow_up_days` after that order's completion. The order upsert path (`order_changed`) notices
the completion.

Resolution rounds. Reopening a case cancels its scheduled rows; resolving it again is a new
round with new idempotency keys (`case:<id>:resolution:<n>:<kind>`, n = how many times the case
has been resolved, counted on its timeline). Reusing the first round's keys would find the
cancelled (or already sent) rows and schedule nothing; a counter from the timeline keeps each
round's keys stable, so a retry or a second scheduler of the same round still finds its row.

Transactions. Scheduling (`outbox.EmailBatch`: one commit for all the emails of a shop, then one
Redis round trip) commits, and rolls back when it loses a race for a key. So
it runs after the status change has committed, and never inside the ingest path (whose caller
commits a whole event or backfill page): there a completed replacement asks for a job that runs
after that transaction commits. `schedule_missing` (periodic) repairs whatever a crash, a lost
job or a replacement that was rejected later left unscheduled.
"""
import logging
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import event, exists
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, joinedload, selectinload

from crisisdesk import clock
from crisisdesk.domain import follow_up as rules
from crisisdesk.domain.case_status import CaseStatus
from crisisdesk.domain.errors import Invalid
from crisisdesk.domain.personal_data import ERASED_EMAIL_DOMAIN
from crisisdesk.extensions import db
from crisisdesk.models import Case, Compensation, Customer, Order, OutboxEmail, Recovery
from crisisdesk.services import email_kinds, outbox, recovery as recoveries
from crisisdesk.services.review_cases import add_event

log = logging.getLogger(__name__)

RESOLVED = CaseStatus.RESOLVED.value
REOPENED = CaseStatus.IN_PROGRESS.value
LIVE_COMPENSATION_STATES = ("awaiting_approval", "approved", "executing", "unknown", "succeeded")


@dataclass(frozen=True)
class ReplacementWait:
    waiting: bool
    order: Order | None = None  # the replacement order waited for, once it is known here
    done_at: datetime | None = None  # when the last replacement was completed (or ended otherwise)


# --- hooks in services/cases.change_status ----------------------------------------------------------------

def on_status_change(case, old, new, actor):
    """Inside the status change's transaction: a resolution starts the recovery (and notes a wait for a
    replacement); a reopening pauses it and cancels the emails still scheduled. The caller commits."""
    if new == RESOLVED:
        recovery = recoveries.start(case)
        wait = replacement_wait(case)
        if wait.waiting and recovery.outcome == "pending":
            recovery.waiting_for_order_id = wait.order.id if wait.order else None
            add_event(case, "follow_up_waiting", "The follow-up email waits until the replacement "
                      + (f"order #{wait.order.number} is completed." if wait.order else "order is completed."), actor)
    elif new == REOPENED and old in rules.SETTLED_STATUSES:
        recoveries.pause(case, actor)
        outbox.cancel_pending(case, rules.KINDS, "the case was reopened")


def after_status_commit(case):
    """After the status change committed: a resolution schedules its follow-up emails (or says why not)."""
    if case.status != RESOLVED:
        return None
    try:
        return schedule(case, announce=True)
    except SQLAlchemyError:
        # The resolution itself is committed; `schedule_missing` schedules the emails on its next pass.
        db.session.rollback()
        log.exception("could not schedule the follow-up of case %s; the periodic pass will", case.id)
        return None


# --- scheduling -------------------------------------------------------------------------------------------

def schedule(case, announce=False):
    """Schedule this resolution round's follow-up and reminder unless something rules them out (idempotent).

    Returns the follow-up's outbox row, or None. With `announce`, a reason not to schedule goes on
    the timeline (once, at the resolution; the periodic pass stays quiet).
    """
    [first] = schedule_many([case], announce)
    return db.session.get(OutboxEmail, first.id) if first is not None else None


def schedule_many(cases, announce=False):
    """`schedule` for many cases: per shop, all their emails in one transaction and one Redis round trip (a row and
    a commit each made the periodic pass over a backlog take minutes). Returns, per case, its follow-up as an
    `outbox.ScheduledEmail`, or None."""
    case_ids = [case.id for case in cases]  # read now: a commit below expires the cases
    plans = [plan for plan in (_plan(case, announce) for case in cases) if plan is not None]
    firsts = {}
    for shop_id in dict.fromkeys(plan.shop.id for plan in plans):
        group = [plan for plan in plans if plan.shop.id == shop_id]
        batch = outbox.EmailBatch(group[0].shop)
        scheduled = batch.add([plan.follow_up for plan in group])
        # The address asked for no more emails (the follow-up's row is cancelled): no reminder either.
        batch.add([replace(plan.reminder, due_at=rules.reminder_due(first.due_at, plan.shop.reminder_days))
                   for plan, first in zip(group, scheduled) if first.status != "cancelled"])
        firsts.update(zip((plan.case_id for plan in group), scheduled))
        batch.commit()
    if announce:
        db.session.commit()  # the reasons for not scheduling, when nothing else was committed
    return [firsts.get(case_id) for case_id in case_ids]


@dataclass(frozen=True)
class _Plan:
    case_id: int
    shop: object
    follow_up: outbox.EmailRequest
    reminder: outbox.EmailRequest  # due_at is set from the follow-up's row


def _plan(case, announce):
    """The case's two emails, or None (with the reason on the timeline when `announce`). Reads everything the
    emails need before anything is committed: afterwards each case would be loaded again."""
    recovery = case.recovery
    if recovery is None or case.status not in rules.SETTLED_STATUSES:
        return None
    reason = _ruled_out(case, recovery)
    wait = replacement_wait(case) if reason is None else ReplacementWait(False)
    if reason or wait.waiting:
        if reason and announce:
            add_event(case, "follow_up_skipped", f"No follow-up email: {reason}.")
        return None
    shop, customer = case.shop, case.customer
    try:
        outbox.checked_address(customer.email)
    except Invalid as error:  # an address the outbox cannot send to
        if announce:
            add_event(case, "follow_up_skipped", f"No follow-up email: {error.message} ({customer.email}).")
        return None
    if recovery.waiting_for_order_id is not None:
        recovery.waiting_for_order_id = None  # committed with the rows
    resolution = resolution_round(case)
    language = email_kinds.language_for(case)
    released_at = max(recovery.resolved_at, wait.done_at or recovery.resolved_at)
    after = "the replacement was completed" if wait.done_at else "the case was resolved"
    follow_up = outbox.EmailRequest(
        rules.FOLLOW_UP, rules.idempotency_key(case.id, resolution, rules.FOLLOW_UP), customer.email, language,
        max(rules.follow_up_due(released_at, shop.follow_up_days), clock.utcnow()),
        f"It asks whether the fix worked and invites a review update, {shop.follow_up_days} days after {after}.",
        case=case, customer=customer)
    reminder = outbox.EmailRequest(
        rules.REMINDER, rules.idempotency_key(case.id, resolution, rules.REMINDER), customer.email, language, None,
        f"The one reminder, {shop.reminder_days} days after the follow-up; it goes only if the customer has not "
        "answered or updated the review by then.", case=case, customer=customer)
    return _Plan(case.id, shop, follow_up, reminder)


def _ruled_out(case, recovery):
    if recovery.outcome == "recovered":
        return f"the customer already {rules.RECOVERED_BY_LABELS[recovery.recovered_by]}"
    if recovery.outcome != "pending":
        return "the recovery window has ended"
    customer = case.customer
    if customer is None or not customer.email:
        return "the customer has no email address"
    if customer.email.rpartition("@")[2] == ERASED_EMAIL_DOMAIN:
        return "the customer's data was erased"
    if case.review_removed:
        return "the review was removed in WordPress"
    return None


def resolution_round(case):
    """1 for the first resolution of the case, 2 after it was reopened and resolved again, and so on."""
    resolved = sum(1 for e in case.events if e.kind == "status" and (e.details or {}).get("after") == RESOLVED)
    return max(1, resolved)


def replacement_wait(case):
    """Whether the follow-up must wait for a replacement order to be completed, and since when it need not."""
    replacements = [c for c in case.compensations if c.kind == "replacement" and c.state in LIVE_COMPENSATION_STATES]
    remote_ids = [c.remote_id for c in replacements if c.remote_id]
    orders = {o.remote_id: o for o in Order.query.filter(Order.shop_id == case.shop_id,
                                                         Order.remote_id.in_(remote_ids))} if remote_ids else {}
    done_at = None
    for compensation in replacements:
        order = orders.get(compensation.remote_id) if compensation.state == "succeeded" else None
        if order is None or order.status not in ("completed", *rules.ABANDONED_ORDER_STATUSES):
            return ReplacementWait(True, order)
        ended = (order.completed_at if order.status == "completed" else None) or order.source_modified_at
        done_at = max(done_at, ended) if done_at and ended else (done_at or ended)
    return ReplacementWait(False, None, done_at)


# --- the order upsert path (services/ingest.apply_resource; the caller commits) --------------------------

def order_changed(shop, change):
    """A replacement order some resolved case waits for changed: once it is completed, schedule the follow-up."""
    order = change.order
    waiting = (Recovery.query.join(Compensation, Compensation.case_id == Recovery.case_id)
               .filter(Compensation.shop_id == shop.id, Compensation.kind == "replacement",
                       Compensation.remote_id == order.remote_id, Recovery.outcome == "pending").all())
    for recovery in waiting:
        case = recovery.case
        if case.status not in rules.SETTLED_STATUSES or _has_follow_up(recovery):
            continue
        wait = replacement_wait(case)
        if wait.waiting:
            recovery.waiting_for_order_id = wait.order.id if wait.order else None
            continue
        recovery.waiting_for_order_id = None
        add_event(case, "follow_up_released", f"Replacement order #{order.number} is {order.status}: the "
                  "follow-up email is scheduled from its completion.", order_id=order.id)
        _schedule_after_commit(case.id)


def _has_follow_up(recovery):
    return db.session.query(exists().where(OutboxEmail.case_id == recovery.case_id,
                                           OutboxEmail.kind == rules.FOLLOW_UP,
                                           OutboxEmail.created_at >= recovery.resolved_at)).scalar()


_RELEASED = "crisisdesk.follow_up.released"


def _schedule_after_commit(case_id):
    """Enqueue the scheduling job once the current transaction commits (forgotten if it rolls back)."""
    db.session().info.setdefault(_RELEASED, set()).add(case_id)
    if not event.contains(Session, "after_commit", _enqueue_released):
        event.listen(Session, "after_commit", _enqueue_released)
        event.listen(Session, "after_rollback", _forget_released)


def _enqueue_released(session):
    case_ids = session.info.pop(_RELEASED, None)
    if case_ids:
        from crisisdesk.jobs.recovery import enqueue_schedule_follow_up

        for case_id in sorted(case_ids):
            enqueue_schedule_follow_up(case_id)  # a Redis failure is logged; `schedule_missing` catches up


def _forget_released(session):
    session.info.pop(_RELEASED, None)


def schedule_by_id(case_id):
    """The job's entry point: schedule the case's follow-up if it is (still) due to have one."""
    case = db.session.get(Case, case_id)
    row = schedule(case) if case is not None else None
    return row.id if row is not None else None


MISSING_BATCH = 500


def schedule_missing(now=None):
    """Schedule the follow-ups that pending recoveries should have and lack (a crash, a lost job, a wait
    that ended without an order event); returns how many were scheduled."""
    now = now or clock.utcnow()
    has_follow_up = exists().where(OutboxEmail.case_id == Recovery.case_id, OutboxEmail.kind == rules.FOLLOW_UP,
                                   OutboxEmail.created_at >= Recovery.resolved_at)
    cases = (Case.query.join(Recovery, Recovery.case_id == Case.id).join(Customer, Customer.id == Case.customer_id)
             .filter(Recovery.outcome == "pending", Case.status.in_(rules.SETTLED_STATUSES),
                     Case.review_removed.is_(False), Recovery.window_ends_at > now,
                     ~Customer.email.like(f"%@{ERASED_EMAIL_DOMAIN}"), ~has_follow_up)
             .options(*scheduling_loads()).order_by(Recovery.resolved_at, Case.id).limit(MISSING_BATCH).all())
    return sum(1 for first in schedule_many(cases) if first is not None)


def scheduling_loads():
    """What `schedule_many` reads of each case, loaded with the cases rather than one query per case and relation
    (a function: `recovery` and `compensations` are backrefs, there once every model is mapped)."""
    return (joinedload(Case.recovery), joinedload(Case.customer), joinedload(Case.review),
            selectinload(Case.events), selectinload(Case.compensations))
