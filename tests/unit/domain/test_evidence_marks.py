"""domain.evidence_marks: the customer's text cut into plain and marked pieces."""
from crisisdesk.domain.cause_detection import classify
from crisisdesk.domain.evidence_marks import Segment, evidence_list, segments

TEXT = "Paczka dotarła uszkodzona, dostawę opóźniono"


def test_it_marks_the_words_the_detector_found_and_keeps_every_character():
    pieces = segments(TEXT, evidence_list(classify(TEXT).evidence))
    assert "".join(p.text for p in pieces) == TEXT
    assert [p for p in pieces if p.causes] == [Segment("uszkodzona", ("damaged_or_defective",)),
                                               Segment("opóźniono", ("late_delivery",))]


def test_it_leaves_out_evidence_that_no_longer_matches_the_text():
    stale = [{"cause": "late_delivery", "text": "opóźniono", "start": 0, "end": 9}]
    assert segments(TEXT, stale) == [Segment(TEXT)]
    assert segments(TEXT, [{"cause": "x", "text": "?", "start": 90, "end": 99}]) == [Segment(TEXT)]


def test_overlapping_evidence_marks_the_overlap_with_both_causes():
    text = "lost parcel"
    evidence = [{"cause": "a", "text": "lost parcel", "start": 0, "end": 11},
                {"cause": "b", "text": "parcel", "start": 5, "end": 11}]
    assert segments(text, evidence) == [Segment("lost ", ("a",)), Segment("parcel", ("a", "b"))]
