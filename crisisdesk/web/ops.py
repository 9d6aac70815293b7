"""Health, readiness and metrics for process managers, load balancers and Prometheus.

/healthz answers while the process can serve a request at all (liveness: restart me if not);
/readyz also checks the database (migrated) and Redis (readiness: send me traffic); /metrics is the
Prometheus text format. Metrics show shop ids and volumes, so they are for the operator only: with
METRICS_TOKEN set, a scraper sends `Authorization: Bearer <token>`; without it, only loopback may read.
"""
import hmac
import logging
from ipaddress import ip_address

from flask import Blueprint, Response, current_app, jsonify, request
from redis.exceptions import RedisError
from sqlalchemy.exc import SQLAlchemyError

from crisisdesk.domain import prometheus
from crisisdesk.services import operations

blueprint = Blueprint("ops", __name__)
log = logging.getLogger(__name__)


@blueprint.get("/healthz")
def healthz():
    return jsonify(status="ok")


@blueprint.get("/readyz")
def readyz():
    checks = operations.readiness()
    ready = all(check.ok for check in checks)
    return jsonify(status="ready" if ready else "not ready",
                   checks={check.name: check.as_dict() for check in checks}), 200 if ready else 503


@blueprint.get("/metrics")
def metrics():
    refusal = _metrics_refusal()
    if refusal is not None:
        return refusal
    try:
        families = operations.metric_families()
    except (SQLAlchemyError, RedisError) as error:
        # A scrape during an outage: say so plainly (the scraper records the target as down), no traceback.
        log.warning("metrics: a part is unreachable (%s)", type(error).__name__)
        return jsonify(error="unavailable", reason=f"the database or Redis is unreachable ({type(error).__name__}); "
                                                   "see /readyz"), 503
    return Response(prometheus.render(families), content_type=prometheus.CONTENT_TYPE)


def _metrics_refusal():
    token = current_app.config.get("METRICS_TOKEN") or ""
    if token:
        sent = request.headers.get("Authorization", "")
        if hmac.compare_digest(sent.encode(), f"Bearer {token}".encode()):
            return None
        response = jsonify(error="unauthorized", reason="send Authorization: Bearer <METRICS_TOKEN>")
        response.status_code = 401
        response.headers["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    if _from_loopback(request.remote_addr):
        return None
    return jsonify(error="forbidden", reason="metrics are served to loopback only; set METRICS_TOKEN to allow "
                                             "a scraper elsewhere"), 403


def _from_loopback(address):
    try:
        return ip_address(address or "").is_loopback
    except ValueError:
        return False
