"""Bidirectional text controls in people's input, kept from turning around the text printed after them.

A right-to-left override (U+202E) in a customer's name or a review reverses everything after it up to the end of
the paragraph (Unicode's bidi algorithm, UAX #9): on a panel page or in an email that is the page's own text
("… wrote:", a status, the next column), which lets a hostile review show the agent something other than what is
there. Balancing closes every embedding, override or isolate a text opens inside that text, and drops the closers
that would end one opened outside it.
"""
import re

EMBEDDINGS = frozenset("\u202a\u202b\u202d\u202e")  # LRE, RLE, LRO, RLO: each closed by PDF
ISOLATES = frozenset("\u2066\u2067\u2068")  # LRI, RLI, FSI: each closed by PDI
PDF, PDI = "\u202c", "\u2069"
CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def balance(text):
    """`text` with each bidi control it opens closed at its end and each unmatched closer removed; text without
    any such control is returned as it is."""
    if not CONTROLS.search(text):
        return text
    kept, open_ = [], []
    for char in text:
        if char in EMBEDDINGS:
            open_.append(PDF)
        elif char in ISOLATES:
            open_.append(PDI)
        elif char == PDF:
            if not open_ or open_[-1] != PDF:  # inside an isolate a PDF cannot close what is outside it
                continue
            open_.pop()
        elif char == PDI:
            if PDI not in open_:
                continue
            while open_.pop() != PDI:  # a PDI also closes the embeddings opened inside its isolate
                pass
        kept.append(char)
    return "".join(kept) + "".join(reversed(open_))
