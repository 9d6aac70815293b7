"""POST /api/v1/shops/<id>/privacy/export and /erase: where WordPress's personal-data exporter and eraser forward."""
import pytest

from crisisdesk.models import AuditEntry, Review
from tests import factories
from tests.web.api.answers import assert_error


@pytest.fixture
def grace(app, shop_a):
    factories.deliver(shop_a, "order.created", factories.order(order_id=9001, email="grace@example.com"))
    factories.deliver(shop_a, "review.created", factories.review(review_id=901, email="grace@example.com", rating=1))


def test_it_exports_the_customer_as_wordpress_exporter_items(app, bridge, shop_a, grace):
    response = bridge.post(shop_a, "privacy/export", {"email": "grace@example.com"})

    assert response.status_code == 200, response.get_data(as_text=True)
    items = response.get_json()["items"]
    assert [(i["group_id"], i["group_label"]) for i in items] == [
        ("crisisdesk-customer", "CrisisDesk customer"), ("crisisdesk-orders", "CrisisDesk orders"),
        ("crisisdesk-reviews", "CrisisDesk reviews"), ("crisisdesk-cases", "CrisisDesk cases")]
    assert items[0]["item_id"].startswith("customer-")
    assert {"name": "Email", "value": "grace@example.com"} in items[0]["data"]


def test_it_erases_the_customer_and_answers_in_the_wordpress_eraser_shape(app, bridge, shop_a, grace):
    response = bridge.post(shop_a, "privacy/erase", {"email": "Grace@Example.com"})

    assert response.status_code == 200, response.get_data(as_text=True)
    answer = response.get_json()
    assert set(answer) == {"items_removed", "items_retained", "messages"}
    assert answer["items_removed"] > 0 and answer["items_retained"] == 4  # customer, order, review, case
    assert all(isinstance(m, str) for m in answer["messages"])
    assert Review.query.filter_by(remote_id=901).one().text == "[erased]"
    entry = AuditEntry.query.filter_by(action="privacy.erased").one()
    assert entry.actor_label == "bridge" and "grace" not in str(entry.details).lower()

    again = bridge.post(shop_a, "privacy/erase", {"email": "grace@example.com"}).get_json()
    assert (again["items_removed"], again["items_retained"]) == (0, 0)


@pytest.mark.parametrize("path", ["privacy/export", "privacy/erase"])
def test_it_answers_400_naming_the_email_field_when_it_is_missing_or_not_an_address(app, bridge, shop_a, path):
    for body in ({}, {"email": ""}, {"email": None}, {"email": 42}, {"email": "grace"}, {"mail": "g@example.com"}):
        assert_error(bridge.post(shop_a, path, body), 400, "email")
    for body in (b"", b"{not json", b'["grace@example.com"]'):
        assert_error(bridge.post(shop_a, path, body), 400, "email" if body == b"" else "body")
