"""The form of a shop's moderation warning time (services/moderation_watch.update_settings)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SubmitField
from wtforms.validators import InputRequired, NumberRange

from crisisdesk.domain.moderation import HOURS_RANGE


class ModerationSettingsForm(FlaskForm):
    moderation_warning_hours = IntegerField(_l("Warn when a negative review awaits moderation longer than (hours)"),
                                            validators=[InputRequired(), NumberRange(*HOURS_RANGE)])
    submit = SubmitField(_l("Save the moderation warning"))
