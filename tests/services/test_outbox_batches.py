"""Scheduling many emails at once (outbox.EmailBatch, follow_up.schedule_many): the same rows, notes and jobs as one
at a time, in one transaction and one Redis round trip (issue 8: 100,000 follow-ups were a commit and a round trip
each)."""
from datetime import timedelta

from sqlalchemy import event

from crisisdesk import clock
from crisisdesk.extensions import db
from crisisdesk.jobs import email_job_id, queue
from crisisdesk.models import EmailSuppression, OutboxEmail
from crisisdesk.services import follow_up, outbox
from tests.outbox_helpers import make_case, row, scheduled_jobs, timeline


def request(key, to="grace@example.com", case=None, days=7, kind="follow_up"):
    return outbox.EmailRequest(kind, key, to, "pl", clock.utcnow() + timedelta(days=days), "Resolved.", case=case)


def count_commits():
    commits = []
    event.listen(db.session, "after_commit", lambda session: commits.append(1))
    return commits


def test_a_batch_schedules_rows_notes_and_jobs_as_one_at_a_time_would_in_one_commit(app, shop_a, frozen_clock):
    case = make_case(shop_a)
    db.session.add(EmailSuppression(shop_id=shop_a.id, email="gone@example.com", reason="unsubscribed",
                                    created_at=frozen_clock.now))
    db.session.commit()
    first = outbox.schedule_email(shop_a, "follow_up", "k:0", "grace@example.com", "pl", frozen_clock.now, "Earlier.")
    commits = count_commits()

    batch = outbox.EmailBatch(shop_a)
    scheduled = batch.add([request("k:1", case=case), request("k:0"), request("k:2", to=" Gone@Example.com"),
                           request("k:1", case=case), request("k:3", days=0)])
    batch.commit()

    assert len(commits) == 1
    assert [s.id for s in scheduled][1] == first.id and scheduled[0] == scheduled[3]
    assert [s.status for s in scheduled] == ["scheduled", "scheduled", "cancelled", "scheduled", "scheduled"]
    assert OutboxEmail.query.count() == 4
    new, cancelled, due_now = row(scheduled[0].id), row(scheduled[2].id), row(scheduled[4].id)
    assert (new.due_at, new.case_id, new.attempts, new.to_email) == (frozen_clock.now + timedelta(days=7), case.id, 0,
                                                                     "grace@example.com")
    assert (cancelled.to_email, cancelled.status_note) == ("Gone@Example.com", "unsubscribed")
    assert new.message_id != due_now.message_id and new.message_id.endswith("@127.0.0.1>")
    # One job per new scheduled row: at its due time in RQ's scheduler, or on the queue when due now.
    assert scheduled_jobs(app) == {email_job_id(new.id, 0, new.due_at): new.due_at}
    assert queue("default", app).job_ids == [email_job_id(first.id, 0, first.due_at),  # due at once, alone, earlier
                                             email_job_id(due_now.id, 0, due_now.due_at)]
    assert timeline(case)[-1] == ("email_scheduled", "Follow-up email to grace@example.com scheduled for "
                                  "2026-11-29 12:00 (UTC). Resolved.")


def test_a_batch_that_loses_a_race_for_a_key_schedules_each_email_alone(app, shop_a, frozen_clock, monkeypatch):
    theirs = outbox.schedule_email(shop_a, "follow_up", "k:1", "theirs@example.com", "en", frozen_clock.now, "")
    looked_up = outbox._in_chunks
    # Our look-up misses their row: it was committed between our look-up and our insert.
    monkeypatch.setattr(outbox, "_in_chunks", lambda column, values, *conditions: [] if column is
                        OutboxEmail.idempotency_key else looked_up(column, values, *conditions))

    batch = outbox.EmailBatch(shop_a)
    earlier = batch.add([request("k:0")])
    scheduled = batch.add([request("k:1"), request("k:2")])
    batch.commit()

    assert scheduled[0].id == theirs.id and row(theirs.id).to_email == "theirs@example.com"
    assert {r.idempotency_key for r in OutboxEmail.query} == {"k:0", "k:1", "k:2"}
    # The first add's row was rolled back with the batch, then scheduled alone: it exists once, with its job.
    again = OutboxEmail.query.filter_by(idempotency_key="k:0").one()
    assert earlier[0].status == again.status == "scheduled"
    assert OutboxEmail.query.count() == 3


def test_the_periodic_pass_schedules_every_missing_follow_up_and_reminder_once(app, shop_a, agent, redis,
                                                                               frozen_clock):
    from tests.services.test_follow_up import open_case, set_status

    cases = [open_case(shop_a, rating=1, email=f"c{n}@example.com", text="Arrived broken.") for n in range(4)]
    resolved = [set_status(agent, case, "resolved") for case in cases]
    OutboxEmail.query.delete()  # as if the scheduling after the resolutions had been lost
    db.session.commit()
    redis.flushdb()
    db.session.add(EmailSuppression(shop_id=shop_a.id, email="c3@example.com", reason="unsubscribed",
                                    created_at=frozen_clock.now))
    db.session.commit()
    commits = count_commits()

    assert follow_up.schedule_missing() == 4
    assert len(commits) == 1  # all four cases' emails together
    rows = OutboxEmail.query.order_by(OutboxEmail.id).all()
    by_case = {}
    for email in rows:
        by_case.setdefault(email.case_id, []).append((email.kind, email.status, email.due_at))
    for case in resolved[:3]:
        assert by_case[case.id] == [("follow_up", "scheduled", frozen_clock.now + timedelta(days=7)),
                                    ("follow_up_reminder", "scheduled", frozen_clock.now + timedelta(days=12))]
    assert by_case[resolved[3].id] == [("follow_up", "cancelled", frozen_clock.now + timedelta(days=7))]
    assert len(scheduled_jobs(app)) == 6
    assert follow_up.schedule_missing() == 0 and OutboxEmail.query.count() == 7
