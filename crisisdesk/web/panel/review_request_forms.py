"""The form of a shop's post-purchase review requests (services/review_requests.update_settings)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SubmitField
from wtforms.validators import InputRequired, NumberRange

from crisisdesk.domain.review_requests import DAYS_RANGE


class ReviewRequestSettingsForm(FlaskForm):
    review_requests_enabled = BooleanField(_l("Ask buyers for a review after a completed order"))
    review_request_days = IntegerField(_l("Review request, days after the order is completed"),
                                       validators=[InputRequired(), NumberRange(*DAYS_RANGE)])
    submit = SubmitField(_l("Save review requests"))
