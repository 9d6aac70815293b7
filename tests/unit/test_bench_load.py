"""The pure parts of bench/load.py: the loopback guard, the flash-sale day and the checks (the script itself runs in
tests/test_load_soak.py)."""
import importlib
from collections import Counter

import pytest


@pytest.fixture(scope="module")
def bench():
    return importlib.import_module("bench.load")


@pytest.mark.parametrize("host", ["127.0.0.1", "127.8.9.10", "::1", "[::1]", "localhost"])
def test_it_accepts_loopback_targets(bench, host):
    assert bench.loopback_only(host) == host


@pytest.mark.parametrize("host", ["10.0.0.5", "192.168.1.2", "172.16.0.1", "8.8.8.8", "0.0.0.0", "example.com",
                                  "127.0.0.1.example.com", "::ffff:10.0.0.1"])
def test_it_refuses_anything_but_loopback(bench, host):
    with pytest.raises(ValueError, match="loopback only"):
        bench.loopback_only(host)


def test_the_day_has_every_order_step_in_time_order_duplicates_and_a_shuffle(bench):
    day = bench.flash_sale_day(orders=200, reviews=90, seed=5)
    ids = [d.webhook_id for d in day.deliveries]
    distinct = set(ids)
    repeats = len(ids) - len(distinct)
    assert 0.05 * len(distinct) < repeats < 0.15 * len(distinct)
    assert max(Counter(ids).values()) == 2
    updates = {}
    for delivery in {d.webhook_id: d for d in day.deliveries}.values():
        if delivery.type.startswith("order."):
            updates.setdefault(delivery.data["id"], []).append(delivery.data)
    assert set(updates) == set(day.final_status) and len(updates) == 200
    for order_id, states in updates.items():
        latest = max(states, key=lambda data: data["date_modified_gmt"])
        assert latest["status"] == day.final_status[order_id]
        assert len({data["date_modified_gmt"] for data in states}) == len(states)  # no two updates at once
    # Shuffled: some order's update is delivered before its creation.
    first_seen = {}
    for delivery in day.deliveries:
        if delivery.type.startswith("order."):
            first_seen.setdefault(delivery.data["id"], delivery.type)
    assert "order.updated" in first_seen.values()
    assert len(day.negative_reviews) == 30 and len(day.positive_reviews) == 60
    assert bench.flash_sale_day(orders=5, reviews=3, seed=5).final_status == \
        bench.flash_sale_day(orders=5, reviews=3, seed=5).final_status


def test_the_checks_pass_on_a_faithful_outcome_and_name_each_fault(bench):
    day = bench.flash_sale_day(orders=20, reviews=9, seed=2)
    distinct = {d.webhook_id for d in day.deliveries}
    stored = {w: ("applied", True) for w in distinct}
    cases = {r: 1 for r in day.negative_reviews}
    good = bench.check_outcome(day, distinct, stored, dict(day.final_status), cases, Counter({202: 5, 200: 1}))
    assert all(check.passed for check in good)

    one_order, one_review = next(iter(day.final_status)), next(iter(day.negative_reviews))
    lost = set(list(distinct)[1:])
    faults = bench.check_outcome(day, lost, {**{w: stored[w] for w in lost}, "msg_other": ("failed", True)},
                                 {**day.final_status, one_order: "pending"}, {**cases, one_review: 2},
                                 Counter({202: 5, 502: 1}))
    assert [check.name for check in faults if not check.passed] == [
        "every delivery acknowledged", "every distinct event stored once", "every stored event processed, none failed",
        "orders end in their latest state", "each negative review opened exactly one case", "no 5xx"]


def test_percentiles_are_nearest_rank(bench):
    assert bench.percentile([5, 1, 3, 2, 4], 0.5) == 3
    assert bench.percentile(list(range(1, 101)), 0.99) == 99
    assert bench.percentile([], 0.5) is None
