"""Crisis alerts through the periodic job, RQ's worker, the real database and a real SMTP server, time frozen."""
from datetime import timedelta

from crisisdesk.extensions import db
from crisisdesk.jobs import PERIODIC_QUEUE, queue
from crisisdesk.jobs.schedule import PERIODIC_JOBS, enqueue_due
from crisisdesk.models import CrisisAlert, OutboxEmail
from tests.services.test_crisis_alerts import LATE, quiet_history, spike

PERIOD_START = 1_795_000_500  # a Unix time at the start of a 15-minute period


def detect(app, run_jobs):
    queue(PERIODIC_QUEUE, app).enqueue("crisisdesk.jobs.alerts.detect_spikes_job")
    run_jobs()
    db.session.expire_all()


def test_it_is_a_periodic_job_every_fifteen_minutes(app):
    [periodic] = [p for p in PERIODIC_JOBS if p.function == "crisisdesk.jobs.alerts.detect_spikes_job"]
    assert periodic.every_seconds == 15 * 60
    assert "detect-spikes" in enqueue_due(app, now=PERIOD_START + 1)
    assert "detect-spikes" not in enqueue_due(app, now=PERIOD_START + 5 * 60)


def test_an_injected_spike_raises_exactly_one_alert_and_one_email_to_the_owner(app, shop_a, owner, agent, run_jobs,
                                                                              smtp_server, frozen_clock):
    quiet_history(shop_a, frozen_clock.now)
    detect(app, run_jobs)
    assert CrisisAlert.query.count() == 0 and smtp_server.messages == []

    spike(shop_a, frozen_clock.now, 4)
    detect(app, run_jobs)
    detect(app, run_jobs)
    frozen_clock.advance(minutes=15)
    detect(app, run_jobs)

    [alert] = CrisisAlert.query.all()
    assert alert.status == "open" and alert.emailed_at is not None
    [row] = OutboxEmail.query.filter_by(kind="crisis_alert").all()
    assert row.status == "sent"
    [received] = smtp_server.messages
    message = received.message
    assert received.rcpt_tos == [owner.email]
    assert message["Subject"] == ("[Crisis alert] Spike of negative reviews for Kettle: 4 in 24 h (usually 0.2), "
                                  "mostly Late or lost delivery (Shop A)")
    assert message["List-Unsubscribe"] is None and message["Auto-Submitted"] == "auto-generated"
    text = message.get_body(("plain",)).get_content()
    assert "Late or lost delivery (4)" in text and LATE in text and f"/alerts#alert-{alert.id}" in text
    assert "p < 0.001" in text and "unsubscribe" not in text.lower()
    html = message.get_body(("html",)).get_content()
    assert "Open the alert" in html


def test_it_sends_no_email_for_an_alert_acknowledged_before_its_email_went_out(app, shop_a, owner, run_jobs,
                                                                               smtp_server, frozen_clock):
    from crisisdesk.domain.actor import CLI
    from crisisdesk.services import crisis_alerts

    quiet_history(shop_a, frozen_clock.now)
    spike(shop_a, frozen_clock.now, 4)
    crisis_alerts.detect()  # scheduled and queued, not sent yet
    [alert] = CrisisAlert.query.all()
    crisis_alerts.acknowledge(owner, alert.id, CLI)

    run_jobs()

    assert smtp_server.messages == []
    assert OutboxEmail.query.filter_by(kind="crisis_alert").one().status == "cancelled"
