"""What agents do to a case (services.cases), against the real database: every change is audited and on the
timeline; other shops' cases stay invisible; viewers only read."""
from datetime import timedelta

import pytest

from crisisdesk.domain.errors import Conflict, Forbidden, Invalid, NotFound
from crisisdesk.domain.sla import clock_states
from crisisdesk.extensions import db
from crisisdesk.models import AuditEntry, Case, CaseEvent, Customer, Order, Review
from crisisdesk.services import cases
from crisisdesk.services.users import audit_actor
from tests import factories


def open_case(shop, **review):
    """A case opened the real way: a review event stored and applied through the services."""
    payload = factories.review(**review)
    factories.deliver(shop, "review.created", payload)
    return Case.query.join(Case.review).filter(Review.shop_id == shop.id, Review.remote_id == payload["id"]).one()


def place_order(shop, number=None, email="grace@example.com", **kwargs):
    payload = factories.order(order_id=int(number) if number else None, email=email, **kwargs)
    factories.deliver(shop, "order.created", payload)
    return Order.query.filter_by(shop_id=shop.id, remote_id=payload["id"]).one()


def trail(case):
    """(audit entries about the case, timeline events) — what every change must add to."""
    audits = AuditEntry.query.filter_by(target_type="case", target_id=case.id).order_by(AuditEntry.id).all()
    events = CaseEvent.query.filter_by(case_id=case.id).order_by(CaseEvent.id).all()
    return audits, events


def as_actor(user):
    return audit_actor(user, "203.0.113.7")


@pytest.fixture
def case(shop_a):
    return open_case(shop_a, rating=1, text="The kettle arrived broken.")


# --- status ------------------------------------------------------------------------------------------------

def test_it_moves_a_case_through_the_whole_workflow(case, agent, frozen_clock):
    for status in ("in_progress", "waiting_for_customer", "in_progress", "resolved"):
        cases.change_status(agent, case.id, status, as_actor(agent))
    assert case.status == "resolved"
    assert case.resolved_at == frozen_clock.now
    frozen_clock.advance(hours=2)
    cases.change_status(agent, case.id, "closed", as_actor(agent))
    db.session.expire_all()
    case = db.session.get(Case, case.id)
    assert case.status == "closed"
    assert case.closed_at == frozen_clock.now


def test_it_records_each_status_change_in_the_audit_log_and_on_the_timeline(case, agent):
    audits_before, events_before = trail(case)
    cases.change_status(agent, case.id, "in_progress", as_actor(agent))
    audits, events = trail(case)
    assert len(audits) == len(audits_before) + 1 and len(events) == len(events_before) + 1
    entry, event = audits[-1], events[-1]
    assert (entry.action, entry.actor_id, entry.actor_label, entry.ip) == (
        "case.status_changed", agent.id, agent.email, "203.0.113.7")
    assert entry.shop_id == case.shop_id
    assert entry.details == {"before": "new", "after": "in_progress"}
    assert (event.kind, event.actor_id) == ("status", agent.id)
    assert event.message == "Status: New → In progress"


def test_it_refuses_a_forbidden_move_and_changes_nothing(case, agent):
    cases.change_status(agent, case.id, "closed", as_actor(agent))
    audits_before, events_before = trail(case)
    with pytest.raises(Conflict) as raised:
        cases.change_status(agent, case.id, "waiting_for_customer", as_actor(agent))
    assert raised.value.field == "status"
    assert "Closed" in raised.value.message and "Waiting for customer" in raised.value.message
    db.session.expire_all()
    assert db.session.get(Case, case.id).status == "closed"
    assert trail(case) == (audits_before, events_before)


def test_it_never_sends_a_case_back_to_new(case, agent):
    cases.change_status(agent, case.id, "in_progress", as_actor(agent))
    with pytest.raises(Conflict):
        cases.change_status(agent, case.id, "new", as_actor(agent))


def test_it_rejects_an_unknown_status_naming_the_field(case, agent):
    with pytest.raises(Invalid) as raised:
        cases.change_status(agent, case.id, "deleted", as_actor(agent))
    assert raised.value.field == "status"


def test_it_treats_the_same_status_as_no_change(case, agent):
    before = trail(case)
    cases.change_status(agent, case.id, "new", as_actor(agent))
    assert trail(case) == before


@pytest.mark.parametrize("finished", ["resolved", "closed"])
def test_it_reopens_a_finished_case_into_in_progress_and_clears_its_end_times(case, agent, finished):
    cases.change_status(agent, case.id, "resolved", as_actor(agent))
    if finished == "closed":
        cases.change_status(agent, case.id, "closed", as_actor(agent))
    cases.change_status(agent, case.id, "in_progress", as_actor(agent))
    db.session.expire_all()
    case = db.session.get(Case, case.id)
    assert case.status == "in_progress"
    assert case.resolved_at is None and case.closed_at is None
    # The status line is the last *status* event: reopening also pauses the recovery (services/follow_up.py).
    assert [e for e in trail(case)[1] if e.kind == "status"][-1].details == {"before": finished, "after": "in_progress"}


# --- assignment --------------------------------------------------------------------------------------------

def test_it_assigns_a_case_to_an_agent_of_its_shop(case, agent, owner):
    cases.assign(owner, case.id, agent.id, as_actor(owner))
    db.session.expire_all()
    case = db.session.get(Case, case.id)
    assert case.assignee_id == agent.id
    audits, events = trail(case)
    assert audits[-1].action == "case.assigned" and audits[-1].details == {"assignee_id": agent.id}
    assert events[-1].kind == "assigned" and events[-1].message == f"Assigned to {agent.email}"


def test_it_lets_an_owner_take_a_case_of_any_shop(case, owner):
    cases.assign(owner, case.id, owner.id, as_actor(owner))
    assert db.session.get(Case, case.id).assignee_id == owner.id


@pytest.mark.parametrize("who", ["outsider", "viewer", "nobody"])
def test_it_refuses_to_assign_to_someone_who_cannot_work_on_the_shop(case, agent, request, who):
    assignee_id = request.getfixturevalue(who).id if who != "nobody" else 999_999
    before = trail(case)
    with pytest.raises(Invalid) as raised:
        cases.assign(agent, case.id, assignee_id, as_actor(agent))
    assert raised.value.field == "assignee"
    db.session.expire_all()
    assert db.session.get(Case, case.id).assignee_id is None
    assert trail(case) == before


def test_it_unassigns_and_ignores_a_repeated_assignment(case, agent):
    cases.assign(agent, case.id, agent.id, as_actor(agent))
    after_first = trail(case)
    cases.assign(agent, case.id, agent.id, as_actor(agent))
    assert trail(case) == after_first
    cases.assign(agent, case.id, None, as_actor(agent))
    assert db.session.get(Case, case.id).assignee_id is None
    assert trail(case)[1][-1].message == "Unassigned"


# --- notes -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["", "   \n ", None])
def test_it_refuses_an_empty_note(case, agent, text):
    before = trail(case)
    with pytest.raises(Invalid) as raised:
        cases.add_note(agent, case.id, text, as_actor(agent))
    assert raised.value.field == "text"
    assert trail(case) == before


def test_it_refuses_a_note_longer_than_the_limit(case, agent):
    with pytest.raises(Invalid) as raised:
        cases.add_note(agent, case.id, "x" * (cases.MAX_NOTE_LENGTH + 1), as_actor(agent))
    assert raised.value.field == "text"


def test_it_adds_an_internal_note_without_touching_the_clock(case, agent):
    cases.add_note(agent, case.id, "  Asked the warehouse for photos.  ", as_actor(agent))
    db.session.expire_all()
    case = db.session.get(Case, case.id)
    assert case.first_responded_at is None and case.status == "new"
    audits, events = trail(case)
    assert (events[-1].kind, events[-1].message, events[-1].actor_id) == (
        "note", "Asked the warehouse for photos.", agent.id)
    assert audits[-1].action == "case.note_added" and audits[-1].details == {"customer_contacted": False}


def test_it_stops_the_first_response_clock_when_a_note_records_customer_contact(case, agent, frozen_clock):
    assert case.is_overdue(frozen_clock.now)
    cases.add_note(agent, case.id, "Called Grace, replacement on its way.", as_actor(agent), customer_contacted=True)
    db.session.expire_all()
    case = db.session.get(Case, case.id)
    assert case.first_responded_at == frozen_clock.now
    assert case.status == "in_progress"
    stages = {state.clock: state.stage for state in clock_states(case, frozen_clock.now)}
    assert stages["first_response"] == "met" and stages["apology"] != "met"  # a phone call is no public apology
    audits, events = trail(case)
    assert events[-1].kind == "contact"
    assert audits[-1].details == {"customer_contacted": True}


def test_it_keeps_the_first_contact_time_and_status_on_later_contact(case, agent, frozen_clock):
    cases.change_status(agent, case.id, "waiting_for_customer", as_actor(agent))
    cases.add_note(agent, case.id, "Emailed the customer.", as_actor(agent), customer_contacted=True)
    first = frozen_clock.now
    frozen_clock.advance(hours=5)
    cases.add_note(agent, case.id, "Emailed again.", as_actor(agent), customer_contacted=True)
    db.session.expire_all()
    case = db.session.get(Case, case.id)
    assert case.first_responded_at == first
    assert case.status == "waiting_for_customer"


# --- linking orders by hand --------------------------------------------------------------------------------

def test_it_links_relinks_and_unlinks_an_order_by_hand(agent, shop_a):
    first = place_order(shop_a, email="partner@example.com")
    second = place_order(shop_a, email="partner@example.com")
    case = open_case(shop_a, rating=1, email="grace@example.com")
    assert case.order_id is None and case.link_method == "none"

    cases.link_order(agent, case.id, first.id, as_actor(agent))
    assert (case.order_id, case.link_method, case.link_confidence) == (first.id, "manual", 1.0)
    cases.link_order(agent, case.id, second.id, as_actor(agent))
    assert case.order_id == second.id
    cases.link_order(agent, case.id, None, as_actor(agent))
    db.session.expire_all()
    case = db.session.get(Case, case.id)
    assert (case.order_id, case.link_method, case.link_confidence) == (None, "none", 0.0)

    audits, events = trail(case)
    linked = [e for e in events if e.kind == "order_linked" and e.actor_id == agent.id]
    assert [e.message for e in linked] == [f"Linked by hand to order #{first.number}",
                                           f"Linked by hand to order #{second.number}", "Order link removed"]
    assert [(a.details["before"], a.details["after"]) for a in audits if a.action == "case.order_linked"] == [
        (None, first.id), (first.id, second.id), (second.id, None)]


def test_it_refuses_an_order_of_another_shop(case, agent, shop_b):
    foreign = place_order(shop_b)
    before = trail(case)
    with pytest.raises(Invalid) as raised:
        cases.link_order(agent, case.id, foreign.id, as_actor(agent))
    assert raised.value.field == "order"
    with pytest.raises(Invalid):
        cases.link_order(agent, case.id, 999_999, as_actor(agent))
    assert trail(case) == before
    assert db.session.get(Case, case.id).order_id is None


# --- complaints entered by hand ----------------------------------------------------------------------------

def test_it_opens_a_complaint_entered_by_hand_and_links_its_order(agent, shop_a, frozen_clock):
    order = place_order(shop_a, number="4321", email="jan@example.com")
    case = cases.open_manual_case(agent, shop_a.id, as_actor(agent), "phone", " Jan@Example.com ", "Jan Kowalski",
                                  "Czajnik przyszedł uszkodzony, nie polecam.", order_number=" #4321 ")
    assert (case.source, case.channel, case.status) == ("manual", "phone", "new")
    assert (case.order_id, case.link_method, case.link_confidence) == (order.id, "manual", 1.0)
    assert case.customer_id == order.customer_id  # the buyer, found by email, not a second customer
    assert case.summary == "Czajnik przyszedł uszkodzony, nie polecam."
    assert case.sentiment_score < 0
    assert case.opened_at == frozen_clock.now
    assert case.first_response_due_at == frozen_clock.now + timedelta(hours=24)
    audits, events = trail(case)
    assert [a.action for a in audits] == ["case.opened"] and audits[0].details == {"channel": "phone"}
    assert [e.kind for e in events] == ["opened"] and events[0].actor_id == agent.id


def test_it_uses_the_shops_own_answer_time_for_a_hand_entered_complaint(agent, frozen_clock):
    shop = factories.make_shop("Fast shop", first_response_hours=4)
    agent.shops.append(shop)
    db.session.commit()
    case = cases.open_manual_case(agent, shop.id, as_actor(agent), "email", "ann@example.com", "Ann Lee Smith",
                                  "Where is it?")
    assert case.first_response_due_at == frozen_clock.now + timedelta(hours=4)
    assert case.order_id is None and case.link_method == "none"
    assert (case.customer.shop_id, case.customer.email) == (shop.id, "ann@example.com")
    assert (case.customer.first_name, case.customer.last_name) == ("Ann", "Lee Smith")


def test_it_names_the_order_number_field_when_the_order_is_unknown_and_saves_nothing(agent, shop_a, shop_b):
    place_order(shop_b, number="4321")  # the number exists, but in another shop
    with pytest.raises(Invalid) as raised:
        cases.open_manual_case(agent, shop_a.id, as_actor(agent), "email", "new.person@example.com", "New Person",
                               "Never arrived", order_number="4321")
    assert raised.value.field == "order_number"
    assert "4321" in raised.value.message and shop_a.name in raised.value.message
    db.session.commit()  # whatever the failed call left in the session would be saved by the next commit
    assert Case.query.count() == 0
    assert Customer.query.filter_by(email="new.person@example.com").count() == 0


@pytest.mark.parametrize("channel, email, text, field", [
    ("fax", "ann@example.com", "Broken", "channel"),
    ("email", "not an email", "Broken", "email"),
    ("email", "ann@example.com", "   ", "text"),
])
def test_it_names_the_field_of_a_bad_hand_entered_complaint(agent, shop_a, channel, email, text, field):
    with pytest.raises(Invalid) as raised:
        cases.open_manual_case(agent, shop_a.id, as_actor(agent), channel, email, "Ann", text)
    assert raised.value.field == field
    db.session.commit()
    assert Case.query.count() == 0 and Customer.query.count() == 0


def test_it_lets_only_agents_of_the_shop_enter_complaints(viewer, outsider, shop_a):
    with pytest.raises(Forbidden):
        cases.open_manual_case(viewer, shop_a.id, as_actor(viewer), "email", "ann@example.com", "", "Broken")
    with pytest.raises(NotFound):
        cases.open_manual_case(outsider, shop_a.id, as_actor(outsider), "email", "ann@example.com", "", "Broken")
    assert Case.query.count() == 0


# --- scoping and the audit trail -----------------------------------------------------------------------

CHANGES = {
    "status": lambda user, case, order: cases.change_status(user, case.id, "in_progress", as_actor(user)),
    "assign": lambda user, case, order: cases.assign(user, case.id, None, as_actor(user)),
    "note": lambda user, case, order: cases.add_note(user, case.id, "hello", as_actor(user)),
    "link": lambda user, case, order: cases.link_order(user, case.id, order.id, as_actor(user)),
    "unlink": lambda user, case, order: cases.link_order(user, case.id, None, as_actor(user)),
}


@pytest.fixture
def order(shop_a):
    """An order of shop A that the case was not linked to automatically (someone else bought it)."""
    return place_order(shop_a, email="partner@example.com")


@pytest.mark.parametrize("change", CHANGES)
def test_it_hides_another_shops_case_from_an_outsider(case, order, outsider, change):
    before = trail(case)
    with pytest.raises(NotFound):
        CHANGES[change](outsider, case, order)
    with pytest.raises(NotFound):
        cases.get_case(outsider, case.id)
    assert trail(case) == before


@pytest.mark.parametrize("change", CHANGES)
def test_it_lets_a_viewer_read_but_not_change(case, order, viewer, change):
    assert cases.get_case(viewer, case.id) is case
    before = trail(case)
    with pytest.raises(Forbidden):
        CHANGES[change](viewer, case, order)
    assert trail(case) == before


def test_it_answers_a_viewer_of_another_shop_as_if_the_case_did_not_exist(case, shop_b):
    stranger = factories.make_user("stranger@crisisdesk.example", "viewer", shops=[shop_b])
    with pytest.raises(NotFound):
        cases.change_status(stranger, case.id, "in_progress", as_actor(stranger))
    with pytest.raises(NotFound):
        cases.change_status(stranger, 999_999, "in_progress", as_actor(stranger))


def test_it_lets_an_owner_work_on_every_shop(owner, shop_b):
    case = open_case(shop_b, rating=2)
    cases.change_status(owner, case.id, "in_progress", as_actor(owner))
    assert case.status == "in_progress"


def test_it_answers_not_found_for_a_missing_case(agent):
    with pytest.raises(NotFound):
        cases.get_case(agent, 999_999)


@pytest.mark.parametrize("change", CHANGES)
def test_it_writes_an_audit_entry_and_a_timeline_event_for_every_change(case, order, agent, change):
    cases.assign(agent, case.id, agent.id, as_actor(agent))  # so that unassigning is a change too
    if change == "unlink":
        cases.link_order(agent, case.id, order.id, as_actor(agent))
    audits_before, events_before = trail(case)
    CHANGES[change](agent, case, order)
    audits, events = trail(case)
    assert len(audits) == len(audits_before) + 1
    assert len(events) == len(events_before) + 1
    assert (audits[-1].actor_id, audits[-1].actor_label, audits[-1].shop_id) == (agent.id, agent.email, case.shop_id)
    assert events[-1].actor_id == agent.id
