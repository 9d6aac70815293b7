"""Posting rows under reviews through the bridge's replies route (SPEC section 6), never twice.

Two kinds of rows are posted this way: an agent's public reply to a case (CaseReply, services/reply_delivery.py)
and the shop's answer to a review without a case (ReviewAnswer, services/review_answers.py). One `BridgePosts`
subclass per kind says which rows and what a result means to it; the guarantees live here, once:

- A row is claimed with one conditional UPDATE (pending → sending), so of any number of jobs for one row (a
  duplicate enqueue, the sweep racing a retry, two workers) one calls WordPress.
- Every attempt for one row carries the same webhook-id, and the bridge answers a webhook-id it has seen with
  the comment it already made. So the one gap a claim cannot close (WordPress posted the comment, then the
  answer was lost: a timeout, a dead worker) is closed there: the retry gets the first comment back.
- While WordPress cannot be reached the row waits (1, 2, 4 … minutes apart, at most 6 hours) and a periodic
  sweep re-enqueues due rows whose job was lost and takes back claims a dead worker left behind. After 4 days,
  or at once when WordPress refuses it for good (a wrong secret, a review that is gone), the row is `failed`
  with the reason.
"""
import logging
from datetime import timedelta

from flask import current_app
from sqlalchemy import or_, update

from crisisdesk import clock
from crisisdesk.extensions import db
from crisisdesk.integrations.bridge_api import BridgeClient, BridgeError
from crisisdesk.jobs import reply_job_waiting
from crisisdesk.services.claims import claim_due

log = logging.getLogger(__name__)

RETRY_FIRST = timedelta(minutes=1)
RETRY_LONGEST = timedelta(hours=6)
GIVE_UP_AFTER = timedelta(days=4)  # as long as the bridge keeps retrying its own events
# Far longer than a post may take (the bridge client's 10 s timeout; RQ stops the job after 60 s).
STUCK_AFTER = timedelta(minutes=5)
SWEEP_BATCH = 200
REVIEW_GONE = "the review is no longer there to answer (removed in WordPress)"


class BridgePosts:
    """The delivery of one kind of row; the hooks (`posted`, `retrying`, `failed`) run in the transaction that
    records the outcome, so whatever they add (a timeline line, stopped clocks) commits with it."""

    model = None  # the row's model, with the delivery columns listed in models/review_answer.py
    noun = "row"  # for the log

    def postable(self):
        """Conditions, beyond pending and due, that a row must meet to be posted (CaseReply: the public channel)."""
        return ()

    def target(self, row):
        """(the Review to post under, or None when it is gone; the Shop)."""
        raise NotImplementedError

    def webhook_id(self, row):
        raise NotImplementedError

    def job_id(self, row):
        """The id of the row's current job: one per row, attempt and due time (so the sweep can find it)."""
        raise NotImplementedError

    def enqueue(self, row, now):
        """Queue the row's job now when due, else at its due time; False on a Redis failure (the sweep catches up)."""
        raise NotImplementedError

    def posted(self, row, comment_id, now):
        pass

    def retrying(self, row, error_text):
        """Only after the first failed attempt: later ones are on the row itself."""

    def failed(self, row, error_text):
        pass

    # --- the machinery ---------------------------------------------------------------------------------------

    def start(self, row):
        """Begin delivering a row just recorded (after its commit)."""
        return self.enqueue(row, clock.utcnow())

    def claim(self, row_id, now):
        """Take a due row for posting (one atomic UPDATE); None when it is not due, taken, or done."""
        model = self.model
        return claim_due(model, row_id, now, *self.postable(), model.status == "pending",
                         or_(model.next_attempt_at.is_(None), model.next_attempt_at <= now))

    def deliver(self, row_id):
        """Post one row under its review if due and unclaimed; returns posted, retry, failed or why it was left."""
        now = clock.utcnow()
        row = self.claim(row_id, now)
        if row is None:
            return self._left_alone(row_id, now)
        review, shop = self.target(row)
        if review is None:
            return self._fail(row, REVIEW_GONE)
        client = BridgeClient(shop.url, shop.current_secret().value,
                              timeout=current_app.config["BRIDGE_TIMEOUT_SECONDS"])
        remote_review_id, content, webhook_id = review.remote_id, row.content, self.webhook_id(row)
        db.session.commit()  # end the read transaction: none stays open across the HTTP call
        try:
            comment_id = client.post_reply(remote_review_id, content, webhook_id)
        except BridgeError as error:
            return self._fail(row, str(error)) if error.permanent else self._retry(row, str(error))
        return self._posted(row, comment_id)

    def sweep(self, now):
        """Take back claims a dead worker left and re-enqueue due rows whose job is gone; (returned, requeued)."""
        model = self.model
        returned = db.session.execute(
            update(model).where(model.status == "sending", model.claimed_at < now - STUCK_AFTER)
            .values(status="pending", claimed_at=None, next_attempt_at=now,
                    last_error="the worker stopped while posting; tried again with the same webhook-id")
            .execution_options(synchronize_session=False)).rowcount
        db.session.commit()
        due = (model.query.filter(model.status == "pending", model.next_attempt_at <= now, *self.postable())
               .order_by(model.id).limit(SWEEP_BATCH).all())
        requeued = 0
        for row in due:
            if not reply_job_waiting(self.job_id(row)):
                self.enqueue(row, now)
                requeued += 1
        return returned, requeued

    def settle(self, row, expected, status, **values):
        """Move the row from `expected` to `status` unless someone else moved it first; returns its status now."""
        model = self.model
        moved = db.session.execute(
            update(model).where(model.id == row.id, model.status == expected)
            .values(status=status, **values).execution_options(synchronize_session=False)).rowcount
        db.session.refresh(row)
        if moved != 1:
            log.warning("%s %s changed hands while being delivered (now %s)", self.noun, row.id, row.status)
        return row.status if moved == 1 else f"already {row.status}"

    def _posted(self, row, comment_id):
        now = clock.utcnow()
        if self.settle(row, "sending", "posted", remote_comment_id=comment_id, delivered_at=now, last_error=None,
                       claimed_at=None) != "posted":
            return row.status
        self.posted(row, comment_id, now)
        db.session.commit()
        return "posted"

    def _retry(self, row, error_text):
        now = clock.utcnow()
        if now - row.created_at >= GIVE_UP_AFTER:
            return self._fail(row, f"{error_text} (gave up after {row.attempts} attempts over {GIVE_UP_AFTER.days} "
                                   "days)")
        due = now + min(RETRY_FIRST * 2 ** (row.attempts - 1), RETRY_LONGEST)
        if self.settle(row, "sending", "pending", next_attempt_at=due, claimed_at=None,
                       last_error=error_text) != "pending":
            return row.status
        if row.attempts == 1:
            self.retrying(row, error_text)
        db.session.commit()
        self.enqueue(row, now)
        return "retry"

    def _fail(self, row, error_text):
        if self.settle(row, "sending", "failed", last_error=error_text, claimed_at=None) != "failed":
            return row.status
        self.failed(row, error_text)
        db.session.commit()
        return "failed"

    def _left_alone(self, row_id, now):
        row = db.session.get(self.model, row_id)
        if row is None:
            return "missing"
        if row.status == "pending" and row.next_attempt_at and row.next_attempt_at > now:
            return "not_due"  # an early job; the row's own job (or the sweep) posts it when due
        return f"already {row.status}"
