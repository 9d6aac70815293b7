"""Column types shared by the models."""
from datetime import timezone

from sqlalchemy.types import DateTime, TypeDecorator

from crisisdesk import clock


class UTCDateTime(TypeDecorator):
    """Stores naive UTC, returns aware UTC: one behaviour on SQLite and PostgreSQL."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column; attach a timezone first")
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc)


def utc_now():
    """Column default that reads the clock at insert time (so a frozen test clock applies too)."""
    return clock.utcnow()
