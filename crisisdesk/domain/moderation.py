"""Negative reviews left awaiting moderation in WordPress (status "hold"): when that deserves a warning.

A held review is invisible to buyers. Leaving a negative one there for long hides criticism (EXTRACT §2.3: never
delete, never aim for a flawless 5.0 by hiding negatives), which is unfair to buyers, and review platforms may
penalise the shop for it. So a negative review (one that opened a case, or rated 1–2★) held longer than the
shop's `moderation_warning_hours` raises a warning until it is approved (or, at least, decided in WordPress).
"""
from datetime import timedelta

from crisisdesk.domain.texts import N_

HELD = "hold"
HOURS_RANGE = (1, 720)  # an hour to 30 days, as the SLA targets
NEGATIVE_RATINGS = (1, 2)
WHY = N_("Hiding a negative review is unfair to buyers, and review platforms may penalise a shop for it: answer it "
         "and approve it in WordPress.")


def is_negative(rating, has_case):
    """A review the warning is about: it opened a case, or it has 1–2 stars."""
    return bool(has_case) or rating in NEGATIVE_RATINGS


def warning_at(held_since, hours):
    """When a review held since `held_since` becomes a warning."""
    return held_since + timedelta(hours=hours)


def is_overdue(status, held_since, negative, hours, now):
    """True when a negative review has been held for moderation for `hours` or longer."""
    return status == HELD and held_since is not None and negative and now >= warning_at(held_since, hours)


def validate_hours(value):
    """An error message for a warning time that is not a whole number of hours in HOURS_RANGE, else None."""
    least, most = HOURS_RANGE
    if type(value) is not int or not least <= value <= most:  # noqa: E721 (True is an int)
        return f"must be a whole number from {least} to {most}"
    return None
