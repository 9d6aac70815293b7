"""POST /api/v1/shops/<shop_id>/events: verify, store durably, answer fast, apply in a job."""
import logging

from flask import current_app, jsonify, request

from crisisdesk.jobs import enqueue_apply_event
from crisisdesk.services import ingest
from crisisdesk.web.api import blueprint
from crisisdesk.web.api.signed import read_body

log = logging.getLogger(__name__)


@blueprint.post("/shops/<int:shop_id>/events")
def receive_event(shop_id):
    limit = current_app.config["EVENT_MAX_BYTES"]
    body = read_body(limit)
    receipt = ingest.receive_event(shop_id, dict(request.headers), body, limit)
    if receipt.duplicate:
        return jsonify(status="already_received", event_id=receipt.event_id), 200
    enqueue_apply_event(receipt.event_id)
    return jsonify(status="accepted", event_id=receipt.event_id), 202
