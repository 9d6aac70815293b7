"""The reply composer's forms, beside their routes (web/panel/replies.py)."""
from flask_wtf import FlaskForm
from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectChoice, SelectField, TextAreaField

from crisisdesk.services.replies import CHANNEL_LABELS, LANGUAGES

REMEDY_LABELS = {"none": _l("No compensation"), "refund": _l("Refund"), "replacement": _l("Replacement"),
                 "coupon": _l("Discount code")}
LANGUAGE_LABELS = {"pl": _l("Polish"), "en": _l("English"), "lv": _l("Latvian")}
ACTIONS = ("draft", "check", "send")  # the buttons, name="action"


class ReplyForm(FlaskForm):
    # Ids of their own: the case page has other forms with a `text` field (the note).
    # The service checks the channel against the case (a complaint by phone has no review to answer under).
    channel = SelectField(_l("Where"), id="reply-channel",
                          choices=[SelectChoice(c, _l(label)) for c, label in CHANNEL_LABELS.items()])
    remedy = SelectField(_l("Compensation to offer"), id="reply-remedy",
                         choices=[SelectChoice(r, label) for r, label in REMEDY_LABELS.items()])
    language = SelectField(_l("Language"), id="reply-language",
                           choices=[SelectChoice(code, LANGUAGE_LABELS[code]) for code in LANGUAGES])
    text = TextAreaField(_l("Reply"), id="reply-text")
    idempotency_key = HiddenField()  # one per opened composer: a double click sends once


class CheckForm(FlaskForm):
    """What the live check posts: the text and its language (nothing is written)."""
    text = TextAreaField(_l("Reply"))
    language = SelectField(_l("Language"), choices=[SelectChoice(code) for code in LANGUAGES])
