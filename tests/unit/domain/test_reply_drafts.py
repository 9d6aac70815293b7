"""domain.reply_drafts: personal 5P drafts per language, cause and remedy, public or private."""
import re
from dataclasses import FrozenInstanceError, replace

import pytest

from crisisdesk.domain import five_p
from crisisdesk.domain.causes import CAUSE_NAMES
from crisisdesk.domain.reply_drafts import REMEDIES, Draft, DraftContext, draft_reply, main_cause
from crisisdesk.domain.reply_texts import CAUSE_KEYS, COMPENSATE_KEYS, TEXTS

LANGUAGES = ("pl", "en", "lv")
ORDER = "48213"
BASE = DraftContext(language="pl", customer_first_name="Agnieszka", order_number=ORDER,
                    product_name="Czajnik Tefal KO 2505", causes=["late_delivery"], remedy="refund",
                    remedy_detail="49.00 PLN", shop_name="Sklep Kuchnia", agent_name="Marta")

# A sentence about the review or rating together with a verb asking to change it, per language.
REVIEW_WORDS = re.compile(r"review|rating|stars?\b|opini|ocen|recenz|gwiazd|atsauksm|vērtēj|zvaigzn", re.I)
CHANGE_WORDS = re.compile(
    r"\b(?:chang|updat|rais|remov|delet|edit|revis|withdraw|take down|improve your|"
    r"zmie|zmian|zaktualiz|aktualiz|podnie|popraw|usu|wycof|edyt|skasuj|"
    r"main|atjaunin|paaugstin|dzēs|izdzēs|labo|uzlabo|atsauc)", re.I)
DEFENSIVE = re.compile(r"unfortunately|you should have|our policy|as stated|niestety|powinieneś|powinnaś|"
                       r"regulamin|diemžēl|noteikum", re.I)


def _all_contexts():
    for language in LANGUAGES:
        for cause in CAUSE_NAMES:
            for remedy in REMEDIES:
                for public in (False, True):
                    yield pytest.param(replace(BASE, language=language, causes=[cause], remedy=remedy,
                                               public=public),
                                       id=f"{language}-{cause}-{remedy}-{'public' if public else 'private'}")


@pytest.mark.parametrize("context", list(_all_contexts()))
def test_it_covers_all_five_steps_with_a_single_apology(context):
    draft = draft_reply(context)
    coverage = five_p.check(draft.text, context.language)
    assert coverage.missing == ()
    assert draft.steps_used == five_p.STEPS
    assert draft.language == context.language
    assert len(coverage["apologise"].evidence) == 1  # one apology, not five
    assert five_p.check(draft.text).language == context.language


@pytest.mark.parametrize("context", list(_all_contexts()))
def test_it_is_personal_and_never_asks_about_the_review(context):
    text = draft_reply(context).text
    assert "Agnieszka" in text
    assert "Czajnik Tefal KO 2505" in text
    assert "{" not in text and "}" not in text
    for sentence in re.split(r"(?<=[.!?;:])\s+", text):
        assert not (REVIEW_WORDS.search(sentence) and CHANGE_WORDS.search(sentence)), sentence
    assert not DEFENSIVE.search(text)


@pytest.mark.parametrize("context", [c for c in _all_contexts() if c.values[0].public])
def test_a_public_reply_keeps_the_order_the_amount_and_the_surname_private(context):
    context = replace(context, customer_first_name="Agnieszka Nowak-Wiśniewska")
    text = draft_reply(context).text
    assert ORDER not in text
    assert "49.00" not in text
    assert "Nowak" not in text and "Wiśniewska" not in text
    assert "Agnieszka" in text
    assert re.search(r"e-?mail|e-past", text, re.I)  # the invitation to continue privately


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_private_email_names_the_order_and_the_amount(language):
    text = draft_reply(replace(BASE, language=language)).text
    assert ORDER in text
    assert "49.00 PLN" in text


@pytest.mark.parametrize("language, greeting", [("pl", "Dzień dobry, Agnieszka,"), ("en", "Hello Agnieszka,"),
                                                 ("lv", "Labdien, Agnieszka!")])
def test_it_greets_by_first_name(language, greeting):
    assert draft_reply(replace(BASE, language=language)).text.startswith(greeting + "\n\n")


@pytest.mark.parametrize("language, greeting", [("pl", "Dzień dobry,"), ("en", "Hello,"), ("lv", "Labdien!")])
@pytest.mark.parametrize("name", ["", "   ", "agnieszka@example.com", "user1234"])
def test_it_greets_politely_without_a_usable_name(language, greeting, name):
    draft = draft_reply(replace(BASE, language=language, customer_first_name=name))
    assert draft.text.startswith(greeting + "\n\n")
    assert "@" not in draft.text and "1234" not in draft.text


def test_polish_goes_on_in_lower_case_after_the_greeting():
    assert draft_reply(BASE).text.split("\n\n")[1].startswith("dziękujemy")


def test_it_works_without_order_product_agent_or_causes():
    context = DraftContext(language="en", customer_first_name="Tom", shop_name="Kettles Ltd")
    draft = draft_reply(context)
    assert draft.steps_used == five_p.STEPS
    assert "your order" in draft.text
    assert draft.text.endswith("Kind regards,\nThe Kettles Ltd team")


def test_it_signs_with_the_agent_and_the_shop():
    assert draft_reply(BASE).text.endswith("Pozdrawiamy serdecznie,\nMarta\nSklep Kuchnia")


@pytest.mark.parametrize("language", ["de", "", None, "PL"])
def test_it_falls_back_to_english(language):
    draft = draft_reply(replace(BASE, language=language))
    assert draft.language == "en"
    assert draft.text.startswith("Hello Agnieszka,")


def test_it_uses_the_main_cause_and_ignores_unknown_ones():
    assert main_cause(["nonsense", "damaged_or_defective", "late_delivery"]) == "damaged_or_defective"
    assert main_cause([]) == "other"
    late = draft_reply(replace(BASE, language="en", causes=["late_delivery", "customer_service"])).text
    assert "did not arrive on time" in late


def test_a_security_incident_says_what_happened_what_was_done_what_to_do_and_the_support():
    text = draft_reply(replace(BASE, language="en", causes=["security_or_fraud"], remedy=None)).text
    assert "security measures failed" in text  # what happened
    assert "We have blocked the suspicious access" in text  # what was done
    assert "What you can do: change your password" in text  # what the customer should do
    assert "We will support you at every step" in text  # the support they get


@pytest.mark.parametrize("remedy, expected", [
    ("refund", "We are refunding 49.00 PLN to you"),
    ("replacement", "We are sending you a replacement free of charge"),
    ("coupon", "a discount code for 49.00 PLN off your next order"),
    (None, "we will agree on a refund or a replacement"),
])
def test_it_states_the_remedy_concretely(remedy, expected):
    assert expected in draft_reply(replace(BASE, language="en", remedy=remedy)).text


def test_it_rejects_an_unknown_remedy():
    with pytest.raises(ValueError, match="remedy"):
        DraftContext(remedy="free_kettle")


def test_the_context_is_frozen_and_keeps_causes_as_a_tuple():
    context = DraftContext(causes=["late_delivery"])
    assert context.causes == ("late_delivery",)
    with pytest.raises(FrozenInstanceError):
        context.language = "pl"
    assert isinstance(draft_reply(context), Draft)


def test_braces_in_names_are_kept_as_written():
    text = draft_reply(replace(BASE, language="en", product_name="Mug {large}", shop_name="{shop}")).text
    assert "Mug {large}" in text


def test_every_language_has_every_sentence():
    for language in LANGUAGES:
        texts = TEXTS[language]
        assert set(texts) == set(TEXTS["en"]), language
        for step in ("apologise", "admit", "act", "improve"):
            assert set(texts[step]) == set(CAUSE_KEYS) == set(CAUSE_NAMES), (language, step)
        assert set(texts["compensate"]) == set(COMPENSATE_KEYS), language


@pytest.mark.parametrize("sentence", [
    "Please update your review once it is solved.", "We would be grateful if you raised your rating.",
    "Prosimy o zmianę opinii.", "Czy możesz podnieść ocenę?", "Usuń, proszę, swoją opinię.",
    "Lūdzu, mainiet savu atsauksmi.", "Vai varat izdzēst atsauksmi?",
])
def test_the_review_guard_above_would_catch_a_request_to_change_the_review(sentence):
    assert REVIEW_WORDS.search(sentence) and CHANGE_WORDS.search(sentence)
