"""Periodic jobs, declared as data, and the loop that enqueues them.

Several scheduler processes may run (one per machine); a Redis lock per job and
period makes sure each period enqueues a job once.
"""
import logging
import time
from dataclasses import dataclass

from crisisdesk.jobs import PERIODIC_QUEUE, queue

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Periodic:
    name: str
    function: str
    every_seconds: int


PERIODIC_JOBS = [
    Periodic("sweep-pending-events", "crisisdesk.jobs.ingest.sweep_pending_events", 60),
    Periodic("sweep-stuck-compensations", "crisisdesk.jobs.compensation.sweep_stuck_compensations", 5 * 60),
    Periodic("reconcile-shops", "crisisdesk.jobs.sync.reconcile_all_job", 15 * 60),
    Periodic("sweep-outbox", "crisisdesk.jobs.email.sweep_outbox_job", 60),
    Periodic("sweep-replies", "crisisdesk.jobs.replies.sweep_replies_job", 60),
    Periodic("expire-recoveries", "crisisdesk.jobs.recovery.expire_recoveries_job", 60 * 60),
    Periodic("schedule-missing-follow-ups", "crisisdesk.jobs.recovery.schedule_missing_follow_ups_job", 15 * 60),
    Periodic("schedule-review-requests", "crisisdesk.jobs.review_requests.schedule_review_requests_job", 15 * 60),
    Periodic("escalate-sla", "crisisdesk.jobs.sla.escalate_sla_job", 5 * 60),
    Periodic("warn-held-reviews", "crisisdesk.jobs.moderation.warn_about_held_reviews_job", 15 * 60),
    Periodic("detect-spikes", "crisisdesk.jobs.alerts.detect_spikes_job", 15 * 60),
    Periodic("flag-at-risk-orders", "crisisdesk.jobs.at_risk.flag_at_risk_orders_job", 30 * 60),
    Periodic("remind-incident-updates", "crisisdesk.jobs.incidents.remind_due_incident_updates_job", 15 * 60),
    Periodic("apply-retention", "crisisdesk.jobs.retention.anonymise_due_cases_job", 24 * 60 * 60),
]


def enqueue_due(app, now=None, jobs=PERIODIC_JOBS):
    """Enqueue every periodic job whose period has started and was not enqueued yet; returns their names."""
    now = now if now is not None else time.time()
    connection = queue(PERIODIC_QUEUE, app).connection
    started = []
    for periodic in jobs:
        period = int(now // periodic.every_seconds)
        lock = f"crisisdesk:periodic:{periodic.name}:{period}"
        if connection.set(lock, "1", nx=True, ex=periodic.every_seconds * 2):
            queue(PERIODIC_QUEUE, app).enqueue(periodic.function, job_id=f"{periodic.name}-{period}",
                                               job_timeout=periodic.every_seconds * 5, result_ttl=600)
            started.append(periodic.name)
    return started


def run_forever(app, tick_seconds=5, should_stop=lambda: False):
    log.info("periodic scheduler started: %s", ", ".join(p.name for p in PERIODIC_JOBS))
    while not should_stop():
        try:
            enqueue_due(app)
        except Exception:  # keep ticking through a Redis blip; the next tick retries
            log.exception("could not enqueue periodic jobs")
        time.sleep(tick_seconds)
