"""The dashboard's filter: which shop and which period (a GET form: it changes nothing, so no CSRF token)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectChoice, SelectField
from wtforms.validators import Optional

from crisisdesk.domain.periods import DEFAULT_PRESET, custom_period, preset_period

PRESET_CHOICES = [SelectChoice("30d", _l("Last 30 days")), SelectChoice("90d", _l("Last 90 days")),
                  SelectChoice("12m", _l("Last 12 months")), SelectChoice("custom", _l("Dates below"))]


class DashboardForm(FlaskForm):
    class Meta:
        csrf = False

    shop = SelectField(_l("Shop"), coerce=int, validate_choice=False, default=0)
    preset = SelectField(_l("Period"), choices=PRESET_CHOICES, default=DEFAULT_PRESET)
    start = DateField(_l("From"), validators=[Optional()])
    end = DateField(_l("To"), validators=[Optional()])

    def set_shops(self, shops):
        self.shop.choices = [SelectChoice(0, _l("All shops"))] + [SelectChoice(s.id, s.name) for s in shops]

    def period(self, today):
        """The chosen period; raises domain Invalid for dates that make none. Unparsable dates are ignored."""
        if self.preset.data == "custom":
            return custom_period(self.start.data, self.end.data)
        return preset_period(self.preset.data or DEFAULT_PRESET, today)
