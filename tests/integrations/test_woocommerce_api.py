"""WooClient against the WooCommerce stand-in, over real HTTP (the client is never patched)."""
import logging
import socket
import threading
import uuid
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest
import redis as redis_lib
from redis.backoff import NoBackoff
from redis.retry import Retry

from crisisdesk.integrations.shop_slots import KEY_PREFIX, slots_for
from crisisdesk.integrations.woocommerce_api import WooClient, WooError, WooTimeout
from tests.factories import recorded
from tests.wc_standin.fixtures import woo, woo_https  # noqa: F401

T0 = datetime(2026, 11, 20, 9, 0, tzinfo=timezone.utc)


def client_for(standin, **options):
    options = {"timeout": 2, "backoff": 0.01, "shop_key": uuid.uuid4().hex, **options}
    return WooClient(standin.url, standin.consumer_key, standin.consumer_secret, **options)


# --- reads ------------------------------------------------------------------------------------------------

def test_it_reads_an_order_in_the_recorded_shape_over_oauth_signed_http(woo):
    order = client_for(woo).get_order(12)

    assert set(order) == set(recorded("order_completed"))
    assert (order["total"], order["status"], order["billing"]["email"]) == ("72.50", "completed",
                                                                          "cust-3be36b@example.test")
    assert woo.requests[-1].auth == "oauth1"


def test_it_uses_basic_auth_over_https(woo_https):
    order = client_for(woo_https, verify=woo_https.ca_file).get_order(12)

    assert order["id"] == 12
    assert woo_https.requests[-1].auth == "basic_auth"


def test_it_pages_through_orders_with_the_totals_from_the_headers(woo):
    for day in range(1, 5):
        woo.add_order(date_created=T0 + timedelta(days=day))
    client = client_for(woo)

    pages = [client.list_orders(page=page, per_page=2) for page in (1, 2, 3)]

    assert [(p.total, p.total_pages) for p in pages] == [(5, 3)] * 3
    ids = [o["id"] for p in pages for o in p.items]
    assert len(set(ids)) == 5 and ids == sorted(ids, key=lambda i: woo.orders[i]["date_modified_gmt"])


def test_it_lists_only_orders_modified_after_a_moment_in_utc_whatever_the_shop_timezone(woo):
    woo.store.utc_offset = timedelta(hours=2)  # a shop in Warsaw in summer: local dates are 2 h ahead
    older = woo.add_order(date_created=T0, date_modified=T0)
    same = woo.add_order(date_created=T0, date_modified=T0 + timedelta(hours=1))
    newer = woo.add_order(date_created=T0, date_modified=T0 + timedelta(hours=1, seconds=1))

    page = client_for(woo).list_orders(modified_after=T0 + timedelta(hours=1))

    ids = [o["id"] for o in page.items]
    assert newer["id"] in ids and same["id"] not in ids and older["id"] not in ids  # "after" is exclusive
    assert woo.requests[-1].params["dates_are_gmt"] == "true"


def test_it_lists_reviews_created_after_a_moment_held_ones_included(woo):
    approved = woo.add_review(date_created=T0 + timedelta(hours=2), rating=1, review="Broken on arrival.")
    held = woo.add_review(date_created=T0 + timedelta(hours=3), status="hold", rating=2)
    woo.add_review(date_created=T0 + timedelta(hours=4), status="spam", rating=1)
    woo.add_review(date_created=T0 - timedelta(hours=1), rating=1)

    page = client_for(woo).list_reviews(page=1, per_page=10, after=T0)

    recorded_review = recorded("review")  # seeded, created 2026-11-22
    assert [r["id"] for r in page.items] == [approved["id"], held["id"], recorded_review["id"]]
    assert page.total == 3 and set(page.items[0]) == set(recorded_review)


def test_it_raises_a_permanent_not_found_for_an_unknown_order_without_retrying(woo):
    with pytest.raises(WooError) as caught:
        client_for(woo).get_order(999)

    assert (caught.value.status, caught.value.code, caught.value.message) == (
        404, "woocommerce_rest_shop_order_invalid_id", "Invalid ID.")
    assert caught.value.permanent and len(woo.requests) == 1


def test_it_pings_with_an_authenticated_read(woo):
    assert client_for(woo).ping() == {"orders_total": 1}


# --- refunds --------------------------------------------------------------------------------------------

def test_it_refunds_within_the_bound_keeping_the_order_status_and_total(woo):
    order = woo.add_order(total="50.00", payment_method="bacs")
    client = client_for(woo)

    refund = client.create_refund(order["id"], Decimal("20"), "late parcel", api_refund=False)

    assert (refund["amount"], refund["reason"], refund["refunded_payment"]) == ("20.00", "late parcel", False)
    assert set(refund) == set(recorded("refund"))
    after = client.get_order(order["id"])
    assert (after["status"], after["total"]) == ("processing", "50.00")
    assert after["refunds"] == [{"id": refund["id"], "reason": "late parcel", "total": "-20.00"}]
    sent = woo.requests_to("POST", "/refunds")[0].body
    assert sent == {"amount": "20.00", "reason": "late parcel", "api_refund": False, "api_restock": False}


def test_it_marks_the_order_refunded_when_the_rest_is_refunded(woo):
    order = woo.add_order(total="50.00")
    client = client_for(woo)
    client.create_refund(order["id"], Decimal("20.00"), "part", api_refund=False)

    client.create_refund(order["id"], Decimal("30.00"), "rest", api_refund=False)

    assert client.get_order(order["id"])["status"] == "refunded"
    assert [r["amount"] for r in client.list_refunds(order["id"])] == ["30.00", "20.00"]


def test_it_surfaces_invalid_refund_amount_as_woocommerce_says_it(woo):
    order = woo.add_order(total="50.00")
    client = client_for(woo)
    client.create_refund(order["id"], Decimal("45.00"), "first", api_refund=False)

    with pytest.raises(WooError) as caught:
        client.create_refund(order["id"], Decimal("5.01"), "second", api_refund=False)

    error = caught.value
    assert (error.code, error.message) == ("woocommerce_rest_cannot_create_order_refund", "Invalid refund amount.")
    assert error.status == 500 and error.permanent and not error.outcome_unknown  # WooCommerce's 500 means "no"
    assert len(woo.refunds_of(order["id"])) == 1 and len(woo.requests_to("POST", "/refunds")) == 2


def test_it_reports_a_gateway_that_cannot_refund_and_nothing_is_refunded(woo):
    order = woo.add_order(total="50.00", payment_method="bacs")

    with pytest.raises(WooError) as caught:
        client_for(woo).create_refund(order["id"], Decimal("10.00"), "api refund", api_refund=True)

    assert caught.value.message == "The payment gateway for this order does not support automatic refunds."
    assert caught.value.permanent and woo.refunds_of(order["id"]) == []


def test_it_refunds_through_a_gateway_that_can(woo):
    order = woo.add_order(total="50.00", payment_method="stripe")

    refund = client_for(woo).create_refund(order["id"], Decimal("10.00"), "api refund", api_refund=True)

    assert refund["refunded_payment"] is True


def test_it_restocks_refunded_lines_when_asked(woo):
    order = woo.add_order()  # the recorded order: 3 gadgets, stock reduced by 3
    line = order["line_items"][0]

    refund = client_for(woo).create_refund(order["id"], Decimal("22.50"), "one broken", api_refund=False,
                                           line_items=[{"id": line["id"], "quantity": 1,
                                                        "refund_total": Decimal("22.50")}], restock=True)

    assert refund["line_items"][0]["quantity"] == -1 and refund["line_items"][0]["total"] == "-22.50"
    meta = {m["key"]: m["value"] for m in woo.orders[order["id"]]["line_items"][0]["meta_data"]}
    assert meta == {"_reduced_stock": "2", "_restock_refunded_items": "1"}  # as in order_after_refund.json


@pytest.mark.parametrize("amount", [Decimal("0"), Decimal("-5"), "ten"])
def test_it_refuses_an_amount_that_is_not_positive_before_calling(woo, amount):
    with pytest.raises(ValueError):
        client_for(woo).create_refund(12, amount, "nothing", api_refund=False)

    assert woo.requests == []


# --- errors, retries and unknown outcomes ---------------------------------------------------------------

@pytest.mark.parametrize("wrong, message", [
    ("secret", "Invalid signature - provided signature does not match."),
    ("key", "Consumer key is invalid."),
])
def test_it_raises_a_permanent_error_for_bad_keys(woo, wrong, message):
    key, secret = woo.consumer_key, woo.consumer_secret
    client = WooClient(woo.url, key + ("x" if wrong == "key" else ""), secret + ("x" if wrong == "secret" else ""),
                       timeout=2, backoff=0.01, shop_key=uuid.uuid4().hex)

    with pytest.raises(WooError) as caught:
        client.list_orders()

    assert (caught.value.status, caught.value.code, caught.value.message) == (
        401, "woocommerce_rest_authentication_error", message)
    assert caught.value.permanent and len(woo.requests) == 1


def test_it_raises_a_permanent_error_when_the_key_may_only_read(woo):
    key, secret = woo.add_key(permissions="read")
    client = WooClient(woo.url, key, secret, timeout=2, shop_key=uuid.uuid4().hex)

    with pytest.raises(WooError) as caught:
        client.add_order_note(12, "hello")

    assert caught.value.message == "The API key provided does not have write permissions."
    assert caught.value.permanent and client.ping() == {"orders_total": 1}


def test_it_retries_a_read_after_503_and_then_succeeds(woo):
    woo.fail_next(503, times=2)

    order = client_for(woo, retries=3).get_order(12)

    assert order["id"] == 12
    assert [r.status for r in woo.requests] == [503, 503, 200]


def test_it_gives_up_on_a_read_after_the_configured_retries(woo):
    woo.fail_next(503, times=5)

    with pytest.raises(WooError) as caught:
        client_for(woo, retries=2).get_order(12)

    assert caught.value.status == 503 and not caught.value.permanent and caught.value.code is None
    assert len(woo.requests) == 3


def test_it_retries_after_429_when_retry_after_is_short(woo):
    woo.fail_next(429, retry_after=0, code="rate_limited", message="Slow down.")

    assert client_for(woo).get_order(12)["id"] == 12
    assert [r.status for r in woo.requests] == [429, 200]


def test_it_hands_a_long_retry_after_to_the_caller_instead_of_sleeping(woo):
    woo.fail_next(429, retry_after=120, code="rate_limited", message="Slow down.")

    with pytest.raises(WooError) as caught:
        client_for(woo).get_order(12)

    assert (caught.value.retry_after, caught.value.permanent, caught.value.message) == (120, False, "Slow down.")
    assert len(woo.requests) == 1


def test_it_never_retries_a_write_so_exactly_one_request_reaches_the_shop(woo):
    order = woo.add_order(total="50.00")
    woo.fail_next(503, method="POST", times=3)

    with pytest.raises(WooError) as caught:
        client_for(woo, retries=3).create_refund(order["id"], Decimal("10.00"), "once", api_refund=False)

    assert caught.value.status == 503 and not caught.value.permanent and not caught.value.outcome_unknown
    assert len(woo.requests_to("POST", "/refunds")) == 1


def test_it_reports_an_unknown_outcome_when_a_write_times_out_after_the_shop_applied_it(woo):
    order = woo.add_order(total="50.00")
    woo.delay_next(1.5, method="POST")
    client = client_for(woo, timeout=0.3)

    with pytest.raises(WooTimeout) as caught:
        client.create_refund(order["id"], Decimal("10.00"), "marker-123", api_refund=False)

    assert caught.value.outcome_unknown and not caught.value.permanent
    assert len(woo.requests_to("POST", "/refunds")) == 1
    # WooCommerce did refund: the caller must look before sending the refund again.
    assert [r["reason"] for r in client.list_refunds(order["id"])] == ["marker-123"]


def test_it_reports_an_unknown_outcome_when_the_connection_drops_after_sending(woo):
    woo.drop_next(method="POST")
    client = client_for(woo)

    with pytest.raises(WooTimeout):
        client.create_coupon({"code": "sorry-42", "amount": "10", "discount_type": "fixed_cart"})

    assert [c["code"] for c in client.find_coupons("sorry-42")] == ["sorry-42"]


def test_it_reports_a_refused_connection_as_transient_and_not_unknown():
    client = WooClient(f"http://127.0.0.1:{_closed_port()}", "ck_x", "cs_y", timeout=1, retries=0)

    with pytest.raises(WooError) as caught:
        client.create_order({"line_items": []})

    assert type(caught.value) is WooError and not caught.value.outcome_unknown and not caught.value.permanent


def test_it_refuses_to_follow_a_redirect_so_a_write_never_turns_into_a_read(woo):
    woo.fail_next(301, headers={"Location": "https://shop.example/wp-json/wc/v3/orders/12/refunds?oauth_nonce=1"})

    with pytest.raises(WooError) as caught:
        client_for(woo).create_refund(12, Decimal("1.00"), "moved", api_refund=False)

    assert (caught.value.code, caught.value.permanent) == ("crisisdesk_redirected", True)
    assert "https://shop.example/wp-json/wc/v3/orders/12/refunds" in caught.value.message
    assert "oauth" not in caught.value.message and len(woo.requests) == 1


def test_it_treats_an_unreadable_success_answer_to_a_write_as_an_unknown_outcome(woo):
    woo.fail_next(201, message="Deprecated: something in a plugin", method="POST")  # PHP notice instead of JSON

    with pytest.raises(WooTimeout) as caught:
        client_for(woo).create_order({"line_items": []})

    assert caught.value.outcome_unknown and caught.value.status == 201


def test_it_refuses_a_query_value_the_package_would_sign_wrongly_over_http(woo):
    with pytest.raises(WooError) as caught:
        client_for(woo).find_coupons("sorry/10")

    assert (caught.value.code, caught.value.permanent) == ("crisisdesk_unsignable_query", True)
    assert woo.requests == []  # sent anyway, WooCommerce (and the stand-in) would answer "Invalid signature"


def _closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- coupons and replacement orders ---------------------------------------------------------------------

def test_it_rejects_a_coupon_code_that_is_taken(woo):
    client = client_for(woo)
    client.create_coupon({"code": "Sorry-10", "amount": Decimal("10"), "discount_type": "fixed_cart",
                          "email_restrictions": ["Grace@Example.test"], "usage_limit": 1})

    with pytest.raises(WooError) as caught:
        client.create_coupon({"code": "sorry-10", "amount": "5", "discount_type": "fixed_cart"})

    assert (caught.value.status, caught.value.code, caught.value.message) == (
        400, "woocommerce_rest_coupon_code_already_exists", "The coupon code already exists")
    assert caught.value.permanent
    [coupon] = client.find_coupons("SORRY-10")
    assert (coupon["code"], coupon["amount"], coupon["email_restrictions"]) == (
        "sorry-10", "10.00", ["grace@example.test"])
    assert set(coupon) == set(recorded("coupon"))
    assert client.find_coupons("nobody-has-this") == []


def test_it_creates_a_replacement_order_and_links_it_with_meta_and_a_note(woo):
    client = client_for(woo)

    created = client.create_order({"status": "processing", "customer_id": 2,
                                   "line_items": [{"product_id": 10, "quantity": 3, "subtotal": "0.00",
                                                   "total": "0.00"}],
                                   "meta_data": [{"key": "_crisisdesk_replacement_for", "value": "12"}]})
    client.update_order(12, {"meta_data": [{"key": "_crisisdesk_replacement_order", "value": str(created["id"])}]})
    note = client.add_order_note(12, f"Replacement order #{created['number']} sent.")

    assert (created["status"], created["total"], created["line_items"][0]["quantity"]) == ("processing", "0.00", 3)
    assert {m["key"]: m["value"] for m in client.get_order(12)["meta_data"]} == {
        "_crisisdesk_replacement_order": str(created["id"])}
    assert note["note"] == f"Replacement order #{created['id']} sent." and note["customer_note"] is False


# --- bounded concurrency --------------------------------------------------------------------------------

def _call_in_threads(clients, count):
    errors = []

    def call(client):
        try:
            client.get_order(12)
        except WooError as error:  # collected so the test shows it
            errors.append(error)

    threads = [threading.Thread(target=call, args=(clients[i % len(clients)],)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_it_keeps_at_most_max_concurrency_calls_in_flight_per_shop(woo):
    woo.latency = 0.05
    client = client_for(woo, max_concurrency=2)

    assert _call_in_threads([client], 8) == []
    assert len(woo.requests) == 8 and woo.max_in_flight == 2


def test_it_shares_the_bound_between_workers_through_redis(woo, redis_url):
    woo.latency = 0.05
    shop_key = f"shop-{uuid.uuid4().hex}"
    connections = [redis_lib.Redis.from_url(redis_url) for _ in range(2)]  # as two worker processes would
    try:
        workers = [client_for(woo, max_concurrency=2, redis=c, shop_key=shop_key) for c in connections]

        assert _call_in_threads(workers, 8) == []
        assert woo.max_in_flight == 2 and connections[0].zcard(KEY_PREFIX + shop_key) == 0
    finally:
        for connection in connections:
            connection.close()


def test_it_stops_counting_a_crashed_holder_once_its_lease_ran_out(woo, redis_url):
    shop_key = f"shop-{uuid.uuid4().hex}"
    connection = redis_lib.Redis.from_url(redis_url)
    try:
        connection.zadd(KEY_PREFIX + shop_key, {"crashed-worker": 0})  # acquired long ago, never released

        assert client_for(woo, max_concurrency=1, redis=connection, shop_key=shop_key).get_order(12)["id"] == 12
    finally:
        connection.close()


def test_it_gives_up_with_a_transient_error_when_no_slot_frees_in_time(woo):
    shop_key = uuid.uuid4().hex
    client = client_for(woo, max_concurrency=1, shop_key=shop_key, timeout=0.2, retries=0)

    with slots_for(shop_key, 1, wait=0).hold():  # another thread of this process holds the only slot
        with pytest.raises(WooError) as caught:
            client.get_order(12)

    assert caught.value.code == "crisisdesk_too_many_concurrent_calls" and not caught.value.permanent
    assert woo.requests == []


def test_it_makes_no_call_when_redis_cannot_bound_it(woo):
    unreachable = redis_lib.Redis(host="127.0.0.1", port=_closed_port(), socket_connect_timeout=0.5,
                                  retry=Retry(NoBackoff(), 0))
    try:
        with pytest.raises(WooError) as caught:
            client_for(woo, redis=unreachable, retries=0).get_order(12)
    finally:
        unreachable.close()

    assert caught.value.code == "crisisdesk_too_many_concurrent_calls" and not caught.value.permanent
    assert woo.requests == []


# --- keys stay secret -----------------------------------------------------------------------------------

def test_it_never_shows_the_keys_in_repr_errors_or_logs(woo, caplog):
    caplog.set_level(logging.DEBUG, logger="crisisdesk")
    woo.fail_next(503)
    client = client_for(woo, retries=1)
    client.get_order(12)
    offline = WooClient(f"http://127.0.0.1:{_closed_port()}", woo.consumer_key, woo.consumer_secret, timeout=1,
                        retries=0)
    with pytest.raises(WooError) as caught:
        offline.get_order(12)

    shown = " ".join([repr(client), repr(offline), str(caught.value), repr(caught.value), caplog.text])
    assert "retry 1 of 1" in caplog.text
    assert woo.consumer_key not in shown and woo.consumer_secret not in shown
    assert "oauth_signature=" not in shown.replace("oauth_signature=***", "")
