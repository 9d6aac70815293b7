"""The 5P check (SPEC section 2): which of the five steps a reply covers, with the evidence.

The steps, in order: Przeproś (apologise), Przyznaj się (admit what went wrong), Przeciwdziałaj
(say what is being done now), Popraw się (say what changes so it will not recur) and Powetuj
(compensate). Each language has a lexicon of phrases per step; a phrase is written once with its
letters and matches the same text typed without diacritics ("przepraszamy" = "przepraszamy",
"wysłaliśmy" = "wyslalismy"), because both the text and the lexicon are folded before matching.
Evidence offsets always point into the original text, so the panel can highlight them.

A phrase preceded by a negation in the same clause does not count ("we are not sorry",
"nie przepraszamy", "mums nav žēl"); "not only" / "nie tylko" / "ne tikai" is not a negation.
This is a lexical check: it tells an agent what is visibly missing, not whether the reply is good.
"""
import re
import unicodedata
from dataclasses import dataclass

from crisisdesk.domain.sentiment import detect_language
from crisisdesk.domain.texts import N_

LANGUAGES = ("pl", "en", "lv")
STEPS = ("apologise", "admit", "act", "improve", "compensate")
POLISH_NAMES = {
    "apologise": "Przeproś",
    "admit": "Przyznaj się",
    "act": "Przeciwdziałaj",
    "improve": "Popraw się",
    "compensate": "Powetuj",
}
HINTS = {
    "apologise": N_("Apologise once, sincerely, naming what happened."),
    "admit": N_("Say specifically what went wrong and own it, without blaming the customer."),
    "act": N_("Say what is being done now to fix this customer's problem (what was checked, sent or arranged)."),
    "improve": N_("Say what changes so that it does not happen again."),
    "compensate": N_("Offer concrete amends: a refund, a replacement or a discount code."),
}

# Lexicon fragments are regular expressions in lower case, written with their diacritics; they are
# folded like the text at compile time. A space stands for any run of whitespace. `\w*` after a
# stem admits the inflected endings.
LEXICONS = {
    "en": {
        "apologise": [
            r"sorry", r"apologi[sz]\w*", r"apolog(?:y|ies)", r"(?:we|i) (?:deeply |sincerely |truly )?regret",
        ],
        "admit": [
            r"our (?:own )?(?:mistake|fault|error|failure|responsibility)",
            r"(?:we|i) (?:got (?:it|this|that) wrong|made (?:a |an )?(?:mistake|error)s?|messed up|let you down"
            r"|dropped the ball|failed(?: to)?|should have|should've|did not (?:keep|meet|live up)"
            r"|didn't (?:keep|meet|live up))",
            r"(?:that|this|it)(?:'s| is| was) (?:entirely |completely |all )?on us",
            r"(?:we|i) take (?:full )?responsibility",
            r"(?:is|was)(?: not|n't) (?:good enough|acceptable)",
        ],
        "act": [
            r"(?:we|i)(?: have|'ve| are|'re| will|'ll| just| already)* (?:sent|sending|send|arranged|arranging"
            r"|arrange|shipped|shipping|ship|dispatched|dispatching|dispatch|checked|checking|blocked|blocking"
            r"|reset|resetting|secured|securing|contacted|contacting|passed|assigned|escalated|opened|started"
            r"|issued|issuing|investigat\w+|look(?:ed|ing)? into|asked|asking)",
        ],
        "improve": [
            r"(?:we|i)(?: have|'ve| are|'re| will|'ll| already| now)* (?:changed|changing|change|introduced"
            r"|introducing|introduce|improved|improving|improve|reviewed|reviewing|trained|training|tightened"
            r"|tightening|redesign\w*|reorgani[sz]\w*)",
            r"from now on", r"going forward", r"in (?:the )?future", r"from (?:this|next) (?:week|month)",
            r"(?:will|does|do|would)(?: not|n't) happen again", r"won't happen again", r"never happen again",
            r"to (?:make sure|ensure|prevent)", r"prevent\w*",
        ],
        "compensate": [
            r"refund\w*", r"replacement\w*", r"discount (?:code|voucher)s?", r"discount\w*", r"voucher\w*",
            r"coupon\w*", r"store credit", r"free of charge", r"at no (?:extra )?cost",
            r"make (?:it|this|that) up to you", r"compensat\w+", r"money back", r"reimburs\w+", r"gift card\w*",
        ],
    },
    "pl": {
        "apologise": [
            r"przeprasz\w*", r"przepros\w*", r"przykro (?:nam|mi)",
            r"(?:nam|mi) (?:bardzo |naprawdę |ogromnie |szczerze )?przykro", r"wybacz\w*",
        ],
        "admit": [
            r"nasz\w* (?:\w+ )?(?:błąd|błęd\w*|win(?:a|y|ą|ie|ę)|pomyłk\w*|zaniedban\w*|niedopatrzen\w*"
            r"|odpowiedzialnoś\w*)",
            r"po naszej stronie", r"(?:bierzemy|biorę) (?:pełną |całą )?odpowiedzialność",
            r"pomylił\w*", r"popełnił\w* (?:\w+ )?błąd", r"zawiedli\w*", r"zawiodł\w*",
            r"nie (?:dopilnował|dotrzymał|dopełnił|spełnił|stanęł|poradził)\w*",
            r"nie powinno (?:się )?(?:było )?(?:zdarzyć|wydarzyć|mieć miejsca)", r"zrobił\w* (?:to )?źle",
        ],
        "act": [
            r"wysła\w*", r"wyśl(?:emy|ę)", r"wysyłam\w*", r"nadaliśmy", r"nadamy", r"nadajemy", r"nadał(?:em|am)",
            r"sprawdz(?:ił|imy|amy|ę)\w*", r"zablokował\w*", r"zablokujemy", r"zabezpieczył\w*", r"zresetował\w*",
            r"przekazał\w*", r"przekażemy", r"porównał\w*", r"skontaktował\w*", r"skontaktujemy", r"zgłosił\w*",
            r"(?:zajmujemy|zajęliśmy|zajmę|zajmiemy) się", r"przygotował\w*", r"przygotujemy",
            r"przygotowujemy", r"wyjaśni(?:amy|my|ł)\w*", r"uruchomił\w*", r"wstrzymał\w*", r"zlecił\w*",
            r"ustalił\w*", r"rozpoczęł\w*",
        ],
        "improve": [
            r"zmieni(?:ł|li|my|amy|ę|ać|ć)\w*", r"wprowadz(?:ił|imy|amy|ę)\w*", r"popraw(?:ił|imy|iamy|ię)\w*",
            r"usprawni\w*", r"przeszkol\w*", r"szkoleni\w*",
            r"od (?:teraz|dziś|dzisiaj|tej pory|tego tygodnia|przyszłego tygodnia|jutra)",
            r"na przyszłość", r"w przyszłości", r"nie powtórz\w*", r"zapobie\w*", r"dopilnujemy",
        ],
        "compensate": [
            r"kod(?:u|em|y|ów)? rabat\w*", r"zwrot\w*", r"zwróc\w*\b(?!\s+uwag)", r"zwraca\w*\b(?!\s+(?:się|uwag))",
            r"rabat\w*", r"zniżk\w*", r"zniżek", r"wymian\w*", r"wymieni\w*", r"now(?:y|ą|e) egzemplarz\w*",
            r"bezpłatn\w*", r"za darmo", r"gratis\w*", r"rekompensat\w*", r"zadośćuczyn\w*", r"wynagrodz\w*",
            r"kupon\w*", r"bon(?:u|y|em|ów)?",
        ],
    },
    "lv": {
        "apologise": [r"atvaino\w*", r"žēl", r"piedodiet"],
        "admit": [
            r"mūsu (?:\w+ )?(?:kļūd\w*|vain\w*|neveiksm\w*|nolaidīb\w*|atbildīb\w*)",
            r"kļūdījāmies", r"pieļāvām (?:\w+ )?kļūdu", r"pievīlām",
            r"ne(?:ievērojām|izpildījām|nodrošinājām|attaisnojām)", r"netikām galā",
            r"uzņemamies (?:pilnu )?atbildību", r"nevajadzēja notikt",
        ],
        "act": [
            r"(?:no|iz)sūt(?:ījām|īsim|ām|u|īšu|īju)", r"pārbaud(?:ījām|īsim|ām)", r"nobloķ\w*", r"bloķējām",
            r"atiestatījām", r"nodevām", r"nodosim", r"salīdzinājām", r"sazinājāmies", r"sazināsimies",
            r"izskat(?:ām|ījām|īsim)", r"kārtojam", r"(?:uz)?sākām", r"sāksim", r"noformējām", r"noformēsim",
            r"esam (?:jau )?(?:nosūtījuši|sazinājušies|pārbaudījuši|sākuši|nodevuši)",
        ],
        "improve": [
            r"mainīj\w*", r"mainīs\w*", r"mainām", r"uzlabo(?:jām|sim|jam)\w*", r"ieviesām", r"ieviesīsim",
            r"ieviešam", r"turpmāk", r"no (?:šī brīža|šodienas|šīs nedēļas|nākamās nedēļas|šī mēneša)",
            r"nākotnē", r"neatkārto\w*", r"novērs\w*", r"apmāc(?:ījām|īsim|ām)",
        ],
        "compensate": [
            r"atmaks\w*", r"atlaides kod\w*", r"atlaid\w*", r"nomai\w*", r"kompens\w*", r"bez maksas", r"bezmaksas",
            r"kupon\w*", r"dāvanu kart\w*",
        ],
    },
}

# Negations that void a phrase anywhere in the few words before it (same clause) ...
NEGATIONS = {
    "en": {"not", "never", "cannot", "nothing", "neither", "nor", "hardly"},
    "pl": {"nie", "nigdy", "ani"},
    "lv": {"ne", "nav", "nekad", "nemaz", "nebūs", "nebija", "neesam"},
}
# ... and ones that only count right before it ("no refund", "bez rabatu"): further back they
# usually belong to something else ("without delay, we have sent ...").
IMMEDIATE_NEGATIONS = {"en": {"no", "without"}, "pl": {"bez", "brak"}, "lv": {"bez"}}
NOT_NEGATING_NEXT = {"only", "just", "tylko", "tikai"}  # "not only sorry" is still sorry
CONJUNCTIONS = {"and", "but", "so", "i", "a", "ale", "oraz", "więc", "un", "bet", "tāpēc"}
NEGATION_WINDOW = 4  # words looked back within the clause

# Letters that Unicode does not decompose into a base letter plus a mark.
EXTRA_FOLDS = {"ł": "l", "ø": "o", "đ": "d", "ß": "ss", "’": "'", "‘": "'", "ʼ": "'"}
WORD = re.compile(r"[\w']+")
CLAUSE_BREAK = re.compile(r"[.!?;:,()\[\]\n–—]|\s-\s")


@dataclass(frozen=True)
class Evidence:
    phrase: str  # the text exactly as written
    start: int  # character offsets into the original text: text[start:end] == phrase
    end: int


@dataclass(frozen=True)
class StepCoverage:
    step: str
    polish_name: str
    covered: bool
    evidence: tuple  # of Evidence, in text order
    hint: str  # what the step asks for (English + the Polish name); shown when it is missing
    negated: tuple = ()  # phrases found but negated ("we are not sorry"), which did not count


@dataclass(frozen=True)
class Coverage:
    language: str
    steps: tuple  # of StepCoverage, in STEPS order

    def __getitem__(self, step):
        for coverage in self.steps:
            if coverage.step == step:
                return coverage
        raise KeyError(step)

    @property
    def covered(self):
        return tuple(s.step for s in self.steps if s.covered)

    @property
    def missing(self):
        return tuple(s.step for s in self.steps if not s.covered)

    @property
    def complete(self):
        return not self.missing

    @property
    def hints(self):
        """The hints of the missing steps, in step order."""
        return tuple(s.hint for s in self.steps if not s.covered)

    @property
    def repeated_apology(self):
        """More than one apology phrase: the seeds ask for one sincere apology, not five."""
        return len(self["apologise"].evidence) > 1


def fold_with_offsets(text):
    """`text` lower-cased without diacritics, and for each folded character its index in `text`.

    Folding character by character keeps the map exact even for decomposed input (a + U+0304)
    and for letters that fold to two ("ß" → "ss").
    """
    folded = text.translate(_FOLDED)  # also fills the table (and _UNEVEN) with the characters of `text`
    if _UNEVEN.isdisjoint(text):
        return folded, list(range(len(text)))  # the usual case: one character for one
    offsets = []
    for index, char in enumerate(text):
        offsets += [index] * len(_FOLDED[ord(char)])
    return folded, offsets


def fold(text):
    """`text` lower-cased without diacritics (see fold_with_offsets)."""
    return text.translate(_FOLDED)


class _FoldTable(dict):
    """{code point: its folded text} for str.translate, filled as characters are met: each character always folds
    the same way, and the reply check folds the shop's last few hundred replies on every case page."""

    def __missing__(self, code):
        out = []
        for lowered in chr(code).lower():
            folded = EXTRA_FOLDS.get(lowered)
            if folded is None:
                folded = "".join(c for c in unicodedata.normalize("NFD", lowered) if not unicodedata.combining(c))
            out.append(folded)
        folded = "".join(out)
        if len(self) < 20_000:  # bounded: texts in many scripts must not grow it without end
            self[code] = folded
        if len(folded) != 1:
            _UNEVEN.add(chr(code))
        return folded


_FOLDED = _FoldTable()
_UNEVEN = set()  # characters that fold to none or several (a combining mark, "ß")


def check(text, language=None):
    """The 5P coverage of `text`. `language` is 'pl', 'en' or 'lv'; None (or another) detects it."""
    text = text or ""
    folded, offsets = fold_with_offsets(text)
    if language in LANGUAGES:
        return _coverage(text, folded, offsets, language)
    # Unknown language: the lexicon that finds the most wins; the detector only breaks ties,
    # since it cannot see Latvian or Polish typed without letters like "ā" or "ł".
    detected = detect_language(text)
    candidates = [_coverage(text, folded, offsets, lang) for lang in LANGUAGES]
    return max(candidates, key=lambda c: (len(c.covered), sum(len(s.evidence) for s in c.steps),
                                          c.language == detected))


def hint_for(step):
    """The hint for one step, e.g. "Apologise once, sincerely, naming what happened. (Przeproś)"."""
    return f"{HINTS[step]} ({POLISH_NAMES[step]})"


def _coverage(text, folded, offsets, language):
    steps = []
    for step in STEPS:
        found, negated = [], []
        for match in PATTERNS[language][step].finditer(folded):
            evidence = _evidence(text, offsets, match.start(), match.end())
            (negated if _is_negated(folded, match.start(), language) else found).append(evidence)
        steps.append(StepCoverage(step=step, polish_name=POLISH_NAMES[step], covered=bool(found),
                                  evidence=tuple(found), hint=hint_for(step), negated=tuple(negated)))
    return Coverage(language=language, steps=tuple(steps))


def _evidence(text, offsets, folded_start, folded_end):
    start = offsets[folded_start]
    end = offsets[folded_end - 1] + 1
    # A decomposed letter's combining marks belong to the phrase, though they folded to nothing.
    while end < len(text) and unicodedata.combining(text[end]):
        end += 1
    return Evidence(phrase=text[start:end], start=start, end=end)


def _is_negated(folded, start, language):
    clause = CLAUSE_BREAK.split(folded[max(0, start - 120):start])[-1]
    words = WORD.findall(clause)
    for index in range(len(words) - 1, -1, -1):
        if words[index] in FOLDED_CONJUNCTIONS:  # "... and we are sorry": a new clause starts
            words = words[index + 1:]
            break
    if words and words[-1] in FOLDED_IMMEDIATE[language]:
        return True
    words = words[-NEGATION_WINDOW:]
    first_of_phrase = WORD.match(folded, start)
    following = words[1:] + [first_of_phrase.group(0) if first_of_phrase else ""]
    for word, after in zip(words, following):
        negating = word in FOLDED_NEGATIONS[language] or (language == "en" and word.endswith("n't"))
        if negating and after not in NOT_NEGATING_NEXT:
            return True
    return False


def _strip_marks(pattern):
    # Diacritics only, never case: lower-casing a regex would turn \W into \w and \S into \s.
    out = []
    for char in pattern:
        folded = EXTRA_FOLDS.get(char)
        if folded is None:
            folded = "".join(c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c))
        out.append(folded)
    return "".join(out)


def _compile(fragments):
    body = "|".join(_strip_marks(fragment).replace(" ", r"\s+") for fragment in fragments)
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)")


PATTERNS = {lang: {step: _compile(LEXICONS[lang][step]) for step in STEPS} for lang in LANGUAGES}
FOLDED_NEGATIONS = {lang: {fold(word) for word in words} for lang, words in NEGATIONS.items()}
FOLDED_IMMEDIATE = {lang: {fold(word) for word in words} for lang, words in IMMEDIATE_NEGATIONS.items()}
FOLDED_CONJUNCTIONS = {fold(word) for word in CONJUNCTIONS}
