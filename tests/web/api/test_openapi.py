"""GET /api/v1/openapi.json: the hand-written description of the API is served, covers exactly the app's routes,
and its request schemas say what the parsers do (the recorded WooCommerce payloads fit and are accepted; what the
parsers refuse, the description refuses too). test_openapi_fuzz.py checks the answers against it."""
import json
import re

import jsonschema_rs  # comes with schemathesis (requirements-dev.txt)
import pytest
import yaml

from crisisdesk.web.api.openapi import DOCUMENT, openapi_document
from tests import factories
from tests.web.api.answers import assert_error

METHODS = {"get", "post", "put", "patch", "delete"}
WHEN = "2026-11-22T10:00:00Z"


def described_operations():
    return {(path, method.upper()) for path, item in openapi_document()["paths"].items() for method in item
            if method in METHODS}


def routed_operations(app):
    """(OpenAPI path, method) of every route under /api/v1 and of the ops endpoints, from the app's URL map."""
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1/") or rule.endpoint.startswith("ops."):
            path = re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule.rule)
            routes |= {(path, method) for method in rule.methods - {"HEAD", "OPTIONS"}}
    return routes


def request_schema(path, method="post"):
    """A validator for an operation's JSON request body, resolving the document's own $refs."""
    schema = openapi_document()["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"]
    return jsonschema_rs.Draft202012Validator({**schema, "components": openapi_document()["components"]})


def test_the_description_is_served_as_json_without_a_signature(app):
    response = app.test_client().get("/api/v1/openapi.json")

    assert response.status_code == 200 and response.is_json
    assert response.get_json() == yaml.safe_load(DOCUMENT.read_text()) and response.get_json()["openapi"] == "3.1.0"
    assert response.headers["Cache-Control"] == "public, max-age=3600"


def test_every_route_is_described_and_every_described_operation_is_routed(app):
    assert routed_operations(app) == described_operations()


def test_every_schema_in_it_is_a_valid_json_schema():
    components = openapi_document()["components"]["schemas"]
    operations = [operation for item in openapi_document()["paths"].values() for operation in item.values()
                  if isinstance(operation, dict)]
    inline = [media["schema"] for operation in operations
              for part in [operation.get("requestBody", {}), *operation.get("responses", {}).values()]
              for media in part.get("content", {}).values() if "schema" in media]
    for schema in [*components.values(), *inline]:
        assert jsonschema_rs.meta.is_valid(schema), schema


@pytest.mark.parametrize("event_type, name", [("order.created", "order_created"), ("order.updated", "order_completed"),
                                              ("order.refunded", "order_after_refund"), ("review.created", "review")])
def test_the_recorded_payloads_fit_the_description_and_are_accepted(app, api, shop_a, event_type, name):
    body = {"type": event_type, "occurred_at": WHEN, "data": factories.recorded(name)}

    assert request_schema("/api/v1/shops/{shop_id}/events").is_valid(body)
    assert api.post(shop_a, body).status_code == 202


def review_with(**fields):
    return {"type": "review.created", "occurred_at": WHEN, "data": factories.recorded("review") | fields}


def order_with(**fields):
    return {"type": "order.created", "occurred_at": WHEN, "data": factories.recorded("order_created") | fields}


REFUSED_EVENTS = [
    ({"type": "review.deleted", "occurred_at": WHEN, "data": {}}, "type"),
    (review_with() | {"occurred_at": "2026-11-22 10:00"}, "occurred_at"),
    (review_with(rating=6), "data.rating"),
    (review_with(rating="5"), "data.rating"),
    (review_with(status="deleted"), "data.status"),
    (review_with(id=0), "data.id"),
    (review_with(id=2 ** 31), "data.id"),
    (review_with(product_id="10a"), "data.product_id"),
    (review_with(reviewer_email="x" * 255), "data.reviewer_email"),
    (review_with(date_created_gmt="2026-02-30T10:00:00"), "data.date_created_gmt"),
    (order_with(status=""), "data.status"),
    (order_with(status="s" * 41), "data.status"),
    (order_with(currency="EURO-DOLLAR"), "data.currency"),
    (order_with(total="72,50"), "data.total"),
    (order_with(total=1e10), "data.total"),
    (order_with(customer_id=2 ** 31), "data.customer_id"),
    (order_with(line_items={"id": 1}), "data.line_items"),
    (order_with(line_items=[{"name": "no id"}]), "data.line_items[0].id"),
    (order_with(billing="Grace Hopper"), "data.billing"),
]


@pytest.mark.parametrize("body, field", REFUSED_EVENTS, ids=[field for _, field in REFUSED_EVENTS])
def test_what_the_parser_refuses_the_description_refuses_too(app, api, shop_a, body, field):
    assert not request_schema("/api/v1/shops/{shop_id}/events").is_valid(body)
    assert_error(api.post(shop_a, json.dumps(body).encode()), 400, field)


@pytest.mark.parametrize("path, body, field", [
    ("privacy/export", {}, "email"),
    ("privacy/erase", {"email": "not an address"}, "email"),
    ("review-request-check", {"email": "grace@example.com", "order_id": -3}, "order_id"),
    ("backfill", {"restart": "yes"}, "restart"),
])
def test_what_a_call_refuses_the_description_refuses_too(app, bridge, shop_a, path, body, field):
    assert not request_schema(f"/api/v1/shops/{{shop_id}}/{path}").is_valid(body)
    assert_error(bridge.post(shop_a, path, body), 400, field)
