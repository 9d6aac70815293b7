"""The counting in bench/follow_up_throughput.py that proves each email was delivered exactly once."""
import importlib

import pytest


@pytest.fixture(scope="module")
def bench():
    return importlib.import_module("bench.follow_up_throughput")


def test_every_email_once_is_exactly_once(bench):
    result = bench.delivery(["<a@x>", "<b@x>"], ["<a@x>", "<b@x>"], ["<b@x>", "<a@x>"])
    assert (result.expected, result.sent, result.accepted, result.distinct) == (2, 2, 2, 2)
    assert result.exactly_once


def test_duplicates_missing_and_strangers_are_counted(bench):
    result = bench.delivery(["<a@x>", "<b@x>", "<c@x>"], ["<a@x>", "<b@x>", "<c@x>"],
                            ["<a@x>", "<a@x>", "<b@x>", "<z@x>"])
    assert (result.duplicates, result.missing, result.unexpected) == (1, 1, 1)
    assert not result.exactly_once


def test_a_row_never_marked_sent_is_not_exactly_once(bench):
    result = bench.delivery(["<a@x>", "<b@x>"], ["<a@x>"], ["<a@x>"])
    assert (result.sent, result.missing) == (1, 0)
    assert not result.exactly_once


def test_it_reads_the_message_id_from_the_headers_only(bench):
    raw = b"From: a@x\r\nmessage-id:  <123.456@panel.example>\r\nSubject: hi\r\n\r\nMessage-ID: <body@x>\r\n"
    assert bench.message_id(raw) == "<123.456@panel.example>"
    assert bench.message_id(b"Subject: none\r\n\r\nMessage-ID: <body@x>\r\n") is None


def test_the_steady_rate_leaves_out_the_start_and_the_stragglers(bench):
    times = [0.0, 5.0] + [5.0 + n * 0.01 for n in range(1, 97)] + [20.0, 30.0]  # 100 arrivals, 10 ms apart mid-run
    assert bench.steady_rate(times) == pytest.approx(100.0)
    assert bench.steady_rate(times[:5]) is None
    assert bench.rate(10, 0) is None
