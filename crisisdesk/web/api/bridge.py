"""The bridge's own calls: "Test connection" (ping) and "Import history" (backfill)."""
from flask import jsonify

from crisisdesk import clock
from crisisdesk.domain.errors import Invalid
from crisisdesk.services import backfill as backfill_service
from crisisdesk.web.api import blueprint
from crisisdesk.web.api.signed import json_object, signed


@blueprint.post("/shops/<int:shop_id>/ping")
@signed
def ping(shop, body):
    json_object(body)  # `{}` or nothing; anything else is a client bug worth a clear 400
    # service_time lets the plugin warn about a skewed clock before its signatures start failing.
    return jsonify(status="ok", shop={"id": shop.id, "name": shop.name},
                   service_time=clock.utcnow().isoformat(timespec="seconds").replace("+00:00", "Z"))


@blueprint.post("/shops/<int:shop_id>/backfill")
@signed
def request_backfill(shop, body):
    restart = json_object(body).get("restart", False)
    if not isinstance(restart, bool):
        raise Invalid("restart must be true or false", "restart")
    backfill_service.request_backfill_from_bridge(shop, restart=restart)
    return jsonify(status="queued"), 202
