"""domain.review_requests: who is asked for a review after a purchase, when, and when a due request is dropped;
and the texts, which ask for an honest review in every language and offer nothing for it."""
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest

from crisisdesk.domain import review_requests as rules
from crisisdesk.domain.follow_up import LANGUAGES
from crisisdesk.domain.review_request_texts import TEXTS

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=timezone.utc)
COMPLETED = NOW - timedelta(days=2)
DUE = rules.OrderFacts(enabled=True, enabled_at=NOW - timedelta(days=30), days=7, status="completed",
                       completed_at=COMPLETED, refunded=False, email="anna@example.com", open_case=False,
                       follow_up_pending=False, suppressed=False, products=2, unreviewed_products=1,
                       order_reviewed=False, now=NOW)


def test_an_ordinary_completed_order_is_asked_about_once_days_after_its_completion():
    assert rules.skip_reason(DUE) is None and rules.cancel_reason(DUE) is None
    assert rules.due_at(COMPLETED, 7) == COMPLETED + timedelta(days=7)
    assert rules.idempotency_key(42) == "order:42:review_request"
    assert rules.skip_reason(replace(DUE, already_requested=True)) == "this order already has its review request"


@pytest.mark.parametrize("change, reason", [
    ({"enabled": False}, "the shop turned review requests off"),
    ({"enabled_at": COMPLETED + timedelta(seconds=1)},
     "the order was completed before review requests were switched on"),
    ({"enabled_at": None}, "the order was completed before review requests were switched on"),
    ({"completed_at": None}, "the order was completed before review requests were switched on"),
    ({"status": "refunded"}, "the order is now refunded"),
    ({"status": "cancelled"}, "the order is now cancelled"),
    ({"refunded": True}, "the order was refunded"),
    ({"email": ""}, "the customer's address was erased"),
    ({"email": "erased-1f2e@invalid"}, "the customer's address was erased"),
    ({"suppressed": True}, "the address asked for no more emails"),
    ({"open_case": True}, "the customer has an open case"),
    ({"follow_up_pending": True}, "the customer is waiting for a follow-up email"),
    ({"products": 0, "unreviewed_products": 0}, "the order has no product to review"),
    ({"unreviewed_products": 0}, "the customer already reviewed what they bought"),
    ({"order_reviewed": True}, "the customer already reviewed what they bought"),
])
def test_nobody_is_asked_and_a_due_request_is_dropped_for_each_reason(change, reason):
    assert rules.cancel_reason(replace(DUE, **change)) == reason
    assert rules.skip_reason(replace(DUE, **change)) == reason


def test_an_order_completed_the_moment_the_setting_was_switched_on_counts():
    assert rules.skip_reason(replace(DUE, enabled_at=COMPLETED)) is None


def test_a_request_whose_time_passed_long_ago_is_not_scheduled_any_more():
    due = rules.due_at(COMPLETED, 7)
    late = replace(DUE, now=due + rules.LATE_GRACE)
    assert rules.skip_reason(late) is None  # a scheduler that was down a while still catches up
    assert rules.skip_reason(replace(late, now=late.now + timedelta(seconds=1))) == \
        "the order was completed too long ago"


def test_a_repeat_buyer_gets_at_most_one_request_in_the_days_setting():
    # Asked about an order completed 5 days before this one: that request is due 2 days after this completion.
    earlier = replace(DUE, other_request_due_at=COMPLETED - timedelta(days=5) + timedelta(days=7))
    assert rules.skip_reason(earlier) == "the customer already gets a review request for another order"
    # Completed 8 days before this one: its request was due a day before this completion, so this one is asked.
    assert rules.skip_reason(replace(DUE, other_request_due_at=COMPLETED - timedelta(days=1))) is None
    # An order that arrived late is covered by the request of a later one.
    later = replace(DUE, other_request_due_at=COMPLETED + timedelta(days=9))
    assert rules.skip_reason(later) == "the customer already gets a review request for another order"


@pytest.mark.parametrize("days", [1, 7, 60])
def test_the_days_setting_takes_whole_numbers_from_one_to_sixty(days):
    assert rules.validate_days(days) == days


@pytest.mark.parametrize("days", [0, 61, -3, True, 7.0, "7", None])
def test_the_days_setting_refuses_anything_else(days):
    with pytest.raises(ValueError):
        rules.validate_days(days)


def test_the_review_link_opens_the_products_reviews_or_else_the_shop():
    assert rules.product_review_url("https://shop.example/product/kettle/", "https://shop.example") == \
        "https://shop.example/product/kettle/#reviews"
    assert rules.product_review_url("https://shop.example/p/kettle/#tab", "x") == \
        "https://shop.example/p/kettle/#reviews"
    assert rules.product_review_url("", "https://shop.example") == "https://shop.example"
    assert rules.product_review_url("javascript:alert(1)", "https://shop.example") == "https://shop.example"


# --- the texts ---------------------------------------------------------------------------------------------------

def test_every_language_has_every_phrase():
    assert set(TEXTS) == set(LANGUAGES)
    for language in LANGUAGES:
        assert set(TEXTS[language]) == set(TEXTS["en"]), language


# Words that would turn the request into buying a rating (EXTRACT §10.2), or ask for a good one only.
INCENTIVES = {"en": ("discount", "coupon", "voucher", "reward", "free", "5 stars", "five stars", "positive review"),
              "pl": ("rabat", "zniżk", "kupon", "nagrod", "gratis", "5 gwiazd", "pięć gwiazd", "pozytywn"),
              "lv": ("atlaid", "kupon", "balv", "bezmaksas", "5 zvaigz", "piecas zvaigz", "pozitīv")}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_texts_ask_for_an_honest_review_and_offer_nothing_for_it(language):
    words = " ".join(TEXTS[language].values()).lower()
    assert [word for word in INCENTIVES[language] if word in words] == []
    honest = {"en": ("good or bad", "criticism", "you get nothing for it"),
              "pl": ("dobrego czy złego", "krytyka", "nic za nią nie dostajesz"),
              "lv": ("gan labo, gan slikto", "kritika", "neko nesaņemat")}[language]
    assert all(phrase in TEXTS[language]["honest"] for phrase in honest)
