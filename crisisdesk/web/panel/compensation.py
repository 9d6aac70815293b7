"""Compensate from a case: fill in, preview, confirm; owners approve what is above the threshold."""
import uuid
from decimal import Decimal

from flask import flash, redirect, render_template, url_for
from flask_login import current_user
from wtforms import SelectChoice

from crisisdesk.domain.compensation_request import CompensationRequest, parse_amount
from crisisdesk.domain.errors import Conflict, Forbidden, Invalid
from crisisdesk.services import compensation as service
from crisisdesk.services.cases import get_case
from crisisdesk.web.panel import blueprint
from crisisdesk.web.panel.compensation_forms import CompensationForm, DecisionForm
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
            getattr(form, error.field, form.amount).errors.append(error.message)
    if preview is None:
        return _render_form(case, form, None), 400
    return render_template("panel/compensations/preview.html", case=case, form=form, preview=preview,
                           label=service.KIND_LABELS[preview.request.kind])


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
        getattr(form, getattr(error, "field", "") or "amount", form.amount).errors.append(error.message)
        return _render_form(case, form, None), 400
    waiting = compensation.state == "awaiting_approval"
    flash(f"{service.describe(compensation)} " + ("waits for an owner's approval." if waiting else
                                                  "is on its way to WooCommerce."), "success")
    return redirect(url_for("panel.case_detail", case_id=case_id, _anchor="compensations"))


@blueprint.post("/compensations/<int:compensation_id>/approve")
@role_required("owner")
def compensation_approve(compensation_id):
    return _decide(compensation_id, service.approve, "Approved: it is on its way to WooCommerce.")


@blueprint.post("/compensations/<int:compensation_id>/reject")
@role_required("owner")
def compensation_reject(compensation_id):
    form = DecisionForm()
    return _decide(compensation_id, lambda user, cid, actor: service.reject(user, cid, actor, form.note.data or ""),
                   "Rejected.")


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
        flash("The form expired; try again.", "error")
        return redirect(back)
    try:
        action(current_user, compensation_id, current_actor())
    except (Conflict, Forbidden) as error:
        flash(error.message, "error")
        return redirect(back)
    flash(message, "success")
    return redirect(back)


def _form(case):
    form = CompensationForm()
    items = case.order.items if case.order else []
    form.items.choices = [SelectChoice(i.id, f"{i.quantity} × {i.name} ({i.total})") for i in items]
    return form


def _render_form(case, form, suggestion):
    refundable = service.refundable_for(case.order) if case.order else Decimal("0")
    return render_template("panel/compensations/new.html", case=case, form=form, suggestion=suggestion,
                           refundable=refundable)



@blueprint.context_processor  # panel pages only: the form's CSRF token would give public pages a cookie
def compensation_helpers():
    return {"describe_compensation": service.describe, "decision_form": DecisionForm()}
