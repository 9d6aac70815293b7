"""Forms for compensations, beside their routes."""
from flask_wtf import FlaskForm
from flask_babel import lazy_gettext as _l
from wtforms import (BooleanField, HiddenField, IntegerField, SelectChoice, SelectField, SelectMultipleField, StringField,
                     SubmitField)
from wtforms.validators import InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from crisisdesk.domain.compensation_request import COUPON_TYPES, MAX_COUPON_DAYS


REMEDY_LABELS = {"refund": _l("Refund"), "replacement": _l("Replacement order"), "coupon": _l("Discount code")}


class CheckboxList(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class CompensationForm(FlaskForm):
    kind = SelectField(_l("Remedy"), choices=[SelectChoice(kind, label) for kind, label in REMEDY_LABELS.items()])
    amount = StringField(_l("Amount (refund or fixed code) or percent (percent code)"),
                         validators=[Optional(), Length(max=20)])
    reason = StringField(_l("Reason (shown in WooCommerce)"), validators=[Optional(), Length(max=500)])
    api_refund = BooleanField(_l("Refund through the payment gateway (real money back to the customer's card or "
                                 "account)"))
    restock = BooleanField(_l("Put the refunded items back in stock"))
    coupon_type = SelectField(_l("Code type"), choices=[
        SelectChoice(t, {"percent": _l("Percent off"), "fixed_cart": _l("Fixed amount off")}[t]) for t in COUPON_TYPES])
    coupon_days = IntegerField(_l("Code valid for (days)"), default=30,
                               validators=[Optional(), NumberRange(1, MAX_COUPON_DAYS)])
    items = CheckboxList(_l("Items (replacement, or refund with restock)"), coerce=int, validate_choice=False)
    idempotency_key = HiddenField(validators=[InputRequired(), Length(max=64)])
    submit = SubmitField(_l("Preview"))


class DecisionForm(FlaskForm):
    note = StringField(_l("Note"), validators=[Optional(), Length(max=500)])
    submit = SubmitField(_l("Decide"))

