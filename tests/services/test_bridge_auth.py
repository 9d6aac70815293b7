"""The one signature check for bridge calls (services.bridge_auth), with the real Redis behind its replay guard."""
import time
import uuid

import pytest

from crisisdesk.domain.errors import Conflict, Invalid, NotFound, Unauthorized, Unavailable
from crisisdesk.integrations.webhook_signing import sign
from crisisdesk.models import new_shared_secret
from crisisdesk.services import bridge_auth, ingest
from tests import factories


def signed(shop, body=b"", msg_id=None, secret=None, timestamp=None):
    return sign(secret or factories.secret_of(shop), msg_id or f"msg_{uuid.uuid4().hex}", body, timestamp=timestamp)


def replay_keys(redis):
    return sorted(k.decode() for k in redis.keys("crisisdesk:bridge-call:*"))


def test_it_returns_the_calling_shop_for_a_call_signed_with_its_secret(app, shop_a):
    assert bridge_auth.authenticate(shop_a.id, signed(shop_a, b"{}"), b"{}") is shop_a


def test_it_raises_not_found_for_an_unknown_shop(app, shop_a):
    with pytest.raises(NotFound):
        bridge_auth.authenticate(shop_a.id + 1000, signed(shop_a), b"")


def test_it_raises_unauthorized_for_a_missing_or_wrong_signature_or_a_stale_timestamp(app, shop_a, shop_b, redis):
    now = int(time.time())
    refused = [
        ({}, b""),
        (signed(shop_a, secret=factories.secret_of(shop_b)), b""),
        (signed(shop_a, secret=new_shared_secret()), b""),
        (signed(shop_a, b"{}"), b'{"restart": true}'),  # the body changed after signing
        (signed(shop_a, timestamp=now - 6 * 60), b""),
        (signed(shop_a, timestamp=now + 6 * 60), b""),
    ]
    for headers, body in refused:
        with pytest.raises(Unauthorized):
            bridge_auth.authenticate(shop_a.id, headers, body)
    assert replay_keys(redis) == []  # a refused call spends no webhook-id


def test_it_refuses_a_webhook_id_the_shop_already_used_even_signed_again(app, shop_a, shop_b):
    bridge_auth.authenticate(shop_a.id, signed(shop_a, msg_id="msg_once"), b"")

    with pytest.raises(Conflict) as error:
        # Signed afresh (a new timestamp, a valid signature): still the same call replayed.
        bridge_auth.authenticate(shop_a.id, signed(shop_a, msg_id="msg_once"), b"")

    assert error.value.message == "this webhook-id was already used"
    assert bridge_auth.authenticate(shop_b.id, signed(shop_b, msg_id="msg_once"), b"") is shop_b  # ids are per shop


def test_it_remembers_a_webhook_id_a_little_longer_than_the_ten_minutes_a_timestamp_is_accepted(app, shop_a, redis):
    bridge_auth.authenticate(shop_a.id, signed(shop_a, msg_id="msg_ttl"), b"")

    assert replay_keys(redis) == [f"crisisdesk:bridge-call:{shop_a.id}:msg_ttl"]
    assert 10 * 60 < redis.ttl(f"crisisdesk:bridge-call:{shop_a.id}:msg_ttl") <= 11 * 60


def test_it_lets_the_rightful_sender_use_a_webhook_id_a_forged_call_tried_first(app, shop_a, shop_b):
    with pytest.raises(Unauthorized):
        bridge_auth.authenticate(shop_a.id, signed(shop_a, msg_id="msg_mine", secret=factories.secret_of(shop_b)), b"")

    assert bridge_auth.authenticate(shop_a.id, signed(shop_a, msg_id="msg_mine"), b"") is shop_a


def test_it_refuses_a_webhook_id_longer_than_255_characters(app, shop_a):
    with pytest.raises(Invalid) as error:
        bridge_auth.authenticate(shop_a.id, signed(shop_a, msg_id="m" * 256), b"")
    assert error.value.field == "webhook-id"


def test_it_raises_unavailable_rather_than_skip_the_replay_check_when_redis_is_down(app, shop_a):
    with factories.redis_unreachable(app), pytest.raises(Unavailable) as error:
        bridge_auth.authenticate(shop_a.id, signed(shop_a), b"")
    assert error.value.status == 503


def test_it_checks_events_with_the_same_signature_rule_but_keeps_their_idempotency_in_the_database(app, shop_a,
                                                                                                  redis):
    body = factories.event_body("review.created", factories.review())
    first = ingest.receive_event(shop_a.id, signed(shop_a, body, msg_id="msg_event"), body, 1024 * 1024)
    again = ingest.receive_event(shop_a.id, signed(shop_a, body, msg_id="msg_event"), body, 1024 * 1024)

    assert (first.duplicate, again.duplicate, again.event_id) == (False, True, first.event_id)
    assert replay_keys(redis) == []  # events spend no Redis key: their stored row answers the repeat
    with pytest.raises(Unauthorized):
        ingest.receive_event(shop_a.id, signed(shop_a, body, secret=new_shared_secret()), body, 1024 * 1024)
