"""Forms for compensations, beside their routes."""
from flask_wtf import FlaskForm
from wtforms import (BooleanField, HiddenField, IntegerField, SelectChoice, SelectField, SelectMultipleField, StringField,
                     SubmitField)
from wtforms.validators import InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from crisisdesk.domain.compensation_request import COUPON_TYPES, MAX_COUPON_DAYS


class CheckboxList(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class CompensationForm(FlaskForm):
    kind = SelectField("Remedy", choices=[SelectChoice("refund", "Refund"),
                                          SelectChoice("replacement", "Replacement order"),
                                          SelectChoice("coupon", "Discount code")])
    amount = StringField("Amount (refund or fixed code) or percent (percent code)",
                         validators=[Optional(), Length(max=20)])
    reason = StringField("Reason (shown in WooCommerce)", validators=[Optional(), Length(max=500)])
    api_refund = BooleanField("Refund through the payment gateway (real money back to the customer's card or account)")
    restock = BooleanField("Put the refunded items back in stock")
    coupon_type = SelectField("Code type", choices=[
        SelectChoice(t, {"percent": "Percent off", "fixed_cart": "Fixed amount off"}[t]) for t in COUPON_TYPES])
    coupon_days = IntegerField("Code valid for (days)", default=30,
                               validators=[Optional(), NumberRange(1, MAX_COUPON_DAYS)])
    items = CheckboxList("Items (replacement, or refund with restock)", coerce=int, validate_choice=False)
    idempotency_key = HiddenField(validators=[InputRequired(), Length(max=64)])
    submit = SubmitField("Preview")


class DecisionForm(FlaskForm):
    note = StringField("Note", validators=[Optional(), Length(max=500)])
    submit = SubmitField("Decide")

