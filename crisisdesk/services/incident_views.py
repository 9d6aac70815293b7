"""What the panel shows of incidents: the list, and one incident with its cases, figures and broadcast history.

Figures of an incident: the affected orders (distinct orders of its cases), the money at stake (their totals)
and the compensation given (its cases' compensations that went through, at their value to the customer, as
the dashboard counts them), each per currency since one shop may sell in several; cases open and resolved.
"""
from dataclasses import dataclass

from sqlalchemy import case as sql_case, func

from crisisdesk import clock
from crisisdesk.domain import incidents as rules
from crisisdesk.domain.case_status import OPEN_STATUSES
from crisisdesk.extensions import db
from crisisdesk.models import Case, Compensation, Incident, IncidentCase, Order
from crisisdesk.services import incident_broadcasts
from crisisdesk.services.recovery_report import shop_ids_of

LIST_LIMIT = 200
PHASE_FILTERS = ("open", "closed", "all")


@dataclass(frozen=True)
class IncidentRow:
    incident: Incident
    cases: int
    update_due: bool


@dataclass(frozen=True)
class CaseLine:
    case: Case
    compensation: Compensation | None  # the latest, whatever its state


@dataclass(frozen=True)
class Figures:
    affected_orders: int
    at_stake: list  # (currency, total), per currency
    compensation: list  # (currency, total) of the compensations that went through
    open_cases: int
    resolved_cases: int


@dataclass(frozen=True)
class UpdateLine:
    update: object  # IncidentUpdate
    counts: dict  # {status: number of emails}


@dataclass(frozen=True)
class IncidentPage:
    incident: Incident
    lines: list
    figures: Figures
    updates: list
    update_due: bool
    ticks: dict  # {checklist item: IncidentChecklistTick}


def incident_list(scope, phase="open"):
    """Incidents of a user's visible shops (or one shop id), open ones first, then newest; with case counts."""
    shop_ids = shop_ids_of(scope)
    if not shop_ids:
        return []
    query = Incident.query.filter(Incident.shop_id.in_(shop_ids))
    if phase == "open":
        query = query.filter(Incident.phase.in_(rules.OPEN_PHASES))
    elif phase == "closed":
        query = query.filter(Incident.phase == rules.CLOSED)
    found = (query.options(db.joinedload(Incident.owner), db.joinedload(Incident.product))
             .order_by(sql_case((Incident.phase == rules.CLOSED, 1), else_=0), Incident.opened_at.desc(),
                       Incident.id.desc()).limit(LIST_LIMIT).all())
    counts = dict(db.session.query(IncidentCase.incident_id, func.count(IncidentCase.id))
                  .filter(IncidentCase.incident_id.in_([i.id for i in found] or [-1]))
                  .group_by(IncidentCase.incident_id).all())
    now = clock.utcnow()
    return [IncidentRow(i, counts.get(i.id, 0), rules.update_due(i.phase, i.next_update_due_at, now)) for i in found]


def incident_page(incident):
    """One incident with its case lines, figures, broadcast history and checklist ticks."""
    cases = (Case.query.join(IncidentCase, IncidentCase.case_id == Case.id)
             .filter(IncidentCase.incident_id == incident.id)
             .options(db.joinedload(Case.customer), db.joinedload(Case.order))
             .order_by(Case.opened_at, Case.id).all())
    latest = _latest_compensations([c.id for c in cases])
    progress = incident_broadcasts.progress(incident)
    return IncidentPage(incident=incident, lines=[CaseLine(c, latest.get(c.id)) for c in cases],
                        figures=figures(incident.id),
                        updates=[UpdateLine(u, progress.get(u.number, {})) for u in incident.updates],
                        update_due=rules.update_due(incident.phase, incident.next_update_due_at, clock.utcnow()),
                        ticks={tick.item: tick for tick in incident.ticks})


def figures(incident_id):
    """Affected orders, money at stake and compensation given (per currency), cases open and resolved."""
    in_incident = Case.id.in_(db.session.query(IncidentCase.case_id).filter(IncidentCase.incident_id == incident_id))
    order_ids = db.session.query(Case.order_id).filter(in_incident, Case.order_id.is_not(None)).distinct()
    at_stake = (db.session.query(Order.currency, func.sum(Order.total)).filter(Order.id.in_(order_ids))
                .group_by(Order.currency).order_by(Order.currency).all())
    given = (db.session.query(Compensation.currency, func.sum(Compensation.value))
             .filter(Compensation.case_id.in_(db.session.query(IncidentCase.case_id)
                                              .filter(IncidentCase.incident_id == incident_id)),
                     Compensation.state == "succeeded")
             .group_by(Compensation.currency).order_by(Compensation.currency).all())
    open_cases, total = db.session.query(
        func.coalesce(func.sum(sql_case((Case.status.in_(OPEN_STATUSES), 1), else_=0)), 0), func.count(Case.id),
    ).filter(in_incident).one()
    return Figures(affected_orders=order_ids.count(), at_stake=[tuple(row) for row in at_stake],
                   compensation=[tuple(row) for row in given], open_cases=int(open_cases),
                   resolved_cases=total - int(open_cases))


def incidents_by_alert(alert_ids):
    """{alert id: the incident opened from it (the latest)} for the alerts page."""
    if not alert_ids:
        return {}
    found = (Incident.query.filter(Incident.created_from_alert_id.in_(alert_ids)).order_by(Incident.id).all())
    return {incident.created_from_alert_id: incident for incident in found}


def _latest_compensations(case_ids):
    if not case_ids:
        return {}
    rows = Compensation.query.filter(Compensation.case_id.in_(case_ids)).order_by(Compensation.id).all()
    return {row.case_id: row for row in rows}  # the last one per case wins
