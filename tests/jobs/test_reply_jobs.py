"""Delivering replies: public ones through the bridge route (a stand-in on loopback that keeps one comment per
webhook-id, as the plugin does), emails through the outbox to a real SMTP server; real Redis and RQ's worker.

Time moves with the frozen clock; `release_scheduled` does what RQ's scheduler does when that time comes.
"""
from datetime import timedelta

from rq.job import Job

from crisisdesk.extensions import db
from crisisdesk.jobs import queue, reply_job_id
from crisisdesk.jobs.schedule import PERIODIC_JOBS
from crisisdesk.models import Case
from crisisdesk.services import reply_delivery
from tests.outbox_helpers import release_scheduled, timeline
from tests.reply_helpers import manual_case, reply, review_case, send, wordpress  # noqa: F401

TEXT = "Anna, przepraszamy za pęknięty czajnik. To nasz błąd. Wysłaliśmy nowy, bez dopłaty."


def test_it_posts_a_public_reply_once_and_stops_the_clocks(app, shop_a, agent, wordpress, run_jobs, redis,
                                                           frozen_clock):
    case = review_case(shop_a)
    [row] = send(agent, case, TEXT, channel="public")

    run_jobs()

    posted = reply(row.id)
    assert (posted.status, posted.attempts, posted.remote_comment_id) == ("posted", 1, 700)
    (headers, payload), = wordpress.received
    assert payload == {"review_id": case.review.remote_id, "content": TEXT}
    assert headers["webhook-id"] == reply_delivery.webhook_id_for(posted)
    fresh = db.session.get(Case, case.id)
    assert fresh.first_responded_at == fresh.public_replied_at == frozen_clock.now
    assert fresh.next_update_due_at == frozen_clock.now + timedelta(hours=shop_a.update_hours)
    assert [kind for kind, _ in timeline(case)][-1] == "reply_posted"
    assert Job.fetch(reply_job_id(row.id, 0, row.next_attempt_at), connection=redis).return_value() == "posted"


def test_it_waits_while_wordpress_is_down_and_posts_exactly_once_when_it_is_back(app, shop_a, agent, wordpress,
                                                                                 run_jobs, frozen_clock):
    case = review_case(shop_a)
    wordpress.down()
    [row] = send(agent, case, TEXT, channel="public")

    run_jobs()
    waiting = reply(row.id)
    assert (waiting.status, waiting.attempts) == ("pending", 1)
    assert waiting.next_attempt_at == frozen_clock.now + timedelta(minutes=1)
    assert "no HTTP answer" in waiting.last_error
    assert db.session.get(Case, case.id).first_responded_at is None

    frozen_clock.advance(minutes=1)
    release_scheduled(app, frozen_clock.now)
    run_jobs()  # still down: the second wait is twice as long
    waiting = reply(row.id)
    assert (waiting.status, waiting.attempts) == ("pending", 2)
    assert waiting.next_attempt_at == frozen_clock.now + timedelta(minutes=2)

    wordpress.up()
    frozen_clock.advance(minutes=1)
    release_scheduled(app, frozen_clock.now)
    run_jobs()
    assert reply(row.id).status == "pending"  # not due yet: nothing is sent early

    frozen_clock.advance(minutes=1)
    release_scheduled(app, frozen_clock.now)
    # A second job for the same reply racing the scheduled one: the claim lets one of them post.
    queue("default", app).enqueue("crisisdesk.jobs.replies.deliver_reply_job", row.id)
    run_jobs()

    posted = reply(row.id)
    assert (posted.status, posted.attempts, posted.last_error) == ("posted", 3, None)
    assert wordpress.comments_under(case.review.remote_id) == [posted.remote_comment_id]
    assert len(wordpress.received) == 1
    assert db.session.get(Case, case.id).first_responded_at == frozen_clock.now
    kinds = [kind for kind, _ in timeline(case)]
    assert kinds.count("reply_retry") == 1 and kinds.count("reply_posted") == 1


def test_it_never_posts_twice_when_the_job_runs_again_or_the_sweep_comes_after_success(app, shop_a, agent,
                                                                                         wordpress, run_jobs,
                                                                                         frozen_clock):
    case = review_case(shop_a)
    [row] = send(agent, case, TEXT, channel="public")
    run_jobs()

    queue("default", app).enqueue("crisisdesk.jobs.replies.deliver_reply_job", row.id)  # a duplicate job
    frozen_clock.advance(hours=1)
    assert reply_delivery.sweep() == {"returned": 0, "requeued": 0}
    run_jobs()

    assert reply_delivery.deliver(row.id) == "already posted"
    assert len(wordpress.received) == 1 and reply(row.id).attempts == 1


def test_it_gets_the_first_comment_back_when_the_answer_to_a_post_was_lost(app, shop_a, agent, wordpress, run_jobs,
                                                                           frozen_clock):
    case = review_case(shop_a)
    wordpress.answer_next("drop")  # WordPress posts the comment, then the connection dies before the answer
    [row] = send(agent, case, TEXT, channel="public")

    run_jobs()
    assert reply(row.id).status == "pending" and len(wordpress.comments) == 1

    frozen_clock.advance(minutes=1)
    release_scheduled(app, frozen_clock.now)
    run_jobs()

    posted = reply(row.id)
    assert (posted.status, posted.remote_comment_id) == ("posted", 700)
    assert len(wordpress.received) == 2 and wordpress.comments_under(case.review.remote_id) == [700]


def test_it_takes_back_a_claim_a_dead_worker_left_and_posts_it_once(app, shop_a, agent, wordpress, run_jobs,
                                                                    frozen_clock):
    case = review_case(shop_a)
    [row] = send(agent, case, TEXT, channel="public")
    assert reply_delivery.claim(row.id, frozen_clock.now) is not None  # a worker took it and died
    assert reply_delivery.claim(row.id, frozen_clock.now) is None  # nobody else may take it meanwhile
    run_jobs()
    assert reply(row.id).status == "sending" and wordpress.received == []

    frozen_clock.advance(minutes=2)
    assert reply_delivery.sweep()["returned"] == 0  # a slow post is not a dead worker
    frozen_clock.advance(minutes=4)
    assert reply_delivery.sweep() == {"returned": 1, "requeued": 1}
    run_jobs()

    posted = reply(row.id)
    assert (posted.status, posted.attempts) == ("posted", 2)
    assert len(wordpress.comments) == 1


def test_it_fails_for_good_when_wordpress_refuses_the_reply(app, shop_a, agent, wordpress, run_jobs):
    case = review_case(shop_a)
    wordpress.answer_next("status", 404, {"code": "crisisdesk_review_not_found",
                                          "message": "There is no product review with this review_id.",
                                          "data": {"status": 404}})
    [row] = send(agent, case, TEXT, channel="public")

    run_jobs()

    failed = reply(row.id)
    assert (failed.status, failed.attempts) == ("failed", 1)
    assert "There is no product review with this review_id." in failed.last_error
    assert reply_delivery.sweep() == {"returned": 0, "requeued": 0}
    run_jobs()
    assert reply(row.id).status == "failed" and db.session.get(Case, case.id).first_responded_at is None
    assert "was not posted" in timeline(case)[-1][1]


def test_it_gives_up_after_four_days_of_wordpress_being_unreachable(app, shop_a, agent, wordpress, run_jobs,
                                                                    frozen_clock):
    case = review_case(shop_a)
    wordpress.down()
    [row] = send(agent, case, TEXT, channel="public")
    run_jobs()

    frozen_clock.advance(days=4)
    release_scheduled(app, frozen_clock.now)
    run_jobs()

    failed = reply(row.id)
    assert failed.status == "failed" and "gave up after 2 attempts over 4 days" in failed.last_error


def test_it_emails_a_reply_with_the_subject_in_the_customers_language(app, shop_a, agent, smtp_server, run_jobs):
    shop_a.reply_to_email = "pomoc@shop.example"
    db.session.commit()
    complaint = manual_case(shop_a, agent)
    text = "Janie, przepraszamy.\nTo nasz błąd.\n\nWysłaliśmy nową paczkę <dziś>."

    [row] = send(agent, complaint, text, channel="email", language="pl")
    run_jobs()

    [received] = smtp_server.messages
    message = received.message
    assert received.rcpt_tos == ["jan@example.com"] and message["Reply-To"] == "pomoc@shop.example"
    assert message["Subject"] == f"Odpowiedź na Twoje zgłoszenie ({shop_a.name})"
    assert message["Content-Language"] == "pl"
    # A person's answer, not a mailing: no unsubscribe list headers, no Auto-Submitted.
    assert (message["List-Unsubscribe"], message["Auto-Submitted"]) == (None, None)
    plain = message.get_body(("plain",)).get_content()
    assert plain.startswith(text + "\n\nJeśli coś jest nadal nie tak, po prostu odpowiedz")
    html = message.get_body(("html",)).get_content()
    assert "Janie, przepraszamy.<br>To nasz błąd.</p>" in html and "&lt;dziś&gt;" in html
    assert reply(row.id).outbox_email.status == "sent"


def test_it_puts_the_order_number_in_the_subject_of_a_review_reply(app, shop_a, agent, smtp_server, run_jobs):
    case = review_case(shop_a, order_id=48213)

    send(agent, case, "Labdien, Anna! Atvainojiet.", channel="email", language="lv")
    run_jobs()

    [received] = smtp_server.messages
    assert received.message["Subject"] == f"Jūsu pasūtījums Nr. 48213: mūsu atbilde ({shop_a.name})"


def test_it_sweeps_replies_every_minute():
    assert any(p.function == "crisisdesk.jobs.replies.sweep_replies_job" and p.every_seconds == 60
               for p in PERIODIC_JOBS)
