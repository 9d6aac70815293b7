"""The customer's text cut into plain and marked pieces, from the cause detector's evidence offsets.

The panel renders each piece escaped (a marked piece inside <mark>), so no customer text is ever
marked safe; an evidence span that no longer matches the text (the review was edited after the
causes were corrected) is left out rather than marking the wrong words.
"""
from dataclasses import dataclass


@dataclass(frozen=True)
class Segment:
    text: str
    causes: tuple = ()  # empty: plain text


def evidence_list(evidence_by_cause):
    """Flatten {cause: [Evidence]} (cause_detection) into JSON-ready dicts, main cause first."""
    return [{"cause": cause, "text": e.text, "start": e.start, "end": e.end}
            for cause, found in evidence_by_cause.items() for e in found]


def segments(text, evidence):
    """Pieces of `text` in order; a piece covered by evidence carries the causes it points at."""
    text = text or ""
    valid = [e for e in evidence or []
             if isinstance(e.get("start"), int) and isinstance(e.get("end"), int)
             and 0 <= e["start"] < e["end"] <= len(text) and text[e["start"]:e["end"]] == e.get("text")]
    cuts = sorted({0, len(text)} | {e["start"] for e in valid} | {e["end"] for e in valid})
    pieces = []
    for start, end in zip(cuts, cuts[1:]):
        causes = tuple(dict.fromkeys(e["cause"] for e in valid if e["start"] <= start and end <= e["end"]))
        if pieces and pieces[-1].causes == causes:
            pieces[-1] = Segment(pieces[-1].text + text[start:end], causes)
        else:
            pieces.append(Segment(text[start:end], causes))
    return pieces
