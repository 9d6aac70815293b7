"""Which order is a review or complaint about? Candidates in, one link with method and confidence out.

Methods, strongest first:
- `review_order_meta`: WooCommerce 10.8+ recorded the order on the review (`_review_order_id`).
- `order_number_in_text`: the text names an order number of this shop ("zamówienie nr 1234").
- `email_and_product`: the reviewer's email placed an order containing the reviewed product.
- `email_only`: the reviewer's email has orders, none with this product (weak).
The verified-owner flag raises confidence: WooCommerce checked the purchase itself.
"""
import re
from dataclasses import dataclass, field
from datetime import datetime

from crisisdesk.domain.texts import N_

# A colon may follow the keyword: people paste "Numer zamówienia: 1234" from the confirmation email.
ORDER_NUMBER_PATTERNS = [
    re.compile(r"#\s?(\d{2,10})\b"),
    re.compile(r"\border\s*(?:no\.?|number|nr\.?|#)?\s*:?\s*(\d{2,10})\b", re.IGNORECASE),
    re.compile(r"\bzam[oó]wieni\w*\s*(?:nr\.?|numer|#)?\s*:?\s*(\d{2,10})\b", re.IGNORECASE),
    re.compile(r"\bpas[uū]t[iī]jum\w*\s*(?:nr\.?|numurs|#)?\s*:?\s*(\d{2,10})\b", re.IGNORECASE),
    re.compile(r"\bnr\.?\s*:?\s*(\d{2,10})\b", re.IGNORECASE),
]


LINK_METHOD_LABELS = {
    "review_order_meta": N_("the order recorded on the review"),
    "order_number_in_text": N_("the order number in the text"),
    "email_and_product": N_("the reviewer's email and the product"),
    "email_only": N_("the reviewer's email only"),
    "manual": N_("an agent, by hand"),
    "none": N_("nothing yet"),
}


@dataclass(frozen=True)
class OrderCandidate:
    order_id: int
    remote_id: int
    number: str
    email: str
    remote_product_ids: frozenset
    created_at: datetime | None


@dataclass(frozen=True)
class ReviewFacts:
    email: str
    remote_product_id: int | None
    text: str
    verified: bool = False
    remote_order_id: int | None = None
    written_at: datetime | None = None


@dataclass(frozen=True)
class OrderLink:
    order_id: int | None
    method: str
    confidence: float
    alternatives: tuple = field(default=())

    @property
    def linked(self):
        return self.order_id is not None


NO_LINK = OrderLink(order_id=None, method="none", confidence=0.0)


def order_numbers_in_text(text):
    """Order numbers the text mentions, in order of appearance, without repeats."""
    found = []
    for pattern in ORDER_NUMBER_PATTERNS:
        for match in pattern.finditer(text or ""):
            if match.group(1) not in found:
                found.append(match.group(1))
    return found


def link_order(facts, candidates):
    """Pick the most likely order among `candidates` (this shop's orders by number or email)."""
    candidates = [c for c in candidates if _placed_before(c, facts.written_at)]
    if facts.remote_order_id:
        for c in candidates:
            if c.remote_id == facts.remote_order_id:
                return OrderLink(c.order_id, "review_order_meta", 1.0)
    by_number = _named_in_text(facts, candidates)
    if by_number:
        return by_number
    mine = [c for c in candidates if facts.email and c.email == facts.email]
    with_product = [c for c in mine if facts.remote_product_id in c.remote_product_ids]
    if with_product:
        best = _latest(with_product)
        confidence = 0.85 if len(with_product) == 1 else 0.7
        if facts.verified:
            confidence += 0.05
        return OrderLink(best.order_id, "email_and_product", round(confidence, 2),
                         tuple(c.order_id for c in with_product if c is not best))
    if mine:
        best = _latest(mine)
        return OrderLink(best.order_id, "email_only", 0.5 if facts.verified else 0.35,
                         tuple(c.order_id for c in mine if c is not best))
    return NO_LINK


def _named_in_text(facts, candidates):
    numbers = order_numbers_in_text(facts.text)
    for number in numbers:
        for c in candidates:
            if c.number == number:
                same_person = bool(facts.email) and c.email == facts.email
                return OrderLink(c.order_id, "order_number_in_text", 0.95 if same_person else 0.6)
    return None


def _placed_before(candidate, written_at):
    # A review cannot be about an order placed after it was written.
    return written_at is None or candidate.created_at is None or candidate.created_at <= written_at


def _latest(candidates):
    return max(candidates, key=lambda c: (c.created_at.timestamp() if c.created_at else 0.0, c.remote_id))
