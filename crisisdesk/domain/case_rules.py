"""Does a review open a case? (SPEC section 4 "Cases"; thresholds are shop settings.)"""
from dataclasses import dataclass

RATINGS = range(0, 6)  # 0 = no rating given; WooCommerce's stars are 1 to 5


@dataclass(frozen=True)
class CaseThresholds:
    case_max_rating: int = 2  # 1..this many stars always opens a case
    negative_text_max_rating: int = 3  # up to this many stars opens one when the text is negative
    negative_score: float = -0.25


@dataclass(frozen=True)
class CaseDecision:
    opens: bool
    reason: str


def review_opens_case(rating, sentiment_score, thresholds):
    """Decide from the star rating (0 = no rating given) and the text's sentiment score."""
    if 1 <= rating <= thresholds.case_max_rating:
        return CaseDecision(True, f"rated {rating}★ (threshold {thresholds.case_max_rating}★)")
    text_is_negative = sentiment_score is not None and sentiment_score <= thresholds.negative_score
    if text_is_negative and (rating == 0 or rating <= thresholds.negative_text_max_rating):
        stars = f"{rating}★" if rating else "no rating"
        return CaseDecision(True, f"{stars} with negative text (score {sentiment_score:+.2f})")
    return CaseDecision(False, "rating and text above the shop's thresholds")


def ratings_that_open_case(thresholds, text_is_negative):
    """The ratings for which `review_opens_case` says yes, given whether the text counts as negative.

    There are only six ratings, so asking the rule about each lets a query apply the very same rule
    to stored reviews (`rating IN (...)`) instead of restating it in SQL.
    """
    score = thresholds.negative_score if text_is_negative else None
    return [rating for rating in RATINGS if review_opens_case(rating, score, thresholds).opens]


def validate_thresholds(case_max_rating, negative_text_max_rating):
    """Returns (field, message) for the first invalid setting, or None."""
    if not 0 <= case_max_rating <= 5:
        return "case_max_rating", "must be from 0 to 5 stars"
    if not 0 <= negative_text_max_rating <= 5:
        return "negative_text_max_rating", "must be from 0 to 5 stars"
    return None
