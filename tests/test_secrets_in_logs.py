"""No secret reaches the logs, whatever happens: events with a bad and a good signature, logins with a wrong and a
right password, WooCommerce keys saved and tried, the shop's secret rotated, mail sent through an SMTP server that
needs a login, /metrics with a wrong and a right token.

Everything is logged at DEBUG and read three ways: the records as the code wrote them (caplog, before the
scrubbing filter runs), and the lines the service's own handler writes in text and in JSON (LOG_FORMAT=json).
"""
import base64
import logging
import re
from io import StringIO

import pytest

from crisisdesk.log import log_handler
from crisisdesk.models import Case
from tests import factories
from tests.conftest import PASSWORD
from tests.smtp import SmtpServer, certificate
from tests.wc_standin.fixtures import woo  # noqa: F401  (the WooCommerce stand-in)

WRONG_PASSWORD = "Tr0ub4dor&3-not-the-password"
SMTP_PASSWORD = "smtp-P@ss word-8d1f"
METRICS_TOKEN = "scrape-token-5be2c1d0e9"


class RawRecords(logging.Handler):
    """Each record as the code wrote it: message with its arguments, traceback and extra attributes. First in line
    on each logger, before the service's handler, whose scrubbing filter rewrites the record."""

    PLAIN = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.lines = []

    def emit(self, record):
        extra = {k: v for k, v in vars(record).items() if k not in self.PLAIN}
        trace = logging.Formatter().formatException(record.exc_info) if record.exc_info else ""
        self.lines.append(f"{record.name} {record.getMessage()} {trace} {extra!r}")


@pytest.fixture
def logs(caplog):
    """Every record of every logger at DEBUG, raw and as the service prints it in text and in JSON lines."""
    raw, text, json_lines = RawRecords(), StringIO(), StringIO()
    printed = [log_handler("text", text), log_handler("json", json_lines)]
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="crisisdesk")  # ours do not propagate to the root
    loggers = [logging.getLogger(), logging.getLogger("crisisdesk")]
    for logger in loggers:
        logger.handlers.insert(0, raw)
        for handler in printed:
            logger.addHandler(handler)
    try:
        yield lambda: {"raw": "\n".join(raw.lines), "text": text.getvalue(), "json": json_lines.getvalue()}
    finally:
        for logger in loggers:
            for handler in [raw, *printed]:
                logger.removeHandler(handler)


@pytest.fixture
def smtp_with_login(app, tmp_path, monkeypatch):
    """An SMTP server that needs STARTTLS and a login; the app's SMTP_URL carries the password."""
    files = certificate(tmp_path)
    monkeypatch.setenv("SSL_CERT_FILE", str(files[0]))
    server = SmtpServer(tls="starttls", certificate=files, login=("mailer", SMTP_PASSWORD)).start()
    app.config["SMTP_URL"] = f"smtp://mailer:{SMTP_PASSWORD.replace('@', '%40').replace(' ', '%20')}" \
                             f"@127.0.0.1:{server.port}?starttls=1"
    yield server
    server.stop()


def test_no_secret_is_logged_by_ingest_logins_keys_mail_or_metrics(app, client, api, bridge, shop_a, owner,
                                                                   woo, smtp_with_login, run_jobs, logs):  # noqa: F811
    signing_secret = factories.secret_of(shop_a)
    wrong_secret = "whsec_" + base64.b64encode(b"not-the-shops-secret-at-all-0001").decode()
    # Events: a bad signature, a stale one, then a good one, applied by the worker.
    order = factories.order(email="grace@example.com")
    assert api.send(shop_a, "order.created", order, secret=wrong_secret).status_code == 401
    assert api.send(shop_a, "order.created", order, timestamp=1).status_code == 401
    assert api.send(shop_a, "order.created", order).status_code == 202
    assert api.send(shop_a, "review.created", factories.review(rating=1, email="grace@example.com")).status_code == 202
    assert bridge.post(shop_a, "ping", {}, secret=wrong_secret).status_code == 401
    run_jobs()
    case = Case.query.one()
    # The panel: a wrong password, then the right one, kept logged in.
    assert client.submit("/login", {"email": owner.email, "password": WRONG_PASSWORD}).status_code == 401
    assert client.submit("/login", {"email": owner.email, "password": PASSWORD, "remember": "y"}).status_code == 302
    session_cookie = client.get_cookie("session", domain="panel.test").value
    remember_cookie = client.get_cookie("remember_token", domain="panel.test").value
    # WooCommerce keys: saved and tried, wrong ones first.
    keys_url, test_url = f"/shops/{shop_a.id}/woocommerce", f"/shops/{shop_a.id}/woocommerce/test"
    wrong_keys = {"consumer_key": "ck_" + "0" * 40, "consumer_secret": "cs_" + "9" * 40, "rest_url": woo.url}
    client.submit(keys_url, wrong_keys, page="/cases")
    assert "Consumer key is invalid" in client.submit(test_url, {}, page="/cases", follow_redirects=True) \
        .get_data(as_text=True)
    client.submit(keys_url, {"consumer_key": woo.consumer_key, "consumer_secret": woo.consumer_secret,
                             "rest_url": woo.url}, page="/cases")
    assert "the keys work" in client.submit(test_url, {}, page="/cases", follow_redirects=True).get_data(as_text=True)
    # The shop's secret rotated: shown once on the page.
    rotated = client.submit(f"/shops/{shop_a.id}/secret", {"confirm": "y"}, page=f"/shops/{shop_a.id}/settings")
    new_secret = re.search(r'value="(whsec_[A-Za-z0-9+/=]+)"', rotated.get_data(as_text=True)).group(1)
    # Mail through the server that needs a login: a reply to the customer, sent by the worker.
    sent = client.submit(f"/cases/{case.id}/reply", {"action": "send", "channel": "email", "remedy": "none",
                                                     "language": "en", "text": "Grace, we are sorry: a new kettle "
                                                     "leaves today and we refund the postage.",
                                                     "idempotency_key": "logs-reply"}, page=f"/cases/{case.id}")
    assert sent.status_code == 302
    run_jobs()
    assert len(smtp_with_login.wait_for(1)) == 1 and smtp_with_login.logins
    # Prometheus, with a wrong and a right token.
    app.config["METRICS_TOKEN"] = METRICS_TOKEN
    web = app.test_client()
    assert web.get("/metrics", headers={"Authorization": "Bearer wrong-token-value"}).status_code == 401
    assert web.get("/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"}).status_code == 200

    secrets = {
        "signing secret": signing_secret, "its key": signing_secret.removeprefix("whsec_"),
        "rotated secret": new_secret, "its new key": new_secret.removeprefix("whsec_"),
        "wrong signing secret": wrong_secret.removeprefix("whsec_"),
        "WooCommerce consumer secret": woo.consumer_secret, "wrong consumer secret": wrong_keys["consumer_secret"],
        "WooCommerce consumer key": woo.consumer_key, "wrong consumer key": wrong_keys["consumer_key"],
        "password": PASSWORD, "wrong password": WRONG_PASSWORD, "SMTP password": SMTP_PASSWORD,
        "SMTP password in the URL": "P%40ss%20word", "session cookie": session_cookie,
        "remember cookie": remember_cookie, "metrics token": METRICS_TOKEN, "SECRET_KEY": app.config["SECRET_KEY"],
    }
    written = logs()
    # The capture saw the work happen: the events applied, the calls to WooCommerce, the mail handed over.
    for output in written.values():
        assert "apply_event_job" in output and "/wp-json/wc/v3/orders?" in output and "handed to 127.0.0.1" in output
    assert "oauth_consumer_key=***" in written["raw"]  # scrubbed on urllib3's logger, before any handler
    found = [(name, where) for name, secret in secrets.items() for where, output in written.items() if secret in output]
    assert found == []
