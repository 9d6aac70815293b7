"""SLA escalation through the periodic job, RQ's worker, the real database and a real SMTP server, with time frozen.

A review case opened at 12:00 has its first answer due 24 h later (due soon from 18 h, the last quarter),
its public apology due after 48 h and its next update after 72 h (shop defaults)."""

from crisisdesk.extensions import db
from crisisdesk.jobs import PERIODIC_QUEUE, queue
from crisisdesk.jobs.schedule import PERIODIC_JOBS, enqueue_due
from crisisdesk.models import Case, OutboxEmail, SlaNotification
from crisisdesk.services import cases as case_service
from crisisdesk.services.users import audit_actor
from tests import factories

PERIOD_START = 1_795_000_200  # a Unix time at the start of a 5-minute period


def open_case(shop, now, **review):
    factories.deliver(shop, "review.created", factories.review(created_at=now, **{"rating": 1, **review}))
    return Case.query.filter_by(shop_id=shop.id).order_by(Case.id.desc()).first()


def escalate(app, run_jobs):
    queue(PERIODIC_QUEUE, app).enqueue("crisisdesk.jobs.sla.escalate_sla_job")
    run_jobs()
    db.session.expire_all()


def notices(case):
    return [(n.clock, n.stage) for n in SlaNotification.query.filter_by(case_id=case.id).order_by(SlaNotification.id)]


def alerts():
    return OutboxEmail.query.filter_by(kind="sla_alert").order_by(OutboxEmail.id).all()


def test_it_is_a_periodic_job_every_five_minutes(app, run_jobs):
    [periodic] = [p for p in PERIODIC_JOBS if p.function == "crisisdesk.jobs.sla.escalate_sla_job"]
    assert periodic.every_seconds == 5 * 60
    assert "escalate-sla" in enqueue_due(app, now=PERIOD_START + 1)
    assert "escalate-sla" not in enqueue_due(app, now=PERIOD_START + 60)


def test_it_warns_once_when_due_soon_and_once_when_overdue(app, shop_a, owner, run_jobs, smtp_server, frozen_clock):
    case = open_case(shop_a, frozen_clock.now)
    frozen_clock.advance(hours=17, minutes=59)
    escalate(app, run_jobs)
    assert notices(case) == [] and alerts() == [] and smtp_server.messages == []

    frozen_clock.advance(minutes=1)  # 06:00, inside the shop's quiet hours: a staff alert does not wait
    escalate(app, run_jobs)
    assert notices(case) == [("first_response", "due_soon")]
    case = db.session.get(Case, case.id)
    assert case.escalation_level == 1
    assert [e.kind for e in case.events].count("sla_due_soon") == 1
    assert "first response due in 6 h" in [e.message for e in case.events if e.kind == "sla_due_soon"][0]
    [alert] = alerts()
    assert (alert.to_email, alert.language, alert.status) == (owner.email, "en", "sent")
    [received] = smtp_server.messages
    message = received.message
    assert received.rcpt_tos == [owner.email]
    assert message["Subject"] == f"[Due soon] first response on case #{case.id} (Shop A)"
    assert message["List-Unsubscribe"] is None and message["List-Unsubscribe-Post"] is None
    text = message.get_body(("plain",)).get_content()
    assert "first response due in 6 h" in text and f"/cases/{case.id}" in text and "Arrived broken." in text
    assert "unsubscribe" not in text.lower()

    escalate(app, run_jobs)  # the same period again: nothing new
    assert len(notices(case)) == 1 and len(alerts()) == 1 and len(smtp_server.messages) == 1

    frozen_clock.advance(hours=6, minutes=1)
    escalate(app, run_jobs)
    escalate(app, run_jobs)
    assert notices(case) == [("first_response", "due_soon"), ("first_response", "overdue")]
    case = db.session.get(Case, case.id)
    assert case.escalation_level == 3  # overdue raises more than due soon
    assert "SLA escalation level 3" in case.priority_reasons
    assert len(smtp_server.messages) == 2
    assert smtp_server.messages[-1].message["Subject"].startswith("[Overdue] first response")


def test_it_alerts_the_assignee_rather_than_the_owners(app, shop_a, owner, agent, run_jobs, smtp_server,
                                                        frozen_clock):
    case = open_case(shop_a, frozen_clock.now)
    case_service.assign(agent, case.id, agent.id, audit_actor(agent, "127.0.0.1"))
    frozen_clock.advance(hours=19)
    escalate(app, run_jobs)
    assert [a.to_email for a in alerts()] == [agent.email]
    assert SlaNotification.query.one().recipients == [agent.email]


def test_it_alerts_every_owner_when_nobody_is_assigned(app, shop_a, owner, run_jobs, smtp_server, frozen_clock):
    second = factories.make_user("second.owner@crisisdesk.example", "owner")
    case = open_case(shop_a, frozen_clock.now)
    frozen_clock.advance(hours=19)
    escalate(app, run_jobs)
    assert sorted(a.to_email for a in alerts()) == sorted([owner.email, second.email])
    assert notices(case) == [("first_response", "due_soon")]


def test_a_clock_met_in_time_sends_no_notice(app, shop_a, owner, agent, run_jobs, smtp_server, frozen_clock):
    case = open_case(shop_a, frozen_clock.now)
    frozen_clock.advance(hours=10)
    case_service.add_note(agent, case.id, "Phoned the customer.", audit_actor(agent, "127.0.0.1"),
                          customer_contacted=True)
    frozen_clock.advance(hours=15)  # past the first answer's due time; apology (48 h) not due soon yet
    escalate(app, run_jobs)
    assert notices(case) == [] and smtp_server.messages == []


def test_an_alert_whose_clock_was_met_before_sending_is_cancelled(app, shop_a, owner, agent, run_jobs, smtp_server,
                                                                   frozen_clock):
    from crisisdesk.services import sla_escalation

    case = open_case(shop_a, frozen_clock.now)
    frozen_clock.advance(hours=19)
    sla_escalation.escalate_due_cases()  # scheduled, its send job not run yet
    case_service.add_note(agent, case.id, "Phoned the customer.", audit_actor(agent, "127.0.0.1"),
                          customer_contacted=True)
    run_jobs()
    db.session.expire_all()
    [alert] = alerts()
    assert (alert.status, alert.status_note) == ("cancelled", "the first response clock was met")
    assert smtp_server.messages == []


def test_a_resolved_case_has_no_running_clock_and_gets_no_notice(app, shop_a, owner, agent, run_jobs, smtp_server,
                                                                  frozen_clock):
    case = open_case(shop_a, frozen_clock.now)
    case_service.change_status(agent, case.id, "resolved", audit_actor(agent, "127.0.0.1"))
    frozen_clock.advance(days=20)
    escalate(app, run_jobs)
    assert notices(case) == [] and alerts() == []


def test_the_statutory_clock_escalates_a_formal_complaint(app, shop_a, owner, agent, run_jobs, smtp_server,
                                                           frozen_clock):
    from crisisdesk.services import formal_complaint

    case = open_case(shop_a, frozen_clock.now)
    case_service.add_note(agent, case.id, "Phoned.", audit_actor(agent, "127.0.0.1"), customer_contacted=True)
    formal_complaint.mark_formal_complaint(agent, case.id, audit_actor(agent, "127.0.0.1"))
    frozen_clock.advance(days=15)
    escalate(app, run_jobs)
    assert ("statutory", "overdue") in notices(case)
    assert any("[Overdue] statutory answer" in m.message["Subject"] for m in smtp_server.messages)
