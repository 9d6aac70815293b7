"""Crisis alerts: the list (open first) with their evidence, acknowledging, and the banner on every panel page."""
from flask import render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SubmitField, TextAreaField
from wtforms.validators import Length

from crisisdesk.domain.causes import CAUSES
from crisisdesk.services import crisis_alert_views, crisis_alerts, incident_views
from crisisdesk.services.access import get_shop, visible_shops
from crisisdesk.web.panel import blueprint
from crisisdesk.web.panel.actions import perform
from crisisdesk.web.security import current_actor, role_required


class AcknowledgeForm(FlaskForm):
    note = TextAreaField(_l("Note (optional): what is being done"), validators=[Length(max=crisis_alerts.MAX_NOTE)])
    submit = SubmitField(_l("Acknowledge"))


@blueprint.get("/alerts", endpoint="alert_list")
@role_required("viewer")
def alert_list():
    shop_id = request.args.get("shop", type=int)
    scope = get_shop(current_user, shop_id).id if shop_id else current_user  # another shop's id: 404
    shops = visible_shops(current_user)
    alerts = crisis_alert_views.alert_list(scope)
    return render_template("panel/alerts/list.html", alerts=alerts, shops=shops,
                           shop_names={s.id: s.name for s in shops}, shop_id=shop_id, form=AcknowledgeForm(),
                           cause_labels=CAUSES,
                           incidents=incident_views.incidents_by_alert([view.alert.id for view in alerts]))


@blueprint.post("/alerts/<int:alert_id>/acknowledge", endpoint="alert_acknowledge")
@role_required("agent")
def alert_acknowledge(alert_id):
    crisis_alerts.get_alert(current_user, alert_id)  # another shop's alert: 404 before anything else
    form = AcknowledgeForm()
    return perform(form, lambda: crisis_alerts.acknowledge(current_user, alert_id, current_actor(), form.note.data),
                   _("Alert acknowledged."), url_for("panel.alert_list") + f"#alert-{alert_id}")


@blueprint.app_context_processor
def crisis_alert_banner():
    # A callable, so the query runs only where base.html shows the banner (to a logged-in user).
    def open_alert_count():
        if not current_user.is_authenticated:
            return 0
        return crisis_alert_views.open_alert_count(current_user)

    return {"open_crisis_alert_count": open_alert_count}
