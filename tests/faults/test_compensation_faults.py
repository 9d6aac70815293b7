"""Compensation while WooCommerce, the database or Redis is cut: the case says what is pending, and every refund
is paid exactly once when the part is back, never twice.

WooCommerce has no idempotency key, so a refund whose answer was lost must be found (by the marker CrisisDesk
writes into its reason) before anything is sent again. The cuts happen at the worst moment: right after the
stand-in applied the refund, before its answer got back (`cut_when`).
"""
import threading
import time
from decimal import Decimal

import pytest
from redis.exceptions import ConnectionError as RedisConnectionError

from crisisdesk.domain.actor import Actor
from crisisdesk.domain.compensation_request import CompensationRequest
from crisisdesk.extensions import db
from crisisdesk.jobs import compensation_job_id
from crisisdesk.jobs.compensation import sweep_stuck_compensations
from crisisdesk.models import Compensation
from crisisdesk.services import compensation
from tests import factories
from tests.outbox_helpers import release_scheduled, scheduled_jobs, timeline


def ask_refund(agent, case_id, key, amount="30.00"):
    return compensation.request_compensation(agent, case_id, CompensationRequest(kind="refund", amount=Decimal(amount)),
                                             key, Actor(agent.email, agent.id))


def state(compensation_id):
    db.session.expire_all()
    row = db.session.get(Compensation, compensation_id)
    return row.state, row.error


def cut_when(condition, cut, timeout=10):
    """Call `cut()` from a thread the moment `condition()` holds (checked every few ms); returns the thread,
    whose `fired` says whether it did."""
    def watch():
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                cut()
                watcher.fired = True
                return
            time.sleep(0.003)

    watcher = threading.Thread(target=watch, name="cut-when", daemon=True)
    watcher.fired = False
    watcher.start()
    return watcher


def run_retry(app, run_jobs, job_id):
    """What RQ's scheduler does when the job's retry is due: queue it; then a worker runs it."""
    retries = scheduled_jobs(app)
    assert job_id in retries, retries
    release_scheduled(app, retries[job_id])
    run_jobs()


def kinds(case_id):
    return [kind for kind, _ in timeline(case_id) if kind.startswith("compensation_")]


# --- WooCommerce ---------------------------------------------------------------------------------------------

def test_a_refund_asked_while_woocommerce_is_cut_shows_it_is_retrying_and_is_paid_once_when_it_is_back(
        app, shop_a, owner, agent, woo, woo_proxy, run_jobs, login_as):
    case, order = factories.case_on_woo_order(shop_a, owner, woo)
    order_id = order["id"]
    woo_proxy.cut()

    asked = ask_refund(agent, case.id, "k-during-cut")
    run_jobs()  # the job cannot connect: nothing can have reached the shop, so it will simply try again
    assert ask_refund(agent, case.id, "k-during-cut").id == asked.id  # a double click while it waits
    pending_state, error = state(asked.id)
    assert pending_state == "approved" and "could not connect to the shop" in error
    html = login_as("agent").get(f"/cases/{case.id}").get_data(as_text=True)
    assert "retrying" in html and "could not connect to the shop" in html

    woo_proxy.restore()
    run_retry(app, run_jobs, compensation_job_id(asked.id))

    assert state(asked.id) == ("succeeded", None)
    assert len(woo.refunds_of(order_id)) == 1
    assert kinds(case.id) == ["compensation_requested", "compensation_done"]
    assert sweep_stuck_compensations() == 0 and scheduled_jobs(app) == {}


def test_a_refund_whose_answer_a_cut_lost_is_found_in_woocommerce_and_never_sent_again(
        app, shop_a, owner, agent, woo, woo_proxy, run_jobs):
    case, order = factories.case_on_woo_order(shop_a, owner, woo)
    order_id = order["id"]
    woo.delay_next(0.5, method="POST", path="/refunds")  # applied at once, answered late ...
    watcher = cut_when(lambda: woo.refunds_of(order_id), woo_proxy.cut)  # ... too late: the line is cut

    asked = ask_refund(agent, case.id, "k-answer-lost")
    run_jobs()
    assert watcher.fired
    assert state(asked.id)[0] == "unknown" and kinds(case.id)[-1] == "compensation_unknown"

    run_retry(app, run_jobs, compensation_job_id(asked.id))  # still cut: it cannot look, so it must not send
    assert state(asked.id)[0] == "unknown"
    assert len(woo.requests_to("POST", "/refunds")) == 1

    woo_proxy.restore()
    run_retry(app, run_jobs, compensation_job_id(asked.id))

    assert state(asked.id) == ("succeeded", None)
    assert len(woo.refunds_of(order_id)) == 1 and len(woo.requests_to("POST", "/refunds")) == 1
    assert "found in WooCommerce after an unanswered call" in timeline(case.id)[-1][1]


# --- the database --------------------------------------------------------------------------------------------

def test_a_refund_paid_just_before_the_database_is_cut_is_recorded_once_it_is_back_and_not_paid_again(
        app, shop_a, owner, agent, woo, woo_proxy, database_outage, run_jobs, frozen_clock):
    case, order = factories.case_on_woo_order(shop_a, owner, woo)
    order_id = order["id"]
    woo.delay_next(0.5, method="POST", path="/refunds")
    watcher = cut_when(lambda: woo.refunds_of(order_id), database_outage.cut)  # paid; now it cannot be recorded

    asked_id = ask_refund(agent, case.id, "k-db-cut").id
    run_jobs()
    assert watcher.fired
    assert compensation_job_id(asked_id) in scheduled_jobs(app)  # the job failed and waits for RQ's retry

    database_outage.restore()
    assert state(asked_id)[0] == "executing"  # claimed before the call: the retry must not call again ...
    run_retry(app, run_jobs, compensation_job_id(asked_id))
    assert state(asked_id)[0] == "executing" and len(woo.requests_to("POST", "/refunds")) == 1

    frozen_clock.advance(minutes=11)  # ... the sweep takes it as unknown, which is looked up in WooCommerce
    assert sweep_stuck_compensations() == 1
    run_jobs()

    assert state(asked_id) == ("succeeded", None)
    assert len(woo.refunds_of(order_id)) == 1 and len(woo.requests_to("POST", "/refunds")) == 1


# --- Redis ---------------------------------------------------------------------------------------------------

def test_a_refund_asked_while_redis_is_cut_is_queued_by_the_sweep_and_paid_once(
        app, shop_a, owner, agent, woo, woo_proxy, redis_proxy, run_jobs, frozen_clock):
    case, order = factories.case_on_woo_order(shop_a, owner, woo)
    order_id = order["id"]
    redis_proxy.cut()
    asked = ask_refund(agent, case.id, "k-redis-cut")  # recorded; its job could not be queued
    assert state(asked.id)[0] == "approved"

    redis_proxy.restore()
    run_jobs()
    assert woo.refunds_of(order_id) == []  # no job exists: only the sweep can find it
    assert sweep_stuck_compensations() == 0  # not before the request's own enqueue has surely had its chance
    frozen_clock.advance(minutes=3)
    assert sweep_stuck_compensations() == 1
    assert sweep_stuck_compensations() == 0  # a second scheduler's sweep: its job is queued already
    run_jobs()

    assert state(asked.id) == ("succeeded", None)
    assert len(woo.refunds_of(order_id)) == 1
    frozen_clock.advance(minutes=10)
    assert sweep_stuck_compensations() == 0


def test_a_refund_whose_worker_lost_redis_mid_call_is_paid_and_recorded_once(
        app, shop_a, owner, agent, woo, woo_proxy, redis_proxy, run_jobs, frozen_clock):
    case, order = factories.case_on_woo_order(shop_a, owner, woo)
    order_id = order["id"]
    woo.delay_next(0.5, method="POST", path="/refunds")
    watcher = cut_when(lambda: woo.refunds_of(order_id), redis_proxy.cut)  # RQ cannot record the job's end

    asked = ask_refund(agent, case.id, "k-redis-mid-call")
    with pytest.raises(RedisConnectionError):
        run_jobs()  # the worker stops (RQ cannot record the job's end); its process manager starts another
    assert watcher.fired
    assert state(asked.id) == ("succeeded", None)  # the money is recorded all the same

    redis_proxy.restore()
    frozen_clock.advance(minutes=11)
    assert sweep_stuck_compensations() == 0
    run_jobs()
    assert len(woo.refunds_of(order_id)) == 1 and len(woo.requests_to("POST", "/refunds")) == 1
    assert kinds(case.id) == ["compensation_requested", "compensation_done"]
