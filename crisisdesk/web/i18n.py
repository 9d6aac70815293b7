"""The panel's language: the logged-in user's setting, else the browser's preference, else English.

Strings in templates and views are marked with `_()` (Flask-Babel; `_l()` for module-level form labels);
labels defined in domain/ and services/ are marked with the no-op `N_()` (domain/texts.py) and translated
here, at display time. The Polish catalogue is translations/pl/LC_MESSAGES/messages.po, compiled to
messages.mo (see translations/README.md). Dates, numbers and amounts are formatted per locale below.
"""
from datetime import timezone
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from babel.numbers import format_currency, format_decimal, format_percent
from flask import request
from flask_babel import get_locale, gettext
from flask_login import current_user

PANEL_LANGUAGES = {"en": "English", "pl": "Polski"}
DEFAULT_LANGUAGE = "en"

# Numeric and sortable in English (as the panel always showed it), the usual day-first form in Polish.
DATETIME_PATTERNS = {"en": "yyyy-MM-dd HH:mm", "pl": "dd.MM.yyyy HH:mm"}
DATE_PATTERNS = {"en": "yyyy-MM-dd", "pl": "dd.MM.yyyy"}
# English keeps "55.00 PLN" (amount, then the ISO code); Polish uses CLDR's own form, "1 234,50 zł".
MONEY_PATTERNS = {"en": "#,##0.00 ¤¤"}


def select_locale():
    if current_user and current_user.is_authenticated and current_user.language in PANEL_LANGUAGES:
        return current_user.language
    if request:
        return request.accept_languages.best_match(list(PANEL_LANGUAGES)) or DEFAULT_LANGUAGE
    return DEFAULT_LANGUAGE


def select_timezone():
    # Times are shown in UTC or in each shop's own timezone (format_moment's `tz`); Babel's default stays UTC.
    return "UTC"


def _language():
    return str(get_locale() or DEFAULT_LANGUAGE).split("_")[0]


def format_moment(moment, tz=None):
    """`moment` in UTC ("2026-12-04 16:05 UTC") or in the shop's zone ("04.12.2026 17:05 (Europe/Warsaw)")."""
    if moment is None:
        return "—"
    pattern = DATETIME_PATTERNS.get(_language(), DATETIME_PATTERNS[DEFAULT_LANGUAGE])
    zone = ZoneInfo(tz) if tz else timezone.utc
    text = format_datetime(moment, pattern, tzinfo=zone, locale=_language())
    return f"{text} ({tz})" if tz else f"{text} UTC"


def format_day(day):
    """A calendar date (a coupon's last day, a filing date) in the locale's numeric form."""
    if day is None:
        return "—"
    return format_date(day, DATE_PATTERNS.get(_language(), DATE_PATTERNS[DEFAULT_LANGUAGE]), locale=_language())


def format_money(amount, currency):
    """An amount with its currency: "1,234.50 PLN" in English, "1 234,50 zł" in Polish."""
    if amount is None:
        return "—"
    if not currency:  # an order imported without one: the number alone
        return format_number(amount, 2)
    return format_currency(amount, currency, MONEY_PATTERNS.get(_language()), locale=_language())


def format_number(value, digits=0):
    """A number with the locale's separators and exactly `digits` decimals."""
    if value is None:
        return "—"
    return format_decimal(value, "#,##0" + ("." + "0" * digits if digits else ""), locale=_language())


def format_ratio(ratio):
    """0.675 as "68%", with the locale's own signs."""
    if ratio is None:
        return "—"
    return format_percent(ratio, locale=_language())


def translated(text):
    """The panel-language version of a label marked with N_() in domain/ or services/ (unknown text as it is)."""
    return gettext(text) if text else text


def html_lang():
    return _language()


def role_label(role):
    from crisisdesk.domain.roles import ROLE_LABELS

    return translated(ROLE_LABELS.get(role, role))


def init_app(app):
    """Template filters for the formats above, and the page's language for `<html lang>`."""
    app.add_template_filter(format_moment, "moment")
    app.add_template_filter(format_day, "day")
    app.add_template_filter(format_number, "number")
    app.add_template_filter(format_ratio, "ratio")
    app.add_template_filter(translated, "tr")
    app.add_template_global(format_money, "money")
    app.add_template_global(html_lang, "html_lang")
    app.add_template_global(role_label, "role_label")
    from crisisdesk.web.error_texts import panel_message

    app.add_template_filter(panel_message, "panel_message")
    from crisisdesk.web import timeline_texts

    timeline_texts.init_app(app)
