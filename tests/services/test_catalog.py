"""Upserting WooCommerce resources (crisisdesk.services.catalog) from the payloads recorded in a real shop.

Each test parses a recorded payload with the shared parser, upserts it, commits, and reads the
rows back from the real database.
"""
from datetime import datetime, timezone
from decimal import Decimal

from crisisdesk.domain.wc_payloads import parse_order, parse_review
from crisisdesk.extensions import db
from crisisdesk.models import Customer, Order, OrderItem, Product, Refund, Review, ReviewRevision
from crisisdesk.services import catalog
from tests import factories

RECORDED_AT = datetime(2026, 11, 22, 13, 5, 15, tzinfo=timezone.utc)  # date_*_gmt in the recordings
EVENT_TIME = datetime(2026, 11, 22, 13, 6, tzinfo=timezone.utc)


def upsert_order(shop, payload, occurred_at=EVENT_TIME):
    change = catalog.upsert_order(shop, parse_order(payload), occurred_at)
    db.session.commit()
    return change


def upsert_review(shop, payload, occurred_at=EVENT_TIME):
    change = catalog.upsert_review(shop, parse_review(payload), occurred_at)
    db.session.commit()
    return change


def recorded_review(**changes):
    return {**factories.recorded("review"), **changes}


# --- orders -----------------------------------------------------------------------------------------------

def test_it_creates_the_order_with_its_customer_items_and_product_from_the_recorded_order(app, shop_a):
    change = upsert_order(shop_a, factories.recorded("order_created"))

    assert change.applied and change.created
    order = Order.query.one()
    assert (order.shop_id, order.remote_id, order.number, order.status) == (shop_a.id, 12, "12", "processing")
    assert (order.currency, order.total) == ("USD", Decimal("72.50"))
    assert (order.billing_email, order.billing_name) == ("cust-3be36b@example.test", "Grace Hopper")
    assert order.payment_method_title == "Direct bank transfer"
    assert order.created_at == RECORDED_AT
    assert order.completed_at is None
    assert order.source_modified_at == RECORDED_AT

    customer = Customer.query.one()
    assert order.customer_id == customer.id
    assert (customer.email, customer.first_name, customer.last_name, customer.remote_id) == (
        "cust-3be36b@example.test", "Grace", "Hopper", 2)

    item = OrderItem.query.one()
    assert (item.order_id, item.remote_id, item.remote_product_id) == (order.id, 1, 10)
    assert (item.name, item.sku, item.quantity, item.total) == ("Lab Gadget 3be36b", "LAB-G-3be36b", 3,
                                                                Decimal("67.50"))
    product = Product.query.one()
    assert item.product_id == product.id
    assert (product.remote_id, product.name, product.sku) == (10, "Lab Gadget 3be36b", "LAB-G-3be36b")
    assert order.contains_product(10)
    assert Refund.query.count() == 0


def test_it_updates_the_same_order_when_it_is_completed(app, shop_a):
    upsert_order(shop_a, factories.recorded("order_created"))

    change = upsert_order(shop_a, factories.recorded("order_completed"))

    assert change.applied and not change.created
    order = Order.query.one()
    assert order.status == "completed"
    assert order.completed_at == RECORDED_AT
    assert OrderItem.query.count() == 1
    assert Customer.query.count() == 1
    assert Product.query.count() == 1


def test_it_records_the_refund_from_the_recorded_order_after_refund_once(app, shop_a):
    upsert_order(shop_a, factories.recorded("order_completed"))
    upsert_order(shop_a, factories.recorded("order_after_refund"))
    again = upsert_order(shop_a, factories.recorded("order_after_refund"), occurred_at=EVENT_TIME.replace(hour=14))

    assert again.applied  # the same version again is harmless...
    refund = Refund.query.one()  # ...and adds no second refund
    order = Order.query.one()
    assert (refund.order_id, refund.remote_id, refund.amount, refund.reason) == (
        order.id, 13, Decimal("10.00"), "lab partial refund")
    assert order.refunded_total == Decimal("10.00")
    assert order.total == Decimal("72.50")  # WooCommerce keeps the total; the refund is listed
    assert order.source_modified_at == datetime(2026, 11, 22, 13, 5, 16, tzinfo=timezone.utc)


def test_it_never_moves_an_order_back_to_an_older_version(app, shop_a):
    upsert_order(shop_a, factories.recorded("order_after_refund"))

    late = upsert_order(shop_a, factories.recorded("order_created"))

    assert not late.applied
    order = Order.query.one()
    assert order.status == "completed"
    assert order.completed_at == RECORDED_AT
    assert order.source_modified_at == datetime(2026, 11, 22, 13, 5, 16, tzinfo=timezone.utc)
    assert Refund.query.count() == 1


def test_it_versions_an_order_without_date_modified_by_the_events_time(app, shop_a):
    payload = factories.order(order_id=77, status="processing")
    del payload["date_modified_gmt"]
    upsert_order(shop_a, payload, occurred_at=EVENT_TIME)

    older = upsert_order(shop_a, {**payload, "status": "pending"}, occurred_at=EVENT_TIME.replace(minute=0))
    newer = upsert_order(shop_a, {**payload, "status": "on-hold"}, occurred_at=EVENT_TIME.replace(minute=30))

    assert (older.applied, newer.applied) == (False, True)
    assert Order.query.one().status == "on-hold"


def test_it_keeps_the_line_items_in_step_with_the_latest_order(app, shop_a):
    created = datetime(2026, 11, 1, 10, tzinfo=timezone.utc)
    upsert_order(shop_a, factories.order(order_id=50, created_at=created,
                                         items=[(501, 10, "Lab Gadget", 1, 25.0), (502, 11, "Cable", 2, 5.0)]))

    upsert_order(shop_a, factories.order(order_id=50, created_at=created, modified_at=created.replace(hour=11),
                                         items=[(501, 10, "Lab Gadget", 3, 25.0), (503, 12, "Case", 1, 9.0),
                                                (504, 0, "A product since deleted", 1, 4.0)]))

    items = {i.remote_id: (i.remote_product_id, i.quantity, i.total) for i in OrderItem.query.all()}
    assert items == {501: (10, 3, Decimal("75.00")), 503: (12, 1, Decimal("9.00")), 504: (0, 1, Decimal("4.00"))}
    assert OrderItem.query.filter_by(remote_id=504).one().product_id is None
    assert sorted(p.remote_id for p in Product.query.all()) == [10, 11, 12]  # products are never deleted


def test_it_keeps_two_line_items_of_the_same_product_in_one_new_order(app, shop_a):
    # Variations of one product (size S and M) share its product_id in WooCommerce.
    change = upsert_order(shop_a, factories.order(order_id=60, items=[(601, 77, "Shirt - S", 1, 10.0),
                                                                      (602, 77, "Shirt - M", 2, 10.0)]))

    assert change.applied
    product = Product.query.one()
    assert product.remote_id == 77
    assert sorted((i.remote_id, i.product_id) for i in OrderItem.query.all()) == [(601, product.id),
                                                                                 (602, product.id)]


def test_it_keeps_the_same_remote_ids_of_two_shops_apart(app, shop_a, shop_b):
    upsert_order(shop_a, factories.recorded("order_created"))
    upsert_order(shop_b, factories.recorded("order_after_refund"))

    a_order = Order.query.filter_by(shop_id=shop_a.id).one()
    b_order = Order.query.filter_by(shop_id=shop_b.id).one()
    assert (a_order.status, b_order.status) == ("processing", "completed")  # b's newer state did not touch a
    assert a_order.customer_id != b_order.customer_id
    assert {p.shop_id for p in Product.query.all()} == {shop_a.id, shop_b.id}
    assert [r.shop_id for r in Refund.query.all()] == [shop_b.id]


# --- reviews ----------------------------------------------------------------------------------------------

def test_it_creates_the_review_and_shares_product_and_customer_with_the_recorded_order(app, shop_a):
    upsert_order(shop_a, factories.recorded("order_created"))

    change = upsert_review(shop_a, factories.recorded("review"))

    assert change.applied and change.created
    review = Review.query.one()
    assert (review.shop_id, review.remote_id, review.remote_product_id) == (shop_a.id, 5, 10)
    assert (review.rating, review.text, review.status, review.verified) == (4, "Works great on loopback.",
                                                                            "approved", True)
    assert (review.reviewer_name, review.reviewer_email) == ("Grace Hopper", "cust-3be36b@example.test")
    assert review.created_at == RECORDED_AT
    assert review.source_modified_at == EVENT_TIME  # REST v3 reviews have no date_modified_gmt
    assert review.remote_order_id is None
    assert review.product_id == Product.query.one().id
    assert review.product.permalink == "https://127.0.0.1:8080/product/lab-gadget-3be36b/"
    assert review.product.sku == "LAB-G-3be36b"  # what the order told us is kept
    assert review.customer_id == Order.query.one().customer_id == Customer.query.one().id
    assert [(r.rating, r.text, r.status) for r in review.revisions] == [(4, "Works great on loopback.",
                                                                         "approved")]


def test_it_matches_the_reviewer_to_the_customer_by_normalised_email(app, shop_a):
    upsert_order(shop_a, factories.recorded("order_created"))

    upsert_review(shop_a, recorded_review(reviewer_email="  Cust-3BE36B@Example.TEST ", reviewer="G. Hopper"))

    customer = Customer.query.one()
    assert Review.query.one().customer_id == customer.id
    assert (customer.first_name, customer.last_name) == ("Grace", "Hopper")  # names are not overwritten


def test_it_records_a_revision_for_each_change_of_rating_text_or_status_and_none_for_a_repeat(app, shop_a):
    steps = [
        (recorded_review(), 1),
        (recorded_review(rating=2), 2),
        (recorded_review(rating=2, review="Stopped working after a week."), 3),
        (recorded_review(rating=2, review="Stopped working after a week.", status="hold"), 4),
        (recorded_review(rating=2, review="Stopped working after a week.", status="hold"), 4),
        (recorded_review(rating=2, review="Stopped working after a week.", status="hold", verified=False), 4),
    ]
    flags = []
    for minute, (payload, revisions) in enumerate(steps):
        change = upsert_review(shop_a, payload, occurred_at=EVENT_TIME.replace(minute=10 + minute))
        assert change.applied
        assert ReviewRevision.query.count() == revisions, f"after step {minute}"
        flags.append((change.rating_changed, change.text_changed, change.status_changed))

    review = Review.query.one()
    assert [(r.rating, r.text, r.status) for r in review.revisions] == [
        (4, "Works great on loopback.", "approved"),
        (2, "Works great on loopback.", "approved"),
        (2, "Stopped working after a week.", "approved"),
        (2, "Stopped working after a week.", "hold"),
    ]
    assert review.revisions[-1].source_modified_at == EVENT_TIME.replace(minute=13)
    assert review.verified is False
    assert flags == [(False, False, False), (True, False, False), (False, True, False), (False, False, True),
                     (False, False, False), (False, False, False)]


def test_it_never_moves_a_review_back_to_an_older_version(app, shop_a):
    upsert_review(shop_a, recorded_review(rating=1, review="Broke."), occurred_at=EVENT_TIME.replace(minute=30))

    late = upsert_review(shop_a, recorded_review(), occurred_at=EVENT_TIME)

    assert not late.applied
    review = Review.query.one()
    assert (review.rating, review.text) == (1, "Broke.")
    assert ReviewRevision.query.count() == 1


def test_it_prefers_a_reviews_own_date_modified_over_the_event_time(app, shop_a):
    upsert_review(shop_a, recorded_review(rating=2, date_modified_gmt="2026-11-22T15:00:00"),
                  occurred_at=EVENT_TIME)

    # Sent later, but the resource itself says it is older.
    late = upsert_review(shop_a, recorded_review(rating=5, date_modified_gmt="2026-11-22T14:00:00"),
                         occurred_at=EVENT_TIME.replace(hour=16))

    assert not late.applied
    assert Review.query.one().rating == 2


def test_it_stores_the_resulting_status_for_untrash_and_unspam(app, shop_a):
    upsert_review(shop_a, recorded_review(status="trash"))
    upsert_review(shop_a, recorded_review(status="untrash"), occurred_at=EVENT_TIME.replace(minute=30))
    assert Review.query.one().status == "hold"

    upsert_review(shop_a, recorded_review(status="spam"), occurred_at=EVENT_TIME.replace(minute=40))
    upsert_review(shop_a, recorded_review(status="unspam"), occurred_at=EVENT_TIME.replace(minute=50))
    assert [r.status for r in Review.query.one().revisions] == ["trash", "hold", "spam", "hold"]


def test_it_keeps_the_review_order_id_meta_once_it_was_sent(app, shop_a):
    upsert_review(shop_a, recorded_review(meta_data=[{"id": 1, "key": "_review_order_id", "value": "12"}]))

    upsert_review(shop_a, recorded_review(rating=3), occurred_at=EVENT_TIME.replace(minute=30))

    assert Review.query.one().remote_order_id == 12


def test_it_keeps_a_completion_when_the_creation_event_with_the_same_stamp_arrives_late(app, shop_a):
    """WooCommerce stamps are whole seconds: the recorded created and completed orders share one."""
    created, completed = factories.recorded("order_created"), factories.recorded("order_completed")
    assert created["date_modified_gmt"] == completed["date_modified_gmt"]
    factories.deliver(shop_a, "order.updated", completed, datetime(2026, 11, 22, 13, 5, 16, tzinfo=timezone.utc))
    factories.deliver(shop_a, "order.created", created, datetime(2026, 11, 22, 13, 5, 15, tzinfo=timezone.utc))
    order = Order.query.one()
    assert order.status == "completed" and order.completed_at is not None
