"""The improvement's before/after windows and verdict (domain/improvement_effect.py), the log's own rules
(domain/improvements.py) and the root-cause fixes suggested per cause (domain/root_causes.py)."""
from datetime import date

import pytest

from crisisdesk.domain.causes import CAUSES
from crisisdesk.domain.improvement_effect import Change, chosen_window, verdict, windows
from crisisdesk.domain.improvements import AREAS, case_numbers, public_note_problem
from crisisdesk.domain.root_causes import CAUSE_FIXES, FIXES, fixes_for

MADE_ON = date(2026, 10, 1)


def test_it_compares_equal_windows_that_pivot_on_the_day_of_the_change():
    spans = windows(MADE_ON, date(2026, 12, 31), 30)
    assert (spans.after.start, spans.after.end) == (date(2026, 10, 1), date(2026, 10, 30))
    assert (spans.before.start, spans.before.end) == (date(2026, 9, 1), date(2026, 9, 30))
    assert spans.before.days == spans.after.days == spans.days == 30
    assert spans.elapsed_days == 91


@pytest.mark.parametrize("today, window, days", [
    (date(2026, 10, 11), 30, 10),  # 10 whole days have passed (today is not over): both windows shrink to 10
    (date(2026, 10, 31), 30, 30),  # exactly the window
    (date(2026, 11, 15), 60, 45),
    (date(2027, 6, 1), 90, 90),
])
def test_it_never_lets_the_after_window_reach_past_yesterday(today, window, days):
    spans = windows(MADE_ON, today, window)
    assert spans.days == spans.before.days == days
    assert spans.after.end < today and spans.before.end == date(2026, 9, 30)


def test_it_has_no_windows_on_the_day_of_the_change_or_before_it():
    assert windows(MADE_ON, MADE_ON, 30) is None
    assert windows(MADE_ON, date(2026, 9, 20), 30) is None
    assert verdict(None, Change(0, 0)) == "too_early"


@pytest.mark.parametrize("today, counts, expected", [
    (date(2026, 10, 7), (20, 0), "too_early"),  # 6 whole days: too early whatever the counts
    (date(2026, 10, 8), (20, 0), "fewer"),  # 7 days: enough
    (date(2026, 10, 31), (3, 1), "too_few"),  # 4 reviews in both windows together
    (date(2026, 10, 31), (4, 1), "fewer"),
    (date(2026, 10, 31), (3, 3), "same"),
    (date(2026, 10, 31), (2, 6), "more"),
])
def test_it_says_too_early_or_too_few_before_it_says_which_way_it_went(today, counts, expected):
    assert verdict(windows(MADE_ON, today, 30), Change(*counts)) == expected


@pytest.mark.parametrize("before, after, difference, percent", [
    (8, 2, -6, -75.0), (3, 4, 1, 33.3), (5, 5, 0, 0.0), (0, 4, 4, None), (0, 0, 0, None)])
def test_it_gives_the_change_in_numbers_and_percent_of_the_before_count(before, after, difference, percent):
    change = Change(before, after)
    assert (change.difference, change.percent) == (difference, percent)


@pytest.mark.parametrize("asked, days", [("60", 60), ("90", 90), (None, 30), ("45", 30), ("x", 30)])
def test_it_offers_30_60_or_90_days(asked, days):
    assert chosen_window(asked) == days


def test_it_reads_case_numbers_written_in_any_reasonable_way():
    assert case_numbers("12, #15 31;12") == ([12, 15, 31], [])
    assert case_numbers("") == ([], [])
    assert case_numbers("12, case 7") == ([12, 7], ["case"])


@pytest.mark.parametrize("text, problem", [
    ("Parcels now leave within a day.", None),
    ("Ask us at help@shop.example", "a public note must not contain an email address"),
    ("Call 600-100-200 any time", "a public note must not contain a phone number"),
    ("Thank you, anna, for telling us.", "a public note must not name a customer"),
    ("We thank Annabelle.", None),  # a whole word only
])
def test_it_keeps_people_and_their_contact_details_off_the_public_note(text, problem):
    assert public_note_problem(text, ["Anna", ""]) == problem


def test_it_suggests_a_fix_for_every_cause_in_a_known_area_and_says_where_it_comes_from():
    assert set(CAUSE_FIXES) == set(CAUSES)
    for cause in CAUSES:
        assert fixes_for(cause), cause
    for fix in FIXES.values():
        assert fix.area in AREAS
        assert bool(fix.source) == fix.from_seeds, fix.key  # a seed fix names its section, ours names none
    assert [f.key for f in fixes_for("customer_service")] == ["longer_support_hours", "staff_training"]
    assert fixes_for("late_delivery")[0].text == "Optimise the logistics processes"
    assert fixes_for("gremlins") == []
