"""A WooCommerce REST API v3 stand-in: a real HTTP(S) server on 127.0.0.1 for the integration tests.

WooCommerce is in no package registry, so the tests talk to this instead, over real HTTP, with
the `woocommerce` package's real OAuth 1.0a signatures. What it answers follows the payloads
recorded from WooCommerce 7.9.0 in tests/fixtures/woocommerce/ and WooCommerce's PHP source:

| route | answer follows |
| --- | --- |
| GET/POST orders, GET/PUT orders/<id> | order_created.json / order_completed.json (seeded as order 12) |
| POST/GET orders/<id>/refunds | refund.json; the order afterwards as order_after_refund.json |
| POST/GET orders/<id>/notes | WC_REST_Order_Notes_Controller's shape (no recording) |
| POST/GET coupons (?code=) | coupon.json (seeded as coupon 11) |
| GET products/reviews | review.json (seeded as review 5) |
| GET products/<id> | product.json (seeded as product 10) |
| GET system_status | a small part of the real report |

Lists carry X-WP-Total, X-WP-TotalPages and Link (prev/next) headers; per_page is 1..100
(default 10). Errors are WooCommerce's JSON `{"code", "message", "data"}` with its statuses,
including its odd ones (a refused refund is HTTP 500). Authentication is auth.py's.

Fault injection for tests: `fail_next(status)` answers before anything is applied (as a proxy
or an overloaded PHP host would); `delay_next(seconds)` and `drop_next()` apply the request
and then answer late or never, which is how a timeout hurts with WooCommerce. `latency` delays
every request; `requests` logs them; `max_in_flight` is the most handled at once.
"""
import base64
import json
import re
import secrets
import socket
import ssl
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

from tests.wc_standin.auth import ApiKey, AuthError, Authenticator
from tests.wc_standin.routes import Routes, permission_error, route_for
from tests.wc_standin.store import RestError, Store

CREDENTIAL_PARAMS = re.compile(r"^(oauth_.*|consumer_key|consumer_secret)$")
DROP = object()


@dataclass
class Recorded:
    """One request as the stand-in saw it (credentials left out)."""

    method: str
    path: str
    params: dict
    body: object
    auth: str = None
    status: int = None


@dataclass
class Fault:
    kind: str
    times: int
    method: str = None
    path: str = None
    status: int = None
    code: str = None
    message: str = None
    retry_after: object = None
    seconds: float = 0.0
    headers: dict = field(default_factory=dict)

    def matches(self, method, path):
        return (self.method is None or self.method == method) and (self.path is None or self.path in path)


class WooStandIn(Routes):
    """One fake shop. `start()` it, point a client at `url` with `consumer_key`/`consumer_secret`."""

    def __init__(self, *, tls=False, cert_dir=None, seed=True, utc_offset=timedelta(0), permissions="read_write",
                 home_url=None):
        self.consumer_key = "ck_" + secrets.token_hex(20)
        self.consumer_secret = "cs_" + secrets.token_hex(20)
        self.keys = {self.consumer_key: ApiKey(self.consumer_key, self.consumer_secret, permissions)}
        self.tls, self.cert_dir, self.seed, self.utc_offset = tls, cert_dir, seed, utc_offset
        # WordPress's home URL, when clients reach the shop through another address (a proxy in front of it):
        # OAuth signatures and links are made with it, as WordPress does.
        self.home_url = home_url
        self.latency, self.requests, self.errors, self.max_in_flight = 0.0, [], [], 0
        self.ca_file = None
        self._faults, self._in_flight, self._lock, self._stopping = [], 0, threading.Lock(), threading.Event()
        self.clock = lambda: datetime.now(timezone.utc)

    # --- life cycle ---------------------------------------------------------------------------------------

    def start(self):
        """Listen on a free port of 127.0.0.1 in a background thread."""
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        if self.tls:
            from tests.wc_standin.tls import make_certificates

            paths = make_certificates(self.cert_dir)
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(paths["cert"], paths["key"])
            self._server.socket = context.wrap_socket(self._server.socket, server_side=True)
            self.ca_file = str(paths["ca"])
        scheme = "https" if self.tls else "http"
        self.address = self._server.server_address[:2]  # where it listens
        self.url = self.home_url or f"{scheme}://127.0.0.1:{self.address[1]}"
        self.store = Store(self.url, lambda: self.clock(), self.utc_offset, seed=self.seed)
        self.auth = Authenticator(self.url, self.keys, clock=lambda: self.clock().timestamp())
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="wc-standin", daemon=True)
        self._thread.start()
        return self

    def stop(self):
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    # --- test helpers -------------------------------------------------------------------------------------

    def add_key(self, permissions="read_write"):
        """Another API key (e.g. read-only); returns (consumer_key, consumer_secret)."""
        key = ApiKey("ck_" + secrets.token_hex(20), "cs_" + secrets.token_hex(20), permissions)
        self.keys[key.consumer_key] = key
        return key.consumer_key, key.consumer_secret

    def add_order(self, **fields):
        """An order like order_created.json (see Store.add_order); returns it as the API would."""
        return self.store.add_order(**fields)

    def add_review(self, **fields):
        """A review like review.json (see Store.add_review)."""
        return self.store.add_review(**fields)

    def add_product(self, **fields):
        return self.store.add_product(**fields)

    def set_gateway(self, payment_method, can_refund=True, error=None):
        """Whether that gateway refunds through its API; `error` makes it answer with that message."""
        self.store.gateways[payment_method] = error if error else bool(can_refund)

    @property
    def orders(self):
        return self.store.orders

    def refunds_of(self, order_id):
        return list(self.store.refunds.get(order_id, []))

    def requests_to(self, method, path_part):
        return [r for r in self.requests if r.method == method and path_part in r.path]

    def fail_next(self, status, times=1, *, code=None, message=None, retry_after=None, headers=None, method=None,
                  path=None):
        """Answer the next matching request(s) with `status` before WooCommerce sees them.

        With `code` the body is WooCommerce-style JSON; without, an HTML page (a proxy's or PHP's).
        """
        self._faults.append(Fault("fail", times, method, path, status, code, message, retry_after,
                                  headers=dict(headers or {})))

    def delay_next(self, seconds, times=1, *, method=None, path=None):
        """Apply the next matching request(s), then hold the answer back for `seconds`."""
        self._faults.append(Fault("delay", times, method, path, seconds=seconds))

    def drop_next(self, times=1, *, method=None, path=None):
        """Apply the next matching request(s), then close the connection without an answer."""
        self._faults.append(Fault("drop", times, method, path))

    def _take(self, kinds, method, path):
        with self._lock:
            for fault in self._faults:
                if fault.kind in kinds and fault.times > 0 and fault.matches(method, path):
                    fault.times -= 1
                    return fault
        return None

    def _track(self, delta):
        with self._lock:
            self._in_flight += delta
            self.max_in_flight = max(self.max_in_flight, self._in_flight)

    def _wait(self, seconds):
        self._stopping.wait(seconds)

    # --- one request --------------------------------------------------------------------------------------

    def serve(self, method, target, headers, raw_body):
        """(status, headers, body bytes) for one request, or DROP; applies faults around `dispatch`."""
        path, query = _split(target)
        self._wait(self.latency)
        fault = self._take(("fail",), method, path)
        record = Recorded(method, path, _public(query), _parse_body_for_log(raw_body))
        self.requests.append(record)
        if fault:
            record.status = fault.status
            return _fault_response(fault)
        status, extra, payload = self.dispatch(method, path, query, headers, raw_body, record)
        record.status = status
        after = self._take(("delay", "drop"), method, path)
        if after and after.kind == "drop":
            return DROP
        if after:
            self._wait(after.seconds)
        body = json.dumps(payload).encode("utf-8")
        return status, [("Content-Type", "application/json; charset=UTF-8"), *extra], body

    def dispatch(self, method, path, query, headers, raw_body, record):
        try:
            key = self._authenticate(method, path, query, headers, record)
            route, match = route_for(method, path)
            if route is None:
                raise RestError("rest_no_route", "No route was found matching the URL and request method.",
                                {"status": 404})
            if key is None:
                raise permission_error(route)
            args = _public(query)
            if method != "GET":
                args.update(_json_body(raw_body, headers))
            return getattr(self, route)(args, *[int(g) for g in match.groups()], path=path)
        except RestError as error:
            return error.status, [], error.body()
        except AuthError as error:
            return 401, [], {"code": error.code, "message": error.message, "data": {"status": 401}}
        except Exception as error:  # a bug in the stand-in: make the test fail loudly, not the client
            self.errors.append(error)
            return 500, [], {"code": "standin_internal_error", "message": repr(error), "data": {"status": 500}}

    def _authenticate(self, method, path, query, headers, record):
        basic = None
        if headers.get("Authorization", "").startswith("Basic "):
            user, _, password = base64.b64decode(headers["Authorization"][6:]).decode("utf-8").partition(":")
            basic = (user, password)
        with self.store.lock:  # nonces are shared state
            key, record.auth = self.auth.authenticate(method, path, query, headers, self.tls, basic)
        if key is not None:
            self.auth.check_permissions(key, method)
        return key

def _split(target):
    parts = urlsplit(target)
    return parts.path, dict(parse_qsl(parts.query, keep_blank_values=True))  # last one wins, as in PHP's $_GET


def _public(query):
    return {k: v for k, v in query.items() if not CREDENTIAL_PARAMS.match(k)}


def _json_body(raw, headers):
    if not raw:
        return {}
    try:
        data = json.loads(raw)
    except ValueError as error:
        raise RestError("rest_invalid_json", "Invalid JSON body passed.",
                        {"status": 400, "json_error_code": 4, "json_error_message": str(error)}) from None
    return data if isinstance(data, dict) else {}


def _parse_body_for_log(raw):
    try:
        return json.loads(raw) if raw else None
    except ValueError:
        return raw


def _fault_response(fault):
    headers = [("Retry-After", str(fault.retry_after))] if fault.retry_after is not None else []
    headers += list(fault.headers.items())
    if fault.code:
        body = json.dumps({"code": fault.code, "message": fault.message or "", "data": {"status": fault.status}})
        return fault.status, [("Content-Type", "application/json; charset=UTF-8"), *headers], body.encode()
    page = f"<html><body><h1>{fault.status} {fault.message or 'Service Unavailable'}</h1></body></html>"
    return fault.status, [("Content-Type", "text/html"), *headers], page.encode()


def _handler_for(standin):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _serve(self):
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            standin._track(+1)
            try:
                answer = standin.serve(self.command, self.path, self.headers, raw)
            except Exception as error:  # a bug in the stand-in itself
                standin.errors.append(error)
                answer = 500, [("Content-Type", "text/plain")], repr(error).encode()
            try:
                if answer is DROP:
                    self.connection.shutdown(socket.SHUT_RDWR)  # the client sees the connection close, no answer
                else:
                    self._answer(*answer)
            except OSError:
                pass  # the client gave up (its timeout) before the late answer: expected in timeout tests
            finally:
                self.close_connection = True
                standin._track(-1)

        def _answer(self, status, headers, body):
            self.send_response(status)
            for name, value in headers:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve

        def log_message(self, format, *args):  # noqa: A002 - the stdlib's signature
            pass

    return Handler

