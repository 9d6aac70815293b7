"""domain.tone_check: blaming, defensive, repeated-apology, aggressive, no-substance and skipped-point hints in
Polish, English and Latvian; calm, concrete replies (and the drafts) raise none."""
import pytest

from crisisdesk.domain.cause_detection import classify
from crisisdesk.domain.reply_drafts import REMEDIES, DraftContext, draft_reply
from crisisdesk.domain.tone_check import EXPLANATIONS, KINDS, LABELS, check_tone

GOOD = {
    "pl": "Anno, przepraszamy za pęknięty czajnik: to nasz błąd przy pakowaniu. Wysłaliśmy dziś nowy, od teraz "
          "pakujemy czajniki w podwójny karton, a w ramach przeprosin dostaniesz kod rabatowy.",
    "en": "Anna, we are sorry your kettle arrived cracked: that's our packing mistake. We have sent a new one today, "
          "from now on kettles go out in a double box, and you will get a discount code as an apology.",
    "lv": "Anna, atvainojamies, ka tējkanna atnāca saplīsusi: tā ir mūsu kļūda. Nosūtījām jaunu, turpmāk "
          "iepakojam dubultā kastē, un kā atvainošanos saņemsiet atlaides kodu.",
}
CUSTOMER = {
    "pl": "Czajnik przyszedł uszkodzony, pokrywa pęknięta.",
    "en": "The kettle arrived damaged, the lid is cracked.",
    "lv": "Tējkanna atnāca bojāta, vāks ir saplīsis.",
}


def kinds(hints):
    return [hint.kind for hint in hints]


def only(hints, kind):
    [hint] = [h for h in hints if h.kind == kind]
    return hint


@pytest.mark.parametrize("language", sorted(GOOD))
def test_it_finds_nothing_in_a_calm_concrete_reply_that_answers_the_point(language):
    assert check_tone(GOOD[language], CUSTOMER[language], language) == []


@pytest.mark.parametrize("language, text, phrase", [
    ("pl", "To Pana wina, trzeba było sprawdzić rozmiar.", "Pana wina"),
    ("pl", "Powinna Pani przeczytać opis.", "Powinna Pani"),
    ("pl", "to pana wina", "pana wina"),
    ("en", "You should have read the description.", "You should have"),
    ("en", "It's your own fault, you didn't read the size chart.", "your own fault"),
    ("lv", "Tā ir jūsu vaina, jums vajadzēja izlasīt aprakstu.", "jūsu vaina"),
    ("lv", "Ta ir jusu vaina.", "jusu vaina"),  # typed without diacritics
])
def test_it_flags_blaming_the_customer(language, text, phrase):
    hint = only(check_tone(text, "", language), "blaming")
    assert hint.matches[0].text == phrase and text[hint.matches[0].start:hint.matches[0].end] == phrase
    assert hint.explanation == EXPLANATIONS["blaming"] and hint.source == "reply"


@pytest.mark.parametrize("language, text, phrases", [
    ("pl", "To nie nasza wina, regulamin jasno to opisuje, jak każdy wie.",
     ["nie nasza wina", "regulamin jasno", "jak każdy wie"]),
    ("en", "As clearly stated in our terms, this is not our fault.", ["As clearly stated", "not our fault"]),
    ("lv", "Tā nav mūsu vaina, noteikumos skaidri rakstīts.", ["Tā nav mūsu vaina", "noteikumos skaidri"]),
])
def test_it_flags_defensive_phrases(language, text, phrases):
    hint = only(check_tone(text, "", language), "defensive")
    assert [m.text for m in hint.matches] == phrases


@pytest.mark.parametrize("language, text", [
    ("pl", "Pomyliliśmy się – to nasz błąd, nie Twój. Nie trzeba było nas ponaglać."),
    ("en", "That was our mistake, not yours: it was not your fault at all."),
    ("lv", "Mēs kļūdījāmies, un tā nav jūsu vaina."),
])
def test_it_does_not_call_owning_the_mistake_blaming(language, text):
    assert "blaming" not in kinds(check_tone(text, "", language))


@pytest.mark.parametrize("language, text, count", [
    ("pl", "Przepraszamy za opóźnienie. Jeszcze raz bardzo przepraszamy, naprawdę nam przykro!", 3),
    ("en", "We are sorry. We apologise for the trouble.", 2),
    ("lv", "Atvainojamies par kavēšanos. Vēlreiz atvainojamies.", 2),
])
def test_it_flags_a_repeated_apology(language, text, count):
    assert len(only(check_tone(text, "", language), "repeated_apology").matches) == count


@pytest.mark.parametrize("language", sorted(GOOD))
def test_an_apology_offered_as_amends_is_not_a_second_apology(language):
    assert "repeated_apology" not in kinds(check_tone(GOOD[language], "", language))


@pytest.mark.parametrize("language, text, phrase", [
    ("pl", "Proszę się uspokoić, to bzdura.", "Proszę się uspokoić"),
    ("en", "Calm down, this complaint is ridiculous.", "Calm down"),
    ("lv", "Nomierinieties, tie ir meli.", "Nomierinieties"),
])
def test_it_flags_emotional_or_aggressive_words(language, text, phrase):
    hint = only(check_tone(text, "", language), "aggressive")
    assert hint.matches[0].text == phrase and len(hint.matches) == 2


@pytest.mark.parametrize("text, shouted", [
    ("We sent it ON TIME AS PROMISED, check your mailbox!!!", ["ON TIME AS PROMISED", "!!!"]),
    ("NIGDY WIĘCEJ takich opinii?!", ["NIGDY WIĘCEJ"]),  # "?!" has one "!": not shouting
    ("NIEPRAWDOPODOBNE, nepieņemami!!", ["NIEPRAWDOPODOBNE", "!!"]),
])
def test_it_reads_capitals_and_exclamation_marks_as_shouting(text, shouted):
    [hint] = [h for h in check_tone(text, "") if h.explanation == EXPLANATIONS["shouting"]]
    assert [m.text for m in hint.matches] == shouted and hint.kind == "aggressive"
    assert all(text[m.start:m.end] == m.text for m in hint.matches)


def test_it_leaves_short_acronyms_and_one_exclamation_mark_alone():
    assert check_tone("Wysłaliśmy paczkę przez DPD, kod rabatowy dostaniesz SMS-em. Dziękujemy!", "", "pl") == []


@pytest.mark.parametrize("language, text, redirect", [
    ("pl", "Przepraszamy za kłopot, proszę zadzwonić.", "proszę zadzwonić"),
    ("en", "Sorry about that, please call us.", "call us"),
    ("lv", "Atvainojamies, lūdzu zvaniet.", "lūdzu zvaniet"),
])
def test_it_flags_sorry_please_call_us_with_nothing_concrete(language, text, redirect):
    hint = only(check_tone(text, "", language), "no_substance")
    assert [m.text for m in hint.matches][-1] == redirect


@pytest.mark.parametrize("language, text", [
    ("pl", "Przepraszamy za kłopot. Wysłaliśmy dziś nowy czajnik, w razie pytań proszę zadzwonić."),
    ("en", "Sorry about that. We have sent a replacement today; for anything else please call us."),
    ("lv", "Atvainojamies. Nosūtījām jaunu preci, ja ir jautājumi, lūdzu zvaniet."),
])
def test_a_redirect_after_a_concrete_step_is_fine(language, text):
    assert "no_substance" not in kinds(check_tone(text, "", language))


@pytest.mark.parametrize("language, reply, customer, cause, words", [
    ("pl", "Przepraszamy, wysłaliśmy nowy czajnik.", "Paczka szła trzy tygodnie, a czajnik przyszedł uszkodzony.",
     "late_delivery", "trzy tygodnie"),
    ("en", "Sorry, we have sent a new kettle.", "The parcel arrived two weeks late and the kettle was broken.",
     "late_delivery", "two weeks late"),
    ("lv", "Atvainojamies, nosūtījām jaunu tējkannu.",
     "Paka atnāca ar trīs nedēļu kavēšanos un tējkanna bija saplīsusi.", "late_delivery", "kavēšanos"),
])
def test_it_flags_a_point_the_customer_raised_and_the_reply_skips(language, reply, customer, cause, words):
    hints = [h for h in check_tone(reply, customer, language) if h.kind == "skipped_point"]
    hint = next(h for h in hints if h.cause == cause)
    assert hint.source == "customer" and any(words in m.text for m in hint.matches)
    assert all(customer[m.start:m.end] == m.text for m in hint.matches)


def test_a_point_named_in_the_reply_is_not_skipped():
    customer = "Paczka szła trzy tygodnie, a czajnik przyszedł uszkodzony."
    reply = "Przepraszamy za opóźnioną dostawę i uszkodzony czajnik: wysłaliśmy nowy."
    assert check_tone(reply, customer, "pl") == []


def test_the_agents_corrected_causes_decide_which_points_count():
    customer = "Paczka szła trzy tygodnie, a czajnik przyszedł uszkodzony."
    reply = "Przepraszamy za uszkodzony czajnik, wysłaliśmy nowy."
    assert kinds(check_tone(reply, customer, "pl")) == ["skipped_point"]
    assert check_tone(reply, customer, "pl", customer_causes=["damaged_or_defective"]) == []


def test_every_kind_has_a_label_and_an_explanation():
    assert set(LABELS) == set(KINDS) and set(KINDS) <= set(EXPLANATIONS)
    assert check_tone("", "") == [] and check_tone(None, None) == []


CUSTOMER_TEXTS = {
    "pl": ["Paczka nie dotarła od dwóch tygodni.", "Czajnik przyszedł uszkodzony, pokrywa pęknięta.",
           "Zamówiłam rozmiar M, a przyszło L.", "Czekam miesiąc na zwrot pieniędzy za reklamację.",
           "Ukryte opłaty w koszyku, cena wyższa niż na stronie.", "Nikt nie odpowiada na maile od tygodnia.",
           "Ktoś zalogował się na moje konto i złożył zamówienie."],
    "en": ["My parcel has not arrived after two weeks.", "The kettle arrived damaged, the lid is cracked.",
           "I ordered size M and got L.", "Still waiting for my refund after a month.",
           "Hidden fees at checkout, the price was higher than shown.", "Nobody answers my emails for a week.",
           "Someone logged into my account and placed an order."],
    "lv": ["Paka nav atnākusi jau divas nedēļas.", "Tējkanna atnāca bojāta, vāks ir saplīsis.",
           "Pasūtīju M izmēru, bet saņēmu L.", "Jau mēnesi gaidu naudas atmaksu.",
           "Slēptas maksas grozā, cena augstāka nekā lapā.", "Neviens neatbild uz e-pastiem jau nedēļu.",
           "Kāds pieslēdzās manam kontam un veica pasūtījumu."],
}


@pytest.mark.parametrize("language", sorted(CUSTOMER_TEXTS))
@pytest.mark.parametrize("public", [True, False])
def test_a_draft_raises_no_hint(language, public):
    for customer in CUSTOMER_TEXTS[language]:
        causes = classify(customer).causes
        assert causes, customer
        for remedy in REMEDIES:
            draft = draft_reply(DraftContext(language=language, customer_first_name="Anna", order_number=1042,
                                             product_name="Czajnik", causes=causes, remedy=remedy,
                                             remedy_detail="10%", shop_name="Sklep", agent_name="Kuba",
                                             public=public))
            assert check_tone(draft.text, customer, language) == [], (customer, remedy, draft.text)
