"""Panel forms. Every one inherits Flask-WTF's CSRF token."""
from flask_wtf import FlaskForm
from wtforms import (BooleanField, EmailField, HiddenField, IntegerField, PasswordField, SelectChoice, SelectField,
                     SelectMultipleField, StringField, SubmitField, TextAreaField)
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional, URL

from crisisdesk.domain.case_status import STATUS_LABELS
from crisisdesk.domain.roles import ROLE_NAMES
from crisisdesk.services.cases import MANUAL_CHANNELS
from crisisdesk.services.shops import SUPPORTED_LANGUAGES

# SelectChoice, not (value, label) tuples: WTForms 3.3 deprecates tuples and 3.4 removes them.
STATUS_CHOICES = [SelectChoice(s.value, label) for s, label in STATUS_LABELS.items()]
LANGUAGE_CHOICES = [SelectChoice(code) for code in SUPPORTED_LANGUAGES]
ROLE_CHOICES = [SelectChoice(role) for role in ROLE_NAMES]


class StatusForm(FlaskForm):
    status = SelectField("Status", choices=STATUS_CHOICES)
    submit = SubmitField("Change status")


class AssignForm(FlaskForm):
    # The service checks the person may work on this shop; the list is only the UI.
    assignee = SelectField("Assignee", coerce=int, validate_choice=False)
    submit = SubmitField("Assign")


class NoteForm(FlaskForm):
    text = TextAreaField("Note", validators=[DataRequired(), Length(max=10_000)])
    customer_contacted = BooleanField("This records contact with the customer (stops the first-response clock)")
    submit = SubmitField("Add to timeline")


class LinkOrderForm(FlaskForm):
    order_id = HiddenField(validators=[InputRequired()])
    submit = SubmitField("Link this order")


class UnlinkOrderForm(FlaskForm):
    submit = SubmitField("Remove link")


class ManualCaseForm(FlaskForm):
    shop = SelectField("Shop", coerce=int)
    channel = SelectField("Came in by", choices=[SelectChoice(c, c.capitalize()) for c in MANUAL_CHANNELS])
    email = EmailField("Customer's email", validators=[DataRequired(), Email(), Length(max=254)])
    name = StringField("Customer's name", validators=[Optional(), Length(max=200)])
    order_number = StringField("Order number", validators=[Optional(), Length(max=40)])
    text = TextAreaField("What the customer said", validators=[DataRequired(), Length(max=10_000)])
    submit = SubmitField("Open case")


class ShopForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=200)])
    url = StringField("Shop URL", validators=[DataRequired(), URL(require_tld=False), Length(max=500)])
    language = SelectField("Language", choices=LANGUAGE_CHOICES)
    timezone = StringField("Time zone", default="UTC", validators=[DataRequired(), Length(max=64)])
    submit = SubmitField("Connect shop")


class ShopSettingsForm(FlaskForm):
    first_response_hours = IntegerField("First answer within (hours)", validators=[InputRequired(),
                                                                                   NumberRange(1, 720)])
    apology_hours = IntegerField("Public apology within (hours)", validators=[InputRequired(), NumberRange(1, 720)])
    update_hours = IntegerField("Public update every (hours)", validators=[InputRequired(), NumberRange(1, 720)])
    case_max_rating = IntegerField("Open a case for reviews of at most (stars)",
                                   validators=[InputRequired(), NumberRange(0, 5)])
    negative_text_max_rating = IntegerField("…or with negative text, at most (stars)",
                                            validators=[InputRequired(), NumberRange(0, 5)])
    language = SelectField("Language", choices=LANGUAGE_CHOICES)
    timezone = StringField("Time zone", validators=[DataRequired(), Length(max=64)])
    submit = SubmitField("Save settings")


class RotateSecretForm(FlaskForm):
    confirm = BooleanField("I will paste the new secret into the bridge's settings", validators=[DataRequired()])
    submit = SubmitField("Rotate the shared secret")


class UserForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Email(), Length(max=254)])
    name = StringField("Name", validators=[Optional(), Length(max=200)])
    role = SelectField("Role", choices=ROLE_CHOICES)
    shops = SelectMultipleField("Shops (agents and viewers)", coerce=int)
    password = PasswordField("Initial password", validators=[DataRequired(), Length(min=12, max=1024)])
    submit = SubmitField("Create user")


class UserAccessForm(FlaskForm):
    role = SelectField("Role", choices=ROLE_CHOICES)
    shops = SelectMultipleField("Shops", coerce=int)
    submit = SubmitField("Save access")
