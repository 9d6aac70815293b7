"""The delay notice email (outbox kind "delay_notice"): the agent's text as written, then the goodwill code once
WooCommerce has created it, a sign-off with the shop's name, how to answer, and why the customer gets it.

Written by a person, like a reply to a complaint, so it is laid out by the same templates
(services/reply_emails.personal_email). While the code is still being created the row waits
(`wait_until`); a code WooCommerce refused, or one still unconfirmed after CODE_WAIT_LIMIT, cancels the
email: a notice must not promise a code that does not work (the at-risk page shows why it was not sent).
"""
from datetime import timedelta

from crisisdesk.domain import delay_notices as texts
from crisisdesk.domain.compensation_policy import PENDING_STATES
from crisisdesk.domain.follow_up import header_safe, normalise_language
from crisisdesk.domain.follow_up_texts import TEXTS as FOLLOW_UP_TEXTS
from crisisdesk.domain.personal_data import ERASED_EMAIL_DOMAIN
from crisisdesk.extensions import db
from crisisdesk.models import AtRiskOrder
from crisisdesk.services.email_kinds import remedy_sentences
from crisisdesk.services.reply_emails import personal_email, reply_line

KIND = "delay_notice"
KEY_PREFIX = "delay-notice:"
CODE_POLL = timedelta(minutes=2)  # how often a notice waiting for its code looks again
CODE_WAIT_LIMIT = timedelta(hours=24)  # the compensation job retries for about 7 hours; then it is given up
CODE_FAILED = "the goodwill code could not be created in WooCommerce"


def render(email):
    """Subject and both parts, in the notice's language."""
    flag = flag_of(email)
    language = normalise_language(email.language) or "en"
    t, shop, order = texts.texts(language), email.shop, flag.order
    shop_name, number = header_safe(shop.name, 200), header_safe(order.number, 40)
    paragraphs = [flag.notice_text.strip()]
    code = flag.compensation
    if code is not None and code.state == "succeeded":
        paragraphs += remedy_sentences([code], flag.shop_id, language, FOLLOW_UP_TEXTS[language])
    paragraphs.append(f"{t['closing']}\n{shop_name}")
    return personal_email(email, t["subject"].format(order=number, shop=shop_name), "\n\n".join(paragraphs),
                          t["footer"].format(order=number, shop=shop_name), reply_line(t, shop))


def cancel_reason(email):
    """An opt-out, an erased address, or a code that could not be created stops the notice; else None."""
    from crisisdesk.services import outbox  # outbox imports email_kinds, which imports this module lazily

    address = email.to_email.strip().lower()
    if address.endswith("@" + ERASED_EMAIL_DOMAIN):
        return "the customer's address was erased"
    if outbox.is_suppressed(email.shop_id, address):
        return "the address asked for no more emails"
    code = flag_of(email).compensation
    if code is not None and code.state != "succeeded":
        return CODE_FAILED  # refused, or still unconfirmed after the wait (wait_until stopped waiting)
    return None


def wait_until(email, now):
    """While the goodwill code is still being created (and not for too long): when to look again; else None."""
    code = flag_of(email).compensation
    if code is None or code.state not in PENDING_STATES or now - code.created_at > CODE_WAIT_LIMIT:
        return None
    return now + CODE_POLL


def flag_of(email):
    """The at-risk flag an outbox row carries the notice of, from the row's key (set before its job can run)."""
    if not email.idempotency_key.startswith(KEY_PREFIX):
        raise ValueError(f"outbox row {email.id} is not a delay notice")
    flag = db.session.get(AtRiskOrder, int(email.idempotency_key[len(KEY_PREFIX):]))
    if flag is None or not flag.notice_text:
        raise ValueError(f"outbox row {email.id} names a delay notice that does not exist")
    return flag
