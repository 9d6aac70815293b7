"""Scratch places for the bench scripts: a private PostgreSQL schema, a migrated database, a flushed Redis database.

The scripts import it as `bench.scratch` (each puts the repository root on `sys.path`).
"""
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent


def with_schema(url, schema):
    """`url` with the search path set to `schema` (libpq's `options`), for processes started with it."""
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}options={quote(f'-csearch_path={schema}')}"


def run_sql(url, statement):
    """Run one statement in its own transaction (CREATE / DROP SCHEMA)."""
    from sqlalchemy import create_engine, text

    from crisisdesk.config import _normalise_database_url

    engine = create_engine(_normalise_database_url(url))
    try:
        with engine.begin() as connection:
            connection.execute(text(statement))
    finally:
        engine.dispose()


def create_schema(url, schema):
    run_sql(url, f'CREATE SCHEMA "{schema}"')


def drop_schema(url, schema):
    run_sql(url, f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def migrate(env):
    """`flask db upgrade` with `env` (its DATABASE_URL); the tail of its errors when it fails."""
    done = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"], cwd=ROOT, env=env,
                          capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"flask db upgrade failed:\n{done.stderr[-3000:]}")


def flush_redis(url):
    from redis import Redis

    connection = Redis.from_url(url)
    try:
        connection.flushdb()
    finally:
        connection.close()
