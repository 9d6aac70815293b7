"""Order search on the case page matches what the agent typed literally."""
from crisisdesk.services.inbox import search_orders
from tests import factories


def test_it_matches_percent_and_underscore_literally(app, shop_a, owner):
    factories.deliver(shop_a, "order.created", factories.order(email="ann_b@example.com"))
    factories.deliver(shop_a, "order.created", factories.order(email="annxb@example.com"))
    found = search_orders(owner, shop_a.id, "ann_b")
    assert [o.billing_email for o in found] == ["ann_b@example.com"]
    assert search_orders(owner, shop_a.id, "%%") == []


def test_it_finds_by_number_and_by_name(app, shop_a, owner):
    factories.deliver(shop_a, "order.created", factories.order(order_id=4321, email="x@example.com"))
    assert [o.number for o in search_orders(owner, shop_a.id, "#4321")] == ["4321"]
    assert len(search_orders(owner, shop_a.id, "grace hop")) == 1
