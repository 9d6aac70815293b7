"""Ratings: reviews and average rating per product and month, products without reviews, review requests."""
from flask import render_template
from flask_login import current_user

from crisisdesk.services import ratings as service
from crisisdesk.web.panel import blueprint
from crisisdesk.web.panel.dashboard import chosen_filters
from crisisdesk.web.security import role_required

DEFAULT_PRESET = "12m"  # ratings move slowly: a year shows the trend


@blueprint.get("/ratings", endpoint="ratings")
@role_required("viewer")
def ratings_view():
    form, period, error = chosen_filters(DEFAULT_PRESET)
    data = service.ratings(current_user, period, form.shop.data or None)
    return render_template("panel/ratings/index.html", form=form, data=data, error=error,
                           max_rows=service.MAX_ROWS)
