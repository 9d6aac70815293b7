"""The resolution-note form on the case page: agents only, on resolved review cases, prefilled in the review's
language; posted once per case (a second attempt shows the first); shown in Polish on the timeline."""
from crisisdesk.extensions import db
from crisisdesk.models import CaseReply
from tests.reply_helpers import review_case, wordpress  # noqa: F401
from tests.services.test_resolution_notes import resolve


def test_it_offers_the_prefilled_form_on_a_resolved_review_case(client, shop_a, agent):
    case = review_case(shop_a, order_id=4711)
    client.login(agent)
    assert 'id="resolution-note"' not in client.get(f"/cases/{case.id}").get_data(as_text=True)
    resolve(case, agent)
    html = client.get(f"/cases/{case.id}").get_data(as_text=True)
    form = html[html.index('id="resolution-note"'):html.index("</section>", html.index('id="resolution-note"'))]
    assert f'action="/cases/{case.id}/resolution-note"' in form and 'name="csrf_token"' in form
    assert "problem opisany w tej opinii został rozwiązany" in form and "4711" not in form


def test_it_shows_viewers_no_form(client, shop_a, agent, viewer):
    case = review_case(shop_a)
    resolve(case, agent)
    client.login(viewer)
    assert 'id="resolution-note"' not in client.get(f"/cases/{case.id}").get_data(as_text=True)


def test_it_posts_the_note_and_shows_the_first_on_a_second_attempt(client, shop_a, agent, wordpress, run_jobs):
    case = review_case(shop_a)
    resolve(case, agent)
    client.login(agent)
    page = f"/cases/{case.id}"
    response = client.submit(f"/cases/{case.id}/resolution-note", {"text": "Update: fixed, thank you!",
                                                                    "language": "en"}, page=page)
    assert response.status_code == 302 and response.headers["Location"].endswith("#resolution-note")
    run_jobs()
    again = client.submit(f"/cases/{case.id}/resolution-note", {"text": "A second note.", "language": "en"},
                          page=page, follow_redirects=True)
    html = again.get_data(as_text=True)
    assert "This case already has a resolution note; it is shown below." in html
    assert "Update: fixed, thank you!" in html and "Posted under the review" in html
    assert "A second note." not in html and 'id="resolution-note-text"' not in html
    assert CaseReply.query.filter_by(case_id=case.id).count() == 1 and len(wordpress.received) == 1


def test_it_refuses_a_note_naming_an_amount_and_keeps_the_form(client, shop_a, agent):
    case = review_case(shop_a)
    resolve(case, agent)
    client.login(agent)
    page = client.submit(f"/cases/{case.id}/resolution-note", {"text": "We refunded 25 zł.", "language": "pl"},
                         page=f"/cases/{case.id}", follow_redirects=True).get_data(as_text=True)
    assert "a public note must not name an amount" in page and 'id="resolution-note-text"' in page
    assert CaseReply.query.count() == 0


def test_it_needs_a_csrf_token(client, shop_a, agent):
    case = review_case(shop_a)
    resolve(case, agent)
    client.login(agent)
    response = client.post(f"/cases/{case.id}/resolution-note", data={"text": "Update: fixed.", "language": "en"})
    assert response.status_code in (302, 400) and CaseReply.query.count() == 0


def test_it_shows_the_note_in_polish(client, shop_a, agent):
    case = review_case(shop_a)
    resolve(case, agent)
    agent.language = "pl"
    db.session.commit()
    client.login(agent)
    html = client.submit(f"/cases/{case.id}/resolution-note", {"text": "Dziękujemy, naprawione.", "language": "pl"},
                         page=f"/cases/{case.id}", follow_redirects=True).get_data(as_text=True)
    assert "Notatka o rozwiązaniu zapisana, zostanie opublikowana pod opinią." in html
    assert "Publiczna notatka o rozwiązaniu" in html
