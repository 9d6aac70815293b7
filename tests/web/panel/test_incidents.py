"""The incident pages: opening one from a crisis alert, the incident page with its figures, writing, previewing and
sending an update (a second submit sends nothing twice), the phases, the security checklist, closing with a
retrospective (what was typed is kept on an error), the case page's link and the inbox filter, roles and shops."""
import re
from collections import Counter
from decimal import Decimal

from crisisdesk.extensions import db
from crisisdesk.models import Case, CrisisAlert, Incident, IncidentChecklistTick, OutboxEmail
from crisisdesk.services import crisis_alerts, incidents
from tests.incident_helpers import actor_of, affected_case, affected_cases, compensate, courier_failure

GOOD = "What happened: the courier lost parcels.\n\nWhat we are doing: a new parcel is on its way to you."


def opened(agent, shop, cases, cause="late_delivery"):
    incident, _ = incidents.open_incident(agent, shop.id, actor_of(agent), "Courier failure", cause,
                                          case_ids=[c.id for c in cases])
    return incident


def test_an_agent_opens_an_incident_from_the_alert_page_and_sees_its_cases_and_figures(client, shop_a, agent,
                                                                                     frozen_clock):
    cases = courier_failure(shop_a, 5, total=30.0)
    compensate(cases[0], "refund", amount=Decimal("30"), value=Decimal("30"))
    unrelated = affected_case(shop_a, 9, text="Arrived broken, the handle snapped off.", product_id=20)
    crisis_alerts.detect()
    alert = CrisisAlert.query.filter_by(scope="product").one()
    client.login(agent)
    alerts = client.get("/alerts").get_data(as_text=True)
    assert f'href="/incidents/new?alert={alert.id}"' in alerts and "Open an incident from this alert" in alerts

    form = client.get(f"/incidents/new?alert={alert.id}").get_data(as_text=True)
    assert f"From crisis alert #{alert.id}" in form and "Late or lost delivery" in form
    assert all(f'value="{c.id}" id="cases-{c.id}" checked' in form for c in cases)
    response = client.submit("/incidents/new", {
        "shop": shop_a.id, "cause": "late_delivery", "product": alert.product_id, "alert": alert.id,
        "title": "Courier lost parcels", "owner": agent.id, "statement": "We are on it.", "cadence_hours": 72,
        "cases": [c.id for c in cases]}, page=f"/incidents/new?alert={alert.id}")
    incident = Incident.query.one()
    assert response.status_code == 302 and response.headers["Location"] == f"/incidents/{incident.id}"
    assert db.session.get(CrisisAlert, alert.id).status == "acknowledged"

    page = client.get(f"/incidents/{incident.id}").get_data(as_text=True)
    assert "Courier lost parcels" in page and "We are on it." in page and "5 cases" in page
    figures = page[page.index('id="figures"'):page.index("</section>", page.index('id="figures"'))]
    assert "<dt>Affected orders</dt><dd>5</dd>" in figures
    assert "150.00" in figures and "30.00" in figures  # at stake, and the refund that went through
    assert "Move to: Reacting" in page and "Write update 1" in page
    assert "Security playbook" not in page

    case_page = client.get(f"/cases/{cases[0].id}").get_data(as_text=True)
    assert f'href="/incidents/{incident.id}"' in case_page and "Part of an incident:" in case_page
    assert f"Added to incident #{incident.id}: Courier lost parcels" in case_page
    inbox = client.get(f"/cases?incident={incident.id}&status=all").get_data(as_text=True)
    assert all(f'href="/cases/{c.id}"' in inbox for c in cases) and f'href="/cases/{unrelated.id}"' not in inbox
    assert "Handled as an incident:" in client.get("/alerts").get_data(as_text=True)


def test_an_incident_from_a_shop_wide_alert_ticks_only_the_cases_of_its_main_cause(client, shop_a, agent,
                                                                                   frozen_clock):
    late = courier_failure(shop_a, 5)
    broken = affected_case(shop_a, 9, text="Arrived broken, the handle snapped off.", product_id=20)
    crisis_alerts.detect()
    alert = CrisisAlert.query.filter_by(scope="shop").one()
    assert broken.review_id in alert.review_ids and alert.dominant_cause == "late_delivery"
    client.login(agent)

    form = client.get(f"/incidents/new?alert={alert.id}").get_data(as_text=True)
    assert all(f'value="{c.id}" id="cases-{c.id}" checked' in form for c in late)
    assert f'value="{broken.id}" id="cases-{broken.id}" >' in form  # offered, not ticked
    assert "its cases with this cause are ticked below" in form


def test_an_alert_whose_cases_joined_an_incident_links_to_it(client, shop_a, agent, frozen_clock):
    cases = courier_failure(shop_a, 5)
    crisis_alerts.detect()
    product_alert = CrisisAlert.query.filter_by(scope="product").one()
    shop_alert = CrisisAlert.query.filter_by(scope="shop").one()
    incident, _ = incidents.open_incident(agent, shop_a.id, actor_of(agent), "Courier failure", "late_delivery",
                                          case_ids=[c.id for c in cases[:4]], alert_id=product_alert.id)
    client.login(agent)

    html = client.get("/alerts").get_data(as_text=True)
    card = html[html.index(f'id="alert-{shop_alert.id}"'):]
    card = card[:card.index("</section>")]
    assert "4 of its cases are part of an incident:" in card
    assert f'<a href="/incidents/{incident.id}">#{incident.id} Courier failure</a>' in card
    assert "Open an incident from this alert" in card  # the fifth case is in none yet
    own = html[html.index(f'id="alert-{product_alert.id}"'):]
    own = own[:own.index("</section>")]
    assert "Handled as an incident:" in own and "part of an incident" not in own


def test_every_id_on_the_incident_page_is_unique_so_each_label_names_its_field(client, shop_a, agent,
                                                                              frozen_clock):
    incident = opened(agent, shop_a, courier_failure(shop_a, 2), cause="security_or_fraud")
    client.login(agent)
    for page in (f"/incidents/{incident.id}", f"/incidents/{incident.id}/update", f"/incidents/new?shop={shop_a.id}"):
        # Every form's hidden CSRF input is rendered with the same id by Flask-WTF; nothing labels or links to it.
        ids = [i for i in re.findall(r'\sid="([^"]+)"', client.get(page).get_data(as_text=True)) if i != "csrf_token"]
        assert ids and [i for i, n in Counter(ids).items() if n > 1] == [], page


def test_an_update_names_every_text_still_to_complete_at_once(client, shop_a, agent, frozen_clock):
    affected_cases(shop_a, [1])
    affected_cases(shop_a, [2], text="Kurier zgubił moją paczkę, nie dotarła do dziś.")
    incident = opened(agent, shop_a, Case.query.order_by(Case.id).all())
    client.login(agent)
    page = f"/incidents/{incident.id}/update"
    compose = client.get(page).get_data(as_text=True)
    assert 'name="text_en"' in compose and 'name="text_pl"' in compose

    for url in (page, f"{page}/preview"):
        response = client.submit(url, {"number": 1, "text_en": "Since [date] parcels are late.", "text_pl": ""},
                                 page=page)
        html = response.get_data(as_text=True)
        assert response.status_code == 400
        assert "fill in or remove the parts in [brackets]" in html and "this is required" in html
        assert html.count('class="error" role="alert"') == 2, html  # English: brackets; Polish: empty
    assert OutboxEmail.query.count() == 0


def test_an_update_is_previewed_checked_and_sent_once_however_often_it_is_posted(client, shop_a, agent, run_jobs,
                                                                                smtp_server, frozen_clock):
    incident = opened(agent, shop_a, courier_failure(shop_a, 3))
    client.login(agent)
    compose = client.get(f"/incidents/{incident.id}/update").get_data(as_text=True)
    assert "since [date] our courier partner has had a serious failure" in compose
    assert 'name="number" required type="hidden" value="1"' in compose
    page = f"/incidents/{incident.id}/update"

    left = client.submit(page, {"number": 1, "text_en": "Since [date] parcels are late."}, page=page)
    assert left.status_code == 400
    html = left.get_data(as_text=True)
    assert "fill in or remove the parts in [brackets]" in html and "Since [date] parcels are late." in html

    preview = client.submit(f"{page}/preview", {"number": 1, "text_en": GOOD}, page=page).get_data(as_text=True)
    assert "Preview in English, as customer1@example.com gets it" in preview and "Hello Anna," in preview
    assert OutboxEmail.query.count() == 0

    sent = client.submit(page, {"number": 1, "text_en": GOOD}, page=page, follow_redirects=True)
    assert "Update 1 is being sent to 3 customers." in sent.get_data(as_text=True)
    again = client.submit(page, {"number": 1, "text_en": "Typed twice."}, page=page, follow_redirects=True)
    assert "Update 1 was already sent; nobody gets it twice." in again.get_data(as_text=True)
    run_jobs()
    assert len(smtp_server.messages) == 3
    detail = client.get(f"/incidents/{incident.id}").get_data(as_text=True)
    assert "sent: 3" in detail and "waiting: 0" in detail and "Write update 2" in detail

    frozen_clock.advance(hours=72)
    assert "update due" in client.get("/incidents").get_data(as_text=True)
    assert "An update to the affected customers is due" in client.get(f"/incidents/{incident.id}").get_data(
        as_text=True)


def test_closing_asks_for_the_retrospective_and_keeps_what_was_typed(client, shop_a, agent, frozen_clock):
    incident = opened(agent, shop_a, courier_failure(shop_a, 1))
    client.login(agent)
    page = f"/incidents/{incident.id}"
    client.submit(f"{page}/phase", {"phase": "reacting"}, page=page)
    response = client.submit(f"{page}/close", {"what_happened": "The depot flooded.", "what_worked": "",
                                               "what_to_change": ""}, page=page)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "The depot flooded." in html and "This field is required." in html
    assert db.session.get(Incident, incident.id).phase == "reacting"

    client.submit(f"{page}/close", {"what_happened": "The depot flooded.", "what_worked": "Daily updates.",
                                    "what_to_change": "A second courier."}, page=page)
    html = client.get(page).get_data(as_text=True)
    assert "Retrospective" in html and "A second courier." in html and "Move to:" not in html
    assert "none: the incident is closed" in html and 'action="/incidents/1/close"' not in html


def test_a_security_incident_offers_the_playbook_checklist(client, shop_a, agent, frozen_clock):
    incident = opened(agent, shop_a, [], cause="security_or_fraud")
    client.login(agent)
    page = f"/incidents/{incident.id}"
    html = client.get(page).get_data(as_text=True)
    assert "Security playbook" in html and "Say what support they get" in html
    client.submit(f"{page}/checklist", {"items": ["told_quickly", "what_to_do"]}, page=page)
    assert {t.item for t in IncidentChecklistTick.query} == {"told_quickly", "what_to_do"}
    assert f"ticked by {agent.display_name}" in client.get(page).get_data(as_text=True)
    compose = client.get(f"{page}/update").get_data(as_text=True)
    assert "What you should do: change your password" in compose and "identity theft" in compose


def test_the_timeline_and_the_incident_page_read_in_polish(client, shop_a, agent, frozen_clock):
    [case] = courier_failure(shop_a, 1)
    incident = opened(agent, shop_a, [case])
    incidents.change_phase(agent, incident.id, "reacting", actor_of(agent))
    agent.language = "pl"
    db.session.commit()
    client.login(agent)
    case_page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert f"Dodano do incydentu #{incident.id}: Courier failure" in case_page
    assert f"Incydent #{incident.id} przeszedł do fazy: Reakcja" in case_page
    assert "Faza" in client.get(f"/incidents/{incident.id}").get_data(as_text=True)


def test_viewers_only_read_and_other_shops_people_get_not_found(client, shop_a, agent, viewer, outsider,
                                                                frozen_clock):
    incident = opened(agent, shop_a, courier_failure(shop_a, 1))
    client.login(viewer)
    html = client.get(f"/incidents/{incident.id}").get_data(as_text=True)
    assert "Courier failure" in html and "Move to:" not in html and "Close the incident" not in html
    assert client.get(f"/incidents/{incident.id}/update").status_code == 403
    client.submit("/logout", page="/cases")
    client.login(outsider)
    assert client.get(f"/incidents/{incident.id}").status_code == 404
    assert "Courier failure" not in client.get("/incidents").get_data(as_text=True)
    response = client.submit(f"/incidents/{incident.id}/phase", {"phase": "reacting"}, page="/incidents")
    assert response.status_code == 404 and db.session.get(Incident, incident.id).phase == "recognised"
    assert client.get(f"/incidents/new?shop={shop_a.id}").status_code == 404
