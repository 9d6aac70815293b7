"""What every bridge call shares: the raw body read once and bounded, the signature check, a JSON object body."""
from functools import wraps

from flask import request

from crisisdesk.domain.errors import TooLarge
from crisisdesk.domain.events import load_json_object
from crisisdesk.services import bridge_auth

CALL_MAX_BYTES = 64 * 1024  # calls other than events carry a flag or an email address


def read_body(limit):
    """The raw body, read once and never more than `limit` + 1 bytes (chunked bodies included)."""
    if request.content_length is not None and request.content_length > limit:
        raise TooLarge(f"the body is larger than {limit} bytes")
    body = request.stream.read(limit + 1)
    if len(body) > limit:
        raise TooLarge(f"the body is larger than {limit} bytes")
    return body


def signed(view):
    """For calls other than events: the view gets `(shop, body)` once the call is authenticated.

    413 for a large body, 404 unknown shop, 401 bad signature or timestamp, 409 a reused webhook-id.
    """
    @wraps(view)
    def wrapped(shop_id):
        body = read_body(CALL_MAX_BYTES)
        shop = bridge_auth.authenticate(shop_id, dict(request.headers), body)
        return view(shop, body)

    return wrapped


def json_object(body):
    """The body as a JSON object; an empty body counts as `{}`. Invalid names "body" otherwise."""
    return load_json_object(body) if body.strip() else {}
