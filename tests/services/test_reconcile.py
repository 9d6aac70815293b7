"""Reconciliation against the WooCommerce stand-in (real HTTP): what events missed is read again and applied."""
from datetime import timedelta

import pytest

from crisisdesk import clock
from crisisdesk.domain.errors import Conflict
from crisisdesk.extensions import db
from crisisdesk.integrations.woocommerce_api import WooError
from crisisdesk.models import Case, Order, Review, Shop
from crisisdesk.services import backfill, reconcile as service
from tests import factories
from tests.wc_history import BROKEN, add_history, connect
from tests.wc_standin.fixtures import woo  # noqa: F401  (the WooCommerce stand-in fixture)


@pytest.fixture
def synced(app, shop_a, owner, woo):  # noqa: F811
    """Shop A with its history imported; its watermarks an hour ago, as after an earlier pass."""
    connect(shop_a, owner, woo)
    history = add_history(woo)
    backfill.backfill(shop_a.id, per_page=2)
    shop_a.orders_synced_at = shop_a.reviews_synced_at = clock.utcnow() - timedelta(hours=1)
    db.session.commit()
    return shop_a, history


def reload(shop):
    db.session.expire_all()
    return db.session.get(Shop, shop.id)


def test_it_picks_up_an_order_changed_after_the_watermark_and_leaves_older_ones(synced, woo):  # noqa: F811
    shop, history = synced
    watermark = shop.orders_synced_at
    changed = history.orders[2]
    woo.store.update_order(changed["id"], {"status": "refunded"})  # the event for this never came
    # An order WooCommerce holds that was last modified before the watermark: not this pass's business.
    unseen = woo.add_order(email="old@example.com", date_created=watermark - timedelta(days=2))
    requests_before = len(woo.requests)

    before = clock.utcnow()
    result = service.reconcile(shop.id)
    after = clock.utcnow()

    assert (result.orders, result.reviews, result.cases_opened) == (1, 0, 0)
    assert Order.query.filter_by(remote_id=changed["id"]).one().status == "refunded"
    assert Order.query.filter_by(remote_id=unseen["id"]).count() == 0
    asked = [r.params for r in woo.requests[requests_before:] if r.path.endswith("/orders")]
    assert asked == [{"page": "1", "per_page": "50", "order": "asc", "orderby": "id", "dates_are_gmt": "true",
                      "modified_after": (watermark - service.OVERLAP).strftime("%Y-%m-%dT%H:%M:%S")}]
    # The next watermark is this pass's start, not the newest date WooCommerce showed.
    now_synced = reload(shop)
    assert before <= now_synced.orders_synced_at <= after
    assert now_synced.reviews_synced_at == now_synced.orders_synced_at == result.synced_at


def test_it_opens_a_case_for_a_new_negative_review_it_missed(synced, woo):  # noqa: F811
    shop, history = synced
    missed = woo.add_review(rating=1, review=BROKEN, reviewer_email="buyer4@example.com",
                            date_created=clock.utcnow() - timedelta(minutes=10))
    older = woo.add_review(rating=1, review=BROKEN, reviewer_email="buyer0@example.com",
                           date_created=shop.reviews_synced_at - timedelta(days=3))

    result = service.reconcile(shop.id)

    assert (result.reviews, result.cases_opened) == (1, 1)
    case = Case.query.join(Case.review).filter(Review.remote_id == missed["id"]).one()
    assert case.order.remote_id == history.orders[4]["id"]  # linked like a live review
    # Reviews have no "modified" filter: only those created in the window are read (module doc).
    assert Review.query.filter_by(remote_id=older["id"]).count() == 0


def test_it_reads_every_page_of_a_busy_window(synced, woo):  # noqa: F811
    shop, _ = synced
    for i in range(5):
        woo.add_order(email=f"late{i}@example.com", date_created=clock.utcnow() - timedelta(minutes=30 - i))

    result = service.reconcile(shop.id, per_page=2)

    assert result.orders == 5
    assert Order.query.count() == 6 + 5


def test_it_changes_nothing_when_run_again(synced, woo):  # noqa: F811
    shop, _ = synced
    woo.add_review(rating=2, review=BROKEN, reviewer_email="buyer2@example.com",
                   date_created=clock.utcnow() - timedelta(minutes=2))
    service.reconcile(shop.id)
    counts = (Order.query.count(), Review.query.count(), Case.query.count())

    again = service.reconcile(shop.id)  # the overlap reads the last minutes again

    assert again.reviews == 1 and again.cases_opened == 0
    assert (Order.query.count(), Review.query.count(), Case.query.count()) == counts


def test_it_keeps_the_watermarks_when_woocommerce_fails(synced, woo):  # noqa: F811
    shop, _ = synced
    watermark = shop.orders_synced_at
    woo.fail_next(503, times=4, method="GET", path="/products/reviews", retry_after=0)

    with pytest.raises(WooError) as raised:
        service.reconcile(shop.id)

    assert raised.value.status == 503
    assert reload(shop).orders_synced_at == watermark  # the next pass reads the same window again


def test_it_waits_for_the_backfill(app, shop_a, owner, woo):  # noqa: F811
    connect(shop_a, owner, woo)
    with pytest.raises(Conflict):
        service.reconcile(shop_a.id)
    assert woo.requests == []


def test_it_reconciles_every_ready_shop_and_reports_the_ones_that_failed(app, shop_a, shop_b, owner, woo):  # noqa: F811
    # Shop A (first in line) has keys WooCommerce refuses; shop B is fine; shop C has no keys; shop D has
    # keys but no finished backfill.
    connect(shop_a, owner, woo, consumer_key="ck_" + "0" * 40, consumer_secret="cs_" + "0" * 40)
    connect(shop_b, owner, woo)
    backfill.backfill(shop_b.id)
    shop_c = factories.make_shop("Shop C")
    shop_d = connect(factories.make_shop("Shop D"), owner, woo)
    shop_a.backfill_state = "done"
    shop_a.orders_synced_at = shop_a.reviews_synced_at = clock.utcnow() - timedelta(hours=1)
    db.session.commit()
    woo.add_review(rating=1, review=BROKEN, date_created=clock.utcnow() - timedelta(minutes=1))

    report = service.reconcile_all()

    assert set(report.results) == {shop_b.id} and report.results[shop_b.id].cases_opened == 1
    assert list(report.failed) == [shop_a.id]
    assert "woocommerce_rest_authentication_error" in report.failed[shop_a.id]
    assert report.skipped == {shop_c.id: "no WooCommerce API keys", shop_d.id: "the backfill has not finished (never)"}
    assert reload(shop_a).orders_synced_at < reload(shop_b).orders_synced_at
    assert report.as_dict()["failed"] == {shop_a.id: report.failed[shop_a.id]}
