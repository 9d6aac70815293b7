"""Helpers for tests that start the real system as subprocesses: ports, processes, waiting."""
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
from contextlib import contextmanager
from pathlib import Path

from werkzeug.serving import make_server

from crisisdesk import ROOT
from crisisdesk.extensions import db


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def embedded_environment(tmp_path):
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


def stop_process_group(process, seconds=20):
    """SIGTERM a process started with start_new_session=True and everything in its group; SIGKILL if it lingers."""
    import signal

    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@contextmanager
def serving(app):
    """The app on a free loopback port, in a thread of this process; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="panel-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        with app.app_context():
            db.engine.dispose()
