"""Shops: the list, connecting one, its settings, its email and review request settings, its dispatch promise
(at-risk orders), its retention period and the rotation of its shared secret."""
from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from crisisdesk.domain.errors import Invalid
from crisisdesk.services import at_risk_orders, moderation_watch, retention, review_requests
from crisisdesk.services import shops as shop_service
from crisisdesk.services.access import get_shop, visible_shops
from crisisdesk.web.panel import blueprint, shop_woo
from crisisdesk.web.panel.at_risk_forms import AtRiskSettingsForm
from crisisdesk.web.panel.follow_up_forms import FollowUpSettingsForm
from crisisdesk.web.panel.forms import RotateSecretForm, ShopForm, ShopSettingsForm
from crisisdesk.web.panel.moderation_forms import ModerationSettingsForm
from crisisdesk.web.panel.privacy_forms import RetentionSettingsForm
from crisisdesk.web.panel.review_request_forms import ReviewRequestSettingsForm
from crisisdesk.web.security import current_actor, role_required
from crisisdesk.web.error_texts import panel_message


@blueprint.get("/shops")
@role_required("viewer")
def shop_list():
    return render_template("panel/shops/list.html", shops=visible_shops(current_user))


@blueprint.route("/shops/new", methods=["GET", "POST"])
@role_required("owner")
def shop_new():
    form = ShopForm()
    if form.validate_on_submit():
        try:
            shop, secret = shop_service.create_shop(form.name.data, form.url.data, current_actor(),
                                                    form.language.data, form.timezone.data)
        except Invalid as error:
            getattr(form, error.field, form.name).errors.append(panel_message(error.message))
        else:
            return _show_secret_once(shop, secret)
    return render_template("panel/shops/new.html", form=form), 400 if form.is_submitted() else 200


@blueprint.route("/shops/<int:shop_id>/settings", methods=["GET", "POST"])
@role_required("owner")
def shop_settings(shop_id):
    shop = get_shop(current_user, shop_id, "owner")
    form = ShopSettingsForm(obj=shop)
    if form.validate_on_submit():
        values = {name: getattr(form, name).data for name in shop_service.SETTING_FIELDS}
        try:
            shop_service.update_settings(current_user, shop_id, current_actor(), **values)
        except Invalid as error:
            getattr(form, error.field, form.timezone).errors.append(panel_message(error.message))
        else:
            flash(_("Settings saved."), "success")
            return redirect(url_for("panel.shop_settings", shop_id=shop_id))
    return _settings_page(shop, form=form), 400 if form.is_submitted() else 200


@blueprint.post("/shops/<int:shop_id>/emails")
@role_required("owner")
def shop_follow_up_settings(shop_id):
    form = FollowUpSettingsForm()
    if form.validate_on_submit():
        values = {name: getattr(form, name).data or "" for name in ("email_from_name", "reply_to_email")}
        values.update({name: getattr(form, name).data for name in shop_service.FOLLOW_UP_RANGES})
        try:
            shop_service.update_follow_up_settings(current_user, shop_id, current_actor(), **values)
        except Invalid as error:
            getattr(form, error.field, form.follow_up_days).errors.append(panel_message(error.message))
        else:
            flash(_("Email settings saved."), "success")
            return redirect(url_for("panel.shop_settings", shop_id=shop_id, _anchor="emails"))
    # Shown again with what was typed and the errors beside it: a redirect would lose the input.
    return _settings_page(get_shop(current_user, shop_id, "owner"), follow_up_form=form), 400


@blueprint.post("/shops/<int:shop_id>/review-requests")
@role_required("owner")
def shop_review_request_settings(shop_id):
    form = ReviewRequestSettingsForm()
    return _save_setting_form(shop_id, form, "review_request_form", "review-requests", _("Review request settings saved."),
                              lambda: review_requests.update_settings(current_user, shop_id, current_actor(),
                                                                      form.review_requests_enabled.data,
                                                                      form.review_request_days.data),
                              fallback=form.review_request_days)


@blueprint.post("/shops/<int:shop_id>/moderation")
@role_required("owner")
def shop_moderation_settings(shop_id):
    form = ModerationSettingsForm()
    return _save_setting_form(shop_id, form, "moderation_form", "moderation", _("Moderation warning saved."),
                              lambda: moderation_watch.update_settings(current_user, shop_id, current_actor(),
                                                                       form.moderation_warning_hours.data))


@blueprint.post("/shops/<int:shop_id>/at-risk")
@role_required("owner")
def shop_at_risk_settings(shop_id):
    form = AtRiskSettingsForm()
    return _save_setting_form(shop_id, form, "at_risk_form", "at-risk", _("Dispatch promise saved."),
                              lambda: at_risk_orders.update_settings(current_user, shop_id, current_actor(),
                                                                     form.promised_dispatch_hours.data))


@blueprint.post("/shops/<int:shop_id>/retention")
@role_required("owner")
def shop_retention_settings(shop_id):
    form = RetentionSettingsForm()
    return _save_setting_form(shop_id, form, "retention_form", "retention", _("Retention period saved."),
                              lambda: retention.update_settings(current_user, shop_id, current_actor(),
                                                                form.retention_months.data))


def _save_setting_form(shop_id, form, form_name, anchor, saved_message, save, fallback=None):
    """One settings card's POST: save and go back to its anchor, or show the page again with the typed values
    and the error beside the field the service named (else beside `fallback`, else the card's only field)."""
    if form.validate_on_submit():
        try:
            save()
        except Invalid as error:
            field = getattr(form, error.field or "", None) or fallback or _only_field(form)
            field.errors.append(panel_message(error.message))
        else:
            flash(saved_message, "success")
            return redirect(url_for("panel.shop_settings", shop_id=shop_id, _anchor=anchor))
    return _settings_page(get_shop(current_user, shop_id, "owner"), **{form_name: form}), 400


def _only_field(form):
    return next(field for field in form if field.name != "csrf_token")


def _settings_page(shop, **forms):
    # formdata=None: on a POST of one form, the others show the saved values, not the posted ones.
    forms.setdefault("form", ShopSettingsForm(formdata=None, obj=shop))
    forms.setdefault("follow_up_form", FollowUpSettingsForm(formdata=None, obj=shop))
    forms.setdefault("at_risk_form", AtRiskSettingsForm(formdata=None, obj=shop))
    forms.setdefault("review_request_form", ReviewRequestSettingsForm(formdata=None, obj=shop))
    forms.setdefault("moderation_form", ModerationSettingsForm(formdata=None, obj=shop))
    forms.setdefault("retention_form", RetentionSettingsForm(formdata=None, obj=shop))
    return render_template("panel/shops/settings.html", shop=shop, rotate_form=RotateSecretForm(),
                           event_url=url_for("api.receive_event", shop_id=shop.id, _external=True),
                           **shop_woo.forms_for(shop), **forms)


@blueprint.post("/shops/<int:shop_id>/secret")
@role_required("owner")
def shop_rotate_secret(shop_id):
    shop = get_shop(current_user, shop_id, "owner")
    if not RotateSecretForm().validate_on_submit():
        flash(_("Tick the box to confirm you will update the bridge, then rotate."), "error")
        return redirect(url_for("panel.shop_settings", shop_id=shop_id))
    grace = current_app.config["SECRET_ROTATION_GRACE_HOURS"]
    secret = shop_service.rotate_secret(current_user, shop_id, current_actor(), grace)
    return _show_secret_once(shop, secret, grace_hours=grace)


def _show_secret_once(shop, secret, grace_hours=None):
    # Rendered in the POST's answer and never stored in the session or a URL: it cannot be shown again.
    return render_template("panel/shops/secret.html", shop=shop, secret=secret, grace_hours=grace_hours,
                           event_url=url_for("api.receive_event", shop_id=shop.id, _external=True))
