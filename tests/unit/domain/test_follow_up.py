"""domain.follow_up: language, timing, what counts as winning a customer back, when a due email is dropped."""
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from crisisdesk.domain import follow_up as rules
from crisisdesk.domain.follow_up_texts import SCORES, TEXTS

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=timezone.utc)


# --- language ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("customer, text, shop, expected", [
    ("lv", "Paczka dotarła uszkodzona, nie polecam", "en", "lv"),  # the customer's own setting wins
    ("pl_PL", "", "en", "pl"),
    (None, "Paczka dotarła uszkodzona, nie polecam tego sklepu", "en", "pl"),
    (None, "Prece atnāca bojāta un nestrādā", "pl", "lv"),
    (None, "The kettle arrived broken and leaks", "pl", "en"),
    (None, "Zły!", "lv", "lv"),  # two words say too little: the shop's language
    (None, "", "pl", "pl"),
    ("de", "", "de", "en"),  # languages we have no texts for fall back to English
])
def test_it_picks_the_customer_language_then_the_review_text_then_the_shop(customer, text, shop, expected):
    assert rules.choose_language(customer, text, shop) == expected


def test_every_language_has_every_phrase_and_all_five_score_labels():
    keys = set(TEXTS["en"])
    for language in rules.LANGUAGES:
        assert set(TEXTS[language]) == keys, language
        assert sorted(TEXTS[language]["scores"]) == list(SCORES)


# --- timing and keys ---------------------------------------------------------------------------------------

def test_the_follow_up_and_reminder_are_due_days_after_the_fix():
    follow_up = rules.follow_up_due(NOW, 7)
    assert follow_up == NOW + timedelta(days=7)
    assert rules.reminder_due(follow_up, 5) == NOW + timedelta(days=12)
    assert rules.window_end(NOW, 90) == NOW + timedelta(days=90)


def test_each_resolution_round_and_kind_has_its_own_key():
    keys = {rules.idempotency_key(12, n, kind) for n in (1, 2) for kind in rules.KINDS}
    assert len(keys) == 4
    assert rules.idempotency_key(12, 1, rules.FOLLOW_UP) == "case:12:resolution:1:follow_up"


def test_the_window_starts_after_the_resolution_and_includes_its_last_moment():
    end = NOW + timedelta(days=90)
    assert not rules.in_window(NOW - timedelta(seconds=1), NOW, end)
    assert rules.in_window(end, NOW, end)
    assert not rules.in_window(end + timedelta(seconds=1), NOW, end)
    assert not rules.in_window(None, NOW, end)


# --- evidence ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("outcome, by, new, takes", [
    ("pending", None, "satisfied_answer", True),
    ("pending", None, "new_order", True),
    ("recovered", "satisfied_answer", "rating_raised", True),  # won back upgrades confirmed satisfied
    ("recovered", "satisfied_answer", "satisfied_answer", False),
    ("recovered", "new_order", "satisfied_answer", False),  # never downgraded
    ("recovered", "new_order", "rating_raised", False),  # the first won-back evidence stays
    ("not_recovered", None, "new_order", False),
])
def test_stronger_evidence_upgrades_and_nothing_downgrades(outcome, by, new, takes):
    assert rules.takes_evidence(outcome, by, new) is takes


def test_only_a_higher_rating_is_raised_and_four_stars_is_positive():
    assert rules.rating_raised(1, 2) and not rules.rating_raised(3, 3) and not rules.rating_raised(None, 5)
    assert rules.is_positive_review(4) and not rules.is_positive_review(3)
    assert rules.is_satisfied(4) and not rules.is_satisfied(3)


@pytest.mark.parametrize("score", [0, 6, "5", True, 2.0])
def test_a_score_outside_one_to_five_is_refused(score):
    with pytest.raises(ValueError):
        rules.validate_score(score)


# --- cancel_reason -----------------------------------------------------------------------------------------

DUE = rules.SendFacts(kind=rules.FOLLOW_UP, case_status="resolved", review_removed=False, suppressed=False,
                      address_current=True, outcome="pending", recovered_by=None, answered=False,
                      window_ends_at=NOW + timedelta(days=80), now=NOW)
REMINDER_DUE = replace(DUE, kind=rules.REMINDER, follow_up_sent_at=NOW - timedelta(days=5))


def test_a_due_follow_up_and_reminder_go_out_when_nothing_stands_in_the_way():
    assert rules.cancel_reason(DUE) is None
    assert rules.cancel_reason(replace(DUE, case_status="closed")) is None
    assert rules.cancel_reason(REMINDER_DUE) is None


@pytest.mark.parametrize("change, reason", [
    ({"case_status": "in_progress"}, "the case was reopened"),
    ({"case_status": None}, "the case no longer exists"),
    ({"suppressed": True}, "the address asked for no more emails"),
    ({"address_current": False}, "the customer's address was erased"),
    ({"review_removed": True}, "the review was removed in WordPress"),
    ({"outcome": "recovered", "recovered_by": "rating_raised"}, "the customer already raised the rating"),
    ({"outcome": "recovered", "recovered_by": "new_order"}, "the customer already ordered again"),
    ({"outcome": "recovered", "recovered_by": "positive_review"}, "the customer already posted a new positive review"),
    ({"outcome": "not_recovered"}, "the recovery window has ended"),
    ({"window_ends_at": NOW - timedelta(seconds=1)}, "the recovery window has ended"),
])
def test_a_follow_up_is_dropped_for_each_reason(change, reason):
    assert rules.cancel_reason(replace(DUE, **change)) == reason
    assert rules.cancel_reason(replace(REMINDER_DUE, **change)) == reason


@pytest.mark.parametrize("change, reason", [
    ({"answered": True}, "the customer already answered the follow-up"),
    ({"outcome": "recovered", "recovered_by": "satisfied_answer"},
     "the customer already answered that they are satisfied"),
    ({"follow_up_sent_at": None}, "the follow-up itself was not sent"),
    ({"follow_up_sent_at": NOW - timedelta(hours=3)}, "the follow-up went out less than a day ago"),
    ({"reacted_since_follow_up": True}, "the customer already updated the review"),
])
def test_the_reminder_is_dropped_by_any_answer_or_reaction(change, reason):
    assert rules.cancel_reason(replace(REMINDER_DUE, **change)) == reason


def test_an_unhappy_answer_drops_the_reminder_but_not_a_due_follow_up():
    assert rules.cancel_reason(replace(DUE, answered=True)) is None
    assert rules.cancel_reason(replace(REMINDER_DUE, answered=True)) is not None


# --- text helpers ------------------------------------------------------------------------------------------

def test_a_subject_can_never_carry_a_second_header():
    assert rules.header_safe("Anna\r\nBcc: victim@example.com") == "Anna Bcc: victim@example.com"
    assert rules.header_safe("a\u2028b\x00c\td") == "a b c d"
    assert rules.header_safe("x" * 300, limit=10) == "x" * 9 + "…"


def test_the_review_link_points_at_the_comment_on_the_product_page():
    assert rules.review_link("https://shop.example/product/kettle/", "https://shop.example", 10, 501) == \
        "https://shop.example/product/kettle/#comment-501"
    assert rules.review_link("https://shop.example/p/#reviews", "", 10, 7) == "https://shop.example/p/#comment-7"
    # No permalink (or a hostile one): WordPress's `?p=<id>` redirect to the product.
    assert rules.review_link("javascript:alert(1)", "https://shop.example/", 10, 7) == \
        "https://shop.example/?p=10#comment-7"
    assert rules.review_link("", "", 10, 7) is None
    assert rules.review_link("https://shop.example/p/", "", 10, None) is None


@pytest.mark.parametrize("amount, currency, language, expected", [
    ("1234.5", "PLN", "pl", "1 234,50 zł"),
    ("49", "EUR", "lv", "49,00 €"),
    ("49", "PLN", "lv", "49,00 PLN"),
    ("1234.5", "EUR", "en", "€1,234.50"),
    ("49", "PLN", "en", "49.00 PLN"),
])
def test_money_reads_as_the_customer_writes_it(amount, currency, language, expected):
    assert rules.format_money(Decimal(amount), currency, language) == expected


def test_dates_read_as_the_customer_writes_them():
    day = date(2026, 12, 31)
    assert rules.format_date(day, "pl") == "31.12.2026"
    assert rules.format_date(day, "lv") == "31.12.2026"
    assert rules.format_date(datetime(2026, 12, 31, 8, tzinfo=timezone.utc), "en") == "31 December 2026"
    assert rules.format_date(None, "en") == ""
