"""The public resolution note (issue "Answer every review, fairly", item 5): a short update posted under the
original review once the case is resolved, so later readers see the problem was fixed.

It is public, so it never names the order or an amount: those stay in the private email. The text is only a
starting point in the review's language; the agent edits it before posting.
"""
import re

LANGUAGES = ("pl", "en", "lv")
MAX_LENGTH = 1000  # a brief update, not a second reply

# (the update, the thanks with the reviewer's first name, the thanks without one)
TEXTS = {
    "en": ("Update from {shop}: the problem described in this review has been resolved.",
           "{name}, thank you for your patience and for telling us about it: it helped us put it right.",
           "Thank you for your patience and for telling us about it: it helped us put it right."),
    "pl": ("Aktualizacja od {shop}: problem opisany w tej opinii został rozwiązany.",
           "{name}, dziękujemy za cierpliwość i za zgłoszenie: pomogło nam to wszystko naprawić.",
           "Dziękujemy za cierpliwość i za zgłoszenie: pomogło nam to wszystko naprawić."),
    "lv": ("Atjauninājums no {shop}: šajā atsauksmē aprakstītā problēma ir atrisināta.",
           "{name}, paldies par pacietību un par to, ka mums par to pastāstījāt: tas palīdzēja mums visu labot.",
           "Paldies par pacietību un par to, ka mums par to pastāstījāt: tas palīdzēja mums visu labot."),
}

# An amount next to a currency ("25 zł", "€10", "10.50 EUR"): an agent's edit must not make the note name one.
AMOUNT = re.compile(r"(?:\d[\d\s.,]*\s?(?:zł|zl|pln|eur|€|usd|\$|£|gbp)(?!\w))|(?:(?:€|\$|£)\s?\d)", re.IGNORECASE)


def note_text(language, shop_name, first_name=""):
    """The suggested note in `language` (English for any other), greeting the reviewer by first name if known."""
    update, thanks_named, thanks = TEXTS.get(language, TEXTS["en"])
    name = (first_name or "").strip()
    return f"{update.format(shop=shop_name)} {thanks_named.format(name=name) if name else thanks}"


def public_problem(text, order_number=None):
    """Why `text` may not be posted publicly (it names the order or an amount), or None."""
    if order_number and re.search(rf"(?<!\d){re.escape(str(order_number))}(?!\d)", text):
        return "a public note must not name the order number"
    if AMOUNT.search(text):
        return "a public note must not name an amount"
    return None
