"""Carry out an approved compensation in WooCommerce, exactly once.

The row is claimed atomically (approved → executing) so two workers cannot both call.
Every WooCommerce write carries the compensation's marker (refund reason, order meta,
coupon description). When a call times out after it was sent, the state becomes
`unknown`, and the next attempt first looks for the marker in WooCommerce: found means
it was done, so it is recorded and never sent again. A goodwill code of a delay notice has no case:
its steps are then in the audit log only.
"""
import logging
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import func, update

from crisisdesk import clock
from crisisdesk.domain.actor import WORKER
from crisisdesk.extensions import db
from crisisdesk.integrations.woocommerce_api import WooError, WooTimeout
from crisisdesk.models import Compensation, Refund
from crisisdesk.services import audit
from crisisdesk.services.compensation import describe
from crisisdesk.services.review_cases import add_event
from crisisdesk.services.woo import client_for

log = logging.getLogger(__name__)
COUPON_EXISTS = "woocommerce_rest_coupon_code_already_exists"
STUCK_AFTER = timedelta(minutes=10)
UNSTARTED_AFTER = timedelta(minutes=2)  # the request's own enqueue has long happened (or failed) by then
MAX_SEARCH_PAGES = 20  # orders modified since the call: a busy shop's few minutes fit in far fewer


class TryAgainLater(Exception):
    """Raised so RQ retries the job with backoff: the outcome is unknown or WooCommerce was unreachable."""


def execute(compensation_id):
    """Run one compensation; returns its final state, or raises TryAgainLater for RQ's retry."""
    compensation = db.session.get(Compensation, compensation_id)
    if compensation is None or compensation.state not in ("approved", "unknown"):
        return compensation.state if compensation else None
    client = client_for(compensation.shop)
    if compensation.state == "unknown":
        found = _find_in_woocommerce(client, compensation)
        if found is not None:
            return _succeed(compensation, found, "found in WooCommerce after an unanswered call")
        _move(compensation, "unknown", "approved")
    if not _claim(compensation):
        return db.session.get(Compensation, compensation_id).state
    try:
        remote = _perform(client, compensation)
    except WooTimeout as error:
        return _unknown(compensation, error)
    except WooError as error:
        if error.code == COUPON_EXISTS:
            found = _find_in_woocommerce(client, compensation)
            if found is not None:
                return _succeed(compensation, found, "the code already existed: ours, from an earlier try")
        if error.permanent:
            return _fail(compensation, error)
        if error.status and error.status >= 500:
            return _unknown(compensation, error)  # a write that failed on the server may still have happened
        _move(compensation, "executing", "approved", error=str(error))
        raise TryAgainLater(str(error)) from error
    return _succeed(compensation, remote, "done")


def mark_stuck_as_unknown(now=None):
    """A worker that died mid-call leaves a row `executing`; after a while treat it as unknown (then checked)."""
    cutoff = (now or clock.utcnow()) - STUCK_AFTER
    stuck = Compensation.query.filter(Compensation.state == "executing", Compensation.sent_at < cutoff).all()
    for compensation in stuck:
        _move(compensation, "executing", "unknown", error="the worker stopped during the call")
    return [c.id for c in stuck]


def _claim(compensation):
    claimed = db.session.execute(
        update(Compensation).where(Compensation.id == compensation.id, Compensation.state == "approved")
        .values(state="executing", attempts=Compensation.attempts + 1, sent_at=clock.utcnow())).rowcount
    db.session.commit()
    db.session.refresh(compensation)
    return claimed == 1


def _move(compensation, from_state, to_state, error=None):
    db.session.execute(update(Compensation).where(Compensation.id == compensation.id,
                                                  Compensation.state == from_state)
                       .values(state=to_state, error=error))
    db.session.commit()
    db.session.refresh(compensation)


def _perform(client, compensation):
    order = compensation.order
    if compensation.kind == "refund":
        return client.create_refund(order.remote_id, Decimal(compensation.amount), _tagged(compensation),
                                    api_refund=compensation.api_refund, restock=compensation.restock,
                                    line_items=_refund_lines(compensation))
    if compensation.kind == "coupon":
        return client.create_coupon(_coupon_payload(compensation))
    return _create_replacement(client, compensation)


def _create_replacement(client, compensation):
    original = client.get_order(compensation.order.remote_id)  # a read: copies the current addresses
    created = client.create_order({
        "status": "processing", "customer_id": original.get("customer_id", 0),
        "billing": original.get("billing", {}), "shipping": original.get("shipping", {}),
        "line_items": [{"product_id": i["remote_product_id"], "quantity": i["quantity"], "subtotal": "0.00",
                        "total": "0.00"} for i in compensation.items],
        "customer_note": f"Replacement for order #{original.get('number')} (no charge).",
        "meta_data": [{"key": "_crisisdesk_replacement_for", "value": str(compensation.order.remote_id)},
                      {"key": "_crisisdesk_marker", "value": compensation.marker}],
    })
    _link_both_ways(client, compensation, created)
    return created


def _link_both_ways(client, compensation, created):
    # The new order is already paid for by us; a failed note must not turn that into a retry of the order.
    try:
        client.update_order(compensation.order.remote_id, {"meta_data": [
            {"key": "_crisisdesk_replacement_order", "value": str(created["id"])}]})
        client.add_order_note(compensation.order.remote_id,
                              f"CrisisDesk sent replacement order #{created.get('number', created['id'])} "
                              f"(case #{compensation.case_id}).")
    except WooError as error:
        log.warning("replacement %s created but not linked on the original order: %s", created["id"], error)
        _timeline(compensation, "compensation_warning",
                  f"Replacement order #{created.get('number')} was created, but the note on the original "
                  f"order failed: {error.message}")


def _find_in_woocommerce(client, compensation):
    marker = compensation.marker
    if compensation.kind == "refund":
        return next((r for r in client.list_refunds(compensation.order.remote_id)
                     if marker in (r.get("reason") or "")), None)
    if compensation.kind == "coupon":
        return next((c for c in client.find_coupons(compensation.coupon_code)
                     if marker in (c.get("description") or "")), None)
    since = (compensation.sent_at or compensation.created_at) - timedelta(minutes=5)
    page, pages = 1, 1
    while page <= min(pages, MAX_SEARCH_PAGES):
        listing = client.list_orders(page=page, per_page=100, modified_after=since, orderby="id")
        for order in listing.items:
            if any(m.get("key") == "_crisisdesk_marker" and m.get("value") == marker
                   for m in order.get("meta_data", [])):
                return order
        page, pages = page + 1, listing.total_pages
    return None


def _succeed(compensation, remote, how):
    compensation.state, compensation.remote_id = "succeeded", int(remote["id"])
    compensation.finished_at, compensation.error = clock.utcnow(), None
    if compensation.kind == "refund" and not any(r.remote_id == compensation.remote_id
                                                 for r in compensation.order.refunds):
        compensation.order.refunds.append(Refund(shop_id=compensation.shop_id, remote_id=compensation.remote_id,
                                                 amount=compensation.amount, reason=compensation.reason))
    _timeline(compensation, "compensation_done", f"{describe(compensation)}: {how} "
              f"(WooCommerce id {compensation.remote_id}).", compensation_id=compensation.id)
    audit.record(WORKER, "compensation.succeeded", compensation, remote_id=compensation.remote_id, how=how)
    db.session.commit()
    return "succeeded"


def _fail(compensation, error):
    compensation.state, compensation.error, compensation.finished_at = "failed", error.message, clock.utcnow()
    _timeline(compensation, "compensation_failed",
              f"{describe(compensation)} failed: WooCommerce said “{error.message}” ({error.code}). Nothing was paid.",
              compensation_id=compensation.id, code=error.code)
    audit.record(WORKER, "compensation.failed", compensation, code=error.code, message=error.message)
    db.session.commit()
    return "failed"


def _unknown(compensation, error):
    compensation.state, compensation.error = "unknown", f"no answer from WooCommerce: {error}"
    _timeline(compensation, "compensation_unknown",
              f"{describe(compensation)}: WooCommerce did not answer in time. CrisisDesk will check whether it "
              "went through before trying again.", compensation_id=compensation.id)
    audit.record(WORKER, "compensation.outcome_unknown", compensation, error=str(error))
    db.session.commit()
    raise TryAgainLater(str(error))


def _timeline(compensation, kind, message, **details):
    """A line on the compensation's case; a goodwill code without a case has only its audit entries."""
    if compensation.case is not None:
        add_event(compensation.case, kind, message, **details)


def _tagged(compensation):
    reason = compensation.reason or f"CrisisDesk case #{compensation.case_id}"
    return f"{reason} [{compensation.marker}]"


def _refund_lines(compensation):
    # Restocking needs the lines and quantities; without restock an amount alone is refunded.
    if not compensation.restock:
        return None
    return [{"id": i["remote_id"], "quantity": i["quantity"], "refund_total": i["total"]}
            for i in compensation.items]


def _coupon_payload(compensation):
    case, order = compensation.case, compensation.order
    email = case.customer.email if case is not None and case.customer else order.billing_email
    about = f"case #{compensation.case_id}" if case is not None else f"order #{order.number}"
    return {
        "code": compensation.coupon_code, "discount_type": compensation.coupon_type,
        "amount": f"{Decimal(compensation.amount):.2f}", "individual_use": True, "usage_limit": 1,
        "usage_limit_per_user": 1, "email_restrictions": [email],
        "date_expires": compensation.coupon_expires_on.isoformat(),
        "description": f"CrisisDesk {about} [{compensation.marker}]",
    }


def unknown_ids():
    """Compensations whose outcome is still unknown (their retries may have run out)."""
    return [row[0] for row in db.session.query(Compensation.id).filter(Compensation.state == "unknown").all()]


def unstarted_ids(now=None):
    """Approved compensations not carried out for a while: their job may be gone (Redis was down when they were
    approved, or WooCommerce stayed unreachable for longer than the job's retries)."""
    cutoff = (now or clock.utcnow()) - UNSTARTED_AFTER
    return [row[0] for row in db.session.query(Compensation.id).filter(
        Compensation.state == "approved",
        func.coalesce(Compensation.approved_at, Compensation.created_at) <= cutoff).all()]
