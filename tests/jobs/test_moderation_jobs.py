"""The warning about negative reviews left awaiting moderation in WordPress: the periodic job, RQ's worker, the real
database and a real SMTP server, with time frozen. The shop warns after 24 hours (its default)."""
from crisisdesk.extensions import db
from crisisdesk.jobs import PERIODIC_QUEUE, queue
from crisisdesk.jobs.schedule import PERIODIC_JOBS, enqueue_due
from crisisdesk.models import Case, OutboxEmail, Review
from crisisdesk.services import email_kinds, moderation_watch
from tests import factories

PERIOD_START = 1_795_000_500  # a Unix time at the start of a 15-minute period


def held_review(shop, now, rating=1, text="Arrived broken.", email="grace@example.com"):
    payload = factories.review(rating=rating, text=text, email=email, created_at=now, status="hold")
    factories.deliver(shop, "review.created", payload, now)
    return payload


def moderate(shop, payload, status, now):
    factories.deliver(shop, "review.status_changed", {**payload, "status": status}, now)


def warn(app, run_jobs):
    queue(PERIODIC_QUEUE, app).enqueue("crisisdesk.jobs.moderation.warn_about_held_reviews_job")
    run_jobs()
    db.session.expire_all()


def alerts():
    return OutboxEmail.query.filter_by(kind="moderation_alert").order_by(OutboxEmail.id).all()


def warnings(case):
    return [e.message for e in db.session.get(Case, case.id).events if e.kind == "moderation_warning"]


def test_it_is_a_periodic_job_every_fifteen_minutes(app):
    [periodic] = [p for p in PERIODIC_JOBS if p.function == "crisisdesk.jobs.moderation.warn_about_held_reviews_job"]
    assert periodic.every_seconds == 15 * 60
    assert "warn-held-reviews" in enqueue_due(app, now=PERIOD_START + 1)
    assert "warn-held-reviews" not in enqueue_due(app, now=PERIOD_START + 60)


def test_it_warns_once_when_a_negative_review_is_held_past_the_shops_time(app, shop_a, owner, run_jobs, smtp_server,
                                                                          frozen_clock):
    written = frozen_clock.now
    payload = held_review(shop_a, written)
    case = Case.query.filter_by(shop_id=shop_a.id).one()
    state = moderation_watch.moderation_state(case.review, has_case=True)
    assert (state.since, state.overdue) == (written, False)

    frozen_clock.advance(hours=23, minutes=59)
    warn(app, run_jobs)
    assert alerts() == [] and warnings(case) == [] and smtp_server.messages == []

    frozen_clock.advance(minutes=1)
    warn(app, run_jobs)
    [alert] = alerts()
    assert (alert.to_email, alert.language, alert.status, alert.case_id) == (owner.email, "en", "sent", case.id)
    [received] = smtp_server.messages
    message = received.message
    assert message["Subject"] == "[Moderation] A 1★ review has awaited approval for more than 24 h (Shop A)"
    assert message["List-Unsubscribe"] is None
    text = message.get_body(("plain",)).get_content()
    assert "Held since: 2026-11-22 12:00 (UTC)" in text and "Arrived broken." in text
    assert "unfair to buyers" in text and f"/cases/{case.id}" in text
    [line] = warnings(case)
    assert line.startswith("The review has awaited moderation in WordPress for more than 24 hours.")
    assert line.endswith(f"Alert sent to {owner.display_name}.")
    assert moderation_watch.moderation_state(db.session.get(Case, case.id).review, has_case=True).overdue

    frozen_clock.advance(hours=6)
    warn(app, run_jobs)  # still held: nothing new
    assert len(alerts()) == 1 and len(smtp_server.messages) == 1 and len(warnings(case)) == 1

    moderate(shop_a, payload, "approved", frozen_clock.now)
    review = db.session.get(Review, case.review_id)
    assert (review.held_since, review.moderation_warned_at) == (None, None)
    assert moderation_watch.moderation_state(review, has_case=True) is None
    assert moderation_watch.count_overdue([shop_a.id]) == 0

    frozen_clock.advance(hours=1)
    moderate(shop_a, payload, "hold", frozen_clock.now)  # unapproved again: a new hold, a new warning in time
    frozen_clock.advance(hours=24)
    warn(app, run_jobs)
    assert len(alerts()) == 2 and len(smtp_server.messages) == 2 and len(warnings(case)) == 2


def test_it_waits_the_time_the_owner_set_and_ignores_held_positive_reviews(app, shop_a, owner, run_jobs,
                                                                         smtp_server, frozen_clock):
    shop_a.moderation_warning_hours = 48
    db.session.commit()
    held_review(shop_a, frozen_clock.now)
    held_review(shop_a, frozen_clock.now, rating=5, text="Lovely!", email="ann@example.com")

    frozen_clock.advance(hours=47)
    warn(app, run_jobs)
    assert alerts() == []
    frozen_clock.advance(hours=1)
    warn(app, run_jobs)
    assert len(alerts()) == 1 and len(smtp_server.messages) == 1


def test_it_warns_about_a_low_review_without_a_case_and_drops_the_email_once_it_is_approved(
        app, shop_a, owner, run_jobs, smtp_server, frozen_clock):
    shop_a.case_max_rating = shop_a.negative_text_max_rating = 1  # a 2★ review opens no case here
    db.session.commit()
    payload = held_review(shop_a, frozen_clock.now, rating=2, text="Could be better.")
    assert Case.query.count() == 0

    frozen_clock.advance(hours=25)
    result = moderation_watch.warn_about_held_reviews()  # the email is scheduled, not sent yet
    assert (result.warnings, result.emails) == (1, 1)
    assert moderation_watch.warn_about_held_reviews().warnings == 0
    review = Review.query.one()
    text = email_kinds.render(alerts()[0]).text  # no case to open: the link goes to the review in the queue
    assert f"/reviews?shop={shop_a.id}&status=all#review-{review.id}" in text and "Answer it: " in text
    moderate(shop_a, payload, "approved", frozen_clock.now)
    run_jobs()

    [alert] = alerts()
    assert (alert.status, alert.status_note) == ("cancelled", "the review was moderated in WordPress")
    assert smtp_server.messages == []
