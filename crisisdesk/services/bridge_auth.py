"""Signed calls from the bridge: which shop is calling, and whether the call is genuine and new.

Every call the WordPress bridge makes is signed the Standard Webhooks way with the shop's shared
secret (SPEC section 3). `verify` is the one check of that signature, for events and for every
other call; `authenticate` adds replay protection for the calls that are not events.

Events need no more: each is stored under UNIQUE(shop, webhook-id), so a repeat is answered
"already received" and changes nothing. The other calls (ping, summary, backfill, privacy) leave
no row behind, so a captured request could be sent again for as long as its timestamp passes
the ±5 minute check. Their webhook-ids are therefore remembered in Redis and used once.
"""
import logging
import re
from dataclasses import dataclass

from redis.exceptions import RedisError
from sqlalchemy.orm import joinedload

from crisisdesk.domain.errors import Conflict, Invalid, NotFound, Unauthorized, Unavailable
from crisisdesk.domain.wc_payloads import MAX_INT
from crisisdesk.extensions import db, redis_connection
from crisisdesk.integrations import webhook_signing
from crisisdesk.models import Shop

log = logging.getLogger(__name__)

MAX_WEBHOOK_ID_LENGTH = 255  # the inbound_events column; also keeps the Redis keys small
CONTROL_CHARACTER = re.compile(r"[\x00-\x1f\x7f]")
# A timestamp T is accepted from T-5 min to T+5 min, so a request stays replayable for up to
# 10 minutes after its first use; one more minute covers clock drift between web servers.
REPLAY_TTL_SECONDS = 2 * webhook_signing.TOLERANCE_SECONDS + 60
USED = "this webhook-id was already used"


@dataclass(frozen=True)
class SignedCall:
    shop: Shop
    webhook_id: str


def verify(shop_id, headers, body):
    """The calling shop and webhook-id when `body` is signed with one of the shop's active secrets now.

    Raises NotFound (no such shop), Unauthorized (missing or bad signature, timestamp outside
    ±5 minutes) or Invalid (a webhook-id too long to store, or with control characters). Nothing is written.
    """
    # The URL takes any number of digits, but ids are 32-bit: a larger one is no shop (and no database error).
    # The secrets come in the same query: every call needs them, and a second round trip costs more than the join.
    shop = db.session.get(Shop, shop_id, options=[joinedload(Shop.secrets)]) if 0 < shop_id <= MAX_INT else None
    if shop is None:
        raise NotFound("unknown shop")
    try:
        webhook_signing.verify([s.value for s in shop.active_secrets()], headers, body)
    except webhook_signing.SignatureError as error:
        raise Unauthorized(str(error)) from None
    webhook_id = {k.lower(): v for k, v in headers.items()}["webhook-id"]
    if len(webhook_id) > MAX_WEBHOOK_ID_LENGTH:
        raise Invalid(f"the webhook-id header is longer than {MAX_WEBHOOK_ID_LENGTH} characters", "webhook-id")
    if CONTROL_CHARACTER.search(webhook_id):  # a NUL cannot even be stored (PostgreSQL text)
        raise Invalid("the webhook-id header must not contain control characters", "webhook-id")
    return SignedCall(shop, webhook_id)


def authenticate(shop_id, headers, body):
    """The calling shop, for a signed call whose webhook-id this shop has not used in the last 11 minutes.

    As `verify`, plus Conflict for a repeated webhook-id and Unavailable when Redis cannot say.
    The id is spent once the signature holds, whatever the call then answers: the bridge signs
    each attempt of these calls with a new webhook-id (they are all safe to repeat).
    """
    call = verify(shop_id, headers, body)
    _use_once(call.shop.id, call.webhook_id)
    return call.shop


def _use_once(shop_id, webhook_id):
    key = f"crisisdesk:bridge-call:{shop_id}:{webhook_id}"
    try:
        first = redis_connection().set(key, 1, nx=True, ex=REPLAY_TTL_SECONDS)
    except RedisError as error:
        # Refused rather than let through: without Redis a replay could not be told from a new call.
        log.warning("cannot check the webhook-id of a bridge call to shop %s: %s", shop_id, error)
        raise Unavailable("the service cannot check this call for replays right now; try again shortly") from None
    if not first:
        raise Conflict(USED)
