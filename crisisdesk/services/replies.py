"""Answering a case along the 5P rule (SPEC section 2): draft, check, send. A person decides.

Nothing here sends on its own: `draft_for` only proposes a text, `review` only reports on one,
and `send_reply` records what an agent approved as CaseReply rows (one per channel), which
services/reply_delivery.py then delivers: under the review through the bridge, and/or by email
through the outbox. The idempotency key of the composer's form makes a double click or a browser
retry find the rows of the first submission.

Language: a draft is written in the language the customer wrote in (`Case.language`, set by the
detector), because the public reply sits under that very text and the customer reads it first;
when the detector did not set it (a short text, a hand-entered complaint), in the shop's language.
The agent may pick another of the three in the composer.
"""
import re
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.exc import IntegrityError

from crisisdesk import clock
from crisisdesk.domain import five_p, tone_check
from crisisdesk.domain.case_status import CaseStatus
from crisisdesk.domain.errors import Conflict, Invalid
from crisisdesk.domain.follow_up import format_money
from crisisdesk.domain.reply_drafts import REMEDIES, DraftContext, draft_reply
from crisisdesk.domain.reply_similarity import Candidate, similar_replies
from crisisdesk.domain.roles import Role
from crisisdesk.domain.texts import N_
from crisisdesk.extensions import db
from crisisdesk.models import Case, CaseReply, Compensation, Customer
from crisisdesk.services import audit, outbox, reply_delivery
from crisisdesk.services.case_people import customer_first_name
from crisisdesk.services.cases import get_case
from crisisdesk.services.review_cases import add_event

LANGUAGES = five_p.LANGUAGES
CHANNEL_CHOICES = {"public": ("public",), "email": ("email",), "both": ("public", "email")}
CHANNEL_LABELS = {"public": N_("Public, under the review"), "email": N_("Private email"), "both": N_("Both")}
MAX_REPLY_LENGTH = 10_000  # what the bridge accepts for one comment (class-crisisdesk-replies-route.php)
MAX_KEY_LENGTH = 100  # the column holds 120: room for ":public" / ":email"
SIMILARITY_WINDOW = 500  # the shop's latest replies a text is compared with
COUNTED_STATUSES = ("posted", "queued")  # replies that went (or are going) out to a customer
LIVE_COMPENSATIONS = ("awaiting_approval", "approved", "executing", "succeeded", "unknown")


@dataclass(frozen=True)
class ReplyOptions:
    """How this case can be answered: the channel choices and, for a channel that cannot be used, why."""
    choices: tuple  # keys of CHANNEL_CHOICES, the default first
    email_address: str | None
    public_refusal: str | None
    email_refusal: str | None


@dataclass(frozen=True)
class SimilarReply:
    reply_id: int
    case_id: int
    percent: int
    sent_at: object


@dataclass(frozen=True)
class ReplyReview:
    """What the composer shows about a text: its 5P coverage, the earlier replies it nearly repeats, and its tone
    hints (tone_check.ToneHint: hints for the agent, never a reason to refuse sending)."""
    coverage: five_p.Coverage
    similar: tuple  # of SimilarReply, most similar first
    tone: tuple = ()  # of tone_check.ToneHint, in tone_check.KINDS order


@dataclass(frozen=True)
class ComposedDraft:
    text: str
    language: str
    channel: str  # a key of CHANNEL_CHOICES
    remedy: str | None  # the remedy the draft offers


def reply_options(case):
    """The channels open to `case`: public only under a review WordPress still shows; email only to an address
    that did not ask for no more email."""
    public_refusal = _public_refusal(case)
    address = reply_delivery.recipient_address(case)
    email_refusal = None
    if not address:
        email_refusal = "There is no email address for this customer."
    elif outbox.is_suppressed(case.shop_id, address):
        email_refusal = f"{address} asked for no more emails from this shop; it cannot be emailed."
    channels = [c for c, refused in (("public", public_refusal), ("email", email_refusal)) if not refused]
    choices = (("both",) if len(channels) == 2 else ()) + tuple(channels)
    return ReplyOptions(choices=choices, email_address=address, public_refusal=public_refusal,
                        email_refusal=email_refusal)


def language_for(case):
    """The draft's language: the customer's text's (when detected), else the shop's, else English."""
    for candidate in (case.language, case.shop.language):
        if candidate in LANGUAGES:
            return candidate
    return "en"


def draft_for(user, case_id, channel, remedy=None, language=None):
    """A 5P draft for the case. `remedy` None takes the case's latest compensation; "none" offers none.

    For "both" the text is the public one (no order number or amount): one text goes to both places.
    """
    case = get_case(user, case_id, Role.AGENT)
    channel = _checked_choice(channel)
    language = language if language in LANGUAGES else language_for(case)
    if remedy not in (None, "none") + REMEDIES:
        raise Invalid(f"remedy must be one of none, {', '.join(r for r in REMEDIES if r)}", "remedy")
    compensation = _latest_compensation(case)
    if remedy is None:
        remedy = compensation.kind if compensation else None
    remedy = None if remedy == "none" else remedy
    detail = _remedy_detail(compensation, language) if compensation and compensation.kind == remedy else ""
    context = DraftContext(
        language=language, customer_first_name=customer_first_name(case),
        order_number=case.order.number if case.order else None, product_name=_product_name(case),
        causes=tuple(case.causes or ([case.cause] if case.cause else [])), remedy=remedy, remedy_detail=detail,
        shop_name=case.shop.name, agent_name=signature_name(user), public=channel != "email",
        remedies=tuple((remedy.kind, remedy.status == "done") for remedy in case.remedies))
    draft = draft_reply(context)
    return ComposedDraft(text=draft.text, language=draft.language, channel=channel, remedy=remedy)


def review(user, case_id, text, language=None):
    """The 5P coverage of `text` and the shop's recent replies to *other* customers it nearly repeats."""
    case = get_case(user, case_id, Role.AGENT)
    return _review(case, text or "", language if language in LANGUAGES else None)


def send_reply(user, case_id, actor, channel, text, idempotency_key, language=None):
    """Record the agent's reply, one CaseReply per channel, and start its delivery; the same key returns those rows."""
    case = get_case(user, case_id, Role.AGENT)
    key = (idempotency_key or "").strip()
    if not key or len(key) > MAX_KEY_LENGTH:
        raise Invalid("the form expired; open the case again", "idempotency_key")
    earlier = _rows_for_key(key)
    if earlier:
        if any(row.case_id != case.id for row in earlier):
            raise Conflict("this form was already used for another case; open the case again", "idempotency_key")
        return earlier
    channels = CHANNEL_CHOICES[_checked_choice(channel)]
    text = _checked_text(text)
    _check_channels(case, channels)
    language = language if language in LANGUAGES else language_for(case)
    checked = _review(case, text, language)
    rows = [CaseReply(shop_id=case.shop_id, case=case, author_id=user.id, channel=name, language=language,
                      content=text, idempotency_key=f"{key}:{name}", status="pending",
                      next_attempt_at=clock.utcnow(), steps_missing=list(checked.coverage.missing),
                      similar_to=[{"reply_id": s.reply_id, "case_id": s.case_id, "percent": s.percent}
                                  for s in checked.similar])
            for name in channels]
    db.session.add_all(rows)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()  # the same submission, racing in another request: theirs are the rows
        return _rows_for_key(key)
    _record_sent(case, rows, checked, actor)
    db.session.commit()
    for row in rows:
        reply_delivery.start(row)
    return rows


# --- checks ---------------------------------------------------------------------------------------------------

def _checked_choice(channel):
    if channel not in CHANNEL_CHOICES:
        raise Invalid(f"channel must be one of {', '.join(CHANNEL_CHOICES)}", "channel")
    return channel


def _checked_text(text):
    text = (text or "").replace("\r\n", "\n").strip()
    if not text:
        raise Invalid("the reply is empty", "text")
    if len(text) > MAX_REPLY_LENGTH:
        raise Invalid(f"the reply is longer than {MAX_REPLY_LENGTH} characters", "text")
    return text


def _check_channels(case, channels):
    options = reply_options(case)
    if "public" in channels and options.public_refusal:
        raise Invalid(options.public_refusal, "channel")
    if "email" in channels and options.email_refusal:
        raise Invalid(options.email_refusal, "channel")


def _public_refusal(case):
    if case.source != "review" or case.review is None or not case.review.remote_id:
        return "This complaint did not come from a review: it can only be answered by email."
    if case.review_removed:
        return "The review was trashed or marked as spam in WordPress: answer by email."
    return None


def _review(case, text, language):
    coverage = five_p.check(text, language)
    rows = (db.session.query(CaseReply.id, CaseReply.content, CaseReply.case_id, CaseReply.delivered_at,
                             CaseReply.created_at, Case.customer_id, Customer.email, Customer.first_name,
                             Customer.last_name)
            .join(Case, Case.id == CaseReply.case_id).outerjoin(Customer, Customer.id == Case.customer_id)
            .filter(CaseReply.shop_id == case.shop_id, CaseReply.status.in_(COUNTED_STATUSES))
            .order_by(CaseReply.id.desc()).limit(SIMILARITY_WINDOW).all())
    earlier = [(row.id, row.content, _recipient(row.customer_id, row.email, row.case_id),
                (row.first_name or "", row.last_name or "")) for row in rows]
    customer = case.customer
    names = (customer.first_name, customer.last_name) if customer else ()
    candidate = Candidate(text=text, names=tuple(n for n in names if n),
                          recipient_key=_recipient(case.customer_id, reply_delivery.recipient_address(case), case.id))
    by_id = {row.id: row for row in rows}
    similar = tuple(SimilarReply(reply_id=m.reply_id, case_id=by_id[m.reply_id].case_id, percent=m.percent,
                                 sent_at=by_id[m.reply_id].delivered_at or by_id[m.reply_id].created_at)
                    for m in similar_replies(candidate, earlier))
    tone = tone_check.check_tone(text, _customer_text(case), coverage.language, customer_causes=list(case.causes or []))
    return ReplyReview(coverage=coverage, similar=similar, tone=tuple(tone))


def _customer_text(case):
    """What the customer wrote: the review's text, or the complaint as entered by hand."""
    return case.review.text if case.review is not None and case.review.text else case.summary or ""


def _recipient(customer_id, email, case_id):
    # One customer is one recipient, whichever case they wrote in; a case without a customer is its own.
    if customer_id:
        return ("customer", customer_id)
    return ("email", email.lower()) if email else ("case", case_id)


def _rows_for_key(key):
    return (CaseReply.query.filter(CaseReply.idempotency_key.in_([f"{key}:{name}" for name in ("public", "email")]))
            .order_by(CaseReply.id).all())


def _record_sent(case, rows, checked, actor):
    channels = [row.channel for row in rows]
    missing = [five_p.POLISH_NAMES[step] for step in checked.coverage.missing]
    where = " and ".join({"public": "under the review", "email": "by email"}[c] for c in channels)
    note = f" Missing 5P steps: {', '.join(missing)}." if missing else ""
    if checked.similar:
        note += f" {checked.similar[0].percent}% like reply #{checked.similar[0].reply_id} to another customer."
    add_event(case, "reply_sent", f"Reply written, to be sent {where}.{note}", actor,
              reply_ids=[row.id for row in rows], channels=channels)
    audit.record(actor, "case.reply_sent", case, reply_ids=[row.id for row in rows], channels=channels,
                 steps_missing=list(checked.coverage.missing),
                 similar_to=[s.reply_id for s in checked.similar])
    if case.status == CaseStatus.NEW.value:  # the agent is on it (as a recorded contact does in services/cases)
        case.status = CaseStatus.IN_PROGRESS.value
        add_event(case, "status", f"Status: {CaseStatus.NEW.label} → {CaseStatus.IN_PROGRESS.label}", actor,
                  before=CaseStatus.NEW.value, after=CaseStatus.IN_PROGRESS.value)


# --- what a draft is made of --------------------------------------------------------------------------------

def _product_name(case):
    if case.product is not None and case.product.name:
        return case.product.name
    items = case.order.items if case.order is not None else []
    return items[0].name if items else ""


def _latest_compensation(case):
    return (Compensation.query.filter(Compensation.case_id == case.id, Compensation.state.in_(LIVE_COMPENSATIONS))
            .order_by(Compensation.id.desc()).first())


def _remedy_detail(compensation, language):
    if compensation.kind == "refund":
        return format_money(compensation.amount, compensation.currency, language)
    if compensation.kind == "coupon" and compensation.coupon_type == "percent":
        percent = format(Decimal(compensation.amount).normalize(), "f")
        return (percent if language == "en" else percent.replace(".", ",")) + "%"
    if compensation.kind == "coupon":
        return format_money(compensation.amount, compensation.currency, language)
    return ""


def signature_name(user):
    # "Kuba (support)" is a label for colleagues; the customer reads "Kuba".
    return re.sub(r"\s*\([^)]*\)\s*$", "", (user.name or "").strip())
