"""Faults around sending emails, each ending with every due email accepted by the SMTP server exactly once.

Real parts throughout: worker processes forked from the test (as RQ forks its work horses) and
killed with SIGKILL, Redis emptied under the queue, an SMTP server stopped and started again,
and jobs for one email run by two workers at the same time.
"""
import os
import signal
import time
from datetime import timedelta

from rq import SimpleWorker

from crisisdesk.extensions import db, redis_connection
from crisisdesk.jobs import ALL_QUEUES, email_job_id, enqueue_email, queue
from crisisdesk.models import OutboxEmail
from crisisdesk.services import outbox
from tests.outbox_helpers import (email_kinds_stub, make_case, release_scheduled, row, schedule,  # noqa: F401
                                  scheduled_jobs, timeline)


def start_worker_process(app):
    """Fork a worker that runs every queued job, then exits; returns its pid.

    The child inherits this test's app, frozen clock and stubs. It drops the inherited database
    connections first (two processes must never share one), as the production worker's horses do.
    """
    db.session.remove()
    pid = os.fork()
    if pid:
        return pid
    code = 1
    try:
        db.engine.dispose(close=False)
        SimpleWorker([queue(name, app) for name in ALL_QUEUES], connection=redis_connection(app)).work(burst=True)
        code = 0
    finally:
        os._exit(code)


def wait_for_exit(pid, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return status
        time.sleep(0.02)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    raise AssertionError(f"worker {pid} did not finish")


def sent_once(smtp_server, *emails):
    """Every email reached the server once, and each row says sent."""
    ids = sorted(m.message["Message-ID"] for m in smtp_server.wait_for(len(emails)))
    assert ids == sorted(row(e.id).message_id for e in emails)
    assert {row(e.id).status for e in emails} == {"sent"}


def test_a_worker_killed_mid_send_leaves_an_email_the_sweep_sends_once(app, shop_a, smtp_server, email_kinds_stub,
                                                                       run_jobs, frozen_clock):
    case = make_case(shop_a)
    email, case_id = schedule(shop_a, case=case), case.id
    hold = smtp_server.hold_data()  # the server takes the message but has not said 250 yet ...

    worker = start_worker_process(app)
    assert hold.reached.wait(20), "the worker never reached DATA"
    os.kill(worker, signal.SIGKILL)  # ... when the worker dies
    assert os.WTERMSIG(wait_for_exit(worker)) == signal.SIGKILL
    assert hold.sender_gone.wait(5)
    assert smtp_server.messages == []
    assert (row(email.id).status, row(email.id).attempts) == ("sending", 1)

    frozen_clock.advance(minutes=5)
    assert outbox.sweep().returned == 0  # a send may still be under way: too early to take it back
    frozen_clock.advance(minutes=6)
    assert outbox.sweep() == outbox.SweepResult(returned=1, requeued=1)
    run_jobs()  # a new worker
    outbox.sweep()
    run_jobs()

    sent_once(smtp_server, email)
    assert row(email.id).attempts == 2
    assert [kind for kind, _ in timeline(case_id)][-2:] == ["email_retry", "email_sent"]


def test_emails_whose_jobs_redis_lost_are_swept_up_and_sent_once(app, shop_a, smtp_server, email_kinds_stub, run_jobs,
                                                                  redis, frozen_clock):
    due_now = schedule(shop_a, key="k-now")
    due_later = schedule(shop_a, key="k-later", to="ada@example.com", after=timedelta(hours=2))
    # Redis restarts without its data (this test's database only: the server may be shared).
    redis.flushdb()

    frozen_clock.advance(hours=2)
    assert release_scheduled(app, frozen_clock.now) == []  # RQ's scheduler has nothing left to release
    run_jobs()
    assert smtp_server.messages == []

    assert outbox.sweep().requeued == 2
    assert outbox.sweep().requeued == 0  # a second scheduler's sweep: the jobs are queued already
    run_jobs()
    assert outbox.sweep().requeued == 0
    run_jobs()

    sent_once(smtp_server, due_now, due_later)


def test_an_email_sent_while_smtp_is_down_is_retried_with_backoff_and_sent_once_when_it_is_back(
        app, shop_a, smtp_server, email_kinds_stub, run_jobs, frozen_clock):
    case = make_case(shop_a)
    email = schedule(shop_a, case=case)
    smtp_server.stop()

    run_jobs()
    assert (row(email.id).status, row(email.id).attempts) == ("scheduled", 1)
    assert "could not reach" in row(email.id).last_error
    assert list(scheduled_jobs(app).values()) == [frozen_clock.now + timedelta(minutes=1)]

    frozen_clock.advance(minutes=1)
    release_scheduled(app, frozen_clock.now)
    run_jobs()
    assert row(email.id).attempts == 2
    assert list(scheduled_jobs(app).values()) == [frozen_clock.now + timedelta(minutes=5)]

    smtp_server.start()
    frozen_clock.advance(minutes=4)
    release_scheduled(app, frozen_clock.now)
    run_jobs()
    assert smtp_server.messages == []  # the backoff holds even though the server is back

    frozen_clock.advance(minutes=1)
    release_scheduled(app, frozen_clock.now)
    run_jobs()
    assert outbox.sweep() == outbox.SweepResult(0, 0)

    sent_once(smtp_server, email)
    assert row(email.id).attempts == 3
    assert [kind for kind, _ in timeline(case)][-3:] == ["email_retry", "email_retry", "email_sent"]


def test_an_email_scheduled_swept_and_queued_twice_and_run_by_two_workers_at_once_is_sent_once(
        app, shop_a, smtp_server, email_kinds_stub, frozen_clock):
    first = schedule(shop_a, key="case:7:follow_up")
    again = schedule(shop_a, key="case:7:follow_up")  # a retried request, another web worker
    assert again.id == first.id
    assert outbox.sweep().requeued == outbox.sweep().requeued == 0  # two schedulers' sweeps: the job is queued
    due = row(first.id).due_at
    enqueue_email(first.id, email_job_id(first.id, 0, due), due, frozen_clock.now)  # and it is queued twice
    assert queue("default", app).count == 2

    hold = smtp_server.hold_data()  # the first worker to claim it waits in DATA ...
    workers = [start_worker_process(app), start_worker_process(app)]
    assert hold.reached.wait(20)
    time.sleep(0.5)  # ... while the other worker runs its copy of the job (and finds the email taken)
    hold.release()
    for worker in workers:
        assert os.WEXITSTATUS(wait_for_exit(worker)) == 0

    sent_once(smtp_server, first)
    assert OutboxEmail.query.count() == 1 and row(first.id).attempts == 1
    time.sleep(0.2)
    assert len(smtp_server.messages) == 1
