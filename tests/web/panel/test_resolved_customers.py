"""The "Resolved customers" page: recovery figures at the top, each resolved customer's outcome,
satisfaction answer and follow-up emails, filtered by shop and outcome, a page at a time."""
import re
from datetime import datetime, timedelta, timezone

import pytest

from crisisdesk.services import email_links, recovery, recovery_report
from tests import factories
from tests.web.public.helpers import path_of, resolved_case

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=timezone.utc)


@pytest.fixture
def outcomes(app, shop_a, shop_b, agent, outsider, frozen_clock):
    """Shop A: lost (resolved 100 days ago, window over), won (ordered again 2 days later), satisfied
    (answered 5 a day later), pending. Shop B: one pending customer."""
    frozen_clock.now = NOW - timedelta(days=100)
    lost = resolved_case(shop_a, agent, email="lost@example.com", text="Never arrived.")
    frozen_clock.now = NOW
    recovery.expire_recoveries()
    won = resolved_case(shop_a, agent, email="won@example.com", text="Broken handle.")
    satisfied = resolved_case(shop_a, agent, email="satisfied@example.com", text="Wrong colour.")
    pending = resolved_case(shop_a, agent, email="pending@example.com", text="Too loud.")
    other = resolved_case(shop_b, outsider, email="bee@example.com", text="Leaks.")
    frozen_clock.now = NOW + timedelta(days=1)
    app.test_client().get(path_of(email_links.rating_url(satisfied.recovery.id, 5)))
    frozen_clock.now = NOW + timedelta(days=2)
    factories.deliver(shop_a, "order.created", factories.order(email="won@example.com", created_at=frozen_clock.now),
                      occurred_at=frozen_clock.now)
    return {"lost": lost, "won": won, "satisfied": satisfied, "pending": pending, "other": other}


def rows(html):
    """(customer email, outcome) for each table row, in order."""
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0] if "<tbody>" in html else ""
    return [(re.search(r"[\w.]+@example\.com", row).group(0), re.search(r'outcome-row-(\w+)', row).group(1))
            for row in body.split("<tr")[1:]]


def stat(html, title):
    block = html.split(f"<dt>{title}</dt>", 1)[1].split("</div>", 1)[0]
    return " ".join(re.sub(r"<[^>]+>", " ", block).split())


def test_it_shows_the_figures_and_every_resolved_customer_of_the_users_shops(login_as, outcomes):
    html = login_as("agent").get("/recovery").get_data(as_text=True)
    assert "<h1>Resolved customers" in html
    assert stat(html, "Recovery rate").startswith("67% 2 of 3 decided")
    assert "50% of all 4 resolved, 1 still pending" in stat(html, "Recovery rate")
    assert stat(html, "Won back · confirmed satisfied").startswith("1 · 1")
    assert stat(html, "Median time to recovery").startswith("36 h")  # one day and two days
    assert "to win back: 2.0 days" in stat(html, "Median time to recovery")
    assert stat(html, "Satisfaction answers").startswith("1 average 5.0 of 5")
    assert sorted(rows(html)) == sorted([("lost@example.com", "not_recovered"), ("won@example.com", "recovered"),
                                         ("satisfied@example.com", "recovered"),
                                         ("pending@example.com", "pending")])
    assert "bee@example.com" not in html  # shop B is not the agent's


def test_it_shows_how_and_when_each_customer_came_back_and_the_follow_up_status(login_as, outcomes):
    html = login_as("agent").get("/recovery").get_data(as_text=True)
    row = {email: part for email, part in
           ((re.search(r"[\w.]+@example\.com", r).group(0), r) for r in html.split("<tbody>")[1].split("<tr")[1:])}
    assert "ordered again" in row["won@example.com"] and "(won back)" in row["won@example.com"]
    assert '<time datetime="2026-11-24T12:00:00+00:00">' in row["won@example.com"]
    assert "said they are satisfied" in row["satisfied@example.com"]
    assert "(confirmed satisfied)" in row["satisfied@example.com"]
    assert 'aria-label="answered 5 of 5"' in row["satisfied@example.com"]
    assert "no answer" in row["pending@example.com"] and "counts until" in row["pending@example.com"]
    assert "email-scheduled" in row["pending@example.com"]
    assert 'due <time datetime="2026-11-29T12:00:00+00:00">' in row["pending@example.com"]
    assert "Not recovered" in row["lost@example.com"]
    assert f'href="/cases/{outcomes["won"].id}"' in row["won@example.com"]


@pytest.mark.parametrize("outcome, expected", [
    ("won_back", ["won@example.com"]),
    ("satisfied", ["satisfied@example.com"]),
    ("recovered", ["satisfied@example.com", "won@example.com"]),
    ("pending", ["pending@example.com"]),
    ("not_recovered", ["lost@example.com"]),
])
def test_it_filters_by_outcome(login_as, outcomes, outcome, expected):
    html = login_as("agent").get(f"/recovery?outcome={outcome}").get_data(as_text=True)
    assert sorted(email for email, _ in rows(html)) == expected
    assert f'<option value="{outcome}" selected>' in html
    assert stat(html, "Recovery rate").startswith("67%")  # the figures are the shop's, whatever the filter


def test_it_filters_by_shop_for_someone_who_sees_several(login_as, outcomes, shop_a, shop_b):
    client = login_as("owner")
    everything = client.get("/recovery").get_data(as_text=True)
    assert len(rows(everything)) == 5 and "<th>Shop</th>" in everything
    only_b = client.get(f"/recovery?shop={shop_b.id}").get_data(as_text=True)
    assert rows(only_b) == [("bee@example.com", "pending")]
    assert stat(only_b, "Recovery rate").startswith("— 0 of 0 decided")
    only_a = client.get(f"/recovery?shop={shop_a.id}").get_data(as_text=True)
    assert len(rows(only_a)) == 4 and stat(only_a, "Recovery rate").startswith("67%")


def test_it_pages_the_list(login_as, outcomes, monkeypatch):
    monkeypatch.setattr(recovery_report, "PER_PAGE", 3)
    client = login_as("agent")
    first = client.get("/recovery").get_data(as_text=True)
    assert len(rows(first)) == 3 and "Page 1 of 2" in first and 'href="/recovery?page=2"' in first
    second = client.get("/recovery?page=2").get_data(as_text=True)
    assert rows(second) == [("lost@example.com", "not_recovered")]  # the oldest resolution comes last
    assert 'href="/recovery?page=1"' in second
    filtered = client.get("/recovery?outcome=recovered&page=1").get_data(as_text=True)
    assert "Page 1 of 1" in filtered


def test_it_hides_other_shops_from_an_outsider(login_as, outcomes, shop_a):
    client = login_as("outsider")
    html = client.get("/recovery").get_data(as_text=True)
    assert rows(html) == [("bee@example.com", "pending")]
    response = client.get(f"/recovery?shop={shop_a.id}")
    assert response.status_code == 404 and "won@example.com" not in response.get_data(as_text=True)


def test_it_lets_a_viewer_read_it(login_as, outcomes):
    html = login_as("viewer").get("/recovery").get_data(as_text=True)
    assert len(rows(html)) == 4 and "<form" in html and 'method="post"' not in html.split("</header>", 1)[1]


def test_it_refuses_an_unknown_outcome_filter(login_as, outcomes):
    response = login_as("agent").get("/recovery?outcome=maybe")
    assert response.status_code == 400 and "outcome must be one of" in response.get_data(as_text=True)


def test_it_links_the_page_from_the_navigation_and_explains_an_empty_list(login_as):
    html = login_as("viewer").get("/recovery").get_data(as_text=True)
    assert '<a href="/recovery" aria-current="page">Resolved customers</a>' in html
    assert "No resolved customers match these filters." in html
    assert stat(html, "Median time to recovery").startswith("—")
