"""POST /api/v1/shops/<id>/backfill: the plugin asks the service to import the shop's history (the panel's path)."""
import pytest

from crisisdesk.domain.actor import Actor
from crisisdesk.extensions import db
from crisisdesk.jobs import DEFAULT_QUEUE, queue
from crisisdesk.models import AuditEntry, Order, Review, Shop
from crisisdesk.services import sync_lock
from crisisdesk.services import woo as woo_service
from tests.wc_history import add_history, connect
from tests.wc_standin.fixtures import woo  # noqa: F401  (the WooCommerce stand-in fixture)
from tests.web.api.answers import assert_error


@pytest.fixture
def keyed(app, shop_a, owner):
    """Shop A with WooCommerce keys stored (nothing listens there: these tests only queue the job)."""
    woo_service.save_keys(owner, shop_a.id, "ck_" + "1" * 40, "cs_" + "2" * 40, Actor(label=owner.email),
                          rest_url="http://127.0.0.1:9")
    return shop_a


def queued(app):
    return queue(DEFAULT_QUEUE, app).get_job_ids()


def requests_audited():
    return [(e.actor_label, e.shop_id, e.details) for e in AuditEntry.query.filter_by(action="shop.backfill_requested")]


def test_it_queues_the_backfill_answers_202_and_audits_it_as_the_bridge(app, bridge, keyed):
    response = bridge.post(keyed, "backfill", {})

    assert response.status_code == 202, response.get_data(as_text=True)
    assert response.get_json() == {"status": "queued"}
    assert queued(app) == [f"backfill-shop-{keyed.id}"]
    assert requests_audited() == [("bridge", keyed.id, {"restart": False})]


def test_it_starts_a_failed_run_again_from_page_one_only_when_asked_to_restart(app, bridge, keyed):
    keyed.backfill_state, keyed.backfill_orders_page, keyed.backfill_reviews_page = "failed", 4, 2
    db.session.commit()

    assert bridge.post(keyed, "backfill", b"").status_code == 202  # an empty body: resume
    db.session.refresh(keyed)
    assert (keyed.backfill_orders_page, keyed.backfill_reviews_page) == (4, 2)

    queue(DEFAULT_QUEUE, app).empty()
    assert bridge.post(keyed, "backfill", {"restart": True}).status_code == 202
    db.session.refresh(keyed)
    assert (keyed.backfill_orders_page, keyed.backfill_reviews_page) == (1, 1)
    assert [details["restart"] for _, _, details in requests_audited()] == [False, True]


def test_it_answers_409_when_the_shop_has_no_woocommerce_keys(app, bridge, shop_a):
    answer = assert_error(bridge.post(shop_a, "backfill", {}), 409, "woo_key")

    assert "WooCommerce API keys" in answer["error"]
    assert queued(app) == [] and requests_audited() == []


def test_it_answers_409_when_a_backfill_is_already_queued_or_running(app, bridge, keyed):
    assert bridge.post(keyed, "backfill", {}).status_code == 202
    assert "already queued or running" in assert_error(bridge.post(keyed, "backfill", {}), 409)["error"]

    queue(DEFAULT_QUEUE, app).empty()
    with sync_lock.held("backfill", keyed.id, 60, "busy"):  # a run started from the CLI or an earlier job
        assert "already queued or running" in assert_error(bridge.post(keyed, "backfill", {}), 409)["error"]
    assert len(requests_audited()) == 1


def test_it_answers_400_naming_restart_when_it_is_not_true_or_false(app, bridge, keyed):
    for value in ("yes", 1, None, []):
        assert_error(bridge.post(keyed, "backfill", {"restart": value}), 400, "restart")
    assert queued(app) == []


def test_it_imports_the_history_when_the_queued_job_runs(app, bridge, shop_a, owner, woo, run_jobs):  # noqa: F811
    connect(shop_a, owner, woo)
    add_history(woo)

    assert bridge.post(shop_a, "backfill", {}).status_code == 202
    run_jobs()

    db.session.expire_all()
    assert db.session.get(Shop, shop_a.id).backfill_state == "done"
    assert (Order.query.count(), Review.query.count()) == (6, 5)
