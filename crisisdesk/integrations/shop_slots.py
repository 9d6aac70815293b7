"""A bound on concurrent calls to one shop: at most N requests in flight, across threads or workers.

A WordPress shop is often one small PHP host; a backfill plus a few refunds from several RQ
workers at once can tie up all its PHP workers and take the storefront down. With Redis the
bound holds across every worker process and machine; without it, within this process.

The Redis version is a lease-based counting semaphore: each holder is a member of a sorted
set scored by the Redis server's clock, so a holder that crashed without releasing its slot
stops counting once its lease expires. (A plain INCR/DECR counter with EXPIRE would leak that
slot for as long as traffic keeps refreshing the key's expiry, i.e. forever on a busy shop.)
"""
import logging
import random
import threading
import time
import uuid
from contextlib import contextmanager

from redis.exceptions import RedisError

KEY_PREFIX = "crisisdesk:woo-slots:"

# KEYS[1] = the shop's set; ARGV = token, limit, lease in ms. Uses the server's clock so that
# workers with skewed clocks agree on which leases have expired.
_ACQUIRE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[3]))
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[2]) then
  redis.call('ZADD', KEYS[1], now, ARGV[1])
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
  return 1
end
return 0
"""

log = logging.getLogger(__name__)
_local_lock = threading.Lock()
_local_semaphores = {}


class SlotUnavailable(Exception):
    """No slot could be had, so the call was not made."""


class SlotTimeout(SlotUnavailable):
    """No slot became free within the wait: the shop already has its maximum of calls in flight."""


class LocalSlots:
    """Process-local bound: one BoundedSemaphore per (shop key, limit), shared by every client here."""

    def __init__(self, key, limit, wait):
        self.key, self.limit, self.wait = key, limit, wait
        with _local_lock:
            self._semaphore = _local_semaphores.setdefault((key, limit), threading.BoundedSemaphore(limit))

    @contextmanager
    def hold(self):
        """Hold one slot for the duration of the block; raises SlotTimeout after `wait` seconds."""
        if not self._semaphore.acquire(timeout=self.wait):
            raise SlotTimeout(f"{self.limit} calls to this shop are already in flight")
        try:
            yield
        finally:
            self._semaphore.release()


class RedisSlots:
    """Bound shared through Redis by every process that uses the same shop key."""

    def __init__(self, redis, key, limit, wait, lease):
        self.redis, self.key, self.limit, self.wait = redis, KEY_PREFIX + key, limit, wait
        self.lease_ms = max(1000, int(lease * 1000))
        self._acquire = redis.register_script(_ACQUIRE)

    @contextmanager
    def hold(self):
        """Hold one slot for the duration of the block; raises SlotTimeout after `wait` seconds."""
        token = uuid.uuid4().hex
        deadline = time.monotonic() + self.wait
        while not self._try_acquire(token):
            if time.monotonic() >= deadline:
                raise SlotTimeout(f"{self.limit} calls to this shop are already in flight")
            time.sleep(random.uniform(0.01, 0.05))  # short, jittered: holders usually finish in a fraction of a second
        try:
            yield
        finally:
            self._release(token)

    def _try_acquire(self, token):
        try:
            return self._acquire(keys=[self.key], args=[token, self.limit, self.lease_ms])
        except RedisError as exc:
            raise SlotUnavailable(f"Redis, which bounds calls to this shop, failed: {exc}") from None

    def _release(self, token):
        # Never raise here: the call already happened, and losing its answer (a refund's id, say)
        # to a Redis hiccup would be far worse than a slot that frees itself when its lease ends.
        try:
            self.redis.zrem(self.key, token)
        except RedisError as exc:
            log.warning("could not release a WooCommerce call slot (it expires by itself): %s", exc)


def slots_for(key, limit, wait, redis=None, lease=60.0):
    """The bound for `key`: shared through `redis` when given, else within this process."""
    if limit < 1:
        raise ValueError("max_concurrency must be at least 1")
    if redis is not None:
        return RedisSlots(redis, key, limit, wait, lease)
    return LocalSlots(key, limit, wait)
