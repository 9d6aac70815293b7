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
# An apply job in one of these states is not lost: queued, running, or waiting for its retry.
WAITING_STATUSES = {JobStatus.QUEUED, JobStatus.STARTED, JobStatus.SCHEDULED, JobStatus.DEFERRED}


def queue(name, app=None):
    return Queue(name, connection=redis_connection(app or current_app))


def enqueue_apply_event(event_id):
    """Queue the job that applies a stored event; a Redis failure is logged, the sweeper catches up."""
    try:
        queue(EVENTS_QUEUE).enqueue("crisisdesk.jobs.ingest.apply_event_job", event_id,
                                    job_id=apply_job_id(event_id), retry=APPLY_RETRY,
                                    job_timeout=120, result_ttl=3600, failure_ttl=7 * 86400)
        return True
    except RedisError as error:
        log.warning("could not enqueue event %s (%s); the sweeper will pick it up", event_id, error)
        return False


def apply_job_id(event_id):
    return f"apply-event-{event_id}"


def apply_job_waiting(event_id):
    """True while the event's apply job is still queued, running or scheduled for a retry."""
    try:
        job = Job.fetch(apply_job_id(event_id), connection=queue(EVENTS_QUEUE).connection)
    except NoSuchJobError:
        return False
    return job.get_status() in WAITING_STATUSES


def enqueue_compensation(compensation_id):
    """Queue the job that carries out a recorded compensation (its row guards against running twice)."""
    try:
        queue(MONEY_QUEUE).enqueue("crisisdesk.jobs.compensation.execute_compensation_job", compensation_id,
                                   job_id=f"compensation-{compensation_id}", retry=COMPENSATION_RETRY,
                                   job_timeout=300, result_ttl=86400, failure_ttl=30 * 86400)
        return True
    except RedisError as error:
        log.warning("could not enqueue compensation %s (%s); the sweeper will pick it up", compensation_id, error)
        return False


# A backfill that failed for a reason a retry can fix (a 503, a timeout) resumes from its page.
BACKFILL_RETRY = Retry(max=3, interval=[60, 600, 3600])


def backfill_job_id(shop_id):
    return f"backfill-shop-{shop_id}"


def enqueue_backfill(shop_id):
    """Queue the shop's backfill; False when Redis cannot be reached (the caller says so, nothing sweeps it up)."""
    try:
        queue(DEFAULT_QUEUE).enqueue("crisisdesk.jobs.sync.backfill_job", shop_id,
                                     job_id=backfill_job_id(shop_id), retry=BACKFILL_RETRY,
                                     job_timeout=6 * 3600, result_ttl=7 * 86400, failure_ttl=30 * 86400)
        return True
    except RedisError as error:
        log.warning("could not enqueue the backfill of shop %s (%s)", shop_id, error)
        return False


def backfill_job_waiting(shop_id):
    """True while the shop's backfill job is queued, running or waiting for a retry."""
    try:
        job = Job.fetch(backfill_job_id(shop_id), connection=queue(DEFAULT_QUEUE).connection)
    except NoSuchJobError:
        return False
    return job.get_status() in WAITING_STATUSES
