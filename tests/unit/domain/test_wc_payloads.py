"""Parsing WooCommerce REST v3 resources: the recorded shapes pass, bad fields are named."""
import json
from decimal import Decimal
from pathlib import Path

import pytest

from crisisdesk.domain.errors import Invalid
from crisisdesk.domain.wc_payloads import parse_order, parse_review

RECORDED = Path(__file__).resolve().parents[2] / "fixtures" / "woocommerce"


def recorded(name):
    return json.loads((RECORDED / f"{name}.json").read_text())


def test_it_reads_the_recorded_order_with_money_as_decimals():
    order = parse_order(recorded("order_after_refund"))
    assert order.total == Decimal("72.50") and order.refunds[0].amount == Decimal("10.00")
    assert order.items[0].remote_product_id == 10 and order.email == "cust-3be36b@example.test"


def test_it_reads_the_recorded_review():
    review = parse_review(recorded("review"))
    assert (review.rating, review.verified, review.status) == (4, True, "approved")


def test_it_refuses_an_order_number_longer_than_its_column():
    data = recorded("order_created") | {"number": "9" * 41}
    with pytest.raises(Invalid) as error:
        parse_order(data)
    assert error.value.field == "data.number"


def test_it_refuses_a_status_longer_than_its_column():
    with pytest.raises(Invalid) as error:
        parse_order(recorded("order_created") | {"status": "x" * 41})
    assert error.value.field == "data.status"


def test_it_clips_display_text_instead_of_refusing_it():
    review = parse_review(recorded("review") | {"product_name": "N" * 1000, "reviewer": "R" * 500})
    assert len(review.product_name) == 300 and len(review.reviewer) == 200


def test_it_collapses_a_line_item_listed_twice():
    data = recorded("order_created")
    data["line_items"] = data["line_items"] + [dict(data["line_items"][0], quantity=5)]
    order = parse_order(data)
    assert len(order.items) == 1 and order.items[0].quantity == 5


def test_it_names_a_rating_outside_zero_to_five():
    with pytest.raises(Invalid) as error:
        parse_review(recorded("review") | {"rating": 6})
    assert error.value.field == "data.rating"
