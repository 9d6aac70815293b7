"""The dashboard's figures on a known data set: every number below can be checked by hand.

Shop A, period 2026-09-01 – 2026-11-30 (the clock stands at 2026-11-22 12:00 UTC):
  cases (rating, opened, first response after h, resolved after h, cause, product):
    c1 1★ 09-10 10:00  1  10 late     P10      c5 2★ 11-15 10:00 30   –  damaged  P12
    c2 2★ 11-02 10:00  2  20 late     P10      c6 1★ 11-22 10:00  –   –  damaged  P11  (2 h old)
    c3 1★ 11-05 10:00  3  40 late     P11      c7 1★ 11-20 06:00  –   –  late     P12  (54 h, overdue)
    c4 1★ 11-10 10:00 10  80 late     P10
  positive and neutral reviews: Sept 3×5★, Oct 2×4★ + 1×3★, Nov 1×5★.
  the previous period (2026-06-02 – 2026-08-31): p1 1★ 07-01 (5 h, resolved 50 h, late, P10),
  p2 2★ 08-01 (7 h, other, P13).
Shop B has one case in the period (security_or_fraud, its own product 10).
"""
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from crisisdesk.demo.payloads import review_payload
from crisisdesk.domain.errors import Invalid, NotFound
from crisisdesk.domain.periods import Period, custom_period, preset_period
from crisisdesk.extensions import db
from crisisdesk.models import Case, Compensation, Order, Recovery, Review
from crisisdesk.services import dashboard as service
from tests import factories

PERIOD = Period(date(2026, 9, 1), date(2026, 11, 30))
PRODUCTS = {10: "Kettle", 11: "Lamp", 12: "Grinder", 13: "Mug"}
_ids = iter(range(7000, 8000))


def at(month, day, hour=10):
    return datetime(2026, month, day, hour, 0, tzinfo=timezone.utc)


def review(shop, rating, written, product=10, text="Arrived broken and late, very bad."):
    data = review_payload(next(_ids), product, PRODUCTS[product], "Grace Hopper", f"g{next(_ids)}@example.com",
                          text, rating, written)
    factories.deliver(shop, "review.created", data, written)
    return Review.query.filter_by(shop_id=shop.id, remote_id=data["id"]).one()


def case_for(shop, rating, written, product, cause, responded=None, resolved=None):
    """A case opened by a real review event, then given the times and cause of the table above."""
    found = Case.query.filter_by(review_id=review(shop, rating, written, product).id).one()
    found.cause, found.causes = cause, [cause]
    if responded is not None:
        found.first_responded_at = written + timedelta(hours=responded)
    if resolved is not None:
        found.resolved_at, found.status = written + timedelta(hours=resolved), "resolved"
    db.session.commit()
    return found


@pytest.fixture
def data_set(frozen_clock, shop_a, shop_b):
    cases = {
        "c1": case_for(shop_a, 1, at(9, 10), 10, "late_delivery", 1, 10),
        "c2": case_for(shop_a, 2, at(11, 2), 10, "late_delivery", 2, 20),
        "c3": case_for(shop_a, 1, at(11, 5), 11, "late_delivery", 3, 40),
        "c4": case_for(shop_a, 1, at(11, 10), 10, "late_delivery", 10, 80),
        "c5": case_for(shop_a, 2, at(11, 15), 12, "damaged_or_defective", 30),
        "c6": case_for(shop_a, 1, at(11, 22), 11, "damaged_or_defective"),
        "c7": case_for(shop_a, 1, at(11, 20, 6), 12, "late_delivery"),
        "p1": case_for(shop_a, 1, at(7, 1), 10, "late_delivery", 5, 50),
        "p2": case_for(shop_a, 2, at(8, 1), 13, "other", 7),
        "b1": case_for(shop_b, 1, at(11, 3), 10, "security_or_fraud", 1, 2),
    }
    for day in (3, 12, 20):
        review(shop_a, 5, at(9, day), text="Lovely, thank you!")
    review(shop_a, 4, at(10, 4), text="Nice, works well.")
    review(shop_a, 4, at(10, 8), text="Nice, works well.")
    review(shop_a, 3, at(10, 9), text="Good.")
    review(shop_a, 5, at(11, 1), text="Lovely, thank you!")
    review(shop_a, 5, at(12, 1), text="Lovely, thank you!")  # after the period: counts nowhere here
    _recoveries(cases)
    _compensations(shop_a, shop_b, cases)
    return cases


def _recoveries(cases):
    outcomes = {"c1": "recovered", "c2": "not_recovered", "c3": "recovered", "c4": "pending", "p1": "not_recovered",
                "b1": "recovered"}
    for key, outcome in outcomes.items():
        found = cases[key]
        db.session.add(Recovery(shop_id=found.shop_id, case_id=found.id, resolved_at=found.resolved_at,
                                window_ends_at=found.resolved_at + timedelta(days=90), outcome=outcome,
                                outcome_at=found.resolved_at + timedelta(days=3) if outcome == "recovered" else None,
                                recovered_by="new_order" if outcome == "recovered" else None))
    db.session.commit()


def _compensations(shop_a, shop_b, cases):
    orders = {}
    for shop in (shop_a, shop_b):
        payload = factories.order(email=f"buyer@{shop.id}.example", items=[(next(_ids), 99, "Gift box", 1, 300.0)])
        factories.deliver(shop, "order.created", payload)
        orders[shop.id] = Order.query.filter_by(shop_id=shop.id, remote_id=payload["id"]).one()
    rows = [(shop_a, "c1", "refund", "succeeded", "50.00", at(9, 11)), (shop_a, "c2", "refund", "succeeded",
            "25.50", at(11, 3)), (shop_a, "c3", "coupon", "succeeded", "20.00", at(11, 6)),
            (shop_a, "c4", "refund", "failed", "999.00", at(11, 11)),
            (shop_a, "c5", "refund", "awaiting_approval", "500.00", None),
            (shop_a, "p1", "refund", "succeeded", "30.00", at(7, 2)),
            (shop_b, "b1", "refund", "succeeded", "70.00", at(11, 4))]
    for shop, key, kind, state, value, finished in rows:
        db.session.add(Compensation(shop_id=shop.id, case_id=cases[key].id, order_id=orders[shop.id].id, kind=kind,
                                    state=state, idempotency_key=f"dash-{key}", amount=Decimal(value),
                                    value=Decimal(value), currency="PLN", finished_at=finished))
    db.session.commit()


def test_it_reports_response_times_as_median_and_90th_percentile(data_set, viewer):
    figures = service.dashboard(viewer, PERIOD).current
    assert figures.cases_opened == 7
    assert figures.first_response_median_hours == 3.0  # of 1, 2, 3, 10, 30
    assert figures.first_response_p90_hours == 30.0  # the 5th of 5 (nearest rank)
    assert figures.resolved == 4
    assert figures.resolution_median_hours == 30.0  # (20 + 40) / 2
    assert figures.resolution_p90_hours == 80.0


def test_it_counts_answered_within_24_hours_only_among_cases_whose_day_is_over(data_set, viewer):
    figures = service.dashboard(viewer, PERIOD).current
    # c1–c4 answered in time; c5 (30 h) and c7 (54 h, unanswered) late; c6 is 2 h old and not counted yet.
    assert (figures.answered_within_24h, figures.answer_due) == (4, 6)
    assert figures.share_within_24h == pytest.approx(0.6667)


def test_it_reports_open_and_overdue_cases_now_and_the_recovery_rate_of_the_period(data_set, viewer):
    result = service.dashboard(viewer, PERIOD)
    # Now, whatever the period: c5, c6, c7 and p2 are open. c7 is unanswered past its due time; c5 and p2 were
    # answered, but never publicly, and their apology (48 h) is late; c6 (2 h old) is on time.
    assert (result.open_cases, result.overdue_cases) == (4, 3)
    assert (result.current.recovered, result.current.recovery_decided) == (2, 3)  # c4 still pending
    assert result.current.recovery_rate == pytest.approx(0.6667)


def test_it_counts_reviews_per_month_by_rating_class_with_the_average(data_set, viewer):
    monthly = service.dashboard(viewer, PERIOD).monthly
    assert [(m.month, m.positive, m.neutral, m.negative, m.total, m.average_rating) for m in monthly] == [
        (date(2026, 9, 1), 3, 0, 1, 4, 4.0),
        (date(2026, 10, 1), 2, 1, 0, 3, 3.67),
        (date(2026, 11, 1), 1, 0, 6, 7, 1.86),  # 5 + 2 + 1 + 1 + 2 + 1 + 1 = 13 over 7
    ]
    figures = service.dashboard(viewer, PERIOD).current
    assert (figures.reviews, figures.negative_reviews, figures.average_rating) == (14, 7, 2.86)


def test_it_compares_every_figure_with_the_period_just_before(data_set, viewer):
    result = service.dashboard(viewer, PERIOD)
    assert result.previous_period == Period(date(2026, 6, 2), date(2026, 8, 31))
    previous = result.previous
    assert (previous.cases_opened, previous.first_response_median_hours, previous.first_response_p90_hours) == (2, 6.0,
                                                                                                                 7.0)
    assert (previous.resolved, previous.resolution_median_hours) == (1, 50.0)
    assert (previous.recovered, previous.recovery_decided, previous.recovery_rate) == (0, 1, 0.0)
    assert (previous.reviews, previous.negative_reviews) == (2, 2)


def test_it_ranks_the_main_causes_and_the_products_by_negative_reviews_with_their_trend(data_set, viewer):
    result = service.dashboard(viewer, PERIOD)
    assert [(c.key, c.label, c.count, c.previous) for c in result.causes] == [
        ("late_delivery", "Late or lost delivery", 5, 1), ("damaged_or_defective", "Damaged or defective product", 2, 0)]
    assert [(p.label, p.count, p.previous) for p in result.products] == [("Kettle", 3, 1), ("Grinder", 2, 0),
                                                                          ("Lamp", 2, 0)]


def test_it_sums_only_compensation_that_was_carried_out(data_set, viewer):
    spent = service.dashboard(viewer, PERIOD).compensation
    assert [(s.kind, s.currency, s.count, s.total, s.previous_total) for s in spent] == [
        ("coupon", "PLN", 1, Decimal("20.00"), 0), ("refund", "PLN", 2, Decimal("75.50"), Decimal("30.00"))]


def test_it_shows_an_owner_every_shop_and_one_shop_on_request(data_set, owner, shop_b):
    everything = service.dashboard(owner, PERIOD)
    assert everything.shop is None and everything.current.cases_opened == 8
    assert ("security_or_fraud", 1) in [(c.key, c.count) for c in everything.causes]
    assert [(s.kind, s.total) for s in everything.compensation] == [("coupon", Decimal("20.00")),
                                                                     ("refund", Decimal("145.50"))]
    assert everything.current.recovery_decided == 4
    only_b = service.dashboard(owner, PERIOD, shop_b.id)
    assert only_b.shop == shop_b and only_b.current.cases_opened == 1
    assert [c.key for c in only_b.causes] == ["security_or_fraud"]


def test_it_never_shows_a_user_of_one_shop_another_shops_numbers(data_set, viewer, outsider, shop_a):
    mine = service.dashboard(outsider, PERIOD)
    assert mine.current.cases_opened == 1 and [c.key for c in mine.causes] == ["security_or_fraud"]
    assert [(s.total,) for s in mine.compensation] == [(Decimal("70.00"),)]
    assert mine.open_cases == 0 and sum(m.total for m in mine.monthly) == 1
    with pytest.raises(NotFound):
        service.dashboard(outsider, PERIOD, shop_a.id)
    assert "security_or_fraud" not in [c.key for c in service.dashboard(viewer, PERIOD).causes]


def test_it_gives_empty_figures_for_a_period_without_data(data_set, viewer):
    empty = service.dashboard(viewer, Period(date(2025, 1, 1), date(2025, 1, 31)))
    figures = empty.current
    assert (figures.cases_opened, figures.first_response_median_hours, figures.share_within_24h,
            figures.recovery_rate, figures.average_rating) == (0, None, None, None, None)
    assert [(m.month, m.total, m.average_rating) for m in empty.monthly] == [(date(2025, 1, 1), 0, None)]
    assert empty.causes == [] and empty.products == [] and empty.compensation == []


def test_it_builds_preset_and_custom_periods_with_their_previous_period():
    today = date(2026, 11, 22)
    assert preset_period("30d", today) == Period(date(2026, 10, 24), today)
    assert preset_period("30d", today).previous() == Period(date(2026, 9, 24), date(2026, 10, 23))
    assert preset_period("12m", today).days == 365
    assert Period(date(2026, 1, 31), date(2026, 3, 1)).months() == [date(2026, 1, 1), date(2026, 2, 1),
                                                                    date(2026, 3, 1)]
    with pytest.raises(Invalid):
        custom_period(date(2026, 2, 1), date(2026, 1, 1))
    with pytest.raises(Invalid):
        custom_period(date(2020, 1, 1), date(2026, 1, 1))
    with pytest.raises(Invalid):
        preset_period("7y", today)
