"""Answering reviews that opened no case (SPEC "Answer everyone"): which answer a review calls for, and a draft.

A person decides: this only drafts, and the agent edits the draft and presses Send. The kind follows the
seeds' table of review types (EXTRACT §3.3):
- "thanks": a 4–5★ review that makes no point to take up: thank them publicly;
- "suggestion": the reviewer proposes something ("could be bigger", "przydałby się", "būtu labi");
- "point": the reviewer names something that went wrong (the cause detector's causes, or a negative text),
  or the review is negative (1–2★, below the shop's case threshold): acknowledge that very point;
- "neutral": a 3★ review with neither: thank them for the honesty and ask what was missing.
"""
import re
from dataclasses import dataclass

from crisisdesk.domain.reply_drafts import usable_first_name
from crisisdesk.domain.review_answer_texts import POINT_KEYS, TEXTS
from crisisdesk.domain.sentiment import fold

LANGUAGES = tuple(TEXTS)
KINDS = ("thanks", "suggestion", "point", "neutral")
MAX_LENGTH = 2000  # a thank-you or a short answer under a review, not a letter
RATING_CLASSES = {"positive": (4, 5), "neutral": (3,), "negative": (1, 2)}  # as the dashboard counts reviews

# Words that propose a change, on the folded text (lower case, no diacritics). Wishes, not complaints: "brakuje"
# and "missing" are left out, because a missing item is a complaint the cause detector already knows.
_SUGGESTION = {
    "en": r"(?:would|could|should) (?:be|have|use|come|get|make|offer|add)|would (?:love|like|prefer)|i wish|"
          r"wish (?:it|there|they|you)|suggest\w*|maybe (?:add|make|offer|consider)|please (?:add|make|offer|consider)|"
          r"if only|would be (?:nice|great|good|better|handy|useful)",
    "pl": r"przydal(?:by|aby|oby)|mogl(?:by|aby|oby)|moglyby|powin(?:ien|na|no|ny)|warto by\w*|"
          r"(?:fajnie|dobrze|lepiej|super) (?:by|byloby|gdyby)|szkoda,? ze|sugest\w*|sugeruj\w*|propon\w*|"
          r"gdyby (?:byl|byla|bylo|byly|mial|miala|mialo|dodac)",
    "lv": r"varetu|butu (?:labi|jauki|labak|ertak|noderigi)|ieteik\w*|iesak\w*|zel,? ka|vajadzetu|ja vien|velams",
}
SUGGESTION = re.compile(r"(?<!\w)(?:" + "|".join(_SUGGESTION.values()) + r")(?!\w)")


@dataclass(frozen=True)
class AnswerContext:
    language: str  # 'pl', 'en' or 'lv'; anything else drafts in English
    rating: int  # 0: no rating
    text: str  # what the reviewer wrote
    causes: tuple = ()  # the cause detector's causes (domain.causes names), main first
    sentiment: str = "neutral"  # the detector's label: negative | neutral | positive
    first_name: str = ""
    product_name: str = ""
    signature: str = ""  # the last line: the agent's name and the shop's


@dataclass(frozen=True)
class AnswerDraft:
    text: str
    language: str
    kind: str  # one of KINDS


def rating_class(rating):
    """positive, neutral or negative by the stars, as the dashboard counts them; None without a rating."""
    return next((name for name, stars in RATING_CLASSES.items() if rating in stars), None)


def has_suggestion(text):
    """True when the text proposes something (in Polish, English or Latvian)."""
    return bool(SUGGESTION.search(fold(text or "")))


def answer_kind(rating, text, causes=(), sentiment="neutral"):
    """Which answer the review calls for (see the module's docstring)."""
    if rating_class(rating) == "negative":
        return "point"
    if has_suggestion(text):
        return "suggestion"
    if causes or sentiment == "negative":
        return "point"
    return "neutral" if rating == 3 else "thanks"


def draft_answer(context):
    """An AnswerDraft for `context`, in its language (English otherwise), signed with `context.signature`."""
    language = context.language if context.language in TEXTS else "en"
    texts = TEXTS[language]
    kind = answer_kind(context.rating, context.text, context.causes, context.sentiment)
    name = usable_first_name(context.first_name, public=True)
    product = " ".join((context.product_name or "").split())
    point = next((cause for cause in context.causes or () if cause in POINT_KEYS), "other")
    body = texts[kind].format(
        thank=texts["thank_named"].format(name=name) if name else texts["thank"],
        of_product=texts["of_product"].format(product=product) if product else "",
        point=texts["points"][point])
    signature = " ".join((context.signature or "").split())
    return AnswerDraft(text=f"{body}\n\n{signature}" if signature else body, language=language, kind=kind)
