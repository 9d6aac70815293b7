"""At-risk orders: the list (viewers read, agents act), the delay notice form and dismissing a flag.

The shop's promised dispatch time is saved from the shop's settings page (web/panel/shops.py)."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from crisisdesk import clock
from crisisdesk.domain.at_risk import REASON_LABELS
from crisisdesk.domain.compensation_request import parse_amount
from crisisdesk.domain.errors import Conflict, Invalid
from crisisdesk.domain.roles import Role
from crisisdesk.services import at_risk_orders as service
from crisisdesk.services import delay_notices
from crisisdesk.services.access import get_shop, visible_shops
from crisisdesk.web.error_texts import panel_message
from crisisdesk.web.panel import blueprint
from crisisdesk.web.panel.actions import perform
from crisisdesk.web.panel.compensation import describe
from crisisdesk.web.panel.at_risk_forms import DelayNoticeForm, DismissForm
from crisisdesk.web.security import current_actor, role_required
from crisisdesk.web.timeline_texts import ORDER_STATUS_LABELS

STATUS_CHOICES = {"open": _l("To do"), "notified": _l("Notified"), "dismissed": _l("Dismissed"),
                  "cleared": _l("Moved on before anyone acted"), "all": _l("All")}
# Where a service error about the notice is shown: its field, else above the form.
NOTICE_FIELDS = {"language": "language", "expected_on": "expected_on", "reason": "reason", "text": "text",
                 "amount": "code_amount", "coupon_type": "code_type", "coupon_days": "code_amount",
                 "kind": "code_amount"}


@blueprint.get("/at-risk", endpoint="at_risk_list")
@role_required("viewer")
def at_risk_list():
    shop_id = request.args.get("shop", type=int)
    status = request.args.get("status") or "open"
    reason = request.args.get("reason") or None
    scope = get_shop(current_user, shop_id).id if shop_id else current_user  # another shop's id: 404
    try:
        page = service.list_flags(scope, status, reason, request.args.get("page", 1, type=int))
    except Invalid as error:
        flash(panel_message(error.message), "error")
        return redirect(url_for("panel.at_risk_list"))
    shops = visible_shops(current_user)
    return render_template("panel/at_risk/list.html", page=page, shops=shops, shop_names={s.id: s.name for s in shops},
                           shop_id=shop_id, status=status, reason=reason or "", status_choices=STATUS_CHOICES,
                           reason_labels=REASON_LABELS, order_status_labels=ORDER_STATUS_LABELS,
                           describe_code=describe, dismiss_form=DismissForm(), can_act=current_user.can(Role.AGENT))


@blueprint.route("/at-risk/<int:at_risk_id>/notice", methods=["GET", "POST"], endpoint="at_risk_notice")
@role_required("agent")
def at_risk_notice(at_risk_id):
    flag = service.get_flag(current_user, at_risk_id, Role.AGENT)  # another shop's flag: 404 before anything else
    if flag.notified_at is not None:
        flash(_("A delay notice about this order was already sent."), "info")
        return redirect(url_for("panel.at_risk_list", status="notified", _anchor=f"flag-{flag.id}"))
    form = DelayNoticeForm()
    if not form.is_submitted():
        _prefill(form, delay_notices.draft(flag), delay_notices.suggested_code(flag))
        return _notice_page(flag, form)
    if not form.validate():
        return _notice_page(flag, form), 400
    if form.redraft.data:  # the text written again from the date, reason and language just entered
        _prefill(form, delay_notices.draft(flag, form.language.data, form.expected_on.data, form.reason.data or ""))
        return _notice_page(flag, form)
    try:
        _flag, created = delay_notices.send_notice(current_user, at_risk_id, current_actor(), _notice_from(form))
    except Invalid as error:
        field = NOTICE_FIELDS.get(error.field)
        (getattr(form, field).errors if field else form.form_errors).append(panel_message(error.message))
        return _notice_page(flag, form), 400
    except Conflict as error:
        flash(panel_message(error.message), "error")
        return redirect(url_for("panel.at_risk_list"))
    flash(_("The delay notice is on its way to the customer.") if created
          else _("A delay notice about this order was already sent."), "success" if created else "info")
    return redirect(url_for("panel.at_risk_list", status="notified", _anchor=f"flag-{at_risk_id}"))


@blueprint.post("/at-risk/<int:at_risk_id>/dismiss", endpoint="at_risk_dismiss")
@role_required("agent")
def at_risk_dismiss(at_risk_id):
    service.get_flag(current_user, at_risk_id, Role.AGENT)  # another shop's flag: 404 before anything else
    form = DismissForm()
    return perform(form, lambda: service.dismiss(current_user, at_risk_id, current_actor(), form.reason.data),
                   _("Dismissed: this order gets no delay notice."), url_for("panel.at_risk_list"))


def _prefill(form, notice, code_amount=None):
    form.language.data, form.expected_on.data = notice.language, notice.expected_on
    form.reason.data, form.text.data = notice.reason, notice.text
    if code_amount is not None:
        form.code_type.data, form.code_amount.data = "percent", str(code_amount)


def _notice_from(form):
    code = None
    if form.with_code.data:
        code = delay_notices.GoodwillCode(coupon_type=form.code_type.data,
                                          amount=parse_amount(form.code_amount.data or "", "amount"))
    return delay_notices.DelayNotice(language=form.language.data, text=form.text.data or "",
                                     expected_on=form.expected_on.data, reason=form.reason.data or "", code=code)


def _notice_page(flag, form):
    return render_template("panel/at_risk/notice.html", row=service.row_of(flag, clock.utcnow()), form=form,
                           case=delay_notices.customer_case(flag), reason_labels=REASON_LABELS,
                           order_status_labels=ORDER_STATUS_LABELS,
                           must_name=delay_notices.date_in_text(form.expected_on.data, form.language.data)
                           if form.expected_on.data else None,
                           threshold=flag.shop.approval_threshold, code_days=flag.shop.coupon_validity_days)

