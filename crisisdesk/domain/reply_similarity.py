"""The "no canned answers" check (SPEC section 2): is a draft nearly the same as an earlier reply?

Texts are compared after normalising what may legitimately differ between two personal replies:
case, diacritics and whitespace, numbers (order numbers, amounts, percentages, dates), email
addresses and links, the name right after the greeting ("Hello Anna," / "Dzień dobry, Anna," /
"Labdien, Anna!") and the recipient names passed in. What is left is what the agent wrote;
similarity is the Jaccard index of word 3-shingles. Replies to the same recipient are skipped:
writing to one customer twice in the same words is not a canned answer.

The caller passes at most the latest few hundred replies, so exact shingle sets are fast enough
(no MinHash needed): a few hundred set intersections of a hundred-odd shingles each.
"""
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from crisisdesk.domain.five_p import fold

SHINGLE = 3
DEFAULT_THRESHOLD = 0.8

GREETING = re.compile(
    r"^[ \t]*(?:hello|hi|hey|dear|good (?:morning|afternoon|evening)|dzień dobry|dzien dobry|witam|witaj|"
    r"cześć|czesc|szanown[aiy]|drog(?:a|i|ie)|labdien|labrīt|labrit|labvakar|sveiki|sveika|sveiks|"
    r"cienījam\w*|cienijam\w*|godātais|godātā|godatais|godata)(?![\w])[ \t]*[,!]?[ \t]*",
    re.IGNORECASE | re.MULTILINE)
SPACES = re.compile(r"[ \t]+")
NAME_WORD = re.compile(r"[^\W\d_][\w'’-]*")
GREETING_NAME_WORDS = 3  # "Hello Anna Maria," / "Dear Mr Smith,"
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
URL = re.compile(r"(?:https?://|www\.)\S+")
# A number with what belongs to it: "#1042", "nr 1042", "49.00 pln", "€15", "10%", "wc-1042-a".
NUMBERISH = re.compile(r"(?:[€$£]\s*)?[#№]?\w*\d[\w./,:-]*(?:\s*(?:%|pln|zl|eur|euro|eiro|usd|gbp|[€$£])(?!\w))?")
TOKEN = re.compile(r"<[a-z]+>|\w+")
PLACEHOLDERS = {"name": "<name>", "number": "<num>", "email": "<email>", "url": "<url>"}


@dataclass(frozen=True)
class Candidate:
    """The reply being written: its text and whom it goes to."""
    text: str
    recipient_key: object = None  # e.g. the customer id or email; None compares with every reply
    names: tuple = field(default=())  # the recipient's names, masked wherever they appear


@dataclass(frozen=True)
class Match:
    reply_id: object
    similarity: float  # Jaccard index of the normalised texts' 3-shingles, 0..1
    recipient_key: object = None

    @property
    def percent(self):
        """The similarity as a whole percentage, for "93 % identical to reply #41"."""
        return int(round(self.similarity * 100))


def normalise_for_similarity(text, names=()):
    """`text` reduced to what an agent wrote: lower case, no diacritics, single spaces, no
    punctuation, with greeting names, `names`, numbers, amounts, emails and links masked."""
    return _masked(_prepared(text or ""), _name_patterns(names))


def similarity(text_a, text_b, names=()):
    """The Jaccard index of the two texts' word 3-shingles after normalising both."""
    return _jaccard(_shingles(normalise_for_similarity(text_a, names)),
                    _shingles(normalise_for_similarity(text_b, names)))


def similar_replies(draft, earlier, threshold=DEFAULT_THRESHOLD, names=()):
    """Earlier replies to other recipients at least `threshold` similar to `draft`, most similar first.

    `draft` is a Candidate, a (text, recipient_key) pair, or anything with `.text` (and maybe
    `.recipient_key`, e.g. a reply_drafts.Draft). `earlier` yields (reply_id, text, recipient_key)
    and may add a fourth item, that recipient's names, to mask them in that reply too. `names`
    are masked in every text (e.g. the names of all the shop's recent recipients). Equal
    similarities keep the order of `earlier` (pass the newest first).
    """
    text, recipient, draft_names = _unpack_draft(draft)
    own_names = tuple(names) + tuple(draft_names)
    draft_shingles = _shingles(normalise_for_similarity(text, own_names))
    if not draft_shingles:
        return []
    own_patterns = _name_patterns(own_names)
    own_name_found = re.compile("|".join(p.pattern for p in own_patterns)).search if own_patterns else None
    matches = []
    for item in earlier:
        reply_id, reply_text, reply_recipient, *rest = item
        if recipient is not None and reply_recipient == recipient:
            continue
        reply_names = tuple(rest[0] if rest else ())
        prepared = _prepared(reply_text or "")
        if own_name_found and own_name_found(prepared):
            shingles = _shingles(_masked(prepared, own_patterns + _name_patterns(reply_names)))
        else:  # masking names that do not occur changes nothing: the reply's own (remembered) shingles
            shingles = _reply_shingles(reply_text or "", reply_names)
        score = _jaccard(draft_shingles, shingles)
        if score >= threshold:
            matches.append(Match(reply_id=reply_id, similarity=score, recipient_key=reply_recipient))
    matches.sort(key=lambda match: -match.similarity)
    return matches


# The services compare a draft with the shop's latest few hundred replies on every case page; those replies do
# not change, so their normalised forms are remembered (pure functions of their arguments; twice the window).
REMEMBERED = 1024


@lru_cache(maxsize=REMEMBERED)
def _prepared(text):
    """normalise_for_similarity up to masking `names`: emails, links, greeting names, folding, numbers."""
    text = unicodedata.normalize("NFC", text)
    text = EMAIL.sub(f" {PLACEHOLDERS['email']} ", text)
    text = URL.sub(f" {PLACEHOLDERS['url']} ", text)
    text = _mask_greeting_names(text)  # before folding: it needs the capital letter
    text = fold(text)
    return NUMBERISH.sub(f" {PLACEHOLDERS['number']} ", text)


@lru_cache(maxsize=REMEMBERED)
def _reply_shingles(text, names):
    return frozenset(_shingles(_masked(_prepared(text), _name_patterns(names))))


def _masked(prepared, patterns):
    for pattern in patterns:
        prepared = pattern.sub(PLACEHOLDERS["name"], prepared)
    return " ".join(_collapse_repeats(TOKEN.findall(prepared)))


def _unpack_draft(draft):
    if isinstance(draft, tuple):
        text, recipient = draft
        return text, recipient, ()
    return draft.text, getattr(draft, "recipient_key", None), tuple(getattr(draft, "names", ()) or ())


def _mask_greeting_names(text):
    # Capitalised words straight after a greeting are the addressee ("Hello Anna Maria,");
    # a lower-case word ("Hello there,") is part of the text and stays.
    pieces, kept_until = [], 0
    for greeting in GREETING.finditer(text):
        name_end = _greeting_name_end(text, greeting.end())
        if name_end is not None:
            pieces += [text[kept_until:greeting.end()], PLACEHOLDERS["name"]]
            kept_until = name_end
    pieces.append(text[kept_until:])
    return "".join(pieces)


def _greeting_name_end(text, position):
    end = None
    for _ in range(GREETING_NAME_WORDS):
        word = NAME_WORD.match(text, position)
        if not word or not word.group(0)[0].isupper():
            break
        end = word.end()
        spaces = SPACES.match(text, end)
        position = spaces.end() if spaces else end
    return end


def _name_patterns(names):
    patterns = []
    for name in names:
        for word in fold(name or "").split():
            word = re.sub(r"[^\w'-]", "", word)
            if len(word) < 2:
                continue
            # Polish and Latvian decline names ("Anna" → "Anny", "Annie"; "Jānis" → "Jāni"): match the
            # stem without its last vowel or "s", plus a short ending.
            stem = word[:-1] if len(word) > 3 and word[-1] in "aeiouys" else word
            patterns.append(re.compile(rf"(?<!\w){re.escape(stem)}\w{{0,3}}(?!\w)"))
    return patterns


def _collapse_repeats(tokens):
    # "1 234,56" masks to two numbers and "1234.56" to one: runs of one placeholder count once.
    out = []
    for token in tokens:
        if not (out and token == out[-1] and token.startswith("<")):
            out.append(token)
    return out


def _shingles(normalised):
    tokens = normalised.split()
    if len(tokens) < SHINGLE:
        return {tuple(tokens)} if tokens else set()
    return {tuple(tokens[index:index + SHINGLE]) for index in range(len(tokens) - SHINGLE + 1)}


def _jaccard(a, b):
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)
