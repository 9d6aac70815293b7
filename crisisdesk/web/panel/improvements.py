"""The improvement log ("you said, we did"): the list, the form, the page with its effect, publishing the note;
and the root-cause fixes the dashboard suggests for its top causes (domain/root_causes.py)."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from crisisdesk import clock
from crisisdesk.domain.causes import CAUSES
from crisisdesk.domain.errors import Invalid
from crisisdesk.domain.improvement_effect import MIN_COUNT, MIN_DAYS, VERDICTS, WINDOW_CHOICES, chosen_window
from crisisdesk.domain.improvements import AREAS
from crisisdesk.domain.roles import Role
from crisisdesk.domain.root_causes import FIXES, fixes_for
from crisisdesk.services import improvements as service
from crisisdesk.services.access import visible_shops
from crisisdesk.services.improvement_effect import effect
from crisisdesk.web.error_texts import panel_message
from crisisdesk.web.panel import blueprint
from crisisdesk.web.panel.actions import perform
from crisisdesk.web.panel.improvement_forms import ImprovementForm, PublicationForm
from crisisdesk.web.security import current_actor, role_required


@blueprint.app_template_global()
def root_cause_fixes(cause):
    """The fixes the dashboard suggests for a cause (domain/root_causes.py)."""
    return fixes_for(cause)


@blueprint.get("/improvements", endpoint="improvement_list")
@role_required("viewer")
def improvement_list_view():
    shop_id = request.args.get("shop", type=int)
    items = service.list_improvements(current_user, shop_id)
    shops = visible_shops(current_user)
    return render_template("panel/improvements/list.html", items=items, shops=shops, shop_id=shop_id, areas=AREAS,
                           causes=CAUSES)


@blueprint.route("/improvements/new", methods=["GET", "POST"], endpoint="improvement_new")
@role_required("agent")
def improvement_new_view():
    shops = visible_shops(current_user)
    suggested = {} if request.method == "POST" else _suggested(shops)
    form = ImprovementForm(**suggested)
    form.shop.choices = [SelectChoice(s.id, s.name) for s in shops]
    # The dashboard's link names its shop: offer that shop's products only. A post checks them in the service.
    form.set_products(service.product_choices(current_user, suggested.get("shop")), {s.id: s.name for s in shops})
    if form.validate_on_submit():
        try:
            improvement = service.create_improvement(current_user, form.shop.data, current_actor(), form.entered())
        except Invalid as error:
            _show(form, error)
        else:
            flash(_("Improvement logged."), "success")
            return redirect(url_for("panel.improvement_detail", improvement_id=improvement.id))
    return _form_page(form, None)


@blueprint.route("/improvements/<int:improvement_id>/edit", methods=["GET", "POST"], endpoint="improvement_edit")
@role_required("agent")
def improvement_edit_view(improvement_id):
    improvement = service.get_improvement(current_user, improvement_id, Role.AGENT)
    form = ImprovementForm(**({} if request.method == "POST" else _current(improvement)))
    del form.shop
    kept = [p.id for p in improvement.products]
    form.set_products(service.product_choices(current_user, improvement.shop_id, keep=kept), {})
    if form.validate_on_submit():
        try:
            service.update_improvement(current_user, improvement_id, current_actor(), form.entered())
        except Invalid as error:
            _show(form, error)
        else:
            flash(_("Improvement saved."), "success")
            return redirect(url_for("panel.improvement_detail", improvement_id=improvement_id))
    return _form_page(form, improvement)


@blueprint.get("/improvements/<int:improvement_id>", endpoint="improvement_detail")
@role_required("viewer")
def improvement_detail_view(improvement_id):
    improvement = service.get_improvement(current_user, improvement_id)
    window = chosen_window(request.args.get("window"))
    return render_template("panel/improvements/detail.html", improvement=improvement, areas=AREAS, causes=CAUSES,
                           effect=effect(improvement, clock.utcnow().date(), window), window_choices=WINDOW_CHOICES,
                           verdicts=VERDICTS, min_days=MIN_DAYS, min_count=MIN_COUNT,
                           publication_form=PublicationForm() if current_user.can(Role.AGENT) else None)


@blueprint.post("/improvements/<int:improvement_id>/publish", endpoint="improvement_publish")
@role_required("agent")
def improvement_publish_view(improvement_id):
    return perform(PublicationForm(), lambda: service.publish(current_user, improvement_id, current_actor()),
                   _("The note is on the shop's public page."), _back(improvement_id))


@blueprint.post("/improvements/<int:improvement_id>/withdraw", endpoint="improvement_withdraw")
@role_required("agent")
def improvement_withdraw_view(improvement_id):
    return perform(PublicationForm(), lambda: service.withdraw(current_user, improvement_id, current_actor()),
                   _("The note is no longer on the shop's public page."), _back(improvement_id))


def _suggested(shops):
    """A new form's starting values: today, and what the dashboard's "Log an improvement" link asks for
    (?cause=&fix= from domain/root_causes.py, or ?area=; ?shop= when the dashboard showed one shop)."""
    args, values = request.args, {"made_on": clock.utcnow().date()}
    fix = FIXES.get(args.get("fix", ""))
    if fix is not None:
        values.update(title=_(fix.text), area=fix.area)
    elif args.get("area") in AREAS:
        values["area"] = args["area"]
    if args.get("cause") in CAUSES:
        values["causes"] = [args["cause"]]
    shop_id = args.get("shop", type=int)
    if shop_id in {s.id for s in shops}:
        values["shop"] = shop_id
    return values


def _current(improvement):
    return {"title": improvement.title, "area": improvement.area, "made_on": improvement.made_on,
            "description": improvement.description, "causes": list(improvement.causes or []),
            "products": [p.id for p in improvement.products],
            "cases": ", ".join(str(c.id) for c in improvement.cases), "public_note": improvement.public_note}


def _show(form, error):
    """A rule the service found broken, shown at its field (the title when it names none)."""
    getattr(form, error.field or "title", form.title).errors.append(panel_message(error.message))


def _form_page(form, improvement):
    status = 400 if form.is_submitted() else 200
    return render_template("panel/improvements/form.html", form=form, improvement=improvement), status


def _back(improvement_id):
    return url_for("panel.improvement_detail", improvement_id=improvement_id, _anchor="public-note")
