"""Which reviews open a case (SPEC 4 "Cases": 1–2★ always; 3★ or no rating when the text is negative)."""
import pytest

from crisisdesk.domain.case_rules import (CaseThresholds, ratings_that_open_case, review_opens_case,
                                         validate_thresholds)

DEFAULTS = CaseThresholds()
NEUTRAL, NEGATIVE, POSITIVE = 0.0, -0.8, 0.9


@pytest.mark.parametrize("rating", [1, 2])
@pytest.mark.parametrize("score", [POSITIVE, NEUTRAL, NEGATIVE, None])
def test_it_opens_a_case_for_one_and_two_stars_whatever_the_text(rating, score):
    decision = review_opens_case(rating, score, DEFAULTS)
    assert decision.opens
    assert f"rated {rating}★" in decision.reason


def test_it_opens_a_case_for_three_stars_with_negative_text():
    decision = review_opens_case(3, NEGATIVE, DEFAULTS)
    assert decision.opens
    assert "3★ with negative text" in decision.reason and "-0.80" in decision.reason


@pytest.mark.parametrize("score", [POSITIVE, NEUTRAL, None])
def test_it_does_not_open_a_case_for_three_stars_without_negative_text(score):
    decision = review_opens_case(3, score, DEFAULTS)
    assert not decision.opens
    assert decision.reason == "rating and text above the shop's thresholds"


@pytest.mark.parametrize("rating", [4, 5])
def test_it_does_not_open_a_case_for_four_or_five_stars_even_with_negative_text(rating):
    assert not review_opens_case(rating, NEGATIVE, DEFAULTS).opens


def test_it_opens_a_case_for_a_review_without_rating_when_the_text_is_negative():
    decision = review_opens_case(0, NEGATIVE, DEFAULTS)
    assert decision.opens
    assert "no rating with negative text" in decision.reason


@pytest.mark.parametrize("score", [POSITIVE, NEUTRAL, None])
def test_it_does_not_open_a_case_for_a_review_without_rating_and_harmless_text(score):
    assert not review_opens_case(0, score, DEFAULTS).opens


def test_it_treats_a_score_exactly_at_the_threshold_as_negative():
    assert review_opens_case(3, DEFAULTS.negative_score, DEFAULTS).opens
    assert not review_opens_case(3, DEFAULTS.negative_score + 0.001, DEFAULTS).opens


def test_it_follows_a_shop_that_opens_cases_for_three_stars_too():
    strict = CaseThresholds(case_max_rating=3)
    assert review_opens_case(3, POSITIVE, strict).opens
    assert not review_opens_case(4, POSITIVE, strict).opens


def test_it_follows_a_shop_that_only_reacts_to_negative_text():
    text_only = CaseThresholds(case_max_rating=0, negative_text_max_rating=5)
    assert not review_opens_case(1, POSITIVE, text_only).opens
    assert review_opens_case(1, NEGATIVE, text_only).opens
    assert review_opens_case(5, NEGATIVE, text_only).opens


def test_it_follows_a_shop_that_ignores_text_above_two_stars():
    stars_only = CaseThresholds(negative_text_max_rating=2)
    assert not review_opens_case(3, NEGATIVE, stars_only).opens
    assert review_opens_case(2, POSITIVE, stars_only).opens


def test_it_accepts_thresholds_from_zero_to_five_stars():
    assert validate_thresholds(0, 0) is None
    assert validate_thresholds(5, 5) is None
    assert validate_thresholds(2, 3) is None


@pytest.mark.parametrize("case_max, text_max, field", [
    (-1, 3, "case_max_rating"), (6, 3, "case_max_rating"),
    (2, -1, "negative_text_max_rating"), (2, 6, "negative_text_max_rating"),
])
def test_it_names_the_threshold_that_is_out_of_range(case_max, text_max, field):
    problem = validate_thresholds(case_max, text_max)
    assert problem == (field, "must be from 0 to 5 stars")


def test_it_lists_the_ratings_that_open_a_case_so_a_query_can_apply_the_same_rule():
    assert ratings_that_open_case(DEFAULTS, text_is_negative=False) == [1, 2]
    assert ratings_that_open_case(DEFAULTS, text_is_negative=True) == [0, 1, 2, 3]
    custom = CaseThresholds(case_max_rating=1, negative_text_max_rating=4)
    assert ratings_that_open_case(custom, text_is_negative=False) == [1]
    assert ratings_that_open_case(custom, text_is_negative=True) == [0, 1, 2, 3, 4]
