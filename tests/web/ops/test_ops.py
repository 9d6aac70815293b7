"""Health, readiness and Prometheus metrics, against the real database and Redis."""
import pytest
from sqlalchemy import text

from crisisdesk.domain.actor import CLI
from crisisdesk.extensions import db
from crisisdesk.models import Case
from crisisdesk.services import cases
from tests import factories

OUTSIDE = {"REMOTE_ADDR": "203.0.113.5"}


@pytest.fixture
def web(app):
    return app.test_client()


@pytest.fixture(autouse=True)
def unstamped(app):
    """create_all builds the schema without Alembic's table; drop a stamp an earlier test left (PostgreSQL keeps it
    between tests, since drop_all only drops the models' tables)."""
    def drop_stamp():
        db.session.execute(text("DROP TABLE IF EXISTS alembic_version"))
        db.session.commit()
    drop_stamp()
    yield
    db.session.rollback()
    drop_stamp()


def migrated(app):
    """Mark the test database (built by create_all) as migrated to the head, as `flask db upgrade` would."""
    result = app.test_cli_runner().invoke(args=["db", "stamp", "head"])
    assert result.exit_code == 0, result.output


def test_liveness_answers_without_touching_the_database_or_redis(web):
    response = web.get("/healthz")
    assert (response.status_code, response.json) == (200, {"status": "ok"})


def test_it_is_ready_when_the_database_is_migrated_and_redis_answers(app, web):
    migrated(app)
    response = web.get("/readyz")
    assert response.status_code == 200
    assert response.json["status"] == "ready"
    assert {name: check["ok"] for name, check in response.json["checks"].items()} == {"database": True,
                                                                                         "redis": True}


def test_it_is_not_ready_before_migrations_and_says_what_to_run(web):
    response = web.get("/readyz")
    assert response.status_code == 503
    database = response.json["checks"]["database"]
    assert not database["ok"] and "flask --app wsgi db upgrade" in database["detail"]


def test_it_is_not_ready_when_redis_is_down_and_names_no_address(app, web):
    migrated(app)
    with factories.redis_unreachable(app):
        response = web.get("/readyz")
    assert response.status_code == 503
    redis = response.json["checks"]["redis"]
    assert not redis["ok"] and redis["detail"].startswith("unreachable (")
    assert "127.0.0.1" not in response.get_data(as_text=True)


def test_metrics_count_cases_sla_breaches_events_and_queues_per_shop(app, web, shop_a, shop_b, owner, frozen_clock):
    factories.deliver(shop_a, "review.created", factories.review(
        review_id=1, rating=1, created_at=factories.hours_ago(30, frozen_clock.now)))
    factories.deliver(shop_a, "review.created", factories.review(review_id=2, rating=2))
    factories.deliver(shop_b, "review.created", factories.review(review_id=3, rating=5, text="Lovely."))
    resolved = Case.query.filter_by(shop_id=shop_a.id).order_by(Case.id.desc()).first()
    cases.change_status(owner, resolved.id, "resolved", CLI)

    response = web.get("/metrics")

    assert response.status_code == 200
    assert response.content_type == "text/plain; version=0.0.4; charset=utf-8"
    body = response.get_data(as_text=True)
    assert f'crisisdesk_cases_open{{shop="{shop_a.id}"}} 1\n' in body
    assert f'crisisdesk_cases_overdue{{shop="{shop_a.id}"}} 1\n' in body  # 30 h unanswered
    assert f'shop="{shop_b.id}"' not in body  # a 5★ review opens no case
    assert 'crisisdesk_events_received_total{outcome="applied",type="review.created"} 3\n' in body
    assert 'crisisdesk_queue_jobs{queue="events"}' in body
    assert "# TYPE crisisdesk_events_received_total counter" in body
    assert "crisisdesk_crisis_alerts_open 0\n" in body


def test_metrics_are_for_loopback_only_without_a_token(web):
    response = web.get("/metrics", environ_base=OUTSIDE)
    assert response.status_code == 403 and "METRICS_TOKEN" in response.json["reason"]


def test_metrics_need_the_bearer_token_when_one_is_set(app, web):
    app.config["METRICS_TOKEN"] = "scrape-token-123"
    assert web.get("/metrics").status_code == 401  # loopback is not enough once a token is set
    assert web.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 401
    allowed = web.get("/metrics", environ_base=OUTSIDE, headers={"Authorization": "Bearer scrape-token-123"})
    assert allowed.status_code == 200 and "crisisdesk_workers" in allowed.get_data(as_text=True)


def test_metrics_answer_503_with_a_reason_when_redis_is_down(app, web):
    with factories.redis_unreachable(app):
        response = web.get("/metrics")
    assert response.status_code == 503 and "/readyz" in response.json["reason"]
