"""Resolved customers: who was won back after a fix, the recovery rate and how long it took."""
from flask import render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from crisisdesk.services import recovery as report
from crisisdesk.services.access import get_shop, visible_shops
from crisisdesk.web.panel import blueprint
from crisisdesk.web.security import role_required

OUTCOME_CHOICES = {"": _l("All outcomes"), "pending": _l("Pending"), "recovered": _l("Recovered (all)"),
                   "won_back": _l("Won back"), "satisfied": _l("Confirmed satisfied"),
                   "not_recovered": _l("Not recovered")}


@blueprint.get("/recovery", endpoint="resolved_customers")
@role_required("viewer")
def resolved_customers_view():
    shop_id = request.args.get("shop", type=int)
    outcome = request.args.get("outcome") or None
    # get_shop: a shop the user cannot see answers 404, as everywhere else in the panel.
    scope = get_shop(current_user, shop_id).id if shop_id else current_user
    page = report.resolved_customers(scope, outcome, request.args.get("page", 1, type=int))
    shops = visible_shops(current_user)
    return render_template("panel/recovery/list.html", page=page, stats=report.recovery_stats(scope),
                           shops=shops, shop_names={s.id: s.name for s in shops}, shop_id=shop_id,
                           outcome=outcome or "", outcome_choices=OUTCOME_CHOICES)
