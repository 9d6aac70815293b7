"""Privacy requests (Shops → a shop → Privacy requests): what the shop holds about one customer, their export as
JSON, and their erasure after typing the address again. Owners only; services/privacy.py audits each step.

The address travels in POST bodies only, never in a URL, so it stays out of server logs and browser history.
"""
import json

from flask import Response, flash, redirect, render_template, url_for
from flask_login import current_user

from crisisdesk import clock
from crisisdesk.domain.errors import Invalid
from crisisdesk.domain.personal_data import lookup_address
from crisisdesk.domain.privacy_texts import CHANGED_KINDS, HELD_KINDS, RETAINED_WHY
from crisisdesk.domain.roles import Role
from crisisdesk.services import privacy
from crisisdesk.services.access import get_shop
from crisisdesk.web.error_texts import panel_message
from crisisdesk.web.panel import blueprint
from crisisdesk.web.panel.privacy_forms import PrivacyEraseForm, PrivacyExportForm, PrivacyLookupForm
from crisisdesk.web.security import current_actor, role_required


@blueprint.route("/shops/<int:shop_id>/privacy", methods=["GET", "POST"])
@role_required("owner")
def shop_privacy(shop_id):
    shop = get_shop(current_user, shop_id, Role.OWNER)
    form = PrivacyLookupForm()
    if not form.validate_on_submit():
        return _page(shop, form), 400 if form.is_submitted() else 200
    try:
        held = privacy.look_up(shop, form.email.data, current_actor())
    except Invalid as error:
        form.email.errors.append(panel_message(error.message))
        return _page(shop, form), 400
    return _page(shop, form, held=held, email=lookup_address(form.email.data))


@blueprint.post("/shops/<int:shop_id>/privacy/export")
@role_required("owner")
def shop_privacy_export(shop_id):
    shop = get_shop(current_user, shop_id, Role.OWNER)
    form = PrivacyExportForm()  # its CSRF token is checked for every POST (CSRFProtect); the address by the service
    try:
        export = privacy.export(shop, form.email.data, current_actor())
    except Invalid as error:
        return _back_to_look_up(shop, error)
    name = f"crisisdesk-export-shop-{shop.id}-{clock.utcnow():%Y-%m-%d}.json"  # no address: file lists keep names
    return Response(json.dumps(export, ensure_ascii=False, indent=2), mimetype="application/json",
                    headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"})


@blueprint.post("/shops/<int:shop_id>/privacy/erase")
@role_required("owner")
def shop_privacy_erase(shop_id):
    shop = get_shop(current_user, shop_id, Role.OWNER)
    form = PrivacyEraseForm()
    try:
        if form.validate_on_submit():
            erasure = privacy.erase_customer(shop, form.email.data, current_actor())
            return render_template("panel/privacy/erased.html", shop=shop, email=lookup_address(form.email.data),
                                   erasure=erasure, **_labels())
        # The confirmation did not match (or was left empty): the same page again, with the reason; nothing erased.
        held = privacy.look_up(shop, form.email.data, current_actor())
    except Invalid as error:
        return _back_to_look_up(shop, error)
    lookup = PrivacyLookupForm(formdata=None, email=form.email.data)
    return _page(shop, lookup, held=held, email=lookup_address(form.email.data), erase_form=form), 400


def _back_to_look_up(shop, error):
    # Only a tampered or expired form gets here: the buttons carry the address that was looked up.
    flash(panel_message(error.message), "error")
    return redirect(url_for("panel.shop_privacy", shop_id=shop.id))


def _page(shop, form, held=None, email=None, erase_form=None):
    return render_template("panel/privacy/index.html", shop=shop, form=form, held=held, email=email,
                           export_form=PrivacyExportForm(formdata=None, email=email),
                           erase_form=erase_form or PrivacyEraseForm(formdata=None, email=email), **_labels())


def _labels():
    return {"held_kinds": HELD_KINDS, "changed_kinds": CHANGED_KINDS, "retained_why": RETAINED_WHY}
