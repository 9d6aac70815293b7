"""Recovery tracking (services/recovery.py) with the real database: a resolved customer is won back by a
raised rating, a new positive review or a new order within the window, confirmed satisfied by a
one-click answer, or not recovered when the window ends; every outcome is on the timeline; the
panel's figures are SQL aggregates over the user's shops."""
from datetime import datetime, timedelta, timezone

import pytest

from crisisdesk import clock
from crisisdesk.domain.actor import Actor
from crisisdesk.domain.errors import Invalid
from crisisdesk.extensions import db
from crisisdesk.models import Case, CaseEvent, Compensation, Order, Recovery
from crisisdesk.services import cases, recovery
from crisisdesk.services.recovery_report import recovery_stats, resolved_customers
from tests import factories

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=timezone.utc)


def actor_of(user):
    return Actor(label=user.email, user_id=user.id)


def deliver(shop, event_type, payload):
    factories.deliver(shop, event_type, payload, occurred_at=clock.utcnow())


def resolved_case(shop, agent, email="grace@example.com", rating=1, text="The kettle arrived cracked.",
                  review_id=None):
    payload = factories.review(review_id=review_id, rating=rating, email=email, text=text)
    deliver(shop, "review.created", payload)
    case = Case.query.filter_by(shop_id=shop.id).order_by(Case.id.desc()).first()
    cases.change_status(agent, case.id, "resolved", actor_of(agent))
    return case, payload


def recovery_of(case):
    db.session.expire_all()
    return db.session.get(Case, case.id).recovery


def timeline(case):
    db.session.expire_all()
    return [(e.kind, e.message) for e in CaseEvent.query.filter_by(case_id=case.id).order_by(CaseEvent.id)]


@pytest.fixture
def resolved(shop_a, agent, frozen_clock):
    return resolved_case(shop_a, agent)


# --- won back --------------------------------------------------------------------------------------------------

def test_a_raised_rating_on_the_case_review_wins_the_customer_back(resolved, shop_a, frozen_clock):
    case, review = resolved
    frozen_clock.advance(days=9)
    deliver(shop_a, "review.updated", {**review, "rating": 4})
    outcome = recovery_of(case)
    assert (outcome.outcome, outcome.recovered_by, outcome.outcome_at) == ("recovered", "rating_raised",
                                                                           frozen_clock.now)
    assert outcome.evidence == "rating raised from 1★ to 4★"
    assert ("recovered", "Customer won back: rating raised from 1★ to 4★.") in timeline(case)


def test_a_raised_rating_arriving_as_a_signed_event_through_the_api_counts_too(resolved, shop_a, api, run_jobs,
                                                                              frozen_clock):
    case, review = resolved
    frozen_clock.advance(days=2)
    response = api.send(shop_a, "review.updated", {**review, "rating": 5}, occurred_at=datetime.now(timezone.utc))
    assert response.status_code == 202
    run_jobs()
    assert recovery_of(case).recovered_by == "rating_raised"


def test_an_unchanged_or_lowered_rating_wins_nobody_back(resolved, shop_a, frozen_clock):
    case, review = resolved
    frozen_clock.advance(days=1)
    deliver(shop_a, "review.updated", {**review, "review": "Still cracked, now with a photo."})
    frozen_clock.advance(days=1)
    deliver(shop_a, "review.updated", {**review, "rating": 1, "review": "Worse."})
    assert recovery_of(case).outcome == "pending"


def test_a_repeat_order_after_the_resolution_wins_the_customer_back(resolved, shop_a, frozen_clock):
    case, _ = resolved
    deliver(shop_a, "order.created", factories.order(created_at=NOW - timedelta(days=3)))  # from before: no
    assert recovery_of(case).outcome == "pending"
    frozen_clock.advance(days=20)
    pending = factories.order(order_id=7001, created_at=frozen_clock.now, status="pending")
    deliver(shop_a, "order.created", pending)
    assert recovery_of(case).outcome == "pending"  # not paid yet
    frozen_clock.advance(hours=2)
    deliver(shop_a, "order.updated", {**pending, "status": "processing",
                                      "date_modified_gmt": frozen_clock.now.strftime("%Y-%m-%dT%H:%M:%S")})
    outcome = recovery_of(case)
    assert (outcome.outcome, outcome.recovered_by) == ("recovered", "new_order")
    assert outcome.outcome_at == NOW + timedelta(days=20)  # when the order was placed
    assert outcome.evidence.startswith("new order #7001 placed 2026-12-12")


def test_our_own_replacement_order_is_not_a_repeat_order(resolved, shop_a, frozen_clock):
    case, _ = resolved
    deliver(shop_a, "order.created", factories.order(order_id=7002, created_at=NOW - timedelta(days=20)))
    original = Order.query.filter_by(shop_id=shop_a.id, remote_id=7002).one()
    db.session.add(Compensation(shop_id=shop_a.id, case_id=case.id, order_id=original.id, kind="replacement",
                                state="succeeded", idempotency_key="k-replacement", amount=25, value=25,
                                remote_id=7003))
    db.session.commit()
    frozen_clock.advance(days=1)
    deliver(shop_a, "order.created", factories.order(order_id=7003, created_at=frozen_clock.now))
    assert recovery_of(case).outcome == "pending"


def test_a_new_review_of_four_stars_or_more_wins_the_customer_back(resolved, shop_a, frozen_clock):
    case, _ = resolved
    frozen_clock.advance(days=5)
    deliver(shop_a, "review.created", factories.review(rating=3, product_id=11, created_at=frozen_clock.now,
                                                       text="It is fine."))
    deliver(shop_a, "review.created", factories.review(rating=5, product_id=12, email="someone@example.com",
                                                       created_at=frozen_clock.now, text="Lovely."))
    assert recovery_of(case).outcome == "pending"  # three stars, and someone else's five
    frozen_clock.advance(days=1)
    deliver(shop_a, "review.created", factories.review(rating=4, product_id=12, created_at=frozen_clock.now,
                                                       text="The new one works well."))
    outcome = recovery_of(case)
    assert (outcome.outcome, outcome.recovered_by, outcome.outcome_at) == ("recovered", "positive_review",
                                                                           frozen_clock.now)


def test_evidence_outside_the_window_or_after_a_reopening_counts_for_nothing(resolved, shop_a, agent, frozen_clock):
    case, _ = resolved
    frozen_clock.advance(days=91)
    deliver(shop_a, "order.created", factories.order(created_at=frozen_clock.now))
    assert recovery_of(case).outcome == "pending"
    other, _ = resolved_case(shop_a, agent, email="ada@example.com", text="Wrong colour.")
    cases.change_status(agent, other.id, "in_progress", actor_of(agent))
    frozen_clock.advance(days=1)
    deliver(shop_a, "order.created", factories.order(email="ada@example.com", created_at=frozen_clock.now))
    assert recovery_of(other).outcome == "pending"


# --- the one-click answer --------------------------------------------------------------------------------------

def test_a_satisfied_answer_confirms_and_a_later_click_changes_it(resolved, frozen_clock):
    case, _ = resolved
    rid = recovery_of(case).id
    frozen_clock.advance(days=8)
    answer = recovery.record_satisfaction(rid, 5)
    assert (answer.score, answer.language, answer.shop_name) == (5, "en", "Shop A")
    assert answer.review_url.endswith(f"#comment-{case.review.remote_id}")
    outcome = recovery_of(case)
    assert (outcome.outcome, outcome.recovered_by, outcome.satisfaction) == ("recovered", "satisfied_answer", 5)
    events = len(timeline(case))
    recovery.record_satisfaction(rid, 5)  # the same click again: nothing new
    assert len(timeline(case)) == events
    recovery.record_satisfaction(rid, 2)
    outcome = recovery_of(case)
    assert (outcome.outcome, outcome.satisfaction) == ("pending", 2)
    assert ("recovery_reverted", "The customer changed the answer to 2 of 5: no longer counted as satisfied.") \
        in timeline(case)


def test_a_later_won_back_event_upgrades_a_satisfied_answer_and_is_never_downgraded(resolved, shop_a, frozen_clock):
    case, _ = resolved
    rid = recovery_of(case).id
    frozen_clock.advance(days=8)
    recovery.record_satisfaction(rid, 4)
    frozen_clock.advance(days=10)
    deliver(shop_a, "order.created", factories.order(created_at=frozen_clock.now))
    outcome = recovery_of(case)
    assert (outcome.recovered_by, outcome.outcome_at) == ("new_order", frozen_clock.now)
    assert timeline(case)[-1][1].startswith("Customer won back (was: confirmed satisfied): new order #")
    recovery.record_satisfaction(rid, 1)
    recovery.record_satisfaction(rid, 5)
    outcome = recovery_of(case)
    assert (outcome.outcome, outcome.recovered_by, outcome.satisfaction) == ("recovered", "new_order", 5)


def test_an_answer_to_a_reopened_case_is_kept_but_decides_nothing(resolved, agent, frozen_clock):
    case, _ = resolved
    rid = recovery_of(case).id
    cases.change_status(agent, case.id, "in_progress", actor_of(agent))
    recovery.record_satisfaction(rid, 5)
    outcome = recovery_of(case)
    assert (outcome.outcome, outcome.satisfaction) == ("pending", 5)
    assert ("satisfaction", "The customer answered the follow-up: 5 of 5.") in timeline(case)


def test_an_unknown_recovery_or_score_is_refused(app):
    with pytest.raises(Invalid):
        recovery.record_satisfaction(999, 4)
    with pytest.raises(ValueError):
        recovery.record_satisfaction(1, 6)


# --- windows that end ------------------------------------------------------------------------------------------

def test_a_window_that_ends_without_evidence_is_not_recovered(resolved, shop_a, agent, frozen_clock):
    case, _ = resolved
    won, _ = resolved_case(shop_a, agent, email="ada@example.com", text="Late.")
    recovery.record_satisfaction(recovery_of(won).id, 5)
    frozen_clock.advance(days=90)
    assert recovery.expire_recoveries() == 0  # the last moment of the window still counts
    frozen_clock.advance(seconds=1)
    assert recovery.expire_recoveries() == 1
    outcome = recovery_of(case)
    assert (outcome.outcome, outcome.outcome_at) == ("not_recovered", NOW + timedelta(days=90))
    assert ("not_recovered", "Recovery window ended: no raised rating, positive review or new order within 90 "
            "days.") in timeline(case)
    assert recovery_of(won).outcome == "recovered"  # confirmed satisfied stays
    assert recovery.expire_recoveries() == 0


# --- the panel's figures ---------------------------------------------------------------------------------------

@pytest.fixture
def outcomes(shop_a, shop_b, agent, owner, frozen_clock):
    """Shop A: won back after 2 days (order), after 10 days (rating), confirmed satisfied after 4 days, not
    recovered, pending; shop B: one won back. Returns the shop A cases by name."""
    made = {}
    for name in ("order", "rating", "satisfied", "lost", "pending"):
        frozen_clock.now = NOW
        made[name] = resolved_case(shop_a, agent, email=f"{name}@example.com", text=f"Problem {name}.")
    frozen_clock.now = NOW
    resolved_case(shop_b, owner, email="b@example.com")
    deliver(shop_b, "order.created", factories.order(email="b@example.com", created_at=NOW + timedelta(days=1)))
    frozen_clock.now = NOW + timedelta(days=2)
    deliver(shop_a, "order.created", factories.order(email="order@example.com", created_at=frozen_clock.now))
    frozen_clock.now = NOW + timedelta(days=4)
    recovery.record_satisfaction(recovery_of(made["satisfied"][0]).id, 4)
    frozen_clock.now = NOW + timedelta(days=10)
    deliver(shop_a, "review.updated", {**made["rating"][1], "rating": 3})
    lost = recovery_of(made["lost"][0])
    lost.outcome, lost.outcome_at = "not_recovered", lost.window_ends_at
    db.session.commit()
    return {name: case for name, (case, _) in made.items()}


def test_the_stats_count_outcomes_rates_and_median_time_in_the_users_shops(outcomes, agent, outsider):
    stats = recovery_stats(agent)
    assert (stats.resolved, stats.pending, stats.recovered, stats.not_recovered) == (5, 1, 3, 1)
    assert (stats.won_back, stats.confirmed_satisfied) == (2, 1)
    assert stats.by_evidence == {"new_order": 1, "rating_raised": 1, "satisfied_answer": 1}
    assert stats.rate_of_decided == 0.75 and stats.rate_of_resolved == 0.6
    assert stats.median_hours_to_recovery == 96.0  # 2, 4 and 10 days
    assert stats.median_hours_to_win_back == 144.0  # 2 and 10 days: the mean of the middle two
    assert (stats.answers, stats.average_satisfaction) == (1, 4.0)
    assert recovery_stats(outsider).resolved == 1  # shop B only
    assert recovery_stats([]).resolved == 0 and recovery_stats([]).rate_of_decided is None


def test_the_stats_leave_out_reopened_cases_and_older_resolutions(outcomes, shop_a, agent, frozen_clock):
    cases.change_status(agent, outcomes["pending"].id, "in_progress", actor_of(agent))
    assert recovery_stats(shop_a.id).resolved == 4
    assert recovery_stats(shop_a.id, since=NOW + timedelta(seconds=1)).resolved == 0


def test_the_resolved_customers_list_shows_each_outcome_and_its_emails(outcomes, agent):
    page = resolved_customers(agent)
    assert page.total == 5 and len(page.items) == 5
    by_email = {row.customer_email: row for row in page.items}
    won = by_email["order@example.com"]
    assert (won.outcome, won.recovered_by, won.strength) == ("recovered", "new_order", "won back")
    assert won.outcome_at == NOW + timedelta(days=2) and won.resolved_at == NOW
    assert won.follow_up.status == "scheduled" and won.follow_up.due_at == NOW + timedelta(days=7)
    assert won.reminder.due_at == NOW + timedelta(days=12)
    satisfied = by_email["satisfied@example.com"]
    assert (satisfied.strength, satisfied.satisfaction) == ("confirmed satisfied", 4)
    assert [row.customer_email for row in resolved_customers(agent, outcome="won_back").items] == [
        "rating@example.com", "order@example.com"]  # newest resolution first; equal times: newest case first
    assert resolved_customers(agent, outcome="satisfied").total == 1
    assert resolved_customers(agent, outcome="not_recovered").total == 1
    with pytest.raises(Invalid) as error:
        resolved_customers(agent, outcome="maybe")
    assert error.value.field == "outcome"


def test_the_recovery_module_offers_the_panel_figures_too(outcomes, agent):
    assert recovery.recovery_stats(agent).resolved == 5
    assert recovery.resolved_customers(agent, page=2).items == []
    assert isinstance(recovery_of(outcomes["order"]), Recovery)
