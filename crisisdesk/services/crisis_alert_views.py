"""What the panel shows of crisis alerts: the list with its evidence (four queries), and the banner's count."""
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import case, func

from crisisdesk.extensions import db
from crisisdesk.models import Case, CrisisAlert, Incident, IncidentCase, Review
from crisisdesk.services.recovery_report import shop_ids_of

LIST_LIMIT = 100
EVIDENCE_SHOWN = 25  # reviews listed per alert; the rest are counted


@dataclass(frozen=True)
class EvidenceReview:
    review_id: int
    case_id: int | None
    rating: int
    text: str
    created_at: object  # datetime (UTC)
    incident_id: int | None  # the incident its case is part of


@dataclass(frozen=True)
class AlertView:
    alert: CrisisAlert
    reviews: list  # EvidenceReview, newest first, at most EVIDENCE_SHOWN
    more: int  # evidence reviews not listed
    causes: list  # (cause name, count), most frequent first
    incidents: list  # (Incident, how many of the alert's cases it holds), most first: the crisis may be handled


def alert_list(scope):
    """Alerts of a user's visible shops (or one shop id): open first, then newest; each with its evidence."""
    shop_ids = shop_ids_of(scope)
    if not shop_ids:
        return []
    alerts = (CrisisAlert.query.filter(CrisisAlert.shop_id.in_(shop_ids))
              .order_by(case((CrisisAlert.status == "open", 0), else_=1), CrisisAlert.created_at.desc(),
                        CrisisAlert.id.desc())
              .options(db.joinedload(CrisisAlert.product), db.joinedload(CrisisAlert.acknowledged_by))
              .limit(LIST_LIMIT).all())
    wanted = {review_id for alert in alerts for review_id in (alert.review_ids or [])}
    reviews = _evidence(wanted)
    incidents = _incidents({r.incident_id for r in reviews.values()} - {None})
    views = []
    for alert in alerts:
        own = sorted((reviews[i] for i in alert.review_ids or [] if i in reviews),
                     key=lambda r: (r.created_at, r.review_id), reverse=True)
        causes = sorted((alert.cause_counts or {}).items(), key=lambda item: (-item[1], item[0]))
        held = Counter(r.incident_id for r in own if r.incident_id is not None)
        views.append(AlertView(alert, own[:EVIDENCE_SHOWN], max(0, len(own) - EVIDENCE_SHOWN), causes,
                               [(incidents[i], count) for i, count in held.most_common()]))
    return views


def open_alert_count(user):
    """How many alerts are open in the user's visible shops (the banner on every panel page)."""
    shop_ids = shop_ids_of(user)
    if not shop_ids:
        return 0
    return (db.session.query(func.count(CrisisAlert.id))
            .filter(CrisisAlert.shop_id.in_(shop_ids), CrisisAlert.status == "open").scalar())


def _evidence(review_ids):
    if not review_ids:
        return {}
    rows = (db.session.query(Review.id, Case.id, Review.rating, Review.text, Review.created_at,
                             IncidentCase.incident_id)
            .outerjoin(Case, Case.review_id == Review.id).outerjoin(IncidentCase, IncidentCase.case_id == Case.id)
            .filter(Review.id.in_(sorted(review_ids))).all())
    return {row[0]: EvidenceReview(*row) for row in rows}


def _incidents(incident_ids):
    if not incident_ids:
        return {}
    return {i.id: i for i in Incident.query.filter(Incident.id.in_(sorted(incident_ids)))}
