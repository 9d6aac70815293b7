"""The one place the service asks for the time, so tests can freeze it."""
from datetime import datetime, timezone


def utcnow():
    """Now, as an aware UTC datetime."""
    return datetime.now(timezone.utc)
