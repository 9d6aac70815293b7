"""The case page: the fact check (review, order, customer history, timeline) and the forms agents use."""
import re
from datetime import datetime, timezone

import pytest

from crisisdesk.extensions import db
from crisisdesk.models import AuditEntry, Case, Customer, Order, Review
from crisisdesk.services import cases as case_service
from crisisdesk.services.users import audit_actor
from tests import factories

GRACE = "grace@example.com"


def open_case(shop, **review):
    payload = factories.review(**{"rating": 1, "text": "The kettle arrived broken.", **review})
    factories.deliver(shop, "review.created", payload)
    return Case.query.join(Case.review).filter(Review.shop_id == shop.id, Review.remote_id == payload["id"]).one()


def place_order(shop, order_id=None, email=GRACE, first_name=None, last_name=None, **kwargs):
    payload = factories.order(order_id=order_id, email=email, **kwargs)
    if first_name:
        payload["billing"].update(first_name=first_name, last_name=last_name or "")
    factories.deliver(shop, "order.created", payload)
    return Order.query.filter_by(shop_id=shop.id, remote_id=payload["id"]).one()


def fresh(case):
    db.session.expire_all()
    return db.session.get(Case, case.id)


def page_of(client, case, query=""):
    response = client.get(f"/cases/{case.id}{query}")
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_data(as_text=True)


def section(html, heading_id):
    """The <section> whose heading has this id."""
    return html.split(f'id="{heading_id}"')[1].split("</section>")[0]


def unmarked(html):
    """The page without the <mark> tags the cause detector's evidence puts into the customer's text."""
    return re.sub(r"</?mark[^>]*>", "", html)


def field_block(html, name):
    """The rendered form field (label, input, errors) named `name`."""
    blocks = [b for b in html.split('<div class="field') if f'name="{name}"' in b]
    assert blocks, f"no field {name}"
    return blocks[0]


@pytest.fixture
def order_and_case(shop_a):
    order = place_order(shop_a, order_id=7001, items=[(70011, 10, "Lab Gadget", 2, 25.0),
                                                      (70012, 11, "Spare Cable", 1, 5.0)])
    return order, open_case(shop_a, product_id=10)


# --- what the agent sees -----------------------------------------------------------------------------------

def test_it_shows_the_review_and_the_customer(client, agent, order_and_case):
    _, case = order_and_case
    client.login(agent)
    html = page_of(client, case)
    review = section(html, "what")
    assert "The kettle arrived broken." in unmarked(review)
    assert 'aria-label="1 of 5 stars"' in review
    assert "verified owner" in review and "Lab Gadget" in review and "Grace Hopper" in review
    assert f"&lt;{GRACE}&gt;" in review


def test_it_shows_the_linked_order_with_its_items_and_how_it_was_linked(client, agent, order_and_case):
    order, case = order_and_case
    assert case.order_id == order.id
    client.login(agent)
    block = section(page_of(client, case), "order")
    assert "#7001" in block and "55.00 PLN" in block
    assert "Linked by <strong>the reviewer&#39;s email and the product</strong>, confidence 90%" in block
    assert re.search(r"<td>Lab Gadget <small class=\"muted\">SKU-10</small></td><td>2</td><td>50.00</td>", block)
    assert "Spare Cable" in block


def test_it_shows_the_customers_earlier_orders_reviews_and_cases(client, agent, shop_a, order_and_case):
    _, case = order_and_case
    earlier = place_order(shop_a, order_id=6001, created_at=datetime(2026, 10, 1, tzinfo=timezone.utc))
    other = open_case(shop_a, product_id=11, rating=2, text="The cable frayed after a week.")
    place_order(shop_a, order_id=9001, email="someone.else@example.com")
    client.login(agent)
    history = section(page_of(client, case), "history")
    assert f"#{earlier.number}" in history and "#7001" in history
    assert "#9001" not in history
    assert "The cable frayed after a week." in history
    assert f'href="/cases/{other.id}"' in history
    assert f'href="/cases/{case.id}"' not in history  # not itself


def test_it_says_when_there_is_no_earlier_contact(client, agent, shop_a):
    case = case_service.open_manual_case(agent, shop_a.id, audit_actor(agent), "phone", "new@example.com", "",
                                         "Where is my parcel?")
    client.login(agent)
    html = page_of(client, case)
    assert "The complaint (phone)" in html and "Where is my parcel?" in unmarked(html)
    assert "Not linked to an order yet." in html
    assert "No earlier contact with this customer." in section(html, "history")


def test_it_shows_the_timeline_newest_first(client, agent, order_and_case):
    _, case = order_and_case
    case_service.add_note(agent, case.id, "Asked the warehouse.", audit_actor(agent))
    client.login(agent)
    timeline = section(page_of(client, case), "timeline")
    messages = re.findall(r"<br>(.*?)</li>", timeline)
    assert messages[0] == "Asked the warehouse."
    assert messages[-2].startswith("Linked to an order automatically by the reviewer&#39;s email and the product")
    assert messages[-1].startswith("Case opened from a review: rated 1★")
    assert agent.email in timeline


def test_it_flags_a_review_trashed_in_wordpress(client, agent, shop_a):
    payload = factories.review(rating=1)
    factories.deliver(shop_a, "review.created", payload)
    payload["status"] = "trash"
    factories.deliver(shop_a, "review.status_changed", payload)
    client.login(agent)
    html = page_of(client, Case.query.one())
    assert "This review was trashed or marked as spam in WordPress" in html
    assert "Arrived broken." in html


# --- the agent's forms -------------------------------------------------------------------------------------

def test_it_changes_the_status_through_the_form(client, agent, order_and_case):
    _, case = order_and_case
    client.login(agent)
    url = f"/cases/{case.id}"
    response = client.submit(f"{url}/status", {"status": "waiting_for_customer"}, page=url)
    assert response.status_code == 302 and response.headers["Location"] == url
    assert fresh(case).status == "waiting_for_customer"
    html = page_of(client, case)
    assert "Status changed." in html
    assert "Status: New → Waiting for customer" in html
    assert re.search(r'<option selected value="waiting_for_customer">|<option value="waiting_for_customer" selected',
                     html)


def test_it_explains_a_status_move_that_is_not_allowed(client, agent, order_and_case):
    _, case = order_and_case
    case_service.change_status(agent, case.id, "closed", audit_actor(agent))
    client.login(agent)
    url = f"/cases/{case.id}"
    client.submit(f"{url}/status", {"status": "resolved"}, page=url)
    assert fresh(case).status == "closed"
    assert "a case cannot go from Closed to Resolved" in page_of(client, case)


def test_it_rejects_a_status_that_is_not_offered(client, agent, order_and_case):
    _, case = order_and_case
    client.login(agent)
    url = f"/cases/{case.id}"
    client.submit(f"{url}/status", {"status": "deleted"}, page=url)
    assert fresh(case).status == "new"
    assert "Status: Not a valid choice." in page_of(client, case)


def test_it_offers_only_people_who_can_work_on_the_shop_for_assignment(client, agent, owner, viewer, outsider,
                                                                      order_and_case):
    _, case = order_and_case
    client.login(agent)
    options = field_block(page_of(client, case), "assignee")
    assert "Nobody" in options and agent.email in options and owner.email in options
    assert viewer.email not in options and outsider.email not in options


def test_it_assigns_and_unassigns_through_the_form(client, agent, order_and_case):
    _, case = order_and_case
    client.login(agent)
    url = f"/cases/{case.id}"
    client.submit(f"{url}/assign", {"assignee": agent.id}, page=url)
    assert fresh(case).assignee_id == agent.id
    assert f"assigned to {agent.email}" in page_of(client, case)
    client.submit(f"{url}/assign", {"assignee": 0}, page=url)
    assert fresh(case).assignee_id is None


def test_it_refuses_to_assign_to_an_agent_of_another_shop(client, agent, outsider, order_and_case):
    _, case = order_and_case
    client.login(agent)
    url = f"/cases/{case.id}"
    client.submit(f"{url}/assign", {"assignee": outsider.id}, page=url)
    assert fresh(case).assignee_id is None
    assert "that person cannot work on this shop&#39;s cases" in page_of(client, case)


def test_it_adds_a_note_that_records_customer_contact(client, agent, order_and_case, frozen_clock):
    _, case = order_and_case
    client.login(agent)
    url = f"/cases/{case.id}"
    client.submit(f"{url}/notes", {"text": "Phoned Grace; a new kettle ships today.", "customer_contacted": "y"},
                  page=url)
    case = fresh(case)
    assert case.first_responded_at == frozen_clock.now and case.status == "in_progress"
    html = page_of(client, case)
    assert "Added to the timeline." in html and "Phoned Grace; a new kettle ships today." in html
    assert '<span class="badge ok">answered</span>' in html


def test_it_adds_an_internal_note_without_stopping_the_clock(client, agent, order_and_case):
    _, case = order_and_case
    client.login(agent)
    url = f"/cases/{case.id}"
    client.submit(f"{url}/notes", {"text": "Waiting for the warehouse photos."}, page=url)
    case = fresh(case)
    assert case.first_responded_at is None and case.status == "new"
    assert case.events[-1].kind == "note"


def test_it_refuses_an_empty_note_and_says_why(client, agent, order_and_case):
    _, case = order_and_case
    client.login(agent)
    url = f"/cases/{case.id}"
    events = len(case.events)
    client.submit(f"{url}/notes", {"text": "   "}, page=url)
    assert len(fresh(case).events) == events
    assert "Note: This field is required." in page_of(client, case)


def test_it_finds_orders_by_number_email_and_name(client, agent, shop_a, shop_b, order_and_case):
    _, case = order_and_case
    place_order(shop_a, order_id=8101, email="jan.kowalski@example.com", first_name="Jan", last_name="Kowalski")
    place_order(shop_a, order_id=8102, email="anna@example.com", first_name="Anna", last_name="Nowak")
    place_order(shop_b, order_id=8103, email="jan.kowalski@example.com", first_name="Jan", last_name="Kowalski")
    client.login(agent)

    def found(query):
        html = section(page_of(client, case, f"?q={query}"), "order")
        return sorted(int(n) for n in re.findall(r"<tr><td>#(\d+)</td>", html))

    assert found("8102") == [8102]
    assert found("%238102") == [8102]  # "#8102"
    assert found("JAN.KOWALSKI@") == [8101]
    assert found("nowak") == [8102]
    assert found("Grace") == [7001]
    assert found("a") == []  # too short to search
    assert "No order matches “zzz”." in page_of(client, case, "?q=zzz")


def test_it_does_not_offer_the_order_search_to_viewers(client, viewer, order_and_case):
    _, case = order_and_case
    client.login(viewer)
    html = page_of(client, case, "?q=7001")
    assert 'role="search"' not in html and "Link this order" not in html and "Remove this link" not in html


def test_it_links_relinks_and_unlinks_an_order_through_the_forms(client, agent, shop_a, order_and_case):
    first, case = order_and_case
    other = place_order(shop_a, order_id=8201, email="partner@example.com")
    client.login(agent)
    url = f"/cases/{case.id}"
    search = page_of(client, case, "?q=8201")
    assert f'<input type="hidden" name="order_id" value="{other.id}">' in search
    client.submit(f"{url}/order", {"order_id": other.id}, page=url)
    case = fresh(case)
    assert (case.order_id, case.link_method, case.link_confidence) == (other.id, "manual", 1.0)
    html = page_of(client, case)
    assert "Order linked." in html and "Linked by <strong>an agent, by hand</strong>, confidence 100%" in html
    assert f"Linked by hand to order #{other.number}" in html

    client.submit(f"{url}/order/remove", {}, page=url)
    case = fresh(case)
    assert case.order_id is None and case.link_method == "none"
    assert "Order link removed." in page_of(client, case)
    audits = AuditEntry.query.filter_by(action="case.order_linked", target_id=case.id).order_by(AuditEntry.id).all()
    assert [(a.details["before"], a.details["after"]) for a in audits] == [(first.id, other.id), (other.id, None)]


def test_it_refuses_to_link_an_order_of_another_shop(client, agent, shop_b, order_and_case):
    order, case = order_and_case
    foreign = place_order(shop_b, order_id=8301)
    client.login(agent)
    url = f"/cases/{case.id}"
    client.submit(f"{url}/order", {"order_id": foreign.id}, page=url)
    assert fresh(case).order_id == order.id
    assert "no such order in this shop" in page_of(client, case)


def test_it_answers_a_link_without_a_numeric_order_id_with_bad_request(client, agent, order_and_case):
    order, case = order_and_case
    client.login(agent)
    url = f"/cases/{case.id}"
    assert client.submit(f"{url}/order", {"order_id": "seven"}, page=url).status_code == 400
    assert fresh(case).order_id == order.id


def test_it_answers_not_found_for_a_case_that_does_not_exist(client, agent):
    client.login(agent)
    assert client.get("/cases/999999").status_code == 404
    assert client.submit("/cases/999999/status", {"status": "closed"}, page="/cases").status_code == 404


# --- complaints entered by hand ----------------------------------------------------------------------------

def test_it_offers_only_the_agents_own_shops_for_a_new_complaint(client, agent, shop_a, shop_b):
    client.login(agent)
    shops = field_block(client.get("/cases/new").get_data(as_text=True), "shop")
    assert shop_a.name in shops and shop_b.name not in shops


def test_it_opens_a_complaint_entered_in_the_form(client, agent, shop_a, frozen_clock):
    order = place_order(shop_a, order_id=7101, email="jan@example.com")
    client.login(agent)
    response = client.submit("/cases/new", {"shop": shop_a.id, "channel": "social", "email": "jan@example.com",
                                            "name": "Jan Kowalski", "order_number": "#7101",
                                            "text": "Napisał na Facebooku: czajnik przeciekał."}, page="/cases/new")
    case = Case.query.one()
    assert response.status_code == 302 and response.headers["Location"] == f"/cases/{case.id}"
    assert (case.source, case.channel, case.order_id, case.opened_at) == ("manual", "social", order.id,
                                                                         frozen_clock.now)
    html = page_of(client, case)
    assert "Case opened." in html and "The complaint (social)" in html and "#7101" in html


def test_it_shows_the_unknown_order_number_error_beside_its_field_and_saves_nothing(client, agent, shop_a):
    client.login(agent)
    response = client.submit("/cases/new", {"shop": shop_a.id, "channel": "email", "email": "new@example.com",
                                            "name": "Nowy Klient", "order_number": "999",
                                            "text": "Paczka nie dotarła."}, page="/cases/new")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    block = field_block(html, "order_number")
    assert "has-error" in block and f"no order #999 in {shop_a.name}" in block
    assert "Paczka nie dotarła." in field_block(html, "text")  # what was typed is kept
    assert Case.query.count() == 0
    db.session.commit()  # a later commit must not save a half-made complaint either
    assert Customer.query.filter_by(email="new@example.com").count() == 0


def test_it_shows_an_error_beside_each_missing_field(client, agent, shop_a):
    client.login(agent)
    response = client.submit("/cases/new", {"shop": shop_a.id, "channel": "email", "email": "", "text": ""},
                             page="/cases/new")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    for name in ("email", "text"):
        block = field_block(html, name)
        assert "has-error" in block and "This field is required." in block
    assert "has-error" not in field_block(html, "order_number")
    assert Case.query.count() == 0


def test_it_rejects_a_channel_that_is_not_offered(client, agent, shop_a):
    client.login(agent)
    response = client.submit("/cases/new", {"shop": shop_a.id, "channel": "fax", "email": "a@example.com",
                                            "text": "Broken"}, page="/cases/new")
    assert response.status_code == 400
    assert "Not a valid choice." in field_block(response.get_data(as_text=True), "channel")
    assert Case.query.count() == 0
