"""Forms of the case-work actions: correcting causes, marking a formal complaint."""
from flask_wtf import FlaskForm
from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectChoice, SelectField, SelectMultipleField, SubmitField
from wtforms.validators import DataRequired, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from crisisdesk.domain.causes import CAUSES

CAUSE_CHOICES = [SelectChoice(name, _l(label)) for name, label in CAUSES.items()]


class CausesForm(FlaskForm):
    # A multi-select posts its values in page order, not in the order clicked: the main cause is its own field.
    main = SelectField(_l("Main cause"), choices=CAUSE_CHOICES, validators=[DataRequired()])
    others = SelectMultipleField(_l("Also"), choices=CAUSE_CHOICES, widget=ListWidget(prefix_label=False),
                                 option_widget=CheckboxInput())
    submit = SubmitField(_l("Save causes"))

    def chosen(self):
        """The causes, main first."""
        return [self.main.data] + [c for c in self.others.data or [] if c != self.main.data]


class FormalComplaintForm(FlaskForm):
    filed_on = DateField(_l("Filed on (empty: today)"), validators=[Optional()])
    submit = SubmitField(_l("Mark as formal complaint (reklamacja)"))
