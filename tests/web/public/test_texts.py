"""The public pages' words: every language has every string, and each placeholder it needs."""
import re

from crisisdesk.services.shops import SUPPORTED_LANGUAGES
from crisisdesk.web.public.texts import LANGUAGES, TEXTS


def test_it_has_every_string_in_every_language_the_emails_are_written_in():
    assert set(LANGUAGES) == set(TEXTS) >= set(SUPPORTED_LANGUAGES)
    for language in LANGUAGES:
        assert TEXTS[language].keys() == TEXTS["en"].keys(), language
        for key, english in TEXTS["en"].items():
            assert set(re.findall(r"\{\w+\}", TEXTS[language][key])) == set(re.findall(r"\{\w+\}", english)), \
                (language, key)
