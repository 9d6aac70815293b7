"""SQL building blocks for reports that run the same on SQLite and PostgreSQL.

Neither database shares a percentile function with the other (PostgreSQL has
percentile_cont, SQLite has none), so percentiles are read with one COUNT and then
ORDER BY + OFFSET: the database sorts and returns one or two rows, never the whole column.
"""
import math

from sqlalchemy import extract, func, select

from crisisdesk.extensions import db


def seconds_between(start, end):
    """`end - start` in seconds, as a SQL expression."""
    if db.session.get_bind().dialect.name == "sqlite":
        return (func.julianday(end) - func.julianday(start)) * 86400.0
    return extract("epoch", end - start)


def year_and_month(column):
    """(year, month) of a timestamp as two SQL integers: SQLAlchemy's extract() compiles on both dialects."""
    return extract("year", column), extract("month", column)


def hour_percentiles(seconds, where, fractions=(0.5, 0.9)):
    """{fraction: hours} of the `seconds` expression over the rows matching `where` (None when there are none).

    The median (0.5) of an even count is the mean of the two middle values; other fractions take
    the nearest rank, the ⌈fraction × n⌉-th smallest value, so p90 of 10 values is the 9th.
    """
    value = seconds.label("seconds")
    base = select(value).where(*where)
    count = db.session.execute(select(func.count()).select_from(base.subquery())).scalar()
    if not count:
        return {fraction: None for fraction in fractions}
    found = {}
    for fraction in fractions:
        if fraction == 0.5:
            offset, limit = (count - 1) // 2, 2 - count % 2
        else:
            offset, limit = max(math.ceil(fraction * count), 1) - 1, 1
        rows = db.session.execute(base.order_by(value).offset(offset).limit(limit)).scalars().all()
        found[fraction] = round(sum(float(s) for s in rows) / len(rows) / 3600, 2)
    return found
