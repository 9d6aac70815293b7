"""Did an improvement work? The same number of whole UTC days before and after the day it took effect.

- The after-window starts on `made_on` (the change counts from that day) and ends on the last whole day that is
  over: today is not, so it is never counted. Its length is the chosen window (30, 60 or 90 days) or, while
  fewer days have passed, the days that have; the before-window has the same length and ends the day before
  `made_on`. So the two windows are always equally long and the after-window never reaches into the future.
- "Too early to tell" while fewer than MIN_DAYS whole days have passed; "too few to tell" while both windows
  together hold fewer than MIN_COUNT of the counted (negative) reviews: a change from 2 to 1 is no evidence.
  Otherwise the verdict says only which way the count went; the context rows beside it (every review, every
  order) say whether business changed too, which a reader must weigh (fewer complaints on half the orders).
"""
from dataclasses import dataclass
from datetime import timedelta

from crisisdesk.domain.periods import Period
from crisisdesk.domain.texts import N_

WINDOW_CHOICES = (30, 60, 90)
DEFAULT_WINDOW = 30
MIN_DAYS = 7
MIN_COUNT = 5

VERDICTS = {
    # shown with days=MIN_DAYS, count=MIN_COUNT
    "too_early": N_("Too early to tell: fewer than %(days)s whole days have passed since the change."),
    "too_few": N_("Too few to tell: fewer than %(count)s negative reviews in both windows together."),
    "fewer": N_("Fewer negative reviews after the change."),
    "same": N_("As many negative reviews after the change as before."),
    "more": N_("More negative reviews after the change."),
}


@dataclass(frozen=True)
class Windows:
    before: Period
    after: Period
    elapsed_days: int  # whole days since the change took effect, its own day included

    @property
    def days(self):
        return self.after.days


@dataclass(frozen=True)
class Change:
    before: int
    after: int

    @property
    def difference(self):
        return self.after - self.before

    @property
    def percent(self):
        """The change in % of the before-count (one decimal), or None when there was nothing before."""
        return round(self.difference * 100 / self.before, 1) if self.before else None


def chosen_window(value):
    """The window length asked for in the page's query string, or the default for anything else."""
    try:
        days = int(value)
    except (TypeError, ValueError):
        return DEFAULT_WINDOW
    return days if days in WINDOW_CHOICES else DEFAULT_WINDOW


def windows(made_on, today, window_days):
    """The equal before- and after-windows around `made_on`, or None while no whole day has passed since."""
    elapsed = (today - made_on).days
    days = min(window_days, elapsed)
    if days < 1:
        return None
    after = Period(made_on, made_on + timedelta(days=days - 1))
    return Windows(before=after.previous(), after=after, elapsed_days=elapsed)


def verdict(spans, negative):
    """One of VERDICTS' keys for the counted negative reviews (a Change) in `spans` (Windows or None)."""
    if spans is None or spans.elapsed_days < MIN_DAYS:
        return "too_early"
    if negative.before + negative.after < MIN_COUNT:
        return "too_few"
    if negative.after < negative.before:
        return "fewer"
    return "more" if negative.after > negative.before else "same"
