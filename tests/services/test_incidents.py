"""Incidents (services/incidents.py) on the real database: opened from a crisis alert with its cases, matching
cases suggested and added in one action, phases and closing audited and written on every case's timeline,
the security checklist, the page's figures, and other shops kept out."""
from datetime import timedelta
from decimal import Decimal

import pytest

from crisisdesk.domain.errors import Conflict, Forbidden, Invalid, NotFound
from crisisdesk.extensions import db
from crisisdesk.models import AuditEntry, CaseEvent, CrisisAlert, Incident, IncidentChecklistTick
from crisisdesk.services import cases as case_service
from crisisdesk.services import crisis_alerts, incident_views, incidents
from tests.incident_helpers import BROKEN, actor_of, affected_case, affected_cases, compensate, courier_failure

RETRO = {"what_happened": "The courier lost a day's parcels.", "what_worked": "One update for everyone.",
         "what_to_change": "Keep a second courier on standby."}


def timeline(case):
    db.session.expire_all()
    return [e.message for e in CaseEvent.query.filter_by(case_id=case.id, kind="incident").order_by(CaseEvent.id)]


def open_for(user, shop, cases, cause="late_delivery", **kwargs):
    incident, created = incidents.open_incident(user, shop.id, actor_of(user), "Courier failure", cause,
                                                case_ids=[c.id for c in cases], **kwargs)
    assert created
    return incident


def test_it_opens_an_incident_from_a_spike_alert_with_the_alerts_cases_and_acknowledges_the_alert(
        shop_a, agent, frozen_clock):
    cases = courier_failure(shop_a, 5)
    crisis_alerts.detect()
    alert = CrisisAlert.query.filter_by(scope="product").one()
    assert (alert.dominant_cause, alert.product_id) == ("late_delivery", cases[0].product_id)
    assert incidents.alert_cases(alert) == cases

    incident = open_for(agent, shop_a, incidents.alert_cases(alert), product_id=alert.product_id, alert_id=alert.id,
                        owner_id=agent.id, statement="Our courier lost parcels; we are on it.")

    assert (incident.phase, incident.cause, incident.product_id, incident.owner_id) == (
        "recognised", "late_delivery", alert.product_id, agent.id)
    assert incident.next_update_due_at == frozen_clock.now + timedelta(hours=shop_a.first_response_hours)
    assert [link.case_id for link in incident.links] == [c.id for c in cases]
    assert db.session.get(CrisisAlert, alert.id).status == "acknowledged"
    entry = AuditEntry.query.filter_by(action="incident.opened").one()
    assert entry.details["case_ids"] == [c.id for c in cases] and entry.details["alert_id"] == alert.id
    assert timeline(cases[0]) == [f"Added to incident #{incident.id}: Courier failure"]
    assert incidents.incident_of(cases[0]) == incident
    # The same alert again finds the incident; its cases cannot join a second one.
    again, created = incidents.open_incident(agent, shop_a.id, actor_of(agent), "Again", "late_delivery",
                                             alert_id=alert.id)
    assert (again.id, created) == (incident.id, False)
    with pytest.raises(Conflict, match=f"case #{cases[0].id} is already part of incident #{incident.id}"):
        open_for(agent, shop_a, cases[:1])
    assert Incident.query.count() == 1


def test_it_suggests_open_cases_of_the_same_cause_product_and_time_and_adds_many_at_once(shop_a, agent,
                                                                                        frozen_clock):
    first, second = courier_failure(shop_a, 2)
    incident = open_for(agent, shop_a, [first], product_id=first.product_id)
    same = affected_case(shop_a, 3)
    other_product = affected_case(shop_a, 4, product_id=20)
    other_cause = affected_case(shop_a, 5, text=BROKEN)
    too_old = affected_case(shop_a, 6, ago=timedelta(days=12))
    resolved = affected_case(shop_a, 7)
    case_service.change_status(agent, resolved.id, "resolved", actor_of(agent))
    elsewhere = affected_case(shop_a, 8)
    open_for(agent, shop_a, [elsewhere])

    assert incidents.suggestions(incident) == [same, second]  # newest first
    incident.product_id = None  # without a product, the cause alone decides
    assert incidents.suggestions(incident) == [other_product, same, second]
    assert too_old not in incidents.suggestions(incident) and other_cause not in incidents.suggestions(incident)

    assert incidents.add_cases(agent, incident.id, [same.id, second.id], actor_of(agent)) == 2
    assert incidents.add_cases(agent, incident.id, [same.id], actor_of(agent)) == 0  # a double submit adds nothing
    assert sorted(link.case_id for link in incident.links) == sorted([first.id, second.id, same.id])
    assert AuditEntry.query.filter_by(action="incident.cases_added").one().details == {"case_ids": [same.id,
                                                                                                   second.id]}
    with pytest.raises(Conflict):
        incidents.add_cases(agent, incident.id, [elsewhere.id], actor_of(agent))
    with pytest.raises(Invalid):
        incidents.add_cases(agent, incident.id, [], actor_of(agent))

    incidents.remove_case(agent, incident.id, same.id, actor_of(agent))
    assert timeline(same) == [f"Added to incident #{incident.id}: Courier failure",
                              f"Removed from incident #{incident.id}: Courier failure"]
    assert same in incidents.suggestions(incident)


def test_phases_move_on_every_cases_timeline_and_closing_needs_the_retrospective(shop_a, agent, frozen_clock):
    cases = courier_failure(shop_a, 2)
    incident = open_for(agent, shop_a, cases)
    with pytest.raises(Conflict):
        incidents.change_phase(agent, incident.id, "rebuilding", actor_of(agent))
    incidents.change_phase(agent, incident.id, "reacting", actor_of(agent))
    incidents.change_phase(agent, incident.id, "rebuilding", actor_of(agent))
    with pytest.raises(Invalid, match="retrospective"):
        incidents.change_phase(agent, incident.id, "closed", actor_of(agent))
    with pytest.raises(Invalid) as missing:
        incidents.close(agent, incident.id, actor_of(agent), {**RETRO, "what_to_change": ""})
    assert missing.value.field == "what_to_change"
    assert db.session.get(Incident, incident.id).phase == "rebuilding"

    frozen_clock.advance(days=5)
    incidents.close(agent, incident.id, actor_of(agent), RETRO)
    db.session.expire_all()
    closed = db.session.get(Incident, incident.id)
    assert (closed.phase, closed.closed_at, closed.next_update_due_at) == ("closed", frozen_clock.now, None)
    assert (closed.what_happened, closed.what_worked, closed.what_to_change) == tuple(RETRO.values())
    for case in cases:
        assert timeline(case)[1:] == [f"Incident #{incident.id} moved to Reacting",
                                      f"Incident #{incident.id} moved to Rebuilding",
                                      f"Incident #{incident.id} closed."]
    assert [e.details for e in AuditEntry.query.filter_by(action="incident.phase_changed").order_by(AuditEntry.id)] == [
        {"before": "recognised", "after": "reacting"}, {"before": "reacting", "after": "rebuilding"}]
    with pytest.raises(Conflict):
        incidents.close(agent, incident.id, actor_of(agent), RETRO)
    with pytest.raises(Conflict):
        incidents.add_cases(agent, incident.id, [affected_case(shop_a, 9).id], actor_of(agent))


def test_the_security_checklist_keeps_who_ticked_each_step_and_only_security_incidents_have_it(shop_a, agent,
                                                                                               frozen_clock):
    leak = open_for(agent, shop_a, [], cause="security_or_fraud")
    incidents.set_checklist(agent, leak.id, actor_of(agent), ["told_quickly", "support"])
    frozen_clock.advance(hours=1)
    incidents.set_checklist(agent, leak.id, actor_of(agent), ["told_quickly", "what_happened"])
    ticks = {t.item: t for t in IncidentChecklistTick.query.filter_by(incident_id=leak.id)}
    assert set(ticks) == {"told_quickly", "what_happened"}
    assert ticks["told_quickly"].ticked_at == frozen_clock.now - timedelta(hours=1)
    assert ticks["what_happened"].ticked_by_id == agent.id
    assert AuditEntry.query.filter_by(action="incident.checklist").order_by(AuditEntry.id.desc()).first().details == {
        "ticked": ["what_happened"], "unticked": ["support"]}
    with pytest.raises(Invalid):
        incidents.set_checklist(agent, leak.id, actor_of(agent), ["bake_a_cake"])
    courier = open_for(agent, shop_a, [])
    with pytest.raises(Conflict):
        incidents.set_checklist(agent, courier.id, actor_of(agent), ["told_quickly"])


def test_the_figures_count_orders_money_at_stake_and_compensation_given_per_currency(shop_a, agent, frozen_clock):
    cases = courier_failure(shop_a, 3, total=40.0)
    [euro] = affected_cases(shop_a, [4], total=15.5)
    euro.order.currency = "EUR"
    no_order = affected_case(shop_a, 5, with_order=False)
    compensate(cases[0], "refund", amount=Decimal("40"), value=Decimal("40"))
    compensate(cases[1], "coupon", amount=Decimal("10"), value=Decimal("4"), coupon_type="percent")
    compensate(cases[2], "refund", state="failed", amount=Decimal("40"), value=Decimal("40"))
    case_service.change_status(agent, cases[0].id, "resolved", actor_of(agent))
    incident = open_for(agent, shop_a, cases + [euro, no_order])

    figures = incident_views.figures(incident.id)
    assert figures.affected_orders == 4
    assert figures.at_stake == [("EUR", Decimal("15.50")), ("PLN", Decimal("120.00"))]
    assert figures.compensation == [("PLN", Decimal("44.00"))]
    assert (figures.open_cases, figures.resolved_cases) == (4, 1)
    page = incident_views.incident_page(incident)
    assert [line.compensation.state if line.compensation else None for line in page.lines] == [
        "succeeded", "succeeded", "failed", None, None]


def test_another_shops_people_cannot_see_or_change_an_incident(shop_a, shop_b, agent, viewer, outsider,
                                                               frozen_clock):
    incident = open_for(agent, shop_a, courier_failure(shop_a, 1))
    with pytest.raises(NotFound):
        incidents.get_incident(outsider, incident.id)
    with pytest.raises(NotFound):
        incidents.change_phase(outsider, incident.id, "reacting", actor_of(outsider))
    with pytest.raises(NotFound):
        incidents.open_incident(outsider, shop_a.id, actor_of(outsider), "Mine now", "late_delivery")
    with pytest.raises(Forbidden):
        incidents.change_phase(viewer, incident.id, "reacting", actor_of(viewer))
    assert incidents.get_incident(viewer, incident.id) == incident
    assert incident_views.incident_list(outsider) == [] and len(incident_views.incident_list(viewer)) == 1
    with pytest.raises(Invalid):  # another shop's case cannot be put into shop A's incident
        incidents.add_cases(agent, incident.id, [affected_case(shop_b, 2).id], actor_of(agent))
