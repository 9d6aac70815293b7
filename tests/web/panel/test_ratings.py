"""The Ratings page: reviews and average rating per product and month, the products without reviews with their
orders, what the review requests brought; figures computed from reviews, orders and requests made the real way,
and only the shops the reader may see."""
import itertools
from datetime import datetime, timedelta, timezone

import pytest

from crisisdesk.demo.payloads import review_payload
from crisisdesk.domain.actor import CLI
from crisisdesk.domain.periods import preset_period
from crisisdesk.models import OutboxEmail
from crisisdesk.services import outbox, ratings, review_requests
from tests import factories
from tests.web.panel.test_dashboard import cells

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=timezone.utc)  # the frozen clock's start
KETTLE, TEAPOT, MUG, SPOON, SAUCER = (10, "Kettle"), (11, "Teapot"), (12, "Mug"), (13, "Spoon"), (14, "Saucer")
_ids = itertools.count(9001)  # WooCommerce ids of the reviews, orders and lines made here


def write_review(shop, product, rating, day, email="reader@example.com", status="approved"):
    written = datetime(*day, 10, 0, tzinfo=timezone.utc)
    factories.deliver(shop, "review.created", review_payload(
        next(_ids), product[0], product[1], "Grace Hopper", email, "My opinion.", rating, written,
        status=status))


def place_order(shop, product, day, email, status="completed"):
    at = datetime(*day, 10, 0, tzinfo=timezone.utc)
    payload = factories.order(order_id=next(_ids), email=email, items=[(next(_ids), product[0], product[1], 1, 20.0)],
                              created_at=at, modified_at=at + timedelta(days=3), status=status)
    factories.deliver(shop, "order.created", payload, occurred_at=at + timedelta(days=3))


@pytest.fixture
def seeded(shop_a, shop_b, owner, smtp_server, frozen_clock):
    """Shop A: kettle and teapot reviewed in the period, the saucer only long ago, the mug and the spoon never
    (the spoon's one review is spam); three review requests, two sent, one of which a review followed.
    Shop B: its own reviewed lamp and unreviewed vase, which shop A's readers must never see."""
    write_review(shop_a, KETTLE, 4, (2026, 10, 5))
    write_review(shop_a, KETTLE, 5, (2026, 11, 2))
    write_review(shop_a, KETTLE, 3, (2026, 11, 5))
    write_review(shop_a, TEAPOT, 1, (2026, 10, 10))
    write_review(shop_a, SAUCER, 2, (2025, 6, 1))  # before the period: the saucer is not unreviewed
    write_review(shop_a, SPOON, 1, (2026, 9, 1), status="spam")
    place_order(shop_a, MUG, (2025, 5, 1), "old@example.com")  # before the period
    place_order(shop_a, MUG, (2026, 6, 1), "paid@example.com", status="processing")
    place_order(shop_a, MUG, (2026, 7, 1), "gone@example.com", status="cancelled")  # never paid: not counted
    write_review(shop_b, (10, "Shop B lamp"), 1, (2026, 11, 3))
    place_order(shop_b, (20, "Shop B vase"), (2026, 11, 1), "b@example.com")

    frozen_clock.now = datetime(2026, 10, 30, 12, 0, tzinfo=timezone.utc)
    review_requests.update_settings(owner, shop_a.id, CLI, True, 7)
    place_order(shop_a, MUG, (2026, 10, 30), "m1@example.com")  # completed 11-02: asked 11-09, writes nothing
    place_order(shop_a, KETTLE, (2026, 10, 30), "k1@example.com")  # asked 11-09, reviews the kettle 11-10
    place_order(shop_a, SPOON, (2026, 10, 30), "s1@example.com")  # unsubscribes before its request
    frozen_clock.now = datetime(2026, 11, 2, 12, 0, tzinfo=timezone.utc)
    assert review_requests.schedule_due() == 3
    outbox.suppress(shop_a.id, "s1@example.com", "unsubscribed")
    frozen_clock.now = datetime(2026, 11, 9, 12, 0, tzinfo=timezone.utc)
    assert [outbox.send(row.id) for row in OutboxEmail.query.filter_by(status="scheduled")] == ["sent", "sent"]
    write_review(shop_a, KETTLE, 5, (2026, 11, 10), email="k1@example.com")
    frozen_clock.now = NOW


def test_it_counts_reviews_per_product_and_month_and_the_products_nobody_reviewed(seeded, viewer):
    data = ratings.ratings(viewer, preset_period("12m", NOW.date()))
    assert [first.isoformat() for first in data.months[-2:]] == ["2026-10-01", "2026-11-01"]
    assert len(data.months) == 13  # 2025-11-23 to 2026-11-22
    assert [(t.count, t.average) for t in data.by_month[-2:]] == [(2, 2.5), (3, 4.33)]
    assert (data.total.count, data.total.average, data.products_reviewed) == (5, 3.6, 2)
    kettle, teapot = data.products
    assert (kettle.name, kettle.total.count, kettle.total.average) == ("Kettle", 4, 4.25)
    assert [(t.count, t.average) for t in kettle.months[-2:]] == [(1, 4.0), (3, 4.33)]
    assert (teapot.name, teapot.total.count, teapot.total.average) == ("Teapot", 1, 1.0)
    assert [(p.name, p.orders_in_period, p.orders) for p in data.unreviewed] == [("Mug", 2, 3), ("Spoon", 1, 1)]
    assert data.unreviewed_count == 2
    requests = data.requests
    assert (requests.sent, requests.cancelled, requests.failed, requests.scheduled) == (2, 1, 0, 0)
    assert (requests.answered, requests.reviews_after, requests.answer_rate) == (1, 1, 0.5)


def test_the_page_shows_those_figures_to_a_viewer_and_nothing_of_another_shop(seeded, client, viewer):
    client.login(viewer)
    response = client.get("/ratings")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<h1>Ratings" in html and 'href="/ratings" aria-current="page"' in html
    assert "2025-11-23 to 2026-11-22" in html  # a year by default
    assert cells(html, "ratings-monthly-table")[-6:] == ["October 2026", "2", "2.50 of 5",
                                                        "November 2026", "3", "4.33 of 5"]
    products = cells(html, "product-ratings-table")
    assert products[0] == "Product" and products[14] == "Period" and len(products) == 3 * 15
    assert products[15] == "Kettle" and products[15 + 12:30] == ["1 · 4.00★", "3 · 4.33★", "4 · 4.25★"]
    assert products[16:27] == ["—"] * 11 and products[30] == "Teapot" and products[-1] == "1 · 1.00★"
    assert cells(html, "unreviewed-table") == ["Product", "Orders in this period", "Orders ever",
                                               "Mug", "2", "3", "Spoon", "1", "1"]
    assert cells(html, "requests-table") == ["Sent in this period", "2", "Followed by a review", "1 (50%)",
                                             "Reviews written after a request", "1", "Cancelled", "1",
                                             "Refused by the mail server", "0", "Waiting to be sent now", "0"]
    assert "Shop B lamp" not in html and "Shop B vase" not in html


def test_a_shop_and_a_period_can_be_chosen_and_another_shop_is_not_found(seeded, client, owner, viewer, shop_b):
    client.login(owner)
    html = client.get(f"/ratings?shop={shop_b.id}&preset=30d").get_data(as_text=True)
    assert "Shop B lamp" in html and "Kettle" not in html
    assert cells(html, "unreviewed-table")[3:] == ["Shop B vase", "1", "1"]
    html = client.get("/ratings?preset=custom&start=2026-11-01&end=2026-11-30").get_data(as_text=True)
    assert cells(html, "ratings-monthly-table") == ["Month", "Reviews", "Average rating",
                                                    "November 2026", "4", "3.50 of 5"]  # both shops
    client.post("/logout", data={"csrf_token": client.csrf_token("/cases")})
    client.login(viewer)
    assert client.get(f"/ratings?shop={shop_b.id}").status_code == 404


def test_it_says_when_there_is_nothing_to_show(client, viewer):
    client.login(viewer)
    html = client.get("/ratings").get_data(as_text=True)
    assert "No reviews were written in this period." in html and "Every product has at least one review." in html
    assert "Review requests are off." in html
