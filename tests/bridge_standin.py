"""A stand-in of the bridge's replies route in WordPress (SPEC section 6, "Bridge route"): a real HTTP server on
127.0.0.1 that checks each signature with the `standardwebhooks` package itself (not with our signing code) and,
like the plugin (plugin-bridge/includes/class-crisisdesk-replies-route.php), keeps one comment per webhook-id.

`down()` / `up()` make it unreachable and back, as a WordPress site that is offline for a while: while down,
the port refuses connections; up again, it keeps the comments it had."""
import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

ROUTE = "/wp-json/crisisdesk/v1/replies"


class BridgeRoute:
    """The bridge's replies route. `answer_next(...)` changes how the next request is answered."""

    def __init__(self, secret):
        self.secret, self.comments, self.received, self.faults = secret, {}, [], []
        self._stopping = threading.Event()

    def start(self, port=0):
        self._server = ThreadingHTTPServer(("127.0.0.1", port), _handler(self))
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self):
        self._stopping.set()
        self._close()

    def down(self):
        """Unreachable: nothing listens on the port any more (connections are refused). Comments are kept."""
        self._close()

    def up(self):
        """Reachable again on the same port, with the comments it had."""
        self.start(self.port)

    def comments_under(self, review_id):
        """The comment ids posted under a review, one per webhook-id, as WordPress would list them."""
        return sorted({self.comments[headers["webhook-id"]] for headers, payload in self.received
                       if payload["review_id"] == review_id})

    def _close(self):
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def answer_next(self, kind, *args):
        """Before posting: ("status", code, json), ("page", code, html), ("redirect", url).
        After posting: ("slow", seconds), ("drop",), ("raw", code, body bytes)."""
        self.faults.append((kind, *args))

    def handle(self, path, headers, raw):
        """(status, headers, body bytes), or None to close the connection without an answer."""
        fault = self.faults.pop(0) if self.faults else ("ok",)
        if fault[0] == "status":
            return fault[1], {"Content-Type": "application/json"}, json.dumps(fault[2]).encode()
        if fault[0] == "page":  # a proxy's or a PHP fatal error's HTML, before WordPress handled anything
            return fault[1], {"Content-Type": "text/html"}, fault[2]
        if fault[0] == "redirect":
            return 301, {"Location": fault[1]}, b""
        if path != ROUTE:
            body = {"code": "rest_no_route", "message": "No route was found", "data": {"status": 404}}
            return 404, {"Content-Type": "application/json"}, json.dumps(body).encode()
        try:
            # The package checks the ±5 minute window as well as the HMAC, as the PHP signer does.
            Webhook(self.secret).verify(raw.decode("utf-8"), {k.lower(): v for k, v in headers.items()})
        except WebhookVerificationError as error:
            body = {"code": "crisisdesk_bad_signature", "message": str(error), "data": {"status": 401}}
            return 401, {"Content-Type": "application/json"}, json.dumps(body).encode()
        payload = json.loads(raw)
        self.received.append((dict(headers), payload))
        comment_id = self.comments.setdefault(headers["webhook-id"], 700 + len(self.comments))
        if fault[0] == "raw":
            return fault[1], {"Content-Type": "application/json"}, fault[2]
        if fault[0] == "slow":
            self._stopping.wait(fault[1])
        if fault[0] == "drop":
            return None
        return 201, {"Content-Type": "application/json"}, json.dumps({"comment_id": comment_id}).encode()


def _handler(route):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self):  # noqa: N802 - the stdlib's name
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            answer = route.handle(self.path, self.headers, raw)
            try:
                if answer is None:
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                status, headers, body = answer
                self.send_response(status)
                for name, value in {**headers, "Content-Length": str(len(body)), "Connection": "close"}.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)
            except OSError:
                pass  # the client gave up first (its timeout): expected in the timeout tests
            finally:
                self.close_connection = True

        def log_message(self, format, *args):  # noqa: A002 - the stdlib's signature
            pass

    return Handler
