"""Email jobs on the real Redis with RQ's worker, a real SMTP server and the real database.

Time moves with the frozen clock; `release_scheduled` does what RQ's scheduler does when that
time comes (it moves the jobs scheduled up to then onto their queue).
"""
from datetime import timedelta

from rq.job import Job

from crisisdesk.extensions import db
from crisisdesk.jobs import email_job_id
from crisisdesk.jobs.schedule import PERIODIC_JOBS, enqueue_due
from crisisdesk.services import email_links, outbox
from tests.outbox_helpers import (email_kinds_stub, make_case, release_scheduled, row, schedule,  # noqa: F401
                                  scheduled_jobs, timeline)

PERIOD_START = 1_795_000_020  # a Unix time at the start of a minute


def test_it_sends_the_follow_up_days_later_once_well_formed(app, shop_a, smtp_server, email_kinds_stub, run_jobs,
                                                           redis, frozen_clock):
    shop_a.email_from_name, shop_a.reply_to_email = "Sklep Testowy", "pomoc@shop.example"
    db.session.commit()
    case = make_case(shop_a)
    email = schedule(shop_a, case=case, after=timedelta(days=7))

    run_jobs()
    frozen_clock.advance(days=6, hours=23)
    assert release_scheduled(app, frozen_clock.now) == []
    run_jobs()
    assert smtp_server.messages == []

    frozen_clock.advance(hours=1)
    job_id = email_job_id(email.id, 0, row(email.id).due_at)
    assert release_scheduled(app, frozen_clock.now) == [job_id]
    run_jobs()

    [received] = smtp_server.messages
    message = received.message
    assert (received.mail_from, received.rcpt_tos) == ("no-reply@localhost", ["grace@example.com"])
    assert str(message["From"]) == "Sklep Testowy <no-reply@localhost>"
    assert (message["To"], message["Reply-To"]) == ("grace@example.com", "pomoc@shop.example")
    assert message["Subject"] == "Jak oceniasz pomoc? (follow_up)"
    assert message["Message-ID"] == row(email.id).message_id
    assert message["Date"].datetime == frozen_clock.now
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = message["List-Unsubscribe"].strip("<>")
    assert url.startswith(app.config["PANEL_URL"] + email_links.UNSUBSCRIBE_PATH)
    assert email_links.read_unsubscribe(url.rsplit("/", 1)[1]) == email_links.UnsubscribeLink(shop_a.id, "grace@example.com")
    assert message.get_content_type() == "multipart/alternative"
    assert message.get_body(("plain",)).get_content() == "Dzień dobry, to jest follow_up w języku pl.\n"
    assert message.get_body(("html",)).get_content().strip() == "<p>Dzień dobry, to jest <b>follow_up</b>.</p>"

    assert Job.fetch(job_id, connection=redis).return_value() == "sent"
    assert (row(email.id).status, row(email.id).attempts) == ("sent", 1)
    assert [kind for kind, _ in timeline(case)][-2:] == ["email_scheduled", "email_sent"]


def test_it_runs_the_outbox_sweep_from_the_periodic_schedule(app, shop_a, smtp_server, email_kinds_stub, run_jobs,
                                                              redis, frozen_clock):
    assert any(p.function == "crisisdesk.jobs.email.sweep_outbox_job" for p in PERIODIC_JOBS)
    email = schedule(shop_a)
    redis.flushdb()  # its job is lost

    assert "sweep-outbox" in enqueue_due(app, now=PERIOD_START + 1)
    run_jobs()  # the sweep queues the send job, which the same burst then runs

    assert len(smtp_server.messages) == 1 and row(email.id).status == "sent"


def test_it_retries_a_greylisted_email_through_rq_and_sends_it_once(app, shop_a, smtp_server, email_kinds_stub,
                                                                     run_jobs, frozen_clock):
    smtp_server.refuse("grace@example.com", "451 4.7.1 Greylisted, come back in a minute")
    email = schedule(shop_a)
    run_jobs()
    assert (row(email.id).status, row(email.id).attempts) == ("scheduled", 1)
    assert list(scheduled_jobs(app).values()) == [frozen_clock.now + timedelta(minutes=1)]

    smtp_server.answers.clear()
    frozen_clock.advance(minutes=1)
    release_scheduled(app, frozen_clock.now)
    run_jobs()

    assert len(smtp_server.messages) == 1
    assert (row(email.id).status, row(email.id).attempts, row(email.id).last_error) == ("sent", 2, None)


def test_it_sends_nothing_for_a_job_whose_email_was_cancelled_meanwhile(app, shop_a, smtp_server, email_kinds_stub,
                                                                        run_jobs, redis, frozen_clock):
    case = make_case(shop_a)
    email = schedule(shop_a, case=case, after=timedelta(days=7))
    outbox.cancel_pending(case, ["follow_up"], "the case was reopened")
    db.session.commit()

    frozen_clock.advance(days=7)
    [job_id] = release_scheduled(app, frozen_clock.now)
    run_jobs()

    assert smtp_server.messages == [] and email_kinds_stub.rendered == []
    assert Job.fetch(job_id, connection=redis).return_value() == "already cancelled"
