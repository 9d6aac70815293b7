"""Repair what events missed: ask WooCommerce what changed since the last sync, and apply it as events are.

WooCommerce coalesces and can lose updates (and a bridge can lose its queue with the shop's
database), so a periodic pass (jobs/schedule.py) reads the shop itself:

- Orders modified after `orders_synced_at` − OVERLAP, every page. Paged by id, not by modified
  date: sorted by date, an order modified during the pass jumps to the end and pushes an unread
  order onto a page already read (see services/backfill.py).
- Reviews *created* after `reviews_synced_at` − OVERLAP. The REST API has no "modified" filter
  for reviews (only `after`, on the creation date), so an edit to an older review (a rating
  changed weeks later) or an older review trashed or marked as spam is not seen here: those rely
  on the bridge's events, which retry for days, or on running the backfill again.
- OVERLAP: `modified_after`/`after` are exclusive, WooCommerce's dates are whole seconds, and the
  shop's clock is not ours. Re-reading a few minutes costs little: the upserts are idempotent.
- The next watermark is this pass's *start*, not the newest date seen: what changes while the pass
  pages is looked at again next time, and the shop's clock is never trusted.

The watermarks move only when the whole pass succeeded; pages are committed as they are applied,
so a failed pass keeps its work and the next one reads the same window again.
"""
import logging
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta

from crisisdesk import clock
from crisisdesk.domain.errors import Conflict, NotFound
from crisisdesk.domain.wc_payloads import parse_order, parse_review
from crisisdesk.extensions import db
from crisisdesk.integrations.woocommerce_api import WooError
from crisisdesk.models import Case, Shop
from crisisdesk.services import sync_lock
from crisisdesk.services.backfill import PAGE_SIZE, apply_items
from crisisdesk.services.woo import client_for

log = logging.getLogger(__name__)

OVERLAP = timedelta(minutes=5)
LOCK_LEASE_SECONDS = 15 * 60


@dataclass
class ReconcileResult:
    orders: int = 0  # orders modified in the window, read and applied
    reviews: int = 0  # reviews created in the window
    skipped: int = 0  # resources in a shape we could not read (logged)
    cases_opened: int = 0
    orders_since: datetime | None = None
    reviews_since: datetime | None = None
    synced_at: datetime | None = None  # the new watermark (this pass's start)

    def as_dict(self):
        return {k: v.isoformat() if isinstance(v, datetime) else v for k, v in asdict(self).items()}


@dataclass
class ReconcileReport:
    """What reconcile_all did per shop: results, shops left out (and why), failures (the error)."""

    results: dict = field(default_factory=dict)
    skipped: dict = field(default_factory=dict)
    failed: dict = field(default_factory=dict)

    def as_dict(self):
        return {"results": {shop_id: r.as_dict() for shop_id, r in self.results.items()},
                "skipped": dict(self.skipped), "failed": dict(self.failed)}


def reconcile(shop_id, per_page=PAGE_SIZE):
    """One pass for one shop whose backfill is done; returns a ReconcileResult.

    Raises NotFound, NoWooKeys (Invalid), Conflict (no finished backfill, or a pass already
    running) before anything changes, and WooError when WooCommerce fails (the watermarks stay).
    """
    shop = db.session.get(Shop, shop_id)
    if shop is None:
        raise NotFound(f"there is no shop {shop_id}")
    if shop.backfill_state != "done" or shop.orders_synced_at is None or shop.reviews_synced_at is None:
        raise Conflict("the shop's history has not been imported yet; run the backfill first")
    client = client_for(shop)
    with sync_lock.held("reconcile", shop_id, LOCK_LEASE_SECONDS,
                        "a reconciliation of this shop is already running") as renew:
        started_at = clock.utcnow()
        result = ReconcileResult(orders_since=shop.orders_synced_at - OVERLAP,
                                 reviews_since=shop.reviews_synced_at - OVERLAP, synced_at=started_at)
        cases_before = Case.query.filter_by(shop_id=shop.id).count()
        _all_pages(shop, "orders", parse_order, result, renew,
                   lambda page: client.list_orders(page=page, per_page=per_page, orderby="id", order="asc",
                                                   modified_after=result.orders_since))
        _all_pages(shop, "reviews", parse_review, result, renew,
                   lambda page: client.list_reviews(page=page, per_page=per_page, after=result.reviews_since))
        shop.orders_synced_at = shop.reviews_synced_at = started_at
        result.cases_opened = Case.query.filter_by(shop_id=shop.id).count() - cases_before
        db.session.commit()
    return result


def _all_pages(shop, kind, parse, result, renew, fetch):
    page = 1
    while True:
        observed_at = clock.utcnow()  # before the call: the page is at least this fresh
        found = fetch(page)
        applied, skipped = apply_items(shop, kind, found.items, parse, observed_at)
        setattr(result, kind, getattr(result, kind) + applied)
        result.skipped += skipped
        db.session.commit()
        renew()
        if not found.items or page >= found.total_pages:
            return
        page += 1


def reconcile_all():
    """Reconcile every shop with API keys and a finished backfill; one shop's failure does not stop the rest.

    Failures are logged and returned in the report (shop id → error), never swallowed silently.
    """
    report = ReconcileReport()
    shops = [(s.id, s.has_woo_keys, s.backfill_state) for s in Shop.query.order_by(Shop.id)]
    db.session.commit()  # end the read transaction; each shop gets its own
    for shop_id, has_keys, state in shops:
        if not has_keys:
            report.skipped[shop_id] = "no WooCommerce API keys"
            continue
        if state != "done":
            report.skipped[shop_id] = f"the backfill has not finished ({state})"
            continue
        try:
            report.results[shop_id] = reconcile(shop_id)
        except Conflict as error:  # a pass still running, or the shop changed since the list was read
            db.session.rollback()
            report.skipped[shop_id] = error.message
        except WooError as error:
            db.session.rollback()
            log.error("reconciliation of shop %s failed: %s", shop_id, error)
            report.failed[shop_id] = str(error)
        except Exception as error:  # a bug or a database error: keep going, but loudly
            db.session.rollback()
            log.exception("reconciliation of shop %s failed", shop_id)
            report.failed[shop_id] = f"{error.__class__.__name__}: {error}"
    if report.failed:
        log.error("reconciliation failed for %d of %d shops: %s", len(report.failed), len(shops),
                  ", ".join(str(shop_id) for shop_id in report.failed))
    return report
