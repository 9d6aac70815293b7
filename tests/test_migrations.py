"""The Alembic migrations build exactly the schema the models describe, and can be undone.

Runs `flask db upgrade` / `flask db downgrade` through the app's CLI on a database that
starts empty: a SQLite file, and (when TEST_DATABASE_URL is set) a fresh private
PostgreSQL schema that is dropped afterwards.
"""
import os
import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, text

from crisisdesk import ROOT, create_app
from crisisdesk.config import _normalise_database_url
from crisisdesk.extensions import db

PG_URL = os.environ.get("TEST_DATABASE_URL")
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])


@pytest.fixture(params=BACKENDS)
def empty_database(request, tmp_path):
    """App overrides pointing at an empty database of the given backend."""
    if request.param == "sqlite":
        yield {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'migrations.db'}"}
        return
    url = _normalise_database_url(PG_URL)
    schema = f"crisisdesk_migrations_{uuid.uuid4().hex[:12]}"
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield {"SQLALCHEMY_DATABASE_URI": url,
               "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"options": f"-csearch_path={schema}"}}}
    finally:
        with engine.begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        engine.dispose()


@pytest.fixture
def migration_app(empty_database, tmp_path, redis_url, monkeypatch):
    monkeypatch.setenv("CRISISDESK_INSTANCE_PATH", str(tmp_path / "instance"))
    app = create_app({"TESTING": True, "SECRET_KEY": "migrations-test", "REDIS_URL": redis_url,
                      "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True}, **empty_database})
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def flask_db(app, *args):
    result = app.test_cli_runner().invoke(args=["db", *args])
    assert result.exit_code == 0, f"flask db {' '.join(args)} failed:\n{result.output}\n{result.exception!r}"
    return result


def table_names():
    return set(inspect(db.engine).get_table_names())


def model_tables():
    return {table.name for table in db.metadata.sorted_tables}


def test_there_is_a_single_head():
    script = ScriptDirectory(str(ROOT / "migrations"))
    heads = script.get_heads()
    assert len(heads) == 1, f"several Alembic heads, merge them: {heads}"
    revisions = list(script.walk_revisions())
    assert [r.revision for r in revisions if r.down_revision is None] == [revisions[-1].revision]


def test_upgrade_from_empty_builds_the_models_schema_and_downgrade_removes_it(migration_app):
    assert table_names() == set()

    flask_db(migration_app, "upgrade")

    head = ScriptDirectory(str(ROOT / "migrations")).get_current_head()
    with db.engine.connect() as connection:
        assert MigrationContext.configure(connection).get_current_revision() == head
    assert table_names() == model_tables() | {"alembic_version"}

    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == [], "the models and the migrations differ; run `flask --app wsgi db migrate`:\n" + \
        "\n".join(map(repr, differences))

    flask_db(migration_app, "upgrade")  # a second run is a no-op

    flask_db(migration_app, "downgrade", "base")
    assert table_names() <= {"alembic_version"}
    with db.engine.connect() as connection:
        assert MigrationContext.configure(connection).get_current_revision() is None

    flask_db(migration_app, "upgrade")  # and back up again from nothing
    assert table_names() == model_tables() | {"alembic_version"}


def test_the_migrated_schema_takes_real_data(migration_app):
    """Not only the shape: the services work on a database built by the migrations alone."""
    flask_db(migration_app, "upgrade")
    from tests import factories

    shop = factories.make_shop("Migrated shop")
    factories.deliver(shop, "order.created", factories.order(order_id=7001, items=[(70010, 10, "Lab Gadget", 1, 25.0)]))
    factories.deliver(shop, "review.created", factories.review(review_id=7002, product_id=10, rating=1))
    from crisisdesk.models import Case

    case = Case.query.filter_by(shop_id=shop.id).one()
    assert case.order is not None and case.order.number == "7001"
