"""Property tests of the payload parsers, the event envelope and the signature check (Hypothesis).

Whatever arrives, the parsers answer with a value or with `Invalid` naming the field: never another exception
(which the API would turn into a 500, and a job into a lost event). Valid payloads built by a strategy come
back field for field. Deterministic and writing nothing: derandomized, bounded, no example database.
"""
import base64
import json
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crisisdesk.domain.errors import Invalid
from crisisdesk.domain.events import load_json_object, parse_envelope
from crisisdesk.domain.wc_payloads import MAX_INT, REVIEW_STATUSES, parse_datetime, parse_order, parse_review
from crisisdesk.integrations import webhook_signing
from tests.factories import recorded

PROFILE = settings(max_examples=150, derandomize=True, database=None, deadline=None)

# Any JSON value Python's json module can produce (NaN, infinities and huge integers included, as requests'
# .json() gives them to the backfill), with NUL characters and unpaired surrogates in strings.
ANY_CHARACTER = st.characters(exclude_categories=())
SCALARS = (st.none() | st.booleans() | st.integers() | st.floats() | st.text(ANY_CHARACTER, max_size=12)
           | st.sampled_from(["", "0", "-1", "12", "9" * 30, "2026-11-22T10:00:00"]))
JSON = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4)
                    | st.dictionaries(st.text(ANY_CHARACTER, max_size=6), inner, max_size=4), max_leaves=12)

ORDER_FIELDS = ["id", "number", "status", "currency", "total", "customer_id", "billing", "payment_method_title",
                "date_created_gmt", "date_completed_gmt", "date_paid_gmt", "date_modified_gmt", "line_items", "refunds"]
REVIEW_FIELDS = ["id", "product_id", "product_name", "product_permalink", "status", "reviewer", "reviewer_email",
                 "review", "rating", "verified", "date_created_gmt", "date_modified_gmt", "meta_data"]


def parsed_or_named(parse, data, field_prefix="data"):
    """Parse `data`; an Invalid must name a field under `field_prefix`. Anything else propagates and fails."""
    try:
        return parse(data)
    except Invalid as error:
        assert error.field and error.field.startswith(field_prefix), (error.field, error.message)
        return None


@PROFILE
@given(data=JSON)
def test_any_json_is_an_order_or_a_named_invalid(data):
    parsed_or_named(parse_order, data)


@PROFILE
@given(data=JSON)
def test_any_json_is_a_review_or_a_named_invalid(data):
    parsed_or_named(parse_review, data)


@PROFILE
@given(key=st.sampled_from(ORDER_FIELDS), value=JSON)
def test_any_value_in_an_order_field_is_read_or_refused_naming_that_field(key, value):
    data = recorded("order_after_refund") | {key: value}
    order = parsed_or_named(parse_order, data, f"data.{key}" if key != "number" else "data.")
    if order is not None:
        assert all("\x00" not in text for text in (order.first_name, order.last_name, order.payment_method_title))


@PROFILE
@given(key=st.sampled_from(REVIEW_FIELDS), value=JSON)
def test_any_value_in_a_review_field_is_read_or_refused_naming_that_field(key, value):
    review = parsed_or_named(parse_review, recorded("review") | {key: value}, f"data.{key}")
    if review is not None:
        assert "\x00" not in review.text and "\x00" not in review.reviewer


# --- valid payloads come back ------------------------------------------------------------------------------

IDS = st.integers(1, MAX_INT)
MOMENTS = st.datetimes(datetime(1990, 1, 1), datetime(2100, 1, 1)).map(
    lambda moment: moment.replace(microsecond=0, tzinfo=timezone.utc))
TEXT = st.text(st.characters(exclude_characters="\x00"), max_size=40)  # NUL is dropped: tested below
AMOUNTS = st.decimals(-10 ** 9, 10 ** 9, places=2)
EMAILS = st.emails().map(lambda address: f" {address.upper()} ")


def wc_time(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%S")


line_items = st.lists(st.fixed_dictionaries({
    "id": IDS, "product_id": IDS, "name": TEXT, "sku": TEXT, "quantity": st.integers(0, 1000), "total": AMOUNTS,
}), max_size=4, unique_by=lambda item: item["id"])
refunds = st.lists(st.fixed_dictionaries({"id": IDS, "total": AMOUNTS, "reason": TEXT}), max_size=3,
                   unique_by=lambda refund: refund["id"])


@PROFILE
@given(order_id=IDS, status=st.sampled_from(["pending", "processing", "completed", "refunded", "cancelled"]),
       total=AMOUNTS, email=EMAILS, first_name=TEXT, created=MOMENTS, items=line_items, refund_lines=refunds,
       id_as_text=st.booleans())
def test_a_valid_order_round_trips(order_id, status, total, email, first_name, created, items, refund_lines,
                                   id_as_text):
    data = {"id": str(order_id) if id_as_text else order_id, "status": status, "currency": "PLN",
            "total": str(total), "customer_id": 0, "billing": {"email": email, "first_name": first_name},
            "date_created_gmt": wc_time(created), "date_modified_gmt": wc_time(created) + "Z",
            "line_items": [dict(item, total=str(item["total"])) for item in items],
            "refunds": [dict(refund, total=str(-refund["total"])) for refund in refund_lines],
            "unknown_extra_field": {"kept": "by the raw event, ignored here"}}

    order = parse_order(data)

    assert (order.remote_id, order.number, order.status, order.total) == (order_id, str(order_id), status, total)
    assert order.email == email.strip().lower() and order.first_name == first_name[:200]
    assert order.created_at == order.modified_at == created and order.completed_at is None
    assert [(i.remote_id, i.remote_product_id, i.quantity, i.total) for i in order.items] == [
        (i["id"], i["product_id"], i["quantity"], i["total"]) for i in items]
    assert [(r.remote_id, r.amount) for r in order.refunds] == [(r["id"], abs(r["total"])) for r in refund_lines]


@PROFILE
@given(review_id=IDS, product_id=IDS, rating=st.integers(0, 5), status=st.sampled_from(sorted(REVIEW_STATUSES)),
       text=TEXT, email=EMAILS, verified=st.booleans(), created=MOMENTS, order_id=st.none() | IDS)
def test_a_valid_review_round_trips(review_id, product_id, rating, status, text, email, verified, created, order_id):
    data = {"id": review_id, "product_id": product_id, "rating": rating, "status": status, "review": text,
            "reviewer_email": email, "verified": verified, "date_created_gmt": wc_time(created),
            "meta_data": [{"key": "_review_order_id", "value": str(order_id)}] if order_id else []}

    review = parse_review(data)

    assert (review.remote_id, review.remote_product_id, review.rating, review.text) == (review_id, product_id,
                                                                                       rating, text)
    assert review.status == {"unspam": "hold", "untrash": "hold"}.get(status, status)
    assert (review.email, review.verified, review.created_at) == (email.strip().lower(), verified, created)
    assert review.remote_order_id == order_id


# --- the edges ---------------------------------------------------------------------------------------------

@PROFILE
@given(number=st.integers(-2 ** 70, 2 ** 70) | st.sampled_from([0, 1, MAX_INT, MAX_INT + 1, -MAX_INT]),
       as_text=st.booleans())
def test_ids_are_read_up_to_the_32_bit_bound_and_refused_past_it(number, as_text):
    data = recorded("review") | {"id": str(number) if as_text else number}
    if 1 <= number <= MAX_INT:
        assert parse_review(data).remote_id == number
    else:
        with pytest.raises(Invalid) as error:
            parse_review(data)
        assert error.value.field == "data.id"


@pytest.mark.parametrize("value", ["9" * 5000, "-" + "1" * 4400, 10 ** 5000, "١٢", " 12 \n" * 2, 1.0, True],
                         ids=["5000-digits", "4400-digits-negative", "huge-int", "arabic-digits", "two-numbers",
                              "float", "bool"])
def test_numbers_too_long_to_convert_or_not_whole_are_refused_cleanly(value):
    with pytest.raises(Invalid) as error:
        parse_order(recorded("order_created") | {"customer_id": value})
    assert error.value.field == "data.customer_id"


@PROFILE
@given(text=st.text(ANY_CHARACTER, max_size=30))
def test_display_text_is_stored_without_nul_or_unpaired_surrogates_and_identifiers_refuse_them(text):
    review = parse_review(recorded("review") | {"review": text, "reviewer": text})
    # Storable in PostgreSQL: no NUL, and valid UTF-8 (encode raises on an unpaired surrogate).
    assert "\x00" not in review.text and review.text.encode("utf-8").decode("utf-8") == review.text
    status = "processing" + text
    unstorable = "\x00" in text or any(0xD800 <= ord(c) <= 0xDFFF for c in text)
    try:
        order = parse_order(recorded("order_created") | {"status": status})
    except Invalid as error:
        assert error.field == "data.status" and (unstorable or len(status) > 40)
    else:
        assert not unstorable and order.status == status


def test_huge_display_text_is_clipped_and_a_huge_identifier_refused():
    review = parse_review(recorded("review") | {"product_name": "x" * 1_000_000, "review": "y" * 1_000_000})
    assert len(review.product_name) == 300 and len(review.text) == 1_000_000  # the complaint is kept whole
    with pytest.raises(Invalid) as error:
        parse_review(recorded("review") | {"reviewer_email": "a" * 1_000_000 + "@example.com"})
    assert error.value.field == "data.reviewer_email"


@PROFILE
@given(moment=st.datetimes(datetime(1, 1, 2), datetime(9999, 12, 30)),
       offset_minutes=st.integers(-23 * 60 - 59, 23 * 60 + 59), style=st.sampled_from(["offset", "Z", "bare"]))
def test_rfc_3339_and_woocommerce_times_round_trip(moment, offset_minutes, style):
    zone = timezone(timedelta(minutes=offset_minutes)) if style == "offset" else timezone.utc
    aware = moment.replace(tzinfo=zone)
    text = {"offset": aware.isoformat(), "Z": moment.isoformat() + "Z", "bare": moment.isoformat()}[style]
    assert parse_datetime(text, "when") == aware


@pytest.mark.parametrize("text", [
    "2026-13-01T00:00:00Z", "2026-02-30T10:00:00", "2026-11-22T24:00:00", "0000-01-01T00:00:00",
    "2026-11-22T10:00:00+24:00", "0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00",
    "2026-11-22t10:00:00z", "2026-11-22 10:00:00", "2026-11-22T10:00:00Z\n", "٢٠٢٦-١١-٢٢T10:00:00Z",
    "2026-11-22", "1700000000", "22/11/2026 10:00", "2026-W47-7T10:00:00",
])
def test_odd_date_formats_are_refused_naming_the_field(text):
    with pytest.raises(Invalid) as error:
        parse_datetime(text, "data.date_created_gmt")
    assert error.value.field == "data.date_created_gmt"


@PROFILE
@given(text=st.text(ANY_CHARACTER, max_size=40) | st.from_regex(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.+Z-]{8,16}"))
def test_any_text_is_a_time_or_a_named_invalid(text):
    try:
        assert parse_datetime(text, "when") is None or parse_datetime(text, "when").tzinfo is timezone.utc
    except Invalid as error:
        assert error.field == "when"


# --- the envelope and the body -----------------------------------------------------------------------------

@PROFILE
@given(body=st.binary(max_size=200) | JSON.map(lambda value: json.dumps(value).encode())
       | st.builds(lambda t, d: json.dumps({"type": t, "occurred_at": "2026-11-22T10:00:00Z", "data": d}).encode(),
                   st.sampled_from(["order.created", "review.created", "nope"]) | JSON, JSON))
def test_any_body_is_an_envelope_or_a_named_invalid(body):
    try:
        envelope = parse_envelope(body)
    except Invalid as error:
        assert error.field and (error.field in ("body", "type", "occurred_at") or error.field.startswith("data"))
    else:
        assert envelope.type in ("order.created", "review.created")


@pytest.mark.parametrize("body", [
    b"[" * 100_000, b'{"a": ' * 50_000, b'{"x": NaN}', b'{"x": -Infinity}', '{"x": "\\ud800"}'.encode(),
    b'\xef\xbb\xbf{}', '{}'.encode("utf-16"), b'{"x": "\xff"}',
], ids=["nested-arrays", "nested-objects", "nan", "infinity", "unpaired-surrogate", "utf-8-bom", "utf-16", "latin-1"])
def test_bodies_python_could_not_parse_store_or_parse_again_are_not_json(body):
    with pytest.raises(Invalid) as error:
        load_json_object(body)
    assert error.value.field == "body"


@pytest.mark.parametrize("body", ['{"x": "\\uDC00"}', '{"x": "a\\uDBFFb"}', '{"x": "\ud800"}',
                                  '{"x": "\\ude00\\ud83d"}'],
                         ids=["upper-case-escape", "high-surrogate-escape", "literal-in-a-str", "pair-in-wrong-order"])
def test_an_unpaired_surrogate_however_it_is_written_is_not_json(body):
    with pytest.raises(Invalid) as error:
        load_json_object(body)
    assert error.value.field == "body"


def test_a_surrogate_pair_and_an_escaped_backslash_before_u_are_json():
    body = '{"x": "\\ud83d\\ude00", "y": "\\\\ud800"}'.encode()
    assert load_json_object(body) == {"x": "\U0001f600", "y": "\\ud800"}


def test_a_deeply_nested_unknown_field_is_kept_out_of_the_way():
    nested = json.loads("[" * 500 + "]" * 500)
    assert parse_review(recorded("review") | {"reviewer_avatar_urls": nested}).remote_id == 5


# --- the signature -----------------------------------------------------------------------------------------

SECRET = "whsec_" + base64.b64encode(b"k" * 32).decode()
NOW = 1_800_000_000
HEADER_TEXT = st.text(st.characters(min_codepoint=0x20, max_codepoint=0xFF), max_size=60)


@PROFILE
@given(headers=st.dictionaries(st.sampled_from(["webhook-id", "Webhook-Timestamp", "webhook-signature", "x"]),
                               HEADER_TEXT | st.integers(NOW - 400, NOW + 400).map(str)
                               | st.builds("v1,{} v2,{}".format, HEADER_TEXT, HEADER_TEXT)),
       body=st.binary(max_size=64))
def test_any_headers_and_body_fail_the_signature_check_only_with_signature_errors(headers, body):
    with pytest.raises(webhook_signing.SignatureError):
        webhook_signing.verify([SECRET], headers, body, now=NOW)


@PROFILE
@given(msg_id=st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=1, max_size=60),
       body=st.text(max_size=200), flip=st.integers(0, 10_000))
def test_a_signed_body_verifies_and_any_changed_byte_does_not(msg_id, body, flip):
    headers = webhook_signing.sign(SECRET, msg_id, body)  # now: the package checks the timestamp on its own clock
    webhook_signing.verify(["whsec_" + base64.b64encode(b"o" * 32).decode(), SECRET], headers, body)
    raw = bytearray(body.encode() or b" ")
    raw[flip % len(raw)] ^= 0x01
    with pytest.raises(webhook_signing.SignatureError):
        webhook_signing.verify([SECRET], headers, bytes(raw))
