"""The bridge's own REST route in WordPress (SPEC section 6, "Bridge route"): post a public reply.

`POST <site>/wp-json/crisisdesk/v1/replies` with `{"review_id": n, "content": "..."}`, signed
with the shop's shared secret the Standard Webhooks way, as the bridge signs its events. The
bridge keeps the comment id under the webhook-id, so the same webhook-id sent again returns the
same comment instead of a second one: after any failure, retry with the SAME webhook-id (each
attempt is signed afresh, so its timestamp stays inside the bridge's ±5 minute window).

As in woocommerce_api.py: explicit (connect, read) timeouts, redirects never followed, one typed
error with a `permanent` flag, a timeout after sending marked outcome-unknown, and the secret
never in a repr, a log line or an error message.
"""
import json

import requests

from crisisdesk.integrations.http_failures import typed_failures
from crisisdesk.integrations.webhook_signing import sign

REPLIES_ROUTE = "/wp-json/crisisdesk/v1/replies"
USER_AGENT = "CrisisDesk"
RETRYABLE_4XX = frozenset({408, 409, 429})  # a timeout, a concurrent attempt, a rate limit: later may work


class BridgeError(Exception):
    """A call to the bridge failed; `permanent` says whether repeating it can help."""

    outcome_unknown = False

    def __init__(self, message, permanent=False, status=None, code=None):
        super().__init__(message)
        self.message, self.permanent, self.status, self.code = message, permanent, status, code

    def __str__(self):
        where = f"HTTP {self.status}" if self.status else "no HTTP answer"
        return f"{self.code or 'bridge_error'} ({where}): {self.message}"


class BridgeTimeout(BridgeError):
    """The request may have reached WordPress and the reply may be posted, but no usable answer came back.

    Sending again with the same webhook-id is safe: the bridge answers with the comment it made.
    """

    outcome_unknown = True


class BridgeClient:
    """The bridge of one shop, at its WordPress site address."""

    def __init__(self, site_url, secret, timeout=10, verify=True):
        self.site_url, self.timeout, self.verify = site_url.rstrip("/"), timeout, verify
        self._secret = secret

    def __repr__(self):
        return f"<BridgeClient {self.site_url} secret=***>"

    def post_reply(self, review_id, content, webhook_id):
        """Post `content` under review `review_id` as the shop; returns the comment id. Idempotent per webhook_id."""
        body = json.dumps({"review_id": int(review_id), "content": content}, ensure_ascii=False,
                          separators=(",", ":")).encode("utf-8")
        answer = self._post(REPLIES_ROUTE, body, webhook_id)
        comment_id = answer.get("comment_id") if isinstance(answer, dict) else None
        if isinstance(comment_id, bool) or not isinstance(comment_id, int) or comment_id <= 0:
            # A 2xx without a comment id: the reply may well be there; only the same webhook-id can tell.
            raise BridgeTimeout("the bridge answered without a comment_id", status=200)
        return comment_id

    def _post(self, route, body, webhook_id):
        headers = {**sign(self._secret, webhook_id, body), "Content-Type": "application/json; charset=utf-8",
                   "Accept": "application/json", "User-Agent": USER_AGENT}
        response = self._send(self.site_url + route, body, headers)
        if 300 <= response.status_code < 400:
            # Never followed: requests would turn the POST into a GET (and drop the signature's meaning).
            where = response.headers.get("Location", "").split("?")[0]
            raise BridgeError(f"the site redirects to {where}; set the shop's URL to that address", permanent=True,
                              status=response.status_code, code="crisisdesk_redirected")
        if response.status_code >= 400:
            raise _http_error(response)
        try:
            return response.json()
        except ValueError:
            # A PHP notice printed before the JSON is the usual cause; the reply may be posted.
            raise BridgeTimeout(f"the bridge answered HTTP {response.status_code} with a body that is not JSON",
                                status=response.status_code) from None

    def _send(self, url, body, headers):
        with typed_failures(BridgeError, BridgeTimeout, "the site", self.timeout, self._scrub):
            # (connect, read): a dead host fails fast; a slow WordPress gets the whole timeout.
            return requests.post(url, data=body, headers=headers, timeout=(min(self.timeout, 5), self.timeout),
                                 allow_redirects=False, verify=self.verify)

    def _scrub(self, exc):
        return str(exc).replace(self._secret, "***") if self._secret else str(exc)


def _http_error(response):
    """WordPress REST errors are `{"code", "message", "data": {"status"}}`; a proxy's page has none of it."""
    status = response.status_code
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and "code" in body:
        code, message = str(body.get("code")), str(body.get("message") or "")
    else:
        code, message = None, f"the site answered HTTP {status} without a WordPress error"
    permanent = 400 <= status < 500 and status not in RETRYABLE_4XX
    return BridgeError(message, permanent=permanent, status=status, code=code)
