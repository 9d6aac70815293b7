"""The retention period's arithmetic (domain/retention.py): calendar months back, and the bounds of the setting."""
from datetime import datetime, timezone

import pytest

from crisisdesk.domain.retention import cutoff, validate_months


def utc(*parts):
    return datetime(*parts, tzinfo=timezone.utc)


@pytest.mark.parametrize("now, months, expected", [
    (utc(2026, 11, 22, 12, 0), 12, utc(2025, 11, 22, 12, 0)),
    (utc(2026, 3, 31, 8, 30), 1, utc(2026, 2, 28, 8, 30)),  # no 31 February: the month's last day
    (utc(2024, 5, 31), 3, utc(2024, 2, 29)),  # a leap year
    (utc(2026, 1, 15), 1, utc(2025, 12, 15)),  # across the new year
    (utc(2026, 1, 15), 120, utc(2016, 1, 15)),
])
def test_it_counts_calendar_months_back(now, months, expected):
    assert cutoff(now, months) == expected


@pytest.mark.parametrize("value", [None, 1, 24, 120])
def test_it_accepts_empty_or_one_to_a_hundred_and_twenty_months(value):
    assert validate_months(value) is None


@pytest.mark.parametrize("value", [0, 121, -3, True, 12.0, "12"])
def test_it_refuses_anything_else(value):
    assert validate_months(value) == ("must be a whole number of months from 1 to 120, or empty to keep cases "
                                      "forever")
