"""The transparent delay notice an agent sends about an at-risk order (EXTRACT §11 "Proactive communication", §2.2
"transparency and admitting mistakes", §4.4 late delivery: apologise, give the status).

The draft says, in the customer's language: the order, that it is late, why (when the agent writes a reason),
the new date the agent expects to dispatch it, an apology, and that the customer may cancel instead of waiting.
The agent edits it freely; what is checked before it goes out is what keeps it honest and within the rules:
it names the new date it promises, and it never asks for a review or a rating (nothing may be tied to
one; SPEC §2 "Never buy a rating"). The email adds the goodwill code (when the agent ticked it), a sign-off
with the shop's name and a line on how to answer (services/delay_notice_emails.py).

Polish uses the capitalised "Ty" forms of a personal letter and no gendered past tenses; Latvian uses "jūs",
as the other customer emails do.
"""
import re
from datetime import timedelta

from crisisdesk.domain.five_p import fold
from crisisdesk.domain.follow_up import format_date

LANGUAGES = ("pl", "en", "lv")
MAX_TEXT = 5000
MAX_REASON = 500
MAX_DAYS_AHEAD = 90  # a promise further out than this is not a delay notice but a cancellation

TEXTS = {
    "en": {
        "greeting_named": "Hello {name},",
        "greeting": "Hello,",
        "late": "your order #{order} from {shop} should have left us by now, and it has not. It is late, and we "
                "would rather you heard it from us first.",
        "why": "The reason: {reason}",
        "when": "We now expect to dispatch it by {date}. If that changes, we will write to you again.",
        "sorry": "We are sorry for the wait. If you would rather not wait, tell us and we will cancel the order "
                 "and refund you in full.",
        "subject": "Your order #{order} is delayed ({shop})",
        "closing": "Kind regards,",
        "reply": "Questions? Just reply to this email.",
        "reply_site": "Questions? Write to us through {url}.",
        "footer": "You are receiving this email about your order #{order} at {shop}.",
    },
    "pl": {
        "greeting_named": "Dzień dobry {name},",
        "greeting": "Dzień dobry,",
        "late": "Twoje zamówienie nr {order} w sklepie {shop} powinno już być w drodze, a jeszcze nie wyruszyło. "
                "Jest opóźnione i wolimy, żeby ta wiadomość dotarła do Ciebie najpierw od nas.",
        "why": "Powód: {reason}",
        "when": "Teraz spodziewamy się wysłać je do {date}. Jeśli to się zmieni, napiszemy do Ciebie ponownie.",
        "sorry": "Przepraszamy za to czekanie. Jeśli wolisz nie czekać, daj nam znać: anulujemy zamówienie i "
                 "zwrócimy całą kwotę.",
        "subject": "Twoje zamówienie nr {order} jest opóźnione ({shop})",
        "closing": "Pozdrawiamy serdecznie,",
        "reply": "Masz pytania? Po prostu odpowiedz na tę wiadomość.",
        "reply_site": "Masz pytania? Napisz do nas przez {url}.",
        "footer": "Otrzymujesz tę wiadomość w sprawie Twojego zamówienia nr {order} w sklepie {shop}.",
    },
    "lv": {
        "greeting_named": "Labdien, {name}!",
        "greeting": "Labdien!",
        "late": "Jūsu pasūtījumam Nr. {order} veikalā {shop} jau vajadzēja būt ceļā, bet tas vēl nav izsūtīts. "
                "Tas kavējas, un mēs vēlamies, lai jūs to uzzinātu vispirms no mums.",
        "why": "Iemesls: {reason}",
        "when": "Tagad plānojam to izsūtīt līdz {date}. Ja tas mainīsies, mēs jums uzrakstīsim vēlreiz.",
        "sorry": "Atvainojamies par gaidīšanu. Ja nevēlaties gaidīt, dodiet mums ziņu: mēs atcelsim pasūtījumu "
                 "un atmaksāsim visu summu.",
        "subject": "Jūsu pasūtījums Nr. {order} kavējas ({shop})",
        "closing": "Ar cieņu,",
        "reply": "Jautājumi? Vienkārši atbildiet uz šo e-pastu.",
        "reply_site": "Jautājumi? Rakstiet mums caur {url}.",
        "footer": "Jūs saņemat šo e-pastu par savu pasūtījumu Nr. {order} veikalā {shop}.",
    },
}

# Asking for a review or a rating, folded (lower case, no diacritics): stems in the three languages.
ASKS_FOR_REVIEW = re.compile(
    r"(?<!\w)(?:reviews?|rating|rate us|stars?|feedback|"
    r"opini\w*|recenzj\w*|ocen(?:a|e|y|ic|il\w*|ia|iaj\w*)?|gwiazd\w*|"
    r"atsauksm\w*|vertej\w*|novertej\w*|zvaigzn\w*)(?!\w)")


def texts(language):
    """The phrase table of `language` (English for any other)."""
    return TEXTS.get(language, TEXTS["en"])


def draft(language, order_number, shop_name, expected_on, first_name="", reason=""):
    """The suggested notice in `language`: greeting, the lateness, the reason if given, the new date, an apology."""
    t = texts(language)
    paragraphs = [t["greeting_named"].format(name=first_name) if first_name else t["greeting"],
                  t["late"].format(order=order_number, shop=shop_name)]
    reason = tidy_reason(reason)
    if reason:
        paragraphs.append(t["why"].format(reason=reason))
    paragraphs += [t["when"].format(date=format_date(expected_on, language)), t["sorry"]]
    return "\n\n".join(paragraphs)


def tidy_reason(reason):
    """The agent's reason as one sentence: spaces collapsed and a full stop at the end."""
    reason = " ".join((reason or "").split())
    if reason and reason[-1] not in ".!?":
        reason += "."
    return reason


def expected_date_problem(expected_on, today):
    """Why this is not a date a notice may promise (in the past, or too far out), or None."""
    if expected_on is None:
        return "enter the date you now expect to dispatch the order"
    if expected_on < today:
        return "the new dispatch date is in the past"
    if expected_on > today + timedelta(days=MAX_DAYS_AHEAD):
        return f"the new dispatch date is more than {MAX_DAYS_AHEAD} days away: cancel the order instead"
    return None


def text_problem(text, language, expected_on):
    """Why the agent's text may not be sent (empty, too long, no new date, asks for a review), or None."""
    if not text.strip():
        return "the notice is empty"
    if len(text) > MAX_TEXT:
        return f"the notice is longer than {MAX_TEXT} characters"
    if expected_on is not None and format_date(expected_on, language) not in text:
        return f"the notice must name the new dispatch date ({format_date(expected_on, language)})"
    if ASKS_FOR_REVIEW.search(fold(text)):
        return "a delay notice never asks for a review or a rating"
    return None
