"""Role checks, security headers, bidi-safe template output and the client address used for throttling and the
audit log."""
from functools import wraps

from flask import abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required
from markupsafe import Markup

from crisisdesk.domain import bidi
from crisisdesk.domain.actor import Actor
from crisisdesk.domain.roles import ROLE_LABELS, Role

CONTENT_SECURITY_POLICY = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
                           "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")


def role_required(role):
    """The view needs a logged-in user with at least `role` (owner ⊃ agent ⊃ viewer)."""
    needed = Role(role)

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not current_user.can(needed):
                abort(403, gettext("This page needs the %(role)s role.", role=gettext(ROLE_LABELS[needed.value])))
            return view(*args, **kwargs)

        return wrapped

    return decorator


def client_ip():
    # Behind a reverse proxy, configure ProxyFix in wsgi.py; never trust X-Forwarded-For blindly here.
    return request.remote_addr or "unknown"


def current_actor():
    """The Actor for the logged-in user of this request (for the audit log and timeline)."""
    return Actor(label=current_user.email, user_id=current_user.id, ip=client_ip())


def send_to_login():
    """Where an anonymous visitor goes: the login page, coming back to the page they asked for."""
    # Only a GET is worth returning to: the browser follows `next` with a GET, which a form's
    # POST-only URL (an expired session on "Change status") would answer with 405.
    flash(gettext(current_app.login_manager.login_message))
    target = request.full_path.rstrip("?") if request.method == "GET" else None
    return redirect(url_for(current_app.login_manager.login_view, next=target))


def balanced_output(value):
    """Jinja's `finalize`, run on every printed value of the panel, public pages and emails before escaping: a
    right-to-left override in a review or a name stays inside that text (domain/bidi.py)."""
    if isinstance(value, str):
        balanced = bidi.balance(value)
        if balanced is not value:
            return Markup(balanced) if isinstance(value, Markup) else balanced
    return value


def _balancing_variables(translate):
    """A template's gettext whose %(name)s values are balanced one by one: an override in a name put into a
    sentence ("%(product)s by %(name)s") stays out of the sentence's own words."""
    @wraps(translate)  # keeps Jinja's pass_context mark: the context still comes first
    def call(*args, **variables):
        return translate(*args, **{name: balanced_output(value) for name, value in variables.items()})

    return call


def _balance_template_output(app):
    app.jinja_env.finalize = balanced_output  # set before any template is compiled: Jinja builds it in
    for name in ("gettext", "ngettext", "pgettext", "npgettext"):  # installed by Flask-Babel; `_` calls gettext
        if name in app.jinja_env.globals:
            app.jinja_env.globals[name] = _balancing_variables(app.jinja_env.globals[name])


def init_app(app):
    app.login_manager.unauthorized_handler(send_to_login)
    _balance_template_output(app)

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if app.config["SESSION_COOKIE_SECURE"]:
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        if request.endpoint and not request.endpoint.startswith("static") and "Cache-Control" not in response.headers:
            response.headers["Cache-Control"] = "no-store"
        return response
