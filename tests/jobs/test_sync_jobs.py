"""The backfill and reconciliation jobs on the real Redis with RQ's SimpleWorker, against the WooCommerce stand-in.

The backfill job starts from the panel's button, as an owner starts it; the reconciliation from the
periodic scheduler's table.
"""
from datetime import timedelta

import pytest
from rq.job import Job, JobStatus

from crisisdesk import clock
from crisisdesk.extensions import db
from crisisdesk.jobs import DEFAULT_QUEUE, PERIODIC_QUEUE, backfill_job_id, queue
from crisisdesk.jobs.schedule import PERIODIC_JOBS, enqueue_due
from crisisdesk.jobs.sync import backfill_job
from crisisdesk.models import AuditEntry, Case, Order, Review, Shop
from tests.wc_history import BROKEN, add_history, connect
from tests.wc_standin.fixtures import woo  # noqa: F401  (the WooCommerce stand-in fixture)

FIFTEEN_MINUTES_START = 1_795_000_500  # a Unix time at the start of a 15-minute period


@pytest.fixture
def connected(app, shop_a, owner, woo):  # noqa: F811
    connect(shop_a, owner, woo)
    return add_history(woo)


def shop(shop_id):
    db.session.expire_all()
    return db.session.get(Shop, shop_id)


def press_backfill(client, shop_id, **data):
    return client.submit(f"/shops/{shop_id}/backfill", data, page=f"/shops/{shop_id}/settings")


def test_it_backfills_from_the_panels_button_in_the_worker(client, owner, shop_a, connected, run_jobs):
    client.login(owner)

    response = press_backfill(client, shop_a.id)

    assert response.status_code == 302
    assert response.headers["Location"] == f"/shops/{shop_a.id}/settings#sync"
    assert queue(DEFAULT_QUEUE).get_job_ids() == [backfill_job_id(shop_a.id)]
    assert shop(shop_a.id).backfill_state == "never"  # queued, not run yet

    run_jobs()

    done = shop(shop_a.id)
    assert (done.backfill_state, done.backfill_error) == ("done", None)
    assert (Order.query.count(), Review.query.count(), Case.query.count()) == (6, 5, 2)
    requested = AuditEntry.query.filter_by(action="shop.backfill_requested").one()
    assert (requested.actor_label, requested.shop_id) == (owner.email, shop_a.id)
    assert AuditEntry.query.filter_by(action="shop.backfill_done").one().actor_label == "worker"
    settings = client.get(f"/shops/{shop_a.id}/settings", follow_redirects=True).get_data(as_text=True)
    assert "The import of orders and reviews is queued" in settings


def test_it_starts_again_from_the_first_page_when_the_owner_ticks_restart(client, owner, shop_a, connected,
                                                                        run_jobs):
    shop_a.backfill_state, shop_a.backfill_orders_page, shop_a.backfill_reviews_page = "failed", 9, 9
    db.session.commit()
    client.login(owner)

    press_backfill(client, shop_a.id, restart="y")

    # Reset when asked, not by the job: RQ's retries repeat the job's arguments, and a retry must resume.
    assert (shop(shop_a.id).backfill_orders_page, shop(shop_a.id).backfill_reviews_page) == (1, 1)
    run_jobs()
    assert shop(shop_a.id).backfill_state == "done"
    assert (Order.query.count(), Case.query.count()) == (6, 2)


def test_it_does_not_queue_a_second_backfill_while_one_waits(client, owner, shop_a, connected):
    client.login(owner)
    press_backfill(client, shop_a.id)

    second = press_backfill(client, shop_a.id)

    assert second.status_code == 302
    page = client.get(second.headers["Location"]).get_data(as_text=True)
    assert "a backfill of this shop is already queued or running" in page
    assert queue(DEFAULT_QUEUE).count == 1
    assert AuditEntry.query.filter_by(action="shop.backfill_requested").count() == 1


def test_it_tells_the_owner_to_add_api_keys_first(client, owner, shop_a):
    client.login(owner)

    response = press_backfill(client, shop_a.id)

    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "add the shop&#39;s WooCommerce API keys first" in page
    assert queue(DEFAULT_QUEUE).count == 0


def test_it_leaves_a_failed_backfill_to_rqs_retry_which_resumes_it(client, owner, shop_a, connected,
                                                                  woo, run_jobs, redis):  # noqa: F811
    client.login(owner)
    press_backfill(client, shop_a.id)
    woo.fail_next(503, times=4, method="GET", path="/products/reviews", retry_after=0)

    run_jobs()

    failed = shop(shop_a.id)
    assert failed.backfill_state == "failed" and "HTTP 503" in failed.backfill_error
    job = Job.fetch(backfill_job_id(shop_a.id), connection=redis)
    assert job.get_status() == JobStatus.SCHEDULED  # RQ runs it again after its backoff
    # The retry itself (RQ calls the same function):
    assert backfill_job(shop_a.id)["cases_opened"] == 2
    assert shop(shop_a.id).backfill_state == "done"


def test_it_does_not_retry_what_a_retry_cannot_fix(app, client, owner, shop_a, woo, run_jobs, redis):  # noqa: F811
    connect(shop_a, owner, woo, consumer_key="ck_" + "0" * 40, consumer_secret="cs_" + "0" * 40)
    client.login(owner)
    press_backfill(client, shop_a.id)

    run_jobs()

    job = Job.fetch(backfill_job_id(shop_a.id), connection=redis)
    assert job.get_status() == JobStatus.FINISHED
    assert "woocommerce_rest_authentication_error" in job.return_value()["error"]
    assert shop(shop_a.id).backfill_state == "failed"


def test_it_reconciles_every_quarter_of_an_hour_from_the_schedule(app, shop_a, connected, woo, run_jobs):  # noqa: F811
    assert [(p.function, p.every_seconds) for p in PERIODIC_JOBS
            if p.name == "reconcile-shops"] == [("crisisdesk.jobs.sync.reconcile_all_job", 900)]
    backfill_job(shop_a.id)
    missed = woo.add_review(rating=1, review=BROKEN, reviewer_email="buyer4@example.com",
                            date_created=clock.utcnow() - timedelta(minutes=1))

    assert "reconcile-shops" in enqueue_due(app, now=FIFTEEN_MINUTES_START)
    assert "reconcile-shops" not in enqueue_due(app, now=FIFTEEN_MINUTES_START + 60)
    run_jobs()

    job = Job.fetch(f"reconcile-shops-{FIFTEEN_MINUTES_START // 900}", connection=queue(PERIODIC_QUEUE).connection)
    assert job.get_status() == JobStatus.FINISHED
    assert job.return_value()["results"][shop_a.id]["cases_opened"] == 1
    assert Case.query.join(Case.review).filter(Review.remote_id == missed["id"]).count() == 1
