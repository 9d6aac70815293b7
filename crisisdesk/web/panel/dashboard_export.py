"""The dashboard's figures as rows: the labels the page and the CSV share, and the CSV itself.

The CSV holds raw numbers (a dot for decimals, hours as numbers) so a spreadsheet reads it in any
language; its labels are in the panel's language. One section per table, separated by a blank line.
"""
import csv
import io
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from crisisdesk.services.compensation import KIND_LABELS


@dataclass(frozen=True)
class Figure:
    attribute: str  # of services.dashboard.Figures
    label: object  # lazy text
    kind: str  # count | hours | ratio | rating
    better: str | None  # "up", "down" or None: which way of the trend is good news


FIGURES = [
    Figure("cases_opened", _l("Cases opened"), "count", "down"),
    Figure("first_response_median_hours", _l("Median first response"), "hours", "down"),
    Figure("first_response_p90_hours", _l("First response, 90th percentile"), "hours", "down"),
    Figure("share_within_24h", _l("Answered within 24 h"), "ratio", "up"),
    Figure("resolved", _l("Cases resolved"), "count", None),
    Figure("resolution_median_hours", _l("Median time to resolution"), "hours", "down"),
    Figure("resolution_p90_hours", _l("Time to resolution, 90th percentile"), "hours", "down"),
    Figure("recovery_rate", _l("Recovery rate"), "ratio", "up"),
    Figure("reviews", _l("Reviews written"), "count", None),
    Figure("negative_reviews", _l("Negative reviews (1–2★)"), "count", "down"),
    Figure("average_rating", _l("Average rating"), "rating", "up"),
    Figure("answered_rate", _l("Reviews answered publicly"), "ratio", "up"),
    Figure("answered_rate_positive", _l("Positive reviews answered"), "ratio", "up"),
    Figure("answered_rate_neutral", _l("Neutral reviews answered"), "ratio", "up"),
    Figure("answered_rate_negative", _l("Negative reviews answered"), "ratio", "up"),
]


def filename(data):
    """crisisdesk-dashboard-<all-shops|shop-ID>-<start>-<end>.csv"""
    scope = f"shop-{data.shop.id}" if data.shop else "all-shops"
    return f"crisisdesk-dashboard-{scope}-{data.period.start.isoformat()}-{data.period.end.isoformat()}.csv"


def csv_text(data):
    """Every table of the dashboard, one section each, as CSV text."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    sections = [_figures(data), _monthly(data), _answered(data),
                _ranked(_("Top causes"), _("Cause"), data.causes, True),
                _ranked(_("Top products by negative reviews"), _("Product"), data.products, False),
                _compensation(data)]
    for index, rows in enumerate(sections):
        if index:
            writer.writerow([])
        writer.writerows([[_inert(cell) for cell in row] for row in rows])
    return out.getvalue()


# A spreadsheet runs a cell starting with one of these as a formula (CSV injection): product names come from the
# shop's WooCommerce, where anyone with product access can write `=HYPERLINK(...)`.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _inert(cell):
    """Text that a spreadsheet would run gets a leading apostrophe, which shows it as text (OWASP's advice);
    numbers stay numbers."""
    return "'" + cell if isinstance(cell, str) and cell.startswith(FORMULA_STARTS) else cell


def _figures(data):
    period, before = data.period, data.previous_period
    rows = [[_("Figures")],
            [_("Figure"), f"{period.start.isoformat()} – {period.end.isoformat()}",
             f"{before.start.isoformat()} – {before.end.isoformat()}"],
            [_("Open cases now"), data.open_cases, ""], [_("Overdue cases now"), data.overdue_cases, ""],
            [_("Negative reviews held for moderation too long now"), data.held_too_long, ""]]
    for figure in FIGURES:
        rows.append([str(figure.label), _raw(getattr(data.current, figure.attribute)),
                     _raw(getattr(data.previous, figure.attribute))])
    return rows


def _monthly(data):
    rows = [[_("Reviews by month")],
            [_("Month"), _("Positive (4–5★)"), _("Neutral (3★)"), _("Negative (1–2★)"), _("Total"),
             _("Average rating")]]
    rows += [[row.month.strftime("%Y-%m"), row.positive, row.neutral, row.negative, row.total,
              _raw(row.average_rating)] for row in data.monthly]
    return rows


def _answered(data):
    rows = [[_("Reviews answered publicly")], [_("Reviews"), _("Written"), _("Answered")]]
    for label, total, answered in ((_("Positive (4–5★)"), "positive_reviews", "answered_positive"),
                                   (_("Neutral (3★)"), "neutral_reviews", "answered_neutral"),
                                   (_("Negative (1–2★)"), "negative_reviews", "answered_negative"),
                                   (_("All reviews"), "reviews", "answered_reviews")):
        rows.append([label, getattr(data.current, total), getattr(data.current, answered)])
    return rows


def _ranked(title, what, ranked, translate):
    rows = [[title], [what, _("This period"), _("Previous period")]]
    rows += [[_(item.label) if translate else item.label, item.count, item.previous] for item in ranked]
    return rows


def _compensation(data):
    rows = [[_("Compensation carried out")],
            [_("Kind"), _("Currency"), _("Count"), _("Value"), _("Value in the previous period")]]
    rows += [[_(KIND_LABELS.get(s.kind, s.kind)), s.currency, s.count, _raw(s.total), _raw(s.previous_total)]
             for s in data.compensation]
    return rows


def _raw(value):
    return "" if value is None else value
