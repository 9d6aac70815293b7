"""Compensate from a case: fill in, preview, confirm; owners approve what is above the threshold."""
import uuid
from decimal import Decimal

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from crisisdesk.domain import bidi
from crisisdesk.domain.compensation_request import CompensationRequest, parse_amount
from crisisdesk.domain.errors import Conflict, Forbidden, Invalid
from crisisdesk.services import compensation as service
from crisisdesk.services.cases import get_case
from crisisdesk.web.error_texts import panel_message
from crisisdesk.web.i18n import format_day, format_money, format_number, format_ratio, translated
from crisisdesk.web.panel import blueprint
from crisisdesk.web.panel.compensation_forms import REMEDY_LABELS, CompensationForm, DecisionForm
from crisisdesk.web.security import current_actor, role_required


@blueprint.route("/cases/<int:case_id>/compensations/new", methods=["GET", "POST"])
@role_required("agent")
def compensation_new(case_id):
    case = get_case(current_user, case_id, "agent")
    if case.order is None:
        return render_template("panel/compensations/new.html", case=case, form=None)
    form = _form(case)
    if not form.is_submitted():
        form.idempotency_key.data = uuid.uuid4().hex
        suggestion = service.suggestion_for(case)
        if suggestion:
            form.kind.data = suggestion.remedy
            form.amount.data = str(suggestion.amount)
        return _render_form(case, form, suggestion)
    preview = None
    if form.validate():
        try:
            preview = service.preview(current_user, case_id, request_from(form))
        except Invalid as error:
            getattr(form, error.field, form.amount).errors.append(panel_message(error.message))
    if preview is None:
        return _render_form(case, form, None), 400
    return render_template("panel/compensations/preview.html", case=case, form=form, preview=preview,
                           label=translated(service.KIND_LABELS[preview.request.kind]))


@blueprint.post("/cases/<int:case_id>/compensations")
@role_required("agent")
def compensation_confirm(case_id):
    case = get_case(current_user, case_id, "agent")
    form = _form(case)
    try:
        if not form.validate():
            raise Invalid("the form was incomplete; nothing was recorded", "amount")
        compensation = service.request_compensation(current_user, case_id, request_from(form),
                                                    form.idempotency_key.data, current_actor())
    except (Invalid, Conflict) as error:
        getattr(form, getattr(error, "field", "") or "amount", form.amount).errors.append(panel_message(error.message))
        return _render_form(case, form, None), 400
    waiting = compensation.state == "awaiting_approval"
    flash(_("%(what)s waits for an owner's approval.", what=describe(compensation)) if waiting else
          _("%(what)s is on its way to WooCommerce.", what=describe(compensation)), "success")
    return redirect(url_for("panel.case_detail", case_id=case_id, _anchor="compensations"))


@blueprint.post("/compensations/<int:compensation_id>/approve")
@role_required("owner")
def compensation_approve(compensation_id):
    return _decide(compensation_id, service.approve, _("Approved: it is on its way to WooCommerce."))


@blueprint.post("/compensations/<int:compensation_id>/reject")
@role_required("owner")
def compensation_reject(compensation_id):
    form = DecisionForm()
    return _decide(compensation_id, lambda user, cid, actor: service.reject(user, cid, actor, form.note.data or ""),
                   _("Rejected."))


def describe(compensation):
    """One line for a compensation in the panel's language (services.compensation.describe, translated)."""
    money = format_money(compensation.amount, compensation.currency)
    if compensation.kind == "refund":
        if compensation.api_refund:
            return _("Refund of %(amount)s (through the payment gateway)", amount=money)
        return _("Refund of %(amount)s (recorded only)", amount=money)
    if compensation.kind == "coupon":
        worth = format_ratio(compensation.amount / 100) if compensation.coupon_type == "percent" else money
        return _("Discount code %(code)s (%(worth)s, until %(day)s)", code=compensation.coupon_code, worth=worth,
                 day=format_day(compensation.coupon_expires_on))
    return _("Replacement order worth %(amount)s", amount=format_money(compensation.value, compensation.currency))


@blueprint.app_template_filter()
def remedy_label(remedy):
    return str(REMEDY_LABELS.get(remedy, remedy))


def request_from(form):
    """The form's fields as a CompensationRequest (amounts parsed strictly; Invalid names the field)."""
    kind = form.kind.data
    needs_amount = kind == "coupon" or (kind == "refund" and not form.restock.data)
    return CompensationRequest(
        kind=kind, amount=parse_amount(form.amount.data) if needs_amount else Decimal("0"),
        reason=form.reason.data or "", api_refund=bool(form.api_refund.data), restock=bool(form.restock.data),
        coupon_type=form.coupon_type.data, coupon_days=form.coupon_days.data or 30,
        item_ids=tuple(form.items.data or ()))


def _decide(compensation_id, action, message):
    form = DecisionForm()
    compensation = service.find(current_user, compensation_id)
    back = url_for("panel.case_detail", case_id=compensation.case_id, _anchor="compensations")
    if not form.validate_on_submit():
        flash(_("The form expired; try again."), "error")
        return redirect(back)
    try:
        action(current_user, compensation_id, current_actor())
    except (Conflict, Forbidden) as error:
        flash(panel_message(error.message), "error")
        return redirect(back)
    flash(message, "success")
    return redirect(back)


def _form(case):
    form = CompensationForm()
    items = case.order.items if case.order else []
    # WTForms prints labels itself, past the templates' bidi balancing: a product name's override stays in it.
    form.items.choices = [SelectChoice(i.id, f"{i.quantity} × {bidi.balance(i.name)} ({format_number(i.total, 2)})")
                          for i in items]
    return form


def _render_form(case, form, suggestion):
    refundable = service.refundable_for(case.order) if case.order else Decimal("0")
    return render_template("panel/compensations/new.html", case=case, form=form, suggestion=suggestion,
                           refundable=refundable)



@blueprint.context_processor  # panel pages only: the form's CSRF token would give public pages a cookie
def compensation_helpers():
    return {"describe_compensation": describe, "decision_form": DecisionForm()}
