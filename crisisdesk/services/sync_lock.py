"""One sync of a kind per shop at a time: a Redis lock per shop and purpose, with a lease the holder renews.

A backfill started twice (a double click, the CLI while the panel's job runs) would fetch every
page twice and race on inserting the same new rows; the second run is refused instead. A holder
that dies (a killed worker, a closed terminal) stops blocking once its lease runs out.
"""
import logging
from contextlib import contextmanager

from redis.exceptions import LockError

from crisisdesk.domain.errors import Conflict
from crisisdesk.extensions import redis_connection

log = logging.getLogger(__name__)


def _key(purpose, shop_id):
    return f"crisisdesk:lock:{purpose}:{shop_id}"


@contextmanager
def held(purpose, shop_id, lease_seconds, busy_message):
    """Hold the lock for the block; Conflict(busy_message) when another run holds it. Yields a `renew()`."""
    lock = redis_connection().lock(_key(purpose, shop_id), timeout=lease_seconds, blocking=False)
    if not lock.acquire(blocking=False):
        raise Conflict(busy_message)

    def renew():
        try:
            lock.reacquire()  # the lease starts again from now
        except LockError:
            log.warning("the %s lock of shop %s expired while held; carrying on", purpose, shop_id)

    try:
        yield renew
    finally:
        try:
            lock.release()
        except LockError:
            pass  # the lease ran out: the key is gone or someone else's now, and is not ours to delete


def is_held(purpose, shop_id):
    return bool(redis_connection().exists(_key(purpose, shop_id)))
