"""bench/load.py in a short bounded run: the real service (gunicorn and a worker) on loopback, a small flash-sale day
with duplicates and out-of-order deliveries while agents work in the panel; every check of the script must pass.

It proves exactly-once ingest end to end, not speed: no figure is asserted. Redis is the test session's (embedded, or
TEST_REDIS_URL's database, which the run flushes); the database is a temporary SQLite file, or a private schema in
TEST_DATABASE_URL's PostgreSQL database.
"""
import pytest

from bench import load
from tests.conftest import PG_URL


@pytest.fixture(params=["sqlite"] + (["postgresql"] if PG_URL else []))
def database_url(request):
    return PG_URL if request.param == "postgresql" else None


def test_a_short_flash_sale_applies_every_event_exactly_once(database_url, redis_url):
    result = load.run_load(orders=60, reviews=30, senders=3, agents=2, seconds=60, drain_seconds=60, think=0.2,
                            seed=3, database_url=database_url, redis_url=redis_url, web_workers=1)

    failed = [f"{check.name}: {check.detail}" for check in result.checks if not check.passed]
    assert failed == []
    assert len(result.checks) == 6
    kinds = set(result.record.latencies)
    assert {"order.created", "order.updated", "review.created", "login", "inbox"} <= kinds
    # Duplicates were really sent and answered as such (200), not stored twice.
    assert result.record.by_kind["order.updated"][200] + result.record.by_kind["order.created"][200] > 0
