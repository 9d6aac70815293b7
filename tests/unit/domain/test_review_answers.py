"""domain.review_answers: which answer a review without a case calls for, and a personal draft of it in pl, en, lv;
domain.moderation: when a held negative review becomes a warning."""
import re
from datetime import datetime, timedelta, timezone

import pytest

from crisisdesk.domain import moderation
from crisisdesk.domain.cause_detection import classify
from crisisdesk.domain.review_answers import AnswerContext, answer_kind, draft_answer, has_suggestion, rating_class


def draft(text, rating, language=None, **context):
    found = classify(text)
    return draft_answer(AnswerContext(language=language or found.language, rating=rating, text=text,
                                      causes=tuple(found.causes), sentiment=found.sentiment,
                                      **{"first_name": "Anna", "product_name": "Kubek Lab",
                                         "signature": "Kuba, Shop A", **context}))


@pytest.mark.parametrize("text, rating, kind, words", [
    ("Świetny kubek, polecam!", 5, "thanks",
     "Anna, dziękujemy za opinię o produkcie „Kubek Lab”! Bardzo nas cieszy"),
    ("Fajny kubek, ale mógłby być trochę większy.", 3, "suggestion",
     "Anna, dziękujemy za opinię o produkcie „Kubek Lab” i za sugestię."),
    ("Nice mug but delivery took two weeks.", 4, "point", "You are right to mention the delivery time:"),
    ("Vidēji. Piegāde kavējās.", 3, "point", "Jums ir taisnība par piegādes laiku:"),
    ("Average.", 3, "neutral", "We would like to know what was missing for you"),
    ("Would be nice in blue.", 5, "suggestion", "and for your suggestion."),
    ("Būtu labi, ja krūzei būtu vāks.", 4, "suggestion", "un par ieteikumu."),
])
def test_it_drafts_the_answer_the_review_calls_for_in_its_language(text, rating, kind, words):
    result = draft(text, rating)

    assert result.kind == kind
    assert words in result.text
    assert result.text.endswith("\n\nKuba, Shop A")


def test_it_answers_a_negative_review_without_a_case_on_its_point_whatever_else_it_says():
    assert answer_kind(2, "Could be better.") == "point"
    assert "what did not work out" in draft("Meh.", 1, "en").text


def test_it_leaves_out_a_name_that_is_not_one_and_a_missing_product():
    result = draft("Great!", 5, "en", first_name="grace@example.com", product_name="", signature="")

    assert result.text == ("Thank you for your review! We are really glad it lived up to your expectations, and it "
                           "means a lot that you took the time to tell others about it.")


def test_it_writes_english_for_a_language_it_has_no_texts_for():
    assert draft("Gut", 5, "de").language == "en"


def test_it_never_mentions_the_rating_or_asks_for_a_better_one():
    for language in ("pl", "en", "lv"):
        for text, rating in (("Super", 5), ("Mogłoby być lepiej", 3), ("Average", 3), ("Late delivery", 4)):
            answer = draft(text, rating, language).text
            assert not re.search(r"(?i)\b(?:stars?|gwiazd|zvaigzn|rating|ocen|vērtējum)", answer), answer


def test_it_notices_suggestions_but_not_a_missing_item():
    assert has_suggestion("Przydałby się uchwyt.") and has_suggestion("I wish it came in red")
    assert not has_suggestion("Brakuje jednej części.") and not has_suggestion("Great mug")


def test_it_classes_ratings_as_the_dashboard_does():
    assert [rating_class(r) for r in (0, 1, 2, 3, 4, 5)] == [None, "negative", "negative", "neutral", "positive",
                                                             "positive"]


def test_a_negative_held_review_becomes_a_warning_at_the_shops_time():
    since = datetime(2026, 11, 22, 12, 0, tzinfo=timezone.utc)
    due = since + timedelta(hours=24)

    assert not moderation.is_overdue("hold", since, True, 24, due - timedelta(seconds=1))
    assert moderation.is_overdue("hold", since, True, 24, due)
    assert not moderation.is_overdue("approved", since, True, 24, due)
    assert not moderation.is_overdue("hold", since, moderation.is_negative(4, has_case=False), 24, due)
    assert moderation.is_negative(4, has_case=True) and moderation.is_negative(2, has_case=False)
    assert moderation.validate_hours(0) and moderation.validate_hours(721) and moderation.validate_hours(True)
    assert moderation.validate_hours(48) is None
