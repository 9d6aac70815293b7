"""Rules for erasing one customer's personal data while the shop's statistics survive (pure).

What stays is what the reports count: ids, dates, statuses, ratings, totals and currencies.
What goes is whatever names, reaches or describes the person: names, email addresses, postal
addresses, phone numbers, free text they wrote, and identifiers that lead back to them in
WordPress (the WordPress user id, the order key, the gravatar hash of their email).
"""
import hashlib
import hmac
import re

from crisisdesk.domain.errors import Invalid

ERASED = "[erased]"
ERASED_EMAIL_DOMAIN = "invalid"  # RFC 2606: can never be delivered to, so no mail reaches a stranger

# Raw WooCommerce resources are filtered by keeping known harmless keys, never by removing known
# personal ones: a field a newer WooCommerce or another plugin adds is dropped unless listed here.
ORDER_KEYS = frozenset({
    "id", "parent_id", "number", "status", "currency", "currency_symbol", "version", "prices_include_tax",
    "date_created", "date_created_gmt", "date_modified", "date_modified_gmt", "date_completed",
    "date_completed_gmt", "date_paid", "date_paid_gmt", "discount_total", "discount_tax", "shipping_total",
    "shipping_tax", "cart_tax", "total", "total_tax", "payment_method", "payment_method_title", "created_via",
    "line_items", "refunds",
})
LINE_ITEM_KEYS = frozenset({
    "id", "name", "product_id", "variation_id", "quantity", "tax_class", "subtotal", "subtotal_tax", "total",
    "total_tax", "sku", "price",
})
REFUND_KEYS = frozenset({"id", "total", "amount"})
REVIEW_KEYS = frozenset({
    "id", "date_created", "date_created_gmt", "date_modified", "date_modified_gmt", "product_id", "product_name",
    "product_permalink", "status", "rating", "verified",
})
REVIEW_ORDER_META = "_review_order_id"  # an order id, which linking needs and which names nobody
MAX_EMAIL_LENGTH = 254  # the email columns' length
# No control characters or lone surrogates either: a NUL or an unpaired surrogate cannot be looked up in
# PostgreSQL (or encoded as UTF-8), so it would fail the query instead of finding nobody.
ADDRESS = re.compile(r"[^@\s\x00-\x1f\x7f\ud800-\udfff]+@[^@\s\x00-\x1f\x7f\ud800-\udfff]+")


def lookup_address(email):
    """A customer's address as stored (trimmed, lower case, as the payload parser keeps it), to look them up.

    Only its shape is checked: it is a key to look up, not a destination, and WooCommerce may hold
    addresses a stricter validator refuses (a `.test` domain on a staging shop), which must still be
    found. Invalid names the field "email".
    """
    if not isinstance(email, str) or not email.strip():
        raise Invalid("email is required: the customer's email address", "email")
    address = email.strip().lower()
    if len(address) > MAX_EMAIL_LENGTH or not ADDRESS.fullmatch(address):
        raise Invalid("email must be one email address, such as anna@example.com", "email")
    return address


def email_digest(email, key):
    """A keyed SHA-256 of the address: recognises a repeated request without keeping the address."""
    return hmac.new(key.encode("utf-8"), b"crisisdesk-erasure:" + email.encode("utf-8"), hashlib.sha256).hexdigest()


def erased_email(digest):
    """The placeholder address of an erased customer (unique per address, undeliverable)."""
    return f"erased-{digest[:16]}@{ERASED_EMAIL_DOMAIN}"


def anonymise_event(document, is_order):
    """A copy of an event document `{"type", "occurred_at", "data"}` with the person taken out of `data`.

    The result still parses as the same event type (the stored event can still be applied or
    inspected); keys outside the envelope are dropped, since nobody vouches for what they hold.
    """
    data = document.get("data") if isinstance(document.get("data"), dict) else {}
    kept = _anonymise_order(data) if is_order else _anonymise_review(data)
    return {"type": document.get("type"), "occurred_at": document.get("occurred_at"), "data": kept}


def redact_mentions(text, identifiers):
    """`text` with each whole-word occurrence of an identifier (a name, an email) replaced by ERASED."""
    if not text:
        return text
    words = sorted({i.strip() for i in identifiers if i and len(i.strip()) >= 2}, key=len, reverse=True)
    if not words:
        return text
    # Longest first, so "Grace Hopper" goes as one piece before "Grace" alone is looked for.
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in words) + r")(?!\w)", re.IGNORECASE)
    return pattern.sub(ERASED, text)


def contact_details(order_data):
    """The phone numbers and street lines of an order's billing and shipping addresses (WooCommerce's order
    object), to find them quoted in free text an agent wrote ("sent again to ul. Długa 1")."""
    found = set()
    for part in ("billing", "shipping"):
        address = order_data.get(part) if isinstance(order_data, dict) else None
        if isinstance(address, dict):
            found.update(str(address.get(key) or "").strip() for key in ("phone", "address_1", "address_2"))
    return {detail for detail in found if len(detail) >= 4}  # not a lone house number


def format_address(address):
    """A postal address object of WooCommerce's (billing or shipping) as one line; "" when empty."""
    if not isinstance(address, dict):
        return ""
    parts = [address.get(k) for k in ("company", "address_1", "address_2", "postcode", "city", "state", "country")]
    return ", ".join(str(p) for p in parts if p)


def _anonymise_order(data):
    kept = _only(data, ORDER_KEYS)
    # The parser needs billing to be an object; empty, it names nobody.
    kept["billing"], kept["shipping"], kept["customer_id"] = {}, {}, 0
    kept["line_items"] = [_only(i, LINE_ITEM_KEYS) for i in _list(data.get("line_items"))]
    kept["refunds"] = [_only(r, REFUND_KEYS) for r in _list(data.get("refunds"))]
    return kept


def _anonymise_review(data):
    kept = _only(data, REVIEW_KEYS)
    kept.update(reviewer=ERASED, reviewer_email="", review=ERASED)
    meta = [{"key": m["key"], "value": m.get("value")} for m in _list(data.get("meta_data"))
            if isinstance(m, dict) and m.get("key") == REVIEW_ORDER_META]
    if meta:
        kept["meta_data"] = meta
    return kept


def _only(value, keys):
    return {k: v for k, v in value.items() if k in keys} if isinstance(value, dict) else {}


def _list(value):
    return value if isinstance(value, list) else []
