"""How an outgoing HTTP call failed, as far as the other side is concerned (shared by the HTTP clients)."""
from urllib3.exceptions import NewConnectionError


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
