"""Compensating from the panel: fill in, preview, confirm, approve; WooCommerce keys and the policy table."""
import re
from datetime import datetime, timezone

import pytest

from crisisdesk.extensions import db
from crisisdesk.models import Case, Compensation, PolicyRule, Shop
from tests import factories
from tests.wc_standin.fixtures import woo  # noqa: F401  (the WooCommerce stand-in)

ORDER_DATE = datetime(2026, 11, 1, 10, 0, tzinfo=timezone.utc)


@pytest.fixture
def connected_case(login_as, shop_a, woo):  # noqa: F811
    """Shop A connected to the stand-in through the settings page; a case linked to a 100.00 order."""
    client = login_as("owner")
    saved = client.submit(f"/shops/{shop_a.id}/woocommerce", {"consumer_key": woo.consumer_key,
                                                             "consumer_secret": woo.consumer_secret,
                                                             "rest_url": woo.url}, page="/cases")
    assert saved.status_code == 302
    order = woo.add_order(total="100.00", email="grace@example.com", date_created=ORDER_DATE)
    factories.deliver(shop_a, "order.created", order)
    factories.deliver(shop_a, "review.created", factories.review(rating=1, email="grace@example.com",
                                                                 text="The kettle arrived dented."))
    client.post("/logout", data={"csrf_token": client.csrf_token("/cases")})
    return Case.query.one(), order


def new_form(client, case):
    page = client.get(f"/cases/{case.id}/compensations/new").get_data(as_text=True)
    return re.search(r'name="idempotency_key" type="hidden" value="([0-9a-f]+)"', page).group(1), page


def test_an_agent_previews_then_confirms_a_refund_that_reaches_woocommerce(login_as, connected_case, woo,  # noqa: F811
                                                                           run_jobs):
    case, order = connected_case
    client = login_as("agent")
    key, _ = new_form(client, case)
    data = {"kind": "refund", "amount": "25,50", "reason": "dented on arrival", "coupon_type": "percent",
            "coupon_days": "30", "idempotency_key": key}
    preview = client.submit(f"/cases/{case.id}/compensations/new", data, page="/cases")
    text = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "Check before it runs" in text and "25.50" in text
    assert Compensation.query.count() == 0  # a preview records nothing
    confirmed = client.submit(f"/cases/{case.id}/compensations", data | {"amount": "25.50"}, page="/cases")
    assert confirmed.status_code == 302
    run_jobs()
    assert Compensation.query.one().state == "succeeded"
    assert [r["amount"] for r in woo.refunds_of(order["id"])] == ["25.50"]
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Refund of 25.50" in page and "succeeded" in page


def test_a_confirm_sent_twice_records_one_compensation(login_as, connected_case):
    case, _ = connected_case
    client = login_as("agent")
    key, _ = new_form(client, case)
    data = {"kind": "coupon", "amount": "10", "coupon_type": "percent", "coupon_days": "30", "idempotency_key": key}
    for _ in range(2):
        assert client.submit(f"/cases/{case.id}/compensations", data, page="/cases").status_code == 302
    assert Compensation.query.count() == 1


def test_bad_amounts_are_form_errors_and_record_nothing(login_as, connected_case):
    case, _ = connected_case
    client = login_as("agent")
    key, _ = new_form(client, case)
    for amount, message in (("abc", "enter an amount such as 12.50"), ("0", "more than zero"),
                            ("100.001", "at most two decimals"), ("150", "at most 100.00 can still be refunded")):
        response = client.submit(f"/cases/{case.id}/compensations/new", {
            "kind": "refund", "amount": amount, "coupon_type": "percent", "coupon_days": "30",
            "idempotency_key": key}, page="/cases")
        assert response.status_code == 400 and message in response.get_data(as_text=True), amount
    assert Compensation.query.count() == 0


def test_an_owner_approves_what_an_agent_asked_above_the_threshold(login_as, client, connected_case, shop_a,
                                                                    agent, owner, run_jobs, woo):  # noqa: F811
    shop_a.approval_threshold = 20
    db.session.commit()
    case, order = connected_case
    client.login(agent)
    key, _ = new_form(client, case)
    client.submit(f"/cases/{case.id}/compensations", {"kind": "refund", "amount": "60.00", "coupon_type": "percent",
                                                      "coupon_days": "30", "idempotency_key": key}, page="/cases")
    waiting = Compensation.query.one()
    assert waiting.state == "awaiting_approval"
    assert "Approve" not in client.get(f"/cases/{case.id}").get_data(as_text=True)  # not for the agent
    client.post("/logout", data={"csrf_token": client.csrf_token("/cases")})
    client.login(owner)
    assert ">Approve<" in client.get(f"/cases/{case.id}").get_data(as_text=True)
    client.submit(f"/compensations/{waiting.id}/approve", {}, page="/cases")
    run_jobs()
    assert db.session.get(Compensation, waiting.id).state == "succeeded"
    assert len(woo.refunds_of(order["id"])) == 1


def test_an_owner_rejects_with_a_note_on_the_timeline(login_as, client, connected_case, shop_a, agent, owner):
    shop_a.approval_threshold = 0
    db.session.commit()
    case, _ = connected_case
    client.login(agent)
    key, _ = new_form(client, case)
    client.submit(f"/cases/{case.id}/compensations", {"kind": "replacement", "coupon_type": "percent",
                                                      "coupon_days": "30", "idempotency_key": key}, page="/cases")
    waiting = Compensation.query.one()
    client.post("/logout", data={"csrf_token": client.csrf_token("/cases")})
    client.login(owner)
    client.submit(f"/compensations/{waiting.id}/reject", {"note": "a refund fits better"}, page="/cases")
    assert db.session.get(Compensation, waiting.id).state == "rejected"
    assert "a refund fits better" in client.get(f"/cases/{case.id}").get_data(as_text=True)


def test_the_suggestion_follows_the_shops_policy_table(login_as, connected_case, shop_a):
    case, _ = connected_case
    client = login_as("owner")
    saved = client.submit(f"/shops/{shop_a.id}/policy", {
        "rows-0-cause": "damaged_or_defective", "rows-0-min_order_value": "0", "rows-0-remedy": "coupon",
        "rows-0-percent": "20", "rows-0-note": "Our dented-kettle rule"}, page="/cases")
    assert saved.status_code == 302 and PolicyRule.query.count() == 1
    client.submit(f"/cases/{case.id}/cause", {"main": "damaged_or_defective"}, page="/cases")
    _, page = new_form(client, case)
    assert "Our dented-kettle rule" in page and 'value="20"' in page


def test_the_keys_are_stored_encrypted_and_never_shown_again(login_as, connected_case, shop_a, woo):  # noqa: F811
    client = login_as("owner")
    shop = db.session.get(Shop, shop_a.id)
    assert woo.consumer_secret not in shop.woo_secret_encrypted and woo.consumer_key not in shop.woo_key_encrypted
    page = client.get(f"/shops/{shop_a.id}/settings").get_data(as_text=True)
    assert woo.consumer_key not in page and woo.consumer_secret not in page and shop.woo_key_hint in page
    tested = client.submit(f"/shops/{shop_a.id}/woocommerce/test", {}, page="/cases", follow_redirects=True)
    assert "the keys work" in tested.get_data(as_text=True)


def test_wrong_keys_show_woocommerces_answer(login_as, connected_case, shop_a, woo):  # noqa: F811
    client = login_as("owner")
    client.submit(f"/shops/{shop_a.id}/woocommerce", {"consumer_key": "ck_" + "0" * 40,
                                                     "consumer_secret": "cs_" + "0" * 40, "rest_url": woo.url},
                  page="/cases")
    tested = client.submit(f"/shops/{shop_a.id}/woocommerce/test", {}, page="/cases", follow_redirects=True)
    assert "Consumer key is invalid" in tested.get_data(as_text=True)


def test_keys_that_do_not_look_like_woocommerce_keys_are_refused(login_as, shop_a):
    client = login_as("owner")
    response = client.submit(f"/shops/{shop_a.id}/woocommerce", {"consumer_key": "nope-nope-nope",
                                                                "consumer_secret": "cs_" + "1" * 40},
                             page="/cases", follow_redirects=True)
    assert "starts with ck_" in response.get_data(as_text=True)
    assert db.session.get(Shop, shop_a.id).woo_key_encrypted is None
