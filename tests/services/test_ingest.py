"""Receiving and applying events (crisisdesk.services.ingest) and the cases they open (review_cases).

Events go through the real services: signed, stored as InboundEvent rows, then applied.
Payloads are the recorded WooCommerce ones or built in the same shape by the factories.
"""
import json
import uuid
from datetime import datetime, timedelta, timezone

import pytest

from crisisdesk.domain.errors import Invalid, TooLarge
from crisisdesk.extensions import db
from crisisdesk.integrations.webhook_signing import sign
from crisisdesk.models import Case, InboundEvent, Order, Refund, Review, ReviewRevision
from crisisdesk.services import ingest
from tests import factories

MIB = 1024 * 1024
REVIEWED_AT = datetime(2026, 11, 20, 10, 0, tzinfo=timezone.utc)  # factories.review()'s default
ORDERED_AT = datetime(2026, 11, 1, 10, 0, tzinfo=timezone.utc)  # factories.order()'s default
NEGATIVE = "Arrived broken and late, very disappointed."
POSITIVE = "Great quality, fast delivery, thank you!"


def at(minutes):
    """An event time, `minutes` after the default review time."""
    return REVIEWED_AT + timedelta(minutes=minutes)


def deliver(shop, event_type, data, occurred_at=None):
    """Store and apply one event; returns the InboundEvent row."""
    return db.session.get(InboundEvent, factories.deliver(shop, event_type, data, occurred_at))


def receive(shop, event_type, data, msg_id=None):
    body = factories.event_body(event_type, data)
    headers = sign(factories.secret_of(shop), msg_id or f"msg_{uuid.uuid4().hex}", body)
    return ingest.receive_event(shop.id, headers, body, MIB)


def case_of(review_remote_id, shop=None):
    query = Case.query.join(Case.review).filter(Review.remote_id == review_remote_id)
    if shop is not None:
        query = query.filter(Case.shop_id == shop.id)
    return query.one_or_none()


def kinds(case):
    return [event.kind for event in case.events]


def recorded_review(**changes):
    return {**factories.recorded("review"), **changes}


# --- receiving ----------------------------------------------------------------------------------------------

def test_it_stores_a_received_event_raw_and_unapplied_and_returns_it_for_a_repeated_webhook_id(app, shop_a):
    data = factories.review(review_id=901)

    receipt = receive(shop_a, "review.created", data, msg_id="msg_store")
    repeat = receive(shop_a, "review.created", data, msg_id="msg_store")

    assert receipt.duplicate is False
    assert (repeat.event_id, repeat.duplicate) == (receipt.event_id, True)
    event = InboundEvent.query.one()
    assert (event.shop_id, event.webhook_id, event.type) == (shop_a.id, "msg_store", "review.created")
    assert json.loads(event.body)["data"] == data
    assert (event.processed_at, event.outcome, event.attempts) == (None, None, 0)
    assert Review.query.count() == 0

    with pytest.raises(Invalid) as refused:
        receive(shop_a, "review.created", data, msg_id="m" * 256)  # longer than the column
    assert refused.value.field == "webhook-id"
    body = factories.event_body("review.created", data)
    with pytest.raises(TooLarge):  # the service keeps the limit too, whoever calls it
        ingest.receive_event(shop_a.id, sign(factories.secret_of(shop_a), "msg_big", body), body, len(body) - 1)
    assert InboundEvent.query.count() == 1


# --- applying: outcomes and idempotency ---------------------------------------------------------------------

def test_it_applies_a_stored_event_once_and_the_same_review_sent_again_changes_nothing(app, shop_a):
    payload = factories.review(review_id=911, rating=1)
    receipt = receive(shop_a, "review.created", payload)

    assert ingest.apply_event(receipt.event_id) == "applied"
    assert ingest.apply_event(receipt.event_id) is None  # a second job for the same event is a no-op

    event = db.session.get(InboundEvent, receipt.event_id)
    assert (event.outcome, event.attempts, event.error) == ("applied", 1, None)
    assert event.processed_at is not None
    again = deliver(shop_a, "review.created", payload)  # the bridge sent it again under a new webhook-id
    assert again.outcome == "applied"
    assert (Review.query.count(), ReviewRevision.query.count(), Case.query.count()) == (1, 1, 1)
    assert kinds(case_of(911)) == ["opened"]


def test_it_applies_the_recorded_order_lifecycle_from_its_events(app, shop_a):
    events = [deliver(shop_a, "order.created", factories.recorded("order_created")),
              deliver(shop_a, "order.updated", factories.recorded("order_completed")),
              deliver(shop_a, "order.refunded", factories.recorded("order_after_refund"))]

    assert [e.outcome for e in events] == ["applied", "applied", "applied"]
    order = Order.query.one()
    assert (order.remote_id, order.status) == (12, "completed")
    assert [(r.remote_id, str(r.amount)) for r in Refund.query.all()] == [(13, "10.00")]


def test_it_marks_an_older_order_event_stale_and_keeps_the_newer_state(app, shop_a):
    deliver(shop_a, "order.refunded", factories.recorded("order_after_refund"))

    late = deliver(shop_a, "order.updated", factories.recorded("order_created"))

    assert late.outcome == "stale"
    assert late.processed_at is not None  # done with: the sweeper will not pick it up again
    order = Order.query.one()
    assert order.status == "completed"
    assert Refund.query.count() == 1


def test_it_marks_an_older_review_event_stale_and_opens_no_case_from_it(app, shop_a):
    deliver(shop_a, "review.updated", factories.review(review_id=910, rating=5, text=POSITIVE), at(5))

    late = deliver(shop_a, "review.created", factories.review(review_id=910, rating=1, text=NEGATIVE), at(0))

    assert late.outcome == "stale"
    assert Review.query.one().rating == 5
    assert Case.query.count() == 0


def test_it_marks_a_stored_event_that_no_longer_parses_as_failed_without_retrying(app, shop_a):
    event = InboundEvent(shop_id=shop_a.id, webhook_id="msg_old_format", type="review.created",
                         occurred_at=REVIEWED_AT, body=json.dumps({"type": "review.created", "data": {}}))
    db.session.add(event)
    db.session.commit()

    assert ingest.apply_event(event.id) == "failed"

    assert event.outcome == "failed" and "occurred_at" in event.error
    assert event.processed_at is not None
    assert event.id not in ingest.pending_event_ids(older_than_seconds=0)


def test_it_lists_unapplied_events_past_the_grace_period_as_pending_with_their_last_error(app, shop_a,
                                                                                        frozen_clock):
    applied = deliver(shop_a, "review.created", factories.review())
    waiting = receive(shop_a, "review.created", factories.review()).event_id
    failing = receive(shop_a, "review.created", factories.review()).event_id

    ingest.record_failure(failing, RuntimeError("database went away"))

    event = db.session.get(InboundEvent, failing)
    assert (event.attempts, event.error, event.processed_at) == (1, "database went away", None)
    assert ingest.pending_event_ids() == []  # their jobs have had no time to run yet
    frozen_clock.advance(seconds=61)
    assert ingest.pending_event_ids() == [waiting, failing]
    assert applied.id not in ingest.pending_event_ids()


def test_it_keeps_each_shops_events_and_records_apart(app, shop_a, shop_b):
    payload = factories.review(review_id=912, rating=1)

    deliver(shop_a, "review.created", payload)
    deliver(shop_b, "review.created", payload)

    assert sorted(r.shop_id for r in Review.query.all()) == sorted([shop_a.id, shop_b.id])
    assert case_of(912, shop_a).review.shop_id == shop_a.id
    assert case_of(912, shop_b).review.shop_id == shop_b.id


# --- review history and moderation --------------------------------------------------------------------------

def test_it_keeps_the_reviews_history_across_events(app, shop_a):
    deliver(shop_a, "review.created", factories.review(review_id=920, rating=2, text="Late."), at(0))
    deliver(shop_a, "review.updated", factories.review(review_id=920, rating=1, text="Late."), at(1))
    deliver(shop_a, "review.updated", factories.review(review_id=920, rating=1, text="Late and broken."), at(2))
    deliver(shop_a, "review.updated", factories.review(review_id=920, rating=1, text="Late and broken."), at(3))
    deliver(shop_a, "review.status_changed",
            factories.review(review_id=920, rating=1, text="Late and broken.", status="hold"), at(4))

    review = Review.query.one()
    assert [(r.rating, r.text, r.status) for r in review.revisions] == [
        (2, "Late.", "approved"), (1, "Late.", "approved"), (1, "Late and broken.", "approved"),
        (1, "Late and broken.", "hold")]
    assert [r.source_modified_at for r in review.revisions] == [at(0), at(1), at(2), at(4)]


def test_it_flags_the_case_when_the_review_is_trashed_or_spammed_and_never_deletes_the_review(app, shop_a):
    review = factories.review(review_id=921, rating=1, text=NEGATIVE)
    deliver(shop_a, "review.created", review, at(0))

    deliver(shop_a, "review.status_changed", {**review, "status": "trash"}, at(1))

    case = case_of(921)
    assert case.review_removed is True
    assert kinds(case)[-1] == "review_removed"
    assert case.events[-1].details == {"before": "approved", "after": "trash"}
    kept = Review.query.one()
    assert (kept.status, kept.rating, kept.text) == ("trash", 1, NEGATIVE)

    deliver(shop_a, "review.status_changed", {**review, "status": "untrash"}, at(2))
    assert (case.review_removed, kinds(case)[-1], Review.query.one().status) == (False, "review_restored", "hold")

    deliver(shop_a, "review.status_changed", {**review, "status": "spam"}, at(3))
    assert (case.review_removed, kinds(case)[-1]) == (True, "review_removed")

    deliver(shop_a, "review.status_changed", {**review, "status": "approved"}, at(4))
    assert (case.review_removed, kinds(case)[-1]) == (False, "review_restored")

    deliver(shop_a, "review.status_changed", {**review, "status": "hold"}, at(5))  # unapproved: not removed
    assert (case.review_removed, kinds(case)[-1]) == (False, "review_status")
    assert Case.query.count() == 1
    assert [r.status for r in Review.query.one().revisions] == ["approved", "trash", "hold", "spam", "approved",
                                                                "hold"]


def test_it_opens_no_case_for_a_review_that_arrives_trashed_until_it_is_restored(app, shop_a):
    review = factories.review(review_id=923, rating=1, status="trash")
    deliver(shop_a, "review.created", review, at(0))
    assert Case.query.count() == 0
    assert Review.query.one().status == "trash"  # still recorded

    deliver(shop_a, "review.status_changed", {**review, "status": "untrash"}, at(1))

    assert case_of(923) is not None


# --- one case per review ------------------------------------------------------------------------------------

def test_it_opens_a_case_with_the_reviews_facts(app, shop_a):
    deliver(shop_a, "review.created", factories.review(review_id=930, rating=1, text=NEGATIVE))

    case = case_of(930)
    review = Review.query.one()
    assert (case.shop_id, case.source, case.channel, case.status) == (shop_a.id, "review", "review", "new")
    assert (case.customer_id, case.product_id) == (review.customer_id, review.product_id)
    assert case.summary == NEGATIVE
    assert case.sentiment_score < 0
    assert case.review_removed is False
    assert kinds(case) == ["opened"]
    assert "1★" in case.events[0].message


def test_it_updates_the_same_case_when_the_review_is_edited(app, shop_a):
    deliver(shop_a, "review.created", factories.review(review_id=931, rating=1, text="Broken."), at(0))
    case = case_of(931)

    deliver(shop_a, "review.updated", factories.review(review_id=931, rating=2, text="Broken, but they replied."),
            at(1))
    deliver(shop_a, "review.updated", factories.review(review_id=931, rating=5, text=POSITIVE), at(2))
    deliver(shop_a, "review.updated", factories.review(review_id=931, rating=5, text=POSITIVE), at(3))

    assert Case.query.count() == 1
    assert case_of(931).id == case.id
    assert kinds(case) == ["opened", "review_edited", "review_edited"]  # the repeat added nothing
    edit = case.events[1]
    assert edit.details == {"before": {"rating": 1, "text": "Broken.", "status": "approved"},
                            "after": {"rating": 2, "text": "Broken, but they replied."}}
    assert "1★ → 2★" in edit.message
    assert case.summary == POSITIVE
    assert case.sentiment_score > 0


def test_it_opens_a_case_when_a_good_review_is_edited_down(app, shop_a):
    deliver(shop_a, "review.created", factories.review(review_id=932, rating=5, text=POSITIVE), at(0))
    assert Case.query.count() == 0

    deliver(shop_a, "review.updated", factories.review(review_id=932, rating=1, text="Stopped working."), at(1))

    assert kinds(case_of(932)) == ["opened"]


def test_it_opens_cases_by_the_default_thresholds(app, shop_a):
    reviews = {
        940: (1, POSITIVE, True),  # 1-2 stars always
        941: (2, "", True),
        942: (3, NEGATIVE, True),  # 3 stars with negative text
        943: (3, POSITIVE, False),  # 3 stars, positive text
        944: (3, "It is a product.", False),  # 3 stars, neutral text
        945: (4, NEGATIVE, False),
        946: (5, NEGATIVE, False),
        947: (5, POSITIVE, False),
        948: (0, NEGATIVE, True),  # no stars given, negative text
        949: (0, POSITIVE, False),
    }
    for remote_id, (rating, text, _) in reviews.items():
        deliver(shop_a, "review.created", factories.review(review_id=remote_id, rating=rating, text=text))

    opened = {r.review.remote_id for r in Case.query.all()}
    assert opened == {remote_id for remote_id, (_, _, opens) in reviews.items() if opens}


def test_it_follows_the_shops_own_thresholds(app):
    strict = factories.make_shop("Strict shop", case_max_rating=3, negative_text_max_rating=4)
    lenient = factories.make_shop("Lenient shop", case_max_rating=1, negative_text_max_rating=1)
    reviews = {950: (3, POSITIVE), 951: (4, NEGATIVE), 952: (4, POSITIVE), 953: (5, NEGATIVE),
               954: (1, POSITIVE), 955: (2, NEGATIVE)}
    for shop in (strict, lenient):
        for remote_id, (rating, text) in reviews.items():
            deliver(shop, "review.created", factories.review(review_id=remote_id, rating=rating, text=text))

    def opened(shop):
        return {c.review.remote_id for c in Case.query.filter_by(shop_id=shop.id)}

    assert opened(strict) == {950, 951, 954, 955}
    assert opened(lenient) == {954}


# --- order linking ------------------------------------------------------------------------------------------

def test_it_links_the_recorded_review_to_the_recorded_order_by_email_and_product(app, shop_a):
    deliver(shop_a, "order.created", factories.recorded("order_created"))

    deliver(shop_a, "review.created", recorded_review(rating=1, review="Stopped working after two days."))

    case = case_of(5)
    assert case.order_id == Order.query.one().id
    assert (case.link_method, case.link_confidence) == ("email_and_product", pytest.approx(0.9))
    assert kinds(case) == ["opened", "order_linked"]
    assert case.events[1].details == {"method": "email_and_product", "confidence": pytest.approx(0.9)}


def test_it_links_by_an_order_number_in_the_text_before_an_order_with_the_product(app, shop_a):
    deliver(shop_a, "order.created", factories.order(order_id=1111, created_at=ORDERED_AT))
    deliver(shop_a, "order.created", factories.order(order_id=2222, created_at=ORDERED_AT + timedelta(days=5)))
    deliver(shop_a, "order.created", factories.order(order_id=4321, email="gift.buyer@example.com"))

    deliver(shop_a, "review.created",
            factories.review(review_id=960, rating=1, text="Zamówienie nr 1111 przyszło uszkodzone."))
    deliver(shop_a, "review.created", factories.review(review_id=961, rating=2, text="Order #4321 was late."))

    mine, someone_elses = case_of(960), case_of(961)
    assert mine.order.remote_id == 1111  # not the newer order that has the product too
    assert (mine.link_method, mine.link_confidence) == ("order_number_in_text", pytest.approx(0.95))
    assert someone_elses.order.remote_id == 4321  # a gift: the buyer's email is not the reviewer's
    assert (someone_elses.link_method, someone_elses.link_confidence) == ("order_number_in_text",
                                                                          pytest.approx(0.6))


def test_it_links_by_the_review_order_id_meta_above_everything_else(app, shop_a):
    deliver(shop_a, "order.created", factories.order(order_id=3333, created_at=ORDERED_AT))
    deliver(shop_a, "order.created", factories.order(order_id=3334, created_at=ORDERED_AT + timedelta(days=5)))

    deliver(shop_a, "review.created", factories.review(review_id=962, rating=1, review_order_id=3333))

    case = case_of(962)
    assert case.order.remote_id == 3333
    assert (case.link_method, case.link_confidence) == ("review_order_meta", 1.0)


def test_it_links_a_review_that_arrived_before_its_order_when_the_order_arrives(app, shop_a):
    deliver(shop_a, "review.created", factories.review(review_id=963, rating=1))
    case = case_of(963)
    assert (case.order_id, case.link_method) == (None, "none")

    deliver(shop_a, "order.created", factories.order(order_id=5555))
    deliver(shop_a, "order.updated", factories.order(order_id=5555, status="completed",
                                                     modified_at=ORDERED_AT + timedelta(days=1)))

    assert case.order.remote_id == 5555
    assert case.link_method == "email_and_product"
    assert kinds(case) == ["opened", "order_linked"]  # the second order event changes nothing
    assert "arrived later" in case.events[-1].message


def test_it_links_a_review_with_the_order_id_meta_to_its_later_order_billed_to_another_email(app, shop_a):
    deliver(shop_a, "review.created", factories.review(review_id=964, rating=1, email="grace@example.com",
                                                       review_order_id=6666))

    deliver(shop_a, "order.created", factories.order(order_id=6666, email="billing@hopper.example"))

    case = case_of(964)
    assert case.order is not None and case.order.remote_id == 6666
    assert case.link_method == "review_order_meta"


def test_it_never_links_an_order_placed_after_the_review_or_one_of_another_shop(app, shop_a, shop_b):
    deliver(shop_b, "order.created", factories.order(order_id=8888))
    deliver(shop_a, "review.created", factories.review(review_id=965, rating=1, text="Order #8888 broken."))

    deliver(shop_a, "order.created", factories.order(order_id=7777, created_at=REVIEWED_AT + timedelta(days=1)))

    case = case_of(965)
    assert (case.order_id, case.link_method, kinds(case)) == (None, "none", ["opened"])


# --- SLA ----------------------------------------------------------------------------------------------------

def test_it_sets_the_first_response_due_time_from_the_review_time_and_the_shop_target(app, frozen_clock):
    standard = factories.make_shop("Standard shop")
    quick = factories.make_shop("Quick shop", first_response_hours=4)

    deliver(standard, "review.created", factories.review(review_id=970, rating=1))
    deliver(quick, "review.created", factories.review(review_id=970, rating=1))

    slow_case, quick_case = case_of(970, standard), case_of(970, quick)
    assert slow_case.opened_at == quick_case.opened_at == REVIEWED_AT
    assert slow_case.first_response_due_at == REVIEWED_AT + timedelta(hours=24)
    assert quick_case.first_response_due_at == REVIEWED_AT + timedelta(hours=4)
    assert slow_case.is_overdue(frozen_clock.now)  # written two days before "now"

    frozen_clock.advance(hours=30)
    deliver(quick, "review.updated", factories.review(review_id=970, rating=1, text="Even worse now."),
            REVIEWED_AT + timedelta(hours=30))
    assert case_of(970, quick).first_response_due_at == REVIEWED_AT + timedelta(hours=4)  # an edit keeps it


def test_it_starts_the_sla_now_for_a_review_dated_in_the_future(app, shop_a, frozen_clock):
    ahead = frozen_clock.now + timedelta(hours=2)  # the shop's clock runs fast

    deliver(shop_a, "review.created", factories.review(review_id=971, rating=1, created_at=ahead))

    case = case_of(971)
    assert case.opened_at == frozen_clock.now
    assert case.first_response_due_at == frozen_clock.now + timedelta(hours=24)
    assert not case.is_overdue(frozen_clock.now)




def test_it_marks_an_event_failed_after_the_attempt_cap_and_stops_sweeping_it(app, shop_a):
    body = factories.event_body("order.created", factories.order())
    receipt = ingest.receive_event(shop_a.id, sign(factories.secret_of(shop_a), "msg_cap", body), body,
                                   max_bytes=1024 * 1024)
    for attempt in range(ingest.MAX_SWEEP_ATTEMPTS):
        ingest.record_failure(receipt.event_id, RuntimeError(f"database down ({attempt})"))
    event = db.session.get(InboundEvent, receipt.event_id)
    assert event.outcome == "failed" and "database down (9)" in event.error
    assert receipt.event_id not in ingest.pending_event_ids(older_than_seconds=0)
