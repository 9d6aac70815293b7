"""Forms for follow-up emails: a shop's settings, and the filters of "Resolved customers"."""
from flask_wtf import FlaskForm
from flask_babel import lazy_gettext as _l
from wtforms import EmailField, IntegerField, StringField, SubmitField
from wtforms.validators import Email, InputRequired, Length, NumberRange, Optional

from crisisdesk.services.shops import FOLLOW_UP_RANGES


def _number(label, name):
    least, most = FOLLOW_UP_RANGES[name]
    return IntegerField(label, validators=[InputRequired(), NumberRange(least, most)])


class FollowUpSettingsForm(FlaskForm):
    follow_up_days = _number(_l("Follow-up email, days after the case is resolved"), "follow_up_days")
    reminder_days = _number(_l("One reminder, days after the follow-up if nothing happened"), "reminder_days")
    recovery_window_days = _number(_l("A customer counts as won back within (days)"), "recovery_window_days")
    quiet_hours_start = _number(_l("No emails from (hour, shop time)"), "quiet_hours_start")
    quiet_hours_end = _number(_l("…until (hour, shop time)"), "quiet_hours_end")
    email_from_name = StringField(_l("Sender name (empty: the shop's name)"), validators=[Optional(), Length(max=200)])
    reply_to_email = EmailField(_l("Replies go to (empty: the sender address)"),
                                validators=[Optional(), Email(), Length(max=254)])
    submit = SubmitField(_l("Save email settings"))
