"""Reporting periods for the dashboard: whole UTC days from `start` to `end` (both included).

A trend compares a period with the one just before it, of the same number of days, so "last 30
days" is compared with the 30 days before them.
"""
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from crisisdesk.domain.errors import Invalid
from crisisdesk.domain.texts import N_

PRESETS = {"30d": 30, "90d": 90, "12m": 365}
DEFAULT_PRESET = "90d"
MAX_DAYS = 3 * 366  # a longer span is a data export, not a dashboard


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # included

    @property
    def days(self):
        return (self.end - self.start).days + 1

    @property
    def starts_at(self):
        """The first moment of the period (aware UTC), for `column >= starts_at`."""
        return datetime.combine(self.start, time.min, tzinfo=timezone.utc)

    @property
    def ends_at(self):
        """The first moment after the period (aware UTC), for `column < ends_at`."""
        return datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=timezone.utc)

    def previous(self):
        """The period of equal length that ends the day before this one starts."""
        return Period(self.start - timedelta(days=self.days), self.start - timedelta(days=1))

    def months(self):
        """The first day of every calendar month the period touches, oldest first."""
        first, found = self.start.replace(day=1), []
        while first <= self.end:
            found.append(first)
            first = (first + timedelta(days=32)).replace(day=1)
        return found


def preset_period(preset, today):
    """The last N days up to and including `today` for a preset name ("30d", "90d", "12m")."""
    if preset not in PRESETS:
        raise Invalid(N_("choose one of the periods offered"), "preset")
    return Period(today - timedelta(days=PRESETS[preset] - 1), today)


def custom_period(start, end):
    """A period chosen by dates; the end may not come before the start, and it is at most ~3 years long."""
    if start is None or end is None:
        raise Invalid(N_("give both dates"), "start" if start is None else "end")
    if end < start:
        raise Invalid(N_("the end date comes before the start date"), "end")
    if (end - start).days + 1 > MAX_DAYS:
        raise Invalid(N_("choose at most three years"), "start")
    return Period(start, end)
