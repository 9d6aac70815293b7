"""Why a review or complaint is negative: its language, sentiment and causes, with the words that show them.

Offline and deterministic: the word tables in cause_lexicon are compiled once into one regular
expression per language, and every language's table is run over every text, so a Polish complaint
with an English phrase in it ("paczka nie dotarła, tracking says delivered") still finds its causes.
Every cause comes with its evidence: the exact words, and where they are in the original text, so
the panel can highlight them and a person can judge (and correct) the result.
"""
import re
import unicodedata
from dataclasses import dataclass, field, replace
from functools import lru_cache

from crisisdesk.domain import cause_lexicon as lexicon
from crisisdesk.domain.phrase_regex import join_words
from crisisdesk.domain.sentiment import (WORD, fold, fold_with_offsets, label_for, language_of, original_span,
                                         sentiment_hits)

LANGUAGES = ("pl", "en", "lv")
STRONG, WEAK = 2, 1  # a complaint phrase outweighs one word of praise; a topic word alone does not
# "bez kosztów wysyłki" (without shipping costs) denies a price complaint; "bez zwrotu" (without a refund)
# is one, so refund and service topic words are never denied.
NEGATABLE_WEAK = {"price_or_hidden_fees", "damaged_or_defective", "security_or_fraud"}
# Between two words of a phrase: spaces, commas, dashes, quotes, a decimal point ("£24.99"); never a sentence end.
_SEP = r"(?:[^\w.!?;\n]|(?<=\d)\.(?=\d)){1,4}"
_GAP = rf"(?:{_SEP}[\w'-]+){{0,4}}{_SEP}"  # ".." in a phrase: up to four words in between
_SENTENCE_END = re.compile(r"[!?;\n]|\.(?!\d)")
_CLAUSE_END = re.compile(r"[.,;:!?\n()]| [-–—] ")
_CONTAINER = re.compile(r"(?<![\w'])(?:w|we|in|inside|within|from|z|ze)(?:\s+(?:the|my|this))?\s+\Z")
# "!" phrases ("zamówiłem X, dostałem Y") do not count when a day or time follows or the thing got is "it".
_TIME_OR_IT = re.compile(r"(?<!\w)(?:\d+\s*(?:h|godz\w*)|dni|dnia|dzien|tydz\w*|tyg\w*|poniedzial\w*|wtor\w*|sro\w*|"
                         r"czwart\w*|piat\w*|sobot\w*|niedziel\w*|jutro|wczoraj|days?|weeks?|monday|tuesday|"
                         r"wednesday|thursday|friday|saturday|sunday|next|tomorrow|yesterday|on time|early|"
                         r"dien\w*|nedel\w*|pirmdien\w*|otrdien\w*|tresdien\w*|ceturtdien\w*|piektdien\w*|"
                         r"sestdien\w*|svetdien\w*|rit|vakar|laicigi|it|them|go|ja|je)(?!\w)")


@dataclass(frozen=True)
class Evidence:
    """Words of the original text that point at a cause: original[start:end] == text."""
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Classification:
    language: str
    sentiment: str
    score: float
    causes: list = field(default_factory=list)
    evidence: dict = field(default_factory=dict)

    def as_dict(self):
        """The `flask classify` shape: language, sentiment, score, causes, and evidence per cause."""
        return {"language": self.language, "sentiment": self.sentiment, "score": self.score,
                "causes": list(self.causes),
                "evidence": {cause: [{"text": e.text, "start": e.start, "end": e.end} for e in found]
                             for cause, found in self.evidence.items()}}


@dataclass(frozen=True)
class _Found:
    start: int
    end: int
    cause: str  # a cause name, "_ignore", or (until attributed) a marker kind from cause_lexicon.MARKERS
    kind: str  # "terms", "phrases", "weak" or "marker"
    language: str
    weight: int = STRONG
    topic: tuple = None  # for a marker: the span of what it is about ("czekam na zwrot" → "zwrot")


def classify(text, language=None):
    """Language ('pl'|'en'|'lv'), sentiment label and score in [-1, 1], causes by strength, and evidence."""
    text = text or ""
    folded, origin = fold_with_offsets(text)
    if language not in LANGUAGES:
        language = language_of(unicodedata.normalize("NFC", text.lower()), folded)
    found = _resolve_overlaps(_candidates(folded, language))
    denied = [f for f in found if _negatable(f) and _negated(folded, f, language)]
    found = _attributed(folded, [f for f in found if f not in denied])
    # A sentiment word that is also a topic word ("zwrot", "refund") is the topic's to count, or nobody's.
    hits = [h for h in sentiment_hits(folded, language, text, origin)
            if not (h.polarity < 0 and _inside(h, [f for f in found if f.weight == WEAK]))]
    strong = [f for f in found if f.weight == STRONG]
    if label_for(_score(hits, strong, denied)) == "negative":
        strong = found  # topic words ("refund", "reklamacja") count once the text complains anyway
    score = _score(hits, strong, denied)
    sentiment = label_for(score)
    evidence = _evidence_by_cause(strong)
    if not evidence and sentiment == "negative":
        evidence = {"other": [(h.start, h.end) for h in hits if h.polarity < 0]}
    ranked = sorted(evidence, key=lambda cause: (-sum(w for _, _, w in _weighted(evidence[cause])),
                                                  min(s for s, *_ in evidence[cause])))
    return Classification(language=language, sentiment=sentiment, score=score, causes=ranked,
                          evidence={cause: _spans_in(text, origin, evidence[cause]) for cause in ranked})


# --- compiling the lexicon -----------------------------------------------------------------------------------

def _token(token):
    if token.startswith("{"):
        return lexicon.MACROS[token[1:-1]]
    alternatives = []
    for word in fold(token).split("/"):
        prefix = word.endswith("*")
        alternatives.append(re.escape(word.rstrip("*")) + (r"\w*" if prefix else r"(?![\w'])"))
    return "(?:" + "|".join(alternatives) + ")"


def _pattern(spec):
    tokens = spec.lstrip("!").split()
    return _token(tokens[0]) + _tail(tokens)


def _tail(tokens):
    """The regex for every token after the first, each with its separator (an empty first word keeps
    the separator that follows it)."""
    return join_words(["", *tokens[1:]], lambda token: _token(token) if token else "", _SEP, _GAP)


def _by_first_letter(spec):
    """(first letter, regex for the rest of the match) per alternative of the first word; None: a macro."""
    tokens = spec.lstrip("!").split()
    if tokens[0].startswith("{"):
        return [(None, _token(tokens[0]) + _tail(tokens))]
    return [(word[0], re.escape(word.rstrip("*")[1:]) + (r"\w*" if word.endswith("*") else r"(?![\w'])")
             + _tail(tokens)) for word in fold(tokens[0]).split("/")]


@lru_cache(maxsize=None)
def _compiled(language):
    """One regex per language; a named group per (cause, kind), tried in the order of the table."""
    branches, groups = {}, {}

    def add(cause, kind, specs):
        for guarded in (False, True):
            # The regex takes the first alternative that matches, not the longest: longer specs go first.
            per_letter = {}
            for spec in sorted(specs, key=len, reverse=True):
                if spec.startswith("!") == guarded:
                    for letter, body in _by_first_letter(spec):
                        per_letter.setdefault(letter, []).append(body)
            for letter, bodies in per_letter.items():
                name = f"g{len(groups)}"
                groups[name] = (cause, kind, guarded, letter is not None)
                branches.setdefault(letter, []).append(f"(?P<{name}>{'|'.join(bodies)})")

    # One group wins at each position, so the longer kinds go first: a phrase ("nepareizu adresi", a
    # delivery) before a term that starts it ("nepareizu", a wrong item); context guards before all.
    tables = lexicon.LEXICON[language]
    add("_ignore", "phrases", tables["_ignore"]["phrases"])
    for kind in ("phrases", "terms", "weak"):
        for cause, table in tables.items():
            if cause != "_ignore":
                add(cause, kind, table.get(kind, []))
    for marker, specs in lexicon.MARKERS[language].items():
        add(marker, "marker", specs)
    # Two stages, because Python's regex engine skips an alternative whose first letter differs in one
    # comparison only when no named group stands in front of it: a detector without groups, with the
    # alternatives under their first letter, finds the few word starts where anything matches; an
    # anchored match with the named groups then says what matched there. The detector is a
    # lookahead, so matches may overlap and one phrase cannot hide a shorter one of another cause
    # inside it; _resolve_overlaps then keeps the longer where one contains the other.
    plain = {letter: [re.sub(r"\(\?P<g\d+>", "(?:", n) for n in named] for letter, named in branches.items()}
    detector = [f"{re.escape(letter)}(?:{'|'.join(alts)})" for letter, alts in plain.items() if letter]
    detector += ["|".join(plain[None])] if None in branches else []
    exact = {letter: re.compile((re.escape(letter) if letter else "") + f"(?:{'|'.join(named)})")
             for letter, named in branches.items()}
    return re.compile(r"(?<![\w'])(?=" + "|".join(detector) + ")"), exact, groups


@lru_cache(maxsize=None)
def _word_sets():
    topics = re.compile("|".join(f"(?P<{name}>(?<![\\w'])(?:{'|'.join(_pattern(s) for s in specs)}))"
                                 for name, specs in lexicon.TOPICS.items()))
    negators = {lang: re.compile("(?:" + "|".join(_pattern(w) for w in words) + r")\Z")
                for lang, words in lexicon.NEGATORS.items()}
    contrasts = {lang: {fold(w) for w in words} for lang, words in lexicon.CONTRASTS.items()}
    return topics, negators, contrasts, {fold(w) for w in lexicon.NOT_NEGATING_BEFORE}


# --- finding, negating, attributing ----------------------------------------------------------------------------

def _candidates(folded, language):
    found = []
    for lang in LANGUAGES:
        detector, exact, groups = _compiled(lang)
        for position in (m.start() for m in detector.finditer(folded)):
            match = (exact[folded[position]].match(folded, position) if folded[position] in exact else None) \
                or (exact[None].match(folded, position) if None in exact else None)
            if match is None:
                continue
            name = match.lastgroup
            cause, kind, guarded, lettered = groups[name]
            start, end = match.span(name)
            start -= lettered  # the first letter stands outside the group
            if guarded and _TIME_OR_IT.search(folded, start, min(len(folded), end + 12)):
                continue
            found.append(_Found(start, end, cause, kind, lang, WEAK if kind == "weak" else STRONG))
            twin = _twins().get(cause)
            if twin and twin[1].match(folded, start, end):
                found.append(_Found(start, end, twin[0], kind, lang, found[-1].weight))
    return found


@lru_cache(maxsize=None)
def _twins():
    return {cause: (other, re.compile("|".join(_pattern(s) for s in specs)))
            for cause, twins in lexicon.TWINS.items() for other, specs in twins.items()}


def _resolve_overlaps(found):
    # The longer match wins where one contains another: "leaked your customer list" is a data leak,
    # not a leaking kettle; "atlaides kods nestrādāja" is a discount code, not a broken product.
    unique = {(f.start, f.end, f.cause, f.kind): f for f in found}.values()
    kept = [f for f in unique
            if not any(o.start <= f.start and f.end <= o.end and (o.end - o.start) > (f.end - f.start)
                       for o in unique)]
    return sorted((f for f in kept if f.cause != "_ignore"), key=lambda f: (f.start, f.end))


def _negatable(found):
    # Complaint words, some topic words, missing and duration markers can be denied ("nic nie brakowało");
    # "nie dotarła" or "never replied" carry their own negation and are the complaint.
    if found.kind == "marker":
        return found.cause != "waiting"
    return found.kind == "terms" or (found.kind == "weak" and found.cause in NEGATABLE_WEAK)


def _negated(folded, found, language):
    _, negators, contrasts, not_before = _word_sets()
    clause_start = max((m.end() for m in _CLAUSE_END.finditer(folded, 0, found.start)), default=0)
    words = WORD.findall(folded, clause_start, found.start)
    languages = {found.language, language}
    for index in range(len(words) - 1, -1, -1):  # a negation does not reach past "ale" / "but" / "bet"
        if any(words[index] in contrasts[lang] for lang in languages):
            words = words[index + 1:]
            break
    following = words[1:] + [""]
    return any(negators[lang].match(words[i]) and following[i] not in not_before
               for i in range(max(0, len(words) - 2), len(words)) for lang in languages)


def _attributed(folded, found):
    """Markers become the cause of what they are about; "nie ma" with no topic is only a weak sign."""
    if not any(f.kind == "marker" for f in found):
        return found
    topics = list(_word_sets()[0].finditer(folded))
    result = []
    for item in found:
        if item.kind == "marker":
            cause, topic = _attribute(folded, item, topics)
            weak = item.cause == "absent" and topic is None
            item = replace(item, cause=cause, topic=topic, weight=WEAK if weak else STRONG)
        result.append(item)
    return result


def _attribute(folded, marker, topics):
    """A waiting/missing/duration marker's cause: the nearest topic in its sentence, else the default."""
    default = lexicon.MARKER_DEFAULTS[marker.cause]
    begin = max((m.end() for m in _SENTENCE_END.finditer(folded, 0, marker.start)), default=0)
    after = _SENTENCE_END.search(folded, marker.end)
    finish = after.start() if after else len(folded)
    best = None
    for topic in topics:
        if topic.start() < begin or topic.end() > finish:
            continue
        if marker.cause == "duration" and topic.lastgroup == "wrong_or_missing_item":
            continue  # "took 3 weeks" is never about a missing part
        container = _CONTAINER.search(folded, max(0, topic.start() - 8), topic.start())
        if marker.cause in ("missing", "absent") and container:
            continue  # "w paczce brakowało…", "missing in the box": where it is missing, not what
        distance = max(0, topic.start() - marker.end, marker.start - topic.end())
        key = (distance, topic.start() < marker.start)
        if best is None or key < best[0]:
            best = (key, topic)
    if best is None:
        return default, None
    name = best[1].lastgroup
    if name == "order":
        return ("late_delivery" if marker.cause not in ("missing", "absent") else default), best[1].span()
    return name, best[1].span()


def _evidence_by_cause(found):
    evidence = {}
    for item in found:
        evidence.setdefault(item.cause, []).append((item.start, item.end, item.weight))
        if item.topic is not None:
            evidence[item.cause].append((*item.topic, 0))  # shown, so a reader sees what was awaited
    return evidence


def _weighted(spans):
    return [(s, e, w[0] if w else STRONG) for s, e, *w in spans]


def _inside(hit, spans):
    return any(hit.start < s.end and s.start < hit.end for s in spans)


def _score(hits, complaints, denied):
    # Sentiment words plus the complaints found; a negative word that is part of a complaint counts
    # once (as the complaint), and one inside a denied complaint ("nie była uszkodzona") not at all.
    positive = sum(1 for h in hits if h.polarity > 0 and not _inside(h, complaints))
    negative = sum(1 for h in hits if h.polarity < 0 and not _inside(h, complaints) and not _inside(h, denied))
    negative += sum(f.weight for f in complaints)
    total = positive + negative
    return round((positive - negative) / total, 3) if total else 0.0


def _spans_in(text, origin, spans):
    evidence = []
    for start, end in sorted({(s, e) for s, e, *_ in spans}):
        begin, finish = original_span(text, origin, start, end)
        evidence.append(Evidence(text[begin:finish], begin, finish))
    return evidence
