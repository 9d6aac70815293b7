"""Signed links in customer emails: one-click satisfaction answers and unsubscribing.

A link carries a token signed with SECRET_KEY (itsdangerous, one salt per purpose) that expires
after EMAIL_LINK_MAX_AGE_DAYS. A guessed or altered token is simply invalid: the routes answer
the same "this link is not valid" whatever was wrong, so nothing is revealed.

The paths here are the public routes of `web/public` (tests check that they match).
"""
from dataclasses import dataclass

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from crisisdesk.domain.errors import Invalid

UNSUBSCRIBE_PATH = "/e/unsubscribe/"
RATE_PATH = "/e/rate/"

_UNSUBSCRIBE = "crisisdesk.email.unsubscribe"
_RATE = "crisisdesk.email.rate"


@dataclass(frozen=True)
class UnsubscribeLink:
    shop_id: int
    email: str


@dataclass(frozen=True)
class RatingLink:
    recovery_id: int
    score: int


def unsubscribe_url(shop_id, email):
    token = _serializer(_UNSUBSCRIBE).dumps([shop_id, email.strip().lower()])
    return _absolute(UNSUBSCRIBE_PATH + token)


def rating_url(recovery_id, score):
    if not 1 <= score <= 5:
        raise ValueError("a satisfaction score is 1 to 5")
    return _absolute(RATE_PATH + _serializer(_RATE).dumps([recovery_id, score]))


def read_unsubscribe(token):
    shop_id, email = _read(_UNSUBSCRIBE, token, 2)
    if not isinstance(shop_id, int) or not isinstance(email, str):
        raise Invalid("this link is not valid", "token")
    return UnsubscribeLink(shop_id, email)


def read_rating(token):
    recovery_id, score = _read(_RATE, token, 2)
    if not isinstance(recovery_id, int) or not isinstance(score, int) or not 1 <= score <= 5:
        raise Invalid("this link is not valid", "token")
    return RatingLink(recovery_id, score)


def _read(salt, token, size):
    max_age = current_app.config["EMAIL_LINK_MAX_AGE_DAYS"] * 86400
    try:
        value = _serializer(salt).loads(token, max_age=max_age)
    except SignatureExpired:
        raise Invalid("this link has expired", "token") from None
    except BadSignature:
        raise Invalid("this link is not valid", "token") from None
    if not isinstance(value, list) or len(value) != size:
        raise Invalid("this link is not valid", "token")
    return value


def _serializer(salt):
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def _absolute(path):
    return current_app.config["PANEL_URL"] + path
