"""Read WooCommerce REST v3 resources (orders, reviews) into plain value objects.

Events and the backfill share these parsers, so both accept exactly the shapes
`GET /wc/v3/orders/<id>` and `GET /wc/v3/products/reviews/<id>` return. Each
parser validates what the service relies on and raises `Invalid` naming the
field; unknown extra fields are ignored here (the raw event keeps them).
"""
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from decimal import Decimal, InvalidOperation

from crisisdesk.domain.errors import Invalid

REVIEW_STATUSES = {"approved", "hold", "spam", "unspam", "trash", "untrash"}
# ASCII digits only and nothing after the end: `\d` and `$` would let in other scripts' digits and a newline.
ISO_DATETIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})?")
# Ids and counts live in 32-bit integer columns; a larger number would be accepted but never applied.
MAX_INT = 2 ** 31 - 1
# json.loads joins a surrogate pair into one character, so any surrogate left in a string is unpaired.
UNPAIRED_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True)
class LineItem:
    remote_id: int
    remote_product_id: int
    name: str
    sku: str
    quantity: int
    total: Decimal


@dataclass(frozen=True)
class RefundSummary:
    remote_id: int
    amount: Decimal  # positive; WooCommerce lists refunds on an order with a negative total
    reason: str


@dataclass(frozen=True)
class OrderData:
    remote_id: int
    number: str
    status: str
    currency: str
    total: Decimal
    remote_customer_id: int
    email: str
    first_name: str
    last_name: str
    payment_method_title: str
    created_at: datetime | None
    completed_at: datetime | None
    modified_at: datetime | None
    items: tuple
    refunds: tuple
    paid_at: datetime | None = None  # date_paid_gmt; None while unpaid (and in payloads without it)


@dataclass(frozen=True)
class ReviewData:
    remote_id: int
    remote_product_id: int
    product_name: str
    product_permalink: str
    status: str
    reviewer: str
    email: str
    text: str
    rating: int
    verified: bool
    created_at: datetime | None
    modified_at: datetime | None
    remote_order_id: int | None


def parse_datetime(value, field):
    """A WooCommerce `*_gmt` value (no offset means UTC) or an RFC 3339 time; None stays None."""
    if value in (None, ""):
        return None
    message = f"{field} must be an ISO 8601 date-time such as 2026-11-22T10:00:00Z"
    if not isinstance(value, str) or not ISO_DATETIME.fullmatch(value):
        raise Invalid(message, field)
    try:
        # The shape can still name no real moment: month 13, 30 February, an offset of +99:00, year 0.
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=timezone.utc)
        return parsed.astimezone(timezone.utc)
    except (ValueError, OverflowError):  # OverflowError: an offset pushing year 1 or 9999 out of range
        raise Invalid(message, field) from None


def parse_order(data, prefix="data"):
    """An order resource → OrderData."""
    _require_object(data, prefix)
    billing = data.get("billing") or {}
    if not isinstance(billing, dict):
        raise Invalid(f"{prefix}.billing must be an object", f"{prefix}.billing")
    items = _list(data, "line_items", prefix)
    refunds = _list(data, "refunds", prefix)
    return OrderData(
        remote_id=positive_id(data, "id", prefix),
        number=_order_number(data, prefix),
        status=_string(data, "status", prefix, required=True, max_length=40),
        currency=_string(data, "currency", prefix, max_length=8),
        total=_money(data.get("total", "0"), f"{prefix}.total"),
        remote_customer_id=_int(data.get("customer_id", 0), f"{prefix}.customer_id"),
        email=_string(billing, "email", f"{prefix}.billing", max_length=254).strip().lower(),
        first_name=_string(billing, "first_name", f"{prefix}.billing", clip=200),
        last_name=_string(billing, "last_name", f"{prefix}.billing", clip=200),
        payment_method_title=_string(data, "payment_method_title", prefix, clip=200),
        created_at=parse_datetime(data.get("date_created_gmt"), f"{prefix}.date_created_gmt"),
        completed_at=parse_datetime(data.get("date_completed_gmt"), f"{prefix}.date_completed_gmt"),
        paid_at=parse_datetime(data.get("date_paid_gmt"), f"{prefix}.date_paid_gmt"),
        modified_at=parse_datetime(data.get("date_modified_gmt"), f"{prefix}.date_modified_gmt"),
        items=_last_by_id(_line_item(item, f"{prefix}.line_items[{i}]") for i, item in enumerate(items)),
        refunds=_last_by_id(_refund(r, f"{prefix}.refunds[{i}]") for i, r in enumerate(refunds)),
    )


def parse_review(data, prefix="data"):
    """A product review resource → ReviewData."""
    _require_object(data, prefix)
    rating = data.get("rating")
    if isinstance(rating, bool) or not isinstance(rating, int) or not 0 <= rating <= 5:
        raise Invalid(f"{prefix}.rating must be a whole number from 0 to 5", f"{prefix}.rating")
    status = _string(data, "status", prefix, required=True)
    if status not in REVIEW_STATUSES:
        raise Invalid(f"{prefix}.status must be one of {sorted(REVIEW_STATUSES)}", f"{prefix}.status")
    if "review" not in data:
        raise Invalid(f"{prefix}.review is required", f"{prefix}.review")
    return ReviewData(
        remote_id=positive_id(data, "id", prefix),
        remote_product_id=positive_id(data, "product_id", prefix),
        product_name=_string(data, "product_name", prefix, clip=300),
        product_permalink=_string(data, "product_permalink", prefix, clip=500),
        status=_normalise_review_status(status),
        reviewer=_string(data, "reviewer", prefix, clip=200),
        email=_string(data, "reviewer_email", prefix, max_length=254).strip().lower(),
        text=_string(data, "review", prefix),
        rating=rating,
        verified=bool(data.get("verified", False)),
        created_at=parse_datetime(data.get("date_created_gmt"), f"{prefix}.date_created_gmt"),
        modified_at=parse_datetime(data.get("date_modified_gmt"), f"{prefix}.date_modified_gmt"),
        remote_order_id=_review_order_id(data.get("meta_data"), prefix),
    )


def _last_by_id(values):
    # A line or refund listed twice (a plugin's glitch) is one row; the last copy wins, in first-seen order.
    return tuple({value.remote_id: value for value in values}.values())


def _order_number(data, prefix):
    number = data.get("number") or data.get("id", "")
    if isinstance(number, bool) or not isinstance(number, (str, int)):
        raise Invalid(f"{prefix}.number must be a string", f"{prefix}.number")
    number = str(number)
    if len(number) > 40:
        raise Invalid(f"{prefix}.number must be at most 40 characters", f"{prefix}.number")
    return number


def _normalise_review_status(status):
    # "unspam"/"untrash" are WordPress's transitions back to moderation; store the resulting state.
    return {"unspam": "hold", "untrash": "hold"}.get(status, status)


def _review_order_id(meta_data, prefix):
    if not isinstance(meta_data, list):
        return None
    for entry in meta_data:
        if isinstance(entry, dict) and entry.get("key") == "_review_order_id":
            value = _int(entry.get("value"), f"{prefix}.meta_data",
                         f"{prefix}.meta_data _review_order_id must be an order id")
            return value if value > 0 else None
    return None


def _line_item(item, prefix):
    _require_object(item, prefix)
    return LineItem(
        remote_id=positive_id(item, "id", prefix),
        remote_product_id=_int(item.get("product_id", 0), f"{prefix}.product_id"),
        name=_string(item, "name", prefix, clip=300),
        sku=_string(item, "sku", prefix, clip=100),
        quantity=_int(item.get("quantity", 1), f"{prefix}.quantity"),
        total=_money(item.get("total", "0"), f"{prefix}.total"),
    )


def _refund(refund, prefix):
    _require_object(refund, prefix)
    return RefundSummary(
        remote_id=positive_id(refund, "id", prefix),
        amount=abs(_money(refund.get("total", refund.get("amount", "0")), f"{prefix}.total")),
        reason=_string(refund, "reason", prefix),
    )


def _require_object(value, field):
    if not isinstance(value, dict):
        raise Invalid(f"{field} must be a JSON object", field)


def _list(data, key, prefix):
    value = data.get(key, [])
    if value is None:
        return []
    if not isinstance(value, list):
        raise Invalid(f"{prefix}.{key} must be a list", f"{prefix}.{key}")
    return value


def _int(value, field, message=None):
    message = message or f"{field} must be a whole number"
    if isinstance(value, bool):
        raise Invalid(message, field)
    if isinstance(value, int):
        return _in_range(value, field)
    # At most 20 digits: enough to tell "too large" apart, and int() refuses strings of over 4300 digits.
    if isinstance(value, str) and re.fullmatch(r"-?[0-9]{1,20}", value.strip()):
        return _in_range(int(value), field)
    raise Invalid(message, field)


def _in_range(value, field):
    if abs(value) > MAX_INT:
        raise Invalid(f"{field} must be at most {MAX_INT}", field)
    return value


def positive_id(data, key, prefix=""):
    """`data[key]` as a positive id of WooCommerce's (a whole number up to MAX_INT, or its digits in a string).

    Invalid names the field: `prefix.key`, or `key` alone without a prefix (a call's own body).
    """
    field = f"{prefix}.{key}" if prefix else key
    if key not in data:
        raise Invalid(f"{field} is required", field)
    value = _int(data[key], field)
    if value <= 0:
        raise Invalid(f"{field} must be a positive id", field)
    return value


def _string(data, key, prefix, required=False, max_length=None, clip=None):
    """A string field. Identifiers over `max_length` are refused; display text is clipped to `clip`
    (the raw event keeps the whole text)."""
    field = f"{prefix}.{key}"
    value = data.get(key)
    if value is None:
        if required:
            raise Invalid(f"{field} is required", field)
        return ""
    if not isinstance(value, str):
        raise Invalid(f"{field} must be a string", field)
    if not _storable(value):
        # PostgreSQL's text holds no NUL, and UTF-8 no unpaired surrogate (JSON's "\ud800" alone).
        if max_length is not None or required:
            raise Invalid(f"{field} must not contain NUL characters or unpaired surrogates", field)
        value = _storable_text(value)  # display text: clean it rather than lose the resource
    if required and not value.strip():
        raise Invalid(f"{field} must not be empty", field)
    if max_length is not None and len(value) > max_length:
        raise Invalid(f"{field} must be at most {max_length} characters", field)
    return value[:clip] if clip else value


def _storable(text):
    return "\x00" not in text and not UNPAIRED_SURROGATE.search(text)


def _storable_text(text):
    return UNPAIRED_SURROGATE.sub("\ufffd", text.replace("\x00", ""))


def _money(value, field):
    # WooCommerce sends money as strings ("72.50") but some fields as numbers; accept both.
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise Invalid(f"{field} must be an amount such as \"72.50\"", field)
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise Invalid(f"{field} must be an amount such as \"72.50\"", field) from None
    if not amount.is_finite() or abs(amount) >= Decimal("1e10"):
        raise Invalid(f"{field} must be an amount such as \"72.50\"", field)
    return amount.quantize(Decimal("0.01"))
