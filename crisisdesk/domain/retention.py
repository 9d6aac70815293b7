"""How long a shop keeps the personal data of finished cases (`Shop.retention_months`), and when a case is due.

Off by default (None: kept until the owner chooses a period or a customer asks to be erased). Switching it on
anonymises, once a day, every case that ended more than that many calendar months ago, so a default would
silently remove the history of every shop that upgrades; the owner picks the period that matches the shop's
privacy policy (24 months is a common choice). A case has ended when it is closed, or when it is resolved and
its recovery is decided (the customer can no longer be "won back", which needs them). Only the personal data
goes; the statistics stay (services/retention.py).
"""
from datetime import datetime

MONTHS_RANGE = (1, 120)  # a month to ten years


def validate_months(value):
    """An error message for a period that is neither None (keep forever) nor a whole number in MONTHS_RANGE."""
    if value is None:
        return None
    least, most = MONTHS_RANGE
    if type(value) is not int or not least <= value <= most:  # noqa: E721 (True is an int)
        return f"must be a whole number of months from {least} to {most}, or empty to keep cases forever"
    return None


def cutoff(now, months):
    """`now` minus `months` calendar months: cases that ended before it are due (the 31st becomes the month's last)."""
    month_index = now.year * 12 + now.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    return now.replace(year=year, month=month, day=min(now.day, _days_in(year, month)))


def _days_in(year, month):
    following = datetime(year + month // 12, month % 12 + 1, 1)
    return (following - datetime(year, month, 1)).days
