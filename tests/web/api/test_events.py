"""The Event API of SPEC section 6: `POST /api/v1/shops/<shop_id>/events`, every answer it can give.

Requests are signed for real (Standard Webhooks) and land in the real database; where a
test needs Redis to be down it swaps in a client for a closed port, which fails for real.
"""
import io
import json
import time
import uuid

import pytest
from redis import Redis
from redis.backoff import NoBackoff
from redis.retry import Retry
from sqlalchemy import text

from crisisdesk.domain.actor import CLI
from crisisdesk.extensions import db
from crisisdesk.integrations.webhook_signing import sign
from crisisdesk.jobs import EVENTS_QUEUE, PERIODIC_QUEUE, queue
from crisisdesk.models import Case, InboundEvent, Review
from crisisdesk.services import shops
from tests import factories
from tests.web.api.answers import assert_error

MIB = 1024 * 1024


# --- helpers ----------------------------------------------------------------------------------------------

def events_url(shop_id):
    return f"/api/v1/shops/{shop_id}/events"


def review_body(**review):
    return factories.event_body("review.created", factories.review(**review))


def signed_headers(shop, body, msg_id=None, secret=None, timestamp=None):
    return sign(secret or factories.secret_of(shop), msg_id or f"msg_{uuid.uuid4().hex}", body, timestamp=timestamp)


def post_raw(app, shop_id, body, headers, **kwargs):
    """POST exactly these bytes and headers (no signing added), as any HTTP client could."""
    return app.test_client().post(events_url(shop_id), data=body,
                                  headers={"Content-Type": "application/json", **headers}, **kwargs)


def stored_events():
    """Committed inbound events, read on a separate connection: what survives a crash right now."""
    with db.engine.connect() as connection:
        return connection.execute(text("SELECT id, webhook_id, type, body, processed_at FROM inbound_events "
                                       "ORDER BY id")).all()


def sized_body(size):
    """A valid review event padded with an unknown field to exactly `size` bytes."""
    base = json.loads(review_body())
    base["padding"] = ""
    missing = size - len(json.dumps(base).encode())
    assert missing >= 0
    base["padding"] = "x" * missing
    body = json.dumps(base).encode()
    assert len(body) == size
    return body


def unreachable_redis():
    """A real Redis client for a port nobody listens on; every command fails with ConnectionError."""
    return Redis(host="127.0.0.1", port=1, socket_connect_timeout=1, socket_timeout=1,
                 retry=Retry(NoBackoff(), 0))


def each(cases, check):
    """Run `check(*case)` for every case in one app (cheaper than a parametrised test each); report all misses."""
    misses = []
    for case in cases:
        try:
            check(*case)
        except AssertionError as error:
            misses.append(f"{case!r}: {error}")
    assert not misses, "\n".join(misses)


def with_redis_down(app, action):
    """Run `action()` while the app's Redis client points at a closed port, then put the real one back."""
    working, dead = app.extensions["crisisdesk_redis"], unreachable_redis()
    app.extensions["crisisdesk_redis"] = dead
    try:
        return action()
    finally:
        app.extensions["crisisdesk_redis"] = working
        dead.close()


# --- 202 accepted / 200 already received ------------------------------------------------------------------

def test_it_accepts_a_new_signed_event_with_202_stores_it_and_queues_its_job(app, api, shop_a, frozen_clock):
    response = api.post(shop_a, review_body(), msg_id="msg_first")

    assert response.status_code == 202, response.get_data(as_text=True)
    answer = response.get_json()
    assert answer["status"] == "accepted"
    rows = stored_events()
    assert [(r.id, r.webhook_id, r.type, r.processed_at) for r in rows] == [
        (answer["event_id"], "msg_first", "review.created", None)]
    assert queue(EVENTS_QUEUE, app).get_job_ids() == [f"apply-event-{answer['event_id']}"]
    assert Review.query.count() == 0  # applying is the job's work, not the request's
    db.session.refresh(shop_a)
    assert shop_a.last_event_at == frozen_clock.now


def test_it_answers_200_already_received_for_a_repeated_webhook_id_of_the_same_shop(app, api, shop_a, shop_b):
    body = review_body()
    first = api.post(shop_a, body, msg_id="msg_again")
    second = api.post(shop_a, body, msg_id="msg_again")
    other_shop = api.post(shop_b, body, msg_id="msg_again")

    assert (first.status_code, second.status_code, other_shop.status_code) == (202, 200, 202)
    assert second.get_json() == {"status": "already_received", "event_id": first.get_json()["event_id"]}
    assert [r.webhook_id for r in stored_events()] == ["msg_again", "msg_again"]  # one per shop
    assert queue(EVENTS_QUEUE, app).count == 2  # no job for the repeat


def test_it_answers_200_already_received_for_a_repeat_whose_body_no_longer_parses(app, api, shop_a):
    first = api.post(shop_a, review_body(), msg_id="msg_changed")
    repeat = api.post(shop_a, b'{"type": "review.created"}', msg_id="msg_changed")

    assert (first.status_code, repeat.status_code) == (202, 200)
    assert repeat.get_json() == {"status": "already_received", "event_id": first.get_json()["event_id"]}
    assert len(stored_events()) == 1


def test_it_moves_the_shops_last_event_time_at_most_once_a_minute(app, api, shop_a, frozen_clock):
    first_at = frozen_clock.now

    def last_event_after_one_more():
        assert api.post(shop_a, review_body()).status_code == 202
        db.session.expire_all()
        return db.session.get(type(shop_a), shop_a.id).last_event_at

    assert last_event_after_one_more() == first_at
    frozen_clock.advance(seconds=59)
    assert last_event_after_one_more() == first_at  # a busy shop's row is not written with every event
    assert last_event_after_one_more() == first_at
    frozen_clock.advance(seconds=1)
    assert last_event_after_one_more() == frozen_clock.now
    assert len(stored_events()) == 4


def test_it_keeps_unknown_extra_fields_in_the_stored_raw_body(app, api, shop_a):
    data = factories.review()
    data["x_bridge_note"] = {"plugin": "crisisdesk-bridge", "hpos": True}
    document = {"type": "review.created", "occurred_at": "2026-11-22T10:00:00Z", "data": data,
                "bridge_version": "1.4.2"}
    body = json.dumps(document, ensure_ascii=False).encode()

    response = api.post(shop_a, body)

    assert response.status_code == 202, response.get_data(as_text=True)
    stored = stored_events()[0].body
    assert stored.encode() == body  # byte for byte
    assert json.loads(stored)["bridge_version"] == "1.4.2"
    assert json.loads(stored)["data"]["x_bridge_note"] == {"plugin": "crisisdesk-bridge", "hpos": True}


def test_it_accepts_the_recorded_woocommerce_payloads_for_every_event_type(app, api, shop_a):
    cases = [(event_type, name) for name in ("order_created", "order_completed", "order_after_refund")
             for event_type in ("order.created", "order.updated", "order.refunded")]
    cases += [(event_type, "review") for event_type in ("review.created", "review.updated", "review.status_changed")]

    def check(event_type, name):
        response = api.send(shop_a, event_type, factories.recorded(name))
        assert response.status_code == 202, response.get_data(as_text=True)

    each(cases, check)
    assert len(stored_events()) == len(cases)


# --- durability: the row is committed before the 2xx, even with Redis down --------------------------------

def test_it_stores_the_event_before_answering_while_redis_is_down_and_the_sweeper_applies_it_later(
        app, api, shop_a, run_jobs, frozen_clock):
    body = review_body(rating=1)
    response = with_redis_down(app, lambda: api.post(shop_a, body, msg_id="msg_redis_down"))
    repeat = with_redis_down(app, lambda: api.post(shop_a, body, msg_id="msg_redis_down"))

    assert response.status_code == 202, response.get_data(as_text=True)
    event_id = response.get_json()["event_id"]
    assert [(r.id, r.webhook_id) for r in stored_events()] == [(event_id, "msg_redis_down")]
    assert (repeat.status_code, repeat.get_json()["event_id"]) == (200, event_id)
    assert queue(EVENTS_QUEUE, app).count == 0  # the job really was not queued

    frozen_clock.advance(minutes=2)
    queue(PERIODIC_QUEUE, app).enqueue("crisisdesk.jobs.ingest.sweep_pending_events")
    run_jobs()

    assert db.session.get(InboundEvent, event_id).outcome == "applied"
    assert (Review.query.count(), Case.query.count()) == (1, 1)


# --- 400: the body is not the documented JSON ---------------------------------------------------------------

def test_it_answers_400_naming_the_body_or_envelope_field_that_is_wrong(app, api, shop_a):
    def check(change, field):
        if isinstance(change, bytes):
            body = change
        else:
            document = json.loads(review_body())
            for key, value in change.items():
                if value is ...:
                    del document[key]
                else:
                    document[key] = value
            body = json.dumps(document).encode()
        assert_error(api.post(shop_a, body), 400, field)

    each([
        (b"{not json", "body"),
        (b"", "body"),
        (b'["review.created"]', "body"),
        (b"null", "body"),
        ({"type": ...}, "type"),
        ({"occurred_at": ...}, "occurred_at"),
        ({"data": ...}, "data"),
        ({"data": [factories.review()]}, "data"),
        ({"data": "review"}, "data"),
        ({"type": "order.deleted"}, "type"),
        ({"type": "REVIEW.CREATED"}, "type"),
        ({"type": 7}, "type"),
        ({"occurred_at": "yesterday"}, "occurred_at"),
        ({"occurred_at": "2026-11-22"}, "occurred_at"),
        ({"occurred_at": 1763805600}, "occurred_at"),
        ({"occurred_at": ""}, "occurred_at"),
    ], check)
    assert stored_events() == []


def test_it_answers_400_naming_a_bad_review_field(app, api, shop_a):
    def check(key, value, field):
        data = factories.review()
        if value is ...:
            del data[key]
        else:
            data[key] = value
        assert_error(api.send(shop_a, "review.created", data), 400, field)

    each([
        ("rating", 9, "data.rating"),
        ("rating", -1, "data.rating"),
        ("rating", "5", "data.rating"),
        ("rating", True, "data.rating"),
        ("rating", ..., "data.rating"),
        ("id", ..., "data.id"),
        ("id", 0, "data.id"),
        ("id", "five", "data.id"),
        ("id", 2 ** 40, "data.id"),  # fits no id column: refused now rather than failing in every retry
        ("product_id", ..., "data.product_id"),
        ("status", "deleted", "data.status"),
        ("status", ..., "data.status"),
        ("review", ..., "data.review"),
        ("reviewer_email", 42, "data.reviewer_email"),
        ("date_created_gmt", "last week", "data.date_created_gmt"),
        ("meta_data", [{"key": "_review_order_id", "value": "abc"}], "data.meta_data"),
        ("meta_data", [{"key": "_review_order_id", "value": str(2 ** 40)}], "data.meta_data"),
    ], check)
    assert stored_events() == []


def test_it_answers_400_naming_a_bad_field_in_a_recorded_order(app, api, shop_a):
    def check(path, value, field):
        data = factories.recorded("order_created")
        target = data
        for step in path[:-1]:
            target = target[step]
        if value is ...:
            del target[path[-1]]
        else:
            target[path[-1]] = value
        assert_error(api.send(shop_a, "order.created", data), 400, field)

    each([
        (("id",), ..., "data.id"),
        (("status",), "", "data.status"),
        (("total",), "lots", "data.total"),
        (("total",), "1e12", "data.total"),
        (("billing",), "grace@example.com", "data.billing"),
        (("billing", "email"), ["grace@example.com"], "data.billing.email"),
        (("line_items",), {"id": 1}, "data.line_items"),
        (("line_items", 0, "id"), ..., "data.line_items[0].id"),
        (("line_items", 0, "quantity"), "three", "data.line_items[0].quantity"),
        (("line_items", 0, "product_id"), 2 ** 40, "data.line_items[0].product_id"),
        (("refunds",), [{"id": 13, "total": "ten"}], "data.refunds[0].total"),
        (("date_modified_gmt",), "2026-13-45", "data.date_modified_gmt"),
    ], check)
    assert stored_events() == []


def test_it_accepts_a_corrected_event_under_the_webhook_id_that_was_refused(app, api, shop_a):
    bad = factories.review(rating=9)
    good = dict(bad, rating=1)

    assert api.send(shop_a, "review.created", bad, msg_id="msg_fixme").status_code == 400
    assert api.send(shop_a, "review.created", good, msg_id="msg_fixme").status_code == 202


# --- 401: signature ---------------------------------------------------------------------------------------

def test_it_answers_401_when_signature_headers_are_missing(app, shop_a):
    body = review_body()

    def check(*missing):
        headers = signed_headers(shop_a, body)
        for name in missing:
            del headers[name]
        answer = assert_error(post_raw(app, shop_a.id, body, headers), 401)
        assert missing[0] in answer["error"]

    each([("webhook-id",), ("webhook-timestamp",), ("webhook-signature",),
          ("webhook-id", "webhook-timestamp", "webhook-signature")], check)
    assert stored_events() == []


def test_it_answers_401_when_the_body_id_or_timestamp_was_changed_after_signing(app, shop_a):
    body = review_body(rating=5, text="Lovely, thank you.")
    headers = signed_headers(shop_a, body, msg_id="msg_original")
    tampered = body.replace(b'"rating": 5', b'"rating": 1')
    assert tampered != body
    moved = str(int(headers["webhook-timestamp"]) - 1)

    each([(tampered, headers), (body + b" ", headers), (body, {**headers, "webhook-id": "msg_replayed"}),
          (body, {**headers, "webhook-timestamp": moved})],
         lambda sent, sent_headers: assert_error(post_raw(app, shop_a.id, sent, sent_headers), 401))
    assert stored_events() == []
    assert post_raw(app, shop_a.id, body, headers).status_code == 202  # the untouched request is fine


def test_it_answers_401_for_a_signature_made_with_another_shops_secret_or_an_unknown_one(app, api, shop_a,
                                                                                       shop_b):
    from crisisdesk.models import new_shared_secret

    assert_error(api.post(shop_a, review_body(), secret=factories.secret_of(shop_b)), 401)
    assert_error(api.post(shop_a, review_body(), secret=new_shared_secret()), 401)
    # The signature is checked first: a stranger learns nothing from a body the service would refuse.
    assert_error(api.post(shop_a, b"{not json", secret=factories.secret_of(shop_b)), 401)
    assert stored_events() == []


def test_it_answers_401_for_a_malformed_signature_header(app, shop_a):
    body = review_body()
    headers = signed_headers(shop_a, body)
    valid_mac = headers["webhook-signature"].split(",", 1)[1]

    def check(signature):
        assert_error(post_raw(app, shop_a.id, body, {**headers, "webhook-signature": signature}), 401)

    each([("just-some-text",), ("v1",), ("v1,",), ("v1,abc",), ("v1,!!!not base64!!!",), ("v1,a,b",),
          (valid_mac,), (f"v2,{valid_mac}",)], check)
    assert stored_events() == []


def test_it_accepts_a_signature_list_that_contains_the_right_signature(app, shop_a, shop_b):
    body = review_body()
    msg_id, stamp = "msg_list", int(time.time())
    ours = signed_headers(shop_a, body, msg_id=msg_id, timestamp=stamp)["webhook-signature"]
    theirs = signed_headers(shop_b, body, msg_id=msg_id, timestamp=stamp)["webhook-signature"]
    headers = {"webhook-id": msg_id, "webhook-timestamp": str(stamp), "webhook-signature": f"{theirs} {ours}"}

    assert post_raw(app, shop_a.id, body, headers).status_code == 202


def test_it_answers_401_for_a_timestamp_outside_five_minutes_and_accepts_one_inside(app, api, shop_a):
    def refused(offset):
        answer = assert_error(api.post(shop_a, review_body(), timestamp=int(time.time()) + offset), 401)
        assert "5 minutes" in answer["error"]

    def accepted(offset):
        response = api.post(shop_a, review_body(), timestamp=int(time.time()) + offset)
        assert response.status_code == 202, response.get_data(as_text=True)

    each([(-6 * 60,), (-86400,), (6 * 60,), (86400,)], refused)  # replayed, or a clock far ahead
    assert stored_events() == []
    each([(-4 * 60,), (4 * 60,)], accepted)
    assert len(stored_events()) == 2


def test_it_answers_401_for_a_timestamp_that_is_not_unix_seconds(app, shop_a):
    body = review_body()
    headers = signed_headers(shop_a, body)

    each([("yesterday",), ("1.7e9",), ("2026-11-22T10:00:00Z",)],
         lambda stamp: assert_error(post_raw(app, shop_a.id, body, {**headers, "webhook-timestamp": stamp}), 401))


# --- 401/202: secret rotation -----------------------------------------------------------------------------

def test_it_accepts_a_retired_secret_during_its_grace_and_refuses_it_after(app, api, shop_a, owner):
    first = factories.secret_of(shop_a)
    second = shops.rotate_secret(owner, shop_a.id, CLI, grace_hours=72)
    third = shops.rotate_secret(owner, shop_a.id, CLI, grace_hours=0)

    assert api.post(shop_a, review_body(), secret=first).status_code == 202  # 72 h of grace left
    assert_error(api.post(shop_a, review_body(), secret=second), 401)  # its grace (0 h) is over
    assert api.post(shop_a, review_body(), secret=third).status_code == 202  # the current secret


def test_it_verifies_the_old_secret_until_exactly_the_grace_hours_have_passed(app, shop_a, owner, frozen_clock):
    from crisisdesk.domain.errors import Unauthorized
    from crisisdesk.services import ingest

    old = factories.secret_of(shop_a)
    new = shops.rotate_secret(owner, shop_a.id, CLI, grace_hours=72)

    def receive(secret):
        body = review_body()
        return ingest.receive_event(shop_a.id, signed_headers(shop_a, body, secret=secret), body, MIB)

    frozen_clock.advance(hours=71, minutes=59)
    assert receive(old).duplicate is False
    frozen_clock.advance(minutes=1)
    with pytest.raises(Unauthorized):
        receive(old)
    assert receive(new).duplicate is False


# --- 404 ------------------------------------------------------------------------------------------------

def test_it_answers_404_for_an_unknown_shop(app, api, shop_a):
    body = review_body()

    assert_error(api.post(shop_a, body, shop_id=shop_a.id + 1000), 404)
    assert_error(post_raw(app, "not-a-number", body, signed_headers(shop_a, body)), 404)
    assert stored_events() == []


# --- 413 ------------------------------------------------------------------------------------------------

def test_it_answers_413_for_a_body_over_one_mebibyte_and_accepts_exactly_one(app, api, shop_a):
    small = review_body()

    assert_error(api.post(shop_a, sized_body(MIB + 1)), 413)
    # A declared length over the limit is refused before the body is read (or trusted).
    assert_error(post_raw(app, shop_a.id, None, signed_headers(shop_a, small), input_stream=io.BytesIO(small),
                          environ_overrides={"CONTENT_LENGTH": str(MIB + 1)}), 413)
    assert stored_events() == []
    assert api.post(shop_a, sized_body(MIB)).status_code == 202


def test_it_answers_413_for_a_chunked_body_over_one_mebibyte_and_accepts_a_small_one(app, shop_a):
    def post_chunked(body):
        # No Content-Length: the server streams the body in, as gunicorn does for chunked requests.
        headers = {**signed_headers(shop_a, body), "Transfer-Encoding": "chunked"}
        return post_raw(app, shop_a.id, None, headers, input_stream=io.BytesIO(body),
                        environ_overrides={"wsgi.input_terminated": True})

    big = post_chunked(sized_body(MIB + 4096))
    assert big.request.content_length is None
    assert_error(big, 413)
    assert stored_events() == []

    small = review_body()
    assert post_chunked(small).status_code == 202
    assert stored_events()[0].body.encode() == small
