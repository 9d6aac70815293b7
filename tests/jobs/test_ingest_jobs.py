"""Ingest jobs on the real Redis with RQ's SimpleWorker: apply, retry, sweep, and the periodic scheduler.

Failures here are real ones: a table the job needs is dropped (as in a half-applied migration)
and put back, and jobs are lost by flushing Redis (a restart without persistence).
"""
from datetime import timedelta

from rq.job import Job, JobStatus

from crisisdesk.extensions import db
from crisisdesk.jobs import APPLY_RETRY, EVENTS_QUEUE, PERIODIC_QUEUE, queue
from crisisdesk.jobs.ingest import sweep_pending_events
from crisisdesk.jobs.schedule import PERIODIC_JOBS, Periodic, enqueue_due
from crisisdesk.models import Case, InboundEvent, Review, ReviewRevision
from crisisdesk.services import ingest
from tests import factories

PERIOD_START = 1_795_000_020  # a Unix time at the start of a minute


def post_review(api, shop, **review):
    response = api.send(shop, "review.created", factories.review(**review))
    assert response.status_code == 202, response.get_data(as_text=True)
    return response.get_json()["event_id"]


def event(event_id):
    db.session.expire_all()
    return db.session.get(InboundEvent, event_id)


def drop_table(name):
    db.session.remove()  # hold no transaction open on the table
    db.metadata.tables[name].drop(db.engine)


def create_table(name):
    db.session.remove()
    db.metadata.tables[name].create(db.engine)


# --- applying and retrying ----------------------------------------------------------------------------------

def test_it_applies_a_posted_event_in_the_worker(app, api, shop_a, run_jobs):
    event_id = post_review(api, shop_a, review_id=801, rating=1)
    assert Review.query.count() == 0

    run_jobs()

    assert event(event_id).outcome == "applied"
    assert Review.query.one().remote_id == 801
    assert Case.query.count() == 1
    assert queue(EVENTS_QUEUE, app).count == 0


def test_it_retries_a_failing_apply_job_records_the_error_and_never_gives_the_event_up(app, api, shop_a, run_jobs,
                                                                                     redis, frozen_clock):
    event_id = post_review(api, shop_a, review_id=802, rating=1)
    job_id = f"apply-event-{event_id}"
    scheduled = queue(EVENTS_QUEUE, app).scheduled_job_registry
    drop_table("review_revisions")
    try:
        run_jobs()

        failed = event(event_id)
        assert (failed.processed_at, failed.outcome, failed.attempts) == (None, None, 1)
        assert "review_revisions" in failed.error
        assert Review.query.count() == 0  # the half-done work was rolled back
        job = Job.fetch(job_id, connection=redis)
        assert job.get_status() == JobStatus.SCHEDULED  # RQ retries it after a backoff
        assert job.retries_left == APPLY_RETRY.max - 1
        assert scheduled.get_job_ids() == [job_id]

        frozen_clock.advance(minutes=2)
        assert sweep_pending_events() == 0  # waiting for its retry is not lost: the backoff stands
        assert queue(EVENTS_QUEUE, app).count == 0

        job.retries_left = 0  # as after the last of its retries
        job.save()
        scheduled.requeue(job_id)  # what RQ's scheduler does once the backoff is over
        run_jobs()
        assert Job.fetch(job_id, connection=redis).get_status() == JobStatus.FAILED
        assert (event(event_id).attempts, event(event_id).processed_at) == (2, None)  # kept, not given up
    finally:
        create_table("review_revisions")

    assert sweep_pending_events() == 1  # a job that failed for good is lost work: queue it afresh
    run_jobs()

    applied = event(event_id)
    assert (applied.outcome, applied.error, applied.attempts) == ("applied", None, 3)
    assert (Review.query.count(), ReviewRevision.query.count(), Case.query.count()) == (1, 1, 1)


# --- sweeping -----------------------------------------------------------------------------------------------

def test_it_sweeps_up_events_whose_jobs_were_lost_and_applies_them_exactly_once(app, api, shop_a, run_jobs,
                                                                                  redis, frozen_clock):
    ids = [post_review(api, shop_a, review_id=remote_id, rating=1) for remote_id in (803, 804)]
    redis.flushdb()  # Redis restarted without persistence: both jobs are gone

    frozen_clock.advance(seconds=30)
    assert sweep_pending_events() == 0  # too early to call them lost
    frozen_clock.advance(seconds=31)
    # Two scheduler processes tick in the same minute: one sweep is queued; the worker runs it,
    # then the apply jobs it queued.
    assert "sweep-pending-events" in enqueue_due(app, now=PERIOD_START + 5)
    assert enqueue_due(app, now=PERIOD_START + 6) == []
    run_jobs()

    assert [(event(i).outcome, event(i).attempts) for i in ids] == [("applied", 1), ("applied", 1)]
    frozen_clock.advance(minutes=5)
    assert sweep_pending_events() == 0
    assert queue(EVENTS_QUEUE, app).count == 0
    assert (Review.query.count(), ReviewRevision.query.count(), Case.query.count()) == (2, 2, 2)


def test_it_does_not_queue_a_second_job_for_an_event_whose_job_is_still_waiting(app, api, shop_a, frozen_clock):
    # A backlog: the workers have not reached the event's job within the sweeper's grace period.
    event_id = post_review(api, shop_a, rating=1)
    frozen_clock.advance(minutes=2)

    assert sweep_pending_events() == 0
    assert queue(EVENTS_QUEUE, app).get_job_ids() == [f"apply-event-{event_id}"]


def test_it_leaves_applied_stale_and_failed_events_alone(app, shop_a, frozen_clock):
    newer = factories.review(review_id=805, rating=5)
    factories.deliver(shop_a, "review.updated", newer, occurred_at=frozen_clock.now)
    factories.deliver(shop_a, "review.created", newer, occurred_at=frozen_clock.now - timedelta(hours=1))
    unparseable = InboundEvent(shop_id=shop_a.id, webhook_id="msg_old_format", type="review.created",
                               occurred_at=frozen_clock.now, received_at=frozen_clock.now, body="{}")
    db.session.add(unparseable)
    db.session.commit()
    ingest.apply_event(unparseable.id)
    assert sorted(e.outcome for e in InboundEvent.query.all()) == ["applied", "failed", "stale"]

    frozen_clock.advance(minutes=5)

    assert sweep_pending_events() == 0
    assert queue(EVENTS_QUEUE, app).count == 0


# --- the periodic scheduler ---------------------------------------------------------------------------------

def test_it_enqueues_each_periodic_job_once_per_period_even_with_two_schedulers(app, redis):
    periodic = queue(PERIODIC_QUEUE, app)

    first = enqueue_due(app, now=PERIOD_START + 1)
    second = enqueue_due(app, now=PERIOD_START + 30)  # another scheduler process, same minute

    assert first == [p.name for p in PERIODIC_JOBS]
    assert second == []
    assert len(periodic.get_job_ids()) == len(PERIODIC_JOBS)
    next_minute = enqueue_due(app, now=PERIOD_START + 60)  # a new period for the per-minute jobs only
    assert next_minute == [p.name for p in PERIODIC_JOBS if p.every_seconds == 60]
    assert len(periodic.get_job_ids()) == len(first) + len(next_minute)

    # Each job keeps its own period.
    jobs = [Periodic("every-minute", "crisisdesk.jobs.ingest.sweep_pending_events", 60),
            Periodic("every-hour", "crisisdesk.jobs.ingest.sweep_pending_events", 3600)]
    hour = PERIOD_START - PERIOD_START % 3600 + 3600
    assert enqueue_due(app, now=hour, jobs=jobs) == ["every-minute", "every-hour"]
    assert enqueue_due(app, now=hour + 60, jobs=jobs) == ["every-minute"]
    assert enqueue_due(app, now=hour + 61, jobs=jobs) == []
    assert enqueue_due(app, now=hour + 3600, jobs=jobs) == ["every-minute", "every-hour"]
