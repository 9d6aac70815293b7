"""The improvement log in the panel: the dashboard's suggested fixes and their "Log an improvement" link, the form
(prefilled, its errors, its roles, other shops' cases and products), the page with its effect, publishing."""
import re
from datetime import date

from crisisdesk.extensions import db
from crisisdesk.models import AuditEntry, Improvement
from crisisdesk.services import improvements
from crisisdesk.services.improvements import ImprovementInput
from tests.reply_helpers import actor_of, review_case
from tests.web.panel.test_dashboard import cells


def late_case(shop, **person):
    """A 1★ review case (written 2026-11-20) whose main cause is late delivery."""
    case = review_case(shop, **person)
    case.cause, case.causes = "late_delivery", ["late_delivery"]
    db.session.commit()
    return case


def form(case_numbers="", **changes):
    return {"title": "Faster courier", "area": "logistics", "made_on": "2026-11-02",
            "description": "We moved to a faster courier.", "causes": ["late_delivery"], "cases": case_numbers,
            **changes}


def test_it_suggests_the_seeds_fixes_on_the_dashboards_top_causes(client, shop_a, agent, viewer, frozen_clock):
    late_case(shop_a)
    client.login(agent)
    html = client.get(f"/dashboard?shop={shop_a.id}").get_data(as_text=True)
    row = cells(html, "causes-table")
    assert row[:5] == ["Cause", "This period", "Previous period", "Trend", "Suggested fixes"]
    assert row[5] == "Late or lost delivery"
    fixes = row[-1]
    assert "Optimise the logistics processes" in fixes and "(from the seeds, §4.3)" in fixes
    assert "Give tracking numbers and tell customers about delays before they ask" in fixes
    link = f'href="/improvements/new?cause=late_delivery&amp;fix=optimise_logistics&amp;shop={shop_a.id}"'
    assert link in html and html.count(">Log an improvement</a>") == 2

    client.submit("/logout", page="/dashboard")
    client.login(viewer)
    html = client.get("/dashboard").get_data(as_text=True)
    assert "Optimise the logistics processes" in html and "/improvements/new" not in html


def test_it_opens_the_form_prefilled_from_a_suggested_fix(client, shop_a, agent, frozen_clock):
    case = late_case(shop_a)
    client.login(agent)
    html = client.get(f"/improvements/new?cause=late_delivery&fix=optimise_logistics&shop={shop_a.id}") \
        .get_data(as_text=True)
    assert 'value="Optimise the logistics processes"' in html
    assert re.search(r'<option selected value="logistics">|<option value="logistics" selected>', html)
    assert re.search(r'<input checked id="causes-0" name="causes" type="checkbox" value="late_delivery">', html)
    assert 'value="2026-11-22"' in html  # today
    assert f'<option value="{case.product_id}">Czajnik Lab 1,7 l</option>' in html


def test_it_logs_an_improvement_and_shows_its_links_and_effect(client, shop_a, agent, frozen_clock):
    case = late_case(shop_a)
    client.login(agent)
    response = client.submit("/improvements/new", {"shop": shop_a.id, **form(f"#{case.id}"),
                                                   "products": case.product_id}, page="/improvements/new")
    assert response.status_code == 302
    improvement = Improvement.query.one()
    assert response.headers["Location"] == f"/improvements/{improvement.id}"
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "<h1>Faster courier" in html and f'href="/cases/{case.id}">Case #{case.id}</a>' in html
    assert "Czajnik Lab 1,7 l" in html
    assert "Before: 2026-10-13 to 2026-11-01. After: 2026-11-02 to 2026-11-21. 20 days each." in html
    assert "Too few to tell: fewer than 5 negative reviews in both windows together." in html
    effect = cells(html, "effect-table")
    negative = effect[5:10]
    # The review of 2026-11-20 is in the after-window: 0 before, 1 after; no percentage of nothing.
    assert negative == ["Negative reviews (1–2★) for these causes or products", "0", "1", "+1", "—"]
    html = client.get(f"/improvements/{improvement.id}?window=60").get_data(as_text=True)
    assert "20 days each." in html and "only 20 whole days have passed since the change" in html
    listing = client.get("/improvements").get_data(as_text=True)
    assert f'href="/improvements/{improvement.id}">Faster courier</a>' in listing


def test_it_shows_what_is_wrong_and_keeps_what_was_typed(client, shop_a, shop_b, agent, frozen_clock):
    other = review_case(shop_b, email="bob@example.com")
    client.login(agent)
    response = client.submit("/improvements/new", {"shop": shop_a.id, **form(f"{other.id}")},
                             page="/improvements/new")
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and f"no case #{other.id} in this shop" in html
    assert 'value="Faster courier"' in html and "We moved to a faster courier." in html
    response = client.submit("/improvements/new", {"shop": shop_a.id, **form(), "products": other.product_id},
                             page="/improvements/new")  # another shop's product is not among the choices
    assert response.status_code == 400
    assert f"&#39;{other.product_id}&#39; is not a valid choice for this field." in response.get_data(as_text=True)
    response = client.submit("/improvements/new", {"shop": shop_b.id, **form()}, page="/improvements/new")
    assert response.status_code == 400 and "Not a valid choice" in response.get_data(as_text=True)
    response = client.submit("/improvements/new", {"shop": shop_a.id, **form(title="")}, page="/improvements/new")
    assert response.status_code == 400 and "This field is required." in response.get_data(as_text=True)
    assert Improvement.query.count() == 0


def test_it_edits_publishes_and_withdraws_for_agents_only(client, shop_a, agent, viewer, outsider, frozen_clock):
    improvement = improvements.create_improvement(agent, shop_a.id, actor_of(agent), ImprovementInput(
        title="Boxes", area="quality_control", description="Sturdier boxes.", made_on=date(2026, 11, 1),
        causes=["damaged_or_defective"], product_ids=[], case_numbers=""))
    page = f"/improvements/{improvement.id}"
    client.login(viewer)
    html = client.get(page).get_data(as_text=True)
    assert "<h1>Boxes" in html and "/edit" not in html and "/publish" not in html
    assert client.get(f"{page}/edit").status_code == 403
    client.submit("/logout", page=page)

    client.login(agent)
    response = client.submit(f"{page}/edit", form(title="Boxes", public_note="Kettles now come in sturdier boxes."),
                             page=f"{page}/edit")
    assert response.status_code == 302
    html = client.submit(f"{page}/publish", page=page, follow_redirects=True).get_data(as_text=True)
    assert "The note is on the shop&#39;s public page." in html
    assert f"/s/{shop_a.id}/you-said-we-did" in html and "Withdraw from the public page" in html
    html = client.submit(f"{page}/withdraw", page=page, follow_redirects=True).get_data(as_text=True)
    assert "The note is no longer on the shop&#39;s public page." in html and ">Publish</button>" in html
    actions = [e.action for e in AuditEntry.query.filter(AuditEntry.action.like("improvement.%"))
               .order_by(AuditEntry.id)]
    assert actions == ["improvement.created", "improvement.updated", "improvement.published",
                       "improvement.withdrawn"]
    client.submit("/logout", page=page)

    client.login(outsider)
    assert client.get(page).status_code == 404 and client.get(f"{page}/edit").status_code == 404
    assert client.submit(f"{page}/publish", page="/improvements").status_code == 404
    assert "Boxes" not in client.get("/improvements").get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Improvement, improvement.id).published_at is None
