"""Importing a shop's history from WooCommerce (the stand-in, over real HTTP) through the events' code path."""
from datetime import timedelta

import pytest

from crisisdesk.domain.actor import CLI
from crisisdesk.domain.errors import Conflict, Invalid, NotFound
from crisisdesk.extensions import db
from crisisdesk.models import AuditEntry, Case, CaseEvent, Order, Review, ReviewRevision, Shop
from crisisdesk.services import backfill as service
from crisisdesk.services import sync_lock
from tests.wc_history import add_history, connect, listed
from tests.wc_standin.fixtures import woo  # noqa: F401  (the WooCommerce stand-in fixture)

CRITICAL = {"code": "internal_server_error", "message": "There has been a critical error on this website."}


@pytest.fixture
def connected(app, shop_a, owner, woo):  # noqa: F811
    return connect(shop_a, owner, woo)


def shop(shop_id):
    db.session.expire_all()
    return db.session.get(Shop, shop_id)


def fail_from_page_two(woo):  # noqa: F811
    """A progress callback that breaks WooCommerce once the first page of orders is in: every try of the
    client (1 + its 3 read retries) at the next page gets a 500."""
    calls = []

    def progress(done, total):
        calls.append((done, total))
        if done == 2 and len(calls) == 2:
            woo.fail_next(500, times=4, method="GET", path="/orders", retry_after=0, **CRITICAL)

    return progress


def test_it_imports_orders_then_reviews_and_opens_cases_for_negative_history(connected, woo,  # noqa: F811
                                                                              frozen_clock):
    history = add_history(woo)
    seen = []

    result = service.backfill(connected.id, progress=lambda done, total: seen.append((done, total)), per_page=2,
                              actor=CLI)

    assert (result.orders, result.reviews, result.orders_total, result.reviews_total) == (6, 5, 6, 5)
    assert (Order.query.count(), Review.query.count()) == (6, 5)
    cases = Case.query.order_by(Case.id).all()
    assert [c.review.remote_id for c in cases] == [r["id"] for r in history.negative]
    assert result.cases_opened == 2
    # The case is linked to the reviewer's order, exactly as for a live review event.
    assert cases[0].order.remote_id == history.orders[1]["id"]
    assert seen[0] == (0, 11) and seen[-1] == (11, 11) and len(seen) == 1 + 3 + 3
    # Orders by id (a change during the run cannot move one behind the pages already read), then reviews.
    assert listed(woo, "orders", per_page=2, orderby="id", order="asc") == [1, 2, 3]
    assert listed(woo, "products/reviews", per_page=2) == [1, 2, 3]
    done = shop(connected.id)
    assert (done.backfill_state, done.backfill_error) == ("done", None)
    assert (done.backfill_orders_page, done.backfill_reviews_page) == (4, 4)
    assert done.orders_synced_at == done.reviews_synced_at == frozen_clock.now
    entry = AuditEntry.query.filter_by(action="shop.backfill_done").one()
    assert (entry.actor_label, entry.shop_id, entry.details["cases_opened"]) == ("cli", connected.id, 2)


def test_it_creates_nothing_twice_when_run_again(connected, woo):  # noqa: F811
    add_history(woo)
    service.backfill(connected.id, per_page=2)
    before = (Order.query.count(), Review.query.count(), ReviewRevision.query.count(), Case.query.count(),
              CaseEvent.query.count())
    first_requests = len(woo.requests)

    again = service.backfill(connected.id, per_page=2)

    assert again.cases_opened == 0 and not again.resumed
    assert (Order.query.count(), Review.query.count(), ReviewRevision.query.count(), Case.query.count(),
            CaseEvent.query.count()) == before
    # A finished backfill run again reads everything from the first page.
    assert [r.params.get("page") for r in woo.requests[first_requests:]
            if r.path.endswith("/orders") and r.params.get("per_page") == "2"] == ["1", "2", "3"]


def test_it_keeps_the_page_when_woocommerce_fails_and_resumes_from_it(connected, woo, frozen_clock):  # noqa: F811
    add_history(woo)
    started = frozen_clock.now

    with pytest.raises(service.BackfillError) as raised:
        service.backfill(connected.id, progress=fail_from_page_two(woo), per_page=2)

    error = raised.value
    assert (error.code, error.http_status, error.permanent) == ("internal_server_error", 500, False)
    assert "There has been a critical error on this website." in error.message
    assert len([r for r in woo.requests if r.status == 500]) == 4  # the client's read retries were used up
    failed = shop(connected.id)
    assert failed.backfill_state == "failed"
    assert failed.backfill_error == ("internal_server_error (HTTP 500): "
                                     "There has been a critical error on this website.")
    assert (failed.backfill_orders_page, failed.backfill_reviews_page) == (2, 1)
    assert Order.query.count() == 2  # the first page was committed
    assert AuditEntry.query.filter_by(action="shop.backfill_failed").one().details["orders_page"] == 2

    frozen_clock.advance(hours=1)
    requests_before = len(woo.requests)
    result = service.backfill(connected.id, per_page=2)

    assert result.resumed and (result.orders, result.reviews) == (4, 5)
    resumed_pages = [r.params.get("page") for r in woo.requests[requests_before:]
                     if r.path.endswith("/orders") and r.params.get("per_page") == "2"]
    assert resumed_pages == ["2", "3"]
    done = shop(connected.id)
    assert (done.backfill_state, done.backfill_error) == ("done", None)
    assert (Order.query.count(), Review.query.count(), Case.query.count()) == (6, 5, 2)
    # Reconciliation must look from the first attempt's start: the pages read then may have changed since.
    assert done.orders_synced_at == done.reviews_synced_at == started


def test_it_starts_again_from_the_first_page_when_asked(connected, woo):  # noqa: F811
    add_history(woo)
    with pytest.raises(service.BackfillError):
        service.backfill(connected.id, progress=fail_from_page_two(woo), per_page=2)
    requests_before = len(woo.requests)

    result = service.backfill(connected.id, per_page=2, restart=True)

    assert not result.resumed and result.orders == 6
    assert listed(woo, "orders", per_page=2)[-3:] == [1, 2, 3]
    assert len(woo.requests) - requests_before == 2 + 3 + 3


def test_it_fails_for_good_when_woocommerce_refuses_the_keys(app, shop_a, owner, woo):  # noqa: F811
    connect(shop_a, owner, woo, consumer_key="ck_" + "0" * 40, consumer_secret="cs_" + "0" * 40)

    with pytest.raises(service.BackfillError) as raised:
        service.backfill(shop_a.id)

    assert raised.value.permanent and raised.value.http_status == 401
    assert raised.value.code == "woocommerce_rest_authentication_error"
    failed = shop(shop_a.id)
    assert failed.backfill_state == "failed" and "woocommerce_rest_authentication_error" in failed.backfill_error
    assert Order.query.count() == 0


def test_it_skips_a_resource_it_cannot_read_and_finishes(connected, woo):  # noqa: F811
    woo.add_review(rating=9, review="Off the scale!")  # a plugin that stores ratings its own way

    result = service.backfill(connected.id)

    assert (result.reviews, result.skipped) == (1, 1)  # the seeded review, and the odd one skipped
    assert shop(connected.id).backfill_state == "done"


def test_it_refuses_a_second_run_while_one_holds_the_shop(connected, woo):  # noqa: F811
    with sync_lock.held("backfill", connected.id, 60, "busy"):
        with pytest.raises(Conflict):
            service.backfill(connected.id)
    assert shop(connected.id).backfill_state == "never"
    assert woo.requests == []


def test_it_refuses_an_unknown_shop_and_a_shop_without_keys_before_changing_anything(app, shop_a):
    with pytest.raises(NotFound):
        service.backfill(999_999)
    with pytest.raises(Invalid) as raised:
        service.backfill(shop_a.id)
    assert raised.value.field == "woo_key"
    assert shop(shop_a.id).backfill_state == "never"


def test_it_resumes_a_run_that_died_without_recording_a_failure(connected, woo, frozen_clock):  # noqa: F811
    add_history(woo)
    # A killed worker leaves the shop "running" at its next page; its lock expired with it.
    connected.backfill_state, connected.backfill_orders_page = "running", 3
    connected.orders_synced_at = connected.reviews_synced_at = frozen_clock.now - timedelta(hours=2)
    db.session.commit()

    result = service.backfill(connected.id, per_page=2)

    assert result.resumed and result.orders == 2  # only the third page of orders
    assert shop(connected.id).orders_synced_at == frozen_clock.now - timedelta(hours=2)


def test_it_records_an_interruption_and_resumes_after_it(connected, woo):  # noqa: F811
    add_history(woo)

    def interrupt(done, total):
        if done == 2:
            raise KeyboardInterrupt  # Ctrl-C in the CLI after the first page

    with pytest.raises(KeyboardInterrupt):
        service.backfill(connected.id, progress=interrupt, per_page=2)

    stopped = shop(connected.id)
    assert (stopped.backfill_state, stopped.backfill_error) == ("failed", "interrupted (KeyboardInterrupt)")
    assert stopped.backfill_orders_page == 2
    assert service.backfill(connected.id, per_page=2).resumed
    assert Order.query.count() == 6
