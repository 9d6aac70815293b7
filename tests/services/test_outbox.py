"""The outbox service on a real database, Redis and SMTP server: scheduling, claiming, sending,
retries, refusals, cancelling, suppressing and sweeping."""
import threading
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import event, insert

from crisisdesk.domain.errors import Invalid
from crisisdesk.extensions import db
from crisisdesk.jobs import email_job_id, email_job_waiting
from crisisdesk.models import EmailSuppression, OutboxEmail
from crisisdesk.services import outbox
from tests.outbox_helpers import (email_kinds_stub, make_case, release_scheduled, row, schedule,  # noqa: F401
                                  scheduled_jobs, timeline)


def utc(*parts):
    return datetime(*parts, tzinfo=timezone.utc)


# --- scheduling ---------------------------------------------------------------------------------------------

def test_it_schedules_a_row_and_its_job_at_the_due_time(app, shop_a, frozen_clock):
    case = make_case(shop_a)
    email = schedule(shop_a, case=case, after=timedelta(days=7))

    stored = row(email.id)
    assert (stored.status, stored.attempts, stored.kind, stored.language) == ("scheduled", 0, "follow_up", "pl")
    assert stored.due_at == utc(2026, 11, 29, 12, 0)
    assert stored.message_id.startswith("<") and stored.message_id.endswith("@127.0.0.1>")
    assert scheduled_jobs(app) == {email_job_id(email.id, 0, stored.due_at): stored.due_at}
    assert timeline(case)[-1] == ("email_scheduled", "Follow-up email to grace@example.com scheduled for "
                                  "2026-11-29 12:00 (UTC). Resolved: a replacement was sent.")


def test_it_moves_the_due_time_out_of_the_shops_quiet_hours(app, shop_a, frozen_clock):
    shop_a.timezone = "Europe/Warsaw"
    db.session.commit()
    frozen_clock.now = utc(2026, 11, 22, 21, 30)  # 22:30 in Warsaw
    email = schedule(shop_a)
    assert row(email.id).due_at == utc(2026, 11, 23, 7, 0)  # 08:00 in Warsaw
    assert list(scheduled_jobs(app).values()) == [utc(2026, 11, 23, 7, 0)]


def test_it_returns_the_first_row_when_the_same_email_is_scheduled_again(app, shop_a, frozen_clock):
    case = make_case(shop_a)
    first = schedule(shop_a, case=case, after=timedelta(days=7))
    again = schedule(shop_a, case=case, after=timedelta(days=8), to="other@example.com")
    assert again.id == first.id and again.to_email == "grace@example.com"
    assert OutboxEmail.query.count() == 1 and len(scheduled_jobs(app)) == 1
    assert [kind for kind, _ in timeline(case)].count("email_scheduled") == 1


def test_it_returns_the_row_another_process_inserted_at_the_same_moment(app, shop_a, frozen_clock):
    # Another web worker commits the same key between our look-up and our insert.
    def insert_theirs(session, flush_context, instances):
        with db.engine.begin() as other:
            other.execute(insert(OutboxEmail.__table__).values(
                shop_id=shop_a.id, kind="follow_up", idempotency_key="case:1:follow_up", to_email="theirs@example.com",
                language="en", reason="", status="scheduled", due_at=frozen_clock.now,
                attempts=0, created_at=frozen_clock.now))

    event.listen(db.session, "before_flush", insert_theirs, once=True)
    try:
        email = schedule(shop_a)
    finally:
        if event.contains(db.session, "before_flush", insert_theirs):
            event.remove(db.session, "before_flush", insert_theirs)
    assert email.to_email == "theirs@example.com"
    assert OutboxEmail.query.count() == 1
    assert scheduled_jobs(app) == {} and outbox.sweep().requeued == 1  # their process queues theirs; if not, the sweep


def test_it_schedules_an_already_cancelled_row_for_an_address_that_unsubscribed(app, shop_a, frozen_clock):
    case = make_case(shop_a)
    outbox.suppress(shop_a.id, "Grace@Example.com", "unsubscribed")
    email = schedule(shop_a, case=case, to="grace@EXAMPLE.com")
    assert (row(email.id).status, row(email.id).status_note) == ("cancelled", "unsubscribed")
    assert scheduled_jobs(app) == {} and outbox.sweep().requeued == 0
    assert "Not sent: the address asked for no more emails." in timeline(case)[-1][1]


@pytest.mark.parametrize("address", ["", "grace", "grace@localhost", "a@b.com\r\nBcc: x@y.com", "A <a@b.com>"])
def test_it_refuses_something_that_is_not_one_address(app, shop_a, address):
    with pytest.raises(Invalid) as raised:
        schedule(shop_a, to=address)
    assert raised.value.field == "to_email"


def test_it_refuses_an_unknown_kind(app, shop_a):
    with pytest.raises(Invalid):
        schedule(shop_a, kind="newsletter")


# --- claiming -----------------------------------------------------------------------------------------------

def test_it_claims_a_due_row_once(app, shop_a, frozen_clock):
    email = schedule(shop_a, after=timedelta(minutes=5))
    assert outbox.claim(email.id, frozen_clock.now) is None  # not due yet
    frozen_clock.advance(minutes=5)
    claimed = outbox.claim(email.id, frozen_clock.now)
    assert (claimed.status, claimed.attempts, claimed.claimed_at) == ("sending", 1, frozen_clock.now)
    assert outbox.claim(email.id, frozen_clock.now) is None  # someone has it
    assert outbox.claim(email.id + 1000, frozen_clock.now) is None


def test_it_lets_one_of_many_simultaneous_claims_win(app, shop_a, frozen_clock):
    email = schedule(shop_a)
    db.session.remove()
    start, wins = threading.Barrier(8), []

    def try_claim():
        with app.app_context():
            start.wait()
            wins.append(outbox.claim(email.id, frozen_clock.now) is not None)
            db.session.remove()

    threads = [threading.Thread(target=try_claim) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(wins) == [False] * 7 + [True]
    assert row(email.id).attempts == 1


# --- sending ------------------------------------------------------------------------------------------------

def test_it_sends_a_due_row_with_every_header_and_both_parts(app, shop_a, smtp_server, email_kinds_stub,
                                                            frozen_clock):
    shop_a.email_from_name, shop_a.reply_to_email = "Sklep Łódź", "pomoc@shop.example"
    db.session.commit()
    case = make_case(shop_a)
    email = schedule(shop_a, case=case)

    assert outbox.send(email.id) == "sent"

    [received] = smtp_server.messages
    message = received.message
    assert received.rcpt_tos == ["grace@example.com"]
    assert message["From"].addresses[0].display_name == "Sklep Łódź"
    assert message["From"].addresses[0].addr_spec == "no-reply@localhost"
    assert (message["To"], message["Reply-To"]) == ("grace@example.com", "pomoc@shop.example")
    assert message["Message-ID"] == row(email.id).message_id
    assert message["Date"].datetime == frozen_clock.now
    assert message["List-Unsubscribe"].startswith("<http://127.0.0.1:5000/e/unsubscribe/")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["Auto-Submitted"] == "auto-generated"  # RFC 3834: no vacation replies to a follow-up
    assert message["Content-Language"] == "pl"
    assert message.get_body(("plain",)).get_content() == "Dzień dobry, to jest follow_up w języku pl.\n"
    assert "<b>follow_up</b>" in message.get_body(("html",)).get_content()
    stored = row(email.id)
    assert (stored.status, stored.sent_at, stored.attempts, stored.last_error) == ("sent", frozen_clock.now, 1, None)
    assert timeline(case)[-1] == ("email_sent", "Follow-up email sent to grace@example.com.")


def test_it_uses_the_shop_name_and_no_reply_to_when_the_shop_set_none(app, shop_a, smtp_server, email_kinds_stub,
                                                                      frozen_clock):
    outbox.send(schedule(shop_a).id)
    [received] = smtp_server.messages
    assert str(received.message["From"]) == "Shop A <no-reply@localhost>"
    assert received.message["Reply-To"] is None


def test_it_leaves_a_row_that_is_not_due_or_already_sent_alone(app, shop_a, smtp_server, email_kinds_stub,
                                                               frozen_clock):
    email = schedule(shop_a, after=timedelta(hours=1))
    assert outbox.send(email.id) == "not_due"
    frozen_clock.advance(hours=1)
    assert outbox.send(email.id) == "sent"
    assert outbox.send(email.id) == "already sent"
    assert outbox.send(email.id + 1000) == "missing"
    assert len(smtp_server.messages) == 1


def test_it_cancels_a_row_that_is_no_longer_wanted_when_due(app, shop_a, smtp_server, email_kinds_stub,
                                                            frozen_clock):
    case = make_case(shop_a)
    email = schedule(shop_a, case=case)
    email_kinds_stub.cancel[email.id] = "the customer already raised the rating"

    assert outbox.send(email.id) == "cancelled"
    assert (row(email.id).status, row(email.id).status_note) == ("cancelled", "the customer already raised the rating")
    assert smtp_server.messages == [] and email_kinds_stub.rendered == []
    assert timeline(case)[-1] == ("email_cancelled", "Follow-up email to grace@example.com cancelled: "
                                  "the customer already raised the rating.")


def test_it_waits_for_the_morning_when_a_due_row_is_reached_at_night(app, shop_a, smtp_server, email_kinds_stub,
                                                                     frozen_clock):
    email = schedule(shop_a)  # due at 12:00 UTC ...
    frozen_clock.now = utc(2026, 11, 22, 23, 0)  # ... but the worker gets to it at 23:00 (a backlog)
    assert outbox.send(email.id) == "deferred"
    stored = row(email.id)
    assert (stored.status, stored.attempts, stored.due_at) == ("scheduled", 0, utc(2026, 11, 23, 8, 0))
    assert email_job_id(email.id, 0, stored.due_at) in scheduled_jobs(app)
    assert smtp_server.messages == []


def test_it_writes_an_eml_file_when_no_smtp_server_is_configured(app, shop_a, email_kinds_stub, tmp_path,
                                                                  frozen_clock):
    app.config.update(SMTP_URL="", MAIL_DIR=str(tmp_path / "mail"))
    email = schedule(shop_a)
    assert outbox.send(email.id) == "sent"
    [written] = (tmp_path / "mail").glob("*.eml")
    assert row(email.id).message_id in written.read_text()


# --- failures -----------------------------------------------------------------------------------------------

def test_it_retries_a_temporary_failure_with_backoff_and_gives_up_after_eight_attempts(
        app, shop_a, smtp_server, email_kinds_stub, frozen_clock):
    case = make_case(shop_a)
    smtp_server.refuse("grace@example.com", "451 4.7.1 Greylisted, come back later")
    email = schedule(shop_a, case=case)
    waits = []
    for attempt in range(1, 8):
        assert outbox.send(email.id) == "retry"
        stored = row(email.id)
        assert (stored.status, stored.attempts, stored.claimed_at) == ("scheduled", attempt, None)
        assert stored.last_error == "SMTP 451: 4.7.1 Greylisted, come back later"
        assert email_job_id(email.id, attempt, stored.due_at) in scheduled_jobs(app)
        waits.append(stored.due_at - frozen_clock.now)
        frozen_clock.now = stored.due_at
    assert [w.total_seconds() / 60 for w in waits] == [1, 5, 30, 120, 360, 720, 1440]

    assert outbox.send(email.id) == "failed"
    stored = row(email.id)
    assert (stored.status, stored.attempts) == ("failed", 8)
    assert "gave up after 8 attempts" in stored.last_error
    kinds = [kind for kind, _ in timeline(case)]
    assert kinds.count("email_retry") == 7 and kinds[-1] == "email_failed"
    assert smtp_server.messages == []


def test_it_moves_a_retry_out_of_quiet_hours(app, shop_a, smtp_server, email_kinds_stub, frozen_clock):
    frozen_clock.now = utc(2026, 11, 22, 20, 59, 30)
    email = schedule(shop_a)
    smtp_server.stop()
    assert outbox.send(email.id) == "retry"
    assert row(email.id).due_at == utc(2026, 11, 23, 8, 0)  # not 21:00:30, in the quiet hours


def test_it_records_a_refused_recipient_on_the_case_and_stops_emailing_that_address(
        app, shop_a, smtp_server, email_kinds_stub, frozen_clock):
    case = make_case(shop_a, email="nobody@example.com")
    smtp_server.refuse("nobody@example.com", "550 5.1.1 <nobody@example.com>: Recipient address rejected")
    email = schedule(shop_a, case=case, to="nobody@example.com")
    reminder = schedule(shop_a, key="case:1:reminder", kind="follow_up_reminder", case=case, to="nobody@example.com",
                        after=timedelta(days=5))

    assert outbox.send(email.id) == "failed"

    stored = row(email.id)
    assert (stored.status, stored.attempts) == ("failed", 1)
    assert stored.last_error == "SMTP 550: 5.1.1 <nobody@example.com>: Recipient address rejected"
    assert ("email_failed", "Follow-up email to nobody@example.com was not delivered: the mail server said "
            "“5.1.1 <nobody@example.com>: Recipient address rejected” (550). It will not be sent again.") \
        in timeline(case)
    assert (row(reminder.id).status, row(reminder.id).status_note) == ("cancelled", "rejected")
    assert EmailSuppression.query.one().reason == "rejected"


def test_it_puts_the_row_back_when_the_email_cannot_be_prepared_and_lets_the_error_through(
        app, shop_a, smtp_server, email_kinds_stub, frozen_clock, monkeypatch):
    email = schedule(shop_a)

    def broken(row):
        raise KeyError("no template for this language")

    monkeypatch.setattr("crisisdesk.services.email_kinds.render", broken)
    with pytest.raises(KeyError):
        outbox.send(email.id)
    stored = row(email.id)
    assert (stored.status, stored.attempts, stored.due_at) == ("scheduled", 1, frozen_clock.now + timedelta(minutes=1))
    assert "no template for this language" in stored.last_error


# --- cancelling and suppressing -----------------------------------------------------------------------------

def test_it_cancels_the_cases_pending_emails_of_the_given_kinds_in_the_callers_transaction(app, shop_a,
                                                                                          frozen_clock):
    case = make_case(shop_a)
    follow_up = schedule(shop_a, case=case, key="k1")
    reminder = schedule(shop_a, case=case, key="k2", kind="follow_up_reminder")
    other_case = make_case(shop_a, email="ada@example.com")
    elsewhere = schedule(shop_a, case=other_case, key="k3", to="ada@example.com")

    cancelled = outbox.cancel_pending(case, ["follow_up_reminder"], "the case was reopened")
    db.session.rollback()  # not committed by cancel_pending: the caller decides
    assert row(reminder.id).status == "scheduled"

    cancelled = outbox.cancel_pending(case, ["follow_up_reminder"], "the case was reopened")
    db.session.commit()
    assert [c.id for c in cancelled] == [reminder.id]
    assert (row(reminder.id).status, row(reminder.id).status_note) == ("cancelled", "the case was reopened")
    assert row(follow_up.id).status == row(elsewhere.id).status == "scheduled"
    assert timeline(case)[-1] == ("email_cancelled", "Follow-up reminder to grace@example.com cancelled: "
                                  "the case was reopened.")


def test_it_suppresses_an_address_for_one_shop_and_cancels_what_was_scheduled_to_it(app, shop_a, shop_b,
                                                                                   frozen_clock):
    mine = schedule(shop_a, key="a1", to="Grace@Example.com")
    sent = schedule(shop_a, key="a2")
    outbox.claim(sent.id, frozen_clock.now)
    theirs = schedule(shop_b, key="b1")

    assert outbox.suppress(shop_a.id, " GRACE@example.com ", "unsubscribed") == 1
    assert outbox.suppress(shop_a.id, "grace@example.com", "unsubscribed") == 0  # twice is fine

    assert (row(mine.id).status, row(mine.id).status_note) == ("cancelled", "unsubscribed")
    assert row(sent.id).status == "sending" and row(theirs.id).status == "scheduled"
    assert [(s.shop_id, s.email) for s in EmailSuppression.query.all()] == [(shop_a.id, "grace@example.com")]
    assert outbox.is_suppressed(shop_a.id, "grace@EXAMPLE.com") and not outbox.is_suppressed(shop_b.id,
                                                                                              "grace@example.com")


# --- sweeping -----------------------------------------------------------------------------------------------

def test_it_sweeps_due_rows_without_a_job_and_leaves_the_rest(app, shop_a, redis, frozen_clock):
    lost = schedule(shop_a, key="lost")
    waiting = schedule(shop_a, key="waiting")
    later = schedule(shop_a, key="later", after=timedelta(hours=1))
    redis.delete(f"rq:job:{email_job_id(lost.id, 0, lost.due_at)}")  # its job vanished

    assert outbox.sweep() == outbox.SweepResult(returned=0, requeued=1)
    assert email_job_waiting(email_job_id(lost.id, 0, lost.due_at))
    assert email_job_waiting(email_job_id(waiting.id, 0, waiting.due_at))
    assert outbox.sweep() == outbox.SweepResult(returned=0, requeued=0)
    redis.flushdb()
    assert outbox.sweep().requeued == 2  # `later` is not due: it is swept when it is
    frozen_clock.advance(hours=1)
    assert outbox.sweep().requeued == 1
    assert row(later.id).status == "scheduled"


def test_it_takes_back_a_row_a_dead_worker_left_sending_after_ten_minutes(app, shop_a, frozen_clock):
    case = make_case(shop_a)
    email = schedule(shop_a, case=case)
    outbox.claim(email.id, frozen_clock.now)

    frozen_clock.advance(minutes=9)
    assert outbox.sweep().returned == 0 and row(email.id).status == "sending"
    frozen_clock.advance(minutes=2)
    assert outbox.sweep() == outbox.SweepResult(returned=1, requeued=1)

    stored = row(email.id)
    assert (stored.status, stored.attempts, stored.due_at, stored.claimed_at) == ("scheduled", 1, frozen_clock.now,
                                                                                   None)
    assert email_job_waiting(email_job_id(email.id, 1, frozen_clock.now))
    assert "the worker stopped while sending it" in timeline(case)[-1][1]


def test_it_gives_up_a_row_a_dead_worker_left_on_its_last_attempt(app, shop_a, frozen_clock):
    email = schedule(shop_a)
    db.session.get(OutboxEmail, email.id).attempts = outbox.MAX_ATTEMPTS - 1
    db.session.commit()
    outbox.claim(email.id, frozen_clock.now)
    frozen_clock.advance(minutes=11)
    assert outbox.sweep().returned == 1
    assert row(email.id).status == "failed"


def test_it_still_sweeps_when_redis_cannot_take_the_job(app, shop_a, frozen_clock):
    from tests import factories

    with factories.redis_unreachable(app):
        email = schedule(shop_a)  # the row is stored; queueing fails quietly
    assert row(email.id).status == "scheduled"
    assert outbox.sweep().requeued == 1


def test_it_refuses_an_unknown_suppression_reason(app, shop_a):
    with pytest.raises(Invalid) as raised:
        outbox.suppress(shop_a.id, "grace@example.com", "because")
    assert raised.value.field == "reason" and EmailSuppression.query.count() == 0
