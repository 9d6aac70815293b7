"""Forms of a customer's data request (services/privacy.py) and of the shop's retention period."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from crisisdesk.domain.personal_data import MAX_EMAIL_LENGTH
from crisisdesk.domain.retention import MONTHS_RANGE


class PrivacyLookupForm(FlaskForm):
    # Only the shape of an address is checked, by the service: WooCommerce may hold addresses a strict
    # validator refuses (a staging shop's .test domain), and those customers must be found too.
    email = StringField(_l("The customer's email address"), validators=[DataRequired(), Length(max=MAX_EMAIL_LENGTH)])
    submit = SubmitField(_l("Look up"))


class PrivacyExportForm(FlaskForm):
    email = HiddenField(validators=[DataRequired(), Length(max=MAX_EMAIL_LENGTH)])
    submit = SubmitField(_l("Download export (JSON)"))


class PrivacyEraseForm(FlaskForm):
    email = HiddenField(validators=[DataRequired(), Length(max=MAX_EMAIL_LENGTH)])
    confirm_email = StringField(_l("Type the email address again to confirm"),
                                validators=[DataRequired(), Length(max=MAX_EMAIL_LENGTH)])
    submit = SubmitField(_l("Erase this customer"))

    def validate_confirm_email(self, field):
        if field.data.strip().lower() != (self.email.data or "").strip().lower():
            raise ValidationError(_l("This is not the address looked up: nothing was erased."))


class RetentionSettingsForm(FlaskForm):
    retention_months = IntegerField(_l("Anonymise cases this many months after they ended (empty: keep them)"),
                                    validators=[Optional(), NumberRange(*MONTHS_RANGE)])
    submit = SubmitField(_l("Save the retention period"))
