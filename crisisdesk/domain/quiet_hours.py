"""Quiet hours: no customer email lands at night in the shop's own time zone.

Hours are local wall-clock hours (0–23). The quiet span runs from `start_hour` up to, not
including, `end_hour`; it crosses midnight when start > end (the default 21 → 8), and
start == end means there are no quiet hours. The end of the span is worked out as a local
wall-clock time and only then turned into UTC, so the answer stays right on the days the
clocks change (a local hour that does not exist gives the first instant after the gap; one
that happens twice gives its first occurrence).
"""
from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

DEFAULT_START_HOUR = 21
DEFAULT_END_HOUR = 8


def next_allowed_send(moment_utc, timezone_name, start_hour=DEFAULT_START_HOUR, end_hour=DEFAULT_END_HOUR):
    """`moment_utc` itself when it is outside the shop's quiet hours, else the (UTC) moment they end."""
    if moment_utc.tzinfo is None:
        raise ValueError("moment_utc must be an aware datetime")
    for hour in (start_hour, end_hour):
        if not 0 <= hour <= 23:
            raise ValueError(f"an hour is 0 to 23, not {hour}")
    zone = ZoneInfo(timezone_name)
    local = moment_utc.astimezone(zone)
    if not _is_quiet(local.hour, start_hour, end_hour):
        return moment_utc.astimezone(timezone.utc)
    end_day = local.date()
    if start_hour > end_hour and local.hour >= start_hour:
        end_day += timedelta(days=1)  # evening side of a span that crosses midnight: it ends tomorrow
    wall = datetime.combine(end_day, time(end_hour), tzinfo=zone)
    # A round trip through UTC settles a wall time that falls into a spring-forward gap.
    return wall.astimezone(timezone.utc)


def is_quiet(moment_utc, timezone_name, start_hour=DEFAULT_START_HOUR, end_hour=DEFAULT_END_HOUR):
    """True while `moment_utc` falls inside the shop's quiet hours."""
    return next_allowed_send(moment_utc, timezone_name, start_hour, end_hour) > moment_utc


def _is_quiet(hour, start_hour, end_hour):
    if start_hour == end_hour:
        return False
    if start_hour < end_hour:
        return start_hour <= hour < end_hour
    return hour >= start_hour or hour < end_hour
