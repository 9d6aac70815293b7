"""The panel's language: the logged-in user's setting, else the browser's preference, else English.

Strings in templates and views are marked with `_()` (Flask-Babel); the Polish catalogue is
translations/pl/LC_MESSAGES/messages.po, compiled to messages.mo (see the README's "Translations").
"""
from flask import request
from flask_login import current_user

PANEL_LANGUAGES = {"en": "English", "pl": "Polski"}
DEFAULT_LANGUAGE = "en"


def select_locale():
    if current_user and current_user.is_authenticated and current_user.language in PANEL_LANGUAGES:
        return current_user.language
    if request:
        return request.accept_languages.best_match(list(PANEL_LANGUAGES)) or DEFAULT_LANGUAGE
    return DEFAULT_LANGUAGE


def select_timezone():
    # Times are shown in each shop's own timezone by the templates; Babel's default stays UTC.
    return "UTC"
