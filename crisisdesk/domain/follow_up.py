"""Closing the loop after a fix (SPEC section 4 "Follow-up and recovery"; seeds, EXTRACT §8 and §10).

Pure rules: which language a follow-up is written in, when it and its one reminder are due, whether
a due email is still wanted, and what counts as winning the customer back.

"Recovered" has two strengths (EXTRACT §8.4): *won back* (the rating on the case's review rose, a
new review of 4★ or more, or a new order) and the weaker *confirmed satisfied* (a positive one-click
answer to the follow-up). A later won-back event upgrades a confirmed-satisfied outcome; nothing
ever downgrades a won-back one. An invitation to update a review is never conditional on anything
(EXTRACT §10.2): no rule here looks at what the customer might do in exchange.
"""
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from crisisdesk.domain import bidi
from crisisdesk.domain.sentiment import detect_language

LANGUAGES = ("pl", "en", "lv")
FOLLOW_UP = "follow_up"
REMINDER = "follow_up_reminder"
KINDS = (FOLLOW_UP, REMINDER)

SETTLED_STATUSES = ("resolved", "closed")  # a case whose recovery is being tracked
POSITIVE_RATING = 4  # a new review this good wins the customer back
SATISFIED_SCORE = 4  # a one-click answer this good confirms the customer is satisfied
REPEAT_ORDER_STATUSES = ("processing", "completed")  # paid for: a real purchase, not a failed checkout
# A replacement order that ended any of these ways will never be delivered: stop waiting for it.
ABANDONED_ORDER_STATUSES = ("cancelled", "refunded", "failed", "trash")
REMOVED_REVIEW_STATUSES = ("trash", "spam")
MIN_WORDS_TO_DETECT = 3  # fewer words say too little about a language: use the shop's
MIN_GAP_BEFORE_REMINDER = timedelta(hours=24)  # a late follow-up must not be chased by its reminder at once

WON_BACK = ("rating_raised", "positive_review", "new_order")
CONFIRMED_SATISFIED = "satisfied_answer"
RECOVERED_BY_LABELS = {
    "rating_raised": "raised the rating",
    "positive_review": "posted a new positive review",
    "new_order": "ordered again",
    "satisfied_answer": "answered that they are satisfied",
}

_LETTERS = re.compile(r"[^\W\d_]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]+")


def choose_language(customer_language, text, shop_language):
    """The customer's own language if known, else the review's (when it says enough), else the shop's."""
    for candidate in (customer_language, _detected(text)):
        language = normalise_language(candidate)
        if language:
            return language
    return normalise_language(shop_language) or "en"


def normalise_language(value):
    """'pl', 'en' or 'lv' from values like 'pl_PL' or 'LV'; None for anything else."""
    prefix = (value or "").strip().lower()[:2]
    return prefix if prefix in LANGUAGES else None


def _detected(text):
    text = unicodedata.normalize("NFC", text or "")
    if len(_LETTERS.findall(text)) < MIN_WORDS_TO_DETECT:
        return None
    return detect_language(text)


def idempotency_key(case_id, resolution_round, kind):
    """One outbox row per case, resolution and kind: resolving again after a reopen is a new round."""
    return f"case:{case_id}:resolution:{resolution_round}:{kind}"


def follow_up_due(released_at, follow_up_days):
    """When the follow-up is due: N days after the fix was complete (resolution, or the replacement's delivery)."""
    return released_at + timedelta(days=follow_up_days)


def reminder_due(follow_up_due_at, reminder_days):
    return follow_up_due_at + timedelta(days=reminder_days)


def window_end(resolved_at, window_days):
    return resolved_at + timedelta(days=window_days)


def in_window(moment, resolved_at, window_ends_at):
    """True when `moment` falls between the resolution and the end of the recovery window."""
    return moment is not None and resolved_at <= moment <= window_ends_at


def is_won_back(recovered_by):
    return recovered_by in WON_BACK


def takes_evidence(outcome, recovered_by, new_by):
    """Whether evidence `new_by` should be recorded on a recovery now in (`outcome`, `recovered_by`).

    Pending takes anything; confirmed satisfied is upgraded by a won-back event; won back is final
    (the first won-back evidence stays, so its time is the time to recovery).
    """
    if outcome == "pending":
        return True
    if outcome == "recovered" and recovered_by == CONFIRMED_SATISFIED:
        return is_won_back(new_by)
    return False


def rating_raised(baseline, rating):
    return baseline is not None and rating is not None and rating > baseline


def is_positive_review(rating):
    return rating is not None and rating >= POSITIVE_RATING


def is_satisfied(score):
    return score >= SATISFIED_SCORE


def validate_score(score):
    if not isinstance(score, int) or isinstance(score, bool) or not 1 <= score <= 5:
        raise ValueError("a satisfaction score is 1 to 5")
    return score


@dataclass(frozen=True)
class SendFacts:
    """What is true when a follow-up row falls due, gathered by the caller from the database."""

    kind: str
    case_status: str | None  # None: the case is gone
    review_removed: bool
    suppressed: bool
    address_current: bool  # the customer still has the address the row was scheduled for (not erased)
    outcome: str | None  # the recovery's; None: no recovery row
    recovered_by: str | None
    answered: bool  # the customer clicked a satisfaction link
    window_ends_at: datetime | None
    now: datetime
    follow_up_sent_at: datetime | None = None  # for the reminder: when its follow-up went out
    reacted_since_follow_up: bool = False  # for the reminder: the review was edited after the follow-up


def cancel_reason(facts):
    """Why a due follow-up (or reminder) must not go out after all, or None to send it."""
    if facts.case_status is None or facts.outcome is None:
        return "the case no longer exists"
    if facts.case_status not in SETTLED_STATUSES:
        return "the case was reopened"
    if facts.suppressed:
        return "the address asked for no more emails"
    if not facts.address_current:
        return "the customer's address was erased"
    if facts.review_removed:
        return "the review was removed in WordPress"
    if facts.outcome == "recovered":
        return f"the customer already {RECOVERED_BY_LABELS.get(facts.recovered_by, 'came back')}"
    if facts.outcome != "pending" or (facts.window_ends_at and facts.now > facts.window_ends_at):
        return "the recovery window has ended"
    if facts.kind == REMINDER:
        return _reminder_reason(facts)
    return None


def _reminder_reason(facts):
    # At most one reminder, and only "if nothing happened" since the follow-up (the words).
    if facts.answered:
        return "the customer already answered the follow-up"
    if facts.follow_up_sent_at is None:
        return "the follow-up itself was not sent"
    if facts.now - facts.follow_up_sent_at < MIN_GAP_BEFORE_REMINDER:
        return "the follow-up went out less than a day ago"
    if facts.reacted_since_follow_up:
        return "the customer already updated the review"
    return None


def header_safe(text, limit=150):
    """One line fit for a Subject header: no CR/LF or other control characters, spaces collapsed, bidi overrides
    closed (domain/bidi.py) so a name cannot turn around the rest of the subject."""
    flat = " ".join(_CONTROL.sub(" ", text or "").split())
    return bidi.balance(flat if len(flat) <= limit else flat[:limit - 1].rstrip() + "…")


def review_link(permalink, shop_url, remote_product_id, remote_review_id):
    """A direct link to the review on the product page (WordPress anchors each comment `#comment-<id>`)."""
    if not remote_review_id:
        return None
    base = (permalink or "").strip()
    if not base.lower().startswith(("https://", "http://")):
        # WordPress redirects `?p=<post id>` to the product's permalink; the browser keeps the anchor.
        if not remote_product_id or not shop_url:
            return None
        base = f"{shop_url.rstrip('/')}/?p={int(remote_product_id)}"
    return f"{base.split('#')[0]}#comment-{int(remote_review_id)}"


_SUFFIX_SYMBOLS = {"pl": {"PLN": "zł", "EUR": "€"}, "lv": {"EUR": "€"}, "en": {}}
_PREFIX_SYMBOLS = {"en": {"USD": "$", "GBP": "£", "EUR": "€"}}


def format_money(amount, currency, language):
    """An amount as a customer in `language` reads it: '1 234,50 zł', '1 234,50 €', '€1,234.50'."""
    value = Decimal(amount).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    currency = (currency or "").upper()
    if language == "en":
        number = f"{value:,.2f}"
        prefix = _PREFIX_SYMBOLS["en"].get(currency)
        return f"{prefix}{number}" if prefix else f"{number} {currency}".strip()
    number = f"{value:,.2f}".replace(",", " ").replace(".", ",")
    symbol = _SUFFIX_SYMBOLS.get(language, {}).get(currency, currency)
    return f"{number} {symbol}".strip()


_MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
              "October", "November", "December")


def format_date(day, language):
    """A calendar date as the customer writes it: 31.12.2026 (pl, lv), 31 December 2026 (en)."""
    if isinstance(day, datetime):
        day = day.date()
    if not isinstance(day, date):
        return ""
    if language == "en":
        return f"{day.day} {_MONTHS_EN[day.month - 1]} {day.year}"
    return f"{day:%d.%m.%Y}"
