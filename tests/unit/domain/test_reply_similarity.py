"""domain.reply_similarity: the "no canned answers" warning."""
from dataclasses import replace

import pytest

from crisisdesk.domain.reply_drafts import DraftContext, draft_reply
from crisisdesk.domain.reply_similarity import (
    Candidate, Match, normalise_for_similarity, similar_replies, similarity)

EARLIER = (
    "Dzień dobry, Anna,\n\nprzepraszamy, że Twoje zamówienie nr 1042 nie dotarło na czas. Sprawdziliśmy z "
    "kurierem, gdzie utknęło, i od teraz sami pilnujemy opóźnionych paczek. Zwracamy Ci 49,00 zł za dostawę.\n\n"
    "Pozdrawiamy,\nMarta"
)
SAME_WITH_OTHER_NAME_AND_ORDER = (
    "Dzień dobry, Piotr,\n\nprzepraszamy, że Twoje zamówienie nr 2077 nie dotarło na czas. Sprawdziliśmy z "
    "kurierem, gdzie utknęło, i od teraz sami pilnujemy opóźnionych paczek. Zwracamy Ci 15,50 zł za dostawę.\n\n"
    "Pozdrawiamy,\nMarta"
)
DIFFERENT = (
    "Dzień dobry, Piotrze,\n\nbardzo nam przykro, że czajnik przyszedł z pękniętą pokrywką. To nasza wina: "
    "karton był za słaby. Nowy czajnik wyjechał dziś rano w podwójnym opakowaniu, a w kolejnych wysyłkach "
    "dokładamy piankę. Na kolejne zakupy masz u nas kod na 15%.\n\nMarta ze Sklepu Kuchnia"
)


def test_it_flags_a_reply_that_differs_only_in_name_order_and_amount():
    matches = similar_replies(Candidate(SAME_WITH_OTHER_NAME_AND_ORDER, "piotr"), [(41, EARLIER, "anna")])
    assert len(matches) == 1
    assert matches[0].reply_id == 41 and matches[0].recipient_key == "anna"
    assert matches[0].similarity > 0.8
    assert matches[0].percent == 100


def test_it_does_not_flag_a_genuinely_different_reply():
    assert similarity(DIFFERENT, EARLIER) < 0.5
    assert similar_replies(Candidate(DIFFERENT, "piotr"), [(41, EARLIER, "anna")]) == []


def test_it_skips_replies_to_the_same_recipient():
    assert similar_replies(Candidate(SAME_WITH_OTHER_NAME_AND_ORDER, "anna"), [(41, EARLIER, "anna")]) == []


def test_a_draft_without_a_recipient_is_compared_with_every_reply():
    assert [m.reply_id for m in similar_replies((EARLIER, None), [(41, EARLIER, "anna")])] == [41]


def test_it_returns_matches_most_similar_first_with_ties_in_the_given_order():
    slightly_changed = EARLIER.replace("Pozdrawiamy,", "Pozdrawiamy serdecznie i do usłyszenia,")
    earlier = [
        (7, slightly_changed, "ola"),
        (8, DIFFERENT, "jan"),
        (9, EARLIER, "anna"),
        (10, EARLIER, "ewa"),
    ]
    matches = similar_replies(Candidate(SAME_WITH_OTHER_NAME_AND_ORDER, "piotr"), earlier, threshold=0.5)
    assert [m.reply_id for m in matches] == [9, 10, 7]
    assert matches[0].similarity == matches[1].similarity > matches[2].similarity >= 0.5
    assert all(isinstance(m, Match) for m in matches)


def test_the_threshold_decides_what_is_returned():
    earlier = [(1, DIFFERENT, "jan")]
    score = similarity(SAME_WITH_OTHER_NAME_AND_ORDER, DIFFERENT)
    assert similar_replies(Candidate(SAME_WITH_OTHER_NAME_AND_ORDER, "x"), earlier, threshold=score)
    assert not similar_replies(Candidate(SAME_WITH_OTHER_NAME_AND_ORDER, "x"), earlier, threshold=score + 0.01)


def test_it_masks_the_recipient_names_passed_in_even_inflected():
    mine = "Wiemy, Anno, że to był dla Ciebie zły tydzień, i przepraszamy za opóźnienie paczki."
    theirs = "Wiemy, Piotrze, że to był dla Ciebie zły tydzień, i przepraszamy za opóźnienie paczki."
    assert similarity(mine, theirs) < 0.8
    assert similarity(mine, theirs, names=("Anna", "Piotr")) == 1.0
    matches = similar_replies(Candidate(mine, "anna", names=("Anna",)), [(3, theirs, "piotr", ("Piotr",))])
    assert [m.reply_id for m in matches] == [3]


@pytest.mark.parametrize("text, expected", [
    ("Hello Anna Maria,\nThanks!", "hello <name> thanks"),
    ("Hello there, thanks!", "hello there thanks"),
    ("Dzień dobry, Łucja,", "dzien dobry <name>"),
    ("Labdien, Jānis! Paldies.", "labdien <name> paldies"),
    ("Order #1042 and nr 77-A", "order <num> and nr <num>"),
    ("Refund: 49.00 PLN, or €15, or 10 %", "refund <num> or <num> or <num>"),
    ("Write to anna.kowalska@example.com or https://shop.example/help", "write to <email> or <url>"),
    ("  ZAMÓWIENIE   ŻÓŁTE\n\tłóżko ", "zamowienie zolte lozko"),
])
def test_it_normalises_case_diacritics_whitespace_and_masks_what_may_differ(text, expected):
    assert normalise_for_similarity(text) == expected


def test_it_compares_drafts_for_different_customers_as_near_identical():
    # Two untouched drafts for the same cause and remedy are what the warning is for.
    base = DraftContext(language="pl", customer_first_name="Anna", order_number="1042", product_name="Czajnik",
                        causes=["late_delivery"], remedy="refund", remedy_detail="49.00 PLN", shop_name="Sklep")
    first = draft_reply(base)
    second = draft_reply(replace(base, customer_first_name="Piotr", order_number="2077", remedy_detail="12 PLN"))
    other_cause = draft_reply(replace(base, causes=["damaged_or_defective"], remedy="coupon"))
    assert [m.reply_id for m in similar_replies(first, [(1, second.text, "piotr")])] == [1]
    assert similarity(first.text, other_cause.text) < 0.5


def test_it_handles_empty_and_short_texts():
    assert similar_replies(Candidate("", "a"), [(1, "", "b")]) == []
    assert similarity("Thanks!", "Thanks!") == 1.0
    assert similarity("", "Thanks!") == 0.0
