"""The improvement log's forms: a change with its causes, products, cases and public note; publishing it."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectChoice, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from crisisdesk.domain.improvements import AREAS, DESCRIPTION_MAX, PUBLIC_NOTE_MAX, TITLE_MAX
from crisisdesk.services.improvements import ImprovementInput
from crisisdesk.web.panel.case_work_forms import CAUSE_CHOICES

AREA_CHOICES = [SelectChoice(key, _l(label)) for key, label in AREAS.items()]


class ImprovementForm(FlaskForm):
    shop = SelectField(_l("Shop"), coerce=int)  # removed when editing: an improvement stays in its shop
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=TITLE_MAX)])
    area = SelectField(_l("Area"), choices=AREA_CHOICES, validators=[DataRequired()])
    made_on = DateField(_l("Took effect on"), validators=[InputRequired()])
    description = TextAreaField(_l("What changed"), validators=[DataRequired(), Length(max=DESCRIPTION_MAX)])
    causes = SelectMultipleField(_l("Causes it answers"), choices=CAUSE_CHOICES, widget=ListWidget(prefix_label=False),
                                 option_widget=CheckboxInput())
    products = SelectMultipleField(_l("Products it concerns"), coerce=int)
    cases = StringField(_l("Cases that prompted it"), validators=[Optional(), Length(max=1000)])
    public_note = TextAreaField(_l("Public note (optional)"), validators=[Optional(), Length(max=PUBLIC_NOTE_MAX)])

    def set_products(self, products, shop_names):
        """The product list; with several shops ({id: name}) each product says its shop."""
        several = len(shop_names) > 1
        self.products.choices = [SelectChoice(p.id, f"{shop_names.get(p.shop_id, '')} — {p.name}" if several
                                              else p.name) for p in products]

    def entered(self):
        """What the form says, for services/improvements."""
        return ImprovementInput(title=self.title.data, area=self.area.data, description=self.description.data,
                                made_on=self.made_on.data, causes=self.causes.data or [],
                                product_ids=self.products.data or [], case_numbers=self.cases.data or "",
                                public_note=self.public_note.data or "")


class PublicationForm(FlaskForm):
    """Publish or withdraw the public note: the button is the whole form."""
