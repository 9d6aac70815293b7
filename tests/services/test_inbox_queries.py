"""The inbox's and the case page's lookups that bench/panel_scale.py reshaped for a shop with 100,000 cases:
the product filter's choices, the review-flag evidence's orders by email, and one page of cases sorted by id first."""
from datetime import datetime, timedelta, timezone

from crisisdesk.models import Case, Product, Review
from crisisdesk.services import inbox
from crisisdesk.services.inbox import InboxFilters
from tests import factories


def day(n, hour=10):
    return datetime(2026, 11, n, hour, 0, tzinfo=timezone.utc)


def review_case(shop, product_id=10, written=None, **review):
    payload = factories.review(product_id=product_id, created_at=written or day(20), **review)
    factories.deliver(shop, "review.created", payload)
    return Case.query.join(Case.review).filter(Review.shop_id == shop.id, Review.remote_id == payload["id"]).one()


def test_the_product_filter_offers_the_visible_shops_products_that_have_cases_by_name(shop_a, shop_b, agent, owner):
    review_case(shop_a, product_id=20)
    review_case(shop_a, product_id=10)
    review_case(shop_a, product_id=10)
    review_case(shop_b, product_id=30)
    factories.deliver(shop_a, "review.created", factories.review(product_id=40, rating=5, text="Lovely."))
    assert Product.query.filter_by(shop_id=shop_a.id, remote_id=40).count() == 1  # known, but no case

    def offered(user):
        return [(p.shop_id, p.remote_id) for p in inbox.products_with_cases(user)]

    assert sorted(offered(agent)) == [(shop_a.id, 10), (shop_a.id, 20)]
    names = [p.name for p in inbox.products_with_cases(owner)]
    assert names == sorted(names) and len(names) == 3


def test_orders_with_email_are_the_shops_orders_billed_to_exactly_that_address_newest_first(shop_a, shop_b):
    for order_id, email, placed in [(7001, "anna@example.com", day(1)), (7002, "anna@example.com", day(5)),
                                    (7003, "joanna@example.com", day(6)), (7004, "anna@example.com.pl", day(7))]:
        factories.deliver(shop_a, "order.created", factories.order(order_id=order_id, email=email, created_at=placed))
    factories.deliver(shop_b, "order.created", factories.order(order_id=7005, email="anna@example.com"))

    assert [o.number for o in inbox.orders_with_email(shop_a.id, " Anna@Example.com ")] == ["7002", "7001"]
    assert [o.number for o in inbox.orders_with_email(shop_a.id, "anna@example.com", limit=1)] == ["7002"]
    assert inbox.orders_with_email(shop_a.id, "nobody@example.com") == []


def test_a_page_of_cases_comes_in_the_sort_order_with_its_rows_loaded(shop_a, agent, frozen_clock):
    opened = [review_case(shop_a, written=day(1) + timedelta(hours=n), text=f"Broken {n}.") for n in range(30)]
    due_first = [c.id for c in sorted(opened, key=lambda c: (c.first_response_due_at, c.id))]
    first = inbox.list_cases(agent, InboxFilters(sort="due"))
    second = inbox.list_cases(agent, InboxFilters(sort="due", page=2))
    assert (first.total, second.total) == (30, 30)
    assert [c.id for c in first.items] + [c.id for c in second.items] == due_first
    assert all(c.review is not None and c.product is not None for c in first.items)
    assert inbox.list_cases(agent, InboxFilters(page=9)).items == []
