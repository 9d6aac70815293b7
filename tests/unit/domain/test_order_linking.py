"""Which order a review is about: method, confidence, the verified flag, and numbers in the text."""
from datetime import datetime, timezone

import pytest

from crisisdesk.domain.order_linking import (NO_LINK, OrderCandidate, ReviewFacts, link_order,
                                             order_numbers_in_text)

WRITTEN = datetime(2026, 11, 20, 10, 0, tzinfo=timezone.utc)
KETTLE, TOASTER = 10, 20


def candidate(order_id, number=None, email="grace@example.com", products=(KETTLE,), day=1):
    return OrderCandidate(order_id=order_id, remote_id=order_id + 5000, number=number or str(order_id + 5000),
                          email=email, remote_product_ids=frozenset(products),
                          created_at=datetime(2026, 11, day, 9, 0, tzinfo=timezone.utc))


def facts(text="Arrived broken.", email="grace@example.com", product=KETTLE, verified=False, remote_order_id=None,
          written_at=WRITTEN):
    return ReviewFacts(email=email, remote_product_id=product, text=text, verified=verified,
                       remote_order_id=remote_order_id, written_at=written_at)


# --- order numbers in text -------------------------------------------------------------------------------

@pytest.mark.parametrize("text, numbers", [
    ("Order #1234 arrived broken", ["1234"]),
    ("my order 1234 never came", ["1234"]),
    ("order no. 1234", ["1234"]),
    ("Order number 1234", ["1234"]),
    ("Order: 1234", ["1234"]),
    ("Zamówienie nr 1234 przyszło uszkodzone", ["1234"]),
    ("W zamówieniu 1234 brakowało kabla", ["1234"]),
    ("Zamowienie nr. 4321", ["4321"]),
    ("Numer zamówienia: 5678", ["5678"]),
    ("Pasūtījums nr. 1234 nepienāca", ["1234"]),
    ("pasūtījuma numurs 777", ["777"]),
    ("pasutijums 555", ["555"]),
    ("Pasūtījuma nr.: 1234", ["1234"]),
    ("nr 99", ["99"]),
    ("#12 and again #12", ["12"]),
    ("Order #12, also zamówienie 34", ["12", "34"]),
])
def test_it_finds_order_numbers_in_polish_latvian_and_english(text, numbers):
    assert order_numbers_in_text(text) == numbers


@pytest.mark.parametrize("text", [
    "I paid 120 zł for 2 items",
    "ordered on 2026-11-02",
    "call me on 600123456",
    "order 7",  # one digit is a quantity, not an order number
    "",
    None,
])
def test_it_finds_no_order_number_where_there_is_none(text):
    assert order_numbers_in_text(text) == []


# --- linking ---------------------------------------------------------------------------------------------

def test_it_links_by_the_review_order_meta_with_full_confidence():
    meta, other = candidate(1, products=(TOASTER,)), candidate(2)
    link = link_order(facts(remote_order_id=meta.remote_id, email="someone@else.example"), [other, meta])
    assert (link.order_id, link.method, link.confidence) == (1, "review_order_meta", 1.0)
    assert link.linked


def test_it_links_by_an_order_number_in_the_text_of_the_same_person():
    named, other = candidate(1, number="1234", products=(TOASTER,)), candidate(2)
    link = link_order(facts(text="Zamówienie nr 1234 przyszło uszkodzone"), [other, named])
    assert (link.order_id, link.method, link.confidence) == (1, "order_number_in_text", 0.95)


def test_it_trusts_an_order_number_of_someone_else_less():
    named = candidate(1, number="1234", email="husband@example.com")
    link = link_order(facts(text="Order #1234 broke"), [named])
    assert (link.order_id, link.method, link.confidence) == (1, "order_number_in_text", 0.6)


def test_it_ignores_numbers_that_are_not_orders_of_this_shop():
    mine = candidate(1)
    link = link_order(facts(text="Order #9999 broke"), [mine])
    assert link.method == "email_and_product"


def test_it_links_by_email_and_reviewed_product():
    with_kettle, with_toaster = candidate(1, products=(KETTLE,)), candidate(2, products=(TOASTER,), day=5)
    link = link_order(facts(), [with_toaster, with_kettle])
    assert (link.order_id, link.method, link.confidence) == (1, "email_and_product", 0.85)
    assert link.alternatives == ()


def test_it_picks_the_latest_of_several_orders_with_the_product_and_is_less_sure():
    older, newer = candidate(1, day=1), candidate(2, day=10)
    link = link_order(facts(), [older, newer])
    assert (link.order_id, link.method, link.confidence) == (2, "email_and_product", 0.7)
    assert link.alternatives == (1,)


def test_it_raises_confidence_when_woocommerce_verified_the_purchase():
    assert link_order(facts(verified=True), [candidate(1)]).confidence == 0.9
    assert link_order(facts(verified=True), [candidate(1), candidate(2, day=3)]).confidence == 0.75


def test_it_falls_back_to_the_latest_order_of_the_email_with_low_confidence():
    older, newer = candidate(1, products=(TOASTER,), day=1), candidate(2, products=(TOASTER,), day=9)
    link = link_order(facts(), [older, newer])
    assert (link.order_id, link.method, link.confidence) == (2, "email_only", 0.35)
    assert link.alternatives == (1,)
    assert link_order(facts(verified=True), [older]).confidence == 0.5


def test_it_does_not_link_orders_of_other_people_without_a_number():
    link = link_order(facts(), [candidate(1, email="someone@else.example")])
    assert link == NO_LINK
    assert not link.linked and link.method == "none" and link.confidence == 0.0


def test_it_does_not_link_without_candidates_or_email():
    assert link_order(facts(), []) == NO_LINK
    assert link_order(facts(email=""), [candidate(1, email="")]) == NO_LINK


def test_it_ignores_an_order_placed_after_the_review():
    later = candidate(1, day=21)  # written on the 20th
    assert link_order(facts(), [later]) == NO_LINK
    assert link_order(facts(remote_order_id=later.remote_id), [later]) == NO_LINK
    assert link_order(facts(text=f"order #{later.number}"), [later]) == NO_LINK


def test_it_prefers_the_earlier_order_when_a_later_one_also_matches():
    before, after = candidate(1, day=2), candidate(2, day=25)
    assert link_order(facts(), [before, after]).order_id == 1


def test_it_accepts_any_order_when_the_review_date_is_unknown():
    later = candidate(1, day=28)
    assert link_order(facts(written_at=None), [later]).order_id == 1


def test_it_prefers_meta_over_number_over_email():
    meta, named, by_email = candidate(1, products=()), candidate(2, number="4321", products=()), candidate(3)
    text = "zamówienie 4321"
    assert link_order(facts(text=text, remote_order_id=meta.remote_id), [by_email, named, meta]).order_id == 1
    assert link_order(facts(text=text), [by_email, named, meta]).order_id == 2
    assert link_order(facts(), [by_email, named, meta]).order_id == 3
