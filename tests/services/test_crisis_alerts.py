"""Crisis alerts (services.crisis_alerts) on the real database, reviews delivered through the real ingest path.

The frozen now is 2026-11-22 12:00 UTC. Each shop gets a quiet history first: positive reviews over
the last five weeks and one negative review of the Kettle (product 10) a week in the baseline."""
import threading
from datetime import timedelta

import pytest

from crisisdesk.domain.actor import Actor
from crisisdesk.domain.errors import Conflict, Forbidden, NotFound
from crisisdesk.extensions import db
from crisisdesk.models import AuditEntry, Case, CrisisAlert, OutboxEmail, Review
from crisisdesk.services import crisis_alerts
from tests import factories

KETTLE, TOASTER = 10, 20
LATE = "The parcel came two weeks late, delivery was a disaster."
BROKEN = "Arrived broken, the handle snapped off."
PRAISE = "Lovely, works perfectly, thank you."


def write(shop, now, ago, rating=1, text=BROKEN, product=KETTLE, name=None):
    payload = factories.review(product_id=product, rating=rating, text=text, created_at=now - ago)
    payload["product_name"] = name or {KETTLE: "Kettle", TOASTER: "Toaster"}.get(product, "Lab Gadget")
    factories.deliver(shop, "review.created", payload, occurred_at=now - ago)
    return Review.query.filter_by(shop_id=shop.id, remote_id=payload["id"]).one()


def quiet_history(shop, now):
    for day in range(2, 36, 3):
        write(shop, now, timedelta(days=day), rating=5, text=PRAISE, product=TOASTER)
    for week in (1, 2, 3, 4):
        write(shop, now, timedelta(days=7 * week, hours=5), rating=2)


def spike(shop, now, count, product=KETTLE, text=LATE, start_hours=20):
    """`count` negative reviews spread over the hours before now."""
    return [write(shop, now, timedelta(hours=start_hours * (i + 1) / (count + 1)), text=text, product=product)
            for i in range(count)]


def alerts():
    db.session.expire_all()
    return CrisisAlert.query.order_by(CrisisAlert.id).all()


def owner_emails():
    return OutboxEmail.query.filter_by(kind="crisis_alert").order_by(OutboxEmail.id).all()


@pytest.fixture
def history(app, shop_a, frozen_clock):
    quiet_history(shop_a, frozen_clock.now)
    return shop_a


def test_it_raises_exactly_one_alert_and_one_owner_email_for_an_injected_spike_when_run_twice(history, owner,
                                                                                              frozen_clock):
    reviews = spike(history, frozen_clock.now, 4)

    first = crisis_alerts.detect()
    second = crisis_alerts.detect()

    assert (first.created, first.emails, second.created, second.updated, second.emails) == (1, 1, 0, 1, 0)
    [alert] = alerts()
    assert (alert.scope, alert.product.name, alert.observed, alert.status) == ("product", "Kettle", 4, "open")
    assert alert.expected == pytest.approx(4.5 / 29)
    assert alert.p_value < 1e-4
    assert sorted(alert.review_ids) == sorted(r.id for r in reviews)
    assert alert.cause_counts == {"late_delivery": 4} and alert.dominant_cause == "late_delivery"
    assert "p < 0.001" in alert.rule and alert.emailed_at == frozen_clock.now
    [email] = owner_emails()
    assert (email.to_email, email.language, email.case_id) == (owner.email, "en", None)
    assert email.idempotency_key == f"crisis:{alert.id}:u{owner.id}"


def test_it_raises_nothing_for_a_quiet_shop_or_a_few_scattered_complaints(history, owner, frozen_clock):
    spike(history, frozen_clock.now, 2)  # two on one product
    write(history, frozen_clock.now, timedelta(hours=3), product=TOASTER)  # one elsewhere: 3 shop-wide

    assert crisis_alerts.detect().created == 0
    assert alerts() == [] and owner_emails() == []


def test_it_alerts_shop_wide_when_complaints_spread_over_products_rise_together(history, owner, frozen_clock):
    for remote_product in (31, 32, 33, 34, 35, 36):
        write(history, frozen_clock.now, timedelta(hours=remote_product - 25), text=LATE, product=remote_product)
    write(history, frozen_clock.now, timedelta(hours=2), text=BROKEN, product=37)

    crisis_alerts.detect()

    [alert] = alerts()  # no product has 3, the shop has 7 against a baseline of 4 in 28 days
    assert (alert.scope, alert.product_id, alert.observed) == ("shop", None, 7)
    assert alert.cause_counts == {"late_delivery": 6, "damaged_or_defective": 1}
    assert alert.dominant_cause == "late_delivery"
    assert len(owner_emails()) == 1


def test_it_raises_a_product_alert_and_a_shop_alert_when_one_product_carries_the_wave(history, owner, frozen_clock):
    spike(history, frozen_clock.now, 6)

    crisis_alerts.detect()

    assert sorted((a.scope, a.observed) for a in alerts()) == [("product", 6), ("shop", 6)]
    assert len(owner_emails()) == 2  # one per alert


def test_it_counts_by_the_shops_own_negative_rule_and_ignores_spam_and_other_shops(app, history, shop_b, owner,
                                                                                   frozen_clock):
    now = frozen_clock.now
    for hours in (2, 4, 6):
        write(history, now, timedelta(hours=hours), rating=3, text=PRAISE)  # 3★, kind words: not negative
        write(shop_b, now, timedelta(hours=hours))  # shop B has no history: 3 is not enough there
    spam = factories.review(product_id=KETTLE, rating=1, text=LATE, created_at=now - timedelta(hours=1),
                            status="spam")
    factories.deliver(history, "review.created", spam)

    assert crisis_alerts.detect().created == 0


def test_it_emails_every_owner_of_the_shop_once_and_not_the_agents(history, owner, agent, frozen_clock):
    second_owner = factories.make_user("second.owner@crisisdesk.example", "owner", shops=[history])
    spike(history, frozen_clock.now, 4)

    crisis_alerts.detect()
    crisis_alerts.detect()

    # Owners who belong to the shop are its owners; the first owner (no shop listed) is then left out.
    assert [e.to_email for e in owner_emails()] == [second_owner.email]


def test_it_raises_one_alert_when_two_runs_detect_the_same_spike_at_once(app, history, owner, frozen_clock):
    spike(history, frozen_clock.now, 4)
    db.session.remove()
    start, errors = threading.Barrier(4), []

    def run():
        with app.app_context():
            start.wait()
            try:
                crisis_alerts.detect()
            except Exception as error:  # pragma: no cover - reported below
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(alerts()) == 1 and len(owner_emails()) == 1


def test_it_updates_the_open_alerts_evidence_as_the_spike_goes_on(history, owner, frozen_clock):
    first_wave = spike(history, frozen_clock.now, 4)
    crisis_alerts.detect()
    frozen_clock.advance(hours=6)
    later = spike(history, frozen_clock.now, 2, text=BROKEN, start_hours=4)

    result = crisis_alerts.detect()

    # The Kettle's alert is refreshed; with 6 the shop as a whole now crosses its own floor of 5 too.
    assert [(a.scope, a.status) for a in alerts()] == [("product", "open"), ("shop", "open")]
    assert (result.created, result.updated) == (1, 1)
    alert = alerts()[0]
    assert alert.observed == 6 and alert.window_end == frozen_clock.now
    assert alert.window_start == frozen_clock.now - timedelta(hours=30)  # the episode's first window
    assert sorted(alert.review_ids) == sorted(r.id for r in first_wave + later)
    assert alert.cause_counts == {"late_delivery": 4, "damaged_or_defective": 2}
    assert len(owner_emails()) == 2  # the Kettle's once, the new shop-wide alert's once


def product_alerts():
    return [a for a in alerts() if a.scope == "product"]


def test_it_does_not_re_alert_an_acknowledged_spike_within_a_day_but_does_after(history, owner, frozen_clock):
    spike(history, frozen_clock.now, 4)
    crisis_alerts.detect()
    [alert] = alerts()
    crisis_alerts.acknowledge(owner, alert.id, Actor(label=owner.email, user_id=owner.id), "On it.")
    frozen_clock.advance(hours=12)
    spike(history, frozen_clock.now, 4, start_hours=10)

    crisis_alerts.detect()
    assert [a.status for a in product_alerts()] == ["acknowledged"]  # still spiking, acknowledged 12 h ago

    frozen_clock.advance(hours=13)
    spike(history, frozen_clock.now, 4, start_hours=10)
    crisis_alerts.detect()
    # A day after the acknowledgement the Kettle's last 24 h are still a spike: a new alert, a new email.
    assert [a.status for a in product_alerts()] == ["acknowledged", "open"]
    assert [e.idempotency_key for e in owner_emails()].count(f"crisis:{product_alerts()[1].id}:u{owner.id}") == 1


def test_it_acknowledges_once_with_an_audit_entry_and_tells_the_second_person_who_did(history, owner, agent,
                                                                                      frozen_clock):
    spike(history, frozen_clock.now, 4)
    crisis_alerts.detect()
    [alert] = alerts()

    done = crisis_alerts.acknowledge(agent, alert.id, Actor(label=agent.email, user_id=agent.id), " Courier fixed. ")

    assert (done.status, done.acknowledged_by_id, done.acknowledged_at) == ("acknowledged", agent.id,
                                                                            frozen_clock.now)
    assert done.acknowledgement_note == "Courier fixed."
    entry = AuditEntry.query.filter_by(action="crisis_alert.acknowledged").one()
    assert (entry.target_type, entry.target_id, entry.shop_id, entry.actor_id) == ("crisis_alert", alert.id,
                                                                                   history.id, agent.id)
    assert crisis_alerts.open_alerts(history) == [] and crisis_alerts.open_alerts(owner) == []
    with pytest.raises(Conflict, match="already acknowledged by"):
        crisis_alerts.acknowledge(owner, alert.id, Actor(label=owner.email, user_id=owner.id))


def test_it_lets_a_viewer_see_but_not_acknowledge_and_hides_alerts_from_other_shops(history, viewer, outsider,
                                                                                    frozen_clock):
    spike(history, frozen_clock.now, 4)
    crisis_alerts.detect()
    [alert] = alerts()

    assert crisis_alerts.open_alerts(viewer) == [alert] and crisis_alerts.open_alerts(outsider) == []
    with pytest.raises(Forbidden):
        crisis_alerts.acknowledge(viewer, alert.id, Actor(label=viewer.email, user_id=viewer.id))
    with pytest.raises(NotFound):
        crisis_alerts.acknowledge(outsider, alert.id, Actor(label=outsider.email, user_id=outsider.id))
    assert alerts()[0].status == "open"


def test_it_links_the_evidence_to_the_reviews_cases(history, owner, frozen_clock):
    reviews = spike(history, frozen_clock.now, 3)
    crisis_alerts.detect()
    [alert] = alerts()

    assert {Case.query.filter_by(review_id=review_id).one().review_id for review_id in alert.review_ids} == {
        r.id for r in reviews}
