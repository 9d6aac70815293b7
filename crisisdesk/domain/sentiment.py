"""A small, explainable negativity score for review text in Polish, English and Latvian.

Words are matched by stem prefix so that inflected forms count ("uszkodzony",
"uszkodzona", "uszkodzonego"). The score is (positive - negative) / hits, in
[-1, 1]; a negation word just before a term flips it ("nie polecam").
This is the foundation's rule for "3 stars with negative text"; the cause
classifier builds on the same idea.
"""
import re
import unicodedata
from dataclasses import dataclass, field

NEGATIVE_STEMS = {
    "en": ["bad", "terribl", "awful", "horribl", "worst", "broken", "damag", "defect", "late", "never arriv",
           "disappoint", "poor", "useless", "scam", "fraud", "refund", "wrong", "missing", "lost", "rude",
           "waste", "faulty", "cheap", "avoid", "angry", "complain", "problem", "issue", "delay", "not work",
           "doesn't work", "stopped work", "unacceptable", "overpriced", "misleading"],
    "pl": ["zły", "złe", "źle", "zła", "fataln", "okropn", "tragiczn", "beznadziej", "najgorsz", "uszkodz", "zepsut", "wadliw",
           "spóźni", "opóźni", "nie dotar", "nie przysz", "rozczarow", "oszust", "oszukan", "zwrot", "reklamac",
           "brak", "zgubion", "zaginion", "niegrzeczn", "nie polecam", "odradzam", "strata", "problem",
           "porażk", "skandal", "nie działa", "przestał", "zniszcz", "pęknięt", "drogo", "nieuprzejm", "nigdy więcej"],
    "lv": ["slikt", "briesmīg", "šausmīg", "sabojāt", "bojāt", "salauzt", "defekt", "kavē", "nokavēt",
           "neatnāc", "nepienāc", "vilšan", "krāpn", "krāpšan", "atmaks", "nepareiz", "trūkst", "pazaudēt",
           "pazud", "rupj", "neiesak", "problēm", "nestrādā", "pārāk dārg", "nekad vairs", "nepieņem"],
}
POSITIVE_STEMS = {
    "en": ["great", "excellent", "good", "love", "perfect", "fast", "recommend", "happy", "satisf", "thank",
           "amazing", "nice", "works well", "quick", "helpful", "fine", "ok", "okay"],
    "pl": ["świetn", "doskonał", "dobr", "super", "polecam", "szybk", "zadowol", "dziękuj", "idealn", "rewelac",
           "fajn", "w porządku", "ok", "bez zarzutu", "pomocn", "profesjonaln"],
    "lv": ["lielisk", "izcil", "lab", "ātr", "iesak", "apmierin", "paldies", "perfekt", "jauk", "ok", "noderīg",
           "profesionāl"],
}
NEGATIONS = {
    "en": {"not", "no", "never", "isn't", "wasn't", "don't", "didn't", "hardly"},
    "pl": {"nie", "ani", "nigdy", "bez"},
    "lv": {"ne", "nav", "nekad", "bez"},
}
LANGUAGE_HINTS = {
    # Also words customers type without Polish letters ("zamowienie", "przesylka"), which is common.
    "pl": re.compile(r"[ąćęłńóśźż]|\b(nie|jest|się|bardzo|produkt|zam[oó]wienie|przesy[lł]ka|paczka|towar|sklep|"
                     r"polecam|wszystko)\b"),
    "lv": re.compile(r"[āčēģīķļņšūž]|\b(un|ir|nav|ļoti|pasūtījums|prece|sūtījums)\b"),
}
WORD = re.compile(r"[\w'’]+", re.UNICODE)


@dataclass(frozen=True)
class SentimentResult:
    language: str
    score: float
    label: str
    triggers: list = field(default_factory=list)


def detect_language(text):
    """'pl', 'lv' or 'en', by diacritics and frequent function words (Latvian wins ties with its letters)."""
    # NFC first: a decomposed "ā" (a + combining macron) must count as the Latvian letter it is.
    lowered = unicodedata.normalize("NFC", text.lower())
    scores = {lang: len(pattern.findall(lowered)) for lang, pattern in LANGUAGE_HINTS.items()}
    best = max(scores, key=lambda lang: (scores[lang], lang == "lv"))
    return best if scores[best] > 0 else "en"


def score_text(text, negative_threshold=-0.25, positive_threshold=0.25):
    """Score `text`; returns its language, a score in [-1, 1], a label and the words that triggered it."""
    language = detect_language(text)
    normalised = unicodedata.normalize("NFC", text.lower())
    words = WORD.findall(normalised)
    hits, triggers = [], []
    for index, word in enumerate(words):
        window = " ".join(words[index:index + 3])
        polarity, stem = _polarity(language, window, word)
        if polarity == 0:
            continue
        negated = index > 0 and words[index - 1] in NEGATIONS[language] and " " not in stem
        hits.append(-polarity if negated else polarity)
        triggers.append(f"{words[index - 1]} {word}" if negated else stem)
    score = round(sum(hits) / len(hits), 3) if hits else 0.0
    label = "negative" if score <= negative_threshold else "positive" if score >= positive_threshold else "neutral"
    return SentimentResult(language=language, score=score, label=label, triggers=triggers)


def _polarity(language, window, word):
    # Multi-word phrases ("nie polecam", "never arrived") are checked first, against the
    # three-word window that starts here; single stems only against the word itself.
    for sign, table in ((-1, NEGATIVE_STEMS), (1, POSITIVE_STEMS)):
        for stem in table[language]:
            if " " in stem and window.startswith(stem):
                return sign, stem
    for sign, table in ((-1, NEGATIVE_STEMS), (1, POSITIVE_STEMS)):
        for stem in table[language]:
            if " " not in stem and _stem_matches(word, stem):
                return sign, stem
    return 0, ""


def _stem_matches(word, stem):
    # Two-letter stems ("ok") must be the whole word: as prefixes they would turn "około"
    # (Polish "about") or "oktobrī" (Latvian "in October") into praise.
    return word == stem if len(stem) <= 2 else word.startswith(stem)
