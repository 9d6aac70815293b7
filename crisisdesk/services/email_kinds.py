"""What each kind of customer email says, and whether it is still wanted when its time comes.

The outbox (services/outbox.py) calls `render` and `cancel_reason` for every row it sends; the
follow-up logic (services/follow_up.py) owns the kinds listed in models.outreach.EMAIL_KINDS.

The layout is templates/emails/<kind>.txt and <kind>.html; the words, per language, are in
domain/follow_up_texts.py (personal, calm, concrete about what was done, asking whether it worked,
and inviting, never asking in exchange for anything, an update of the review). One phrase table
rather than Jinja macros shared by both parts: a macro defined in a .txt template and called from
an .html one returns its output unescaped *and* marked safe. Names and product names are the
customer's or the shop's input: the HTML part autoescapes them (Flask escapes templates named
.html) and the subject is flattened to one line, so no header can be injected.
"""
import re
from dataclasses import dataclass
from decimal import Decimal

from flask import current_app

from crisisdesk import clock
from crisisdesk.domain import follow_up as rules
from crisisdesk.domain.follow_up_texts import SCORES, TEXTS
from crisisdesk.domain.personal_data import ERASED_EMAIL_DOMAIN
from crisisdesk.extensions import db
from crisisdesk.models import Order, OutboxEmail, Review, ReviewRevision
from crisisdesk.services import email_links
from crisisdesk.services.case_people import customer_first_name


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str  # the plain-text part
    html: str  # the HTML part


def render(email):
    """The subject and both parts of an outbox row, in its language. Raises for an unknown kind."""
    other = _other_kind(email.kind)
    if other is not None:
        return other.render(email)
    if email.kind not in rules.KINDS:
        raise ValueError(f"no template for emails of kind {email.kind!r}")
    if email.case is None or email.case.recovery is None:
        raise ValueError(f"outbox row {email.id} has no case with a recovery to follow up")
    context = _context(email, rules.normalise_language(email.language) or "en")
    env = current_app.jinja_env
    return RenderedEmail(subject=context["subject"],
                         text=_tidy(env.get_template(f"emails/{email.kind}.txt").render(context)),
                         html=env.get_template(f"emails/{email.kind}.html").render(context))


def cancel_reason(email):
    """Why a due row must not be sent after all (opted out, case reopened, already recovered), or None."""
    other = _other_kind(email.kind)
    if other is not None:
        return other.cancel_reason(email)
    if email.kind not in rules.KINDS:
        raise ValueError(f"emails of kind {email.kind!r} are not follow-ups")
    return rules.cancel_reason(_send_facts(email, clock.utcnow()))


def wait_until(email, now):
    """When a due row is not ready yet (a delay notice whose goodwill code WooCommerce has not created yet),
    the moment to look again; None when it may go now. A kind without a `wait_until` of its own never waits."""
    other = _other_kind(email.kind)
    waits = getattr(other, "wait_until", None)
    return waits(email, now) if waits is not None else None


def _other_kind(kind):
    """The module that renders and vets a kind other than the follow-ups (its own `render`, `cancel_reason`)."""
    # Each imports RenderedEmail from here, hence the import inside the function.
    from crisisdesk.services import (crisis_alert_emails, delay_notice_emails, incident_emails, moderation_emails,
                                     reply_emails, review_request_emails, sla_emails)

    return {reply_emails.KIND: reply_emails, sla_emails.KIND: sla_emails, delay_notice_emails.KIND: delay_notice_emails,
            crisis_alert_emails.KIND: crisis_alert_emails, review_request_emails.KIND: review_request_emails,
            moderation_emails.KIND: moderation_emails, incident_emails.KIND: incident_emails,
            incident_emails.REMINDER_KIND: incident_emails}.get(kind)


def language_for(case):
    """The customer's language if known, else the one their review (or complaint) is written in, else the shop's."""
    customer, review = case.customer, case.review
    text = review.text if review is not None else case.summary
    return rules.choose_language(customer.language if customer else None, text, case.shop.language)


def review_url_for(case):
    """A direct link to the case's review on the product page; None for complaints entered by hand."""
    review = case.review
    if review is None or case.review_removed:
        return None
    permalink = review.product.permalink if review.product else ""
    return rules.review_link(permalink, case.shop.url, review.remote_product_id, review.remote_id)


# --- cancel_reason's facts -------------------------------------------------------------------------------

def _send_facts(email, now):
    case = email.case
    recovery = case.recovery if case else None
    customer = email.customer
    facts = dict(kind=email.kind, case_status=case.status if case else None,
                 review_removed=bool(case and case.review_removed),
                 suppressed=_suppressed(email),
                 address_current=_address_current(customer, email.to_email),
                 outcome=recovery.outcome if recovery else None,
                 recovered_by=recovery.recovered_by if recovery else None,
                 answered=bool(recovery and recovery.satisfaction is not None),
                 window_ends_at=recovery.window_ends_at if recovery else None, now=now)
    if email.kind == rules.REMINDER and case is not None:
        sent_at = _follow_up_sent_at(email)
        facts.update(follow_up_sent_at=sent_at, reacted_since_follow_up=bool(sent_at and _reacted_since(case, sent_at)))
    return rules.SendFacts(**facts)


def _address_current(customer, to_email):
    """The customer still has the address the row was made for, and it is not an erased placeholder."""
    address = to_email.strip().lower()
    return (customer is not None and customer.email.lower() == address
            and not address.endswith("@" + ERASED_EMAIL_DOMAIN))


def _suppressed(email):
    from crisisdesk.services import outbox  # outbox imports this module to send

    return outbox.is_suppressed(email.shop_id, email.to_email)


def _follow_up_sent_at(reminder):
    # The reminder's key differs from its follow-up's only in the kind (domain.follow_up.idempotency_key).
    key = reminder.idempotency_key[:-len(rules.REMINDER)] + rules.FOLLOW_UP
    row = OutboxEmail.query.filter_by(idempotency_key=key).first()
    return row.sent_at if row is not None and row.status == "sent" else None


def _reacted_since(case, moment):
    """The customer changed their review's rating or text, or wrote another review, after the follow-up."""
    if case.review_id is not None:
        revisions = (db.session.query(ReviewRevision.rating, ReviewRevision.text, ReviewRevision.recorded_at)
                     .filter_by(review_id=case.review_id).order_by(ReviewRevision.id).all())
        # A revision also records moderation (a status change by the shop), which is not the customer acting.
        if any(later.recorded_at > moment and (later.rating, later.text) != (earlier.rating, earlier.text)
               for earlier, later in zip(revisions, revisions[1:])):
            return True
    if case.customer_id is None:
        return False
    return db.session.query(Review.query.filter(
        Review.shop_id == case.shop_id, Review.customer_id == case.customer_id, Review.created_at > moment,
        Review.id != (case.review_id or 0)).exists()).scalar()


# --- what the templates are given ------------------------------------------------------------------------

def _context(email, language):
    case, shop, t = email.case, email.shop, TEXTS[language]
    first_name, shop_name = customer_first_name(case), rules.header_safe(shop.name, 200)
    reminder = email.kind == rules.REMINDER
    if reminder:
        subject = t["reminder_subject"]
    else:
        subject = t["subject_named"].format(name=first_name) if first_name else t["subject"]
    return {
        "t": t, "language": language, "subject": rules.header_safe(subject),
        "greeting": t["greeting_named"].format(name=first_name) if first_name else t["greeting"],
        "opening": _opening(t, case), "remedies": _remedies(case, language, t),
        "question": t["reminder_question" if reminder else "question"],
        "rating_links": [{"score": n, "label": t["scores"][n], "url": email_links.rating_url(case.recovery.id, n)}
                         for n in SCORES],
        "review_url": review_url_for(case), "review_invite": t["reminder_review" if reminder else "review_invite"],
        "reply": t["reply"] if shop.reply_to_email else t["reply_site"].format(url=shop.url),
        "shop_name": shop_name, "footer": t["footer"].format(shop=shop_name),
        "unsubscribe_url": email_links.unsubscribe_url(email.shop_id, email.to_email),
    }


def _opening(t, case):
    order = case.order.number if case.order else None
    product = rules.header_safe(case.product.name, 200) if case.product and case.product.name else None
    key = "opening" + ("_order" if order else "") + ("_product" if product else "")
    return t[key].format(order=order, product=product)


def _remedies(case, language, t):
    """What was actually done for the customer, one sentence each: compensations that went through."""
    return remedy_sentences([c for c in case.compensations if c.state == "succeeded"], case.shop_id, language, t)


def remedy_sentences(done, shop_id, language, t):
    """One sentence per compensation in `done`, in the words of `t` (its "refund", "replacement", "coupon")."""
    numbers = _replacement_numbers(shop_id, [c.remote_id for c in done if c.kind == "replacement"])
    sentences = []
    for compensation in done:
        if compensation.kind == "refund":
            sentences.append(t["refund"].format(
                amount=rules.format_money(compensation.amount, compensation.currency, language)))
        elif compensation.kind == "replacement":
            sentences.append(t["replacement"].format(
                order=numbers.get(compensation.remote_id, compensation.remote_id)))
        elif compensation.kind == "coupon":
            sentences.append(t["coupon"].format(
                code=compensation.coupon_code, value=_coupon_value(compensation, language),
                expires=rules.format_date(compensation.coupon_expires_on, language)))
    return sentences


def _replacement_numbers(shop_id, remote_ids):
    if not remote_ids:
        return {}
    rows = db.session.query(Order.remote_id, Order.number).filter(Order.shop_id == shop_id,
                                                                  Order.remote_id.in_(remote_ids)).all()
    return dict(rows)


def _tidy(text):
    """Plain text without the templates' stray spaces and blank-line runs."""
    lines = [line.rstrip() if line.strip() != "--" else "-- " for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"


def _coupon_value(compensation, language):
    if compensation.coupon_type == "percent":
        percent = format(Decimal(compensation.amount).normalize(), "f")
        return (percent if language == "en" else percent.replace(".", ",")) + "%"
    return rules.format_money(compensation.amount, compensation.currency, language)
