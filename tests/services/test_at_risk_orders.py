"""At-risk orders on a real database (services/at_risk_orders.py): the flagging pass finds late and exposed orders
once, clears the flags of orders that moved on and keeps the rows, and the list, dismissal and setting keep each
shop to itself."""
from datetime import timedelta

import pytest

from crisisdesk.demo.payloads import wc_time
from crisisdesk.domain.errors import Conflict, Forbidden, Invalid, NotFound
from crisisdesk.extensions import db
from crisisdesk.jobs import PERIODIC_QUEUE, queue
from crisisdesk.jobs.schedule import PERIODIC_JOBS
from crisisdesk.models import AtRiskOrder, AuditEntry, Order
from crisisdesk.services import at_risk_orders, cases as case_service
from tests import factories
from tests.reply_helpers import actor_of, review_case

JOB = "crisisdesk.jobs.at_risk.flag_at_risk_orders_job"


def place(shop, now, hours_ago, status="processing", email="grace@example.com", paid_hours_ago=None, unpaid=False):
    """An order placed `hours_ago` before `now`, through the real ingest path; paid then unless told otherwise."""
    payload = factories.order(email=email, created_at=now - timedelta(hours=hours_ago), status=status, unpaid=unpaid)
    if paid_hours_ago is not None:  # a bank transfer that arrived later
        payload["date_paid_gmt"] = wc_time(now - timedelta(hours=paid_hours_ago))
    factories.deliver(shop, "order.created", payload)
    return Order.query.filter_by(shop_id=shop.id, remote_id=payload["id"]).one()


def move(shop, order, status, at):
    """WooCommerce moved the order on at `at` (a newer date_modified_gmt)."""
    payload = factories.order(order_id=order.remote_id, email=order.billing_email, created_at=order.created_at,
                              status=status, modified_at=at)
    factories.deliver(shop, "order.updated", payload)


def flags(shop=None):
    db.session.expire_all()
    query = AtRiskOrder.query.order_by(AtRiskOrder.id)
    return query.filter_by(shop_id=shop.id).all() if shop else query.all()


def test_it_flags_orders_waiting_past_the_promise_once_and_says_why(shop_a, frozen_clock):
    now = frozen_clock.now
    late = place(shop_a, now, 72)
    held = place(shop_a, now, 50, status="on-hold", unpaid=True, email="held@example.com")
    place(shop_a, now, 2, email="fresh@example.com")  # within the 48 hours (also 43 hours later)
    place(shop_a, now, 100, status="completed", email="done@example.com")
    paid_late = place(shop_a, now, 100, paid_hours_ago=5, email="transfer@example.com")  # counts from payment
    assert paid_late.paid_at == now - timedelta(hours=5) and held.paid_at is None

    first = at_risk_orders.flag_at_risk_orders(shop_a, now)
    assert (first.flagged, first.cleared) == (2, 0)
    assert [(f.order_id, f.reason, f.status, f.active_order_id, f.flagged_at) for f in flags()] == [
        (late.id, "stuck_processing", "open", late.id, now), (held.id, "stuck_on_hold", "open", held.id, now)]
    assert flags()[0].customer_id == late.customer_id is not None

    again = at_risk_orders.flag_at_risk_orders(shop_a, now + timedelta(minutes=30))
    assert (again.flagged, again.cleared) == (0, 0) and len(flags()) == 2
    # The bank transfer's order outlives the promise counted from its payment.
    later = at_risk_orders.flag_at_risk_orders(shop_a, now + timedelta(hours=43))
    assert later.flagged == 1 and flags()[-1].order_id == paid_late.id


def test_a_customer_with_an_open_case_puts_a_new_order_at_risk_but_not_the_order_of_the_case(shop_a, agent,
                                                                                           frozen_clock):
    now = frozen_clock.now
    case = review_case(shop_a, email="anna@example.com")  # linked to an old order still processing: the complaint
    assert case.order.status == "processing"
    again = place(shop_a, now, 2, email="anna@example.com")
    at_risk_orders.flag_at_risk_orders(shop_a, now)
    assert [(f.order_id, f.reason) for f in flags()] == [(again.id, "open_case_customer")]

    case_service.change_status(agent, case.id, "resolved", actor_of(agent))
    third = place(shop_a, now, 1, email="anna@example.com")
    assert at_risk_orders.flag_at_risk_orders(shop_a, now).flagged == 0
    assert third.id not in {f.order_id for f in flags()}


def test_it_clears_the_flags_of_orders_that_moved_on_and_keeps_every_row(shop_a, agent, frozen_clock):
    now = frozen_clock.now
    untouched, dismissed, waiting = (place(shop_a, now, 60, email=f"c{i}@example.com") for i in range(3))
    at_risk_orders.flag_at_risk_orders(shop_a, now)
    flag_of = {f.order_id: f.id for f in flags()}
    at_risk_orders.dismiss(agent, flag_of[dismissed.id], actor_of(agent), "Collected in person on Monday.")
    move(shop_a, untouched, "completed", now + timedelta(hours=2))
    move(shop_a, dismissed, "cancelled", now + timedelta(hours=3))

    result = at_risk_orders.flag_at_risk_orders(shop_a, now + timedelta(hours=4))
    assert (result.flagged, result.cleared) == (0, 2)
    by_order = {f.order_id: f for f in flags()}
    assert (by_order[untouched.id].status, by_order[untouched.id].active_order_id) == ("cleared", None)
    assert by_order[untouched.id].cleared_at == now + timedelta(hours=4)
    assert (by_order[dismissed.id].status, by_order[dismissed.id].dismiss_reason) == (
        "dismissed", "Collected in person on Monday.")  # what was done stays; the order moved on too
    assert by_order[dismissed.id].cleared_at is not None
    assert (by_order[waiting.id].status, by_order[waiting.id].cleared_at) == ("open", None)
    assert at_risk_orders.flag_at_risk_orders(shop_a, now + timedelta(hours=5)).cleared == 0

    # Back to processing in WooCommerce and late again: a new flag; the cleared row stays beside it.
    move(shop_a, untouched, "processing", now + timedelta(hours=6))
    assert at_risk_orders.flag_at_risk_orders(shop_a, now + timedelta(hours=7)).flagged == 1
    assert [f.status for f in flags() if f.order_id == untouched.id] == ["cleared", "open"]


def test_it_runs_every_thirty_minutes_over_every_shop(app, shop_a, shop_b, frozen_clock, run_jobs):
    assert any(p.function == JOB and p.every_seconds == 30 * 60 for p in PERIODIC_JOBS)
    place(shop_a, frozen_clock.now, 49)
    place(shop_b, frozen_clock.now, 49)
    queue(PERIODIC_QUEUE).enqueue(JOB)
    run_jobs()
    assert sorted(f.shop_id for f in flags()) == sorted([shop_a.id, shop_b.id])
    queue(PERIODIC_QUEUE).enqueue(JOB)
    run_jobs()
    assert len(flags()) == 2


def test_the_list_filters_pages_and_keeps_each_shop_to_itself(shop_a, shop_b, agent, viewer, outsider,
                                                              frozen_clock, monkeypatch):
    now = frozen_clock.now
    for i in range(3):
        place(shop_a, now, 60 + i, email=f"a{i}@example.com")
    place(shop_a, now, 60, status="on-hold", email="held@example.com")
    place(shop_b, now, 60, email="b@example.com")
    at_risk_orders.flag_all(now)

    page = at_risk_orders.list_flags(agent)
    assert page.total == 4 and {row.flag.shop_id for row in page.items} == {shop_a.id}
    assert page.items[0].hours_waited >= 60
    assert at_risk_orders.list_flags(agent, reason="stuck_on_hold").total == 1
    assert at_risk_orders.list_flags(outsider).total == 1
    assert at_risk_orders.list_flags(shop_a.id, status="dismissed").total == 0
    monkeypatch.setattr(at_risk_orders, "PER_PAGE", 3)
    assert [len(at_risk_orders.list_flags(viewer, page=n).items) for n in (1, 2)] == [3, 1]
    with pytest.raises(Invalid):
        at_risk_orders.list_flags(agent, status="everything")

    theirs = flags(shop_b)[0]
    with pytest.raises(NotFound):
        at_risk_orders.get_flag(agent, theirs.id)
    with pytest.raises(NotFound):
        at_risk_orders.dismiss(agent, theirs.id, actor_of(agent), "Not mine to dismiss.")
    with pytest.raises(Forbidden):
        at_risk_orders.dismiss(viewer, flags(shop_a)[0].id, actor_of(viewer), "Viewers only read.")
    assert AuditEntry.query.filter_by(action="at_risk.dismissed").count() == 0


def test_a_dismissal_needs_a_reason_and_happens_once(shop_a, agent, frozen_clock):
    place(shop_a, frozen_clock.now, 60)
    at_risk_orders.flag_at_risk_orders(shop_a, frozen_clock.now)
    flag = flags()[0]
    with pytest.raises(Invalid) as error:
        at_risk_orders.dismiss(agent, flag.id, actor_of(agent), "   ")
    assert error.value.field == "reason"
    dismissed = at_risk_orders.dismiss(agent, flag.id, actor_of(agent), "Ships today, customer told by phone.")
    assert (dismissed.status, dismissed.acted_by_id, dismissed.dismissed_at) == ("dismissed", agent.id,
                                                                                frozen_clock.now)
    with pytest.raises(Conflict, match="already dismissed"):
        at_risk_orders.dismiss(agent, flag.id, actor_of(agent), "Again.")
    entry = AuditEntry.query.filter_by(action="at_risk.dismissed").one()
    assert entry.target_id == flag.id and entry.shop_id == shop_a.id


def test_the_promise_is_the_owners_setting(shop_a, owner, agent, frozen_clock):
    place(shop_a, frozen_clock.now, 60)
    at_risk_orders.update_settings(owner, shop_a.id, actor_of(owner), 72)
    assert at_risk_orders.flag_at_risk_orders(shop_a, frozen_clock.now).flagged == 0
    entry = AuditEntry.query.filter_by(action="shop.at_risk_settings_changed").one()
    assert entry.details["changes"] == {"promised_dispatch_hours": [48, 72]}
    for bad in (0, 721):
        with pytest.raises(Invalid) as error:
            at_risk_orders.update_settings(owner, shop_a.id, actor_of(owner), bad)
        assert error.value.field == "promised_dispatch_hours"
    with pytest.raises(Forbidden):
        at_risk_orders.update_settings(agent, shop_a.id, actor_of(agent), 24)
    db.session.refresh(shop_a)
    assert shop_a.promised_dispatch_hours == 72
