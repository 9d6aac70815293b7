"""domain.cause_detection: causes, sentiment and evidence for reviews in Polish, English and Latvian."""
import unicodedata

import pytest

from crisisdesk.domain.cause_detection import classify
from crisisdesk.domain.causes import CAUSE_NAMES


def evidence_words(result, cause):
    return [found.text for found in result.evidence[cause]]


# --- every cause, in every language ---------------------------------------------------------------------------

@pytest.mark.parametrize("language, cause, text", [
    ("pl", "late_delivery", "Przesyłka spóźniła się o tydzień."),
    ("pl", "damaged_or_defective", "Ekran przyszedł pęknięty."),
    ("pl", "wrong_or_missing_item", "Dostałam zły rozmiar butów."),
    ("pl", "refund_or_payment", "Sklep odmówił zwrotu pieniędzy."),
    ("pl", "price_or_hidden_fees", "Ukryte opłaty doliczone dopiero w koszyku."),
    ("pl", "customer_service", "Nikt nie odpowiada na moje maile."),
    ("pl", "security_or_fraud", "Ktoś przejął moje konto w sklepie."),
    ("pl", "other", "Okropny zapach, nie da się używać."),
    ("en", "late_delivery", "My parcel is two weeks late."),
    ("en", "damaged_or_defective", "The handle had snapped when I opened the box."),
    ("en", "wrong_or_missing_item", "You sent me the wrong colour."),
    ("en", "refund_or_payment", "I was charged twice for one order."),
    ("en", "price_or_hidden_fees", "There was a hidden fee at checkout."),
    ("en", "customer_service", "Nobody answers the phone."),
    ("en", "security_or_fraud", "My account was hacked after ordering here."),
    ("en", "other", "Awful. A waste of time."),
    ("lv", "late_delivery", "Sūtījums kavējas jau nedēļu."),
    ("lv", "damaged_or_defective", "Krūze atnāca saplīsusi."),
    ("lv", "wrong_or_missing_item", "Atsūtīja nepareizu krāsu."),
    ("lv", "refund_or_payment", "Veikals atsakās atmaksāt naudu."),
    ("lv", "price_or_hidden_fees", "Grozā parādījās slēptas maksas."),
    ("lv", "customer_service", "Uz e-pastiem neviens neatbild."),
    ("lv", "security_or_fraud", "Mans konts tika uzlauzts."),
    ("lv", "other", "Briesmīga pieredze, nekad vairs."),
])
def test_it_reaches_every_cause_in_every_language(language, cause, text):
    result = classify(text)
    assert (result.language, result.causes, result.sentiment) == (language, [cause], "negative")
    assert result.evidence[cause]


def test_it_covers_every_cause_name_in_the_table_above():
    covered = {cause for _, cause, _ in test_it_reaches_every_cause_in_every_language.pytestmark[0].args[1]}
    assert covered == set(CAUSE_NAMES)


# --- Polish inflection and text typed without diacritics --------------------------------------------------------

@pytest.mark.parametrize("text, word", [
    ("Dostawa trwała trzy tygodnie.", "Dostawa"),
    ("Brak dostawy od miesiąca.", "dostawy"),
    ("Od tygodnia czekam na dostawę.", "dostawę"),
    ("Czekam na wieści o dostawie od 10 dni.", "dostawie"),
])
def test_it_reads_every_case_of_dostawa_as_the_delivery_being_late(text, word):
    result = classify(text)
    assert result.causes == ["late_delivery"]
    assert word in evidence_words(result, "late_delivery")


@pytest.mark.parametrize("text, word", [
    ("Telewizor uszkodzony.", "uszkodzony"),
    ("Paczka przyszła uszkodzona.", "uszkodzona"),
    ("Uszkodzone opakowanie i sam produkt.", "Uszkodzone"),
    ("Dostałem uszkodzonego czajnika.", "uszkodzonego"),
])
def test_it_reads_every_form_of_uszkodzony_as_damage(text, word):
    result = classify(text)
    assert result.causes == ["damaged_or_defective"]
    assert evidence_words(result, "damaged_or_defective") == [word]


@pytest.mark.parametrize("text, cause, word", [
    ("Paczka nie dotarła.", "late_delivery", "Paczka"),
    ("Nie dostałem paczki.", "late_delivery", "paczki"),
    ("Kurier zgubił moją paczkę.", "late_delivery", "zgubił"),
    ("W paczce brakowało ładowarki.", "wrong_or_missing_item", "ładowarki"),
])
def test_it_reads_every_case_of_paczka(text, cause, word):
    result = classify(text)
    assert result.causes == [cause]
    assert word in evidence_words(result, cause)


@pytest.mark.parametrize("text, cause", [
    ("przesylka spozniona o tydzien", "late_delivery"),
    ("paczka przyszla uszkodzona", "damaged_or_defective"),
    ("nadal czekam na zwrot pieniedzy", "refund_or_payment"),
    ("zamowienie niezgodne z opisem", "wrong_or_missing_item"),
    ("sutijums kavejas jau 2 nedelas", "late_delivery"),
    ("prece atnaca bojata", "damaged_or_defective"),
    ("neviens neatbild uz zinam", "customer_service"),
])
def test_it_reads_text_typed_without_polish_or_latvian_letters(text, cause):
    assert classify(text).causes == [cause]


@pytest.mark.parametrize("text", ["Paka nav atnākusi jau divas nedēļas.", "Pasūtījums vēl nav atnācis.",
                                  "Sūtījums joprojām nepienāk."])
def test_it_reads_a_latvian_parcel_that_has_not_come_in_either_gender(text):
    # atnācis / atnākusi: the masculine and feminine past participles of "to come" have different stems.
    result = classify(text)
    assert (result.causes, result.sentiment) == (["late_delivery"], "negative")


def test_it_detects_latvian_typed_without_its_letters():
    assert classify("sutijums kavejas jau 2 nedelas").language == "lv"


# --- negation ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Nie polecam.",
    "Nie polecam tego sklepu, nigdy więcej.",
    "nie polecam",
])
def test_it_reads_nie_polecam_as_negative(text):
    result = classify(text)
    assert result.sentiment == "negative" and result.score < 0


@pytest.mark.parametrize("text", [
    "Paczka nie była uszkodzona, wszystko dobrze zapakowane.",
    "paczka nie byla uszkodzona",
    "The parcel was not damaged, thank you.",
    "Nothing was damaged.",
    "Sūtījums nebija bojāts, paldies.",
    "Prece bez uszkodzeń.",
    "Nie było żadnych opóźnień.",
    "No delays at all.",
])
def test_it_does_not_read_a_denied_complaint_as_one(text):
    result = classify(text)
    assert result.causes == []
    assert result.sentiment != "negative"


@pytest.mark.parametrize("text", [
    "Paczka nie dotarła.",
    "Przesyłka nie dotarła do dziś.",
    "My order never arrived.",
    "The parcel still hasn't arrived.",
    "Sūtījums nav pienācis.",
    "Paka joprojām nav pienākusi.",
])
def test_it_reads_a_negation_that_is_the_complaint_as_late_delivery(text):
    result = classify(text)
    assert result.causes == ["late_delivery"]
    assert result.sentiment == "negative"


def test_it_keeps_a_complaint_after_but():
    result = classify("Kurier się nie spóźnił, ale paczka przyszła uszkodzona.")
    assert result.causes == ["damaged_or_defective"]


def test_it_reads_not_only_as_adding_a_complaint():
    assert classify("Not only did it arrive late, the lid was cracked too.").causes == [
        "late_delivery", "damaged_or_defective"]


# --- what a non-arrival is about ------------------------------------------------------------------------------

@pytest.mark.parametrize("text, cause", [
    ("Zwrot pieniędzy nadal nie dotarł.", "refund_or_payment"),
    ("Still waiting for my refund.", "refund_or_payment"),
    ("Atmaksa joprojām nav pienākusi.", "refund_or_payment"),
    ("Czekam na odpowiedź od tygodnia.", "customer_service"),
    ("They promised a callback that never came.", "customer_service"),
    ("Czekam na paczkę od tygodnia.", "late_delivery"),
])
def test_it_gives_waiting_the_cause_of_what_is_awaited(text, cause):
    assert classify(text).causes == [cause]


# --- several causes, mixed languages, order -------------------------------------------------------------------

def test_it_finds_several_causes_in_one_text():
    result = classify("Paczka szła trzy tygodnie, przyszła uszkodzona, a obsługa nie odpisuje na maile.")
    assert set(result.causes) == {"late_delivery", "damaged_or_defective", "customer_service"}
    assert "other" not in result.causes


def test_it_orders_causes_by_strength():
    result = classify("Broken on arrival, the glass cracked and the handle snapped. It also came a day late.")
    assert result.causes == ["damaged_or_defective", "late_delivery"]


@pytest.mark.parametrize("text, causes", [
    ("Zamówienie #7781 – paczka nie dotarła, and customer service never replied.",
     {"late_delivery", "customer_service"}),
    ("The kettle is nice but arrived uszkodzony.", {"damaged_or_defective"}),
    ("Prece ok, bet the refund never came.", {"refund_or_payment"}),
    ("Great shop, tikai sūtījums kavējās.", {"late_delivery"}),
])
def test_it_finds_causes_in_mixed_language_text(text, causes):
    assert set(classify(text).causes) == causes


# --- evidence -------------------------------------------------------------------------------------------------

def test_it_points_the_evidence_at_the_words_in_the_original_text():
    text = "The kettle arrived BROKEN and the refund never came."
    result = classify(text)
    assert [(e.text, e.start, e.end) for e in result.evidence["damaged_or_defective"]] == [("BROKEN", 19, 25)]
    assert [(e.text, e.start, e.end) for e in result.evidence["refund_or_payment"]] == [
        ("refund", 34, 40), ("never came", 41, 51)]


@pytest.mark.parametrize("text", [
    "Zamówienie nr 4411: przesyłka spóźniona, ekran pęknięty, obsługa nie odpisuje!",
    "  Paczka  nie dotarła…  Zwrot pieniędzy? Brak.  ",
    "Sūtījums kavējās, un kastē trūka lādētāja.",
    "Ordered 3, received 2 – and they charged me twice.",
])
def test_every_evidence_span_is_a_slice_of_the_original_text(text):
    result = classify(text)
    assert result.evidence
    for found in (e for spans in result.evidence.values() for e in spans):
        assert text[found.start:found.end] == found.text


def test_it_maps_evidence_back_through_decomposed_letters():
    text = unicodedata.normalize("NFD", "Ļoti ilgi gaidīju. Prece bojāta.")
    result = classify(text)
    assert result.language == "lv" and "damaged_or_defective" in result.causes
    (found,) = result.evidence["damaged_or_defective"]
    assert text[found.start:found.end] == found.text
    assert unicodedata.normalize("NFC", found.text) == "bojāta"


def test_it_shows_the_negative_words_as_the_evidence_for_other():
    result = classify("Fatalne. Nigdy więcej!")
    assert result.causes == ["other"]
    assert [e.text for e in result.evidence["other"]] == ["Fatalne", "Nigdy więcej"]


# --- sentiment, unknown and empty text ----------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Wszystko super, polecam!",
    "Great quality and fast delivery, thank you!",
    "Viss ļoti labi, paldies!",
    "Zwrot przyjęli bez problemu, pieniądze wróciły po 3 dniach. Super.",
])
def test_it_reads_praise_as_positive_without_causes(text):
    result = classify(text)
    assert (result.sentiment, result.causes) == ("positive", [])
    assert result.score > 0


@pytest.mark.parametrize("text", ["", "   ", "12345 ???", "Lorem ipsum dolor sit amet", "🙂🙂"])
def test_it_gives_unknown_or_empty_text_no_cause(text):
    result = classify(text)
    assert (result.sentiment, result.score, result.causes, result.evidence) == ("neutral", 0.0, [], {})
    assert result.language in ("pl", "en", "lv")


def test_it_accepts_none_as_empty_text():
    assert classify(None).causes == []


def test_it_uses_the_language_it_is_given():
    assert classify("Paczka nie dotarła", language="en").language == "en"
    assert classify("Paczka nie dotarła", language="de").language == "pl"  # unknown: detected instead


@pytest.mark.parametrize("text", [
    "bad bad bad awful", "Nie polecam, nie polecam, paczka uszkodzona, zwrot odrzucony", "super super", ""])
def test_it_keeps_the_score_between_minus_one_and_one(text):
    assert -1.0 <= classify(text).score <= 1.0


def test_it_is_deterministic():
    text = "Przesyłka spóźniona, a obsługa nie odpisuje. Nie polecam."
    assert classify(text) == classify(text)


def test_its_dict_has_the_command_line_shape():
    as_dict = classify("The parcel never arrived.").as_dict()
    assert list(as_dict) == ["language", "sentiment", "score", "causes", "evidence"]
    assert as_dict["evidence"]["late_delivery"][0] == {"text": "parcel", "start": 4, "end": 10}


# --- the labelled evaluation set (bench/eval_causes.py): well-formed, not scored here --------------------------

def test_the_evaluation_set_is_well_formed():
    import json
    from pathlib import Path

    path = Path(__file__).resolve().parents[3] / "bench" / "data" / "cause_eval.jsonl"
    items = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(items) >= 360
    assert len({item["id"] for item in items}) == len(items)
    for item in items:
        assert {"id", "language", "text", "causes", "sentiment", "split"} <= set(item), item
        assert item["language"] in ("pl", "en", "lv") and item["id"].startswith(item["language"] + "-"), item
        assert item["text"].strip() and "\n" not in item["text"], item
        assert set(item["causes"]) <= set(CAUSE_NAMES) and len(set(item["causes"])) == len(item["causes"]), item
        assert item["sentiment"] in ("negative", "neutral", "positive"), item
        assert item["split"] in ("dev", "holdout"), item
        # "other" means: negative, and none of the specific causes
        assert "other" not in item["causes"] or (item["causes"] == ["other"] and item["sentiment"] == "negative")
    for language in ("pl", "en", "lv"):
        of_language = [item for item in items if item["language"] == language]
        assert len(of_language) >= 120, language
        assert {c for item in of_language for c in item["causes"]} == set(CAUSE_NAMES), language
        assert any(not item["causes"] for item in of_language), language  # texts with no complaint too
    assert sum(item["split"] == "holdout" for item in items) >= len(items) / 4
    assert sum("mixed" in item.get("tags", []) for item in items) >= 15
