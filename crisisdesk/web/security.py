"""Role checks, security headers and the client address used for throttling and the audit log."""
from functools import wraps

from flask import abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required

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


def init_app(app):
    app.login_manager.unauthorized_handler(send_to_login)

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
