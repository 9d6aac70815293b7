"""SLA escalation reads the open cases in batches: every case is looked at, and a run with nothing new to send costs
a few statements per batch, not two per open case (bench/panel_scale.py measured 10,000 statements for 4,000 cases)."""
from contextlib import contextmanager

from sqlalchemy import event

from crisisdesk.extensions import db
from crisisdesk.models import Case, SlaNotification
from crisisdesk.services import sla_escalation
from tests import factories


def open_cases(shop, now, count):
    for _ in range(count):
        factories.deliver(shop, "review.created", factories.review(created_at=now, rating=1))
    return Case.query.filter_by(shop_id=shop.id).order_by(Case.id).all()


@contextmanager
def counted_statements():
    seen = []

    def count(*_):
        seen.append(1)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def test_it_notifies_every_open_case_across_batches_once(app, shop_a, owner, frozen_clock, monkeypatch):
    monkeypatch.setattr(sla_escalation, "BATCH", 3)
    cases = open_cases(shop_a, frozen_clock.now, 7)  # batches of 3, 3 and 1
    resolved = cases.pop(3)
    resolved.status = "resolved"
    db.session.commit()
    frozen_clock.advance(hours=18)  # every first answer is due soon

    assert sla_escalation.escalate_due_cases().notices == 6
    found = sorted((n.case_id, n.clock, n.stage) for n in SlaNotification.query)
    assert found == sorted((case.id, "first_response", "due_soon") for case in cases)

    with counted_statements() as statements:
        assert sla_escalation.escalate_due_cases().notices == 0
    assert len(statements) <= 1 + 2 * 3  # the open ids, then per batch its cases and their notices

    frozen_clock.advance(hours=6, minutes=1)  # now overdue: a new notice each, still once
    assert sla_escalation.escalate_due_cases().notices == 6
    assert sla_escalation.escalate_due_cases().notices == 0
    assert SlaNotification.query.filter_by(case_id=resolved.id).count() == 0
