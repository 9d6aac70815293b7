"""Helpers for the outbox tests: simple email kinds, a case to attach emails to, RQ's scheduler at a frozen time.

The follow-up texts are written elsewhere (services/email_kinds.py); these tests are about the
transport, so `email_kinds_stub` stands in for the texts (the outside world of this module),
and everything else is real: the database, Redis, RQ and an SMTP server.
"""
from datetime import timedelta

import pytest

from crisisdesk import clock
from crisisdesk.extensions import db
from crisisdesk.jobs import ALL_QUEUES, queue
from crisisdesk.models import Case, OutboxEmail
from crisisdesk.services import email_kinds, outbox
from tests import factories


class KindsStub:
    """Renders a fixed text per row; `cancel[email_id] = "reason"` makes a row unwanted when it is due."""

    def __init__(self):
        self.cancel = {}
        self.rendered = []

    def render(self, row):
        self.rendered.append(row.id)
        return email_kinds.RenderedEmail(subject=f"Jak oceniasz pomoc? ({row.kind})",
                                         text=f"Dzień dobry, to jest {row.kind} w języku {row.language}.\n",
                                         html=f"<p>Dzień dobry, to jest <b>{row.kind}</b>.</p>")

    def cancel_reason(self, row):
        return self.cancel.get(row.id)


@pytest.fixture
def email_kinds_stub(monkeypatch):
    stub = KindsStub()
    monkeypatch.setattr(email_kinds, "render", stub.render)
    monkeypatch.setattr(email_kinds, "cancel_reason", stub.cancel_reason)
    return stub


def make_case(shop, email="grace@example.com", rating=2):
    """A case opened by a bad review, through the real ingest path."""
    factories.deliver(shop, "review.created", factories.review(rating=rating, email=email))
    return Case.query.filter_by(shop_id=shop.id).order_by(Case.id.desc()).first()


def schedule(shop, key="case:1:follow_up", to="grace@example.com", after=timedelta(0), kind="follow_up",
             case=None, language="pl"):
    """schedule_email with test defaults; `after` is the delay from the (frozen) clock."""
    return outbox.schedule_email(shop, kind, key, to, language, clock.utcnow() + after,
                                 "Resolved: a replacement was sent.", case=case)


def row(email_id):
    """The row as it is in the database now."""
    db.session.expire_all()
    return db.session.get(OutboxEmail, email_id)


def release_scheduled(app, moment):
    """What RQ's scheduler does at `moment`: move every job scheduled up to then onto its queue."""
    released = []
    for name in ALL_QUEUES:
        registry = queue(name, app).scheduled_job_registry
        for job_id in registry.get_jobs_to_schedule(int(moment.timestamp())):
            registry.requeue(job_id)
            released.append(job_id)
    return released


def scheduled_jobs(app):
    """{job id: when RQ's scheduler will enqueue it} across all queues."""
    jobs = {}
    for name in ALL_QUEUES:
        registry = queue(name, app).scheduled_job_registry
        for job_id in registry.get_job_ids():
            jobs[job_id] = registry.get_scheduled_time(job_id)
    return jobs


def timeline(case):
    """(kind, message) of each event on the case (a Case or its id)."""
    db.session.expire_all()
    case_id = case if isinstance(case, int) else case.id
    return [(event.kind, event.message) for event in db.session.get(Case, case_id).events]
