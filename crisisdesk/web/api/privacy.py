"""Where WordPress's personal-data exporter and eraser forward to: one customer, by email, in one shop."""
from flask import jsonify

from crisisdesk.services import privacy
from crisisdesk.web.api import blueprint
from crisisdesk.web.api.signed import json_object, signed


@blueprint.post("/shops/<int:shop_id>/privacy/export")
@signed
def privacy_export(shop, body):
    return jsonify(privacy.export(shop, json_object(body).get("email")))


@blueprint.post("/shops/<int:shop_id>/privacy/erase")
@signed
def privacy_erase(shop, body):
    return jsonify(privacy.erase(shop, json_object(body).get("email")))
