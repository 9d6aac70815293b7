"""Follow-up scheduling (services/follow_up.py) against the real database, Redis and outbox: resolving a
case schedules one follow-up and one reminder at the shop's times, a replacement waits for its
delivery, reopening cancels, and nothing is scheduled for a customer who cannot or need not get one."""
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

from crisisdesk import clock
from crisisdesk.domain.actor import Actor
from crisisdesk.domain.compensation_request import CompensationRequest
from crisisdesk.domain.quiet_hours import next_allowed_send
from crisisdesk.extensions import db
from crisisdesk.models import Case, CaseEvent, Compensation, OutboxEmail, Recovery
from crisisdesk.services import cases, compensation, follow_up, outbox, privacy
from crisisdesk.services import woo as woo_service
from tests import factories
from tests.wc_standin.fixtures import woo  # noqa: F401  (the WooCommerce stand-in)

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=timezone.utc)  # the frozen clock's start


def actor_of(user):
    return Actor(label=user.email, user_id=user.id)


def open_case(shop, **review):
    """A case opened the real way: a review event stored and applied through the services (at the clock's now)."""
    payload = factories.review(**review)
    factories.deliver(shop, "review.created", payload, occurred_at=clock.utcnow())
    return Case.query.filter_by(shop_id=shop.id).order_by(Case.id.desc()).first()


def set_status(user, case, status):
    cases.change_status(user, case.id, status, actor_of(user))
    db.session.expire_all()
    return db.session.get(Case, case.id)


def emails(case):
    db.session.expire_all()
    return OutboxEmail.query.filter_by(case_id=case.id).order_by(OutboxEmail.id).all()


def timeline(case):
    db.session.expire_all()
    return [e.message for e in CaseEvent.query.filter_by(case_id=case.id).order_by(CaseEvent.id)]


@pytest.fixture
def case(shop_a, frozen_clock):
    return open_case(shop_a, rating=1, text="The kettle arrived cracked and leaks everywhere.")


# --- resolving -------------------------------------------------------------------------------------------------

def test_resolving_schedules_one_follow_up_and_one_reminder_at_the_shop_times(case, agent, frozen_clock):
    case = set_status(agent, case, "resolved")
    follow, reminder = emails(case)
    assert (follow.kind, follow.idempotency_key) == ("follow_up", f"case:{case.id}:resolution:1:follow_up")
    assert (reminder.kind, reminder.idempotency_key) == ("follow_up_reminder",
                                                         f"case:{case.id}:resolution:1:follow_up_reminder")
    assert follow.due_at == NOW + timedelta(days=7) and reminder.due_at == NOW + timedelta(days=12)
    for row in (follow, reminder):
        assert (row.status, row.to_email, row.language) == ("scheduled", "grace@example.com", "en")
        assert row.customer_id == case.customer_id
    recovery = case.recovery
    assert (recovery.outcome, recovery.baseline_rating, recovery.resolved_at) == ("pending", 1, NOW)
    assert recovery.window_ends_at == NOW + timedelta(days=90)
    assert any(m.startswith("Follow-up email to grace@example.com scheduled") for m in timeline(case))


def test_it_follows_the_shop_settings_and_keeps_out_of_its_quiet_hours(shop_a, agent, frozen_clock):
    shop_a.timezone, shop_a.follow_up_days, shop_a.reminder_days = "Europe/Warsaw", 3, 2
    db.session.commit()
    case = open_case(shop_a, rating=2, text="Paczka przyszła uszkodzona, jestem bardzo rozczarowana.")
    frozen_clock.now = datetime(2026, 11, 22, 21, 30, tzinfo=timezone.utc)  # 22:30 in Warsaw: quiet
    follow, reminder = emails(set_status(agent, case, "resolved"))
    # Three days later at 22:30 local is quiet too: moved to 08:00 in Warsaw (07:00 UTC, winter time).
    assert follow.due_at == datetime(2026, 11, 26, 7, 0, tzinfo=timezone.utc)
    assert reminder.due_at == datetime(2026, 11, 28, 7, 0, tzinfo=timezone.utc)
    assert follow.language == "pl"


def test_the_language_is_the_customers_own_when_known(shop_a, agent, frozen_clock):
    case = open_case(shop_a, rating=1, text="Paczka przyszła uszkodzona, nie polecam.")
    case.customer.language = "lv"
    db.session.commit()
    assert {row.language for row in emails(set_status(agent, case, "resolved"))} == {"lv"}


def test_scheduling_again_finds_the_same_rows(case, agent, frozen_clock):
    case = set_status(agent, case, "resolved")
    first = [row.id for row in emails(case)]
    assert follow_up.schedule(case).id == first[0]
    assert follow_up.schedule_missing() == 0
    assert [row.id for row in emails(case)] == first


def test_closing_a_resolved_case_keeps_its_follow_up(case, agent, frozen_clock):
    case = set_status(agent, set_status(agent, case, "resolved"), "closed")
    assert [row.status for row in emails(case)] == ["scheduled", "scheduled"]


def test_closing_a_case_that_was_never_resolved_schedules_nothing(case, agent, frozen_clock):
    case = set_status(agent, case, "closed")
    assert emails(case) == [] and case.recovery is None


# --- reopening -------------------------------------------------------------------------------------------------

def test_reopening_cancels_the_emails_and_resolving_again_is_a_new_round(case, agent, frozen_clock):
    case = set_status(agent, case, "resolved")
    frozen_clock.advance(days=2)
    case = set_status(agent, case, "in_progress")
    assert [(row.status, row.status_note) for row in emails(case)] == [("cancelled", "the case was reopened")] * 2
    assert case.recovery.outcome == "pending"
    assert any(m.startswith("Case reopened: recovery tracking waits") for m in timeline(case))

    frozen_clock.advance(days=1)
    case = set_status(agent, case, "resolved")
    rows = emails(case)
    assert [row.idempotency_key.split(":")[3] for row in rows] == ["1", "1", "2", "2"]
    assert [row.status for row in rows[2:]] == ["scheduled", "scheduled"]
    assert rows[2].due_at == frozen_clock.now + timedelta(days=7)
    assert case.recovery.resolved_at == frozen_clock.now
    assert case.recovery.window_ends_at == frozen_clock.now + timedelta(days=90)


def test_reopening_takes_back_an_earlier_recovery(case, agent, frozen_clock):
    case = set_status(agent, case, "resolved")
    frozen_clock.advance(days=1)
    factories.deliver(case.shop, "order.created", factories.order(created_at=frozen_clock.now),
                      occurred_at=frozen_clock.now)
    assert db.session.get(Recovery, case.recovery.id).outcome == "recovered"
    case = set_status(agent, case, "in_progress")
    recovery = case.recovery
    assert (recovery.outcome, recovery.recovered_by, recovery.outcome_at) == ("pending", None, None)


# --- nothing to schedule ---------------------------------------------------------------------------------------

def test_no_follow_up_for_a_customer_without_an_address(shop_a, agent, frozen_clock):
    case = open_case(shop_a, rating=1, email="", text="Broken on arrival, nobody answers.")
    case = set_status(agent, case, "resolved")
    assert emails(case) == [] and case.recovery is not None
    assert "No follow-up email: the customer has no email address." in timeline(case)


def test_no_follow_up_for_an_address_that_unsubscribed(case, agent, frozen_clock):
    outbox.suppress(case.shop_id, "Grace@Example.com", "unsubscribed")
    [row] = emails(set_status(agent, case, "resolved"))  # recorded, cancelled, and no reminder after it
    assert (row.kind, row.status, row.status_note) == ("follow_up", "cancelled", "unsubscribed")


def test_no_follow_up_for_an_erased_customer(case, agent, frozen_clock):
    privacy.erase(case.shop, "grace@example.com")
    case = set_status(agent, case, "resolved")
    assert emails(case) == []
    assert "No follow-up email: the customer's data was erased." in timeline(case)


def test_no_follow_up_when_the_customer_already_raised_the_rating(case, agent, frozen_clock):
    frozen_clock.advance(hours=3)
    factories.deliver(case.shop, "review.updated", factories.review(
        review_id=case.review.remote_id, rating=4, text=case.review.text), occurred_at=frozen_clock.now)
    case = set_status(agent, case, "resolved")
    assert emails(case) == []
    recovery = case.recovery
    assert (recovery.outcome, recovery.recovered_by, recovery.outcome_at) == ("recovered", "rating_raised",
                                                                             frozen_clock.now)
    assert recovery.baseline_rating == 4
    assert "No follow-up email: the customer already raised the rating." in timeline(case)


def test_the_periodic_pass_schedules_what_a_crash_left_unscheduled(case, agent, frozen_clock):
    case = set_status(agent, case, "resolved")
    OutboxEmail.query.filter_by(case_id=case.id).delete()  # as if the process died right after the commit
    db.session.commit()
    assert follow_up.schedule_missing() == 1
    assert [row.kind for row in emails(case)] == ["follow_up", "follow_up_reminder"]
    assert emails(case)[0].due_at == NOW + timedelta(days=7)


# --- a replacement waits for its delivery ----------------------------------------------------------------------

@pytest.fixture
def case_with_order(app, shop_a, owner, woo, frozen_clock):  # noqa: F811
    """Shop A connected to the WooCommerce stand-in; a 1-star review linked to a 100.00 order."""
    woo_service.save_keys(owner, shop_a.id, woo.consumer_key, woo.consumer_secret, actor_of(owner), rest_url=woo.url)
    order = woo.add_order(total="100.00", email="grace@example.com",
                          date_created=datetime(2026, 11, 1, 10, 0, tzinfo=timezone.utc))
    factories.deliver(shop_a, "order.created", order, occurred_at=frozen_clock.now)
    factories.deliver(shop_a, "review.created", factories.review(
        rating=1, email="grace@example.com", text=f"Arrived broken, order #{order['number']}"),
        occurred_at=frozen_clock.now)
    case = Case.query.one()
    assert case.order.remote_id == order["id"]
    return case


def test_a_replacement_follow_up_waits_until_the_replacement_is_completed(case_with_order, agent, woo,  # noqa: F811
                                                                            run_jobs, frozen_clock):
    case = case_with_order
    asked = compensation.request_compensation(agent, case.id, CompensationRequest(kind="replacement"), "k-repl",
                                              actor_of(agent))
    run_jobs()
    replacement_id = db.session.get(Compensation, asked.id).remote_id
    case = set_status(agent, case, "resolved")
    assert emails(case) == []
    assert "The follow-up email waits until the replacement order is completed." in timeline(case)

    # The bridge reports the new order (processing): still waiting, now for a known order.
    frozen_clock.advance(days=1)
    factories.deliver(case.shop, "order.created", woo.store.orders[replacement_id], occurred_at=frozen_clock.now)
    run_jobs()
    assert emails(case) == []
    recovery = db.session.get(Recovery, case.recovery.id)
    assert recovery.waiting_for_order.remote_id == replacement_id

    # Delivered three days later: the follow-up is due seven days after the completion.
    frozen_clock.advance(days=3)
    completed = woo.store.update_order(replacement_id, {"status": "completed"})
    factories.deliver(case.shop, "order.updated", completed, occurred_at=frozen_clock.now)
    assert emails(case) == []  # scheduled by a job once the event's transaction committed
    run_jobs()
    follow, reminder = emails(case)
    assert db.session.get(Recovery, case.recovery.id).waiting_for_order_id is None
    # The stand-in stamps the completion with the real time, so it may fall in the shop's quiet hours.
    week_after = datetime.fromisoformat(completed["date_completed_gmt"]).replace(tzinfo=timezone.utc) + timedelta(days=7)
    quiet = dict(timezone_name=case.shop.timezone, start_hour=case.shop.quiet_hours_start,
                 end_hour=case.shop.quiet_hours_end)
    assert follow.due_at == next_allowed_send(week_after, **quiet)
    assert reminder.due_at == next_allowed_send(follow.due_at + timedelta(days=5), **quiet)
    assert db.session.get(Recovery, case.recovery.id).outcome == "pending"  # our own replacement is no repeat order
    # The same completed event again changes nothing.
    factories.deliver(case.shop, "order.updated", completed, occurred_at=frozen_clock.now)
    run_jobs()
    assert len(emails(case)) == 2


def test_a_rejected_replacement_no_longer_holds_the_follow_up(case_with_order, shop_a, agent, owner, run_jobs,
                                                              frozen_clock):
    shop_a.approval_threshold = Decimal("10")  # the replacement (25.00) needs an owner's approval
    db.session.commit()
    case = case_with_order
    asked = compensation.request_compensation(agent, case.id, CompensationRequest(kind="replacement"), "k-wait",
                                              actor_of(agent))
    assert asked.state == "awaiting_approval"
    case = set_status(agent, case, "resolved")
    assert emails(case) == [] and follow_up.schedule_missing() == 0
    compensation.reject(owner, asked.id, actor_of(owner), "a refund fits better")
    frozen_clock.advance(hours=1)
    assert follow_up.schedule_missing() == 1
    assert emails(case)[0].due_at == NOW + timedelta(days=7)
