"""The widget's numbers (services.summary) against the real database: open and overdue cases by the inbox's own
overdue rule, and negative reviews of the last 7 days by the shop's own case rule."""
from datetime import timedelta

import pytest

from crisisdesk.domain.actor import CLI
from crisisdesk.models import Case, Review
from crisisdesk.services import cases, formal_complaint, summary
from tests import factories

NEGATIVE_TEXT = "Terrible, it arrived broken and late. Very disappointed."
POSITIVE_TEXT = "Great, works fine, thank you."
NEUTRAL_TEXT = "It is a gadget."


def review(shop, ago, rating, text="Arrived broken.", status="approved", frozen=None, review_id=None):
    """Deliver a review written `ago` before the frozen now; returns its Review row."""
    payload = factories.review(review_id=review_id, rating=rating, text=text, status=status,
                               created_at=frozen.now - ago)
    factories.deliver(shop, "review.created", payload)
    return Review.query.filter_by(shop_id=shop.id, remote_id=payload["id"]).one()


def case_of(row):
    return Case.query.filter_by(review_id=row.id).one()


def test_it_counts_open_and_overdue_cases_and_the_negative_reviews_of_the_last_seven_days(app, shop_a, owner,
                                                                                          frozen_clock):
    def at(ago, rating, text="Arrived broken.", status="approved"):
        return review(shop_a, ago, rating, text, status, frozen=frozen_clock)

    at(timedelta(days=2), 1)  # open, due a day ago: overdue; negative
    at(timedelta(hours=1), 2)  # open, due tomorrow; negative
    at(timedelta(days=3), 3, NEGATIVE_TEXT)  # 3★ with negative text: a case, overdue; negative
    at(timedelta(days=1), 3, POSITIVE_TEXT)  # no case; not negative
    at(timedelta(days=1), 5, POSITIVE_TEXT)  # no case; not negative
    at(timedelta(days=8), 1)  # open and overdue, but written before the 7 days
    at(timedelta(days=1), 1, status="spam")  # spam opens no case and is no customer's review
    resolved = at(timedelta(days=1), 1)  # negative, but its case is resolved: not open
    cases.change_status(owner, case_of(resolved).id, "resolved", CLI)
    answered = at(timedelta(days=3), 2)  # open, answered by phone: the public apology (48 h) is late, overdue
    cases.add_note(owner, case_of(answered).id, "Called the customer", CLI, customer_contacted=True)
    answered_today = at(timedelta(hours=5), 1)  # open, answered: every clock on time
    cases.add_note(owner, case_of(answered_today).id, "Called the customer", CLI, customer_contacted=True)

    result = summary.widget_summary(shop_a)

    assert (result.open_cases, result.overdue_cases, result.negative_reviews_7d, result.alerts) == (6, 4, 6, [])


def test_it_counts_only_the_shops_own_cases_and_reviews(app, shop_a, shop_b, frozen_clock):
    review(shop_b, timedelta(days=2), 1, frozen=frozen_clock)
    review(shop_b, timedelta(days=2), 3, NEGATIVE_TEXT, frozen=frozen_clock)

    assert summary.widget_summary(shop_a) == summary.WidgetSummary(0, 0, 0, [])
    assert summary.widget_summary(shop_b) == summary.WidgetSummary(2, 2, 2, [])


def test_it_follows_the_shops_own_thresholds(app, frozen_clock):
    strict = factories.make_shop("Strict", case_max_rating=3)  # 3★ opens a case on its own
    lenient = factories.make_shop("Lenient", case_max_rating=1, negative_text_max_rating=2)
    for shop in (strict, lenient):
        review(shop, timedelta(days=1), 3, POSITIVE_TEXT, frozen=frozen_clock)
        review(shop, timedelta(days=1), 2, NEUTRAL_TEXT, frozen=frozen_clock)
        review(shop, timedelta(days=1), 2, NEGATIVE_TEXT, frozen=frozen_clock)
        review(shop, timedelta(days=1), 0, NEGATIVE_TEXT, frozen=frozen_clock)  # no stars, negative text

    # Strict: the 3★ and both 2★ count by rating alone, the unrated one by its text.
    assert summary.widget_summary(strict).negative_reviews_7d == 4
    # Lenient: only 1★ counts alone; 2★ and unrated count when the text is negative; 3★ never.
    assert summary.widget_summary(lenient).negative_reviews_7d == 2


def test_it_stops_counting_a_three_star_review_once_its_text_is_edited_to_positive(app, shop_a, frozen_clock):
    written = frozen_clock.now - timedelta(days=1)
    payload = factories.review(rating=3, text=NEGATIVE_TEXT, created_at=written)
    factories.deliver(shop_a, "review.created", payload, occurred_at=written)
    assert summary.widget_summary(shop_a).negative_reviews_7d == 1

    factories.deliver(shop_a, "review.updated", dict(payload, review=POSITIVE_TEXT), occurred_at=frozen_clock.now)

    assert summary.widget_summary(shop_a).negative_reviews_7d == 0
    assert summary.widget_summary(shop_a).open_cases == 1  # the case itself stays open for the agent


def test_it_counts_a_review_written_exactly_seven_days_ago_and_not_one_a_second_older(app, shop_a, frozen_clock):
    review(shop_a, timedelta(days=7), 1, frozen=frozen_clock)
    review(shop_a, timedelta(days=7, seconds=1), 1, frozen=frozen_clock)

    assert summary.widget_summary(shop_a).negative_reviews_7d == 1


def test_it_finds_the_same_overdue_cases_in_sql_as_the_case_page_does_one_by_one(app, shop_a, owner, frozen_clock):
    for hours in (1, 23, 25, 72):
        review(shop_a, timedelta(hours=hours), 1, frozen=frozen_clock)
    answered = review(shop_a, timedelta(hours=30), 2, frozen=frozen_clock)
    cases.add_note(owner, case_of(answered).id, "Phoned", CLI, customer_contacted=True)
    closed = review(shop_a, timedelta(hours=40), 1, frozen=frozen_clock)
    cases.change_status(owner, case_of(closed).id, "closed", CLI)
    formal = review(shop_a, timedelta(hours=3), 1, frozen=frozen_clock)
    cases.add_note(owner, case_of(formal).id, "Phoned", CLI, customer_contacted=True)
    formal_complaint.mark_formal_complaint(owner, case_of(formal).id, CLI)

    # Past the apology (48 h), the update (72 h) and the statutory answer (14 days): every clock in SQL too.
    for moment in (frozen_clock.now, frozen_clock.now + timedelta(hours=2), frozen_clock.now + timedelta(days=2),
                   frozen_clock.now + timedelta(days=4), frozen_clock.now + timedelta(days=15)):
        one_by_one = {c.id for c in Case.query.all() if c.is_overdue(moment)}
        in_sql = {c.id for c in Case.query.filter(Case.overdue_at(moment)).all()}
        assert in_sql == one_by_one
    assert len({c.id for c in Case.query.filter(Case.overdue_at(frozen_clock.now))}) == 2


def test_it_lists_the_shops_open_crisis_alerts_newest_first_in_two_queries_in_all(app, shop_a, shop_b, owner,
                                                                                  frozen_clock):
    from sqlalchemy import event

    from crisisdesk.domain.actor import Actor
    from crisisdesk.extensions import db
    from crisisdesk.models import CrisisAlert
    from crisisdesk.services import crisis_alerts
    from tests.services.test_crisis_alerts import KETTLE, TOASTER, quiet_history, spike

    for shop in (shop_a, shop_b):
        quiet_history(shop, frozen_clock.now)
        spike(shop, frozen_clock.now, 4, product=KETTLE)
    crisis_alerts.detect()
    frozen_clock.advance(minutes=15)
    spike(shop_a, frozen_clock.now, 4, product=TOASTER, start_hours=1)
    crisis_alerts.detect()  # the Toaster, and now the whole shop A (8 in a day)
    acknowledged = CrisisAlert.query.filter_by(shop_id=shop_a.id, scope="shop").one()
    crisis_alerts.acknowledge(owner, acknowledged.id, Actor(label=owner.email, user_id=owner.id))
    shop_a.name  # load the shop as the API has it: found by the signature check
    statements = []

    def count(_conn, _cursor, statement, *_):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        result = summary.widget_summary(shop_a)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)

    assert len(statements) == 2, statements
    assert [(a.scope, a.product_name, a.observed) for a in result.alerts] == [("product", "Toaster", 4),
                                                                              ("product", "Kettle", 4)]
    toaster = result.alerts[0]
    assert toaster.since == frozen_clock.now and toaster.dominant_cause == "late_delivery"
    assert toaster.expected == pytest.approx(0.5 / 29)
    assert (result.negative_reviews_7d, result.open_cases) == (8, 12)  # the two spikes; the history's 4 are older
