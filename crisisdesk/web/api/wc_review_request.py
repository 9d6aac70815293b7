"""Asked by the bridge before WooCommerce (10.8+) schedules its own review request for a completed order."""
from flask import jsonify

from crisisdesk.services import wc_review_request
from crisisdesk.web.api import blueprint
from crisisdesk.web.api.signed import json_object, signed


@blueprint.post("/shops/<int:shop_id>/review-request-check")
@signed
def review_request_check(shop, body):
    return jsonify(wc_review_request.check(shop, json_object(body)))
