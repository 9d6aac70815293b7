"""Which orders are at risk (domain/at_risk.py) and what a delay notice may say (domain/delay_notices.py)."""
from datetime import date, datetime, timedelta, timezone

import pytest

from crisisdesk.domain import at_risk, delay_notices
from crisisdesk.domain.at_risk import OrderFacts, risk_reason

NOW = datetime(2026, 12, 4, 12, 0, tzinfo=timezone.utc)


def facts(status="processing", hours=0, open_case=False, own_case=False):
    return OrderFacts(status=status, waiting_since=NOW - timedelta(hours=hours), customer_has_open_case=open_case,
                      has_own_case=own_case)


@pytest.mark.parametrize("status, reason", [("processing", "stuck_processing"), ("on-hold", "stuck_on_hold")])
def test_an_order_waiting_past_the_promise_is_stuck_from_the_promised_hour_on(status, reason):
    assert risk_reason(facts(status, hours=47), NOW, 48) is None
    assert risk_reason(facts(status, hours=48), NOW, 48) == reason
    assert risk_reason(facts(status, hours=200), NOW, 48) == reason
    assert risk_reason(facts(status, hours=200), NOW, 240) is None  # the shop's own promise decides


def test_hours_are_calendar_hours_weekends_included():
    # Placed on Friday 12:00, still processing on Sunday 12:00: two days, late whatever the weekday.
    friday = datetime(2026, 12, 4, 12, 0, tzinfo=timezone.utc)
    sunday = friday + timedelta(days=2)
    assert risk_reason(OrderFacts("processing", friday, False), sunday, 48) == "stuck_processing"


def test_a_customer_with_an_open_case_puts_any_waiting_order_at_risk_but_lateness_is_named_first():
    assert risk_reason(facts(hours=1, open_case=True), NOW, 48) == "open_case_customer"
    assert risk_reason(facts(hours=60, open_case=True), NOW, 48) == "stuck_processing"


@pytest.mark.parametrize("status", ["completed", "cancelled", "refunded", "failed", "pending", "shipped"])
def test_an_order_that_moved_on_or_was_never_paid_for_is_not_at_risk(status):
    assert risk_reason(facts(status, hours=500, open_case=True), NOW, 48) is None
    assert at_risk.moved_on(status)


def test_an_order_with_a_case_of_its_own_is_already_a_complaint():
    assert risk_reason(facts(hours=100, open_case=True, own_case=True), NOW, 48) is None


def test_the_promise_counts_from_payment_else_from_creation():
    created, paid = NOW - timedelta(days=5), NOW - timedelta(hours=10)
    assert at_risk.waiting_since(paid, created) == paid  # a bank transfer paid days after the order
    assert at_risk.waiting_since(None, created) == created
    assert risk_reason(OrderFacts("processing", at_risk.waiting_since(paid, created), False), NOW, 48) is None
    assert risk_reason(OrderFacts("processing", None, False), NOW, 48) is None  # no date at all: not stuck


def test_hours_waited_for_the_panel():
    assert at_risk.hours_waited(NOW - timedelta(hours=49, minutes=59), NOW) == 49
    assert at_risk.hours_waited(None, NOW) == 0 and at_risk.hours_waited(NOW + timedelta(hours=1), NOW) == 0


@pytest.mark.parametrize("value, ok", [(1, True), (48, True), (720, True), (0, False), (721, False), (True, False),
                                       ("48", False), (4.5, False)])
def test_the_promise_is_whole_hours_from_one_to_thirty_days(value, ok):
    assert (at_risk.validate_promised_hours(value) is None) is ok


# --- the delay notice --------------------------------------------------------------------------------------

EXPECTED = date(2026, 12, 9)


@pytest.mark.parametrize("language, greeting, order_words, day, apology", [
    ("pl", "Dzień dobry Anna,", "zamówienie nr 1042 w sklepie Zielony Kubek", "09.12.2026", "Przepraszamy"),
    ("en", "Hello Anna,", "order #1042 from Zielony Kubek", "9 December 2026", "We are sorry"),
    ("lv", "Labdien, Anna!", "pasūtījumam Nr. 1042 veikalā Zielony Kubek", "09.12.2026", "Atvainojamies"),
])
def test_the_draft_names_the_order_the_delay_the_reason_the_new_date_and_apologises(language, greeting, order_words,
                                                                                    day, apology):
    text = delay_notices.draft(language, "1042", "Zielony Kubek", EXPECTED, first_name="Anna",
                               reason="  the supplier delivered the glaze late ")
    paragraphs = text.split("\n\n")
    assert paragraphs[0] == greeting and order_words in paragraphs[1]
    assert paragraphs[2].endswith("the supplier delivered the glaze late.")
    assert day in paragraphs[3] and paragraphs[4].startswith(apology)
    assert delay_notices.text_problem(text, language, EXPECTED) is None  # the draft passes its own checks


def test_the_draft_leaves_out_the_reason_and_name_when_there_are_none():
    text = delay_notices.draft("en", "7", "Shop", EXPECTED)
    assert text.startswith("Hello,\n\n") and "The reason" not in text


@pytest.mark.parametrize("text", [
    "Order late. Expected 09.12.2026. Please leave us a review!",
    "Zamówienie wyślemy do 09.12.2026. Prosimy o opinię.",
    "Zamówienie wyślemy do 09.12.2026. Będziemy wdzięczni za ocenę sklepu.",
    "Wyślemy do 09.12.2026, a potem wystaw nam 5 gwiazdek.",
    "Izsūtīsim līdz 09.12.2026. Lūdzu, atstājiet atsauksmi!",
    "Izsūtīsim līdz 09.12.2026. Lūdzu, novērtējiet mūs.",
])
def test_a_notice_never_asks_for_a_review_or_a_rating(text):
    assert delay_notices.text_problem(text, "pl", EXPECTED) == "a delay notice never asks for a review or a rating"


def test_a_notice_may_say_we_estimate_in_polish():
    text = "Oceniamy, że paczka wyjdzie do 09.12.2026. Przepraszamy."
    assert delay_notices.text_problem(text, "pl", EXPECTED) is None


def test_a_notice_must_name_the_new_date_as_the_customer_writes_it():
    assert delay_notices.text_problem("It will leave on 2026-12-09.", "en", EXPECTED) == (
        "the notice must name the new dispatch date (9 December 2026)")
    assert delay_notices.text_problem("   ", "en", EXPECTED) == "the notice is empty"
    assert "longer than" in delay_notices.text_problem("9 December 2026 " + "x" * 5000, "en", EXPECTED)


def test_the_new_date_is_today_or_later_and_not_a_season_away():
    today = date(2026, 12, 4)
    assert delay_notices.expected_date_problem(today, today) is None
    yesterday = today - timedelta(days=1)
    assert delay_notices.expected_date_problem(yesterday, today) == "the new dispatch date is in the past"
    assert "more than 90 days" in delay_notices.expected_date_problem(today + timedelta(days=91), today)
    assert delay_notices.expected_date_problem(None, today).startswith("enter the date")
