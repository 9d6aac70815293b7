"""Shared handling of a posted panel form: validate, call the service, flash, redirect (POST/redirect/GET)."""
from flask import flash, redirect
from flask_babel import gettext as _

from crisisdesk.domain.errors import Conflict, Invalid
from crisisdesk.web.error_texts import panel_message


def perform(form, action, done_message, back_to):
    """Run `action()` when `form` validates; a rule broken by the input is flashed, nothing is lost."""
    if not form.validate_on_submit():
        for field, errors in form.errors.items():
            label = getattr(form, field).label.text if hasattr(form, field) else field
            flash(_("%(field)s: %(error)s", field=label, error=errors[0]), "error")
        return redirect(back_to)
    try:
        action()
    except (Invalid, Conflict) as error:
        flash(panel_message(error.message), "error")
        return redirect(back_to)
    flash(done_message, "success")
    return redirect(back_to)
