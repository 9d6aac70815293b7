"""One error shape: JSON `{"error", "field"}` under /api, an HTML page elsewhere. No secrets in bodies."""
import logging

from flask import current_app, jsonify, make_response, render_template, request
from flask_babel import force_locale, gettext
from redis.exceptions import RedisError
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException

from crisisdesk.domain.errors import DomainError
from crisisdesk.domain.texts import N_
from crisisdesk.extensions import db
from crisisdesk.web.error_texts import panel_message
from crisisdesk.web.i18n import DEFAULT_LANGUAGE, PANEL_LANGUAGES

log = logging.getLogger(__name__)

# An outage of a part is not a bug: 503 says "try again" (the bridge then retries, honouring Retry-After),
# where a 500 would say something is wrong with this request. The reason names the part, never its address.
DATABASE_DOWN = N_("the service's database cannot be reached right now; try again shortly")
REDIS_DOWN = N_("the service's queue (Redis) cannot be reached right now; try again shortly")
RETRY_AFTER_SECONDS = 60


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
        response = make_response(error_response(error.status, error.message, error.field))
        if error.status == 503:  # Unavailable: a part is down; say when to come back, as for an outage below
            response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response

    @app.errorhandler(HTTPException)
    def http_error(error):
        response = make_response(error_response(error.code, error.description or error.name))
        for name, value in error.get_headers():  # e.g. Allow on a 405 (RFC 9110 requires it)
            if name.lower() != "content-type":
                response.headers[name] = value
        return response

    @app.errorhandler(OperationalError)  # connection refused or lost, a locked SQLite file, a deadlock
    @app.errorhandler(PoolTimeout)  # every pooled connection is busy
    def database_unavailable(error):
        return unavailable(DATABASE_DOWN, error)

    @app.errorhandler(RedisError)
    def redis_unavailable(error):
        return unavailable(REDIS_DOWN, error)

    @app.errorhandler(Exception)
    def unexpected_error(error):
        log.exception("unhandled error on %s %s", request.method, request.path)
        message = N_("Something went wrong on our side. It has been logged.")
        return error_response(500, message if wants_json() else gettext(message))


def unavailable(message, error):
    """503 with the reason and Retry-After; the traceback goes to no one (the log names the error's type)."""
    log.warning("%s %s: %s (%s)", request.method, request.path, message, type(error).__name__)
    _give_up_transaction()
    if wants_json():
        response = make_response(error_response(503, message))
    else:
        response = make_response(_unavailable_page(message), 503)
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _give_up_transaction():
    # The session may hold a transaction the outage broke; the next use of it (in this request, or in a
    # test that shares the app context) must start afresh.
    try:
        db.session.rollback()
    except SQLAlchemyError:
        db.session.invalidate()


def _unavailable_page(message):
    """The page, rendered without the app's context processors: they look up the logged-in user (and so the
    database, which may be what is down). The browser's language chooses between English and Polish."""
    language = request.accept_languages.best_match(list(PANEL_LANGUAGES)) or DEFAULT_LANGUAGE
    with force_locale(language):
        return current_app.jinja_env.get_template("errors/unavailable.html").render(
            language=language, message=gettext(message))
