"""Prometheus' text exposition format, as the /metrics endpoint writes it."""
import pytest

from crisisdesk.domain.prometheus import Family, render


def test_it_writes_help_type_and_one_line_per_sample_with_sorted_labels():
    text = render([Family("crisisdesk_queue_jobs", "gauge", "Jobs waiting.",
                          [({"queue": "money"}, 3), ({"queue": "events", "a": 1}, 0)]),
                   Family("crisisdesk_workers", "gauge", "Workers.", [({}, 2)])])
    assert text == ("# HELP crisisdesk_queue_jobs Jobs waiting.\n# TYPE crisisdesk_queue_jobs gauge\n"
                    'crisisdesk_queue_jobs{queue="money"} 3\ncrisisdesk_queue_jobs{a="1",queue="events"} 0\n'
                    "# HELP crisisdesk_workers Workers.\n# TYPE crisisdesk_workers gauge\ncrisisdesk_workers 2\n")


def test_it_escapes_label_values_and_help_text():
    text = render([Family("m", "counter", "line one\nback\\slash", [({"type": 'a"b\\c\nd'}, 1.5)])])
    assert "# HELP m line one\\nback\\\\slash\n" in text
    assert 'm{type="a\\"b\\\\c\\nd"} 1.5\n' in text


def test_it_refuses_an_unknown_metric_type():
    with pytest.raises(ValueError, match="histogram"):
        render([Family("m", "histogram", "no")])
