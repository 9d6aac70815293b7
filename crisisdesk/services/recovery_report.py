"""The panel's view of recovery: the recovery rate and time to recovery, and the "Resolved customers" list.

Both take a scope: a User (their visible shops, the panel's normal call), one shop id, or a list of
shop ids the caller has already checked. Only recoveries of cases that are resolved or closed
count (a reopened case's recovery waits for the next resolution). Figures are SQL aggregates;
the list loads one page of rows and that page's emails.
"""
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from crisisdesk.domain import follow_up as rules
from crisisdesk.domain.errors import Invalid
from crisisdesk.extensions import db
from crisisdesk.models import Case, Order, OutboxEmail, Recovery
from crisisdesk.services.access import visible_shop_ids
from crisisdesk.services.sql_stats import hour_percentiles, seconds_between

PER_PAGE = 25
OUTCOME_FILTERS = ("pending", "recovered", "won_back", "satisfied", "not_recovered")


@dataclass(frozen=True)
class RecoveryStats:
    resolved: int  # customers of resolved or closed cases (one recovery each)
    pending: int
    recovered: int
    not_recovered: int
    won_back: int  # recovered by a raised rating, a new positive review or a new order
    confirmed_satisfied: int  # recovered only by a positive answer to the follow-up
    by_evidence: dict  # recovered_by → count
    rate_of_decided: float | None  # recovered / (recovered + not recovered): windows still open do not count
    rate_of_resolved: float | None  # recovered / every resolved customer
    median_hours_to_recovery: float | None
    median_hours_to_win_back: float | None
    answers: int  # one-click satisfaction answers
    average_satisfaction: float | None


@dataclass(frozen=True)
class EmailState:
    status: str
    due_at: datetime
    sent_at: datetime | None
    note: str | None


@dataclass(frozen=True)
class ResolvedCustomer:
    recovery_id: int
    case_id: int
    shop_id: int
    customer_name: str
    customer_email: str
    resolved_at: datetime
    outcome: str
    recovered_by: str | None
    strength: str | None  # "won back" | "confirmed satisfied"
    outcome_at: datetime | None
    evidence: str
    satisfaction: int | None
    window_ends_at: datetime
    waiting_for_order: str | None  # the replacement order's number the follow-up waits for
    follow_up: EmailState | None
    reminder: EmailState | None


def recovery_stats(scope, since=None, until=None):
    """Counts by outcome, the recovery rate two ways, median time to recovery, won back vs confirmed satisfied.

    `since` and `until` (excluded) limit it to the customers whose case was resolved in that span.
    """
    where = _where(shop_ids_of(scope), since, until)
    # One grouped pass for the counts and the satisfaction answers (count and sum per group, a handful of rows).
    counts = db.session.execute(select(Recovery.outcome, Recovery.recovered_by, func.count(),
                                       func.count(Recovery.satisfaction), func.sum(Recovery.satisfaction))
                                .join(Case, Case.id == Recovery.case_id).where(*where)
                                .group_by(Recovery.outcome, Recovery.recovered_by)).all()
    by_outcome, by_evidence = {}, {}
    answers = satisfaction_total = 0
    for outcome, recovered_by, count, answered, satisfaction in counts:
        by_outcome[outcome] = by_outcome.get(outcome, 0) + count
        if outcome == "recovered":
            by_evidence[recovered_by] = count
        answers, satisfaction_total = answers + answered, satisfaction_total + (satisfaction or 0)
    recovered, not_recovered = by_outcome.get("recovered", 0), by_outcome.get("not_recovered", 0)
    resolved = sum(by_outcome.values())
    won_back = sum(n for by, n in by_evidence.items() if rules.is_won_back(by))
    return RecoveryStats(
        resolved=resolved, pending=by_outcome.get("pending", 0), recovered=recovered, not_recovered=not_recovered,
        won_back=won_back, confirmed_satisfied=recovered - won_back, by_evidence=by_evidence,
        rate_of_decided=_ratio(recovered, recovered + not_recovered), rate_of_resolved=_ratio(recovered, resolved),
        median_hours_to_recovery=_median_hours(where),
        median_hours_to_win_back=_median_hours([*where, Recovery.recovered_by.in_(rules.WON_BACK)]),
        answers=answers, average_satisfaction=round(satisfaction_total / answers, 2) if answers else None)


def resolved_customers(scope, outcome=None, page=1):
    """One page of resolved customers, newest resolution first, with their outcome and follow-up emails."""
    from crisisdesk.services.inbox import Page  # inbox → cases → follow-up → recovery: imported when used

    if outcome and outcome not in OUTCOME_FILTERS:
        raise Invalid(f"outcome must be one of {', '.join(OUTCOME_FILTERS)}", "outcome")
    query = (Recovery.query.join(Case, Case.id == Recovery.case_id)
             .filter(*_where(shop_ids_of(scope), None), *_outcome_filter(outcome)))
    total = query.count()
    page = max(1, page)
    recoveries = (query.options(joinedload(Recovery.customer), joinedload(Recovery.waiting_for_order))
                  .order_by(Recovery.resolved_at.desc(), Recovery.id.desc())
                  .offset((page - 1) * PER_PAGE).limit(PER_PAGE).all())
    emails = _latest_emails(recoveries)
    items = [_row(r, emails.get((r.case_id, rules.FOLLOW_UP)), emails.get((r.case_id, rules.REMINDER)))
             for r in recoveries]
    return Page(items=items, total=total, page=page, per_page=PER_PAGE)


def shop_ids_of(scope):
    """A User's visible shops, one shop id, or an already checked list of shop ids."""
    if hasattr(scope, "role_enum"):
        return visible_shop_ids(scope)
    if isinstance(scope, int):
        return [scope]
    return list(scope or [])


def _where(shop_ids, since, until=None):
    where = [Recovery.shop_id.in_(shop_ids or [-1]), Case.status.in_(rules.SETTLED_STATUSES)]
    if since is not None:
        where.append(Recovery.resolved_at >= since)
    if until is not None:
        where.append(Recovery.resolved_at < until)
    return where


def _outcome_filter(outcome):
    if outcome == "won_back":
        return [Recovery.outcome == "recovered", Recovery.recovered_by.in_(rules.WON_BACK)]
    if outcome == "satisfied":
        return [Recovery.outcome == "recovered", Recovery.recovered_by == rules.CONFIRMED_SATISFIED]
    return [Recovery.outcome == outcome] if outcome else []


def _ratio(part, whole):
    return round(part / whole, 4) if whole else None


def _median_hours(where):
    """The median of (outcome_at - resolved_at) over recovered rows, in SQL (services/sql_stats.py)."""
    seconds = seconds_between(Recovery.resolved_at, Recovery.outcome_at)
    return hour_percentiles(seconds, [*where, Case.id == Recovery.case_id, Recovery.outcome == "recovered"],
                            fractions=(0.5,))[0.5]


def _latest_emails(recoveries):
    """{(case id, kind): the latest row of the current resolution round} for the page's cases."""
    if not recoveries:
        return {}
    since = {r.case_id: r.resolved_at for r in recoveries}
    rows = (OutboxEmail.query.filter(OutboxEmail.case_id.in_(list(since)), OutboxEmail.kind.in_(rules.KINDS))
            .order_by(OutboxEmail.id).all())
    return {(row.case_id, row.kind): row for row in rows if row.created_at >= since[row.case_id]}


def _row(recovery, follow_up, reminder):
    customer = recovery.customer
    strength = None
    if recovery.outcome == "recovered":
        strength = "won back" if rules.is_won_back(recovery.recovered_by) else "confirmed satisfied"
    waiting = recovery.waiting_for_order
    return ResolvedCustomer(
        recovery_id=recovery.id, case_id=recovery.case_id, shop_id=recovery.shop_id,
        customer_name=customer.full_name if customer else "", customer_email=customer.email if customer else "",
        resolved_at=recovery.resolved_at, outcome=recovery.outcome, recovered_by=recovery.recovered_by,
        strength=strength, outcome_at=recovery.outcome_at, evidence=recovery.evidence,
        satisfaction=recovery.satisfaction, window_ends_at=recovery.window_ends_at,
        waiting_for_order=waiting.number if isinstance(waiting, Order) else None,
        follow_up=_state(follow_up), reminder=_state(reminder))


def _state(row):
    return EmailState(row.status, row.due_at, row.sent_at, row.status_note or row.last_error) if row else None
