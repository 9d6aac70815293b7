"""GET /api/v1/openapi.json: the API's hand-written OpenAPI description (openapi.yaml beside this file), as JSON."""
from functools import cache
from pathlib import Path

import yaml
from flask import jsonify

from crisisdesk.web.api import blueprint

DOCUMENT = Path(__file__).with_name("openapi.yaml")


@cache
def openapi_document():
    """The description as a dict, read once per process (it changes only with a deploy)."""
    return yaml.safe_load(DOCUMENT.read_text(encoding="utf-8"))


@blueprint.get("/openapi.json")
def openapi_json():
    response = jsonify(openapi_document())
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response
