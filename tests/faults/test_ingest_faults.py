"""Ingest while the database or Redis is cut: a clear 503 where the service cannot answer, nothing lost,
nothing stored or applied twice once the part is back.

The bridge sends each event until it gets a 2xx, under the same webhook-id (with a new signature), so a
503 is only a delay; the tests send what the bridge would send again.
"""
import threading
from datetime import datetime, timedelta, timezone

from crisisdesk.domain.actor import Actor
from crisisdesk.extensions import db
from crisisdesk.jobs import EVENTS_QUEUE, apply_job_id, backfill_job_waiting, queue
from crisisdesk.jobs.schedule import PERIODIC_JOBS, enqueue_due
from crisisdesk.models import Case, InboundEvent, Review
from crisisdesk.services import woo as woo_service
from crisisdesk.web.errors import DATABASE_DOWN, RETRY_AFTER_SECONDS
from tests import factories
from tests.outbox_helpers import release_scheduled, scheduled_jobs

SWEEP = [job for job in PERIODIC_JOBS if job.name == "sweep-pending-events"]
LEAKS = ("psycopg", "sqlite", "OperationalError", "Traceback", "127.0.0.1")


def bad_review(review_id):
    return factories.event_body("review.created", factories.review(review_id=review_id, rating=1))


def assert_unavailable(response, message):
    """503, JSON, the reason and when to come back; nothing about the database's kind, address or code."""
    assert response.status_code == 503, response.get_data(as_text=True)
    assert response.is_json and response.get_json() == {"error": message}
    assert response.headers["Retry-After"] == str(RETRY_AFTER_SECONDS)
    text = response.get_data(as_text=True)
    assert not any(part in text for part in LEAKS), text


def stored():
    """(webhook-id, outcome) of every stored event, oldest first."""
    db.session.expire_all()
    return [(e.webhook_id, e.outcome) for e in InboundEvent.query.order_by(InboundEvent.id)]


# --- the database --------------------------------------------------------------------------------------------

def test_events_posted_while_the_database_is_cut_get_503_and_are_stored_once_when_sent_again(
        app, api, shop_a, database_outage, run_jobs):
    deliveries = [("msg_first", bad_review(9001)), ("msg_second", bad_review(9002))]
    bridge = {"shop_id": shop_a.id, "secret": factories.secret_of(shop_a)}  # what the bridge knows: no database
    database_outage.cut()
    for webhook_id, body in deliveries:
        assert_unavailable(api.post(None, body, msg_id=webhook_id, **bridge), DATABASE_DOWN)

    database_outage.restore()  # the service reconnects by itself: no restart
    answers = [api.post(None, body, msg_id=webhook_id, **bridge) for webhook_id, body in deliveries]
    assert [a.status_code for a in answers] == [202, 202]
    assert api.post(None, deliveries[0][1], msg_id="msg_first", **bridge).status_code == 200  # a retry in doubt
    run_jobs()

    assert stored() == [("msg_first", "applied"), ("msg_second", "applied")]
    assert (Review.query.count(), Case.query.count()) == (2, 2)


def test_an_event_posted_while_the_database_hangs_gets_503_once_the_connect_wait_is_over_not_a_hung_worker(
        app, api, shop_a, database_outage, run_jobs):
    bridge = {"shop_id": shop_a.id, "secret": factories.secret_of(shop_a)}
    database_outage.hang()
    answers = []
    sender = threading.Thread(target=lambda: answers.append(api.post(None, bad_review(9005), msg_id="msg_hung",
                                                                     **bridge)))
    sender.start()
    sender.join(timeout=60)  # a guard so a regression fails here instead of hanging the suite
    assert not sender.is_alive(), "the request still waits for a database that does not answer"
    assert_unavailable(answers[0], DATABASE_DOWN)

    database_outage.restore()
    assert api.post(None, bad_review(9005), msg_id="msg_hung", **bridge).status_code == 202
    run_jobs()
    assert stored() == [("msg_hung", "applied")]


def test_a_panel_form_sent_while_the_database_is_cut_gets_a_503_page_in_the_users_language(
        app, client, agent, shop_a, database_outage):
    case = _case(shop_a)
    client.login(agent)
    case_id, page = case.id, f"/cases/{case.id}"
    token = client.csrf_token(page)
    note = {"csrf_token": token, "text": "Phoned Grace; a new kettle ships today."}

    database_outage.cut()
    response = client.post(f"{page}/notes", data=note, headers={"Accept-Language": "pl"})
    assert response.status_code == 503 and response.mimetype == "text/html"
    assert response.headers["Retry-After"] == str(RETRY_AFTER_SECONDS)
    html = response.get_data(as_text=True)
    assert "Chwilowo niedostępne" in html and "baza danych" in html
    assert not any(part in html for part in LEAKS)

    database_outage.restore()
    assert client.post(f"{page}/notes", data=note).status_code == 302  # the same form, sent again
    assert [e.message for e in _events(case_id) if e.kind == "note"] == ["Phoned Grace; a new kettle ships today."]


def test_apply_jobs_that_meet_a_cut_database_are_retried_and_apply_each_event_once(
        app, api, shop_a, database_outage, run_jobs):
    ids = [api.post(shop_a, bad_review(9010 + n)).get_json()["event_id"] for n in range(2)]
    database_outage.cut()
    run_jobs()  # both jobs fail on the database ...

    retries = scheduled_jobs(app)
    assert set(retries) == {apply_job_id(i) for i in ids}  # ... and wait for RQ's retry: the worker lost nothing

    database_outage.restore()
    release_scheduled(app, max(retries.values()))
    run_jobs()
    assert [outcome for _, outcome in stored()] == ["applied", "applied"]
    assert (Review.query.count(), Case.query.count()) == (2, 2)
    assert queue(EVENTS_QUEUE, app).count == 0 and scheduled_jobs(app) == {}


# --- Redis ---------------------------------------------------------------------------------------------------

def test_events_posted_while_redis_is_cut_are_stored_and_applied_once_when_it_is_back(
        app, api, bridge, shop_a, redis_proxy, run_jobs, frozen_clock):
    before = api.post(shop_a, bad_review(9020), msg_id="msg_queued")  # its job is in Redis when Redis goes
    assert before.status_code == 202
    redis_proxy.cut()

    during = api.post(shop_a, bad_review(9021), msg_id="msg_during_cut")
    assert during.status_code == 202, during.get_data(as_text=True)  # stored: the answer does not need Redis
    assert api.post(shop_a, bad_review(9021), msg_id="msg_during_cut").status_code == 200
    assert_unavailable(bridge.post(shop_a, "ping", {}), "the service cannot check this call for replays right "
                                                        "now; try again shortly")
    ready = app.test_client().get("/readyz")
    assert ready.status_code == 503 and not ready.get_json()["checks"]["redis"]["ok"]

    redis_proxy.restore()  # the client reconnects by itself
    assert app.test_client().get("/readyz").get_json()["checks"]["redis"]["ok"]
    assert bridge.post(shop_a, "ping", {}).status_code == 200
    frozen_clock.advance(minutes=2)  # past the sweeper's grace: the job of the event stored during the cut is lost
    assert enqueue_due(app, now=_minute_start(), jobs=SWEEP) == ["sweep-pending-events"]
    run_jobs()

    assert stored() == [("msg_queued", "applied"), ("msg_during_cut", "applied")]
    assert (Review.query.count(), Case.query.count()) == (2, 2)
    assert enqueue_due(app, now=_minute_start() + 60, jobs=SWEEP) == ["sweep-pending-events"]
    run_jobs()
    assert queue(EVENTS_QUEUE, app).count == 0  # the sweep found nothing more to do


def test_a_panel_action_that_needs_redis_while_it_is_cut_gets_a_503_page_not_a_500(
        app, client, owner, shop_a, redis_proxy):
    woo_service.save_keys(owner, shop_a.id, "ck_" + "1" * 40, "cs_" + "2" * 40, Actor("owner", owner.id),
                          rest_url="http://127.0.0.1:9")  # never called: the backfill only gets queued
    client.login(owner)
    token = client.csrf_token(f"/shops/{shop_a.id}/settings")
    redis_proxy.cut()

    response = client.post(f"/shops/{shop_a.id}/backfill", data={"csrf_token": token})
    assert response.status_code == 503 and response.headers["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert "Redis" in response.get_data(as_text=True)

    redis_proxy.restore()
    assert client.post(f"/shops/{shop_a.id}/backfill", data={"csrf_token": token}).status_code == 302
    assert backfill_job_waiting(shop_a.id)


# --- helpers -------------------------------------------------------------------------------------------------

def _case(shop):
    factories.deliver(shop, "review.created", factories.review(rating=1))
    return Case.query.filter_by(shop_id=shop.id).one()


def _events(case_id):
    db.session.expire_all()
    return db.session.get(Case, case_id).events


def _minute_start():
    now = datetime.now(timezone.utc).replace(second=0, microsecond=0)
    return (now + timedelta(minutes=1)).timestamp()
