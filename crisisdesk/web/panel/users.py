"""Panel accounts: owners list, create and change people's role, shops and language; everyone sets their own language."""
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import refresh
from flask_login import current_user
from wtforms import SelectChoice

from crisisdesk.domain.errors import Conflict, Invalid
from crisisdesk.extensions import db
from crisisdesk.models import User
from crisisdesk.services import users as user_service
from crisisdesk.services.access import visible_shops
from crisisdesk.web.error_texts import panel_message
from crisisdesk.web.i18n import PANEL_LANGUAGES
from crisisdesk.web.panel import blueprint
from crisisdesk.web.panel.actions import perform
from crisisdesk.web.panel.forms import AccountForm, UserAccessForm, UserForm
from crisisdesk.web.security import current_actor, role_required


@blueprint.route("/users", methods=["GET", "POST"])
@role_required("owner")
def user_list():
    form = UserForm()
    form.shops.choices = [SelectChoice(s.id, s.name) for s in visible_shops(current_user)]
    if form.validate_on_submit():
        try:
            user_service.create_user(form.email.data, form.role.data, form.password.data, current_actor(),
                                     shop_ids=form.shops.data, name=form.name.data or "",
                                     language=form.language.data)
        except (Invalid, Conflict) as error:
            getattr(form, error.field, form.email).errors.append(panel_message(error.message))
        else:
            flash(_("User created."), "success")
            return redirect(url_for("panel.user_list"))
    people = User.query.order_by(User.email).all()
    access_forms = {}
    for person in people:
        access = UserAccessForm(prefix=f"u{person.id}", role=person.role, shops=[s.id for s in person.shops],
                                language=person.language)
        access.shops.choices = form.shops.choices
        access_forms[person.id] = access
    return render_template("panel/users/list.html", people=people, form=form, access_forms=access_forms,
                           panel_languages=PANEL_LANGUAGES), \
        400 if form.is_submitted() else 200


@blueprint.post("/users/<int:user_id>/access")
@role_required("owner")
def user_access(user_id):
    if db.session.get(User, user_id) is None:
        flash(_("That user no longer exists."), "error")
        return redirect(url_for("panel.user_list"))
    form = UserAccessForm(prefix=f"u{user_id}")
    form.shops.choices = [SelectChoice(s.id, s.name) for s in visible_shops(current_user)]
    return perform(form, lambda: user_service.set_user_access(user_id, form.role.data, form.shops.data,
                                                              current_actor(), language=form.language.data or None),
                   _("Access saved."), url_for("panel.user_list"))


@blueprint.route("/account", methods=["GET", "POST"])
@role_required("viewer")
def account():
    """My account: the logged-in person's own panel language (every role)."""
    form = AccountForm(language=current_user.language)
    if form.validate_on_submit():
        try:
            user_service.set_language(current_user.id, form.language.data, current_actor())
        except Invalid as error:
            form.language.errors.append(panel_message(error.message))
        else:
            # Flashed after the change, so the confirmation is already in the new language.
            refresh()
            flash(_("Your panel language is saved."), "success")
            return redirect(url_for("panel.account"))
    return render_template("panel/account.html", form=form), 400 if form.is_submitted() else 200
