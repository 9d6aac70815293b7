"""The event envelope of SPEC section 6: `{"type", "occurred_at", "data"}`."""
import json
import re
from dataclasses import dataclass
from datetime import datetime

from crisisdesk.domain.errors import Invalid
from crisisdesk.domain.wc_payloads import UNPAIRED_SURROGATE, parse_datetime, parse_order, parse_review

ORDER_TYPES = {"order.created", "order.updated", "order.refunded"}
REVIEW_TYPES = {"review.created", "review.updated", "review.status_changed"}
EVENT_TYPES = ORDER_TYPES | REVIEW_TYPES
# Where a surrogate can come from: a \uD800–\uDFFF escape, or one already in a str body (bytes in UTF-8 hold none).
MAYBE_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]|[\ud800-\udfff]")


@dataclass(frozen=True)
class Envelope:
    type: str
    occurred_at: datetime
    data: dict
    resource: object  # OrderData or ReviewData

    @property
    def is_order(self):
        return self.type in ORDER_TYPES


def load_json_object(body):
    """A body (bytes or str) that must be one JSON object; raises Invalid naming "body" otherwise.

    Stricter than json.loads in what a stored event must survive: UTF-8 only (json.loads would guess
    UTF-16 from bytes, and the event is stored and parsed again as UTF-8 text), no NaN or Infinity (not
    JSON), no unpaired surrogate (not storable as UTF-8), and nesting no deeper than Python can parse.
    """
    try:
        text = body.decode("utf-8") if isinstance(body, bytes) else body
        document = json.loads(text, parse_constant=_refuse_constant)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise Invalid("the body is not valid JSON", "body") from None
    if not isinstance(document, dict):
        raise Invalid("the body must be a JSON object", "body")
    # Without a possible surrogate in the text, the walk over every string (a third of the time it takes to
    # parse an order) is skipped.
    if MAYBE_SURROGATE.search(text) and any(UNPAIRED_SURROGATE.search(string) for string in _strings(document)):
        raise Invalid("the body holds an unpaired UTF-16 surrogate (such as \\ud800 alone)", "body")
    return document


def _refuse_constant(name):
    raise ValueError(f"{name} is not JSON")


def _strings(document):
    """Every key and string value in a parsed JSON document; a loop, since nesting may be deep."""
    pending = [document]
    while pending:
        value = pending.pop()
        if isinstance(value, dict):
            yield from value.keys()
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)
        elif isinstance(value, str):
            yield value


def parse_envelope(body):
    """Parse and validate an event body (bytes or str); raises Invalid naming the first bad field."""
    document = load_json_object(body)
    for key in ("type", "occurred_at", "data"):
        if key not in document:
            raise Invalid(f"{key} is required", key)
    event_type = document["type"]
    if not isinstance(event_type, str) or event_type not in EVENT_TYPES:
        raise Invalid(f"type must be one of {sorted(EVENT_TYPES)}", "type")
    occurred_at = parse_datetime(document["occurred_at"], "occurred_at")
    if occurred_at is None:
        raise Invalid("occurred_at must not be empty", "occurred_at")
    data = document["data"]
    resource = parse_order(data) if event_type in ORDER_TYPES else parse_review(data)
    return Envelope(type=event_type, occurred_at=occurred_at, data=data, resource=resource)
