"""Settings every database connection of the app gets (crisisdesk/extensions.py), on each backend the tests run."""
from sqlalchemy import text

from crisisdesk.extensions import db


def test_each_connection_is_tuned_for_its_database(app, backend):
    with db.engine.connect() as connection:
        if backend == "postgresql":
            # JIT compiling cost the dashboard more than it saved (bench/panel_scale.py): off for the app.
            assert connection.execute(text("SHOW jit")).scalar() == "off"
            connection.rollback()  # the setting outlives a transaction that is rolled back
            assert connection.execute(text("SHOW jit")).scalar() == "off"
        else:
            assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
