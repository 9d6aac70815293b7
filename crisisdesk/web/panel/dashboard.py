"""The dashboard: headline figures, monthly reviews, top causes and products, money spent; also as CSV."""
from flask import Response, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from crisisdesk import clock
from crisisdesk.domain.errors import Invalid
from crisisdesk.domain.periods import DEFAULT_PRESET, preset_period
from crisisdesk.services import dashboard as service
from crisisdesk.services.access import visible_shops
from crisisdesk.services.compensation import KIND_LABELS
from crisisdesk.web.panel import blueprint
from crisisdesk.web.panel.dashboard_export import FIGURES, csv_text, filename
from crisisdesk.web.panel.dashboard_forms import DashboardForm
from crisisdesk.web.security import role_required


@blueprint.get("/dashboard", endpoint="dashboard")
@role_required("viewer")
def dashboard_view():
    form, period, error = chosen_filters()
    data = service.dashboard(current_user, period, form.shop.data or None)
    return render_template("panel/dashboard/index.html", form=form, data=data, error=error, figures=FIGURES,
                           compensation_kinds=KIND_LABELS,
                           csv_args={**request.args.to_dict(), "preset": form.preset.data})


@blueprint.get("/dashboard.csv", endpoint="dashboard_csv")
@role_required("viewer")
def dashboard_csv_view():
    form, period, error = chosen_filters()
    if error:
        raise Invalid(error, "start")
    data = service.dashboard(current_user, period, form.shop.data or None)
    return Response(csv_text(data), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename(data)}"'})


def chosen_filters(default_preset=DEFAULT_PRESET):
    """The filter form from the query string and its period; a period that makes no sense falls back to the default.

    Also the filter of the Ratings page (web/panel/ratings.py), which looks back a year by default."""
    form = DashboardForm(formdata=request.args, preset=default_preset)
    form.set_shops(visible_shops(current_user))
    today = clock.utcnow().date()
    try:
        return form, form.period(today), None
    except Invalid as invalid:
        form.preset.data = default_preset
        return form, preset_period(default_preset, today), _("Dates not used: %(reason)s.", reason=_(invalid.message))
