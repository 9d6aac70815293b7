"""Post-purchase review requests (services/review_requests.py) against the real database, Redis and outbox:
the owner's setting, the periodic pass that schedules one request per completed order, and the orders and
buyers it leaves alone."""
from datetime import datetime, timedelta, timezone

import pytest

from crisisdesk import clock
from crisisdesk.domain.actor import CLI
from crisisdesk.domain.errors import Forbidden, Invalid
from crisisdesk.extensions import db
from crisisdesk.models import AuditEntry, Case, Customer, Order, OutboxEmail, Shop
from crisisdesk.services import cases, outbox, review_requests
from tests import factories

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=timezone.utc)  # the frozen clock's start


def complete_order(shop, email="anna@example.com", at=None, items=None, **kwargs):
    """An order WooCommerce marked completed at `at` (default: now), through the real ingest path."""
    at = at or clock.utcnow()
    payload = factories.order(email=email, items=items, created_at=at - timedelta(days=3), status="completed",
                              modified_at=at, **kwargs)
    factories.deliver(shop, "order.created", payload, occurred_at=at)
    return Order.query.filter_by(shop_id=shop.id, remote_id=payload["id"]).one()


def requests():
    db.session.expire_all()
    return OutboxEmail.query.filter_by(kind="review_request").order_by(OutboxEmail.id).all()


@pytest.fixture
def switched_on(shop_a, owner, frozen_clock):
    review_requests.update_settings(owner, shop_a.id, CLI, True, 7)
    return shop_a


# --- the setting ---------------------------------------------------------------------------------------------

def test_it_is_off_by_default_and_schedules_nothing_then(shop_a, frozen_clock):
    assert (shop_a.review_requests_enabled, shop_a.review_request_days, shop_a.review_requests_enabled_at) == \
        (False, 7, None)
    complete_order(shop_a)
    assert review_requests.schedule_due() == 0 and requests() == []


def test_switching_on_records_when_and_is_audited(shop_a, owner, frozen_clock):
    review_requests.update_settings(owner, shop_a.id, CLI, True, 10)
    shop = db.session.get(Shop, shop_a.id)
    assert (shop.review_requests_enabled, shop.review_request_days, shop.review_requests_enabled_at) == \
        (True, 10, NOW)
    entry = AuditEntry.query.filter_by(action="shop.review_request_settings_changed").one()
    assert entry.details == {"changes": {"review_requests_enabled": [False, True], "review_request_days": [7, 10]}}
    frozen_clock.advance(days=1)
    review_requests.update_settings(owner, shop_a.id, CLI, True, 10)  # unchanged: nothing recorded
    assert AuditEntry.query.filter_by(action="shop.review_request_settings_changed").count() == 1
    assert db.session.get(Shop, shop_a.id).review_requests_enabled_at == NOW


@pytest.mark.parametrize("enabled, days, field", [(True, 0, "review_request_days"), (True, 61, "review_request_days"),
                                                  (True, True, "review_request_days"),
                                                  ("yes", 7, "review_requests_enabled")])
def test_it_refuses_values_out_of_range_or_of_the_wrong_kind(shop_a, owner, enabled, days, field):
    with pytest.raises(Invalid) as raised:
        review_requests.update_settings(owner, shop_a.id, CLI, enabled, days)
    assert raised.value.field == field
    assert not db.session.get(Shop, shop_a.id).review_requests_enabled


def test_only_owners_change_it(shop_a, agent):
    with pytest.raises(Forbidden):
        review_requests.update_settings(agent, shop_a.id, CLI, True, 7)
    assert not db.session.get(Shop, shop_a.id).review_requests_enabled


# --- scheduling ----------------------------------------------------------------------------------------------

def test_a_completed_order_gets_one_request_due_days_later_in_the_customers_language(switched_on, frozen_clock):
    switched_on.timezone = "Europe/Warsaw"
    db.session.commit()
    frozen_clock.now = datetime(2026, 11, 22, 21, 30, tzinfo=timezone.utc)  # 22:30 in Warsaw: quiet hours
    order = complete_order(switched_on)
    order.customer.language = "lv"
    db.session.commit()
    assert review_requests.schedule_due() == 1
    [row] = requests()
    assert (row.idempotency_key, row.status, row.to_email, row.language) == \
        (f"order:{order.id}:review_request", "scheduled", "anna@example.com", "lv")
    assert (row.order_id, row.customer_id, row.case_id) == (order.id, order.customer_id, None)
    # Seven days after 22:30 local is quiet too: 08:00 in Warsaw (07:00 UTC) the morning after.
    assert row.due_at == datetime(2026, 11, 30, 7, 0, tzinfo=timezone.utc)
    assert review_requests.schedule_due() == 0 and len(requests()) == 1  # never a second one


def test_the_shops_language_when_the_customers_is_unknown(switched_on, frozen_clock):
    switched_on.language = "pl"
    db.session.commit()
    complete_order(switched_on)
    review_requests.schedule_due()
    assert [row.language for row in requests()] == ["pl"]


def test_orders_completed_before_it_was_switched_on_or_long_ago_are_never_asked_about(shop_a, owner, frozen_clock):
    complete_order(shop_a, at=NOW - timedelta(days=1))  # history: completed while the setting was off
    frozen_clock.advance(hours=1)
    review_requests.update_settings(owner, shop_a.id, CLI, True, 7)
    assert review_requests.schedule_due() == 0
    new = complete_order(shop_a, email="bea@example.com")
    frozen_clock.advance(days=11)  # seven days and the grace of three have passed: too late to ask
    assert review_requests.schedule_due() == 0
    frozen_clock.now = NOW + timedelta(hours=1)
    assert review_requests.schedule_due() == 1 and [row.order_id for row in requests()] == [new.id]


def test_orders_that_are_not_completed_are_not_asked_about(switched_on, frozen_clock):
    payload = factories.order(email="anna@example.com", status="processing", created_at=NOW)
    factories.deliver(switched_on, "order.created", payload, occurred_at=NOW)
    assert review_requests.schedule_due() == 0


def review(shop, product_id, rating, email):
    factories.deliver(shop, "review.created", factories.review(product_id=product_id, rating=rating, email=email))


def test_buyers_with_an_open_case_an_opt_out_a_refund_or_their_reviews_written_are_left_alone(switched_on, agent,
                                                                                                 frozen_clock):
    complete_order(switched_on, email="open@example.com", items=[(1, 10, "Kettle", 1, 20.0)])
    review(switched_on, 99, 1, "open@example.com")  # a complaint about another product: an open case
    complete_order(switched_on, email="fixed@example.com", items=[(6, 10, "Kettle", 1, 20.0)])
    review(switched_on, 99, 1, "fixed@example.com")
    fixed = Case.query.join(Customer).filter(Customer.email == "fixed@example.com").one()
    cases.change_status(agent, fixed.id, "resolved", CLI)  # its follow-up email is still to come
    complete_order(switched_on, email="out@example.com")
    outbox.suppress(switched_on.id, "OUT@example.com", "unsubscribed")
    complete_order(switched_on, email="refund@example.com", refunds=[(9001, 5.0, "scratched")])
    complete_order(switched_on, email="wrote@example.com", items=[(2, 10, "Kettle", 1, 20.0)])
    review(switched_on, 10, 5, "wrote@example.com")
    half = complete_order(switched_on, email="half@example.com",
                          items=[(3, 10, "Kettle", 1, 20.0), (4, 11, "Teapot", 1, 30.0)])
    review(switched_on, 10, 4, "half@example.com")
    other = complete_order(switched_on, email="other@example.com", items=[(5, 10, "Kettle", 1, 20.0)])
    assert review_requests.schedule_due() == 2
    # The teapot is still unreviewed; and someone else's review of the kettle is not this buyer's.
    assert [row.order_id for row in requests()] == [half.id, other.id]


def test_a_repeat_buyer_gets_at_most_one_request_in_the_days_setting(switched_on, frozen_clock):
    first = complete_order(switched_on)
    assert review_requests.schedule_due() == 1
    frozen_clock.advance(days=3)
    second = complete_order(switched_on)  # the first order's request is due in four days
    assert review_requests.schedule_due() == 0
    frozen_clock.advance(days=7)
    third = complete_order(switched_on)  # ten days after the first: its request was due three days ago
    assert review_requests.schedule_due() == 1
    assert [row.order_id for row in requests()] == [first.id, third.id]
    assert second.id not in {row.order_id for row in requests()}


def test_turning_it_off_cancels_what_is_scheduled_at_once(switched_on, owner, frozen_clock):
    complete_order(switched_on)
    review_requests.schedule_due()
    review_requests.update_settings(owner, switched_on.id, CLI, False, 7)
    assert [(row.status, row.status_note) for row in requests()] == [("cancelled",
                                                                       "the shop turned review requests off")]
    entry = (AuditEntry.query.filter_by(action="shop.review_request_settings_changed")
             .order_by(AuditEntry.id.desc()).first())
    assert entry.details["cancelled"] == 1
    assert review_requests.schedule_due() == 0


def test_it_only_touches_the_shops_that_switched_it_on(switched_on, shop_b, frozen_clock):
    mine = complete_order(switched_on)
    complete_order(shop_b)
    assert review_requests.schedule_due() == 1
    assert [(row.shop_id, row.order_id) for row in requests()] == [(switched_on.id, mine.id)]
