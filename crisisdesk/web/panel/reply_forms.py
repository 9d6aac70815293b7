"""The reply composer's forms, beside their routes (web/panel/replies.py)."""
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectChoice, SelectField, TextAreaField

from crisisdesk.services.replies import CHANNEL_LABELS, LANGUAGES

REMEDY_LABELS = {"none": "No compensation", "refund": "Refund", "replacement": "Replacement",
                 "coupon": "Discount code"}
LANGUAGE_LABELS = {"pl": "Polish", "en": "English", "lv": "Latvian"}
ACTIONS = ("draft", "check", "send")  # the buttons, name="action"


class ReplyForm(FlaskForm):
    # Ids of their own: the case page has other forms with a `text` field (the note).
    # The service checks the channel against the case (a complaint by phone has no review to answer under).
    channel = SelectField("Where", id="reply-channel",
                          choices=[SelectChoice(c, label) for c, label in CHANNEL_LABELS.items()])
    remedy = SelectField("Compensation to offer", id="reply-remedy",
                         choices=[SelectChoice(r, label) for r, label in REMEDY_LABELS.items()])
    language = SelectField("Language", id="reply-language",
                           choices=[SelectChoice(code, LANGUAGE_LABELS[code]) for code in LANGUAGES])
    text = TextAreaField("Reply", id="reply-text")
    idempotency_key = HiddenField()  # one per opened composer: a double click sends once


class CheckForm(FlaskForm):
    """What the live check posts: the text and its language (nothing is written)."""
    text = TextAreaField("Reply")
    language = SelectField("Language", choices=[SelectChoice(code) for code in LANGUAGES])
