"""Delivering the replies agents approved (services/replies.py): public ones under the review through
the bridge route (SPEC section 6), private ones by email through the outbox. Never twice:

- A public reply is claimed with one conditional UPDATE (pending → sending), so of any number of jobs
  for one row (a duplicate enqueue, the sweep racing a retry, two workers) one calls WordPress.
- Every attempt for one reply carries the same webhook-id, and the bridge answers a webhook-id it has
  seen with the comment it already made. So the one gap a claim cannot close (WordPress posted the
  comment, then the answer was lost: a timeout, a dead worker) is closed there: the retry gets the first
  comment back instead of a second one.
- An email reply is one outbox row keyed by the reply: handing it over twice finds that row.

While WordPress cannot be reached the reply waits (1, 2, 4 … minutes apart, at most 6 hours) and a
periodic sweep re-enqueues due rows whose job was lost and claims a dead worker left behind. After
4 days, or at once when WordPress refuses it for good (a wrong secret, a review that is gone), the
reply is `failed` with the reason on the case page.
"""
import hashlib
import logging
from datetime import timedelta

from flask import current_app
from sqlalchemy import and_, or_, update

from crisisdesk import clock
from crisisdesk.domain.sla import clocks_after_reply
from crisisdesk.extensions import db
from crisisdesk.integrations.bridge_api import BridgeClient, BridgeError
from crisisdesk.jobs import enqueue_reply, reply_job_id, reply_job_waiting
from crisisdesk.models import CaseReply
from crisisdesk.services import outbox
from crisisdesk.services.claims import claim_due
from crisisdesk.services.review_cases import add_event, sla_for

log = logging.getLogger(__name__)

RETRY_FIRST = timedelta(minutes=1)
RETRY_LONGEST = timedelta(hours=6)
GIVE_UP_AFTER = timedelta(days=4)  # as long as the bridge keeps retrying its own events
# Far longer than a post may take (the bridge client's 10 s timeout; RQ stops the job after 60 s).
STUCK_AFTER = timedelta(minutes=5)
SWEEP_BATCH = 200
EMAIL_KIND = "case_reply"


def start(reply):
    """Begin delivering a reply just recorded (after its commit): a job for a public one, the outbox for an email."""
    if reply.channel == "email":
        return hand_to_outbox(reply.id)
    return _enqueue(reply)


def webhook_id_for(reply):
    """The webhook-id of every attempt to post this reply: fixed per reply, and never one of another install's."""
    digest = hashlib.sha256(f"{reply.shop_id}:{reply.idempotency_key}".encode()).hexdigest()[:40]
    return f"msg_reply_{digest}"  # 50 characters; the bridge takes up to 64


def recipient_address(case):
    """Where an email reply goes: the customer's address, else the reviewer's, else the order's billing address."""
    if case.customer is not None and case.customer.email:
        return case.customer.email
    if case.review is not None and case.review.reviewer_email:
        return case.review.reviewer_email
    return case.order.billing_email if case.order is not None and case.order.billing_email else None


def claim(reply_id, now):
    """Take a due public reply for posting (one atomic UPDATE); None when it is not due, taken, or done."""
    return claim_due(CaseReply, reply_id, now, CaseReply.channel == "public", CaseReply.status == "pending",
                     or_(CaseReply.next_attempt_at.is_(None), CaseReply.next_attempt_at <= now))


def deliver(reply_id):
    """Post one public reply under its review if due and unclaimed; returns posted, retry, failed or why it was left."""
    now = clock.utcnow()
    reply = claim(reply_id, now)
    if reply is None:
        return _left_alone(reply_id, now)
    case, shop = reply.case, reply.case.shop
    review = case.review
    if review is None or case.review_removed:
        return _fail(reply, "the review is no longer there to answer (removed in WordPress)")
    client = BridgeClient(shop.url, shop.current_secret().value,
                          timeout=current_app.config["BRIDGE_TIMEOUT_SECONDS"])
    remote_review_id, content, webhook_id = review.remote_id, reply.content, webhook_id_for(reply)
    db.session.commit()  # end the read transaction: none stays open across the HTTP call
    try:
        comment_id = client.post_reply(remote_review_id, content, webhook_id)
    except BridgeError as error:
        return _fail(reply, str(error)) if error.permanent else _retry(reply, str(error))
    return _posted(reply, comment_id)


def hand_to_outbox(reply_id):
    """Give a pending email reply to the outbox (idempotent by the reply); returns its new status."""
    reply = db.session.get(CaseReply, reply_id)
    if reply is None or reply.channel != "email" or reply.status != "pending":
        return reply.status if reply is not None else "missing"
    case = reply.case
    address = recipient_address(case)
    if not address:  # the customer was erased after the agent pressed Send
        status = _settle(reply, "pending", "failed", last_error="there is no email address to send it to")
        db.session.commit()
        return status
    author = reply.author.display_name if reply.author else "an agent"
    email = outbox.schedule_email(case.shop, EMAIL_KIND, f"case-reply:{reply.id}", address, reply.language,
                                  clock.utcnow(), f"The answer to the complaint, written by {author}.",
                                  case=case, customer=case.customer)
    if email.status == "cancelled":  # the address asked for no more email after the agent pressed Send
        status = _settle(reply, "pending", "failed", last_error=f"not sent: {email.status_note}",
                         outbox_email_id=email.id)
        db.session.commit()
        return status
    now = clock.utcnow()
    if _settle(reply, "pending", "queued", outbox_email_id=email.id, delivered_at=now, last_error=None) != "queued":
        return reply.status
    _stop_clocks(case, public=False, now=now)
    db.session.commit()
    return "queued"


def sweep(now=None):
    """Take back claims a dead worker left, re-enqueue due replies whose job is gone, hand over stray emails."""
    now = now or clock.utcnow()
    returned = db.session.execute(
        update(CaseReply).where(CaseReply.status == "sending", CaseReply.claimed_at < now - STUCK_AFTER)
        .values(status="pending", claimed_at=None, next_attempt_at=now,
                last_error="the worker stopped while posting; tried again with the same webhook-id")
        .execution_options(synchronize_session=False)).rowcount
    db.session.commit()
    due = (CaseReply.query.filter(CaseReply.status == "pending",
                                  or_(CaseReply.channel == "email",
                                      and_(CaseReply.channel == "public", CaseReply.next_attempt_at <= now)))
           .order_by(CaseReply.id).limit(SWEEP_BATCH).all())
    requeued = 0
    for reply in due:
        if reply.channel == "email":
            hand_to_outbox(reply.id)
        elif not reply_job_waiting(_job_id(reply)):
            _enqueue(reply, now)
            requeued += 1
    if returned or requeued:
        log.info("reply sweep: %d taken back from dead workers, %d re-enqueued", returned, requeued)
    return {"returned": returned, "requeued": requeued}


# --- outcomes ---------------------------------------------------------------------------------------------------

def _posted(reply, comment_id):
    now = clock.utcnow()
    if _settle(reply, "sending", "posted", remote_comment_id=comment_id, delivered_at=now, last_error=None,
               claimed_at=None) != "posted":
        return reply.status
    _stop_clocks(reply.case, public=True, now=now)
    add_event(reply.case, "reply_posted", f"Reply posted under the review (WordPress comment {comment_id}).",
              reply_id=reply.id, comment_id=comment_id, attempts=reply.attempts)
    db.session.commit()
    return "posted"


def _retry(reply, error_text):
    now = clock.utcnow()
    if now - reply.created_at >= GIVE_UP_AFTER:
        return _fail(reply, f"{error_text} (gave up after {reply.attempts} attempts over {GIVE_UP_AFTER.days} days)")
    due = now + min(RETRY_FIRST * 2 ** (reply.attempts - 1), RETRY_LONGEST)
    if _settle(reply, "sending", "pending", next_attempt_at=due, claimed_at=None, last_error=error_text) != "pending":
        return reply.status
    if reply.attempts == 1:  # once on the timeline; the replies list shows every later attempt
        add_event(reply.case, "reply_retry", f"WordPress could not take the reply yet ({error_text}). "
                  "It is tried again automatically, with the same webhook-id, so it is posted once.",
                  reply_id=reply.id)
    db.session.commit()
    _enqueue(reply, now)
    return "retry"


def _fail(reply, error_text):
    if _settle(reply, "sending", "failed", last_error=error_text, claimed_at=None) != "failed":
        return reply.status
    add_event(reply.case, "reply_failed", f"The public reply was not posted: {error_text}. Fix the cause and "
              "send it again, or answer by email.", reply_id=reply.id)
    db.session.commit()
    return "failed"


def _settle(reply, expected, status, **values):
    """Move the reply from `expected` to `status` unless someone else moved it first; returns its status now."""
    moved = db.session.execute(
        update(CaseReply).where(CaseReply.id == reply.id, CaseReply.status == expected)
        .values(status=status, **values).execution_options(synchronize_session=False)).rowcount
    db.session.refresh(reply)
    if moved != 1:
        log.warning("reply %s changed hands while being delivered (now %s)", reply.id, reply.status)
    return reply.status if moved == 1 else f"already {reply.status}"


def _stop_clocks(case, public, now):
    """The first reply stops the first-response clock; a public one the apology clock; each restarts updates."""
    values = clocks_after_reply(case.first_responded_at, case.public_replied_at, public, now, sla_for(case.shop))
    for name, value in values.items():
        setattr(case, name, value)


def _left_alone(reply_id, now):
    reply = db.session.get(CaseReply, reply_id)
    if reply is None:
        return "missing"
    if reply.status == "pending" and reply.next_attempt_at and reply.next_attempt_at > now:
        return "not_due"  # an early job; the reply's own job (or the sweep) posts it when due
    return f"already {reply.status}"


def _job_id(reply):
    return reply_job_id(reply.id, reply.attempts, reply.next_attempt_at)


def _enqueue(reply, now=None):
    return enqueue_reply(reply.id, _job_id(reply), reply.next_attempt_at, now or clock.utcnow())
