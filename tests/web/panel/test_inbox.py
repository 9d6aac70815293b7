"""The inbox: only the user's shops, soonest SLA first, filters and pages."""
import re
from datetime import datetime, timedelta, timezone

from crisisdesk.models import Case, Product, Review
from crisisdesk.services import cases as case_service
from crisisdesk.services.users import audit_actor
from tests import factories

ROW = re.compile(r'<td><a href="/cases/(\d+)">#\d+</a></td>')


def open_case(shop, written=None, **review):
    """A case from a 1★ review written at `written` (its first answer is due 24 h later)."""
    payload = factories.review(created_at=written or datetime(2026, 11, 20, 10, 0, tzinfo=timezone.utc),
                               **{"rating": 1, **review})
    factories.deliver(shop, "review.created", payload)
    return Case.query.join(Case.review).filter(Review.shop_id == shop.id, Review.remote_id == payload["id"]).one()


def listed(client, query=""):
    response = client.get("/cases" + query)
    assert response.status_code == 200, response.get_data(as_text=True)
    return [int(i) for i in ROW.findall(response.get_data(as_text=True))]


def day(n, hour=10):
    return datetime(2026, 11, n, hour, 0, tzinfo=timezone.utc)


def test_it_lists_only_the_cases_of_the_shops_a_user_belongs_to(client, app, shop_a, shop_b, agent, outsider):
    mine, theirs = open_case(shop_a, text="Kettle A broken"), open_case(shop_b, text="Toaster B broken")
    client.login(agent)
    html = client.get("/cases").get_data(as_text=True)
    assert listed(client) == [mine.id]
    assert "Kettle A broken" in html and "Toaster B broken" not in html
    client.submit("/logout", page="/cases")
    client.login(outsider)
    assert listed(client) == [theirs.id]


def test_it_lists_every_shop_for_an_owner_with_a_shop_filter(client, owner, shop_a, shop_b):
    in_a, in_b = open_case(shop_a), open_case(shop_b)
    client.login(owner)
    assert sorted(listed(client)) == sorted([in_a.id, in_b.id])
    assert listed(client, f"?shop={shop_b.id}") == [in_b.id]
    assert listed(client, f"?shop={shop_a.id}") == [in_a.id]


def test_it_ignores_a_shop_filter_for_a_shop_the_user_cannot_see(client, agent, shop_a, shop_b):
    open_case(shop_a), open_case(shop_b)
    client.login(agent)
    assert listed(client, f"?shop={shop_b.id}") == []


def test_it_sorts_by_the_first_answer_due_time_soonest_first(client, viewer, shop_a, frozen_clock):
    middle, late, early = open_case(shop_a, day(20)), open_case(shop_a, day(21)), open_case(shop_a, day(19))
    client.login(viewer)
    assert listed(client) == [early.id, middle.id, late.id]


def test_it_sorts_by_each_shops_own_targets(client, owner, shop_a, frozen_clock):
    fast_shop = factories.make_shop("Fast shop", first_response_hours=2)
    slow = open_case(shop_a, day(21, 9))   # due 22 Nov 09:00
    fast = open_case(fast_shop, day(21, 10))  # due 21 Nov 12:00
    client.login(owner)
    assert listed(client) == [fast.id, slow.id]


def test_it_shows_open_cases_by_default_and_filters_by_status(client, agent, shop_a):
    new, resolved, waiting = open_case(shop_a), open_case(shop_a), open_case(shop_a)
    actor = audit_actor(agent)
    case_service.change_status(agent, resolved.id, "resolved", actor)
    case_service.change_status(agent, waiting.id, "waiting_for_customer", actor)
    client.login(agent)
    assert sorted(listed(client)) == sorted([new.id, waiting.id])
    assert listed(client, "?status=resolved") == [resolved.id]
    assert listed(client, "?status=waiting_for_customer") == [waiting.id]
    assert sorted(listed(client, "?status=all")) == sorted([new.id, resolved.id, waiting.id])


def test_it_answers_an_unknown_status_filter_with_a_clear_error(client, agent):
    client.login(agent)
    response = client.get("/cases?status=deleted")
    assert response.status_code == 400
    assert "unknown status filter" in response.get_data(as_text=True)


def test_it_filters_overdue_cases(client, agent, shop_a, frozen_clock):
    overdue = open_case(shop_a, day(20))  # first answer due 21 Nov, the clock says 22 Nov 12:00
    answered = open_case(shop_a, day(21))  # answered; public apology due 23 Nov 10:00
    not_apologised = open_case(shop_a, day(20))  # answered by phone; public apology due 22 Nov 10:00
    on_time = open_case(shop_a, day(22, 11))  # due 23 Nov
    for case in (answered, not_apologised):
        case_service.add_note(agent, case.id, "Phoned the customer.", audit_actor(agent), customer_contacted=True)
    client.login(agent)
    assert sorted(listed(client, "?overdue=1")) == sorted([overdue.id, not_apologised.id])
    html = client.get("/cases").get_data(as_text=True)
    assert html.count('class="is-overdue"') == 2
    assert "overdue since" in html and "answered" in html and "apology overdue by 2 h" in html
    assert sorted(listed(client)) == sorted([overdue.id, answered.id, not_apologised.id, on_time.id])


def test_it_filters_by_product(client, agent, shop_a):
    kettle, toaster = open_case(shop_a, product_id=10), open_case(shop_a, product_id=20)
    client.login(agent)
    toaster_id = Product.query.filter_by(shop_id=shop_a.id, remote_id=20).one().id
    assert listed(client, f"?product={toaster_id}") == [toaster.id]
    assert f'<option value="{toaster_id}"' in client.get("/cases").get_data(as_text=True)
    assert sorted(listed(client)) == sorted([kettle.id, toaster.id])


def test_it_filters_the_cases_assigned_to_me(client, agent, owner, shop_a):
    mine, others, nobodys = open_case(shop_a), open_case(shop_a), open_case(shop_a)
    case_service.assign(owner, mine.id, agent.id, audit_actor(owner))
    case_service.assign(owner, others.id, owner.id, audit_actor(owner))
    client.login(agent)
    assert listed(client, "?mine=1") == [mine.id]
    assert nobodys.id in listed(client)


def test_it_combines_filters(client, owner, agent, shop_a, shop_b, frozen_clock):
    wanted = open_case(shop_a, day(20), product_id=20)
    open_case(shop_a, day(20), product_id=10)  # other product
    open_case(shop_a, day(22, 11), product_id=20)  # not overdue
    open_case(shop_b, day(20), product_id=20)  # other shop
    client.login(owner)
    product = Product.query.filter_by(shop_id=shop_a.id, remote_id=20).one()
    assert listed(client, f"?shop={shop_a.id}&product={product.id}&overdue=1&status=open") == [wanted.id]


def test_it_pages_through_more_than_25_cases(client, viewer, shop_a):
    opened = [open_case(shop_a, day(1) + timedelta(hours=n)) for n in range(26)]
    client.login(viewer)
    first = client.get("/cases").get_data(as_text=True)
    assert [int(i) for i in ROW.findall(first)] == [c.id for c in opened[:25]]
    assert "Page 1 of 2" in first and "Next →" in first and "← Previous" not in first
    assert "<small class=\"muted\">26</small>" in first
    second = client.get("/cases?page=2").get_data(as_text=True)
    assert [int(i) for i in ROW.findall(second)] == [opened[25].id]
    assert "Page 2 of 2" in second and "← Previous" in second and "Next →" not in second


def test_it_keeps_the_filters_in_the_page_links(client, viewer, shop_a):
    for n in range(26):
        open_case(shop_a, day(1) + timedelta(hours=n))
    client.login(viewer)
    html = client.get("/cases?status=all&overdue=1").get_data(as_text=True)
    link = re.search(r'<a href="([^"]+)">Next →</a>', html).group(1)
    assert "status=all" in link and "overdue=1" in link and "page=2" in link


def test_it_shows_the_first_page_for_a_nonsense_page_number(client, viewer, shop_a):
    case = open_case(shop_a)
    client.login(viewer)
    for page in ("0", "-3", "abc"):
        assert listed(client, f"?page={page}") == [case.id], page


def test_it_says_so_when_nothing_matches(client, viewer):
    client.login(viewer)
    html = client.get("/cases?status=closed").get_data(as_text=True)
    assert "No cases match these filters." in html


def test_it_shows_the_customer_order_and_assignee_in_each_row(client, agent, shop_a):
    factories.deliver(shop_a, "order.created", factories.order(order_id=7001))
    case = open_case(shop_a, text="Przyszło uszkodzone")
    case_service.assign(agent, case.id, agent.id, audit_actor(agent))
    client.login(agent)
    html = client.get("/cases").get_data(as_text=True)
    row = html.split(f'href="/cases/{case.id}">#{case.id}')[1].split("</tr>")[0]
    assert "Grace Hopper" in row and "Lab Gadget" in row and "#7001" in row
    assert "Przyszło uszkodzone" in row and agent.email in row
    assert 'aria-label="1 of 5 stars"' in row
