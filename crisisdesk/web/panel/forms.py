"""Panel forms. Every one inherits Flask-WTF's CSRF token."""
from flask_wtf import FlaskForm
from flask_babel import lazy_gettext as _l
from wtforms import (BooleanField, EmailField, HiddenField, IntegerField, PasswordField, SelectChoice, SelectField,
                     SelectMultipleField, StringField, SubmitField, TextAreaField)
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional, URL

from crisisdesk.domain.case_status import STATUS_LABELS
from crisisdesk.domain.roles import ROLE_LABELS, ROLE_NAMES
from crisisdesk.services.cases import MANUAL_CHANNELS
from crisisdesk.services.shops import SUPPORTED_LANGUAGES
from crisisdesk.web.i18n import PANEL_LANGUAGES

# SelectChoice, not (value, label) tuples: WTForms 3.3 deprecates tuples and 3.4 removes them.
STATUS_CHOICES = [SelectChoice(s.value, _l(label)) for s, label in STATUS_LABELS.items()]
LANGUAGE_CHOICES = [SelectChoice(code) for code in SUPPORTED_LANGUAGES]
ROLE_CHOICES = [SelectChoice(role, _l(ROLE_LABELS[role])) for role in ROLE_NAMES]
CHANNEL_LABELS = {"email": _l("Email"), "phone": _l("Phone"), "social": _l("Social"), "other": _l("Other")}
# Each language under its own name, as language pickers do.
PANEL_LANGUAGE_CHOICES = [SelectChoice(code, name) for code, name in PANEL_LANGUAGES.items()]


class StatusForm(FlaskForm):
    status = SelectField(_l("Status"), choices=STATUS_CHOICES)
    submit = SubmitField(_l("Change status"))


class AssignForm(FlaskForm):
    # The service checks the person may work on this shop; the list is only the UI.
    assignee = SelectField(_l("Assignee"), coerce=int, validate_choice=False)
    submit = SubmitField(_l("Assign"))


class NoteForm(FlaskForm):
    text = TextAreaField(_l("Note"), validators=[DataRequired(), Length(max=10_000)])
    customer_contacted = BooleanField(_l("This records contact with the customer (stops the first-response clock)"))
    submit = SubmitField(_l("Add to timeline"))


class LinkOrderForm(FlaskForm):
    order_id = HiddenField(validators=[InputRequired()])
    submit = SubmitField(_l("Link this order"))


class UnlinkOrderForm(FlaskForm):
    submit = SubmitField(_l("Remove link"))


class ManualCaseForm(FlaskForm):
    shop = SelectField(_l("Shop"), coerce=int)
    channel = SelectField(_l("Came in by"), choices=[SelectChoice(c, CHANNEL_LABELS.get(c, c)) for c in MANUAL_CHANNELS])
    email = EmailField(_l("Customer's email"), validators=[DataRequired(), Email(), Length(max=254)])
    name = StringField(_l("Customer's name"), validators=[Optional(), Length(max=200)])
    order_number = StringField(_l("Order number"), validators=[Optional(), Length(max=40)])
    text = TextAreaField(_l("What the customer said"), validators=[DataRequired(), Length(max=10_000)])
    submit = SubmitField(_l("Open case"))


class ShopForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    url = StringField(_l("Shop URL"), validators=[DataRequired(), URL(require_tld=False), Length(max=500)])
    language = SelectField(_l("Language"), choices=LANGUAGE_CHOICES)
    timezone = StringField(_l("Time zone"), default="UTC", validators=[DataRequired(), Length(max=64)])
    submit = SubmitField(_l("Connect shop"))


class ShopSettingsForm(FlaskForm):
    first_response_hours = IntegerField(_l("First answer within (hours)"), validators=[InputRequired(),
                                                                                   NumberRange(1, 720)])
    apology_hours = IntegerField(_l("Public apology within (hours)"), validators=[InputRequired(), NumberRange(1, 720)])
    update_hours = IntegerField(_l("Public update every (hours)"), validators=[InputRequired(), NumberRange(1, 720)])
    case_max_rating = IntegerField(_l("Open a case for reviews of at most (stars)"),
                                   validators=[InputRequired(), NumberRange(0, 5)])
    negative_text_max_rating = IntegerField(_l("…or with negative text, at most (stars)"),
                                            validators=[InputRequired(), NumberRange(0, 5)])
    language = SelectField(_l("Language"), choices=LANGUAGE_CHOICES)
    timezone = StringField(_l("Time zone"), validators=[DataRequired(), Length(max=64)])
    submit = SubmitField(_l("Save settings"))


class RotateSecretForm(FlaskForm):
    confirm = BooleanField(_l("I will paste the new secret into the bridge's settings"), validators=[DataRequired()])
    submit = SubmitField(_l("Rotate the shared secret"))


class UserForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Email(), Length(max=254)])
    name = StringField(_l("Name"), validators=[Optional(), Length(max=200)])
    role = SelectField(_l("Role"), choices=ROLE_CHOICES)
    shops = SelectMultipleField(_l("Shops (agents and viewers)"), coerce=int)
    language = SelectField(_l("Panel language"), choices=PANEL_LANGUAGE_CHOICES, default="en")
    password = PasswordField(_l("Initial password"), validators=[DataRequired(), Length(min=12, max=1024)])
    submit = SubmitField(_l("Create user"))


class UserAccessForm(FlaskForm):
    role = SelectField(_l("Role"), choices=ROLE_CHOICES)
    shops = SelectMultipleField(_l("Shops"), coerce=int)
    # Not posted (older pages, scripts): the language stays as it is.
    language = SelectField(_l("Panel language"), choices=PANEL_LANGUAGE_CHOICES, validate_choice=False)
    submit = SubmitField(_l("Save access"))


class AccountForm(FlaskForm):
    """The logged-in person's own settings (My account)."""
    language = SelectField(_l("Panel language"), choices=PANEL_LANGUAGE_CHOICES)
    submit = SubmitField(_l("Save"))
