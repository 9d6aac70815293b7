"""Odd input that the fuzzing found answered with a 500 (or accepted and then failed to apply): each is now a
documented 4xx with a JSON reason, or stored cleanly."""
import json

import pytest

from crisisdesk.models import Case, InboundEvent, Review
from tests import factories
from tests.web.api.answers import assert_error

WHEN = "2026-11-22T10:00:00Z"


def envelope(**fields):
    return {"type": "review.created", "occurred_at": WHEN, "data": factories.review(), **fields}


def test_a_shop_id_past_32_bits_is_an_unknown_shop(app, api, bridge, shop_a):
    assert_error(api.post(shop_a, envelope(), shop_id=2 ** 63), 404)
    assert_error(bridge.post(shop_a, "ping", {}, shop_id=10 ** 30), 404)


@pytest.mark.parametrize("event_type", [[], {}, ["review.created"]], ids=["list", "object", "list-of-a-type"])
def test_an_event_type_that_is_not_a_string_is_refused_naming_it(app, api, shop_a, event_type):
    assert_error(api.post(shop_a, envelope(type=event_type)), 400, "type")


@pytest.mark.parametrize("moment", ["2026-02-30T10:00:00Z", "2026-11-22T10:00:00+24:00", "0001-01-01T00:00:00+01:00",
                                    "2026-11-22T10:00:00Z\n"])
def test_a_time_that_names_no_real_moment_is_refused_naming_it(app, api, shop_a, moment):
    assert_error(api.post(shop_a, envelope(occurred_at=moment)), 400, "occurred_at")
    data = factories.review() | {"date_created_gmt": moment}
    assert_error(api.post(shop_a, envelope(data=data)), 400, "data.date_created_gmt")


def test_an_id_of_thousands_of_digits_is_refused_naming_it(app, api, shop_a):
    assert_error(api.post(shop_a, envelope(data=factories.review() | {"id": "9" * 5000})), 400, "data.id")


@pytest.mark.parametrize("body", [
    b'{"type": ' * 40_000 + b"1" + b"}" * 40_000,
    json.dumps(envelope(data=factories.review() | {"meta_data": [{"key": "_review_order_id",
                                                                  "value": float("inf")}]})).encode(),
    json.dumps(envelope(data=factories.review(text="\ud800 broken"))).encode(),
    b"\xef\xbb\xbf" + json.dumps(envelope()).encode(),
], ids=["nested-deeper-than-python-parses", "infinity", "unpaired-surrogate", "utf-8-bom"])
def test_a_body_that_could_not_be_stored_or_parsed_again_is_not_json(app, api, shop_a, body):
    # The BOM was accepted (202) and then failed when the worker parsed the stored text: nothing is stored now.
    assert_error(api.post(shop_a, body), 400, "body")
    assert InboundEvent.query.count() == 0


def test_a_webhook_id_with_a_control_character_is_refused(app, api, bridge, shop_a):
    assert_error(api.post(shop_a, envelope(), msg_id="msg_\x01"), 400, "webhook-id")
    assert_error(bridge.post(shop_a, "ping", {}, msg_id="msg_\x7f"), 400, "webhook-id")


@pytest.mark.parametrize("path, body", [
    ("privacy/export", {"email": "grace\u0000@example.com"}),
    ("privacy/erase", {"email": "grace@example.com\u0000"}),
    ("review-request-check", {"email": "grace\u0000@example.com", "order_id": 1}),
])
def test_an_address_with_a_nul_is_refused_before_the_database_sees_it(app, bridge, shop_a, path, body):
    # PostgreSQL refuses a NUL in any text parameter: the lookup failed with a 500 there.
    assert_error(bridge.post(shop_a, path, body), 400, "email")


def test_a_nul_in_a_review_text_is_dropped_and_the_review_applied(app, api, shop_a, run_jobs):
    response = api.post(shop_a, envelope(data=factories.review(text="Arrived\u0000 broken.", rating=1)))
    assert response.status_code == 202, response.get_data(as_text=True)

    run_jobs()

    # (PostgreSQL refused the text, so the event failed on every retry and the complaint never became a case.)
    assert InboundEvent.query.one().outcome == "applied"
    assert Review.query.one().text == "Arrived broken." and Case.query.count() == 1
