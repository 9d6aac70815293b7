"""SQL building blocks for reports that run the same on SQLite and PostgreSQL.

Neither database shares a percentile function with the other (PostgreSQL has
percentile_cont, SQLite has none), so percentiles are read with the window functions both have:
the database numbers the rows in order and returns the one or two rows each fraction needs,
never the whole column, in one query and one sort.
"""
import math
from fractions import Fraction

from sqlalchemy import extract, func, literal, or_, select

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
    return counted_hour_percentiles(seconds, where, fractions)[1]


def counted_hour_percentiles(seconds, where, fractions=(0.5, 0.9)):
    """(how many rows match `where`, hour_percentiles of them), in one query and one sort.

    The matching rows are numbered in order (ROW_NUMBER() and COUNT(*) OVER (), on SQLite and PostgreSQL alike) and
    only the ranks the fractions need come back: the ranks are computed in SQL from the count, as integers.
    """
    value = seconds.label("seconds")
    ranked = select(value, func.row_number().over(order_by=value).label("rank"),
                    func.count().over().label("n")).where(*where).subquery()
    wanted = {fraction: _ranks(fraction, ranked.c.n) for fraction in fractions}
    rows = db.session.execute(select(ranked.c.rank, ranked.c.n, ranked.c.seconds)
                              .where(or_(*[ranked.c.rank == rank for ranks in wanted.values() for rank in ranks]))
                              ).all()
    if not rows:
        return 0, {fraction: None for fraction in fractions}
    count, by_rank = int(rows[0].n), {int(row.rank): float(row.seconds) for row in rows}
    found = {}
    for fraction in fractions:
        values = [by_rank[rank] for rank in _rank_numbers(fraction, count)]
        found[fraction] = round(sum(values) / len(values) / 3600, 2)
    return count, found


def _ranks(fraction, n):
    """SQL for the 1-based ranks `fraction` reads out of `n` ordered values (see _rank_numbers)."""
    if fraction == 0.5:
        return [(n + 1) // 2, (n + 2) // 2]  # the middle one, or the middle two of an even count
    part = Fraction(str(fraction))  # 0.9 → 9/10 exactly: ⌈9n/10⌉ in integer arithmetic
    if part.numerator == 0:
        return [literal(1)]
    return [(n * part.numerator + (part.denominator - 1)) // part.denominator]


def _rank_numbers(fraction, count):
    """The same ranks in Python, for a known count."""
    if fraction == 0.5:
        return sorted({(count + 1) // 2, (count + 2) // 2})
    return [max(math.ceil(Fraction(str(fraction)) * count), 1)]
