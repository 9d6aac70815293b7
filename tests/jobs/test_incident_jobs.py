"""The demo scenario end to end on the real database, Redis (RQ's worker and the periodic schedule) and an SMTP
server, time frozen: a courier failure hits 30 orders; the spike alert opens an incident with its cases; the
first update reaches all 30 customers once; 72 hours later the owner is reminded and the second update goes
out; the incident is closed with its retrospective and the cadence stops."""
from decimal import Decimal

from crisisdesk.extensions import db
from crisisdesk.jobs import PERIODIC_QUEUE, queue
from crisisdesk.jobs.schedule import PERIODIC_JOBS, enqueue_due
from crisisdesk.models import CrisisAlert, Incident, OutboxEmail
from crisisdesk.services import incident_broadcasts, incident_views, incidents
from tests.incident_helpers import actor_of, courier_failure

PERIOD_START = 1_795_000_500  # a Unix time at the start of a 15-minute period
UPDATE = {"en": "What happened: our courier lost a day's parcels.\n\nWhat we are doing: a new parcel is on its way."}


def run_periodic(app, run_jobs, function):
    queue(PERIODIC_QUEUE, app).enqueue(function)
    run_jobs()
    db.session.expire_all()


def customer_mail(smtp_server, owner):
    return [m for m in smtp_server.messages if m.rcpt_tos != [owner.email]]


def test_the_reminder_is_a_periodic_job_every_fifteen_minutes(app):
    [periodic] = [p for p in PERIODIC_JOBS if p.function.endswith("remind_due_incident_updates_job")]
    assert periodic.every_seconds == 15 * 60
    assert "remind-incident-updates" in enqueue_due(app, now=PERIOD_START + 1)


def test_a_courier_failure_hitting_30_orders_from_alert_to_retrospective(app, shop_a, owner, agent, smtp_server,
                                                                        run_jobs, frozen_clock):
    cases = courier_failure(shop_a, 30, total=49.99)
    run_periodic(app, run_jobs, "crisisdesk.jobs.alerts.detect_spikes_job")
    alert = CrisisAlert.query.filter_by(scope="product").one()

    incident, _ = incidents.open_incident(
        agent, shop_a.id, actor_of(agent), "Courier lost parcels", alert.dominant_cause, product_id=alert.product_id,
        owner_id=owner.id, statement="Our courier lost parcels; everyone affected hears from us.",
        case_ids=[c.id for c in incidents.alert_cases(alert)], alert_id=alert.id)
    figures = incident_views.figures(incident.id)
    assert (figures.affected_orders, figures.at_stake, figures.open_cases) == (30, [("PLN", Decimal("1499.70"))], 30)

    incident_broadcasts.send_update(agent, incident.id, actor_of(agent), 1, UPDATE)
    incident_broadcasts.send_update(agent, incident.id, actor_of(agent), 1, UPDATE)  # a double click
    run_jobs()
    first_round = customer_mail(smtp_server, owner)
    assert sorted(m.rcpt_tos[0] for m in first_round) == sorted(c.customer.email for c in cases)
    assert incident_broadcasts.progress(incident)[1]["sent"] == 30

    frozen_clock.advance(hours=72)
    run_periodic(app, run_jobs, "crisisdesk.jobs.incidents.remind_due_incident_updates_job")
    run_periodic(app, run_jobs, "crisisdesk.jobs.incidents.remind_due_incident_updates_job")
    reminders = [m for m in smtp_server.messages
                 if m.rcpt_tos == [owner.email] and "[Update due]" in m.message["Subject"]]
    assert len(reminders) == 1
    assert incident_views.incident_list(owner)[0].update_due

    incident_broadcasts.send_update(agent, incident.id, actor_of(agent), 2, UPDATE)
    run_jobs()
    assert len(customer_mail(smtp_server, owner)) == 60
    assert OutboxEmail.query.filter_by(kind="incident_update").count() == 60

    incidents.change_phase(agent, incident.id, "reacting", actor_of(agent))
    incidents.close(agent, incident.id, actor_of(agent), {
        "what_happened": "The courier's depot failed for two days.", "what_worked": "Two updates reached everyone.",
        "what_to_change": "Contract a second courier."})
    frozen_clock.advance(hours=72)
    run_periodic(app, run_jobs, "crisisdesk.jobs.incidents.remind_due_incident_updates_job")
    closed = db.session.get(Incident, incident.id)
    assert (closed.phase, closed.next_update_due_at, len(closed.updates)) == ("closed", None, 2)
    assert OutboxEmail.query.filter_by(kind="incident_reminder").count() == 1
    assert not incident_views.incident_list(owner, "all")[0].update_due
