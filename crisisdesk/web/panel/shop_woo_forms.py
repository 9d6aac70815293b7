"""Forms for a shop's WooCommerce access, compensation settings and suggestion table."""
from flask_wtf import FlaskForm
from flask_babel import lazy_gettext as _l
from wtforms import (DecimalField, FieldList, Form, FormField, IntegerField, PasswordField, SelectChoice, SelectField,
                     StringField, SubmitField)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from crisisdesk.domain.causes import CAUSES
from crisisdesk.domain.compensation_policy import REMEDIES
from crisisdesk.web.panel.compensation_forms import REMEDY_LABELS


class WooKeysForm(FlaskForm):
    rest_url = StringField(_l("REST address (only when it differs from the shop URL)"),
                           validators=[Optional(), Length(max=500)])
    consumer_key = PasswordField(_l("Consumer key (ck_…)"), validators=[InputRequired(), Length(max=200)])
    consumer_secret = PasswordField(_l("Consumer secret (cs_…)"), validators=[InputRequired(), Length(max=200)])
    submit = SubmitField(_l("Save keys"))


class WooTestForm(FlaskForm):
    submit = SubmitField(_l("Test the connection"))


class CompensationSettingsForm(FlaskForm):
    approval_threshold = DecimalField(_l("A second owner approves amounts above"), places=2,
                                      validators=[InputRequired(), NumberRange(0, 1_000_000)])
    coupon_validity_days = IntegerField(_l("Discount codes last (days)"), validators=[InputRequired(), NumberRange(1, 365)])
    submit = SubmitField(_l("Save"))


class RuleRow(Form):
    """One row of the table; a row with no cause is ignored (it is the empty row for adding one)."""

    cause = SelectField(_l("Cause"), choices=[SelectChoice("", "—")] + [SelectChoice(k, _l(v)) for k, v in CAUSES.items()])
    min_order_value = DecimalField(_l("From order value"), places=2, default=0, validators=[Optional(), NumberRange(0)])
    remedy = SelectField(_l("Remedy"), choices=[SelectChoice(r, REMEDY_LABELS[r]) for r in REMEDIES])
    percent = IntegerField(_l("Percent"), default=0, validators=[Optional(), NumberRange(0, 100)])
    note = StringField(_l("Note"), validators=[Optional(), Length(max=300)])


class PolicyForm(FlaskForm):
    rows = FieldList(FormField(RuleRow), min_entries=1, max_entries=100)
    submit = SubmitField(_l("Save the table"))
