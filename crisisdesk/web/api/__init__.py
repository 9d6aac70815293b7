"""The signed JSON API used by the bridge (SPEC section 6). Signatures replace CSRF tokens here."""
from flask import Blueprint

from crisisdesk.extensions import csrf

blueprint = Blueprint("api", __name__)
csrf.exempt(blueprint)

from crisisdesk.web.api import (  # noqa: E402,F401  (routes register on import)
    bridge, events, openapi, privacy, summary, wc_review_request)
