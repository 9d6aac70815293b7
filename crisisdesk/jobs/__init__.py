"""RQ queues by purpose and the helpers that enqueue onto them.

Jobs take ids only, never objects. Enqueueing is best-effort where the work is
also recorded in the database (an event row), because a periodic sweeper
re-enqueues whatever a lost job left behind.
"""
import logging

from flask import current_app
from redis.exceptions import RedisError
from rq import Queue, Retry
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus

from crisisdesk.extensions import redis_connection

log = logging.getLogger(__name__)

EVENTS_QUEUE = "events"
DEFAULT_QUEUE = "default"
PERIODIC_QUEUE = "periodic"
MONEY_QUEUE = "money"
ALL_QUEUES = [MONEY_QUEUE, EVENTS_QUEUE, DEFAULT_QUEUE, PERIODIC_QUEUE]

# 10 s, 1 min, 5 min, 30 min, 2 h: a database outage of a couple of hours is ridden out.
APPLY_RETRY = Retry(max=5, interval=[10, 60, 300, 1800, 7200])
# A compensation whose outcome is unknown is checked again after 30 s, then ever more slowly for ~7 hours.
COMPENSATION_RETRY = Retry(max=8, interval=[30, 60, 300, 900, 1800, 3600, 7200, 14400])
# A job in one of these states is not lost: queued, running, or waiting for its retry.
WAITING_STATUSES = {JobStatus.QUEUED, JobStatus.STARTED, JobStatus.SCHEDULED, JobStatus.DEFERRED}


# A backfill that failed for a reason a retry can fix (a 503, a timeout) resumes from its page.
BACKFILL_RETRY = Retry(max=3, interval=[60, 600, 3600])


def queue(name, app=None):
    return Queue(name, connection=redis_connection(app or current_app))


def _enqueue(queue_name, function, argument, job_id, what, **options):
    """Enqueue one job by a stable id; a Redis failure is logged and reported as False."""
    target = queue(queue_name)
    try:
        # In one pipeline: RQ alone sends its writes in two round trips, and this runs in every event's request.
        with target.connection.pipeline() as pipe:
            target.enqueue(function, argument, job_id=job_id, pipeline=pipe, **options)
            pipe.execute()
        return True
    except RedisError as error:
        log.warning("could not enqueue %s (%s)", what, error)
        return False


def _waiting(queue_name, job_id):
    """True while the job is still queued, running or scheduled for a retry."""
    try:
        job = Job.fetch(job_id, connection=queue(queue_name).connection)
    except NoSuchJobError:
        return False
    return job.get_status() in WAITING_STATUSES


def apply_job_id(event_id):
    return f"apply-event-{event_id}"


def enqueue_apply_event(event_id):
    """Queue the job that applies a stored event; on a Redis failure the sweeper catches up."""
    return _enqueue(EVENTS_QUEUE, "crisisdesk.jobs.ingest.apply_event_job", event_id, apply_job_id(event_id),
                    f"event {event_id}; the sweeper will pick it up", retry=APPLY_RETRY,
                    job_timeout=120, result_ttl=3600, failure_ttl=7 * 86400)


def apply_job_waiting(event_id):
    return _waiting(EVENTS_QUEUE, apply_job_id(event_id))


def compensation_job_id(compensation_id):
    return f"compensation-{compensation_id}"


def enqueue_compensation(compensation_id):
    """Queue the job that carries out a recorded compensation (its row guards against running twice)."""
    return _enqueue(MONEY_QUEUE, "crisisdesk.jobs.compensation.execute_compensation_job", compensation_id,
                    compensation_job_id(compensation_id),
                    f"compensation {compensation_id}; the sweeper will pick it up", retry=COMPENSATION_RETRY,
                    job_timeout=300, result_ttl=86400, failure_ttl=30 * 86400)


def compensation_job_waiting(compensation_id):
    return _waiting(MONEY_QUEUE, compensation_job_id(compensation_id))


def backfill_job_id(shop_id):
    return f"backfill-shop-{shop_id}"


def enqueue_backfill(shop_id):
    """Queue the shop's backfill; False when Redis cannot be reached (the caller says so, nothing sweeps it up)."""
    return _enqueue(DEFAULT_QUEUE, "crisisdesk.jobs.sync.backfill_job", shop_id, backfill_job_id(shop_id),
                    f"the backfill of shop {shop_id}", retry=BACKFILL_RETRY,
                    job_timeout=6 * 3600, result_ttl=7 * 86400, failure_ttl=30 * 86400)


def backfill_job_waiting(shop_id):
    return _waiting(DEFAULT_QUEUE, backfill_job_id(shop_id))


# Customer emails share the default queue (a queue of their own would need adding to ALL_QUEUES).
EMAIL_QUEUE = DEFAULT_QUEUE


def email_job_id(email_id, attempts, due_at):
    """One id per outbox row, attempt and due time: the sweep can tell whether the row's current job exists."""
    return f"send-email-{email_id}-a{attempts}-{due_at:%Y%m%dT%H%M%S}"


def enqueue_email(email_id, job_id, due_at, now):
    """Queue the send job now when due, else in RQ's scheduler at `due_at`; False on a Redis failure (swept)."""
    return _enqueue_when_due(EMAIL_QUEUE, "crisisdesk.jobs.email.send_email_job", email_id, job_id, due_at, now,
                             timeout=120, what="email", sweeper="the outbox sweep")


def enqueue_emails(entries, now):
    """enqueue_email for many rows, [(email id, job id, due at)], in one Redis round trip; False on a Redis failure."""
    if not entries:
        return True
    try:
        email_queue = queue(EMAIL_QUEUE)
        with email_queue.connection.pipeline() as pipe:
            pipe.multi()  # RQ asks for a transaction when it is handed a pipeline; start it before any command
            for email_id, job_id, due_at in entries:
                _put_when_due(email_queue, "crisisdesk.jobs.email.send_email_job", email_id, job_id, due_at, now,
                              timeout=120, pipeline=pipe)
            pipe.execute()
        return True
    except RedisError as error:
        log.warning("could not enqueue %d emails (%s); the outbox sweep will", len(entries), error)
        return False


def email_job_waiting(job_id):
    return _waiting(EMAIL_QUEUE, job_id)


# Public replies under reviews (services/reply_delivery.py) share the default queue too.
REPLY_QUEUE = DEFAULT_QUEUE


def reply_job_id(reply_id, attempts, due_at):
    """One id per reply, attempt and due time: the sweep can tell whether the reply's current job exists."""
    return f"deliver-reply-{reply_id}-a{attempts}-{due_at:%Y%m%dT%H%M%S}"


def enqueue_reply(reply_id, job_id, due_at, now):
    """Queue the job that posts a reply now when due, else at `due_at`; False on a Redis failure (swept)."""
    return _enqueue_when_due(REPLY_QUEUE, "crisisdesk.jobs.replies.deliver_reply_job", reply_id, job_id, due_at, now,
                             timeout=60, what="reply", sweeper="the reply sweep")


# Answers to reviews without a case (services/review_answers.py) are posted like replies, on the same queue.
def review_answer_job_id(answer_id, attempts, due_at):
    """One id per answer, attempt and due time, as reply_job_id (reply_job_waiting finds both)."""
    return f"deliver-answer-{answer_id}-a{attempts}-{due_at:%Y%m%dT%H%M%S}"


def enqueue_review_answer(answer_id, job_id, due_at, now):
    """Queue the job that posts a review answer now when due, else at `due_at`; False on a Redis failure (swept)."""
    return _enqueue_when_due(REPLY_QUEUE, "crisisdesk.jobs.replies.deliver_review_answer_job", answer_id, job_id,
                             due_at, now, timeout=60, what="review answer", sweeper="the reply sweep")


def _enqueue_when_due(queue_name, function, row_id, job_id, due_at, now, timeout, what, sweeper):
    """A row's job: on the queue now when due (or no due time), else in RQ's scheduler; False on a Redis failure."""
    try:
        _put_when_due(queue(queue_name), function, row_id, job_id, due_at, now, timeout)
        return True
    except RedisError as error:
        log.warning("could not enqueue %s %s (%s); %s will", what, row_id, error, sweeper)
        return False


def _put_when_due(target, function, row_id, job_id, due_at, now, timeout, pipeline=None):
    options = dict(job_id=job_id, job_timeout=timeout, result_ttl=86400, failure_ttl=7 * 86400, pipeline=pipeline)
    if due_at is None or due_at <= now:
        target.enqueue(function, row_id, **options)
    else:
        target.enqueue_at(due_at, function, row_id, **options)


def reply_job_waiting(job_id):
    return _waiting(REPLY_QUEUE, job_id)
