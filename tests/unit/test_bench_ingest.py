"""The counting of bench/ingest.py (percentiles, a phase's figures, stored exactly once); the bench drives gunicorn."""
import importlib

import pytest


@pytest.fixture(scope="module")
def bench():
    return importlib.import_module("bench.ingest")


def test_percentiles_are_nearest_rank_in_any_order(bench):
    values = [7, 1, 10, 3, 5, 2, 9, 4, 8, 6]
    assert [bench.percentile(values, share) for share in (0.0, 0.1, 0.5, 0.55, 0.99, 1.0)] == [1, 1, 5, 6, 10, 10]
    assert bench.percentile(list(range(1, 1001)), 0.99) == 990
    assert bench.percentile([], 0.5) is None


def test_a_phase_counts_2xx_answers_completed_in_the_window_and_latency_of_requests_sent_in_it(bench):
    records = [
        (0.5, 0.2, 202, "a"),  # warm-up: sent and answered before the window
        (0.9, 0.2, 202, "b"),  # sent before the window, answered inside it: counts for the rate only
        (1.0, 0.010, 202, "c"),
        (1.5, 0.030, 200, "d"),  # "already received" is a 2xx answer too
        (2.0, 0.020, 0, "e"),  # no answer came
        (2.5, 0.040, 401, "f"),
        (2.9, 0.5, 202, "g"),  # sent inside, answered after the window: latency only
    ]
    phase = bench.summarize(records, 1.0, 3.0)
    assert (phase.sent, phase.counted) == (7, 5)
    assert phase.statuses == {202: 4, 200: 1, 0: 1, 401: 1}
    assert phase.rate == pytest.approx(3 / 2.0)  # b, c and d
    assert (phase.p50_ms, phase.p99_ms, phase.max_ms) == pytest.approx((30.0, 500.0, 500.0))


def test_an_empty_phase_has_no_latency(bench):
    phase = bench.summarize([], 0.0, 1.0)
    assert (phase.sent, phase.rate, phase.p50_ms, phase.p99_ms, phase.max_ms) == (0, 0.0, None, None, None)


def test_every_accepted_event_stored_once_is_exactly_once(bench):
    storage = bench.tally({"a": 202, "b": 200, "c": 202}, ["c", "a", "b"])
    assert (storage.sent, storage.accepted, storage.rows, storage.distinct) == (3, 3, 3, 3)
    assert (storage.missing, storage.unexpected, storage.exactly_once) == (0, 0, True)


def test_lost_repeated_refused_and_unanswered_events_are_not_exactly_once(bench):
    answers = {"a": 202, "b": 202, "c": 401, "d": 0}
    storage = bench.tally(answers, ["a", "a", "d"])  # b lost, a stored twice, d stored though no answer came
    assert (storage.sent, storage.accepted, storage.rows, storage.distinct) == (4, 2, 3, 2)
    assert (storage.missing, storage.unexpected, storage.exactly_once) == (1, 1, False)
    assert not bench.tally({"a": 202, "c": 401}, ["a"]).exactly_once  # a refused event is not stored once
