"""Forms of the at-risk orders: the delay notice, dismissing a flag, and the shop's promised dispatch time."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (BooleanField, DateField, IntegerField, SelectChoice, SelectField, StringField, SubmitField,
                     TextAreaField)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from crisisdesk.domain.at_risk import HOURS_RANGE
from crisisdesk.domain.compensation_request import COUPON_TYPES
from crisisdesk.domain.delay_notices import MAX_REASON, MAX_TEXT
from crisisdesk.services.at_risk_orders import MAX_DISMISS_REASON

LANGUAGE_LABELS = {"pl": _l("Polish"), "en": _l("English"), "lv": _l("Latvian")}
CODE_TYPE_LABELS = {"percent": _l("Percent off"), "fixed_cart": _l("Fixed amount off")}


class DelayNoticeForm(FlaskForm):
    language = SelectField(_l("Language of the email"),
                           choices=[SelectChoice(code, label) for code, label in LANGUAGE_LABELS.items()])
    expected_on = DateField(_l("New expected dispatch date"), validators=[InputRequired()])
    reason = StringField(_l("Why it is late (optional; the customer reads it)"),
                         validators=[Optional(), Length(max=MAX_REASON)])
    text = TextAreaField(_l("The notice"), validators=[InputRequired(), Length(max=MAX_TEXT)])
    with_code = BooleanField(_l("Add a goodwill discount code"))
    code_type = SelectField(_l("Code type"), choices=[SelectChoice(t, CODE_TYPE_LABELS[t]) for t in COUPON_TYPES])
    code_amount = StringField(_l("Percent, or amount off"), validators=[Optional(), Length(max=20)])
    redraft = SubmitField(_l("Write the text again from these fields"))
    send = SubmitField(_l("Send the notice"))


class DismissForm(FlaskForm):
    reason = StringField(_l("Why no notice is needed"), validators=[InputRequired(), Length(max=MAX_DISMISS_REASON)])
    submit = SubmitField(_l("Dismiss"))


class AtRiskSettingsForm(FlaskForm):
    promised_dispatch_hours = IntegerField(_l("Promised dispatch within (hours after payment)"),
                                           validators=[InputRequired(), NumberRange(*HOURS_RANGE)])
    submit = SubmitField(_l("Save the dispatch promise"))
