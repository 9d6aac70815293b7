"""GET /shops/<id>/events: what the bridge delivered and how each event was applied (owners only)."""
from flask import render_template, request
from flask_login import current_user

from crisisdesk.services.event_log import OUTCOME_FILTERS, recent_events
from crisisdesk.web.panel import blueprint
from crisisdesk.web.security import role_required


@blueprint.get("/shops/<int:shop_id>/events")
@role_required("owner")
def shop_events(shop_id):
    outcome = request.args.get("outcome", "all")
    if outcome not in OUTCOME_FILTERS:
        outcome = "all"
    page = request.args.get("page", 1, type=int)
    shop, events, has_next = recent_events(current_user, shop_id, outcome, page)
    return render_template("panel/shops/events.html", shop=shop, events=events, outcome=outcome,
                           outcomes=OUTCOME_FILTERS, page=max(page, 1), has_next=has_next)
