"""The service's parts behind TCP proxies (tests/faults/proxy.py) that a test cuts and restores.

In this folder the app reaches PostgreSQL, Redis, the SMTP server and the WooCommerce stand-in
through a proxy each, so an outage is a real one: connections closed under the client, new ones
refused (or accepted and dropped). The worker (`run_jobs`) uses the same Redis client as the web.

SQLite has no server to cut: `database_outage` there holds the database's write lock from another
connection, as a stuck process would (SQLite allows one writer). Reads still work, every write fails.
"""
import sqlite3
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import event, make_url, text

from crisisdesk.extensions import db, redis_connection
from tests.faults.proxy import TcpProxy
from tests.smtp import free_port
from tests.wc_standin.fixtures import running
from tests.wc_standin.server import WooStandIn

# Each write waits this long for SQLite's lock before it fails (the app's 10 s would make every test slow).
SQLITE_BUSY_MS = 200


# --- PostgreSQL, or SQLite's write lock ----------------------------------------------------------------------

@pytest.fixture
def database_proxy(backend, postgres_schema):
    """PostgreSQL (TEST_DATABASE_URL's server) behind a proxy; None on SQLite."""
    if backend != "postgresql":
        yield None
        return
    url = make_url(postgres_schema)
    with TcpProxy((url.host or "127.0.0.1", url.port or 5432)) as proxy:
        yield proxy


@pytest.fixture
def postgres_url(postgres_schema, database_proxy):
    """The app connects to PostgreSQL through the proxy (tests/conftest.py's `app` reads this)."""
    if database_proxy is None:
        return postgres_schema
    return make_url(postgres_schema).set(host="127.0.0.1", port=database_proxy.port).render_as_string(
        hide_password=False)


class PostgresOutage:
    def __init__(self, proxy):
        self.proxy = proxy

    def cut(self, accept=False):
        """The server is gone: open connections closed, new ones refused (or accepted and closed)."""
        self.proxy.cut(accept=accept)

    def hang(self):
        """The server accepts connections and never answers (a partition, a hung host). The pool's connections
        are dropped first, so the next request has to connect: DATABASE_CONNECT_TIMEOUT bounds that wait (a
        connection already open that hangs mid-query is bounded by gunicorn's worker timeout instead)."""
        db.session.remove()  # its connection back to the pool, which is emptied (closed) before the freeze
        db.engine.dispose()
        self.proxy.freeze()

    def restore(self):
        self.proxy.restore()


class SqliteOutage:
    def __init__(self, path):
        self.path, self.holder = path, None

    def cut(self, accept=False):
        """Another connection takes the write lock and keeps it: every write of the app fails."""
        self.holder = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        self.holder.execute("BEGIN IMMEDIATE")

    def hang(self):
        """A write waits for the lock until the busy timeout, then fails: SQLite's only kind of hang."""
        self.cut()

    def restore(self):
        if self.holder is not None:
            self.holder.rollback()
            self.holder.close()
            self.holder = None


@pytest.fixture
def database_outage(app, backend, database_proxy):
    """`cut()` and `restore()` the database; restored at the end whatever the test did."""
    if backend == "postgresql":
        outage = PostgresOutage(database_proxy)
    else:
        outage = SqliteOutage(make_url(app.config["SQLALCHEMY_DATABASE_URI"]).database)
        _shorten_sqlite_busy_timeout()
    yield outage
    outage.restore()


def _shorten_sqlite_busy_timeout():
    # Runs after the app's own connect listener (which sets 10 s), so new connections take this one.
    @event.listens_for(db.engine, "connect")
    def short_busy_timeout(dbapi_connection, _record):
        dbapi_connection.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")

    db.session.execute(text(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}"))  # the connection the session holds now
    db.session.commit()


# --- Redis ---------------------------------------------------------------------------------------------------

@pytest.fixture
def redis_proxy(app, redis_url):
    """The app's Redis behind a proxy; the app's client is made anew by the app (its production timeouts)."""
    target, number = _redis_target(redis_url)
    with TcpProxy(target) as proxy:
        app.config["REDIS_URL"] = f"redis://127.0.0.1:{proxy.port}/{number}"
        app.extensions.pop("crisisdesk_redis", None)
        yield proxy
        proxy.restore()
        client = app.extensions.pop("crisisdesk_redis", None)
        if client is not None:
            client.close()


@pytest.fixture
def redis(app, redis_proxy):
    """The app's Redis client (through the proxy): `run_jobs`' worker uses it too."""
    return redis_connection(app)


def _redis_target(url):
    """(where the server listens, database number) of a redis:// or unix:// URL."""
    parts = urlsplit(url)
    if parts.scheme == "unix":
        return parts.path, int(parse_qs(parts.query).get("db", ["0"])[0])
    return (parts.hostname or "127.0.0.1", parts.port or 6379), int(parts.path.strip("/") or 0)


# --- SMTP ----------------------------------------------------------------------------------------------------

@pytest.fixture
def smtp_proxy(app, smtp_server):
    """The SMTP server (tests/smtp.py) behind a proxy; the app sends through it, giving up on a reply after 5 s."""
    with TcpProxy((smtp_server.host, smtp_server.port)) as proxy:
        app.config["SMTP_URL"] = f"smtp://127.0.0.1:{proxy.port}?timeout=5"
        yield proxy


# --- WooCommerce ---------------------------------------------------------------------------------------------

@pytest.fixture
def woo_port():
    return free_port()


@pytest.fixture
def woo(woo_port):
    """The WooCommerce stand-in, whose WordPress home URL is the proxy's address (as behind a reverse proxy)."""
    yield from running(WooStandIn(home_url=f"http://127.0.0.1:{woo_port}"))


@pytest.fixture
def woo_proxy(woo, woo_port):
    with TcpProxy(woo.address, port=woo_port) as proxy:
        yield proxy
