"""Plain factory functions for tests, built on the services and the recorded WooCommerce payloads."""
import copy
import itertools
import json
import uuid
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path

from crisisdesk.demo.payloads import order_payload, review_payload, wc_time
from crisisdesk.domain.actor import CLI, Actor
from crisisdesk.integrations.webhook_signing import sign
from crisisdesk.models import Case
from crisisdesk.services import ingest, shops, users
from crisisdesk.services import woo as woo_service

RECORDED = Path(__file__).parent / "fixtures" / "woocommerce"
_sequence = itertools.count(1)
_secrets = {}


def recorded(name):
    """A payload recorded from a real WooCommerce shop (tests/fixtures/woocommerce/NAME.json)."""
    return copy.deepcopy(json.loads((RECORDED / f"{name}.json").read_text()))


def make_shop(name="Test shop", url="https://shop.example", **settings):
    shop, secret = shops.create_shop(name, url, CLI)
    for key, value in settings.items():
        setattr(shop, key, value)
    from crisisdesk.extensions import db

    db.session.commit()
    _secrets[shop.id] = secret
    return shop


def secret_of(shop):
    """The shared secret a test shop was created with."""
    return _secrets[shop.id]


def make_user(email, role, shops=(), password="correct horse battery staple", name=""):
    return users.create_user(email, role, password, CLI, shop_ids=[s.id for s in shops], name=name)


def event_body(event_type, data, occurred_at=None):
    occurred_at = occurred_at or datetime.now(timezone.utc)
    return json.dumps({"type": event_type, "occurred_at": wc_time(occurred_at) + "Z", "data": data}).encode()


def order(order_id=None, email="grace@example.com", items=None, created_at=None, **kwargs):
    """An order resource in WooCommerce's shape; items are (line_id, product_id, name, qty, price)."""
    order_id = order_id or 1000 + next(_sequence)
    created_at = created_at or datetime(2026, 11, 1, 10, 0, tzinfo=timezone.utc)
    items = items or [(order_id * 10, 10, "Lab Gadget", 1, 25.0)]
    return order_payload(order_id, email, "Grace", "Hopper", items, created_at, **kwargs)


def review(review_id=None, product_id=10, rating=1, text="Arrived broken.", email="grace@example.com",
           created_at=None, **kwargs):
    review_id = review_id or 500 + next(_sequence)
    created_at = created_at or datetime(2026, 11, 20, 10, 0, tzinfo=timezone.utc)
    return review_payload(review_id, product_id, "Lab Gadget", "Grace Hopper", email, text, rating, created_at,
                          **kwargs)


def deliver(shop, event_type, data, occurred_at=None):
    """Store and apply one event through the services (no HTTP); returns the event id."""
    body = event_body(event_type, data, occurred_at)
    receipt = ingest.receive_event(shop.id, sign(secret_of(shop), f"msg_{uuid.uuid4().hex}", body), body,
                                   max_bytes=1024 * 1024)
    ingest.apply_event(receipt.event_id)
    return receipt.event_id


class EventSender:
    """Posts signed events to the API with the Flask test client, as the bridge would."""

    def __init__(self, client):
        self.client = client

    def post(self, shop, body, msg_id=None, secret=None, timestamp=None, headers=None, shop_id=None):
        if isinstance(body, dict):
            body = json.dumps(body).encode()
        signed = sign(secret or secret_of(shop), msg_id or f"msg_{uuid.uuid4().hex}", body, timestamp=timestamp)
        return self.client.post(f"/api/v1/shops/{shop_id or shop.id}/events", data=body,
                                headers={**signed, "Content-Type": "application/json", **(headers or {})})

    def send(self, shop, event_type, data, occurred_at=None, **kwargs):
        return self.post(shop, event_body(event_type, data, occurred_at), **kwargs)


class SignedCaller:
    """Signs and sends the bridge's calls other than events (ping, summary, backfill, privacy) with the test client."""

    def __init__(self, client):
        self.client = client

    def call(self, method, shop, path, body=b"", msg_id=None, secret=None, timestamp=None, shop_id=None,
             headers=None):
        if isinstance(body, (dict, list)):
            body = json.dumps(body).encode()
        signed = sign(secret or secret_of(shop), msg_id or f"msg_{uuid.uuid4().hex}", body, timestamp=timestamp)
        content_type = {"Content-Type": "application/json"} if body else {}
        return self.client.open(f"/api/v1/shops/{shop_id or shop.id}/{path}", method=method, data=body,
                                headers={**signed, **content_type, **(headers or {})})

    def post(self, shop, path, body=b"", **kwargs):
        return self.call("POST", shop, path, body, **kwargs)

    def get(self, shop, path, **kwargs):
        """A GET signed over the empty body, as the widget sends it."""
        return self.call("GET", shop, path, b"", **kwargs)


@contextmanager
def redis_unreachable(app):
    """While inside, the app's Redis client points at a closed port: every command fails for real."""
    from redis import Redis
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    working = app.extensions["crisisdesk_redis"]
    dead = Redis(host="127.0.0.1", port=1, socket_connect_timeout=1, socket_timeout=1, retry=Retry(NoBackoff(), 0))
    app.extensions["crisisdesk_redis"] = dead
    try:
        yield
    finally:
        app.extensions["crisisdesk_redis"] = working
        dead.close()


def hours_ago(hours, now=None):
    return (now or datetime.now(timezone.utc)) - timedelta(hours=hours)


def case_on_woo_order(shop, owner, woo):
    """A case on an 80.00 order of the WooCommerce stand-in `woo`, with the shop's keys pointing at the stand-in's
    URL (a proxy's, in tests/faults): (the case, the order as the stand-in holds it)."""
    woo_service.save_keys(owner, shop.id, woo.consumer_key, woo.consumer_secret, Actor("owner", owner.id),
                          rest_url=woo.url)
    order = woo.add_order(total="80.00", email="grace@example.com",
                          date_created=datetime(2026, 11, 1, tzinfo=timezone.utc))
    deliver(shop, "order.created", order)
    deliver(shop, "review.created", review(rating=2, email="grace@example.com"))
    return Case.query.one(), order
