"""The shop's retention period: the daily job, through RQ's worker, on the real database, with time frozen.

Shop A keeps cases 12 months; the clock stands at 2026-11-22 12:00, so cases that ended before 2025-11-22 12:00
are due. Its cases, one customer each:
  Grace  closed 2025-05-02 (resolved 2025-01-12, recovery decided)  → anonymised
  Rita   resolved 2025-03-01, recovery decided                       → anonymised
  Paula  resolved 2025-10-01, recovery still pending                 → kept (the window is not over)
  Olga   opened 2025-01-05 and still in progress                     → kept (open cases never)
  Nina   closed 2026-10-01                                           → kept (not old enough)
Shop B keeps everything (no period) and has its own old closed case of Grace's.
"""
import json
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from sqlalchemy import select

from crisisdesk.domain.actor import Actor
from crisisdesk.domain.events import ORDER_TYPES
from crisisdesk.domain.periods import Period
from crisisdesk.extensions import db
from crisisdesk.jobs import PERIODIC_QUEUE, queue
from crisisdesk.jobs.schedule import PERIODIC_JOBS
from crisisdesk.models import AuditEntry, Case, CaseReply, Compensation, Customer, OutboxEmail
from crisisdesk.services import cases as case_service
from crisisdesk.services import dashboard, outbox, recovery
from tests import factories

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=timezone.utc)
EVERYTHING = Period(date(2024, 12, 1), date(2026, 11, 22))  # every case and review above, for the dashboard
ANONYMISED = {"Grace": ["grace@example.com", "Grace", "Hopper"], "Rita": ["rita@example.com", "Rita", "Hayworth"]}


def at(year, month, day):
    return datetime(year, month, day, 10, 0, tzinfo=timezone.utc)


def complaint(shop, clock, when, email, first, last, text):
    """A customer's order and 1★ review written at `when`: the review opens a case linked to the order."""
    clock.now = when
    order = factories.order(email=email, created_at=when - timedelta(days=5))
    order["billing"].update(first_name=first, last_name=last)
    factories.deliver(shop, "order.created", order, when - timedelta(days=5))
    review = dict(factories.review(email=email, text=text, created_at=when), reviewer=f"{first} {last}")
    factories.deliver(shop, "review.created", review, when)
    return Case.query.filter(Case.shop_id == shop.id, Case.summary == text).one()


def move(case, agent, clock, when, status):
    clock.now = when
    case_service.change_status(agent, case.id, status, Actor(label=agent.email, user_id=agent.id))


def worked_on(case, agent, name):
    """What an agent leaves on a case: a note, a posted public reply, a compensation carried out, an email."""
    by_agent = Actor(label=agent.email, user_id=agent.id)
    case_service.add_note(agent, case.id, f"Called {name} twice; {name} wants a refund", by_agent,
                          customer_contacted=True)
    db.session.add(CaseReply(shop_id=case.shop_id, case_id=case.id, channel="public", language="en",
                             content=f"Dear {name}, we are sorry: a new kettle is on its way.",
                             idempotency_key=f"retention-{case.id}", status="posted", delivered_at=case.opened_at))
    db.session.add(Compensation(shop_id=case.shop_id, case_id=case.id, order_id=case.order_id, kind="refund",
                                state="succeeded", idempotency_key=f"retention-{case.id}", amount=Decimal("30.00"),
                                value=Decimal("30.00"), currency="PLN", reason=f"Sorry {name}",
                                finished_at=case.opened_at + timedelta(days=1)))
    db.session.commit()
    outbox.schedule_email(case.shop, "follow_up", f"retention-{case.id}", case.customer.email, "en",
                          case.opened_at + timedelta(days=30), f"Asking {name} whether the kettle works", case=case)


@pytest.fixture
def world(app, frozen_clock, shop_a, shop_b, agent, owner):
    shop_a.retention_months = 12
    db.session.commit()
    grace = complaint(shop_a, frozen_clock, at(2025, 1, 10), "grace@example.com", "Grace", "Hopper",
                      "Broken kettle. Grace Hopper, ul. Długa 1")
    worked_on(grace, agent, "Grace Hopper")
    move(grace, agent, frozen_clock, at(2025, 1, 12), "resolved")
    rita = complaint(shop_a, frozen_clock, at(2025, 2, 20), "rita@example.com", "Rita", "Hayworth",
                     "Rita here: the lamp flickers")
    worked_on(rita, agent, "Rita")
    move(rita, agent, frozen_clock, at(2025, 3, 1), "resolved")
    move(grace, agent, frozen_clock, at(2025, 5, 2), "closed")
    frozen_clock.now = at(2025, 6, 15)
    assert recovery.expire_recoveries() == 2  # both windows (90 days) are over: not recovered
    paula = complaint(shop_a, frozen_clock, at(2025, 9, 20), "paula@example.com", "Paula", "Negri", "Paula: late")
    move(paula, agent, frozen_clock, at(2025, 10, 1), "resolved")
    olga = complaint(shop_a, frozen_clock, at(2025, 1, 5), "olga@example.com", "Olga", "Tokarczuk", "Olga: missing")
    move(olga, agent, frozen_clock, at(2025, 1, 6), "in_progress")
    nina = complaint(shop_a, frozen_clock, at(2026, 9, 20), "nina@example.com", "Nina", "Simone", "Nina: scratched")
    move(nina, agent, frozen_clock, at(2026, 10, 1), "closed")
    other = complaint(shop_b, frozen_clock, at(2025, 1, 10), "grace@example.com", "Grace", "Hopper",
                      "Shop B: Grace Hopper's mug")
    move(other, owner, frozen_clock, at(2025, 5, 2), "closed")
    frozen_clock.now = NOW
    return {"grace": grace.id, "rita": rita.id, "paula": paula.id, "olga": olga.id, "nina": nina.id,
            "other": other.id}


def apply_retention(app, run_jobs):
    queue(PERIODIC_QUEUE, app).enqueue("crisisdesk.jobs.retention.anonymise_due_cases_job")
    run_jobs()
    db.session.expire_all()


def stored_rows():
    """{(table, key): row} of every table, as committed."""
    rows = {}
    with db.engine.connect() as connection:
        for table in db.metadata.sorted_tables:
            for row in connection.execute(select(table)).mappings():
                rows[(table.name, tuple(row[c.name] for c in table.primary_key.columns))] = dict(row)
    return rows


def traces(needles, shop_id):
    """(table, column, needle) of every stored value of the shop (or of no shop) holding a needle, outside the
    customer's own record (the customer row, their orders and the orders' raw events), which retention keeps."""
    found = set()
    for (table, _), row in stored_rows().items():
        if row.get("shop_id", shop_id) != shop_id or table == "shops":
            continue
        if table in ("customers", "orders", "order_items") or (table == "inbound_events"
                                                               and row["type"] in ORDER_TYPES):
            continue
        for column, value in row.items():
            text = json.dumps(value, default=str, ensure_ascii=False) if not isinstance(value, str) else value
            text = text + (json.dumps(json.loads(text), ensure_ascii=False) if text.startswith("{") else "")
            found.update((table, column, n) for n in needles if n.lower() in text.lower())
    return found


def test_it_is_a_daily_periodic_job():
    assert [(p.name, p.every_seconds) for p in PERIODIC_JOBS
            if p.function == "crisisdesk.jobs.retention.anonymise_due_cases_job"] == [("apply-retention", 24 * 3600)]


def test_it_anonymises_the_cases_past_the_period_and_nothing_else(app, world, run_jobs, shop_a):
    needles = [n for names in ANONYMISED.values() for n in names]
    assert {t for t, _, _ in traces(needles, shop_a.id)} >= {"cases", "case_events", "case_replies", "reviews",
                                                  "review_revisions", "compensations", "outbox_emails",
                                                  "inbound_events"}
    kept_people = ["Paula", "Olga", "Nina"]
    kept = traces(kept_people, shop_a.id)
    shop_b_case = db.session.get(Case, world["other"])
    assert "Grace Hopper" in shop_b_case.summary

    apply_retention(app, run_jobs)

    assert traces(needles, shop_a.id) == set()
    assert traces(kept_people, shop_a.id) == kept  # the others, untouched
    anonymised = {key: db.session.get(Case, case_id) for key, case_id in world.items()}
    assert {key for key, case in anonymised.items() if case.anonymised_at} == {"grace", "rita"}
    grace = anonymised["grace"]
    assert (grace.anonymised_at, grace.customer_id, grace.summary, grace.review.reviewer_name) == (
        NOW, None, "[erased]", "[erased]")
    assert grace.recovery.customer_id is None and grace.recovery.outcome == "not_recovered"
    assert grace.order.number and grace.order_id  # the money records keep their order
    # The customer's own record stays: she is still the shop's customer, and can ask to be erased by name.
    assert Customer.query.filter_by(shop_id=grace.shop_id, email="grace@example.com").one().first_name == "Grace"
    emails = OutboxEmail.query.filter_by(case_id=grace.id).all()  # ours, and the follow-up and its reminder
    assert len(emails) == 3 and all(e.to_email.startswith("erased-") and e.status == "cancelled" for e in emails)
    assert db.session.get(Case, world["other"]).summary == "Shop B: Grace Hopper's mug"
    entry = AuditEntry.query.filter_by(action="privacy.retention_applied").one()
    assert (entry.actor_label, entry.shop_id, entry.details["cases"], entry.details["months"]) == (
        "worker", grace.shop_id, 2, 12)


def test_it_keeps_every_figure_of_the_dashboard(app, world, run_jobs, owner):
    before = dashboard.dashboard(owner, EVERYTHING)
    assert (before.current.cases_opened, before.current.resolved, before.current.recovery_decided,
            before.current.answered_reviews) == (6, 3, 2, 2)
    assert [(c.kind, c.total) for c in before.compensation] == [("refund", Decimal("60.00"))]

    apply_retention(app, run_jobs)

    assert dashboard.dashboard(owner, EVERYTHING) == before


def test_a_second_run_changes_nothing_and_an_open_case_waits_for_its_end(app, world, run_jobs, frozen_clock, agent):
    apply_retention(app, run_jobs)
    after_first = stored_rows()

    apply_retention(app, run_jobs)
    assert stored_rows() == after_first  # no row changed, and no audit entry added

    olga = db.session.get(Case, world["olga"])
    frozen_clock.advance(days=3650)
    apply_retention(app, run_jobs)
    assert db.session.get(Case, world["olga"]).anonymised_at is None and "Olga" in olga.summary
    move(olga, agent, frozen_clock, frozen_clock.now, "closed")
    frozen_clock.advance(days=366)
    apply_retention(app, run_jobs)
    assert db.session.get(Case, world["olga"]).anonymised_at == frozen_clock.now
