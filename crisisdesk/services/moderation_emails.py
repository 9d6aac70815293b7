"""The staff alert about a negative review left awaiting moderation (outbox kind "moderation_alert"): English,
to the case's assignee or the shop's owners (services/moderation_watch.py).

The outbox row's key names the review, the hold and the person ("moderation:<review>:<held since>:u<user>"): one
email per hold however often the job runs, and none once the review is approved before it goes out. The review's
text is the customer's input: the HTML part autoescapes it and the subject is one line.
"""
from datetime import datetime, timezone
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from flask import current_app

from crisisdesk.domain import moderation as rules
from crisisdesk.domain.follow_up import header_safe
from crisisdesk.extensions import db
from crisisdesk.models import Case, Review
from crisisdesk.services.email_kinds import RenderedEmail

KIND = "moderation_alert"
KEY_PREFIX = "moderation:"
_SINCE_FORMAT = "%Y%m%dT%H%M%S"


def alert_key(review_id, held_since, user_id):
    """The outbox key of one hold's alert to one person."""
    return f"{KEY_PREFIX}{review_id}:{held_since.astimezone(timezone.utc):{_SINCE_FORMAT}}:u{user_id}"


def parse_key(key):
    """(review id, held since) from an alert's key."""
    _, review_id, since, _ = key.split(":")
    return int(review_id), datetime.strptime(since, _SINCE_FORMAT).replace(tzinfo=timezone.utc)


def render(email):
    """Subject and both parts of the alert."""
    review_id, held_since = parse_key(email.idempotency_key)
    review = db.session.get(Review, review_id)
    if review is None:
        raise ValueError(f"outbox row {email.id} names no existing review")
    shop = email.shop
    case = Case.query.filter_by(review_id=review.id).one_or_none()
    hours = shop.moderation_warning_hours
    subject = header_safe(f"[Moderation] A {review.rating}★ review has awaited approval for more than {hours} h "
                          f"({shop.name})")
    panel = current_app.config["PANEL_URL"].rstrip("/")
    context = {
        "language": "en", "subject": subject, "shop_name": header_safe(shop.name, 200), "hours": hours,
        "review": review, "product": header_safe(review.product.name, 200) if review.product else "",
        "since_local": f"{held_since.astimezone(ZoneInfo(shop.timezone)):%Y-%m-%d %H:%M} ({shop.timezone})",
        "text": (review.text or "")[:500], "why": rules.WHY, "case": case,
        "url": f"{panel}/cases/{case.id}" if case is not None
        else f"{panel}/reviews?{urlencode({'shop': shop.id, 'status': 'all'})}#review-{review.id}",
    }
    env = current_app.jinja_env
    return RenderedEmail(subject=subject, text=env.get_template("emails/moderation_alert.txt").render(context),
                         html=env.get_template("emails/moderation_alert.html").render(context))


def cancel_reason(email):
    """Not sent when the review is gone, or was approved (or held again later) before the email went out."""
    review_id, held_since = parse_key(email.idempotency_key)
    review = db.session.get(Review, review_id)
    if review is None:
        return "the review no longer exists"
    held = review.held_since.replace(microsecond=0) if review.held_since else None  # the key keeps whole seconds
    if review.status != rules.HELD or held != held_since:
        return "the review was moderated in WordPress"
    return None
