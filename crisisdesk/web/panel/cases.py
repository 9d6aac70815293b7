"""The inbox, the case page and the actions agents take on a case."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from crisisdesk.domain.errors import Invalid
from crisisdesk.services import cases as case_service
from crisisdesk.services import inbox
from crisisdesk.services.access import visible_shops
from crisisdesk.web.panel import blueprint
from crisisdesk.web.panel.actions import perform
from crisisdesk.web.panel.case_work import case_work
from crisisdesk.web.panel.forms import (CHANNEL_LABELS, AssignForm, LinkOrderForm, ManualCaseForm, NoteForm, StatusForm,
                                        UnlinkOrderForm)
from crisisdesk.web.panel.replies import composer_for
from crisisdesk.web.security import current_actor, role_required
from crisisdesk.web.error_texts import panel_message


@blueprint.app_template_filter()
def channel_label(channel):
    """How a complaint came in (email, phone, …), in the panel's language."""
    return str(CHANNEL_LABELS.get(channel, channel))


@blueprint.get("/")
@role_required("viewer")
def home():
    return redirect(url_for("panel.inbox"))


@blueprint.get("/cases", endpoint="inbox")
@role_required("viewer")
def inbox_view():
    filters = inbox.InboxFilters(
        status=request.args.get("status", "open"),
        overdue=request.args.get("overdue") == "1",
        shop_id=request.args.get("shop", type=int),
        product_id=request.args.get("product", type=int),
        incident_id=request.args.get("incident", type=int),
        mine=request.args.get("mine") == "1",
        page=request.args.get("page", 1, type=int),
        sort=request.args.get("sort", "priority"),
    )
    page = inbox.list_cases(current_user, filters)
    return render_template("panel/cases/inbox.html", page=page, filters=filters, status_filters=inbox.STATUS_FILTERS,
                           sorts=inbox.SORTS,
                           shops=visible_shops(current_user), products=inbox.products_with_cases(current_user))


@blueprint.get("/cases/<int:case_id>")
@role_required("viewer")
def case_detail(case_id):
    context = inbox.case_context(current_user, case_id)
    query = request.args.get("q", "")
    found = inbox.search_orders(current_user, context.case.shop_id, query) if query else None
    assign_form = AssignForm(assignee=context.case.assignee_id or 0)
    assign_form.assignee.choices = [SelectChoice(0, _("Nobody"))] + [SelectChoice(u.id, u.display_name)
                                                                     for u in context.agents]
    return render_template("panel/cases/detail.html", ctx=context, case=context.case, query=query, found=found,
                           status_form=StatusForm(status=context.case.status), assign_form=assign_form,
                           note_form=NoteForm(), link_form=LinkOrderForm(), unlink_form=UnlinkOrderForm(),
                           work=case_work(context.case), composer=composer_for(context.case))


@blueprint.post("/cases/<int:case_id>/status")
@role_required("agent")
def case_status(case_id):
    form = StatusForm()
    return perform(form, lambda: case_service.change_status(current_user, case_id, form.status.data, current_actor()),
                   _("Status changed."), url_for("panel.case_detail", case_id=case_id))


@blueprint.post("/cases/<int:case_id>/assign")
@role_required("agent")
def case_assign(case_id):
    form = AssignForm()
    return perform(form, lambda: case_service.assign(current_user, case_id, form.assignee.data or None,
                                                     current_actor()),
                   _("Assignment saved."), url_for("panel.case_detail", case_id=case_id))


@blueprint.post("/cases/<int:case_id>/notes")
@role_required("agent")
def case_note(case_id):
    form = NoteForm()
    return perform(form, lambda: case_service.add_note(current_user, case_id, form.text.data, current_actor(),
                                                       form.customer_contacted.data),
                   _("Added to the timeline."), url_for("panel.case_detail", case_id=case_id))


@blueprint.post("/cases/<int:case_id>/order")
@role_required("agent")
def case_link_order(case_id):
    form = LinkOrderForm()
    order_id = request.form.get("order_id", type=int)
    if form.validate_on_submit() and order_id is None:
        abort(400, _("order_id must be a number"))
    return perform(form, lambda: case_service.link_order(current_user, case_id, order_id, current_actor()),
                   _("Order linked."), url_for("panel.case_detail", case_id=case_id))


@blueprint.post("/cases/<int:case_id>/order/remove")
@role_required("agent")
def case_unlink_order(case_id):
    return perform(UnlinkOrderForm(), lambda: case_service.link_order(current_user, case_id, None, current_actor()),
                   _("Order link removed."), url_for("panel.case_detail", case_id=case_id))


@blueprint.route("/cases/new", methods=["GET", "POST"])
@role_required("agent")
def case_new():
    form = ManualCaseForm()
    form.shop.choices = [SelectChoice(s.id, s.name) for s in visible_shops(current_user)]
    if form.validate_on_submit():
        try:
            case = case_service.open_manual_case(current_user, form.shop.data, current_actor(), form.channel.data,
                                                 form.email.data, form.name.data, form.text.data,
                                                 form.order_number.data or "")
        except Invalid as error:
            getattr(form, error.field, form.text).errors.append(panel_message(error.message))
        else:
            flash(_("Case opened."), "success")
            return redirect(url_for("panel.case_detail", case_id=case.id))
    status = 400 if form.is_submitted() else 200
    return render_template("panel/cases/new.html", form=form), status
