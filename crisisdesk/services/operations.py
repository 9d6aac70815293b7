"""What operators and their tools ask of a running service: is it ready, and what is it doing.

Readiness checks the parts every request needs (the database at the migrations' head, Redis);
the metrics are a handful of aggregate queries and Redis counts, cheap enough for a scrape every
15 seconds, never a walk over rows in Python.
"""
import logging
from dataclasses import dataclass

from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from rq import Queue, Worker
from rq.registry import FailedJobRegistry, ScheduledJobRegistry, StartedJobRegistry
from sqlalchemy import case, func, select, text

from crisisdesk import ROOT, clock
from crisisdesk.domain.case_status import OPEN_STATUSES
from crisisdesk.domain.prometheus import Family
from crisisdesk.extensions import db, redis_connection
from crisisdesk.jobs import ALL_QUEUES
from crisisdesk.models import Case, CaseReply, CrisisAlert, InboundEvent, OutboxEmail, SlaNotification

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str  # never a URL, a password or an exception's text: only its type and what to do

    def as_dict(self):
        return {"ok": self.ok, "detail": self.detail}


def readiness():
    """Each part a request needs, checked now: the database (reachable, migrated) and Redis."""
    return [_database_check(), _redis_check()]


def metric_families(now=None):
    """The service's state as Prometheus metric families (see domain.prometheus)."""
    now = now or clock.utcnow()
    return [*_queue_families(), *_event_families(), *_case_families(now), *_delivery_families()]


# --- readiness ----------------------------------------------------------------------------------------------

def _database_check():
    try:
        with db.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
            current = MigrationContext.configure(connection).get_current_revision()
    except Exception as error:  # noqa: BLE001 (any failure means "not ready"; the type says which)
        log.warning("readiness: the database check failed (%s)", type(error).__name__)
        return Check("database", False, f"unreachable ({type(error).__name__})")
    head = ScriptDirectory(str(ROOT / "migrations")).get_current_head()
    if current != head:
        return Check("database", False, f"schema at {current or 'nothing'}, code expects {head}: run "
                                        "`flask --app wsgi db upgrade`")
    return Check("database", True, f"reachable, schema at {head}")


def _redis_check():
    try:
        redis_connection().ping()
    except Exception as error:  # noqa: BLE001
        log.warning("readiness: the Redis check failed (%s)", type(error).__name__)
        return Check("redis", False, f"unreachable ({type(error).__name__})")
    return Check("redis", True, "reachable")


# --- metrics ------------------------------------------------------------------------------------------------

def _queue_families():
    connection = redis_connection()
    waiting = Family("crisisdesk_queue_jobs", "gauge", "Jobs waiting in each RQ queue.")
    running = Family("crisisdesk_queue_started_jobs", "gauge", "Jobs a worker is running now, per queue.")
    scheduled = Family("crisisdesk_queue_scheduled_jobs", "gauge", "Jobs scheduled for later (retries, "
                                                                   "follow-ups), per queue.")
    failed = Family("crisisdesk_queue_failed_jobs", "gauge", "Jobs in RQ's failed registry, per queue.")
    for name in ALL_QUEUES:
        queue, labels = Queue(name, connection=connection), {"queue": name}
        waiting.samples.append((labels, queue.count))
        running.samples.append((labels, StartedJobRegistry(queue=queue).count))
        scheduled.samples.append((labels, ScheduledJobRegistry(queue=queue).count))
        failed.samples.append((labels, FailedJobRegistry(queue=queue).count))
    workers = Family("crisisdesk_workers", "gauge", "RQ workers registered in Redis.",
                     [({}, Worker.count(connection=connection))])
    return [waiting, running, scheduled, failed, workers]


def _event_families():
    received = Family("crisisdesk_events_received_total", "counter",
                      "Signed events stored from the bridge, by type and outcome (pending: not applied yet).")
    rows = db.session.execute(select(InboundEvent.type, InboundEvent.outcome, func.count())
                              .group_by(InboundEvent.type, InboundEvent.outcome)).all()
    for kind, outcome, count in sorted(rows, key=lambda row: (row[0], row[1] or "")):
        received.samples.append(({"type": kind, "outcome": outcome or "pending"}, count))
    return [received]


def _case_families(now):
    open_cases = Family("crisisdesk_cases_open", "gauge", "Open cases per shop.")
    overdue = Family("crisisdesk_cases_overdue", "gauge",
                     "Open cases with an SLA clock past due now (first response, apology, update, statutory).")
    overdue_now = func.coalesce(func.sum(case((Case.overdue_at(now), 1), else_=0)), 0)
    for shop_id, count, late in db.session.execute(
            select(Case.shop_id, func.count(), overdue_now).where(Case.status.in_(OPEN_STATUSES))
            .group_by(Case.shop_id).order_by(Case.shop_id)).all():
        open_cases.samples.append(({"shop": shop_id}, count))
        overdue.samples.append(({"shop": shop_id}, int(late)))
    breaches = Family("crisisdesk_sla_notices_total", "counter",
                      "SLA notices sent (due soon and overdue), by clock and stage.")
    for clock_name, stage, count in db.session.execute(
            select(SlaNotification.clock, SlaNotification.stage, func.count())
            .group_by(SlaNotification.clock, SlaNotification.stage)
            .order_by(SlaNotification.clock, SlaNotification.stage)).all():
        breaches.samples.append(({"clock": clock_name, "stage": stage}, count))
    alerts = Family("crisisdesk_crisis_alerts_open", "gauge", "Open crisis (spike) alerts.",
                    [({}, db.session.scalar(select(func.count()).where(CrisisAlert.status == "open")))])
    return [open_cases, overdue, breaches, alerts]


def _delivery_families():
    emails = Family("crisisdesk_outbox_emails", "gauge", "Emails in the outbox, by kind and status.")
    for kind, status, count in db.session.execute(
            select(OutboxEmail.kind, OutboxEmail.status, func.count())
            .group_by(OutboxEmail.kind, OutboxEmail.status).order_by(OutboxEmail.kind, OutboxEmail.status)).all():
        emails.samples.append(({"kind": kind, "status": status}, count))
    replies = Family("crisisdesk_replies", "gauge", "Replies to customers, by channel and status.")
    for channel, status, count in db.session.execute(
            select(CaseReply.channel, CaseReply.status, func.count())
            .group_by(CaseReply.channel, CaseReply.status).order_by(CaseReply.channel, CaseReply.status)).all():
        replies.samples.append(({"channel": channel, "status": status}, count))
    return [emails, replies]
