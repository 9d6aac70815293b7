"""The email a crisis alert sends to the shop's owners (outbox kind "crisis_alert"): English, staff mail.

The outbox row's key names the alert and the person ("crisis:<alert>:u<user>"), so each owner gets
one email per alert however often the detector runs. Product names and review texts are the shop's
and customers' input: the HTML part autoescapes them and the subject is one line.
"""
from flask import current_app

from crisisdesk.domain.causes import CAUSES
from crisisdesk.domain.follow_up import header_safe
from crisisdesk.extensions import db
from crisisdesk.models import CrisisAlert, Review
from crisisdesk.services.email_kinds import RenderedEmail

KIND = "crisis_alert"
KEY_PREFIX = "crisis:"
QUOTED_REVIEWS = 5


def alert_key(alert_id, user_id):
    """The outbox key of one alert's email to one person."""
    return f"{KEY_PREFIX}{alert_id}:u{user_id}"


def alert_of(email):
    """The alert an outbox row is about, or None when it was deleted."""
    return db.session.get(CrisisAlert, int(email.idempotency_key.split(":")[1]))


def headline(alert, product_name):
    """One line for the alert: the subject, the widget's message."""
    where = f"for {product_name}" if alert.scope == "product" else "shop-wide"
    line = f"Spike of negative reviews {where}: {alert.observed} in 24 h (usually {alert.expected:.1f})"
    if alert.dominant_cause:
        line += f", mostly {CAUSES.get(alert.dominant_cause, alert.dominant_cause)}"
    return line


def render(email):
    """Subject and both parts of the alert email."""
    alert = alert_of(email)
    if alert is None:
        raise ValueError(f"outbox row {email.id} names no existing crisis alert")
    shop = email.shop
    product_name = header_safe(alert.product.name, 200) if alert.product else ""
    subject = header_safe(f"[Crisis alert] {headline(alert, product_name)} ({shop.name})")
    reviews = (Review.query.filter(Review.id.in_(alert.review_ids or []))
               .order_by(Review.created_at.desc()).limit(QUOTED_REVIEWS).all())
    context = {
        "language": "en", "subject": subject, "headline": headline(alert, product_name),
        "shop_name": header_safe(shop.name, 200), "alert": alert, "rule": alert.rule,
        "causes": [(CAUSES.get(name, name), count) for name, count in
                   sorted((alert.cause_counts or {}).items(), key=lambda item: (-item[1], item[0]))],
        "reviews": [{"rating": r.rating, "text": (r.text or "")[:300]} for r in reviews],
        "more": max(0, len(alert.review_ids or []) - len(reviews)),
        "url": current_app.config["PANEL_URL"].rstrip("/") + f"/alerts#alert-{alert.id}",
    }
    env = current_app.jinja_env
    return RenderedEmail(subject=subject, text=env.get_template("emails/crisis_alert.txt").render(context),
                         html=env.get_template("emails/crisis_alert.html").render(context))


def cancel_reason(email):
    """Not sent when the alert is gone, or someone acknowledged it before the email went out."""
    alert = alert_of(email)
    if alert is None:
        return "the alert no longer exists"
    if alert.status != "open":
        return "the alert was already acknowledged"
    return None
