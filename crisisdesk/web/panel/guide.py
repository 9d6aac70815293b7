"""The agent guide: how to answer a review (5P, dos and don'ts, unfair reviews) and the deadlines
of the shops the reader can see, so the rules sit one click away from the case they are working on."""
from flask import render_template
from flask_login import current_user

from crisisdesk.domain.sla import STATUTORY_ANSWER_DAYS
from crisisdesk.services.access import visible_shops
from crisisdesk.web.panel import blueprint
from crisisdesk.web.security import role_required


@blueprint.get("/guide", endpoint="guide")
@role_required("viewer")
def guide_view():
    # The targets are read from each shop's own settings, never the defaults: an owner may have changed them.
    return render_template("panel/guide/index.html", shops=visible_shops(current_user),
                           statutory_days=STATUTORY_ANSWER_DAYS)
