from flask import Blueprint

blueprint = Blueprint("auth", __name__)

from crisisdesk.web.auth import routes  # noqa: E402,F401
