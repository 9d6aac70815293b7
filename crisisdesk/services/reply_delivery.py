"""Delivering the replies agents approved (services/replies.py): public ones under the review through
the bridge route (SPEC section 6), private ones by email through the outbox. Never twice:

- A public reply is posted by services/bridge_posts.py (one conditional claim per attempt, the same
  webhook-id on every attempt, retries with backoff, a sweep of lost jobs and dead workers' claims, `failed`
  with the reason after 4 days or a refusal for good). What a public reply adds is the case: its outcome goes
  on the timeline and the first one stops the SLA clocks (`CaseReplyPosts` below).
- An email reply is one outbox row keyed by the reply: handing it over twice finds that row.
"""
import hashlib
import logging

from crisisdesk import clock
from crisisdesk.domain.sla import clocks_after_reply
from crisisdesk.extensions import db
from crisisdesk.jobs import enqueue_reply, reply_job_id
from crisisdesk.models import CaseReply
from crisisdesk.services import outbox
from crisisdesk.services.bridge_posts import GIVE_UP_AFTER, RETRY_FIRST, RETRY_LONGEST, STUCK_AFTER  # noqa: F401
from crisisdesk.services.bridge_posts import SWEEP_BATCH, BridgePosts
from crisisdesk.services.review_cases import add_event, sla_for

log = logging.getLogger(__name__)

EMAIL_KIND = "case_reply"


class CaseReplyPosts(BridgePosts):
    """Public case replies: posted under the case's review, their outcome on the case's timeline."""

    model = CaseReply
    noun = "reply"

    def postable(self):
        return (CaseReply.channel == "public",)

    def target(self, row):
        case = row.case
        return (None if case.review_removed else case.review), case.shop

    def webhook_id(self, row):
        return webhook_id_for(row)

    def job_id(self, row):
        return reply_job_id(row.id, row.attempts, row.next_attempt_at)

    def enqueue(self, row, now):
        return enqueue_reply(row.id, self.job_id(row), row.next_attempt_at, now)

    def posted(self, row, comment_id, now):
        _stop_clocks(row.case, public=True, now=now)
        add_event(row.case, "reply_posted", f"Reply posted under the review (WordPress comment {comment_id}).",
                  reply_id=row.id, comment_id=comment_id, attempts=row.attempts)

    def retrying(self, row, error_text):
        add_event(row.case, "reply_retry", f"WordPress could not take the reply yet ({error_text}). "
                  "It is tried again automatically, with the same webhook-id, so it is posted once.",
                  reply_id=row.id)

    def failed(self, row, error_text):
        add_event(row.case, "reply_failed", f"The public reply was not posted: {error_text}. Fix the cause and "
                  "send it again, or answer by email.", reply_id=row.id)


POSTS = CaseReplyPosts()


def start(reply):
    """Begin delivering a reply just recorded (after its commit): a job for a public one, the outbox for an email."""
    if reply.channel == "email":
        return hand_to_outbox(reply.id)
    return POSTS.start(reply)


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
    return POSTS.claim(reply_id, now)


def deliver(reply_id):
    """Post one public reply under its review if due and unclaimed; returns posted, retry, failed or why it was left."""
    return POSTS.deliver(reply_id)


def hand_to_outbox(reply_id):
    """Give a pending email reply to the outbox (idempotent by the reply); returns its new status."""
    reply = db.session.get(CaseReply, reply_id)
    if reply is None or reply.channel != "email" or reply.status != "pending":
        return reply.status if reply is not None else "missing"
    case = reply.case
    address = recipient_address(case)
    if not address:  # the customer was erased after the agent pressed Send
        status = POSTS.settle(reply, "pending", "failed", last_error="there is no email address to send it to")
        db.session.commit()
        return status
    author = reply.author.display_name if reply.author else "an agent"
    email = outbox.schedule_email(case.shop, EMAIL_KIND, f"case-reply:{reply.id}", address, reply.language,
                                  clock.utcnow(), f"The answer to the complaint, written by {author}.",
                                  case=case, customer=case.customer)
    if email.status == "cancelled":  # the address asked for no more email after the agent pressed Send
        status = POSTS.settle(reply, "pending", "failed", last_error=f"not sent: {email.status_note}",
                              outbox_email_id=email.id)
        db.session.commit()
        return status
    now = clock.utcnow()
    if POSTS.settle(reply, "pending", "queued", outbox_email_id=email.id, delivered_at=now,
                    last_error=None) != "queued":
        return reply.status
    _stop_clocks(case, public=False, now=now)
    db.session.commit()
    return "queued"


def sweep(now=None):
    """Take back claims a dead worker left, re-enqueue due replies whose job is gone, hand over stray emails."""
    now = now or clock.utcnow()
    returned, requeued = POSTS.sweep(now)
    emails = (CaseReply.query.filter(CaseReply.status == "pending", CaseReply.channel == "email")
              .order_by(CaseReply.id).limit(SWEEP_BATCH).all())
    for reply in emails:
        hand_to_outbox(reply.id)
    if returned or requeued:
        log.info("reply sweep: %d taken back from dead workers, %d re-enqueued", returned, requeued)
    return {"returned": returned, "requeued": requeued}


# --- the case's clocks -------------------------------------------------------------------------------------------

def _stop_clocks(case, public, now):
    """The first reply stops the first-response clock; a public one the apology clock; each restarts updates."""
    values = clocks_after_reply(case.first_responded_at, case.public_replied_at, public, now, sla_for(case.shop))
    for name, value in values.items():
        setattr(case, name, value)
