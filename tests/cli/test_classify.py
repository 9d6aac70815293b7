"""`flask --app wsgi classify`: text lines on standard input, one JSON object per line on standard output."""
import json

import pytest

from crisisdesk.domain.causes import CAUSE_NAMES


@pytest.fixture
def classify(app):
    runner = app.test_cli_runner()

    def invoke(input):
        return runner.invoke(args=["classify"], input=input)

    return invoke


def lines_of(result):
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_it_writes_one_json_object_per_line_in_the_order_read(classify):
    result = classify("Paczka nie dotarła, nie polecam\nThe kettle arrived broken and nobody answers\n"
                      "Viss ļoti labi, paldies!\n")

    assert result.exit_code == 0, result.output
    first, second, third = lines_of(result)
    assert {key: first[key] for key in ("language", "sentiment", "causes")} == {
        "language": "pl", "sentiment": "negative", "causes": ["late_delivery"]}
    assert second["language"] == "en" and set(second["causes"]) == {"damaged_or_defective", "customer_service"}
    assert (third["language"], third["sentiment"], third["causes"]) == ("lv", "positive", [])
    for line in (first, second, third):
        assert list(line)[:4] == ["language", "sentiment", "score", "causes"]
        assert -1.0 <= line["score"] <= 1.0
        assert set(line["causes"]) <= set(CAUSE_NAMES)


def test_it_adds_the_evidence_with_offsets_into_the_line(classify):
    text = "Zwrot pieniędzy nadal nie dotarł"
    (line,) = lines_of(classify(text + "\n"))
    assert line["causes"] == ["refund_or_payment"]
    for found in line["evidence"]["refund_or_payment"]:
        assert text[found["start"]:found["end"]] == found["text"]


def test_it_keeps_non_ascii_letters_readable_in_the_output(classify):
    result = classify("Prece bojāta\n")
    assert '"bojāta"' in result.stdout


def test_it_answers_a_blank_line_with_an_error_in_its_place_and_exits_1(classify):
    result = classify("Paczka uszkodzona\n\n   \nThe parcel never arrived\n")

    assert result.exit_code == 1
    first, blank, spaces, last = lines_of(result)
    assert first["causes"] == ["damaged_or_defective"]
    assert blank == {"error": "empty line", "line": 2}
    assert spaces == {"error": "empty line", "line": 3}
    assert last["causes"] == ["late_delivery"]


def test_it_reports_invalid_utf8_on_stderr_keeps_going_and_exits_1(classify):
    result = classify(b"Paczka uszkodzona\n\xff\xfe broken\nThe parcel never arrived\n")

    assert result.exit_code == 1
    first, bad, last = lines_of(result)
    assert bad == {"error": "invalid UTF-8", "line": 2}
    assert (first["causes"], last["causes"]) == (["damaged_or_defective"], ["late_delivery"])
    assert "line 2: not valid UTF-8" in result.stderr
    assert "line 2" not in result.stdout.replace('"line": 2', "")


def test_it_reads_windows_line_endings_a_byte_order_mark_and_a_last_line_without_newline(classify):
    result = classify("\ufeffPaczka uszkodzona\r\nThe parcel never arrived")

    assert result.exit_code == 0, result.output
    assert [line["causes"] for line in lines_of(result)] == [["damaged_or_defective"], ["late_delivery"]]


def test_it_writes_nothing_for_no_input(classify):
    result = classify("")
    assert (result.exit_code, result.stdout) == (0, "")
