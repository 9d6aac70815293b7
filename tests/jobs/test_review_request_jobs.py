"""Review requests end to end with a real Redis, RQ worker, SMTP server and database, and time travel: the
periodic job schedules one request per completed order, the outbox sends it days later, well formed, in the
customer's language; at its time it is dropped when a case opened, the order was refunded, the products were
reviewed meanwhile or the customer's data was erased."""
from datetime import timedelta

from crisisdesk.domain.actor import CLI
from crisisdesk.extensions import db
from crisisdesk.jobs import PERIODIC_QUEUE, queue
from crisisdesk.jobs.schedule import PERIODIC_JOBS
from crisisdesk.models import EmailSuppression, OutboxEmail
from crisisdesk.services import privacy, review_requests
from tests import factories
from tests.jobs.test_recovery_jobs import travel
from tests.services.test_review_requests import complete_order
from tests.web.public.helpers import path_of

KETTLE, TEAPOT = (1, 10, "Czajnik Emalia", 1, 120.0), (2, 11, "Dzbanek", 1, 80.0)
JOB = "crisisdesk.jobs.review_requests.schedule_review_requests_job"


def schedule_pass(run_jobs):
    """The periodic job, run the way the scheduler runs it: queued, then taken by the worker."""
    queue(PERIODIC_QUEUE).enqueue(JOB)
    run_jobs()


def rows():
    db.session.expire_all()
    return OutboxEmail.query.filter_by(kind="review_request").order_by(OutboxEmail.id).all()


def test_it_is_declared_as_a_periodic_job():
    assert any(p.function == JOB and p.every_seconds == 15 * 60 for p in PERIODIC_JOBS)


def test_a_completed_order_brings_one_honest_request_a_week_later(app, shop_a, owner, smtp_server, run_jobs,
                                                                 frozen_clock):
    shop_a.language = "pl"
    db.session.commit()
    review_requests.update_settings(owner, shop_a.id, CLI, True, 7)
    # Someone else's review taught CrisisDesk the kettle's page; the teapot's page is not known.
    factories.deliver(shop_a, "review.created", factories.review(product_id=10, rating=5, email="ola@example.com"))
    order = complete_order(shop_a, email="grace@example.com", items=[KETTLE, TEAPOT])
    schedule_pass(run_jobs)
    schedule_pass(run_jobs)  # a second pass finds the row it made

    travel(app, frozen_clock, run_jobs, days=6, hours=23)
    assert smtp_server.messages == []
    travel(app, frozen_clock, run_jobs, hours=1)
    [received] = smtp_server.messages
    message = received.message
    assert received.rcpt_tos == ["grace@example.com"]
    assert message["Subject"] == f"Co sądzisz o zamówieniu nr {order.number}?"
    assert message["Content-Language"] == "pl" and message["Auto-Submitted"] == "auto-generated"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert text.startswith("Dzień dobry Grace,") and '<html lang="pl">' in html
    assert "- Czajnik Emalia: https://shop.example/product/lab-gadget/#reviews" in text
    assert "- Dzbanek: https://shop.example\n" in text
    assert "szczera opinia, pochwała albo krytyka" in text and "nic za nią nie dostajesz" in text
    assert "To nasza jedyna wiadomość w sprawie tego zamówienia." in text
    unsubscribe = message["List-Unsubscribe"].strip("<>")
    signed = unsubscribe.split(".")[0]  # the token's signed part (its time stamp may differ by a second)
    assert f"\n{signed}." in text and f'href="{signed}.' in html
    [row] = rows()
    assert (row.status, row.order_id, row.attempts) == ("sent", order.id, 1)

    # The one-click unsubscribe works for this kind too.
    response = app.test_client().post(path_of(unsubscribe), data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert EmailSuppression.query.filter_by(shop_id=shop_a.id, email="grace@example.com").count() == 1
    travel(app, frozen_clock, run_jobs, days=30)
    assert len(smtp_server.messages) == 1  # and never a second request for the order


def test_a_request_is_dropped_when_things_change_before_its_time(app, shop_a, owner, smtp_server, run_jobs,
                                                                 frozen_clock):
    review_requests.update_settings(owner, shop_a.id, CLI, True, 7)
    complete_order(shop_a, email="case@example.com", items=[KETTLE])
    refunded = complete_order(shop_a, email="refund@example.com", items=[KETTLE])
    complete_order(shop_a, email="wrote@example.com", items=[KETTLE])
    complete_order(shop_a, email="erased@example.com", items=[KETTLE])
    complete_order(shop_a, email="glad@example.com", items=[KETTLE])
    schedule_pass(run_jobs)
    assert [row.status for row in rows()] == ["scheduled"] * 5

    frozen_clock.advance(days=2)
    factories.deliver(shop_a, "review.created", factories.review(product_id=99, rating=1, email="case@example.com",
                                                                 text="The other order never arrived."),
                      occurred_at=frozen_clock.now)
    payload = factories.order(order_id=refunded.remote_id, email="refund@example.com", items=[KETTLE],
                              status="refunded", created_at=frozen_clock.now - timedelta(days=5),
                              modified_at=frozen_clock.now)
    factories.deliver(shop_a, "order.updated", payload, occurred_at=frozen_clock.now)
    praise = factories.review(product_id=10, rating=4, email="wrote@example.com", text="Good, a little heavy.")
    factories.deliver(shop_a, "review.created", praise, occurred_at=frozen_clock.now)
    privacy.erase(shop_a, "erased@example.com")

    travel(app, frozen_clock, run_jobs, days=5)
    assert [m.rcpt_tos for m in smtp_server.messages] == [["glad@example.com"]]
    assert [(row.status, row.status_note) for row in rows()] == [
        ("cancelled", "the customer has an open case"),
        ("cancelled", "the order is now refunded"),
        ("cancelled", "the customer already reviewed what they bought"),
        ("cancelled", "the customer's personal data was erased"),
        ("sent", None),
    ]
