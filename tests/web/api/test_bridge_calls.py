"""Every signed bridge call other than events (ping, summary, backfill, privacy, review-request check) answers the
same way to a caller that is not the shop, or that replays a call: 401, 404, 409, 413, 503, always as JSON
`{"error": ...}`."""
import time

import pytest

from crisisdesk.models import new_shared_secret
from tests import factories
from tests.web.api.answers import assert_error

CALLS = [
    ("POST", "ping", b"{}"),
    ("GET", "summary", b""),
    ("POST", "backfill", b"{}"),
    ("POST", "privacy/export", b'{"email": "grace@example.com"}'),
    ("POST", "privacy/erase", b'{"email": "grace@example.com"}'),
    ("POST", "review-request-check", b'{"email": "grace@example.com", "order_id": 9001}'),
]
IDS = [path for _, path, _ in CALLS]


@pytest.mark.parametrize("method, path, body", CALLS, ids=IDS)
def test_it_answers_401_when_the_signature_headers_are_missing(app, shop_a, method, path, body):
    response = app.test_client().open(f"/api/v1/shops/{shop_a.id}/{path}", method=method, data=body)
    assert "webhook-id" in assert_error(response, 401)["error"]


@pytest.mark.parametrize("method, path, body", CALLS, ids=IDS)
def test_it_answers_401_for_another_shops_secret_or_an_unknown_one(app, bridge, shop_a, shop_b, method, path, body):
    assert_error(bridge.call(method, shop_a, path, body, secret=factories.secret_of(shop_b)), 401)
    assert_error(bridge.call(method, shop_a, path, body, secret=new_shared_secret()), 401)


@pytest.mark.parametrize("method, path, body", CALLS, ids=IDS)
def test_it_answers_401_for_a_timestamp_outside_five_minutes(app, bridge, shop_a, method, path, body):
    for offset in (-6 * 60, 6 * 60):
        answer = assert_error(bridge.call(method, shop_a, path, body, timestamp=int(time.time()) + offset), 401)
        assert "5 minutes" in answer["error"]


@pytest.mark.parametrize("method, path, body", CALLS, ids=IDS)
def test_it_answers_404_for_an_unknown_shop(app, bridge, shop_a, method, path, body):
    assert_error(bridge.call(method, shop_a, path, body, shop_id=shop_a.id + 1000), 404)


@pytest.mark.parametrize("method, path, body", CALLS, ids=IDS)
def test_it_answers_409_when_a_webhook_id_is_used_again(app, bridge, shop_a, method, path, body):
    first = bridge.call(method, shop_a, path, body, msg_id="msg_twice")
    again = bridge.call(method, shop_a, path, body, msg_id="msg_twice")

    # (The backfill's first answer is a 409 of its own here: shop A has no WooCommerce keys.)
    assert first.get_json() != {"error": "this webhook-id was already used"}, first.get_data(as_text=True)
    assert_error(again, 409)
    assert again.get_json() == {"error": "this webhook-id was already used"}


@pytest.mark.parametrize("method, path, body", CALLS, ids=IDS)
def test_it_answers_413_for_a_body_over_64_kib(app, bridge, shop_a, method, path, body):
    assert_error(bridge.call(method, shop_a, path, b"{" + b" " * 64 * 1024 + b"}"), 413)


@pytest.mark.parametrize("method, path, body", CALLS, ids=IDS)
def test_it_answers_503_when_redis_cannot_check_for_replays(app, bridge, shop_a, method, path, body):
    with factories.redis_unreachable(app):
        assert_error(bridge.call(method, shop_a, path, body), 503)
