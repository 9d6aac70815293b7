"""Follow-up and recovery jobs with a real Redis, RQ worker, SMTP server and database, and time travel:
resolving a case in the panel leads, days later, to exactly one well-formed email in the customer's
language, whose one-click answer shows as recovered; the periodic passes expire and repair."""
from datetime import timedelta

from crisisdesk import clock
from crisisdesk.domain.actor import Actor
from crisisdesk.extensions import db
from crisisdesk.jobs import PERIODIC_QUEUE, queue
from crisisdesk.jobs.schedule import PERIODIC_JOBS
from crisisdesk.models import Case, OutboxEmail, Recovery
from crisisdesk.services import cases
from tests import factories
from tests.outbox_helpers import release_scheduled
from tests.web.public.helpers import path_of

POLISH_REVIEW = "Czajnik przyszedł pęknięty i przecieka, jestem bardzo rozczarowana tym zakupem."


def open_case(shop, email="grace@example.com", text=POLISH_REVIEW):
    now = clock.utcnow()
    factories.deliver(shop, "order.created", factories.order(email=email, created_at=now - timedelta(days=10)),
                      occurred_at=now)
    factories.deliver(shop, "review.created", factories.review(rating=1, email=email, text=text), occurred_at=now)
    return Case.query.filter_by(shop_id=shop.id).order_by(Case.id.desc()).first()


def travel(app, frozen_clock, run_jobs, **delta):
    """Move the clock, let RQ's scheduler release what is due by then, and run the worker."""
    frozen_clock.advance(**delta)
    release_scheduled(app, frozen_clock.now)
    run_jobs()


def outbox_rows(case):
    db.session.expire_all()
    return OutboxEmail.query.filter_by(case_id=case.id).order_by(OutboxEmail.id).all()


def run_periodic(run_jobs, function):
    queue(PERIODIC_QUEUE).enqueue(function)
    return run_jobs()


def test_resolving_in_the_panel_sends_one_email_days_later_and_its_answer_recovers_the_customer(
        app, client, agent, shop_a, smtp_server, run_jobs, frozen_clock):
    case = open_case(shop_a)
    client.login(agent)
    response = client.submit(f"/cases/{case.id}/status", {"status": "resolved"}, page=f"/cases/{case.id}")
    assert response.status_code == 302
    travel(app, frozen_clock, run_jobs, days=6, hours=23)
    assert smtp_server.messages == []  # not before its time

    travel(app, frozen_clock, run_jobs, hours=1)
    [received] = smtp_server.messages
    message = received.message
    assert received.rcpt_tos == ["grace@example.com"]
    assert message["Subject"] == "Grace, czy wszystko jest już w porządku?"
    assert message["Content-Language"] == "pl" and message["From"].addresses[0].display_name == "Shop A"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert text.startswith("Dzień dobry Grace,") and '<html lang="pl">' in html
    assert "#comment-" in text and "Czy to zrobisz, zależy wyłącznie od Ciebie." in text
    five = next(line for line in text.splitlines() if line.strip().startswith("5 (")).rsplit(" ", 1)[1]
    assert f'href="{five}"' in html

    frozen_clock.advance(hours=3)
    answer = app.test_client().get(path_of(five))  # the customer's click, no login
    assert answer.status_code == 200
    recovery = db.session.get(Recovery, case.recovery.id)
    db.session.refresh(recovery)
    assert (recovery.outcome, recovery.recovered_by, recovery.satisfaction) == ("recovered", "satisfied_answer", 5)

    travel(app, frozen_clock, run_jobs, days=6)
    assert len(smtp_server.messages) == 1  # the reminder was dropped: the customer answered
    follow, reminder = outbox_rows(case)
    assert follow.status == "sent"
    assert (reminder.status, reminder.status_note) == ("cancelled",
                                                       "the customer already answered that they are satisfied")


def test_a_customer_who_does_nothing_gets_the_follow_up_and_one_shorter_reminder(
        app, agent, shop_a, smtp_server, run_jobs, frozen_clock):
    case = open_case(shop_a, text="The kettle arrived cracked and it leaks.")
    cases.change_status(agent, case.id, "resolved", Actor(agent.email, agent.id))
    travel(app, frozen_clock, run_jobs, days=7)
    travel(app, frozen_clock, run_jobs, days=5)
    travel(app, frozen_clock, run_jobs, days=30)
    first, second = smtp_server.messages
    assert first.message["Subject"] == "Grace, is everything all right now?"
    assert second.message["Subject"] == "One last question: is everything all right now?"
    assert "This is our last message about it" in second.message.get_body(("plain",)).get_content()
    assert [row.status for row in outbox_rows(case)] == ["sent", "sent"]


def test_a_raised_rating_before_the_follow_up_means_no_email_at_all(app, agent, shop_a, smtp_server, run_jobs,
                                                                  frozen_clock):
    case = open_case(shop_a)
    cases.change_status(agent, case.id, "resolved", Actor(agent.email, agent.id))
    frozen_clock.advance(days=2)
    review = factories.review(review_id=case.review.remote_id, rating=5, text="Wymiana dotarła, dziękuję!")
    factories.deliver(shop_a, "review.updated", review, occurred_at=frozen_clock.now)
    travel(app, frozen_clock, run_jobs, days=20)
    assert smtp_server.messages == []
    assert [(row.status, row.status_note) for row in outbox_rows(case)] == [
        ("cancelled", "the customer already raised the rating")] * 2


def test_the_hourly_job_expires_windows_that_ended(app, agent, shop_a, run_jobs, frozen_clock):
    case = open_case(shop_a)
    cases.change_status(agent, case.id, "resolved", Actor(agent.email, agent.id))
    frozen_clock.advance(days=91)
    run_periodic(run_jobs, "crisisdesk.jobs.recovery.expire_recoveries_job")
    assert db.session.get(Recovery, case.recovery.id).outcome == "not_recovered"


def test_the_periodic_pass_schedules_a_follow_up_that_was_lost(app, agent, shop_a, run_jobs, frozen_clock):
    case = open_case(shop_a)
    cases.change_status(agent, case.id, "resolved", Actor(agent.email, agent.id))
    OutboxEmail.query.filter_by(case_id=case.id).delete()
    db.session.commit()
    run_periodic(run_jobs, "crisisdesk.jobs.recovery.schedule_missing_follow_ups_job")
    assert [row.kind for row in outbox_rows(case)] == ["follow_up", "follow_up_reminder"]


def test_both_passes_are_declared_as_periodic_jobs():
    functions = {periodic.function for periodic in PERIODIC_JOBS}
    assert {"crisisdesk.jobs.recovery.expire_recoveries_job",
            "crisisdesk.jobs.recovery.schedule_missing_follow_ups_job"} <= functions
    from crisisdesk.jobs import recovery as jobs

    assert callable(jobs.expire_recoveries_job) and callable(jobs.schedule_missing_follow_ups_job)
