"""Forms of the incident pages: opening one, adding cases, the phase buttons, the details, the security
checklist, the broadcast update and the closing retrospective. The services check every value again (the
shop's people, the shop's cases); the choices here are only the UI."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (HiddenField, IntegerField, SelectChoice, SelectField, SelectMultipleField, StringField,
                     TextAreaField)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from crisisdesk.domain import incidents as rules
from crisisdesk.domain.causes import CAUSES
from crisisdesk.domain.follow_up import LANGUAGES

CAUSE_CHOICES = [SelectChoice(name, _l(label)) for name, label in CAUSES.items()]
LANGUAGE_NAMES = {"en": _l("English"), "pl": _l("Polish"), "lv": _l("Latvian")}


class CheckboxList(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _cadence_field():
    return IntegerField(_l("Update every (hours)"), default=rules.DEFAULT_CADENCE_HOURS,
                        validators=[InputRequired(), NumberRange(rules.MIN_CADENCE_HOURS, rules.MAX_CADENCE_HOURS)])


class IncidentDetailsForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=rules.MAX_TITLE)])
    owner = SelectField(_l("Owner"), coerce=int, validate_choice=False)
    statement = TextAreaField(_l("Public statement"), validators=[Optional(), Length(max=rules.MAX_TEXT)])
    cadence_hours = _cadence_field()


class NewIncidentForm(IncidentDetailsForm):
    shop = HiddenField(validators=[InputRequired()])
    cause = HiddenField(validators=[InputRequired()])
    product = HiddenField()
    alert = HiddenField()
    cases = CheckboxList(_l("Cases"), coerce=int, validate_choice=False)


class FindCasesForm(FlaskForm):
    """The GET filter above a new incident: which shop, cause and product to look for."""

    class Meta:
        csrf = False  # a GET that changes nothing

    shop = SelectField(_l("Shop"), coerce=int, validate_choice=False)
    cause = SelectField(_l("Cause"), choices=CAUSE_CHOICES)
    product = SelectField(_l("Product"), coerce=int, validate_choice=False)


class AddCasesForm(FlaskForm):
    cases = CheckboxList(_l("Matching cases"), coerce=int, validate_choice=False)


class PhaseForm(FlaskForm):
    phase = HiddenField(validators=[DataRequired()])


class ChecklistForm(FlaskForm):
    items = CheckboxList(_l("Security playbook"), choices=[SelectChoice(k, _l(v))
                                                           for k, v in rules.SECURITY_CHECKLIST.items()])


class CloseForm(FlaskForm):
    what_happened = TextAreaField(_l(rules.RETROSPECTIVE_FIELDS["what_happened"]),
                                  validators=[DataRequired(), Length(max=rules.MAX_TEXT)])
    what_worked = TextAreaField(_l(rules.RETROSPECTIVE_FIELDS["what_worked"]),
                                validators=[DataRequired(), Length(max=rules.MAX_TEXT)])
    what_to_change = TextAreaField(_l(rules.RETROSPECTIVE_FIELDS["what_to_change"]),
                                   validators=[DataRequired(), Length(max=rules.MAX_TEXT)])


class RemoveCaseForm(FlaskForm):
    pass


class UpdateForm(FlaskForm):
    """One text per customer language; the page shows the languages the incident's customers read."""

    number = IntegerField(validators=[InputRequired()])
    text_en = TextAreaField(LANGUAGE_NAMES["en"], validators=[Optional(), Length(max=rules.MAX_TEXT)])
    text_pl = TextAreaField(LANGUAGE_NAMES["pl"], validators=[Optional(), Length(max=rules.MAX_TEXT)])
    text_lv = TextAreaField(LANGUAGE_NAMES["lv"], validators=[Optional(), Length(max=rules.MAX_TEXT)])

    def texts(self):
        return {language: getattr(self, f"text_{language}").data or "" for language in LANGUAGES}
