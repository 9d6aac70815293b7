"""POST /api/v1/shops/<id>/review-request-check: may WooCommerce's own review request (10.8+) go to this customer?

Signatures, replays, unknown shops and large bodies are tested with the other calls in test_bridge_calls.py.
"""
import pytest

from crisisdesk.extensions import db
from crisisdesk.models import Case
from crisisdesk.services import outbox
from tests import factories
from tests.web.api.answers import assert_error

PATH = "review-request-check"
HELD_FOR_CASE = {"send": False, "reason": "open_case"}


@pytest.fixture
def grace_complains(app, shop_a):
    """Grace bought order 9001 and gave it one star: her case is open."""
    factories.deliver(shop_a, "order.created", factories.order(order_id=9001, email="grace@example.com"))
    factories.deliver(shop_a, "review.created", factories.review(review_id=901, email="grace@example.com", rating=1))
    return Case.query.filter_by(shop_id=shop_a.id).one()


def check(bridge, shop, email="grace@example.com", order_id=9002):
    response = bridge.post(shop, PATH, {"email": email, "order_id": order_id})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def test_it_holds_the_request_while_the_customer_has_an_open_case(app, bridge, shop_a, grace_complains):
    assert check(bridge, shop_a, email=" Grace@Example.com") == HELD_FOR_CASE
    # By the order alone: its buyer has the case, whatever address the order is billed to now.
    assert check(bridge, shop_a, email="grace.hopper@example.org", order_id=9001) == HELD_FOR_CASE


def test_it_lets_the_request_go_for_anyone_else_and_once_the_case_is_resolved(app, bridge, shop_a, grace_complains):
    assert check(bridge, shop_a, email="ada@example.com", order_id=9100) == {"send": True}

    grace_complains.status = "resolved"
    db.session.commit()

    assert check(bridge, shop_a, order_id=9001) == {"send": True}


def test_it_holds_the_request_for_an_address_that_opted_out_and_names_the_open_case_first(
        app, bridge, shop_a, grace_complains):
    outbox.suppress(shop_a.id, "ada@example.com", "unsubscribed")
    outbox.suppress(shop_a.id, "grace@example.com", "rejected")

    assert check(bridge, shop_a, email="ADA@example.com") == {"send": False, "reason": "opted_out"}
    assert check(bridge, shop_a) == HELD_FOR_CASE


def test_another_shops_case_or_opt_out_does_not_count(app, bridge, shop_a, shop_b, grace_complains):
    outbox.suppress(shop_a.id, "grace@example.com", "unsubscribed")
    factories.deliver(shop_b, "order.created", factories.order(order_id=9001, email="ada@example.com"))

    assert check(bridge, shop_b) == {"send": True}
    assert check(bridge, shop_b, email="ada@example.com", order_id=9001) == {"send": True}


def test_it_answers_400_naming_the_field_when_the_email_or_the_order_id_is_missing_or_malformed(app, bridge, shop_a):
    bad = [({"order_id": 9001}, "email"), ({"email": "", "order_id": 9001}, "email"),
           ({"email": "grace", "order_id": 9001}, "email"), ({"email": 42, "order_id": 9001}, "email"),
           ({"email": "grace@example.com"}, "order_id")]
    bad += [({"email": "grace@example.com", "order_id": value}, "order_id")
            for value in (None, 0, -3, "nine", True, 1.5, 2 ** 31)]
    for body, field in bad:
        assert_error(bridge.post(shop_a, PATH, body), 400, field)
    assert_error(bridge.post(shop_a, PATH, b""), 400, "email")
    assert_error(bridge.post(shop_a, PATH, b'["grace@example.com", 9001]'), 400, "body")
