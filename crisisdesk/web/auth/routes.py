"""Login and logout. Logout is a POST with a CSRF token, so another site cannot log people out."""
from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from crisisdesk.domain.errors import Throttled
from crisisdesk.services import users as user_service
from crisisdesk.web.auth import blueprint
from crisisdesk.web.auth.forms import LoginForm, LogoutForm
from crisisdesk.web.security import client_ip
from crisisdesk.web.error_texts import panel_message


@blueprint.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("panel.inbox"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        try:
            user = user_service.authenticate(form.email.data, form.password.data, client_ip(),
                                             current_app.config["LOGIN_MAX_FAILURES"],
                                             current_app.config["LOGIN_LOCKOUT_MINUTES"])
        except Throttled as error:
            form.form_errors.append(panel_message(error.message))
            return render_template("auth/login.html", form=form), 429
        if user is not None:
            session.clear()  # a fresh session on login: no fixation
            login_user(user, remember=form.remember.data)
            return redirect(_safe_next(request.args.get("next")))
        form.form_errors.append(_("Wrong email or password."))
        status = 401
    elif form.is_submitted():
        status = 400
    return render_template("auth/login.html", form=form), status


@blueprint.post("/logout")
def logout():
    if LogoutForm().validate_on_submit():
        if current_user.is_authenticated:
            # The session is a signed cookie: only a new token on the account makes copies of it useless.
            user_service.end_sessions(current_user.id)
        logout_user()
        session.clear()
        flash(_("You are logged out."))
    return redirect(url_for("auth.login"))


def _safe_next(target):
    # Only same-site paths: an attacker's link must not send people elsewhere after login.
    if target and not urlsplit(target).netloc and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("panel.inbox")
