"""The crisis alerts page, the banner on every panel page, and acknowledging (CSRF, roles, shop scoping)."""
import pytest

from crisisdesk.extensions import db
from crisisdesk.models import AuditEntry, Case, CrisisAlert
from crisisdesk.services import crisis_alerts
from tests.services.test_crisis_alerts import LATE, quiet_history, spike


@pytest.fixture
def alert(app, shop_a, frozen_clock):
    quiet_history(shop_a, frozen_clock.now)
    spike(shop_a, frozen_clock.now, 4)
    crisis_alerts.detect()
    return CrisisAlert.query.one()


def test_it_lists_the_alert_with_its_evidence_links_to_cases_and_the_rule_in_words(login_as, alert):
    html = login_as("viewer").get("/alerts").get_data(as_text=True)

    assert "Spike of negative reviews for Kettle" in html
    assert "4 negative reviews in the 24 hours to" in html and "predict 0.2" in html
    assert "below 0.001; there are at least 3; and at least twice the usual number" in html
    assert "Late or lost delivery · 4" in html and html.count(LATE) == 4
    for review_id in alert.review_ids:
        case = Case.query.filter_by(review_id=review_id).one()
        assert f'href="/cases/{case.id}"' in html
    assert "Acknowledge" not in html  # a viewer sees, but has no form


def test_it_shows_a_banner_on_every_panel_page_while_an_alert_is_open(login_as, alert, owner):
    client = login_as("agent")
    for page in ("/cases", "/recovery", "/shops"):
        html = client.get(page).get_data(as_text=True)
        assert "1 crisis alert is open." in html and 'href="/alerts"' in html, page

    crisis_alerts.acknowledge(owner, alert.id, crisis_alerts_actor(owner))

    assert "crisis alert is open" not in client.get("/cases").get_data(as_text=True)


def crisis_alerts_actor(user):
    from crisisdesk.domain.actor import Actor

    return Actor(label=user.email, user_id=user.id)


def test_it_acknowledges_with_a_note_through_the_form_and_audits_it(login_as, alert, agent):
    client = login_as("agent")

    response = client.submit(f"/alerts/{alert.id}/acknowledge", {"note": "Courier switched."}, page="/alerts")

    assert response.status_code == 302 and response.headers["Location"].endswith(f"/alerts#alert-{alert.id}")
    db.session.expire_all()
    assert (alert.status, alert.acknowledged_by_id, alert.acknowledgement_note) == ("acknowledged", agent.id,
                                                                                   "Courier switched.")
    assert AuditEntry.query.filter_by(action="crisis_alert.acknowledged", target_id=alert.id).count() == 1
    html = client.get("/alerts").get_data(as_text=True)
    assert "Alert acknowledged." in html and "Acknowledged by" in html and "Courier switched." in html
    assert "crisis alert is open" not in html


def test_it_refuses_an_acknowledgement_without_a_csrf_token(login_as, alert):
    client = login_as("owner")

    response = client.post(f"/alerts/{alert.id}/acknowledge", data={"note": "x"})

    assert response.status_code == 400
    db.session.expire_all()
    assert alert.status == "open"


def test_it_lets_a_viewer_see_but_not_acknowledge(login_as, alert):
    client = login_as("viewer")

    response = client.submit(f"/alerts/{alert.id}/acknowledge", {}, page="/alerts")

    assert response.status_code == 403
    db.session.expire_all()
    assert alert.status == "open"


def test_it_keeps_another_shops_alerts_invisible(login_as, alert, shop_a):
    client = login_as("outsider")

    assert "Kettle" not in client.get("/alerts").get_data(as_text=True)
    assert "crisis alert" not in client.get("/cases").get_data(as_text=True)
    assert client.get(f"/alerts?shop={shop_a.id}").status_code == 404
    assert client.submit(f"/alerts/{alert.id}/acknowledge", {}, page="/alerts").status_code == 404
    db.session.expire_all()
    assert alert.status == "open"


def test_it_shows_the_second_person_who_acknowledged_first(login_as, alert, owner):
    crisis_alerts.acknowledge(owner, alert.id, crisis_alerts_actor(owner), "Mine.")
    client = login_as("agent")

    client.submit(f"/alerts/{alert.id}/acknowledge", {"note": "Me too."}, page="/alerts")

    html = client.get("/alerts").get_data(as_text=True)
    assert "this alert was already acknowledged by" in html
    db.session.expire_all()
    assert alert.acknowledgement_note == "Mine."
