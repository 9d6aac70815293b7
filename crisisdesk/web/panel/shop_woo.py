"""A shop's WooCommerce keys, compensation settings and suggestion table (owners only)."""
from decimal import Decimal

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from crisisdesk.domain import compensation_policy as policy
from crisisdesk.domain.errors import Invalid
from crisisdesk.integrations.woocommerce_api import WooError
from crisisdesk.services import policy_table
from crisisdesk.services import shops as shop_service
from crisisdesk.services import woo as woo_service
from crisisdesk.services.access import get_shop
from crisisdesk.web.panel import blueprint
from crisisdesk.web.panel.actions import perform
from crisisdesk.web.panel.shop_woo_forms import CompensationSettingsForm, PolicyForm, WooKeysForm, WooTestForm
from crisisdesk.web.security import current_actor, role_required
from crisisdesk.web.error_texts import panel_message


def forms_for(shop):
    """The forms the settings page shows for WooCommerce and compensation."""
    # formdata=None: when the page is shown again after another form's POST, these keep the saved values.
    return {"woo_keys_form": WooKeysForm(formdata=None, rest_url=shop.woo_url or ""), "woo_test_form": WooTestForm(),
            "compensation_form": CompensationSettingsForm(formdata=None, obj=shop)}


@blueprint.post("/shops/<int:shop_id>/woocommerce")
@role_required("owner")
def shop_woo_keys(shop_id):
    form = WooKeysForm()
    return perform(form, lambda: woo_service.save_keys(current_user, shop_id, form.consumer_key.data,
                                                       form.consumer_secret.data, current_actor(),
                                                       rest_url=form.rest_url.data or ""),
                   _("WooCommerce keys saved (encrypted). Test the connection to check them."), _back(shop_id))


@blueprint.post("/shops/<int:shop_id>/woocommerce/test")
@role_required("owner")
def shop_woo_test(shop_id):
    get_shop(current_user, shop_id, "owner")
    if WooTestForm().validate_on_submit():
        try:
            flash(panel_message(woo_service.test_connection(current_user, shop_id)), "success")
        except Invalid as error:
            flash(panel_message(error.message), "error")
        except WooError as error:
            flash(_("WooCommerce answered: %(message)s (%(code)s)", message=error.message,
                    code=error.code or error.status), "error")
    return redirect(_back(shop_id))


@blueprint.post("/shops/<int:shop_id>/compensation")
@role_required("owner")
def shop_compensation_settings(shop_id):
    form = CompensationSettingsForm()
    return perform(form, lambda: shop_service.update_compensation_settings(
        current_user, shop_id, current_actor(), form.approval_threshold.data, form.coupon_validity_days.data),
        _("Compensation settings saved."), _back(shop_id))


@blueprint.route("/shops/<int:shop_id>/policy", methods=["GET", "POST"])
@role_required("owner")
def shop_policy(shop_id):
    shop = get_shop(current_user, shop_id, "owner")
    form = PolicyForm()
    if form.validate_on_submit():
        try:
            policy_table.save_rules(current_user, shop_id, _rules_from(form), current_actor())
        except Invalid as error:
            form.form_errors.append(panel_message(error.message))
        else:
            flash(_("The suggestion table is saved."), "success")
            return redirect(url_for("panel.shop_policy", shop_id=shop_id))
    elif not form.is_submitted():
        rules, _defaults = policy_table.rules_for(current_user, shop_id)
        form = PolicyForm(data={"rows": [_row(rule) for rule in rules] + [{}]})
    _rules, using_defaults = policy_table.rules_for(current_user, shop_id)
    return render_template("panel/shops/policy.html", shop=shop, form=form, using_defaults=using_defaults), \
        400 if form.is_submitted() else 200


def _rules_from(form):
    return [policy.PolicyRule(row.cause.data, Decimal(row.min_order_value.data or 0), row.remedy.data,
                              int(row.percent.data or 0), (row.note.data or "").strip())
            for row in form.rows if row.cause.data]


def _row(rule):
    return {"cause": rule.cause, "min_order_value": rule.min_order_value, "remedy": rule.remedy,
            "percent": rule.percent, "note": rule.note}


def _back(shop_id):
    return url_for("panel.shop_settings", shop_id=shop_id, _anchor="woocommerce")
