"""Compensation through WooCommerce (the stand-in, over real HTTP): every money-safety rule has a test."""
import threading
from datetime import datetime, timezone
from decimal import Decimal

import pytest

from crisisdesk.domain.actor import Actor
from crisisdesk.domain.compensation_request import CompensationRequest
from crisisdesk.domain.errors import Conflict, Forbidden, Invalid
from crisisdesk.extensions import db
from crisisdesk.models import AuditEntry, Case, Compensation, User
from crisisdesk.services import compensation, woo as woo_service
from tests import factories
from tests.wc_standin.fixtures import woo  # noqa: F401  (the WooCommerce stand-in fixture)

ORDER_DATE = datetime(2026, 11, 1, 10, 0, tzinfo=timezone.utc)


def actor_of(user):
    return Actor(label=user.email, user_id=user.id)


@pytest.fixture
def case_with_order(app, shop_a, owner, agent, woo):  # noqa: F811
    """Shop A connected to the stand-in; a 1-star review linked to a 100.00 order the stand-in knows."""
    woo_service.save_keys(owner, shop_a.id, woo.consumer_key, woo.consumer_secret, actor_of(owner), rest_url=woo.url)
    order = woo.add_order(total="100.00", email="grace@example.com", date_created=ORDER_DATE)
    factories.deliver(shop_a, "order.created", order)
    factories.deliver(shop_a, "review.created", factories.review(
        rating=1, email="grace@example.com", text=f"Arrived broken, order #{order['number']}"))
    case = Case.query.one()
    assert case.order.remote_id == order["id"]
    return case, order


def refund(amount, key=None, **kwargs):
    return CompensationRequest(kind="refund", amount=Decimal(amount), reason="broken on arrival", **kwargs)


def ask(user, case, request, key):
    return compensation.request_compensation(user, case.id, request, key, actor_of(user))


def test_it_refunds_within_the_bound_through_woocommerce(case_with_order, agent, woo, run_jobs):  # noqa: F811
    case, order = case_with_order
    asked = ask(agent, case, refund("30.00"), "key-1")
    assert asked.state == "approved"
    run_jobs()
    done = db.session.get(Compensation, asked.id)
    assert done.state == "succeeded" and done.remote_id
    refunds = woo.refunds_of(order["id"])
    assert len(refunds) == 1 and refunds[0]["amount"] == "30.00" and done.marker in refunds[0]["reason"]
    assert {e.kind for e in case.events} >= {"compensation_requested", "compensation_done"}
    assert AuditEntry.query.filter_by(action="compensation.succeeded", target_id=done.id).count() == 1


def test_it_never_sends_the_gateway_flag_unless_asked(case_with_order, agent, woo, run_jobs):  # noqa: F811
    case, order = case_with_order
    ask(agent, case, refund("10.00"), "key-flag")
    run_jobs()
    sent = woo.requests_to("POST", f"orders/{order['id']}/refunds")
    assert len(sent) == 1 and sent[0].body["api_refund"] is False


def test_it_refuses_more_than_is_still_refundable_counting_pending_requests(case_with_order, agent):
    case, _ = case_with_order
    ask(agent, case, refund("80.00"), "key-a")  # approved, not executed yet: still counts as spent
    with pytest.raises(Invalid) as error:
        ask(agent, case, refund("30.00"), "key-b")
    assert error.value.field == "amount" and "20.00" in error.value.message
    assert Compensation.query.count() == 1


def test_it_counts_an_unknown_outcome_as_spent(case_with_order, agent):
    case, _ = case_with_order
    first = ask(agent, case, refund("90.00"), "key-u")
    first.state = "unknown"
    db.session.commit()
    assert compensation.refundable_for(case.order) == Decimal("10.00")


def test_a_double_click_records_and_pays_once(case_with_order, agent, woo, run_jobs):  # noqa: F811
    case, order = case_with_order
    first = ask(agent, case, refund("25.00"), "same-key")
    second = ask(agent, case, refund("25.00"), "same-key")
    assert first.id == second.id and Compensation.query.count() == 1
    run_jobs()
    run_jobs()
    assert len(woo.refunds_of(order["id"])) == 1


def test_two_agents_at_once_cannot_both_spend_the_same_money(app, case_with_order, agent, owner):
    case, _ = case_with_order
    results, barrier = [], threading.Barrier(2)

    def attempt(user_id, key):
        with app.app_context():
            user = db.session.get(User, user_id)
            barrier.wait()
            try:
                results.append(ask(user, db.session.get(Case, case.id), refund("60.00"), key).state)
            except Invalid as error:
                results.append(f"refused: {error.message}")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=attempt, args=(agent.id, "k-agent")),
               threading.Thread(target=attempt, args=(owner.id, "k-owner"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(r.split(":")[0] for r in results) == ["approved", "refused"], results
    assert Compensation.query.count() == 1


def test_a_job_retry_after_success_does_not_pay_again(case_with_order, agent, woo, run_jobs):  # noqa: F811
    from crisisdesk.services.compensation_execution import execute

    case, order = case_with_order
    asked = ask(agent, case, refund("15.00"), "key-retry")
    run_jobs()
    assert execute(asked.id) == "succeeded"  # a duplicate delivery of the job
    assert len(woo.refunds_of(order["id"])) == 1


def test_a_timeout_after_woocommerce_applied_it_is_checked_before_any_retry(case_with_order, agent, woo,  # noqa: F811
                                                                               app):
    from crisisdesk.services.compensation_execution import TryAgainLater, execute

    app.config["WOO_TIMEOUT_SECONDS"] = 1
    case, order = case_with_order
    asked = ask(agent, case, refund("40.00"), "key-timeout")
    woo.delay_next(3, method="POST", path="refunds")  # WooCommerce applies the refund, then answers too late
    with pytest.raises(TryAgainLater):
        execute(asked.id)
    assert db.session.get(Compensation, asked.id).state == "unknown"
    assert compensation.refundable_for(case.order) == Decimal("60.00")
    assert execute(asked.id) == "succeeded"  # the retry finds the marker instead of refunding again
    assert len(woo.refunds_of(order["id"])) == 1
    assert len(woo.requests_to("POST", "refunds")) == 1


def test_woocommerce_refusal_fails_with_its_message_and_pays_nothing(case_with_order, agent, woo, run_jobs):  # noqa: F811
    case, order = case_with_order
    asked = ask(agent, case, refund("20.00", api_refund=True), "key-gw")  # bacs cannot refund automatically
    run_jobs()
    failed = db.session.get(Compensation, asked.id)
    assert failed.state == "failed" and "does not support automatic refunds" in failed.error
    assert woo.refunds_of(order["id"]) == []
    assert compensation.refundable_for(case.order) == Decimal("100.00")


def test_above_the_threshold_it_waits_for_a_second_owner(case_with_order, shop_a, agent, owner, woo,  # noqa: F811
                                                         run_jobs):
    shop_a.approval_threshold = Decimal("50.00")
    db.session.commit()
    case, order = case_with_order
    asked = ask(agent, case, refund("70.00"), "key-big")
    run_jobs()
    assert db.session.get(Compensation, asked.id).state == "awaiting_approval"
    assert woo.refunds_of(order["id"]) == []
    with pytest.raises(Forbidden):
        compensation.approve(agent, asked.id, actor_of(agent))
    compensation.approve(owner, asked.id, actor_of(owner))
    with pytest.raises(Conflict):
        compensation.approve(owner, asked.id, actor_of(owner))
    run_jobs()
    assert db.session.get(Compensation, asked.id).state == "succeeded"
    assert len(woo.refunds_of(order["id"])) == 1


def test_an_owner_cannot_approve_their_own_request(case_with_order, shop_a, owner):
    shop_a.approval_threshold = Decimal("10.00")
    db.session.commit()
    case, _ = case_with_order
    asked = ask(owner, case, refund("30.00"), "key-self")
    with pytest.raises(Forbidden):
        compensation.approve(owner, asked.id, actor_of(owner))


def test_a_rejected_request_frees_its_amount(case_with_order, shop_a, agent, owner):
    shop_a.approval_threshold = Decimal("10.00")
    db.session.commit()
    case, _ = case_with_order
    asked = ask(agent, case, refund("90.00"), "key-rej")
    compensation.reject(owner, asked.id, actor_of(owner), "too much for a scratch")
    assert compensation.refundable_for(case.order) == Decimal("100.00")


def test_a_discount_code_is_single_use_and_bound_to_the_customer(case_with_order, agent, woo, run_jobs):  # noqa: F811
    case, _ = case_with_order
    asked = ask(agent, case, CompensationRequest(kind="coupon", amount=Decimal("15"), coupon_type="percent",
                                                 coupon_days=30), "key-coupon")
    run_jobs()
    done = db.session.get(Compensation, asked.id)
    assert done.state == "succeeded"
    coupon = woo.store.coupons[done.remote_id]
    assert coupon["usage_limit"] == 1 and coupon["email_restrictions"] == ["grace@example.com"]
    assert coupon["discount_type"] == "percent" and coupon["amount"] == "15.00" and coupon["date_expires"]


def test_a_percent_code_above_the_cap_is_refused(case_with_order, agent):
    case, _ = case_with_order
    with pytest.raises(Invalid) as error:
        ask(agent, case, CompensationRequest(kind="coupon", amount=Decimal("80"), coupon_type="percent"), "k")
    assert error.value.field == "amount"


def test_a_replacement_is_a_free_order_linked_both_ways(case_with_order, agent, woo, run_jobs):  # noqa: F811
    case, order = case_with_order
    asked = ask(agent, case, CompensationRequest(kind="replacement"), "key-repl")
    run_jobs()
    done = db.session.get(Compensation, asked.id)
    assert done.state == "succeeded"
    new_order = woo.store.orders[done.remote_id]
    assert new_order["total"] == "0.00" or Decimal(new_order["total"]) == Decimal("0")
    assert {"key": "_crisisdesk_replacement_for", "value": str(order["id"])} in [
        {"key": m["key"], "value": m["value"]} for m in new_order["meta_data"]]
    original = woo.store.orders[order["id"]]
    assert any(m["key"] == "_crisisdesk_replacement_order" and m["value"] == str(done.remote_id)
               for m in original["meta_data"])
    assert any("replacement" in note["note"] for note in woo.store.notes.get(order["id"], []))


def test_a_case_without_an_order_cannot_be_compensated(app, shop_a, agent):
    factories.deliver(shop_a, "review.created", factories.review(rating=1, email="nobody@example.com"))
    case = Case.query.one()
    with pytest.raises(Invalid) as error:
        ask(agent, case, refund("5.00"), "k-none")
    assert error.value.field == "order"


def test_a_viewer_cannot_ask_for_money(case_with_order, viewer):
    case, _ = case_with_order
    with pytest.raises(Forbidden):
        ask(viewer, case, refund("5.00"), "k-viewer")


def test_a_restocking_refund_returns_whole_lines_to_stock(case_with_order, agent, woo, run_jobs):  # noqa: F811
    case, order = case_with_order
    line = case.order.items[0]
    stock_before = woo.store.products[line.remote_product_id]["stock_quantity"]
    asked = ask(agent, case, CompensationRequest(kind="refund", restock=True, reason="sent back"), "key-restock")
    assert asked.amount == line.total  # the lines decide the amount
    run_jobs()
    assert db.session.get(Compensation, asked.id).state == "succeeded"
    sent = woo.requests_to("POST", f"orders/{order['id']}/refunds")[0].body
    assert sent["api_restock"] is True
    assert sent["line_items"] == [{"id": line.remote_id, "quantity": line.quantity, "refund_total": str(line.total)}]
    assert woo.store.products[line.remote_product_id]["stock_quantity"] == stock_before + line.quantity
