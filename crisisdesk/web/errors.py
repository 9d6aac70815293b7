"""One error shape: JSON `{"error", "field"}` under /api, an HTML page elsewhere. No secrets in bodies."""
import logging

from flask import jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from crisisdesk.domain.errors import DomainError

log = logging.getLogger(__name__)


def wants_json():
    return request.path.startswith("/api/")


def error_response(status, message, field=None):
    if wants_json():
        body = {"error": message}
        if field:
            body["field"] = field
        return jsonify(body), status
    return render_template("errors/error.html", status=status, message=message), status


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
        return error_response(500, "Something went wrong on our side. It has been logged.")
