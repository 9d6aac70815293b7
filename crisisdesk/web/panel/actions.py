"""Shared handling of a posted panel form: validate, call the service, flash, redirect (POST/redirect/GET)."""
from flask import flash, redirect

from crisisdesk.domain.errors import Conflict, Invalid


def perform(form, action, done_message, back_to):
    """Run `action()` when `form` validates; a rule broken by the input is flashed, nothing is lost."""
    if not form.validate_on_submit():
        for field, errors in form.errors.items():
            flash(f"{getattr(form, field).label.text if hasattr(form, field) else field}: {errors[0]}", "error")
        return redirect(back_to)
    try:
        action()
    except (Invalid, Conflict) as error:
        flash(error.message, "error")
        return redirect(back_to)
    flash(done_message, "success")
    return redirect(back_to)
