"""Incidents in the panel: the list, opening one (by hand or from a crisis alert), the incident page with its
cases, figures, phases, security checklist and retrospective, and writing, previewing and sending a broadcast
update (services/incidents.py, services/incident_broadcasts.py)."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from crisisdesk.domain import incidents as rules
from crisisdesk.domain.causes import CAUSES
from crisisdesk.domain.errors import Conflict, Invalid
from crisisdesk.domain.roles import Role
from crisisdesk.services import crisis_alerts, incident_broadcasts, incident_views, incidents
from crisisdesk.services.access import get_shop, shop_workers, visible_shops
from crisisdesk.services.inbox import products_with_cases
from crisisdesk.web.error_texts import panel_message
from crisisdesk.web.panel import blueprint
from crisisdesk.web.panel.actions import perform
from crisisdesk.web.panel.incident_forms import (LANGUAGE_NAMES, AddCasesForm, ChecklistForm, CloseForm,
                                                 FindCasesForm, IncidentDetailsForm, NewIncidentForm, PhaseForm,
                                                 RemoveCaseForm, UpdateForm)
from crisisdesk.web.security import current_actor, role_required


@blueprint.app_template_global()
def case_incident(case):
    """The incident a case is part of (the case page links to it), or None."""
    return incidents.incident_of(case)


@blueprint.app_template_global()
def incident_phase_label(phase):
    return _(rules.PHASES.get(phase, phase))


@blueprint.get("/incidents", endpoint="incident_list")
@role_required("viewer")
def incident_list():
    shop_id = request.args.get("shop", type=int)
    phase = request.args.get("phase", "open")
    if phase not in incident_views.PHASE_FILTERS:
        abort(400, _("Unknown filter."))
    scope = get_shop(current_user, shop_id).id if shop_id else current_user  # another shop's id: 404
    shops = visible_shops(current_user)
    return render_template("panel/incidents/list.html", rows=incident_views.incident_list(scope, phase),
                           shops=shops, shop_names={s.id: s.name for s in shops}, shop_id=shop_id, phase=phase,
                           phases=rules.PHASES, causes=CAUSES)


@blueprint.route("/incidents/new", methods=["GET", "POST"], endpoint="incident_new")
@role_required("agent")
def incident_new():
    if request.method == "POST":
        form = NewIncidentForm()
        choice = _choice(form.shop.data, form.cause.data, form.product.data, form.alert.data)
    else:
        choice = _choice(request.args.get("shop"), request.args.get("cause"), request.args.get("product"),
                         request.args.get("alert"))
        form = NewIncidentForm(formdata=None, shop=choice["shop"].id, cause=choice["cause"],
                               product=choice["product_id"] or "", alert=choice["alert"].id if choice["alert"] else "",
                               cases=[c.id for c in choice["chosen"]], owner=current_user.id,
                               title=_default_title(choice))
    form.owner.choices = _owner_choices(choice["shop"].id)
    form.cases.choices = [SelectChoice(c.id, f"#{c.id}") for c in choice["candidates"]]
    if request.method == "POST" and form.validate_on_submit():
        try:
            incident, created = incidents.open_incident(
                current_user, choice["shop"].id, current_actor(), form.title.data, choice["cause"],
                statement=form.statement.data, product_id=choice["product_id"], owner_id=form.owner.data or None,
                case_ids=form.cases.data, alert_id=choice["alert"].id if choice["alert"] else None,
                cadence_hours=form.cadence_hours.data)
        except (Invalid, Conflict) as error:
            _field_error(form, error, "cases")
        else:
            flash(_("Incident opened.") if created else _("An incident was already opened from this alert."),
                  "success" if created else "info")
            return redirect(url_for("panel.incident_detail", incident_id=incident.id))
    find = FindCasesForm(formdata=None, shop=choice["shop"].id, cause=choice["cause"],
                         product=choice["product_id"] or 0)
    find.shop.choices = [SelectChoice(s.id, s.name) for s in visible_shops(current_user)]
    find.product.choices = [SelectChoice(0, _("Any product"))] + [
        SelectChoice(p.id, p.name) for p in products_with_cases(current_user) if p.shop_id == choice["shop"].id]
    status = 400 if request.method == "POST" else 200
    return render_template("panel/incidents/new.html", form=form, find=find, choice=choice, causes=CAUSES), status


@blueprint.get("/incidents/<int:incident_id>", endpoint="incident_detail")
@role_required("viewer")
def incident_detail(incident_id):
    return _detail(incidents.get_incident(current_user, incident_id))


@blueprint.post("/incidents/<int:incident_id>/cases", endpoint="incident_add_cases")
@role_required("agent")
def incident_add_cases(incident_id):
    incidents.get_incident(current_user, incident_id)  # another shop's incident: 404 before anything else
    form = AddCasesForm()
    return perform(form, lambda: incidents.add_cases(current_user, incident_id, form.cases.data, current_actor()),
                   _("Cases added to the incident."), _back(incident_id, "cases"))


@blueprint.post("/incidents/<int:incident_id>/cases/<int:case_id>/remove", endpoint="incident_remove_case")
@role_required("agent")
def incident_remove_case(incident_id, case_id):
    incidents.get_incident(current_user, incident_id)
    return perform(RemoveCaseForm(), lambda: incidents.remove_case(current_user, incident_id, case_id,
                                                                   current_actor()),
                   _("Case taken out of the incident."), _back(incident_id, "cases"))


@blueprint.post("/incidents/<int:incident_id>/phase", endpoint="incident_phase")
@role_required("agent")
def incident_phase(incident_id):
    incidents.get_incident(current_user, incident_id)
    form = PhaseForm()
    return perform(form, lambda: incidents.change_phase(current_user, incident_id, form.phase.data, current_actor()),
                   _("Phase changed."), _back(incident_id))


@blueprint.post("/incidents/<int:incident_id>/edit", endpoint="incident_edit")
@role_required("agent")
def incident_edit(incident_id):
    incident = incidents.get_incident(current_user, incident_id)
    form = IncidentDetailsForm()
    form.owner.choices = _owner_choices(incident.shop_id)
    return perform(form, lambda: incidents.edit(current_user, incident_id, current_actor(), form.title.data,
                                                form.statement.data, form.owner.data or None,
                                                form.cadence_hours.data),
                   _("Incident saved."), _back(incident_id))


@blueprint.post("/incidents/<int:incident_id>/checklist", endpoint="incident_checklist")
@role_required("agent")
def incident_checklist(incident_id):
    incidents.get_incident(current_user, incident_id)
    form = ChecklistForm()
    return perform(form, lambda: incidents.set_checklist(current_user, incident_id, current_actor(),
                                                         form.items.data),
                   _("Checklist saved."), _back(incident_id, "checklist"))


@blueprint.post("/incidents/<int:incident_id>/close", endpoint="incident_close")
@role_required("agent")
def incident_close(incident_id):
    incident = incidents.get_incident(current_user, incident_id)
    form = CloseForm()
    if form.validate_on_submit():
        try:
            incidents.close(current_user, incident_id, current_actor(), form.data)
        except (Invalid, Conflict) as error:
            _field_error(form, error, "what_happened")
        else:
            flash(_("Incident closed. The retrospective is kept on its page."), "success")
            return redirect(_back(incident_id))
    return _detail(incident, close_form=form), 400  # what was typed stays in the form


@blueprint.get("/incidents/<int:incident_id>/update", endpoint="incident_compose")
@role_required("agent")
def incident_compose(incident_id):
    incident = incidents.get_incident(current_user, incident_id, Role.AGENT)
    wanted = incident_broadcasts.languages(incident_broadcasts.recipients(incident), incident.shop)
    drafts = incident_broadcasts.drafts(incident, wanted)
    form = UpdateForm(formdata=None, number=len(incident.updates) + 1,
                      **{f"text_{language}": text for language, text in drafts.items()})
    return _compose(incident, form)


@blueprint.post("/incidents/<int:incident_id>/update/preview", endpoint="incident_preview")
@role_required("agent")
def incident_preview(incident_id):
    incident = incidents.get_incident(current_user, incident_id, Role.AGENT)
    form = UpdateForm()
    previews, status = [], 400
    if form.validate_on_submit() and _texts_complete(form, incident):
        try:
            previews, status = incident_broadcasts.preview(current_user, incident_id, form.texts()), 200
        except Invalid as error:
            _field_error(form, error, "text_en")
    return _compose(incident, form, previews), status


@blueprint.post("/incidents/<int:incident_id>/update", endpoint="incident_broadcast")
@role_required("agent")
def incident_broadcast(incident_id):
    incident = incidents.get_incident(current_user, incident_id, Role.AGENT)
    form = UpdateForm()
    if form.validate_on_submit() and _texts_complete(form, incident):
        try:
            update, created = incident_broadcasts.send_update(current_user, incident_id, current_actor(),
                                                              form.number.data, form.texts())
        except Conflict as error:
            flash(panel_message(error.message), "error")
            return redirect(_back(incident_id, "updates"))
        except Invalid as error:
            _field_error(form, error, "text_en")
        else:
            if created:
                flash(_("Update %(number)s is being sent to %(count)s customers.", number=update.number,
                        count=update.recipients), "success")
            else:
                flash(_("Update %(number)s was already sent; nobody gets it twice.", number=update.number), "info")
            return redirect(_back(incident_id, "updates"))
    return _compose(incident, form), 400


# --- helpers ------------------------------------------------------------------------------------------------

def _detail(incident, close_form=None):
    page = incident_views.incident_page(incident)
    agent = current_user.can(Role.AGENT) and rules.is_open(incident.phase)
    details = IncidentDetailsForm(formdata=None, obj=incident, owner=incident.owner_id or 0)
    details.owner.choices = _owner_choices(incident.shop_id)
    suggested = incidents.suggestions(incident) if agent else []
    add_form = AddCasesForm(formdata=None)
    add_form.cases.choices = [SelectChoice(c.id, f"#{c.id}") for c in suggested]
    return render_template(
        "panel/incidents/detail.html", page=page, incident=incident, agent=agent, causes=CAUSES,
        phases=rules.PHASES, hints=rules.PHASE_HINTS, next_phases=[p for p in rules.TRANSITIONS[incident.phase]
                                                                   if p != rules.CLOSED],
        checklist=rules.SECURITY_CHECKLIST if rules.has_playbook(incident.cause) else None,
        retrospective=rules.RETROSPECTIVE_FIELDS, suggested=suggested, add_form=add_form, details_form=details,
        phase_form=PhaseForm(formdata=None), remove_form=RemoveCaseForm(formdata=None),
        checklist_form=ChecklistForm(formdata=None, items=list(page.ticks)),
        close_form=close_form or CloseForm(formdata=None))


def _compose(incident, form, previews=()):
    """The update page: the texts to write (one per language its customers read), and any previews."""
    people = incident_broadcasts.recipients(incident)
    wanted = incident_broadcasts.languages(people, incident.shop)
    counts = {language: sum(1 for p in people if p.language == language) for language in wanted}
    return render_template("panel/incidents/compose.html", incident=incident, form=form, wanted=wanted,
                           counts=counts, recipients=len(people), previews=previews, language_names=LANGUAGE_NAMES)


def _texts_complete(form, incident):
    """Check every language's text before the service does (it stops at the first problem), so the agent sees
    at once each text that still has a part in [brackets] or is empty."""
    complete = True
    for language in incident_broadcasts.languages(incident_broadcasts.recipients(incident), incident.shop):
        field = form[f"text_{language}"]
        try:
            rules.checked_update_text(field.data, field.name)
        except Invalid as error:
            field.errors.append(panel_message(error.message))
            complete = False
    return complete


def _choice(shop_id, cause, product_id, alert_id):
    """What a new incident is about: from the alert when one is named, else from the filters (or defaults)."""
    alert = crisis_alerts.get_alert(current_user, _number(alert_id), Role.AGENT) if _number(alert_id) else None
    if alert is not None:
        shop = get_shop(current_user, alert.shop_id, Role.AGENT)
        cause, product_id = alert.dominant_cause or "other", alert.product_id
        chosen, candidates = incidents.suggestions_for_alert(alert, cause)
    else:
        shops = visible_shops(current_user)
        if not shops:
            abort(404)
        shop = get_shop(current_user, _number(shop_id) or shops[0].id, Role.AGENT)
        cause = cause if cause in CAUSES else "late_delivery"
        product = incidents.shop_product(shop.id, _number(product_id))
        product_id, chosen = product.id if product else None, []
        candidates = incidents.suggestions_for_new(shop.id, cause, product_id, chosen)
    return {"shop": shop, "cause": cause, "product_id": product_id, "alert": alert, "chosen": chosen,
            "candidates": candidates, "product": incidents.shop_product(shop.id, product_id)}


def _default_title(choice):
    cause = _(CAUSES[choice["cause"]])
    product = choice["product"]
    return f"{cause}: {product.name}"[:rules.MAX_TITLE] if product is not None else cause


def _owner_choices(shop_id):
    return [SelectChoice(0, _("Nobody"))] + [SelectChoice(u.id, u.display_name) for u in shop_workers(shop_id)]


def _field_error(form, error, fallback):
    field = getattr(form, error.field, None) if error.field else None
    (field if field is not None else getattr(form, fallback)).errors.append(panel_message(error.message))


def _number(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _back(incident_id, anchor=None):
    return url_for("panel.incident_detail", incident_id=incident_id, _anchor=anchor)
