"""Tone checks for a reply (EXTRACT §2.3, the DON'Ts): hints for the agent, never a blocker.

`check_tone(reply_text, customer_text, language)` lists what reads badly in a reply, in Polish, English
or Latvian:
- blaming: the customer is told it is their fault ("you should have", "to Pana wina", "jūsu vaina");
- defensive: denial and rules-lawyering ("not our fault", "regulamin jasno", "kā visi zina");
- repeated_apology: more than one apology (one sincere apology is enough); "as an apology" next to a
  discount code is compensation, not a second apology;
- aggressive: emotional or hostile words ("calm down", "bzdura"), shouting in CAPITALS, "!!!";
- no_substance: an apology and a redirect to phone or email ("sorry, please call us") with no concrete
  step: nothing done now (5P act) and no amends (5P compensate);
- skipped_point: a cause found in the customer's text (cause_detection) that the reply neither names nor
  addresses, so the customer's point goes unanswered.

Phrase tables follow cause_lexicon's style: written with diacritics and matched on folded text, so
"wina" = "wina" and "jūsu" = "jusu"; `stem*` takes any ending, `a/b` either word, `..` up to four words
in between (same sentence). Each hint carries its matched words with offsets into the text they were
found in (`source`: "reply", or "customer" for a skipped point) and an explanation marked with N_,
translated by the panel. This is lexical: it points at words, a person judges.
"""
import re
from dataclasses import dataclass

from crisisdesk.domain import five_p
from crisisdesk.domain.cause_detection import classify
from crisisdesk.domain.phrase_regex import join_words
from crisisdesk.domain.texts import N_

LANGUAGES = five_p.LANGUAGES
KINDS = ("blaming", "defensive", "repeated_apology", "aggressive", "no_substance", "skipped_point")

EXPLANATIONS = {
    "blaming": N_("This blames the customer. Own what went wrong instead; even when the customer erred, "
                  "explain calmly what happens next."),
    "defensive": N_("This sounds defensive: it denies the customer's experience or hides behind the rules. "
                    "Acknowledge the problem and say what you will do."),
    "repeated_apology": N_("More than one apology: one sincere apology is enough."),
    "aggressive": N_("Emotional or aggressive wording. Future customers read this too: keep a calm, "
                     "professional tone."),
    "shouting": N_("Capitals and exclamation marks read as shouting: keep a calm tone."),
    "no_substance": N_("An apology and a phone number or email is not an answer. Say what is being done now "
                       "or what you offer, then move the details to a private channel."),
    "skipped_point": N_("The customer raised a point this reply does not address. Answer each point, "
                        "even briefly."),
}

LABELS = {
    "blaming": N_("Blaming the customer"),
    "defensive": N_("Defensive"),
    "repeated_apology": N_("Repeated apology"),
    "aggressive": N_("Emotional tone"),
    "no_substance": N_("No substance"),
    "skipped_point": N_("Point not answered"),
}

# kind -> language -> phrases (cause_lexicon syntax).
PHRASES = {
    "blaming": {
        "en": ["you should have", "you should've", "you shouldn't have", "your own fault", "your fault",
               "you failed to", "you did not/didn't read/check/follow/notice/provide/enter",
               "if you had read/checked/followed/looked", "you ordered the wrong", "user error",
               "you are responsible for", "you are to blame", "it's up to you to"],
        "pl": ["pan*/pani/twoja/wasza wina", "z pana/pani/twojej/waszej winy", "pan*/pani/twój/twoj/wasz błąd",
               "trzeba było", "należało przeczytać/sprawdzić/zapoznać", "powinien pan", "powinna pani",
               "powinno się pan*/pani", "powinieneś", "powinnaś", "sam* pan*/pani .. zamówił*/wybrał*",
               "nie przeczytał* pan*/pani", "gdyby pan*/pani .. przeczytał*/sprawdził*",
               "nie zapoznał* się"],
        "lv": ["jūsu vaina*", "jūsu pašu vaina*", "jūsu kļūd*", "jūs pats/pati/paši vainīg*",
               "jums vajadzēja", "jums bija jā*", "jūs neizlasījāt/nepārbaudījāt/neievērojāt",
               "ja jūs būtu izlasījuši/izlasījis/izlasījusi/pārbaudījuši"],
    },
    "defensive": {
        "en": ["not our fault", "not our problem", "nothing to do with us", "as clearly stated", "clearly stated",
               "as stated in our terms/policy", "according to our terms/policy", "our terms/policy clearly",
               "as everyone knows", "as anyone knows", "we are not responsible", "we're not responsible",
               "we cannot be held responsible", "we did nothing wrong", "we have done nothing wrong",
               "there is no problem", "that is not true", "this is not true", "simply not true",
               "other customers are happy/satisfied", "carrier's/courier's fault", "fault of the carrier/courier"],
        "pl": ["nie nasza wina", "nie z naszej winy", "nie ponosimy odpowiedzialności/winy",
               "nie odpowiadamy za", "regulamin* jasno/wyraźnie/jednoznacznie", "jasno w regulaminie",
               "zgodnie z regulaminem", "jak każdy wie", "jak wszyscy wiedzą", "nie ma żadnego problemu",
               "to nieprawda", "nie jest prawdą", "mija się z prawdą", "inni klienci są zadowoleni",
               "nie mamy z tym nic wspólnego", "wina kuriera/przewoźnika/poczty", "winą kuriera/przewoźnika"],
        "lv": ["nav mūsu vaina", "tā nav mūsu vaina", "mēs neesam vainīgi", "mēs neatbildam",
               "neuzņemamies atbildību", "noteikumos skaidri", "skaidri norādīts/rakstīts", "saskaņā ar noteikumiem",
               "kā visi zina", "tā nav taisnība", "tas nav tiesa", "citi klienti ir apmierināti",
               "kurjera vaina", "pasta vaina"],
    },
    "aggressive": {
        "en": ["calm down", "ridiculous", "nonsense", "stupid*", "idiot*", "liar*", "you are lying", "you're lying",
               "how dare", "shut up", "absurd*", "pathetic", "troll*", "blackmail*", "get your facts straight"],
        "pl": ["proszę się uspokoić", "uspokój się", "uspokoi* się", "bzdur*", "absurd*", "kłamst*", "kłamie*",
               "kłamca", "śmieszn*", "żałosn*", "idiot*", "głupi*", "głupot*", "szantaż*", "trolli*", "hejter*"],
        "lv": ["nomierinieties", "nomierinies", "muļķīb*", "absurd*", "meli", "melojat", "melo", "smieklīg*",
               "stulb*", "idiot*", "šantāž*", "troll*"],
    },
    # Sending the customer elsewhere: right after a concrete answer, wrong instead of one.
    "redirect": {
        "en": ["call/phone/ring us", "give us a call", "contact us/our", "get in touch", "email/e-mail/write to us",
               "send us an email/e-mail/message", "contact our customer service/support",
               "reach out to us/our"],
        "pl": ["proszę/prosimy zadzwonić", "zadzwoń* do nas", "prosimy o kontakt", "proszę o kontakt",
               "zapraszamy do kontaktu", "skontaktuj/skontaktuje/skontaktować się z nami/biurem/obsługą",
               "napisz*/pisz* do nas", "napisz* na adres", "kontakt z naszym/naszą/biurem/obsługą"],
        "lv": ["lūdzu zvaniet", "zvaniet mums", "piezvaniet mums", "sazinieties ar mums/mūsu",
               "rakstiet mums", "uzrakstiet mums", "rakstiet uz"],
    },
}

# A phrase of the apologise step that is really compensation ("a code as an apology").
APOLOGY_AS_AMENDS = {
    "en": ["as an apology", "by way of apology", "as our apology", "with our apologies"],
    "pl": ["w ramach przeprosin", "na przeprosiny", "tytułem przeprosin", "w formie przeprosin"],
    "lv": ["kā atvainošanos", "kā atvainošanās", "atvainošanās kod*", "atvainojoties"],
}

# Words by which a reply names a complaint cause, in any of the three languages.
CAUSE_TOPICS = {
    "late_delivery": ["deliver*", "parcel*", "package*", "shipment*", "shipping", "courier*", "carrier*", "track*",
                      "late", "delay*", "dostaw*", "dostarcz*", "przesyłk*", "paczk*", "kurier*", "przewoźnik*",
                      "opóźnie*", "spóźni*", "śledz*", "piegād*", "sūtījum*", "paka/paku/pakas", "kurjer*", "kavē*",
                      "aizkav*"],
    "damaged_or_defective": ["damag*", "broken", "break*", "crack*", "defect*", "faulty", "fault", "not working",
                             "uszkodz*", "pęknię*", "pękn*", "zepsu*", "usterk*", "wad*", "rozbi*", "nie działa*",
                             "bojā*", "saplīs*", "defekt*", "nestrādā*", "plīs*"],
    "wrong_or_missing_item": ["wrong", "missing", "incorrect", "different", "size", "colour", "color", "described",
                              "ordered", "pack*", "contain*", "zabrak*", "kompletow*", "zawartoś*", "komplektē*",
                              "zły/złą/złe", "brak*", "inny/inną/inne", "rozmiar*", "kolor*", "opis*", "pomyłk*",
                              "nepareiz*", "trūk*", "izmēr*", "krās*", "apraksts/apraksta"],
    "refund_or_payment": ["refund*", "payment*", "charge*", "money", "return*", "zwrot*", "zwróc*", "płatnoś*",
                          "pieniąd*", "pieniędz*", "obciąż*", "pobra*", "reklamac*", "atmaks*", "maksājum*", "naud*",
                          "atgriez*", "iekasē*"],
    "price_or_hidden_fees": ["price*", "fee*", "cost*", "charge*", "surcharge*", "discount*", "code", "cen*", "opłat*",
                             "koszt*", "dopłat*", "rabat*", "kod*", "maks*", "atlaid*", "izmaks*"],
    "customer_service": ["contact*", "repl*", "answer*", "respon*", "support", "service", "email*", "e-mail*",
                         "phone*", "silence", "kontakt*", "odpowied*", "odpis*", "obsług*", "mail*", "telefon*",
                         "milczen*", "atbild*", "sazin*", "apkalpošan*", "e-past*", "zvan*"],
    "security_or_fraud": ["account*", "password*", "secur*", "fraud*", "phishing", "data", "card*", "hasł*",
                          "bezpiecz*", "oszust*", "dane/danych", "kart*", "konto/konta/kontem/koncie", "wyciek*",
                          "paro*", "drošīb*", "krāpnie*", "dati/datu", "pikšķer*", "konts/kontu/kontam/kontā"],
}

SHOUT_WORD = re.compile(r"[^\W\d_]{2,}")
EXCLAMATIONS = re.compile(r"[!?]*![!?]*![!?]*")  # "!!", "!!!", "?!!", "!?!" ...
SHOUT_MIN_WORDS, SHOUT_MIN_LETTERS, SHOUT_LONE_WORD = 2, 8, 8  # "DPD", "RODO" and "PLN" are not shouting

NEGATION_WINDOW = 2  # words looked back: "it was not your fault" is kind, "not that you should have" rare
_SEP = r"(?:[^\w.!?;\n]){1,4}"
_GAP = rf"(?:{_SEP}[\w'-]+){{0,4}}{_SEP}"


@dataclass(frozen=True)
class Match:
    text: str  # as written: source_text[start:end] == text
    start: int
    end: int


@dataclass(frozen=True)
class ToneHint:
    kind: str  # one of KINDS
    matches: tuple  # of Match, in text order
    explanation: str  # an EXPLANATIONS value (English, N_-marked; the panel translates it)
    source: str = "reply"  # the text the matches point into: "reply", or "customer" for a skipped point
    cause: str | None = None  # the skipped cause (causes.CAUSE_NAMES), for skipped_point


def check_tone(reply_text, customer_text="", language=None, customer_causes=None):
    """The tone hints for `reply_text`, in KINDS order; [] for a calm, concrete reply that answers every point.

    `language` ('pl', 'en', 'lv'; else detected as five_p does) is the reply's. `customer_causes` are the
    case's causes when an agent corrected them; None detects them in `customer_text`.
    """
    reply_text = reply_text or ""
    coverage = five_p.check(reply_text, language)
    language = coverage.language
    folded, offsets = five_p.fold_with_offsets(reply_text)
    hints = []
    for kind in ("blaming", "defensive"):
        found = _find(kind, language, reply_text, folded, offsets)
        if found:
            hints.append(ToneHint(kind, found, EXPLANATIONS[kind]))
    apologies = _apologies(coverage, language, folded, offsets, reply_text)
    if len(apologies) > 1:
        hints.append(ToneHint("repeated_apology", apologies, EXPLANATIONS["repeated_apology"]))
    aggressive = _find("aggressive", language, reply_text, folded, offsets)
    if aggressive:
        hints.append(ToneHint("aggressive", aggressive, EXPLANATIONS["aggressive"]))
    shouting = _shouting(reply_text)
    if shouting:
        hints.append(ToneHint("aggressive", shouting, EXPLANATIONS["shouting"]))
    redirects = _find("redirect", language, reply_text, folded, offsets)
    if apologies and redirects and not (coverage["act"].covered or coverage["compensate"].covered):
        hints.append(ToneHint("no_substance", tuple(sorted(apologies[:1] + redirects, key=lambda m: m.start)),
                              EXPLANATIONS["no_substance"]))
    hints += _skipped_points(reply_text, folded, customer_text or "", customer_causes)
    return hints


# --- finding ----------------------------------------------------------------------------------------------------

def _find(kind, language, text, folded, offsets):
    return tuple(_match(text, offsets, m.start(), m.end()) for m in _PATTERNS[kind][language].finditer(folded)
                 if not _negated(folded, m.start(), language))


def _negated(folded, start, language):
    """A negation right before the phrase, in its clause: "nie trzeba było", "tā nav jūsu vaina"."""
    clause = five_p.CLAUSE_BREAK.split(folded[max(0, start - 60):start])[-1]
    words = five_p.WORD.findall(clause)[-NEGATION_WINDOW:]
    return any(w in five_p.FOLDED_NEGATIONS[language] or (language == "en" and w.endswith("n't")) for w in words)


def _apologies(coverage, language, folded, offsets, text):
    amends = [(m.start(), m.end()) for m in _AMENDS[language].finditer(folded)]
    original = [(offsets[a], offsets[b - 1] + 1) for a, b in amends]
    return tuple(Match(e.phrase, e.start, e.end) for e in coverage["apologise"].evidence
                 if not any(start <= e.start < end for start, end in original))


def _shouting(text):
    found, run = [], []

    def close():
        letters = sum(len(m.group(0)) for m in run)
        if (len(run) >= SHOUT_MIN_WORDS and letters >= SHOUT_MIN_LETTERS) or (run and letters >= SHOUT_LONE_WORD):
            found.append(Match(text[run[0].start():run[-1].end()], run[0].start(), run[-1].end()))
        run.clear()

    for word in SHOUT_WORD.finditer(text):
        if word.group(0).isupper():
            if run and text[run[-1].end():word.start()].strip(" ,-") != "":
                close()  # a sentence end or other text in between: a new run
            run.append(word)
        else:
            close()
    close()
    found += [Match(m.group(0), m.start(), m.end()) for m in EXCLAMATIONS.finditer(text)]
    return tuple(sorted(found, key=lambda m: m.start))


def _skipped_points(reply_text, reply_folded, customer_text, customer_causes):
    if not customer_text.strip():
        return []
    detected = classify(customer_text)
    causes = list(detected.causes) if customer_causes is None else list(customer_causes)
    causes = [c for c in causes if c in CAUSE_TOPICS]
    if not causes:
        return []
    in_reply = set(classify(reply_text).causes) if reply_text.strip() else set()
    hints = []
    for cause in causes:
        evidence = detected.evidence.get(cause, [])
        if cause in in_reply or _TOPICS[cause].search(reply_folded) or _echoes(evidence, reply_folded):
            continue
        hints.append(ToneHint("skipped_point", tuple(Match(e.text, e.start, e.end) for e in evidence),
                              EXPLANATIONS["skipped_point"], source="customer", cause=cause))
    return hints


def _echoes(evidence, reply_folded):
    """Whether the reply repeats a word of the customer's evidence (by its first five letters)."""
    reply_stems = {word[:5] for word in five_p.WORD.findall(reply_folded) if len(word) >= 4}
    return any(word[:5] in reply_stems for e in evidence for word in five_p.WORD.findall(five_p.fold(e.text))
               if len(word) >= 4)


def _match(text, offsets, start, end):
    begin, finish = offsets[start], offsets[end - 1] + 1
    return Match(text[begin:finish], begin, finish)


# --- compiling --------------------------------------------------------------------------------------------------

def _token(token):
    alternatives = []
    for word in five_p.fold(token).split("/"):
        stem = word.endswith("*")
        alternatives.append(re.escape(word.rstrip("*")) + (r"[\w'-]*" if stem else r"(?![\w'])"))
    return "(?:" + "|".join(alternatives) + ")"


def _phrase(spec):
    return join_words(spec.split(), _token, _SEP, _GAP)


def _compile(specs):
    return re.compile(r"(?<![\w'])(?:" + "|".join(_phrase(spec) for spec in specs) + ")")


_PATTERNS = {kind: {lang: _compile(table[lang]) for lang in LANGUAGES} for kind, table in PHRASES.items()}
_AMENDS = {lang: _compile(specs) for lang, specs in APOLOGY_AS_AMENDS.items()}
_TOPICS = {cause: _compile(words) for cause, words in CAUSE_TOPICS.items()}
