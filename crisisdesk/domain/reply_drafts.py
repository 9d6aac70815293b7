"""Drafts a reply to a complaint along the 5P steps, for an agent to check and send (SPEC section 2).

A person decides: this only drafts. The draft is personal (first name, order, product, the
concrete remedy) and written per cause from reply_texts. A public reply goes under the review,
so it names nobody beyond the first name, never the order number or an amount, and moves the
rest to email ("answer publicly, solve privately"); a private email may name the order and the
amount. Nothing in a draft mentions changing a review or depends on the rating.
"""
from dataclasses import dataclass, field

from crisisdesk.domain import five_p
from crisisdesk.domain.causes import CAUSE_NAMES
from crisisdesk.domain.remedy_texts import remedy_sentences
from crisisdesk.domain.reply_texts import TEXTS

LANGUAGES = tuple(TEXTS)
REMEDIES = (None, "refund", "replacement", "coupon")
FALLBACK_LANGUAGE = "en"
FALLBACK_CAUSE = "other"


@dataclass(frozen=True)
class DraftContext:
    language: str = FALLBACK_LANGUAGE  # 'pl', 'en' or 'lv'; anything else drafts in English
    customer_first_name: str = ""  # empty: a polite greeting without a name
    order_number: object = None  # str or int; only private drafts show it
    product_name: str = ""
    causes: tuple = ()  # cause names (causes.CAUSE_NAMES), the first is the main one
    remedy: object = None  # None, "refund", "replacement" or "coupon"
    remedy_detail: str = ""  # "10%", "49.00 PLN"; only private drafts show it
    shop_name: str = ""
    agent_name: str = ""  # the signature line; empty signs as the shop's team
    public: bool = False  # True: the reply under the review; False: the private email
    remedies: tuple = ()  # (kind, done) of the case's recorded remedies (domain/remedies.py), oldest first

    def __post_init__(self):
        if self.remedy not in REMEDIES:
            raise ValueError(f"unknown remedy {self.remedy!r}: expected one of {REMEDIES}")
        # A list passed in is kept as a tuple, so the context stays immutable and hashable.
        object.__setattr__(self, "causes", tuple(self.causes or ()))
        object.__setattr__(self, "remedies", tuple(tuple(r) for r in self.remedies or ()))


@dataclass(frozen=True)
class Draft:
    text: str
    language: str
    steps_used: tuple = field(default=())  # the 5P steps the text covers, in step order


def draft_reply(context):
    """A Draft for `context` covering all five steps, in the context's language (English otherwise)."""
    language = context.language if context.language in TEXTS else FALLBACK_LANGUAGE
    texts = TEXTS[language]
    cause = main_cause(context.causes)
    values = _subject_values(texts, context)
    remedies = remedy_sentences(language, context.remedies)  # what the agent recorded as done or under way
    first = [texts["thanks"], texts["apologise"][cause].format(**values), texts["admit"][cause]]
    second = [texts["act"][cause], remedies["act"], texts.get("advice", {}).get(cause, ""), texts["improve"][cause],
              remedies["improve"]]
    paragraphs = [
        " ".join(part for part in first if part),
        " ".join(part for part in second if part),
        " ".join(part for part in (_compensation(texts, context), remedies["compensate"]) if part),
        texts["closing_public"] if context.public else texts["closing_private"],
    ]
    if texts["lowercase_after_greeting"]:
        paragraphs[0] = paragraphs[0][:1].lower() + paragraphs[0][1:]
    text = "\n\n".join([_greeting(texts, context), *paragraphs, _signature(texts, context)])
    coverage = five_p.check(text, language)
    return Draft(text=text, language=language, steps_used=coverage.covered)


def main_cause(causes):
    """The first known cause name, or 'other'."""
    for cause in causes or ():
        if cause in CAUSE_NAMES:
            return cause
    return FALLBACK_CAUSE


def usable_first_name(name, public):
    """The name to greet with, or "" when it is unusable (an email address, a username with digits).

    A public reply keeps only the first word, so a full name typed into the first-name field
    never puts a surname under the review.
    """
    name = " ".join((name or "").split())
    if not name or "@" in name or any(char.isdigit() for char in name):
        return ""
    return name.split(" ")[0] if public else name


def _greeting(texts, context):
    name = usable_first_name(context.customer_first_name, context.public)
    return texts["greeting_named"].format(name=name) if name else texts["greeting"]


def _subject_values(texts, context):
    order = "" if context.public or context.order_number is None else str(context.order_number).strip()
    product = " ".join((context.product_name or "").split())
    variant = ("order_product" if order and product else "order" if order else "product" if product else "none")
    suffix = texts["subject_suffix"][variant].format(order=order, product=product)
    return {f"subject_{case}": noun + suffix for case, noun in texts["subject"].items()}


def _compensation(texts, context):
    sentences = texts["compensate"]
    key = context.remedy or "none"
    detail = (context.remedy_detail or "").strip()
    if context.public:
        return sentences[f"{key}_public"]
    if detail and f"{key}_detail" in sentences:
        return sentences[f"{key}_detail"].format(detail=detail)
    return sentences[key]


def _signature(texts, context):
    agent = (context.agent_name or "").strip()
    shop = (context.shop_name or "").strip()
    lines = [texts["sign_off"]]
    if agent:
        lines.append(agent)
        if shop:
            lines.append(shop)
    elif shop:
        lines.append(texts["team"].format(shop=shop))
    return "\n".join(lines)
