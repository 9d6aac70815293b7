"""Import a shop's history from the WooCommerce REST API: every order, then every review, page by page.

Each order and review goes through `ingest.apply_resource`, the path events take, so a negative
review in the history opens a case exactly as a live one would, and a re-run changes nothing
that is already current (the upserts are idempotent and never move a row back to an older state).

Resumable: after a page is applied, the page and the shop's "next page" number are committed
together; an interrupted or failed run continues from there (`restart=True` starts again from
page 1; a finished backfill always starts again from page 1). The numbers count pages of
`per_page` items, so a resumed run must use the same page size: the CLI and the job always use
PAGE_SIZE.

Orders are paged by id, not by `modified`: sorted by `modified`, an order changed during the run
jumps to the end, and the orders behind it move up one place, so one of them slips onto a page
already read and is never fetched. By id, an order keeps its place; orders created during the
run land at the end, still ahead of us. Reviews are paged by creation date (the only order the
REST API offers besides id), which has the same property. (An order or review deleted during
the run still shifts the rest by one; the next run or a bridge event covers that.)

Whatever changes after its page was read is left to reconciliation (services/reconcile.py): the
shop's watermarks (`orders_synced_at`, `reviews_synced_at`) are the moment the backfill first
started, kept across resumed attempts, so the first reconciliation looks at everything since.
"""
import logging
from dataclasses import asdict, dataclass

from crisisdesk import clock
from crisisdesk.domain.actor import BRIDGE, WORKER
from crisisdesk.domain.errors import Conflict, DomainError, Invalid, NotFound
from crisisdesk.domain.roles import Role
from crisisdesk.domain.wc_payloads import parse_order, parse_review
from crisisdesk.extensions import db
from crisisdesk.integrations.woocommerce_api import WooError
from crisisdesk.models import Case, Shop
from crisisdesk.services import audit, sync_lock
from crisisdesk.services.access import get_shop
from crisisdesk.services.ingest import apply_resource
from crisisdesk.services.woo import client_for

log = logging.getLogger(__name__)

PAGE_SIZE = 50
LOCK_LEASE_SECONDS = 15 * 60  # renewed after every page; a page takes seconds, at worst a few minutes
BUSY = "a backfill of this shop is already running; wait for it to finish"


class BackfillError(DomainError):
    """WooCommerce refused or failed a call; the run stopped, its progress is kept and a re-run resumes.

    `code` and `message` are WooCommerce's own (e.g. woocommerce_rest_authentication_error);
    `permanent` says whether trying again unchanged can help (bad keys: no; a 503: yes).
    """

    status = 502

    def __init__(self, error, orders_page, reviews_page):
        self.code, self.http_status, self.permanent = error.code, error.status, error.permanent
        self.orders_page, self.reviews_page = orders_page, reviews_page  # where the next run resumes
        super().__init__(f"WooCommerce answered {error}")


@dataclass
class BackfillResult:
    orders: int = 0  # orders read in this run and passed through the event path (unchanged ones too)
    reviews: int = 0
    skipped: int = 0  # resources WooCommerce sent in a shape we could not read (logged with their id)
    cases_opened: int = 0
    orders_total: int = 0  # as WooCommerce counted them when the run started
    reviews_total: int = 0
    resumed: bool = False

    def as_dict(self):
        return asdict(self)


def backfill(shop_id, progress=None, restart=False, per_page=PAGE_SIZE, actor=WORKER):
    """Import the shop's orders and reviews; returns a BackfillResult.

    `progress(done, total)` is called once the totals are known and after every page.
    Raises NotFound, NoWooKeys (Invalid), Conflict (another backfill of the shop is running)
    before anything changes, and BackfillError when WooCommerce fails mid-way (the shop is then
    `failed`, with the error and the page to resume from). Any other error also leaves the shop
    `failed` with the error kept, and is re-raised as it is.
    """
    shop = db.session.get(Shop, shop_id)
    if shop is None:
        raise NotFound(f"there is no shop {shop_id}")
    client = client_for(shop)  # NoWooKeys when the shop has none
    with sync_lock.held("backfill", shop_id, LOCK_LEASE_SECONDS, BUSY) as renew:
        run = _Run(shop, client, per_page, progress, renew)
        run.begin(restart)
        try:
            run.import_all()
        except BaseException as error:  # also Ctrl-C in the CLI and a job's timeout: the panel shows why it stopped
            db.session.rollback()
            pages = _record_failure(shop_id, error, actor)
            if isinstance(error, WooError):
                raise BackfillError(error, *pages) from error
            raise
        return run.finish(actor)


def request_backfill(user, shop_id, actor, restart=False):
    """The panel's button: check, record who asked, and queue the backfill job (owners only)."""
    shop = get_shop(user, shop_id, Role.OWNER)
    if not shop.has_woo_keys:
        raise Invalid("add the shop's WooCommerce API keys first; the backfill reads through them", "woo_key")
    return _queue_backfill(shop, actor, restart)


def request_backfill_from_bridge(shop, restart=False):
    """The bridge's call (the shop asks for itself, already authenticated): as the panel's button, audited
    as "bridge"; missing keys are a Conflict here, since nothing in the request could fix them."""
    if not shop.has_woo_keys:
        raise Conflict("CrisisDesk has no WooCommerce API keys for this shop yet; an owner adds them in the "
                       "shop's settings in the CrisisDesk panel, then the history can be imported", "woo_key")
    return _queue_backfill(shop, BRIDGE, restart)


def _queue_backfill(shop, actor, restart):
    from crisisdesk.jobs import backfill_job_waiting, enqueue_backfill

    if sync_lock.is_held("backfill", shop.id) or backfill_job_waiting(shop.id):
        raise Conflict("a backfill of this shop is already queued or running")
    if restart and shop.backfill_state in ("running", "failed"):
        # Done here rather than passed to the job: RQ repeats a job's arguments on its retries, and a
        # retry must resume, not start over again. (Never-run and finished backfills start at page 1 anyway.)
        shop.backfill_orders_page = shop.backfill_reviews_page = 1
    audit.record(actor, "shop.backfill_requested", shop, shop_id=shop.id, restart=bool(restart))
    if not enqueue_backfill(shop.id):
        db.session.rollback()
        raise Conflict("the job queue cannot be reached right now; nothing was queued, try again shortly")
    db.session.commit()
    return shop


class _Run:
    """One attempt: where it starts, what it has done, and how it reports progress."""

    def __init__(self, shop, client, per_page, progress, renew):
        self.shop, self.client, self.per_page, self.progress, self.renew = shop, client, per_page, progress, renew
        self.result = BackfillResult()
        self.started_at = clock.utcnow()
        self.done = 0

    def begin(self, restart):
        shop = self.shop
        resuming = shop.backfill_state in ("running", "failed") and not restart
        if not resuming:
            shop.backfill_orders_page = shop.backfill_reviews_page = 1
            # The watermarks mark the first attempt's start; a resumed attempt keeps them (module doc).
            shop.orders_synced_at = shop.reviews_synced_at = self.started_at
        self.result.resumed = resuming and (shop.backfill_orders_page > 1 or shop.backfill_reviews_page > 1)
        shop.backfill_state, shop.backfill_error = "running", None
        self.cases_before = Case.query.filter_by(shop_id=shop.id).count()
        db.session.commit()

    def import_all(self):
        # Two small calls for the totals, so the progress bar knows its length from the start.
        orders_total = self.client.list_orders(page=1, per_page=1, orderby="id").total
        reviews_total = self.client.list_reviews(page=1, per_page=1).total
        self.result.orders_total, self.result.reviews_total = orders_total, reviews_total
        self.total = orders_total + reviews_total
        self.done = (min((self.shop.backfill_orders_page - 1) * self.per_page, orders_total)
                     + min((self.shop.backfill_reviews_page - 1) * self.per_page, reviews_total))
        self._report()
        self._pages("orders", lambda page: self.client.list_orders(page=page, per_page=self.per_page,
                                                                    orderby="id", order="asc"),
                    parse_order, "backfill_orders_page")
        self._pages("reviews", lambda page: self.client.list_reviews(page=page, per_page=self.per_page),
                    parse_review, "backfill_reviews_page")

    def _pages(self, kind, fetch, parse, page_column):
        shop = self.shop
        while True:
            page = getattr(shop, page_column)
            observed_at = clock.utcnow()  # before the call: the page is at least this fresh
            result = fetch(page)
            applied, skipped = apply_items(self.shop, kind, result.items, parse, observed_at)
            setattr(self.result, kind, getattr(self.result, kind) + applied)
            self.result.skipped += skipped
            if result.items:
                setattr(shop, page_column, page + 1)
            db.session.commit()  # the page and the next page number together
            self.renew()
            self.done += len(result.items)
            self.total = max(self.total, self.done)  # the shop grew during the run
            self._report()
            if not result.items or page >= result.total_pages:
                return

    def _report(self):
        if self.progress is not None:
            self.progress(self.done, self.total)

    def finish(self, actor):
        shop = self.shop
        shop.backfill_state, shop.backfill_error = "done", None
        # The first attempt's start (set in begin); a shop left running or failed by an older version
        # may have none, and then this attempt's start is the best known.
        shop.orders_synced_at = min(shop.orders_synced_at or self.started_at, self.started_at)
        shop.reviews_synced_at = min(shop.reviews_synced_at or self.started_at, self.started_at)
        self.result.cases_opened = Case.query.filter_by(shop_id=shop.id).count() - self.cases_before
        audit.record(actor, "shop.backfill_done", shop, shop_id=shop.id, **self.result.as_dict())
        db.session.commit()
        log.info("backfill of shop %s done: %s", shop.id, self.result)
        return self.result


def apply_items(shop, kind, items, parse, observed_at):
    """Parse and apply one page of `kind` ("orders" or "reviews"); returns (applied, skipped). The caller commits."""
    applied = skipped = 0
    for item in items:
        try:
            resource = parse(item, prefix=kind[:-1])
        except Invalid as error:
            # One unreadable resource must not stop the import for good (a resumed run would meet it
            # again on the same page); it is logged and counted, and its events can still bring it.
            log.warning("shop %s: skipped %s %s that cannot be read: %s", shop.id, kind[:-1],
                        item.get("id") if isinstance(item, dict) else "?", error.message)
            skipped += 1
            continue
        apply_resource(shop, resource, observed_at)
        applied += 1
    return applied, skipped


def _record_failure(shop_id, error, actor):
    """Keep the error and the pages reached (committed page by page) on the shop, and audit it.

    Returns (orders page, reviews page) where the next run resumes, or (None, None) when even this
    could not be written (the database is what failed); the original error is raised either way.
    """
    try:
        shop = db.session.get(Shop, shop_id)
        shop.backfill_state = "failed"
        shop.backfill_error = message = str(error)[:2000] or f"interrupted ({error.__class__.__name__})"
        pages = shop.backfill_orders_page, shop.backfill_reviews_page
        audit.record(actor, "shop.backfill_failed", shop, shop_id=shop.id, error=message,
                     orders_page=pages[0], reviews_page=pages[1])
        db.session.commit()
    except Exception:
        db.session.rollback()
        log.exception("could not record the failure of shop %s's backfill (it stays running; a re-run resumes)",
                      shop_id)
        return None, None
    log.warning("backfill of shop %s failed at orders page %s, reviews page %s: %s", shop_id, *pages, message)
    return pages
