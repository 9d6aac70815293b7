"""What erasing a customer keeps and removes (domain.personal_data), on the recorded WooCommerce payloads."""
import json

from crisisdesk.domain.events import parse_envelope
from crisisdesk.domain.personal_data import (ERASED, anonymise_event, contact_details, email_digest, erased_email,
                                             format_address, redact_mentions)
from tests.factories import recorded

ORDER_PERSON = ["Grace", "Hopper", "2 Loop Rd", "Oakland", "94601", "555-0100", "cust-3be36b@example.test"]


def envelope(event_type, data, **extra):
    return {"type": event_type, "occurred_at": "2026-11-22T10:00:00Z", "data": data, **extra}


def test_it_keeps_an_order_event_parseable_with_its_ids_dates_totals_and_lines_but_nobody_in_it():
    original = recorded("order_completed")
    original.update(customer_note="Ring twice, Grace", customer_ip_address="203.0.113.9", transaction_id="tx-42",
                    meta_data=[{"id": 1, "key": "_gift_message", "value": "For Grace"}])
    original["line_items"][0]["meta_data"] = [{"key": "engraving", "value": "Grace H."}]

    kept = anonymise_event(envelope("order.updated", original), is_order=True)

    text = json.dumps(kept)
    assert not [p for p in ORDER_PERSON + ["Ring twice", "203.0.113.9", "tx-42", "wc_order_", "gift"] if p in text]
    before, after = parse_envelope(json.dumps(envelope("order.updated", original))), parse_envelope(json.dumps(kept))
    assert (after.resource.remote_id, after.resource.number, after.resource.status, after.resource.total,
            after.resource.created_at, after.resource.modified_at, after.resource.items, after.resource.refunds) == (
        before.resource.remote_id, before.resource.number, before.resource.status, before.resource.total,
        before.resource.created_at, before.resource.modified_at, before.resource.items, before.resource.refunds)
    assert (after.resource.email, after.resource.first_name, after.resource.remote_customer_id) == ("", "", 0)


def test_it_keeps_refund_amounts_but_not_their_reasons():
    original = recorded("order_after_refund")
    original["refunds"][0]["reason"] = "Grace Hopper returned it"

    kept = anonymise_event(envelope("order.refunded", original), is_order=True)

    assert [r.reason for r in parse_envelope(json.dumps(kept)).resource.refunds] == [""]
    assert parse_envelope(json.dumps(kept)).resource.refunds[0].amount > 0


def test_it_keeps_a_review_event_parseable_with_its_rating_and_dates_and_the_order_it_came_from():
    original = dict(recorded("review"), meta_data=[{"id": 3, "key": "_review_order_id", "value": "12"},
                                                  {"id": 4, "key": "_reviewer_phone", "value": "555-0100"}])

    kept = anonymise_event(envelope("review.updated", original, bridge_note="sent by Grace's shop"), is_order=False)

    text = json.dumps(kept)
    assert "Grace" not in text and "example.test" not in text and "gravatar" not in text and "555" not in text
    review = parse_envelope(text).resource
    assert (review.remote_id, review.rating, review.status, review.created_at, review.remote_order_id) == (
        5, 4, "approved", parse_envelope(json.dumps(envelope("review.updated", original))).resource.created_at, 12)
    assert (review.text, review.reviewer, review.email) == (ERASED, ERASED, "")
    assert set(kept) == {"type", "occurred_at", "data"}  # extras outside the envelope are dropped


def test_it_redacts_whole_word_mentions_in_any_case_longest_first():
    names = {"grace@example.com", "Grace", "Hopper", "Grace Hopper", "G"}

    assert redact_mentions("GRACE HOPPER wrote from grace@example.com; Gracelyn and xgrace@example.com did not",
                           names) == "[erased] wrote from [erased]; Gracelyn and xgrace@example.com did not"
    assert redact_mentions("G is a letter", names) == "G is a letter"  # one-letter names would erase too much
    assert redact_mentions("", names) == "" and redact_mentions(None, names) is None


def test_it_makes_a_keyed_digest_and_an_undeliverable_placeholder_address():
    digest = email_digest("grace@example.com", "key-1")

    assert digest == email_digest("grace@example.com", "key-1") != email_digest("grace@example.com", "key-2")
    assert len(digest) == 64 and "grace" not in digest
    assert erased_email(digest) == f"erased-{digest[:16]}@invalid"


def test_it_formats_a_woocommerce_address_on_one_line():
    assert format_address(recorded("order_completed")["billing"]) == "2 Loop Rd, 94601, Oakland, CA, US"
    assert format_address({}) == "" and format_address(None) == ""


def test_contact_details_are_the_phones_and_street_lines_of_billing_and_shipping_not_a_lone_house_number():
    order = {"billing": {"phone": "+48 600 100 200", "address_1": "ul. Długa 1", "address_2": "", "city": "Kraków"},
             "shipping": {"phone": "", "address_1": "Krótka 5", "address_2": "12"}}
    assert contact_details(order) == {"+48 600 100 200", "ul. Długa 1", "Krótka 5"}
    assert contact_details({"billing": "not an object"}) == set() and contact_details(None) == set()
    assert redact_mentions("Sent again to ul. Długa 1, call +48 600 100 200", contact_details(order)) == \
        f"Sent again to {ERASED}, call {ERASED}"
