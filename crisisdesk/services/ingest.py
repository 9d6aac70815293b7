"""Receive signed events from the bridge, store them durably, apply them later.

Receiving is cheap and answers fast: verify, validate, insert one row, commit.
Applying (the upserts and case rules) runs in an RQ job; `sweep_pending` finds
events whose job was lost (Redis restarted, worker killed) so none is left behind.
"""
import logging
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.exc import IntegrityError

from crisisdesk import clock
from crisisdesk.domain.errors import Invalid, TooLarge
from crisisdesk.domain.events import parse_envelope
from crisisdesk.domain.wc_payloads import OrderData
from crisisdesk.extensions import db
from crisisdesk.models import InboundEvent, Shop
from crisisdesk.services import bridge_auth, catalog, follow_up, recovery, review_cases

log = logging.getLogger(__name__)

# `shop.last_event_at` ("last event received" in the panel) moves at most once a minute: writing the shop's
# row with every event would make a busy shop's events wait on each other for its row lock (PostgreSQL).
LAST_EVENT_PRECISION = timedelta(minutes=1)


@dataclass(frozen=True)
class Receipt:
    event_id: int
    duplicate: bool


def receive_event(shop_id, headers, body, max_bytes):
    """Verify and store one delivery; a repeated `webhook-id` returns the stored event as a duplicate."""
    if len(body) > max_bytes:
        raise TooLarge(f"the body is larger than {max_bytes} bytes")
    # The shared signature check; no Redis replay guard here: the stored row makes a repeat harmless.
    call = bridge_auth.verify(shop_id, headers, body)
    shop, webhook_id = call.shop, call.webhook_id
    try:
        envelope = parse_envelope(body)
    except Invalid:
        # A repeat of a stored delivery is "already received", whatever its body says now.
        repeat = _repeat(shop_id, webhook_id)
        if repeat is None:
            raise
        return repeat
    # Stamped here, not by the column default (bound at import), so the sweeper's age check and
    # received_at read the same clock.
    now = clock.utcnow()
    event = InboundEvent(shop_id=shop_id, webhook_id=webhook_id, type=envelope.type,
                         occurred_at=envelope.occurred_at, body=body.decode("utf-8"), received_at=now)
    db.session.add(event)
    if shop.last_event_at is None or now - shop.last_event_at >= LAST_EVENT_PRECISION:
        shop.last_event_at = now
    try:
        # No look-up first: the unique (shop, webhook-id) constraint finds the rare repeat, and a new
        # event (nearly all of them) costs one INSERT.
        db.session.flush()
        event_id = event.id  # read before the commit expires it, so the stored body is not loaded back
        db.session.commit()
    except IntegrityError:
        # A repeat, or the same delivery raced us on another web worker; theirs is the stored one.
        db.session.rollback()
        repeat = _repeat(shop_id, webhook_id)
        if repeat is None:
            raise
        return repeat
    return Receipt(event_id, duplicate=False)


def apply_event(event_id):
    """Apply a stored event once: upsert its resource, then open or update the case. Idempotent."""
    event = db.session.get(InboundEvent, event_id)
    if event is None or event.processed_at is not None:
        return None
    event.attempts += 1
    try:
        envelope = parse_envelope(event.body)
    except Invalid as error:
        # Validated on receipt, so only a parser change can get here; keep the event, do not retry.
        return _finish(event, "failed", error=str(error))
    shop = db.session.get(Shop, event.shop_id)
    applied = apply_resource(shop, envelope.resource, envelope.occurred_at)
    return _finish(event, "applied" if applied else "stale")


def apply_resource(shop, resource, observed_at):
    """Upsert a parsed order or review and follow up on cases; the one path for events and the backfill.

    Returns False when we already held a newer state (nothing changed). The caller commits.
    """
    if isinstance(resource, OrderData):
        change = catalog.upsert_order(shop, resource, observed_at)
        if change.applied:
            review_cases.link_waiting_cases(shop, change.order)
            # Follow-up and recovery: a repeat order wins a customer back; a completed replacement
            # releases its case's follow-up email.
            recovery.order_changed(shop, change)
            follow_up.order_changed(shop, change)
    else:
        change = catalog.upsert_review(shop, resource, observed_at)
        if change.applied:
            review_cases.sync_case(shop, change)
            recovery.review_changed(shop, change)  # a raised rating or a new positive review wins one back
    return change.applied


MAX_SWEEP_ATTEMPTS = 10


def record_failure(event_id, error):
    """Keep the error of a failed attempt on the event row (the job is retried by RQ).

    After MAX_SWEEP_ATTEMPTS the event is marked failed: it stays stored and visible with its
    error on the shop's events page, and is no longer retried.
    """
    db.session.rollback()
    event = db.session.get(InboundEvent, event_id)
    if event is not None and event.processed_at is None:
        event.attempts += 1
        event.error = str(error)[:2000]
        if event.attempts >= MAX_SWEEP_ATTEMPTS:
            event.outcome, event.processed_at = "failed", clock.utcnow()
        db.session.commit()


def pending_event_ids(older_than_seconds=60, limit=500):
    """Events not applied yet and older than a grace period (their job should have run by now)."""
    cutoff = clock.utcnow() - timedelta(seconds=older_than_seconds)
    rows = (db.session.query(InboundEvent.id)
            .filter(InboundEvent.processed_at.is_(None), InboundEvent.received_at <= cutoff,
                    InboundEvent.outcome.is_(None), InboundEvent.attempts < MAX_SWEEP_ATTEMPTS)
            .order_by(InboundEvent.id).limit(limit).all())
    return [row[0] for row in rows]


def _repeat(shop_id, webhook_id):
    """The receipt of the stored event with this webhook-id (a repeated delivery), or None."""
    event_id = db.session.query(InboundEvent.id).filter_by(shop_id=shop_id, webhook_id=webhook_id).scalar()
    return Receipt(event_id, duplicate=True) if event_id is not None else None


def _finish(event, outcome, error=None):
    event.processed_at = clock.utcnow()
    event.outcome = outcome
    event.error = error
    db.session.commit()
    return outcome
