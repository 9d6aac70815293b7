"""WooCommerce REST API v3 for one shop, around the `woocommerce` package.

The package signs plain-http calls with OAuth 1.0a in the query string and uses HTTP Basic
over https, as WooCommerce requires; it needs pretty permalinks (`/wp-json/wc/v3/...`).
This module adds what the package leaves to callers: explicit timeouts, one typed error
(`WooError`, with WooCommerce's own `code` and `message` and a `permanent` flag), pagination
totals, retries for reads only, and a bound on concurrent calls per shop.

Money goes out as strings ("10.00"), as WooCommerce returns it. Results are the REST JSON as
plain dicts and lists. Nothing here decides anything about a case; callers do.
"""
import logging
import re
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from decimal import Decimal, InvalidOperation
from email.utils import parsedate_to_datetime

from woocommerce import API

from crisisdesk.integrations.http_failures import typed_failures
from crisisdesk.integrations.shop_slots import SlotUnavailable, slots_for

log = logging.getLogger(__name__)

USER_AGENT = "CrisisDesk (WooCommerce-Python-REST-API/3.0.0)"
MAX_RETRY_AFTER = 30.0  # seconds; a longer Retry-After is handed to the caller (RQ) instead of slept here
# WooCommerce answers these refusals with HTTP 500 (its REST layer turns a bare-int error status
# into 500), yet repeating the call cannot change the answer, and for a refund WooCommerce has
# already deleted the half-made refund: nothing was paid. So they are permanent whatever the status.
PERMANENT_CODES = frozenset({
    "woocommerce_rest_cannot_create_order_refund",  # "Invalid refund amount.", gateway cannot refund, ...
    "woocommerce_rest_invalid_order_refund",  # "Refund amount must be greater than zero."
    "woocommerce_rest_invalid_order_id",
})
_CREDENTIALS_IN_TEXT = re.compile(r"(oauth_[a-z_]+|consumer_key|consumer_secret)=[^&\s'\"]+")


class WooError(Exception):
    """A call to WooCommerce failed; `permanent` says whether repeating it can help."""

    outcome_unknown = False

    def __init__(self, message, *, status=None, code=None, permanent=False, data=None, retry_after=None):
        super().__init__(message)
        self.message, self.status, self.code = message, status, code
        self.permanent, self.data, self.retry_after = permanent, data, retry_after

    def __str__(self):
        where = f"HTTP {self.status}" if self.status else "no HTTP answer"
        return f"{self.code or 'woocommerce_error'} ({where}): {self.message}"


class WooTimeout(WooError):
    """The request may have reached WooCommerce and been applied, but no usable answer came back.

    A read timeout, a connection dropped after sending, or an unreadable 2xx body. For a write
    the caller must look in WooCommerce for the effect before sending it again.
    """

    outcome_unknown = True


@dataclass(frozen=True)
class Page:
    """One page of a WooCommerce list, with the totals from X-WP-Total / X-WP-TotalPages."""

    items: list
    total: int
    total_pages: int


class WooClient:
    """The REST API of one shop. Safe to share between threads."""

    def __init__(self, url, consumer_key, consumer_secret, timeout=10, max_concurrency=4, redis=None,
                 shop_key=None, retries=3, backoff=0.5, verify=True):
        self.url, self.timeout, self.retries, self.backoff = url.rstrip("/"), timeout, retries, backoff
        self.shop_key = shop_key or self.url
        self._secrets = tuple(s for s in (consumer_key, consumer_secret) if s)
        # (connect, read): a dead host fails fast; a slow PHP answer gets the whole timeout.
        self._api = API(url=self.url, consumer_key=consumer_key, consumer_secret=consumer_secret,
                        version="wc/v3", timeout=(min(timeout, 5), timeout), verify_ssl=verify,
                        user_agent=USER_AGENT)
        self._slots = slots_for(self.shop_key, max_concurrency, wait=timeout, redis=redis,
                                lease=3 * timeout + 5)

    def __repr__(self):
        return f"<WooClient {self.url} shop_key={self.shop_key!r} keys=***>"

    # --- reads (retried on 429/5xx/timeouts) -------------------------------------------------------------

    def get_order(self, order_id):
        """The order as GET /orders/<id> returns it."""
        return self._json(self._call("GET", f"orders/{int(order_id)}"))

    def list_orders(self, page=1, per_page=50, modified_after=None, order="asc", orderby="modified"):
        """One page of orders; `modified_after` (exclusive) is a datetime (taken as UTC if naive) or a string."""
        params = {"page": page, "per_page": per_page, "order": order, "orderby": orderby}
        if isinstance(modified_after, datetime):
            # Compared with the GMT column: a shop's local time would otherwise shift the window.
            params.update(modified_after=_utc_naive(modified_after), dates_are_gmt="true")
        elif modified_after:
            params["modified_after"] = modified_after
        return self._page(self._call("GET", "orders", params=params))

    def list_reviews(self, page=1, per_page=50, after=None, status="all"):
        """One page of product reviews created after `after` (exclusive; reviews have no modified filter).

        status "all" is WordPress's approved + held; spam and trash need their own status.
        An aware datetime is sent with its offset, which WordPress converts to the shop's time.
        """
        params = {"page": page, "per_page": per_page, "status": status, "order": "asc", "orderby": "date_gmt"}
        if isinstance(after, datetime):
            aware = after if after.tzinfo else after.replace(tzinfo=timezone.utc)
            params["after"] = aware.astimezone(timezone.utc).isoformat(timespec="seconds")
        elif after:
            params["after"] = after
        return self._page(self._call("GET", "products/reviews", params=params))

    def list_refunds(self, order_id):
        """Every refund of the order (all pages), newest first."""
        refunds, page = [], 1
        while True:
            result = self._page(self._call("GET", f"orders/{int(order_id)}/refunds",
                                           params={"page": page, "per_page": 100}))
            refunds.extend(result.items)
            if page >= result.total_pages:
                return refunds
            page += 1

    def find_coupons(self, code):
        """Coupons whose code is `code` (WooCommerce compares codes case-insensitively); [] when none."""
        return self._json(self._call("GET", "coupons", params={"code": code}))

    def ping(self):
        """Checks the URL and keys with a cheap authenticated read; returns {"orders_total": n}."""
        return {"orders_total": self._page(self._call("GET", "orders", params={"per_page": 1})).total}

    # --- writes: sent once, never retried here ---------------------------------------------------------
    # WooCommerce has no idempotency key: a write repeated after a timeout can refund twice or
    # create two orders. Writes therefore fail fast with WooTimeout (outcome unknown) or a
    # WooError, and the caller checks WooCommerce for the effect before deciding to send again.

    def create_refund(self, order_id, amount, reason, api_refund, line_items=None, restock=False):
        """POST orders/<id>/refunds. `api_refund` True moves real money through the payment gateway."""
        try:
            amount = Decimal(str(amount))
        except InvalidOperation:
            raise ValueError(f"not an amount: {amount!r}") from None
        if not amount.is_finite() or amount <= 0:
            raise ValueError("a refund amount must be a positive number")
        payload = {"amount": _money(amount), "reason": reason,
                   # WooCommerce treats anything that is not a JSON boolean as true.
                   "api_refund": bool(api_refund), "api_restock": bool(restock)}
        if line_items:
            payload["line_items"] = line_items
        return self._json(self._call("POST", f"orders/{int(order_id)}/refunds", data=payload))

    def create_order(self, payload):
        """POST orders; returns the created order."""
        return self._json(self._call("POST", "orders", data=payload))

    def update_order(self, order_id, payload):
        """PUT orders/<id> (e.g. meta_data to link orders); returns the updated order."""
        return self._json(self._call("PUT", f"orders/{int(order_id)}", data=payload))

    def add_order_note(self, order_id, note, customer_note=False):
        """POST orders/<id>/notes; a customer note is also emailed to the customer by WooCommerce."""
        return self._json(self._call("POST", f"orders/{int(order_id)}/notes",
                                     data={"note": note, "customer_note": bool(customer_note)}))

    def create_coupon(self, payload):
        """POST coupons; a taken code fails with code woocommerce_rest_coupon_code_already_exists."""
        return self._json(self._call("POST", "coupons", data=payload))

    # --- transport -----------------------------------------------------------------------------------

    def _call(self, method, endpoint, params=None, data=None):
        attempts = 1 + (self.retries if method == "GET" else 0)
        for attempt in range(1, attempts + 1):
            try:
                return self._send(method, endpoint, params, data)
            except WooError as error:
                delay = self._retry_delay(attempt, error) if attempt < attempts and not error.permanent else None
                if delay is None:
                    raise
                log.warning("WooCommerce %s %s failed (%s); retry %d of %d in %.1fs",
                            method, endpoint, error, attempt, self.retries, delay)
                time.sleep(delay)
        raise AssertionError("unreachable")

    def _retry_delay(self, attempt, error):
        if error.retry_after is not None:
            return error.retry_after if error.retry_after <= MAX_RETRY_AFTER else None
        return self.backoff * 2 ** (attempt - 1)

    def _send(self, method, endpoint, params, data):
        if not self.url.startswith("https") and any("/" in str(v) for v in (params or {}).values()):
            # woocommerce 3.0.0's OAuth signer leaves "/" unencoded where WooCommerce's PHP encodes it,
            # so the shop would answer "Invalid signature" and blame the keys.
            raise WooError("a query value with '/' cannot be signed for WooCommerce over plain http",
                           code="crisisdesk_unsignable_query", permanent=True)
        try:
            with self._slots.hold():
                response = self._request(method, endpoint, params, data)
        except SlotUnavailable as exc:
            raise WooError(f"too many concurrent calls to the shop: {exc}",
                           code="crisisdesk_too_many_concurrent_calls") from None
        if response.status_code >= 400:
            raise self._http_error(response)
        if 300 <= response.status_code < 400:
            # Never followed: requests would turn a redirected POST into a GET and hand back
            # some list as if it were the new refund. The shop's URL must be the final one.
            where = self._scrub(response.headers.get("Location", "")).split("?")[0]
            raise WooError(f"the shop redirects to {where}; set the shop's REST URL to that address",
                           status=response.status_code, code="crisisdesk_redirected", permanent=True)
        return response

    def _request(self, method, endpoint, params, data):
        kwargs = {"params": dict(params or {}), "allow_redirects": False}  # the package changes `params`
        with typed_failures(WooError, WooTimeout, "the shop", self.timeout, self._scrub):
            if method == "GET":
                return self._api.get(endpoint, **kwargs)
            return getattr(self._api, method.lower())(endpoint, _jsonable(data), **kwargs)

    def _http_error(self, response):
        status = response.status_code
        try:
            body = response.json()
        except ValueError:
            body = None
        if isinstance(body, dict) and "code" in body:
            code, message, data = body.get("code"), body.get("message") or "", body.get("data")
        else:
            code, message, data = None, f"the shop answered HTTP {status} without a WooCommerce error", None
        permanent = code in PERMANENT_CODES or (400 <= status < 500 and status not in (408, 429))
        return WooError(message, status=status, code=code, permanent=permanent, data=data,
                        retry_after=_retry_after(response.headers.get("Retry-After")))

    def _json(self, response):
        try:
            return response.json()
        except ValueError:
            # A PHP notice printed before the JSON is the usual cause; the write may well be done.
            error = WooTimeout if response.request.method != "GET" else WooError
            raise error(f"the shop answered HTTP {response.status_code} with a body that is not JSON",
                        status=response.status_code) from None

    def _page(self, response):
        return Page(items=self._json(response), total=int(response.headers.get("X-WP-Total", 0)),
                    total_pages=int(response.headers.get("X-WP-TotalPages", 0)))

    def _scrub(self, exc):
        text = _CREDENTIALS_IN_TEXT.sub(r"\1=***", str(exc))
        for secret in self._secrets:
            text = text.replace(secret, "***")
        return text


def _retry_after(value):
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (moment - datetime.now(timezone.utc)).total_seconds())


def _money(amount):
    """Decimal → WooCommerce's money string: two decimals unless the amount has more."""
    return f"{amount:.2f}" if amount == amount.quantize(Decimal("0.01")) else format(amount.normalize(), "f")


def _utc_naive(moment):
    aware = moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    return aware.astimezone(timezone.utc).replace(tzinfo=None).isoformat(timespec="seconds")


def _jsonable(value):
    """Payloads may carry Decimals (money); JSON has no such type, so they go out as strings."""
    if isinstance(value, Decimal):
        return _money(value)
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value
