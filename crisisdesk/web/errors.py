"""One error shape: JSON `{"error", "field"}` under /api, an HTML page elsewhere. No secrets in bodies."""
import logging

from flask import jsonify, render_template, request
from flask_babel import gettext
from werkzeug.exceptions import HTTPException

from crisisdesk.domain.errors import DomainError
from crisisdesk.domain.texts import N_
from crisisdesk.web.error_texts import panel_message

log = logging.getLogger(__name__)


def wants_json():
    return request.path.startswith("/api/")


def error_response(status, message, field=None):
    if wants_json():
        body = {"error": message}
        if field:
            body["field"] = field
        return jsonify(body), status
    # JSON answers stay English (the bridge and scripts read them); the page speaks the panel's language.
    return render_template("errors/error.html", status=status, message=panel_message(message)), status


def init_app(app):
    @app.errorhandler(DomainError)
    def domain_error(error):
        return error_response(error.status, error.message, error.field)

    @app.errorhandler(HTTPException)
    def http_error(error):
        return error_response(error.code, error.description or error.name)

    @app.errorhandler(Exception)
    def unexpected_error(error):
        log.exception("unhandled error on %s %s", request.method, request.path)
        message = N_("Something went wrong on our side. It has been logged.")
        return error_response(500, message if wants_json() else gettext(message))
