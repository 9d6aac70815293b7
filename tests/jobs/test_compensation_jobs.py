"""Compensation jobs with a real Redis and RQ: a dead worker's half-done call is checked, never repeated."""
from datetime import timedelta
from decimal import Decimal

from crisisdesk import clock
from crisisdesk.domain.actor import Actor
from crisisdesk.domain.compensation_request import CompensationRequest
from crisisdesk.extensions import db
from crisisdesk.jobs.compensation import sweep_stuck_compensations
from crisisdesk.models import Compensation
from crisisdesk.services import compensation
from tests import factories
from tests.wc_standin.fixtures import woo  # noqa: F401  (the WooCommerce stand-in)


def test_it_rechecks_a_call_a_dead_worker_left_half_done_and_does_not_pay_twice(app, shop_a, owner, agent, woo,  # noqa: F811
                                                                                 run_jobs, redis):
    case, order = factories.case_on_woo_order(shop_a, owner, woo)
    asked = compensation.request_compensation(agent, case.id, CompensationRequest(kind="refund",
                                                                                  amount=Decimal("30.00")),
                                              "k-dead", Actor(agent.email, agent.id))
    run_jobs()  # the refund reaches WooCommerce ...
    assert len(woo.refunds_of(order["id"])) == 1
    # ... then pretend the worker died before recording it: the row is left `executing`, the job is gone.
    row = db.session.get(Compensation, asked.id)
    row.state, row.remote_id, row.sent_at = "executing", None, clock.utcnow() - timedelta(hours=1)
    db.session.commit()
    redis.flushdb()

    assert sweep_stuck_compensations() == 1
    run_jobs()
    done = db.session.get(Compensation, asked.id)
    assert done.state == "succeeded" and done.remote_id == woo.refunds_of(order["id"])[0]["id"]
    assert len(woo.refunds_of(order["id"])) == 1


def test_it_leaves_a_call_in_progress_alone(app, shop_a, owner, agent, woo):  # noqa: F811
    case, _ = factories.case_on_woo_order(shop_a, owner, woo)
    asked = compensation.request_compensation(agent, case.id, CompensationRequest(kind="refund",
                                                                                  amount=Decimal("10.00")),
                                              "k-busy", Actor(agent.email, agent.id))
    row = db.session.get(Compensation, asked.id)
    row.state, row.sent_at = "executing", clock.utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert sweep_stuck_compensations() == 0
    assert db.session.get(Compensation, asked.id).state == "executing"


def test_it_leaves_an_unknown_outcome_to_its_scheduled_retry(app, shop_a, owner, agent, woo):  # noqa: F811
    from crisisdesk.jobs import enqueue_compensation

    case, _ = factories.case_on_woo_order(shop_a, owner, woo)
    asked = compensation.request_compensation(agent, case.id, CompensationRequest(kind="refund",
                                                                                  amount=Decimal("10.00")),
                                              "k-retry", Actor(agent.email, agent.id))
    db.session.get(Compensation, asked.id).state = "unknown"
    db.session.commit()
    assert enqueue_compensation(asked.id)  # its job is still queued
    assert sweep_stuck_compensations() == 0
