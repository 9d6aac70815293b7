"""Negativity of review text in Polish, English and Latvian (the "3★ with negative text" rule)."""
import unicodedata

import pytest

from crisisdesk.domain.sentiment import detect_language, score_text


@pytest.mark.parametrize("text, language", [
    ("The parcel arrived two weeks late.", "en"),
    ("Przesyłka dotarła po dwóch tygodniach.", "pl"),
    ("Sūtījums pienāca pēc divām nedēļām.", "lv"),
    ("Zamowienie przyszlo uszkodzone", "pl"),  # typed without Polish letters
    ("Prece ir, bet nav tā", "lv"),
    ("", "en"),
])
def test_it_detects_the_language(text, language):
    assert detect_language(text) == language


def test_it_detects_latvian_written_with_decomposed_letters():
    # "ā" as a + combining macron (NFD), as some keyboards and browsers send it.
    decomposed = unicodedata.normalize("NFD", "Sūtījums nepienāca")
    assert decomposed != "Sūtījums nepienāca"
    assert detect_language(decomposed) == "lv"
    result = score_text(decomposed)
    assert result.language == "lv" and result.label == "negative"


def test_it_lets_latvian_win_a_tie():
    assert detect_language("ir nie") == "lv"


@pytest.mark.parametrize("text", [
    "Produkt przyszedł uszkodzony.",
    "Paczka dotarła uszkodzona.",
    "Dostałem uszkodzonego czajnika.",
    "Towar uszkodzone opakowanie",
    "Kurier zgubił paczkę, zaginiona od tygodnia.",
    "Przesyłka spóźniona o tydzień, czajnik wadliwy.",
])
def test_it_recognises_inflected_polish_complaints(text):
    result = score_text(text)
    assert result.language == "pl"
    assert result.label == "negative"
    assert result.score <= -0.25


def test_it_reads_nie_polecam_as_negative_although_polecam_is_praise():
    assert score_text("Polecam ten sklep").label == "positive"
    result = score_text("Nie polecam tego sklepu")
    assert result.score == -1.0
    assert "nie polecam" in result.triggers


def test_it_flips_a_term_right_after_a_negation():
    assert score_text("Obsługa nie dobra").score < 0  # "dobr" after "nie"
    assert score_text("not bad at all").score > 0
    assert score_text("Not good, not helpful").label == "negative"
    assert score_text("Prece nav laba").label == "negative"


def test_it_reads_bez_problemu_as_praise_in_polish():
    result = score_text("Wszystko bez problemu, polecam")
    assert result.language == "pl"
    assert result.label == "positive"


@pytest.mark.parametrize("text", [
    "Prece bija sabojāta un kavējās.",
    "Ļoti slikta kvalitāte, prece salauzta.",
    "Sūtījums nepienāca, neiesaku šo veikalu.",
    "Briesmīgi, nekad vairs nepirkšu.",
])
def test_it_recognises_latvian_complaints(text):
    result = score_text(text)
    assert result.language == "lv"
    assert result.label == "negative"


def test_it_recognises_latvian_praise():
    result = score_text("Ļoti labi, ātra piegāde, iesaku!")
    assert result.language == "lv" and result.label == "positive"


@pytest.mark.parametrize("text", [
    "The kettle arrived broken and the refund never came.",
    "Terrible service, the package never arrived.",
    "It stopped working after a day. Useless.",
    "I do not recommend this shop",
])
def test_it_recognises_english_complaints(text):
    assert score_text(text).label == "negative"


@pytest.mark.parametrize("text", ["Great kettle, fast delivery, thank you!", "Okay product, works well"])
def test_it_recognises_english_praise(text):
    assert score_text(text).label == "positive"


def test_it_does_not_read_okolo_as_ok():
    # "około" is Polish for "about": waiting "about three weeks" is not praise.
    result = score_text("Czekałem około 3 tygodni, paczka uszkodzona")
    assert result.score == -1.0
    assert result.triggers == ["uszkodz"]


def test_it_does_not_read_a_latvian_month_as_ok():
    assert score_text("Pasūtīju oktobrī, prece bojāta").score == -1.0


def test_it_still_reads_a_plain_ok_as_mildly_positive():
    assert score_text("Wszystko ok").label == "positive"


def test_it_is_neutral_when_nothing_is_recognised():
    result = score_text("The parcel contained a kettle.")
    assert (result.score, result.label, result.triggers) == (0.0, "neutral", [])


def test_it_balances_mixed_text():
    result = score_text("Fast delivery but the kettle was broken")
    assert result.score == 0.0
    assert result.label == "neutral"
    assert result.triggers == ["fast", "broken"]


def test_it_keeps_the_score_between_minus_one_and_one():
    for text in ["bad bad bad awful", "great great excellent", "bad great", "Nie polecam, nie polecam"]:
        assert -1.0 <= score_text(text).score <= 1.0


def test_it_uses_the_thresholds_it_is_given():
    text = "Fast delivery, but broken and late"  # 1 positive, 2 negative: -0.333
    assert score_text(text).label == "negative"
    assert score_text(text, negative_threshold=-0.5).label == "neutral"


def test_it_is_case_insensitive():
    assert score_text("NIE POLECAM").score == score_text("nie polecam").score == -1.0
