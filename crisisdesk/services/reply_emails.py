"""The email that carries an agent's reply to a complaint (outbox kind "case_reply").

The body is the agent's text exactly as approved in the composer (services/replies.py); this module
adds only the subject, in the customer's language with the order number, and a one-line footer
saying why the customer gets it. The text is the agent's input: the HTML part autoescapes it
(the template is .html) and the subject is flattened to one line, so nothing in it becomes markup
or a header.
"""
import re

from flask import current_app

from crisisdesk.domain.follow_up import header_safe, normalise_language
from crisisdesk.extensions import db
from crisisdesk.models import CaseReply
from crisisdesk.services.email_kinds import RenderedEmail

KIND = "case_reply"
KEY_PREFIX = "case-reply:"  # the outbox row's idempotency key: "case-reply:<reply id>"

TEXTS = {
    "en": {"subject_order": "Your order #{order}: our answer ({shop})",
           "subject": "Our answer to your complaint ({shop})",
           "footer": "You are receiving this email in answer to your complaint to {shop}.",
           "reply": "Just reply to this email if anything is still not right.",
           "reply_site": "If anything is still not right, write to us through {url}."},
    "pl": {"subject_order": "Twoje zamówienie nr {order}: nasza odpowiedź ({shop})",
           "subject": "Odpowiedź na Twoje zgłoszenie ({shop})",
           "footer": "Otrzymujesz tę wiadomość w odpowiedzi na Twoje zgłoszenie do {shop}.",
           "reply": "Jeśli coś jest nadal nie tak, po prostu odpowiedz na tę wiadomość.",
           "reply_site": "Jeśli coś jest nadal nie tak, napisz do nas przez {url}."},
    "lv": {"subject_order": "Jūsu pasūtījums Nr. {order}: mūsu atbilde ({shop})",
           "subject": "Mūsu atbilde uz jūsu sūdzību ({shop})",
           "footer": "Jūs saņemat šo e-pastu kā atbildi uz jūsu sūdzību veikalam {shop}.",
           "reply": "Ja kaut kas joprojām nav kārtībā, vienkārši atbildiet uz šo e-pastu.",
           "reply_site": "Ja kaut kas joprojām nav kārtībā, rakstiet mums caur {url}."},
}


def render(email):
    """The subject and both parts of a reply email, in the reply's language."""
    reply = reply_of(email)
    t = TEXTS[normalise_language(email.language) or "en"]
    case, shop = reply.case, email.shop
    shop_name = header_safe(shop.name, 200)
    order = header_safe(case.order.number, 40) if case.order is not None else ""
    subject = (t["subject_order"].format(order=order, shop=shop_name) if order
               else t["subject"].format(shop=shop_name))
    return personal_email(email, subject, reply.content, t["footer"].format(shop=shop_name), reply_line(t, shop))


def personal_email(email, subject, body, footer, reply):
    """Subject and both parts of an email a person wrote (a reply, a delay notice): `body` as written, paragraph
    by paragraph, then the line on how to answer (`reply`) and the footer saying why the customer gets it."""
    text = body.strip()
    context = {"language": email.language, "subject": header_safe(subject), "text": text,
               "paragraphs": [p.split("\n") for p in re.split(r"\n\s*\n", text)], "footer": footer, "reply": reply}
    env = current_app.jinja_env
    return RenderedEmail(subject=context["subject"], text=env.get_template("emails/case_reply.txt").render(context),
                         html=env.get_template("emails/case_reply.html").render(context))


def reply_line(t, shop):
    """How to answer: by replying when the shop set a Reply-To address, else through its site."""
    return t["reply"] if shop.reply_to_email else t["reply_site"].format(url=shop.url)


def cancel_reason(email):
    """A reply is not held back by case changes (the agent approved it); only an opt-out stops it."""
    from crisisdesk.services import outbox  # outbox imports email_kinds, which imports this module lazily

    return "the address asked for no more emails" if outbox.is_suppressed(email.shop_id, email.to_email) else None


def reply_of(email):
    """The CaseReply an outbox row carries, from the row's key (set before the row's job can run)."""
    if not email.idempotency_key.startswith(KEY_PREFIX):
        raise ValueError(f"outbox row {email.id} is not a case reply")
    reply = db.session.get(CaseReply, int(email.idempotency_key[len(KEY_PREFIX):]))
    if reply is None:
        raise ValueError(f"outbox row {email.id} names a reply that does not exist")
    return reply
