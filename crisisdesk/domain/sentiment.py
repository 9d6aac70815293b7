"""A small, explainable negativity score for review text in Polish, English and Latvian.

Words are matched by stem prefix so that inflected forms count ("uszkodzony",
"uszkodzona", "uszkodzonego"), on a lower-cased copy with the diacritics folded away, so
text typed without Polish or Latvian letters ("spozniona", "sabojats") counts too. The score
is (positive - negative) / hits, in [-1, 1]; a negation word just before a term flips it
("nie polecam"). This is the foundation's rule for "3 stars with negative text"; the cause
classifier (cause_detection) shares its folding, tokens and hits.
"""
import re
import unicodedata
from dataclasses import dataclass, field

# A trailing "$" means "this whole word only": short adjective forms such as "zła" would, as prefixes of
# the folded text, also match "złącze" (connector) or "złożone" (placed).
NEGATIVE_STEMS = {
    "en": ["bad", "terribl", "awful", "horribl", "worst", "broken", "damag", "defect", "late", "never arriv",
           "disappoint", "poor", "useless", "scam", "fraud", "refund", "wrong", "missing", "lost", "rude",
           "waste", "faulty", "cheap", "avoid", "angry", "complain", "problem", "issue", "delay", "not work",
           "doesn't work", "stopped work", "unacceptable", "overpriced", "misleading",
           "annoy", "ridiculous", "nightmare", "joke", "junk", "rubbish", "disgust", "unhappy", "frustrat",
           "shame", "not worth", "don't buy", "ignor", "unhelpful", "nothing like", "don't like", "didn't like",
           "could be better", "could have been better"],
    "pl": ["zły$", "złe$", "źle$", "zła$", "złego$", "złej$", "fataln", "okropn", "tragiczn", "beznadziej", "najgorsz",
           "uszkodz", "zepsut", "wadliw", "spóźni", "opóźni", "nie dotar", "nie przysz", "rozczarow", "oszust",
           "oszukan", "zwrot", "reklamac", "brak", "zgubion", "zaginion", "niegrzeczn", "nie polecam", "odradzam",
           "strata", "problem", "porażk", "skandal", "nie działa", "przestał", "zniszcz", "pęknięt", "drogo",
           "nieuprzejm", "nigdy więcej",
           "słab", "kiepsk", "tandetn", "nie podoba", "masakr", "dramat", "koszmar", "żenując", "niestety",
           "nieuczciw", "omijać", "przesad", "nie warto", "niemił", "opryskliw", "cisza", "niezgodn",
           "nie da się", "mogłoby być lepsz", "mogło być lepiej"],
    "lv": ["slikt", "briesmīg", "šausmīg", "sabojāt", "bojāt", "salauzt", "defekt", "kavē", "nokavēt",
           "neatnāc", "nepienāc", "vilšan", "krāpn", "krāpšan", "atmaks", "nepareiz", "trūkst", "pazaudēt",
           "pazud", "rupj", "neiesak", "problēm", "nestrādā", "pārāk dārg", "nekad vairs", "nepieņem",
           "nepatīk", "vāj", "murg", "neapmierin", "diemžēl", "negodīg", "traģisk", "nelaipn", "neatbild",
           "nevar", "smieklīg", "varētu būt labāk"],
}
POSITIVE_STEMS = {
    "en": ["great", "excellent", "good", "love", "perfect", "fast", "recommend", "happy", "satisf", "thank",
           "amazing", "nice", "works well", "quick", "helpful", "fine", "ok", "okay",
           "brilliant", "painless", "intact", "lovely", "as described"],
    "pl": ["świetn", "doskonał", "dobr", "super", "polecam", "szybk", "zadowol", "dziękuj", "idealn", "rewelac",
           "fajn", "w porządku", "ok", "bez zarzutu", "pomocn", "profesjonaln",
           "spoko", "na medal", "punktualn", "wygodn", "pomogł", "spełnia"],
    # "ātr" only as whole words: folded, the prefix would also praise "atrakstīties" (to unsubscribe).
    "lv": ["lielisk", "izcil", "lab", "ātri$", "ātra$", "ātrs$", "ātrā$", "ātru$", "ātro$", "ātrāk$", "ātrāka$",
           "ātrum", "iesak", "atbilst", "apmierin", "paldies", "perfekt", "jauk", "ok", "noderīg", "profesionāl",
           "kārtībā", "izpalīdzīg", "laipn", "precīz", "ērt"],
}
NEGATIONS = {
    "en": {"not", "no", "never", "isn't", "wasn't", "don't", "didn't", "hardly",
           "doesn't", "wouldn't", "won't", "can't", "couldn't", "aren't", "weren't", "nothing", "isnt", "wasnt",
           "dont", "didnt", "doesnt", "wouldnt", "wont", "cant"},
    "pl": {"nie", "ani", "nigdy", "bez", "żadnych", "żadnego", "żadnej", "żaden", "żadne"},
    "lv": {"ne", "nav", "nekad", "bez", "nebija", "neesmu", "nekādu", "nekādas", "nekāda", "nekādi"},
}
# "nie była uszkodzona", "nie jestem rozczarowana": the negation reaches over one form of "to be".
COPULAS = {"en": {"be", "been"}, "pl": {"jest", "był", "była", "było", "byli", "były", "jestem", "jesteś", "będzie"},
           "lv": {"ir", "bija", "būs"}}
# Letters only one of the two languages has (Latvian wins ties with its letters), and frequent words,
# folded: customers type "zamowienie" and "sutijums" without their letters, which is common.
LETTERS = {"pl": re.compile(r"[ąćęłńóśźż]"), "lv": re.compile(r"[āčēģīķļņšūž]")}
HINT_WORDS = {
    "pl": r"nie|jest|sie|bardzo|produkt\w*|zamowieni\w*|zamowil\w*|przesyl\w*|paczk\w*|paczce|towar\w*|sklep\w*|"
          r"polecam|wszystko|juz|ale|czy|tylko|mnie|przez|jeszcze|nic|tez|bo|gdy|czekam|nadal|dalej|wciaz|"
          r"dostal\w*|przyszl\w*|kurier\w*|obsluga|pieniedzy|tygodni\w*|miesiac\w*|zwrot\w*|ze|od|dla|"
          r"moj|moje|moja|mojej|moim|zostal\w*|byl|byla|bylo",
    "lv": r"un|ir|nav|loti|pasutij\w*|prece\w*|preci|sutijum\w*|paka|paku|pakas|bet|ka|par|uz|ar|jau|vel|es|tas|"
          r"tikai|pec|bija|nebija|veikal\w*|piegad\w*|paldies|kas|lai|gan|joprojam|nedel\w*|dienas|atnaca|"
          r"pienac\w*|sanem\w*|viss|vai|kad|mans|mana|manu|manas|mani|tika|tiek|tiks|konts|kontu",
    "en": r"the|and|is|was|it|my|of|for|with|but|this|that|have|has|had|they|you|me|very|were|are|been|from|at|"
          r"just|what|would|could|didn't|don't|doesn't|it's|i'm|i've|can't|won't|wasn't|isn't|never|nothing|"
          r"ordered|order|arrived|item|parcel|package|shop|customer|got|received|please|email|reply|service",
}
_HINTS = {language: re.compile(rf"(?<![\w'])(?:{words})(?![\w'])") for language, words in HINT_WORDS.items()}
WORD = re.compile(r"[\w']+", re.UNICODE)


@dataclass(frozen=True)
class SentimentResult:
    language: str
    score: float
    label: str
    triggers: list = field(default_factory=list)


@dataclass(frozen=True)
class Hit:
    """One sentiment term in the folded text: +1 or -1, where it is, and the stem or phrase that matched."""
    polarity: int
    start: int
    end: int
    trigger: str


# --- folding: one lower-case, diacritic-free copy of the text, with a way back to the original -------------

class _FoldTable(dict):
    """str.translate table built on demand: every character to one base character (so offsets keep)."""

    SPECIAL = {"ł": "l", "’": "'", "‘": "'", "ʼ": "'"}

    def __missing__(self, code):
        char = chr(code)
        base = self.SPECIAL.get(char)
        if base is None:
            stripped = "".join(c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c))
            base = stripped if len(stripped) == 1 else char
        self[code] = base
        return base


_FOLD = _FoldTable()
_COMBINING = re.compile(r"[\u0300-\u036f]")


def fold(text):
    """Lower-case `text` with diacritics removed ("Przesyłka" → "przesylka"); see fold_with_offsets."""
    return fold_with_offsets(text)[0]


def fold_with_offsets(text):
    """The folded text, and for each of its characters the index it came from in `text` (None: the same)."""
    lowered = text.lower()
    if len(lowered) == len(text) and not _COMBINING.search(lowered):
        return lowered.translate(_FOLD), None  # the common case: one character for one, offsets unchanged
    # Decomposed input ("a" + combining macron, as some keyboards send it) or a character whose lower
    # case is longer: fold character by character and remember where each one came from.
    chars, origin = [], []
    for index, char in enumerate(text):
        for piece in char.lower():
            if not unicodedata.combining(piece):
                chars.append(piece.translate(_FOLD))
                origin.append(index)
    return "".join(chars), origin


def original_span(text, origin, start, end):
    """Map a (start, end) span of the folded text back onto `text`."""
    if origin is None:
        return start, end
    if start >= end:  # an empty span: where it would be
        at = origin[start] if start < len(origin) else len(text)
        return at, at
    begin, finish = origin[start], origin[end - 1] + 1
    while finish < len(text) and unicodedata.combining(text[finish]):
        finish += 1  # keep the combining mark with its letter
    return begin, finish


# --- language ----------------------------------------------------------------------------------------------

def detect_language(text):
    """'pl', 'lv' or 'en', by diacritics and frequent words (Latvian wins ties, then Polish)."""
    # NFC first: a decomposed "ā" (a + combining macron) must count as the Latvian letter it is.
    lowered = unicodedata.normalize("NFC", text.lower())
    return language_of(lowered, fold(lowered))


def language_of(lowered, folded):
    """detect_language for text already lower-cased (NFC, for the letters) and folded (for the words)."""
    scores = {language: len(pattern.findall(folded)) for language, pattern in _HINTS.items()}
    for language, letters in LETTERS.items():
        scores[language] += len(letters.findall(lowered))
    best = max(("lv", "pl", "en"), key=lambda language: scores[language])  # max keeps the first of equals
    return best if scores[best] > 0 else "en"


# --- sentiment -----------------------------------------------------------------------------------------------

_KINDS = (("neg_phrase", -1, True), ("pos_phrase", 1, True), ("neg_word", -1, False), ("pos_word", 1, False))


def _entries(language, sign, phrases):
    """(folded stem, whole word only, stem as written) in table order."""
    table = NEGATIVE_STEMS if sign < 0 else POSITIVE_STEMS
    return [(fold(s).rstrip("$"), s.endswith("$") or len(s) <= 2, s.rstrip("$"))
            for s in table[language] if (" " in s) == phrases]


def _scanner(language):
    # One regex per language instead of a loop over every stem for every word. At each word start,
    # phrases ("nie polecam", "never arrived") come first, negative before positive, then single stems:
    # the first that matches wins, as in the tables' order. A phrase's words may be apart by any
    # punctuation; its last word and every stem are prefixes ("nie dotar" → "nie dotarła"), except
    # stems marked whole-word and two-letter ones ("ok" must not be "około", "about").
    groups = []
    for name, sign, phrases in _KINDS:
        alternatives = [r"[^\w']+".join(map(re.escape, stem.split(" "))) + (r"(?![\w'])" if whole else "")
                        for stem, whole, _ in _entries(language, sign, phrases)]
        groups.append(f"(?P<{name}>{'|'.join(alternatives) or '(?!)'})")  # (?!): a table with no phrases
    return re.compile(r"(?<![\w'])(?:" + "|".join(groups) + r")[\w']*")


_SCANNERS = {language: _scanner(language) for language in ("en", "pl", "lv")}
_ENTRIES = {(language, name): _entries(language, sign, phrases)
            for language in ("en", "pl", "lv") for name, sign, phrases in _KINDS}
_NEGATIONS = {language: {fold(w) for w in words} for language, words in NEGATIONS.items()}
_COPULAS = {language: {fold(w) for w in words} for language, words in COPULAS.items()}


def sentiment_hits(folded, language, source=None, origin=None):
    """Every sentiment term in already-folded text, in order, with negation applied.

    `source` (the text `folded` was made from, with `origin` from fold_with_offsets) only serves to
    spell a negated trigger ("nie dobra") with its own letters."""
    words = list(WORD.finditer(folded))
    index_at = {word.start(): index for index, word in enumerate(words)}
    hits = []
    for found in _SCANNERS[language].finditer(folded):
        kind = found.lastgroup
        sign = -1 if kind.startswith("neg") else 1
        stem = _stem_of(language, kind, found.group(kind))
        negation = None if kind.endswith("phrase") else _negation_before(words, index_at[found.start()], language)
        if negation is not None:
            spelled = " ".join(_spelled(w, source, origin) for w in words[negation:index_at[found.start()] + 1])
            hits.append(Hit(-sign, words[negation].start(), found.end(), spelled))
        else:
            hits.append(Hit(sign, found.start(), found.end(kind) if kind.endswith("phrase") else found.end(), stem))
    return hits


def _stem_of(language, kind, matched):
    # The regex says which table matched; the first entry of it that fits says which stem, for the triggers.
    words = " ".join(WORD.findall(matched))
    for stem, whole, written in _ENTRIES[(language, kind)]:
        if words == stem or (not whole and words.startswith(stem)):
            return written
    return matched


def _negation_before(words, index, language):
    """Index of the negation that flips words[index] ("nie dobra", "nie była dobra"), or None."""
    if index > 0 and words[index - 1].group() in _NEGATIONS[language]:
        return index - 1
    if (index > 1 and words[index - 1].group() in _COPULAS[language]
            and words[index - 2].group() in _NEGATIONS[language]):
        return index - 2
    return None


def _spelled(word, source, origin):
    if source is None:
        return word.group()
    start, end = original_span(source, origin, word.start(), word.end())
    return source[start:end]


def score_text(text, negative_threshold=-0.25, positive_threshold=0.25):
    """Score `text`; returns its language, a score in [-1, 1], a label and the words that triggered it."""
    lowered = unicodedata.normalize("NFC", text.lower())
    folded, origin = fold_with_offsets(lowered)
    language = language_of(lowered, folded)
    hits = sentiment_hits(folded, language, lowered, origin)
    score = round(sum(hit.polarity for hit in hits) / len(hits), 3) if hits else 0.0
    return SentimentResult(language=language, score=score,
                           label=label_for(score, negative_threshold, positive_threshold),
                           triggers=[hit.trigger for hit in hits])


def label_for(score, negative_threshold=-0.25, positive_threshold=0.25):
    """'negative', 'neutral' or 'positive' for a score."""
    return "negative" if score <= negative_threshold else "positive" if score >= positive_threshold else "neutral"
