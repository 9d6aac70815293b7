"""Standard Webhooks signing and verification, around the `standardwebhooks` package.

Signature: `v1,` + base64(HMAC-SHA256(key, f"{id}.{timestamp}.{body}")), where the key
is the base64-decoded part of the `whsec_…` secret. The package does the crypto; this
module adds what it leaves to callers: several valid secrets during a rotation, and
typed errors that tell a bad signature from a stale timestamp.
"""
import base64
import binascii
from datetime import datetime, timezone

from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

TOLERANCE_SECONDS = 5 * 60


class SignatureError(Exception):
    """The request is not signed by a secret we know (or the headers are malformed)."""


class TimestampError(SignatureError):
    """The `webhook-timestamp` is outside the ±5 minute window: a replay or a wrong clock."""


def sign(secret, msg_id, body, timestamp=None):
    """Headers for `body` (str or bytes) signed with `secret` at `timestamp` (a Unix time; default now)."""
    if isinstance(body, bytes):
        body = body.decode("utf-8")
    moment = datetime.fromtimestamp(timestamp if timestamp is not None else datetime.now(timezone.utc).timestamp(),
                                    tz=timezone.utc)
    signature = Webhook(secret).sign(msg_id=msg_id, timestamp=moment, data=body)
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(int(moment.timestamp())),
        "webhook-signature": signature,
    }


def verify(secrets, headers, body, now=None):
    """Check `body` against any of `secrets`; raises SignatureError or TimestampError."""
    headers = {k.lower(): v for k, v in headers.items()}
    for name in ("webhook-id", "webhook-timestamp", "webhook-signature"):
        if not headers.get(name):
            raise SignatureError(f"the {name} header is missing")
    _check_timestamp(headers["webhook-timestamp"], now)
    try:
        text = body.decode("utf-8") if isinstance(body, bytes) else body
    except UnicodeDecodeError:
        raise SignatureError("the body is not UTF-8, so its signature cannot match") from None
    for secret in secrets:
        try:
            Webhook(secret).verify(text, headers, json_parse=False)
            return
        except WebhookVerificationError:
            continue
        except (ValueError, binascii.Error):
            # A signature list without "v1," or with broken base64 raises these inside the package.
            raise SignatureError("the webhook-signature header is malformed") from None
    raise SignatureError("no signature matches the shop's secret")


def _check_timestamp(raw, now):
    # Checked here as well as in the package so the caller can say which rule failed.
    try:
        sent = int(raw)
    except ValueError:
        raise TimestampError("the webhook-timestamp header must be Unix seconds") from None
    current = now if now is not None else datetime.now(timezone.utc).timestamp()
    if abs(current - sent) > TOLERANCE_SECONDS:
        raise TimestampError("the webhook-timestamp is more than 5 minutes away from the server's clock")


def is_valid_secret(secret):
    """True for `whsec_` + base64 of at least 24 bytes."""
    if not secret.startswith("whsec_"):
        return False
    try:
        return len(base64.b64decode(secret[len("whsec_"):], validate=True)) >= 24
    except binascii.Error:
        return False
