"""How an outgoing HTTP call failed, as far as the other side is concerned (shared by the HTTP clients)."""
from contextlib import contextmanager

import requests
from urllib3.exceptions import NewConnectionError


@contextmanager
def typed_failures(error, unknown, peer, timeout, scrub):
    """Turn `requests`' exceptions into the client's own: `error` when the peer cannot have acted on the
    request, `unknown` (outcome unknown) when it may have. `scrub` keeps secrets out of the messages."""
    try:
        yield
    except requests.exceptions.ConnectTimeout as exc:
        raise error(f"could not connect to {peer} in time: {scrub(exc)}") from None
    except requests.exceptions.Timeout as exc:
        raise unknown(f"no answer within {timeout}s: {scrub(exc)}") from None
    except requests.exceptions.SSLError as exc:
        raise error(f"TLS handshake with {peer} failed: {scrub(exc)}") from None
    except requests.exceptions.ConnectionError as exc:
        if never_sent(exc):
            raise error(f"could not connect to {peer}: {scrub(exc)}") from None
        raise unknown(f"the connection broke before an answer came: {scrub(exc)}") from None
    except (requests.exceptions.InvalidURL, requests.exceptions.MissingSchema,
            requests.exceptions.InvalidSchema) as exc:
        raise error(f"{peer}'s URL is not usable: {scrub(exc)}", permanent=True) from None
    except requests.exceptions.RequestException as exc:
        raise unknown(f"the answer could not be read: {scrub(exc)}") from None


def never_sent(exc):
    """True when the connection was never made (refused, no such host), so the other side cannot have the request."""
    pending, seen = [exc], set()
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, (NewConnectionError, ConnectionRefusedError)):
            return True
        linked = (getattr(current, "reason", None), current.__cause__, current.__context__, *current.args)
        pending.extend(x for x in linked if isinstance(x, BaseException))
    return False
