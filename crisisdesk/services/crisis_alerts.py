"""Crisis alerts: detect spikes of negative reviews per product and shop-wide, email the owners, acknowledge.

`detect` runs every 15 minutes (jobs/alerts.py). For each shop it counts, in one grouped query, the
negative reviews per product in the recent window (the last 24 h) and in the baseline (the 28 days
before that), and applies domain.spike_detection to every product and to the shop as a whole.
"Negative" is the shop's own case rule (services.summary.negative_review_condition: 1–2★ by default,
3★ or unrated with negative text, the shop's thresholds when changed; spam and trash left out), the
same count the widget shows as "negative reviews this week". The baseline spans 28 days, or less when
the shop's first known review is more recent (a newly connected shop has no history; the rule's prior
then keeps the expected count small but finite, and it takes 5 reviews in a day to fire).

One alert per spike, and one email per owner per alert:
- a run during a spike that already has an open alert (its last window reaches into the current one)
  updates that alert's evidence: the latest counts and p-value, `window_end`, and every negative
  review of the scope since the alert's `window_start`;
- a spike acknowledged less than 24 h ago (`REALERT_AFTER`) raises nothing new while it goes on; after
  that, if the last 24 h are still a spike, a new alert is raised;
- a new alert's `dedupe_key` is (shop, scope, product, the first negative review in its window), so two
  runs at once compute the same key and the unique constraint keeps one row; a later episode of the
  same scope starts after the earlier one's window (or acknowledgement), so its first review differs;
- owners are emailed through the outbox with a key per (alert, owner), and `emailed_at` records it.
"""
import logging
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import case, func, update
from sqlalchemy.exc import IntegrityError

from crisisdesk import clock
from crisisdesk.domain.causes import CAUSE_NAMES
from crisisdesk.domain.errors import Conflict, Invalid
from crisisdesk.domain.roles import Role
from crisisdesk.domain.spike_detection import PRODUCT_RULE, SHOP_RULE, decide, dominant_cause
from crisisdesk.extensions import db
from crisisdesk.models import Case, CrisisAlert, Review, Shop, User
from crisisdesk.services import audit, crisis_alert_emails, outbox
from crisisdesk.services.access import get_shop_record, visible_shop_ids
from crisisdesk.services.summary import negative_review_condition

log = logging.getLogger(__name__)

WINDOW = timedelta(hours=24)  # the first-answer SLA is 24 h: a day's complaints are what a shop can act on
BASELINE = timedelta(days=28)  # four whole weeks, so weekday habits average out
REALERT_AFTER = timedelta(hours=24)
MAX_NOTE = 1000


@dataclass(frozen=True)
class Spike:
    scope: str  # "product" or "shop"
    product_id: int | None
    decision: object  # domain.spike_detection.SpikeDecision
    rule: object  # domain.spike_detection.SpikeRule


@dataclass(frozen=True)
class DetectionResult:
    created: int  # new alerts
    updated: int  # open alerts whose evidence was refreshed
    emails: int  # owner emails scheduled


def detect(now=None):
    """Raise or refresh the alerts every shop's counts call for, and email owners of new ones; safe to run at once."""
    now = now or clock.utcnow()
    created = updated = emails = 0
    for shop_id in [row[0] for row in db.session.query(Shop.id).order_by(Shop.id)]:
        result = detect_in_shop(db.session.get(Shop, shop_id), now)
        created, updated, emails = created + result.created, updated + result.updated, emails + result.emails
    if created or updated:
        log.info("crisis alerts: %d new, %d updated, %d emails", created, updated, emails)
    return DetectionResult(created, updated, emails)


def detect_in_shop(shop, now):
    """`detect` for one shop (the demo replays its own past with it)."""
    created = updated = 0
    for spike in spikes(shop, now):
        outcome = _record(shop, spike, now)
        created, updated = created + (outcome == "created"), updated + (outcome == "updated")
    return DetectionResult(created, updated, _email_owners(shop, now))


def spikes(shop, now):
    """The products, and the shop as a whole, whose last 24 h of negative reviews the rule calls a spike."""
    window_start = now - WINDOW
    recent = func.coalesce(func.sum(case((Review.created_at >= window_start, 1), else_=0)), 0)
    rows = (db.session.query(Review.product_id, recent, func.count(Review.id))
            .filter(Review.shop_id == shop.id, Review.created_at >= window_start - BASELINE,
                    Review.created_at <= now, negative_review_condition(shop))
            .group_by(Review.product_id).all())
    windows = _baseline_windows(shop.id, window_start)
    found = []
    for product_id, observed, total in rows:
        if product_id is not None:
            found.append(Spike("product", product_id, decide(observed, total - observed, windows, PRODUCT_RULE),
                               PRODUCT_RULE))
    observed, total = sum(r[1] for r in rows), sum(r[2] for r in rows)
    found.append(Spike("shop", None, decide(observed, total - observed, windows, SHOP_RULE), SHOP_RULE))
    return [s for s in found if s.decision.is_spike]


def acknowledge(user, alert_id, actor, note=""):
    """Mark an open alert as seen by an agent or owner of its shop (audited); Conflict when it already was."""
    alert = get_alert(user, alert_id, Role.AGENT)
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise Invalid(f"the note is longer than {MAX_NOTE} characters", "note")
    now = clock.utcnow()
    # Conditional: of two people acknowledging at once, one does; the other is told who did.
    taken = db.session.execute(
        update(CrisisAlert).where(CrisisAlert.id == alert.id, CrisisAlert.status == "open")
        .values(status="acknowledged", acknowledged_by_id=user.id, acknowledged_at=now,
                acknowledgement_note=note or None, updated_at=now)
        .execution_options(synchronize_session=False)).rowcount
    if taken != 1:
        db.session.rollback()
        db.session.refresh(alert)
        who = alert.acknowledged_by.display_name if alert.acknowledged_by else "someone"
        raise Conflict(f"this alert was already acknowledged by {who}")
    audit.record(actor, "crisis_alert.acknowledged", alert, note=note)
    db.session.commit()
    db.session.refresh(alert)
    return alert


def get_alert(user, alert_id, role=Role.VIEWER):
    """The alert if its shop is visible to the user (else NotFound), and the user has `role`."""
    return get_shop_record(user, CrisisAlert, alert_id, "no such alert", role)


def open_alerts(scope):
    """Open alerts, newest first, of a user's visible shops (a User) or of one shop (a Shop or shop id)."""
    if isinstance(scope, User):
        shop_ids = visible_shop_ids(scope)
    else:
        shop_ids = [scope.id if isinstance(scope, Shop) else scope]
    if not shop_ids:
        return []
    return (CrisisAlert.query.filter(CrisisAlert.shop_id.in_(shop_ids), CrisisAlert.status == "open")
            .order_by(CrisisAlert.created_at.desc(), CrisisAlert.id.desc()).all())


def shop_owners(shop_id):
    """Enabled owners who belong to the shop; when none does, every enabled owner (as for SLA alerts)."""
    owners = User.query.filter(User.role == Role.OWNER.value, User.is_enabled.is_(True))
    members = owners.filter(User.shops.any(Shop.id == shop_id)).order_by(User.email).all()
    return members or owners.order_by(User.email).all()


# --- recording ---------------------------------------------------------------------------------------------

def _record(shop, spike, now):
    """Create the alert, refresh the open one of the same episode, or stay quiet after an acknowledgement."""
    window_start = now - WINDOW
    latest = (CrisisAlert.query.filter(CrisisAlert.shop_id == shop.id, CrisisAlert.scope == spike.scope,
                                       CrisisAlert.product_id == spike.product_id)
              .order_by(CrisisAlert.created_at.desc(), CrisisAlert.id.desc()).first())
    if latest is not None and latest.status == "open" and latest.window_end >= window_start:
        _fill(latest, shop, spike, latest.window_start, now)
        db.session.commit()
        return "updated"
    if latest is not None and latest.status == "acknowledged" and latest.acknowledged_at > now - REALERT_AFTER:
        return None
    alert = CrisisAlert(shop_id=shop.id, scope=spike.scope, product_id=spike.product_id, status="open",
                        created_at=now)
    _fill(alert, shop, spike, window_start, now)
    first = (db.session.query(Review.id).filter(Review.id.in_(alert.review_ids))
             .order_by(Review.created_at, Review.id).limit(1).scalar())
    alert.dedupe_key = f"spike:{shop.id}:{spike.scope}:{spike.product_id or 0}:r{first or 0}"
    db.session.add(alert)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()  # another run raised this very alert a moment ago
        return None
    return "created"


def _fill(alert, shop, spike, since, now):
    """Counts, rule and evidence: every negative review of the scope from `since` to `now`, and their causes."""
    decision = spike.decision
    alert.window_start, alert.window_end = since, now
    alert.observed, alert.expected, alert.p_value = decision.observed, decision.expected, decision.p_value
    alert.rule = spike.rule.describe()
    query = (db.session.query(Review.id, Case.cause).outerjoin(Case, Case.review_id == Review.id)
             .filter(Review.shop_id == shop.id, Review.created_at >= since, Review.created_at <= now,
                     negative_review_condition(shop)))
    if spike.product_id is not None:
        query = query.filter(Review.product_id == spike.product_id)
    rows = query.order_by(Review.id).all()
    counts = {}
    for _, cause in rows:
        if cause:
            counts[cause] = counts.get(cause, 0) + 1
    alert.review_ids = [review_id for review_id, _ in rows]
    alert.cause_counts = counts
    alert.dominant_cause = dominant_cause(counts, CAUSE_NAMES)


def _email_owners(shop, now):
    """Schedule the owners' email for each open alert of the shop not emailed yet (idempotent per alert and owner)."""
    emails = 0
    waiting = CrisisAlert.query.filter_by(shop_id=shop.id, status="open", emailed_at=None).order_by(CrisisAlert.id)
    for alert in waiting.all():
        people = shop_owners(shop.id)
        for person in people:
            outbox.schedule_staff_email(shop, crisis_alert_emails.KIND,
                                        crisis_alert_emails.alert_key(alert.id, person.id), person.email, now,
                                        f"Crisis alert #{alert.id}: a spike of negative reviews.")
        db.session.execute(update(CrisisAlert).where(CrisisAlert.id == alert.id, CrisisAlert.emailed_at.is_(None))
                           .values(emailed_at=now).execution_options(synchronize_session=False))
        db.session.commit()
        emails += len(people)
    return emails


def _baseline_windows(shop_id, window_start):
    """How many windows of history the baseline really covers: 28 days, or since the shop's first review."""
    first = db.session.query(func.min(Review.created_at)).filter(Review.shop_id == shop_id).scalar()
    if first is None or first >= window_start:
        return 0.0
    return min(BASELINE, window_start - first) / WINDOW
