"""domain.remedy_texts: the reply draft's sentences naming the case's recorded remedies, per 5P step and language."""
from crisisdesk.domain.remedies import KIND_LABELS, KIND_STEPS, STEP_LABELS
from crisisdesk.domain.remedy_texts import TEXTS, remedy_sentences
from tests.unit.domain.test_reply_drafts import REVIEW_WORDS

NAMED_KINDS = [kind for kind in KIND_LABELS if kind != "other"]  # "other" is the agent's to say


def test_every_kind_has_a_step_and_every_named_kind_an_item_in_each_language():
    assert set(KIND_STEPS) == set(KIND_LABELS) and set(KIND_STEPS.values()) == set(STEP_LABELS)
    for language, texts in TEXTS.items():
        assert set(texts["items"]) == set(NAMED_KINDS), language
        for kind in NAMED_KINDS:
            sentences = remedy_sentences(language, [(kind, True)])
            named = [step for step, sentence in sentences.items() if texts["items"][kind] in sentence]
            assert named == [KIND_STEPS[kind]], (language, kind)
            assert not REVIEW_WORDS.search(sentences[KIND_STEPS[kind]]), (language, kind)  # never about the review


def test_it_says_what_is_done_and_what_is_under_way_apart_and_names_each_once():
    sentences = remedy_sentences("en", [("resent_parcel", True), ("order_corrected", False), ("resent_parcel", True),
                                        ("other", True), ("process_changed", False)])
    assert sentences == {
        "act": "Already done for you: a new shipment of your parcel. "
               "Under way for you now: a correction to your order.",
        "improve": "So that it does not happen again: a change in how we work.",
        "compensate": ""}


def test_it_writes_nothing_without_remedies_and_english_for_another_language():
    assert remedy_sentences("pl", []) == {"act": "", "improve": "", "compensate": ""}
    assert remedy_sentences("de", [("extra_support", True)])["compensate"] == \
        "We are also offering you: extra support from our team."
    assert remedy_sentences("pl", [("extra_support", True), ("identity_theft_help", False)])["compensate"] == \
        "Oferujemy Ci też: dodatkowe wsparcie naszego zespołu; pomoc, gdyby ktoś próbował wykorzystać Twoje dane."
