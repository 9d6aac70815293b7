"""domain.five_p: which of the 5P steps a reply covers, in Polish, English and Latvian."""
import unicodedata

import pytest

from crisisdesk.domain.five_p import POLISH_NAMES, STEPS, check, fold, fold_with_offsets

FULL = {
    "pl": "Przepraszamy za opóźnienie, to nasz błąd. Wysłaliśmy dziś nową paczkę, a od teraz zmieniliśmy "
          "przewoźnika. Na przeprosiny dostaniesz kod rabatowy.",
    "en": "We are sorry for the delay; that's on us. We have sent a new parcel today, and from now on we use "
          "another carrier. You will also get a discount code.",
    "lv": "Atvainojamies par kavēšanos, tā ir mūsu kļūda. Nosūtīsim jaunu paku, un mainījām kurjeru. "
          "Jums pienākas atlaides kods.",
}


@pytest.mark.parametrize("language", sorted(FULL))
def test_it_finds_all_five_steps_in_each_language(language):
    coverage = check(FULL[language], language)
    assert coverage.language == language
    assert coverage.covered == STEPS
    assert coverage.missing == () and coverage.complete and coverage.hints == ()


@pytest.mark.parametrize("language, text, step, phrase", [
    # Polish inflected forms
    ("pl", "Przepraszam za to.", "apologise", "Przepraszam"),
    ("pl", "Należą Ci się przeprosiny.", "apologise", "przeprosiny"),
    ("pl", "Bardzo nam przykro.", "apologise", "nam przykro"),
    ("pl", "Przykro nam, że tak wyszło.", "apologise", "Przykro nam"),
    ("pl", "To była nasza wina.", "admit", "nasza wina"),
    ("pl", "Pomyliliśmy się przy pakowaniu.", "admit", "Pomyliliśmy"),
    ("pl", "Nie dotrzymaliśmy terminu.", "admit", "Nie dotrzymaliśmy"),
    ("pl", "Wyślemy nową paczkę.", "act", "Wyślemy"),
    ("pl", "Nadaliśmy przesyłkę rano.", "act", "Nadaliśmy"),
    ("pl", "Wprowadziliśmy podwójną kontrolę.", "improve", "Wprowadziliśmy"),
    ("pl", "Zmienimy opakowania.", "improve", "Zmienimy"),
    ("pl", "Zwrócimy pieniądze.", "compensate", "Zwrócimy"),
    ("pl", "Zwracamy koszt przesyłki.", "compensate", "Zwracamy"),
    ("pl", "Otrzymasz zniżkę.", "compensate", "zniżkę"),
    ("pl", "Przysługuje Ci zwrot.", "compensate", "zwrot"),
    # English
    ("en", "Please accept our apologies.", "apologise", "apologies"),
    ("en", "I apologize for the mix-up.", "apologise", "apologize"),
    ("en", "We got it wrong.", "admit", "We got it wrong"),
    ("en", "That’s on us.", "admit", "That’s on us"),  # typographic apostrophe
    ("en", "We've arranged a courier.", "act", "We've arranged"),
    ("en", "We are sending a new one.", "act", "We are sending"),
    ("en", "We have changed our supplier.", "improve", "We have changed"),
    ("en", "We will check every box to make sure this doesn't happen again.", "improve", "to make sure"),
    ("en", "Here is a voucher.", "compensate", "voucher"),
    ("en", "A replacement is on its way.", "compensate", "replacement"),
    # Latvian
    ("lv", "Atvainojiet, lūdzu.", "apologise", "Atvainojiet"),
    ("lv", "Mums ļoti žēl.", "apologise", "žēl"),
    ("lv", "Lūdzu, pieņemiet mūsu atvainošanos.", "apologise", "atvainošanos"),
    ("lv", "Atmaksa tiks veikta rīt.", "compensate", "Atmaksa"),
    ("lv", "Atmaksāsim visu summu.", "compensate", "Atmaksāsim"),
    ("lv", "Uzlabojām iepakojumu.", "improve", "Uzlabojām"),
])
def test_it_matches_inflected_forms(language, text, step, phrase):
    coverage = check(text, language)
    assert phrase in [evidence.phrase for evidence in coverage[step].evidence]


@pytest.mark.parametrize("language, text, step", [
    ("pl", "Przepraszamy, to nasz blad. Wyslalismy nowa paczke, zmienilismy kuriera, zwrocimy koszty.", None),
    ("pl", "Przykro nam.", "apologise"),
    ("pl", "Otrzymasz znizke.", "compensate"),
    ("lv", "Atvainojamies, tā ir musu kluda. Nosutisim jaunu, mainijam kurjeru, atmaksasim naudu.", None),
    ("lv", "Mums loti zel.", "apologise"),
    ("lv", "Atlaides kods jau ir jūsu e-pastā.", "compensate"),
])
def test_it_matches_text_typed_without_diacritics(language, text, step):
    coverage = check(text, language)
    if step is None:
        assert coverage.complete
    else:
        assert coverage[step].covered


def test_it_matches_decomposed_letters_and_keeps_offsets_in_the_original():
    text = unicodedata.normalize("NFD", "Mums ļoti žēl. Atmaksāsim naudu.")
    coverage = check(text, "lv")
    apology = coverage["apologise"].evidence[0]
    refund = coverage["compensate"].evidence[0]
    assert text[apology.start:apology.end] == apology.phrase
    assert unicodedata.normalize("NFC", apology.phrase) == "žēl"
    assert unicodedata.normalize("NFC", refund.phrase) == "Atmaksāsim"


@pytest.mark.parametrize("language, text", [
    ("en", "We are not sorry about this."),
    ("en", "We aren't sorry."),
    ("en", "We will never apologise for our prices."),
    ("pl", "Nie przepraszamy, bo nie ma za co."),
    ("pl", "Nie jest nam przykro."),
    ("pl", "Nie ma za co przepraszać."),
    ("lv", "Mums nav žēl."),
])
def test_it_does_not_count_a_negated_apology(language, text):
    step = check(text, language)["apologise"]
    assert not step.covered
    assert step.evidence == () and len(step.negated) == 1


@pytest.mark.parametrize("language, text", [
    ("en", "The delay was bad, and we are sorry."),
    ("en", "We are not only sorry, we are fixing it."),
    ("pl", "Nie tylko przepraszamy, ale też naprawiamy."),
    ("pl", "Paczka nie dotarła, przepraszamy."),
    ("lv", "Paka nepienāca, un mums ļoti žēl."),
])
def test_it_still_counts_an_apology_near_an_unrelated_negation(language, text):
    assert check(text, language)["apologise"].covered


def test_it_does_not_count_a_negated_refund():
    assert not check("We will not refund this order.", "en")["compensate"].covered
    assert not check("Nie zwrócimy pieniędzy.", "pl")["compensate"].covered


def test_it_does_not_read_pay_attention_as_a_refund():
    assert not check("Zwróciliśmy uwagę na Twoją opinię.", "pl")["compensate"].covered


def test_it_reports_evidence_with_offsets_into_the_original_text():
    text = "Dzień dobry, przepraszamy. To nasz błąd."
    coverage = check(text, "pl")
    apology = coverage["apologise"].evidence
    admit = coverage["admit"].evidence
    assert [(e.phrase, e.start, e.end) for e in apology] == [("przepraszamy", 13, 25)]
    assert [(e.phrase, e.start, e.end) for e in admit] == [("nasz błąd", 30, 39)]
    assert all(text[e.start:e.end] == e.phrase for e in apology + admit)


def test_it_reports_missing_steps_in_order_with_hints_naming_the_polish_step():
    coverage = check("We are sorry. We have sent a new parcel.", "en")
    assert coverage.covered == ("apologise", "act")
    assert coverage.missing == ("admit", "improve", "compensate")
    assert not coverage.complete
    assert len(coverage.hints) == 3
    for step, hint in zip(coverage.missing, coverage.hints):
        assert POLISH_NAMES[step] in hint
        assert coverage[step].hint == hint and coverage[step].polish_name == POLISH_NAMES[step]
    assert "refund" in coverage["compensate"].hint


def test_it_reports_every_step_missing_for_an_empty_text():
    coverage = check("", "pl")
    assert coverage.missing == STEPS
    assert [s.step for s in coverage.steps] == list(STEPS)


def test_it_flags_a_repeated_apology():
    assert check("Przepraszamy za opóźnienie. Jeszcze raz bardzo przepraszamy!", "pl").repeated_apology
    assert not check("Przepraszamy za opóźnienie.", "pl").repeated_apology


@pytest.mark.parametrize("language", sorted(FULL))
def test_it_detects_the_language_when_none_is_given(language):
    assert check(FULL[language]).language == language


def test_it_detects_polish_and_latvian_typed_without_diacritics():
    assert check("Przepraszamy, to nasz blad, zwrocimy pieniadze.").language == "pl"
    assert check("Atvainojamies, tā ir musu kluda, atmaksasim naudu.").language == "lv"


def test_it_folds_case_and_diacritics_and_maps_every_character_back():
    folded, offsets = fold_with_offsets("ŁÓDŹ ß")
    assert folded == "lodz ss"
    assert offsets == [0, 1, 2, 3, 4, 5, 5]
    assert fold("Ļoti ŽĒL") == "loti zel"
