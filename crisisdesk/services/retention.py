"""The shop's retention period (domain/retention.py): once a day the personal data of the cases that ended more
than `Shop.retention_months` ago is anonymised by services/privacy.anonymise_cases, and the statistics stay.

Due: closed before the cutoff, or resolved before it and past the recovery window (no recovery still pending,
and the shop's window over for a case that never had one); never an open case. `Case.anonymised_at` marks the
cases done, so each run looks only at the others (index ix_cases_shop_anonymised) and a second run changes
nothing. Cases are claimed one by one with a conditional UPDATE of that column, so two runs at once anonymise
each case once, and committed in batches of BATCH: a long backlog is neither one huge transaction nor lost to a
crash halfway (the next run goes on). One audit entry per shop and run says how many cases were anonymised.
"""
import logging
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import and_, exists, or_, update
from sqlalchemy.orm import selectinload

from crisisdesk import clock
from crisisdesk.domain import retention as rules
from crisisdesk.domain.actor import WORKER
from crisisdesk.domain.case_status import CaseStatus
from crisisdesk.extensions import db
from crisisdesk.models import Case, Recovery, Review, Shop
from crisisdesk.services import audit, privacy
from crisisdesk.services.shops import update_setting

log = logging.getLogger(__name__)

SETTING = "retention_months"
BATCH = 100


@dataclass(frozen=True)
class RetentionResult:
    shops: int  # shops with a retention period
    cases: int  # cases anonymised in this run


def update_settings(user, shop_id, actor, months):
    """Set how many months after a case ended its personal data is kept; None keeps it (owners only; audited)."""
    return update_setting(user, shop_id, actor, SETTING, months, rules.validate_months(months),
                          "shop.retention_settings_changed")


def anonymise_due_cases(now=None):
    """Anonymise every shop's cases past its retention period (module doc); safe to run any number of times."""
    now = now or clock.utcnow()
    shops = Shop.query.filter(Shop.retention_months.is_not(None)).order_by(Shop.id).all()
    total = sum(_anonymise_shop(shop, now) for shop in shops)
    if total:
        log.info("retention: %d cases anonymised in %d shops", total, len(shops))
    return RetentionResult(shops=len(shops), cases=total)


def _anonymise_shop(shop, now):
    due = _due(shop, now)
    anonymised, changed = 0, Counter()
    while True:
        ids = [row[0] for row in db.session.query(Case.id).filter(due).order_by(Case.id).limit(BATCH)]
        if not ids:
            break
        claimed = [case_id for case_id in ids if _claim(case_id, now)]
        cases = (Case.query.options(*_loaded()).filter(Case.id.in_(claimed)).order_by(Case.id).all()
                 if claimed else [])
        changed.update(privacy.anonymise_cases(shop, cases))
        db.session.commit()
        anonymised += len(cases)
    if anonymised:
        audit.record(WORKER, "privacy.retention_applied", shop, months=shop.retention_months, cases=anonymised,
                     changed=dict(changed))
        db.session.commit()
    return anonymised


def _due(shop, now):
    """SQL: the shop's cases not anonymised yet that ended before its cutoff (module doc)."""
    cutoff = rules.cutoff(now, shop.retention_months)
    resolved_before = min(cutoff, now - timedelta(days=shop.recovery_window_days))
    pending = exists().where(Recovery.case_id == Case.id, Recovery.outcome == "pending")
    return and_(Case.shop_id == shop.id, Case.anonymised_at.is_(None), ~pending,
                or_(and_(Case.status == CaseStatus.CLOSED.value, Case.closed_at < cutoff),
                    and_(Case.status == CaseStatus.RESOLVED.value, Case.resolved_at < resolved_before)))


def _claim(case_id, now):
    """Mark the case as this run's (False when another run got there first); it commits with the batch."""
    claimed = db.session.execute(update(Case).where(Case.id == case_id, Case.anonymised_at.is_(None))
                                 .values(anonymised_at=now).execution_options(synchronize_session=False))
    return claimed.rowcount == 1


def _loaded():
    """What anonymise_cases reads of every case, loaded for a batch in a few queries instead of a few per case.
    (A function: the backrefs, replies to recovery, exist only once the mappers are configured.)"""
    return (selectinload(Case.events), selectinload(Case.replies), selectinload(Case.remedies),
            selectinload(Case.improvements), selectinload(Case.customer), selectinload(Case.order),
            selectinload(Case.recovery), selectinload(Case.review).selectinload(Review.revisions))
