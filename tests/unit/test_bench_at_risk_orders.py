"""The counting at the core of bench/at_risk_orders.py, on a tiny story (the bench itself builds the whole demo)."""
import importlib
from datetime import datetime, timedelta, timezone

import pytest

DAY = timedelta(days=1)
T0 = datetime(2026, 6, 1, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def bench():
    return importlib.import_module("bench.at_risk_orders")


def test_it_counts_complaints_from_flagged_and_unflagged_orders(bench):
    orders = [(1, 10, T0), (2, 20, T0), (3, 30, T0), (4, 40, T0), (5, 50, T0 + 40 * DAY)]
    flags = [(1, 10, T0 + 3 * DAY), (1, 10, T0 + 9 * DAY),  # flagged twice: the first flag counts
             (2, 20, T0 + 3 * DAY), (5, 50, T0 + 43 * DAY)]  # the last one's horizon has not ended yet
    complaints = [
        (1, 10, T0 + 8 * DAY, "late_delivery"),  # on the flagged order, 5 days after its flag
        (None, 20, T0 + 2 * DAY, "customer_service"),  # by order 2's customer, but before its flag
        (3, 30, T0 + 5 * DAY, "late_delivery"),  # an order nobody flagged
        (None, 40, T0 + 45 * DAY, "damaged_or_defective"),  # after order 4's horizon
    ]
    figures = bench.count(orders, flags, complaints, timedelta(days=30), until=T0 + 50 * DAY)
    assert (figures.flagged, figures.flagged_decided, figures.flagged_followed) == (3, 2, 1)
    assert figures.precision == 0.5
    assert (figures.unflagged, figures.unflagged_decided, figures.unflagged_followed) == (2, 2, 1)
    assert (figures.complaints, figures.from_flagged, figures.recall) == (4, 1, 0.25)
    assert (figures.late_complaints, figures.late_from_flagged, figures.late_recall) == (2, 1, 0.5)
    assert figures.lead_days == (5.0,)


def test_nothing_to_count_gives_no_rates(bench):
    figures = bench.count([], [], [], timedelta(days=30), until=T0)
    assert (figures.precision, figures.recall, figures.late_recall, figures.lead_days) == (None, None, None, ())
