"""Schemathesis fuzzes every operation of the served OpenAPI description against the app (in-process WSGI, the
real database and Redis): no 5xx ever, every status one the description documents for that operation, every
answer in its documented shape and content type.

Signed runs reach past the signature check: a WSGI middleware signs each request's exact body with the shop's
secret and a fresh webhook-id, as the bridge does. Unsigned runs send no signature or garbage headers.
Schemathesis' Python API drives Hypothesis here directly (one @given per operation and mode, derandomized, no
example database), so the runs are the same on every machine and the file needs no pytest plugin.
"""
import io
import uuid

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (content_type_conformance, response_schema_conformance,
                                               status_code_conformance)

from crisisdesk.domain.actor import Actor
from crisisdesk.integrations.webhook_signing import sign
from crisisdesk.services import woo as woo_service
from crisisdesk.web.api.openapi import openapi_document
from tests import factories

SCHEMA = schemathesis.openapi.from_dict(openapi_document())
OPERATIONS = {operation.ok().label: operation.ok() for operation in SCHEMA.get_all_operations()}
SIGNED = sorted(label for label in OPERATIONS if "/shops/" in label)
UNSIGNED = sorted(label for label in OPERATIONS if "/shops/" not in label)
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
# /readyz answers 503 "not ready" here, as documented: the test database is made by create_all, not migrated.
CHECKS_FOR = {"GET /readyz": CHECKS[1:]}
# Bounded and deterministic: the same examples on every run, nothing written into the repository.
FUZZ = settings(max_examples=25, derandomize=True, database=None, deadline=None, print_blob=False,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large])


class SigningMiddleware:
    """Signs each request's body, byte for byte as it arrives, with the shop's secret and a new webhook-id."""

    def __init__(self, app, secret):
        self.app, self.secret = app, secret

    def __call__(self, environ, start_response):
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        environ["wsgi.input"] = io.BytesIO(body)
        try:
            headers = sign(self.secret, f"msg_{uuid.uuid4().hex}", body)
        except UnicodeDecodeError:
            headers = {}  # a body that is not UTF-8 cannot be signed: the service must answer 401
        for name, value in headers.items():
            environ["HTTP_" + name.upper().replace("-", "_")] = value
        return self.app(environ, start_response)


@pytest.fixture
def fuzzed_shop(app, owner):
    """A shop with WooCommerce keys, so the backfill call can be accepted (nothing listens at that address)."""
    shop = factories.make_shop("Fuzzed shop")
    woo_service.save_keys(owner, shop.id, "ck_" + "1" * 40, "cs_" + "2" * 40, Actor(label=owner.email),
                          rest_url="http://127.0.0.1:9")
    return shop


def fuzz(operation, mode, send, max_examples=FUZZ.max_examples, **fixed):
    """Generate cases of `operation` in `mode`, send each with `send(case, headers)` (headers drawn from
    `fixed["headers"]`, a strategy, or none), check the answer against the description; returns the statuses seen."""
    seen = set()
    headers = fixed.pop("headers", st.none())

    @settings(FUZZ, max_examples=max_examples)
    @given(case=operation.as_strategy(generation_mode=mode, **fixed), extra_headers=headers)
    def run(case, extra_headers):
        response = send(case, extra_headers)
        case.validate_response(response, checks=CHECKS_FOR.get(operation.label, CHECKS))
        seen.add(response.status_code)

    run()
    return seen


# Printable ASCII without spaces: what any HTTP client can send (requests refuses leading whitespace).
GARBAGE_HEADER = st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), max_size=40)
GARBAGE_SIGNATURES = st.fixed_dictionaries({}, optional={
    "webhook-id": GARBAGE_HEADER,
    "webhook-timestamp": st.one_of(GARBAGE_HEADER, st.integers(-10 ** 12, 10 ** 12).map(str)),
    "webhook-signature": st.one_of(GARBAGE_HEADER, GARBAGE_HEADER.map("v1,{}".format),
                                   st.binary(min_size=32, max_size=32).map(lambda b: "v1," + b.hex())),
})


@pytest.mark.parametrize("label", SIGNED)
def test_every_signed_call_answers_only_as_documented(app, fuzzed_shop, label):
    operation, shop = OPERATIONS[label], {"shop_id": fuzzed_shop.id}

    def send(case, headers):
        return case.call(app=app, headers=headers)

    # Unsigned: no signature or garbage headers, to the real shop and then (broken requests) to any shop id.
    unsigned = (fuzz(operation, GenerationMode.POSITIVE, send, 10, headers=GARBAGE_SIGNATURES, path_parameters=shop)
                | fuzz(operation, GenerationMode.NEGATIVE, send, 10, headers=GARBAGE_SIGNATURES))
    assert 401 in unsigned and unsigned <= {401, 404, 413}, unsigned

    signing = SigningMiddleware(app.wsgi_app, factories.secret_of(fuzzed_shop))
    app.wsgi_app = signing
    try:
        valid = fuzz(operation, GenerationMode.POSITIVE, send, path_parameters=shop)
        invalid = fuzz(operation, GenerationMode.NEGATIVE, send, path_parameters=shop)
    finally:
        app.wsgi_app = signing.app
    # Signed, fuzzing goes past the signature: valid bodies are accepted, broken ones refused as documented
    # (a broken body that is not UTF-8 cannot be signed, and is refused with 401).
    assert any(200 <= status < 300 for status in valid) and 401 not in valid, valid
    assert invalid and all(400 <= status < 500 for status in invalid - valid), invalid


@pytest.mark.parametrize("label", UNSIGNED)
def test_every_open_endpoint_answers_only_as_documented(app, label):
    def send(case, headers):
        return case.call(app=app, environ_base={"REMOTE_ADDR": "127.0.0.1"})  # loopback, as a local scraper

    statuses = fuzz(OPERATIONS[label], GenerationMode.POSITIVE, send)
    assert statuses == {503 if label == "GET /readyz" else 200}, statuses
