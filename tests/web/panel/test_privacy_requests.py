"""Privacy requests in the panel (Shops → a shop → Privacy requests) and the shop's retention period: owners only,
every step audited without the address, the erasure only after the address is typed again."""
import json
from datetime import datetime, timezone

import pytest

from crisisdesk.domain.actor import Actor
from crisisdesk.extensions import db
from crisisdesk.models import AuditEntry, Case, Review, Shop
from crisisdesk.services import cases as case_service
from crisisdesk.services import retention
from tests import factories
from tests.web.panel.test_shops_and_users import field_block


@pytest.fixture
def grace(app, shop_a):
    factories.deliver(shop_a, "order.created", factories.order(order_id=9001, email="grace@example.com"))
    factories.deliver(shop_a, "review.created", factories.review(review_id=901, email="grace@example.com", rating=1,
                                                                 text="Broken. Grace Hopper"))
    return Case.query.filter_by(shop_id=shop_a.id).one()


def page_of(shop):
    return f"/shops/{shop.id}/privacy"


def review_text():
    db.session.expire_all()
    return Review.query.filter_by(remote_id=901).one().text


def test_it_shows_what_the_shop_holds_and_offers_the_download_and_the_erasure(client, owner, shop_a, grace):
    client.login(owner)
    assert f'href="{page_of(shop_a)}"' in client.get("/shops").get_data(as_text=True)

    response = client.submit(page_of(shop_a), {"email": " Grace@Example.com "}, page=page_of(shop_a))

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "What CrisisDesk holds about grace@example.com" in html
    for kind, count in (("customer", 1), ("order", 1), ("review", 1), ("case", 1), ("compensation", 0)):
        assert f'<tr data-kind="{kind}">' in html and f'<td>{count}</td></tr>' in html.split(f'data-kind="{kind}"')[1]
    assert f'action="{page_of(shop_a)}/export"' in html and f'action="{page_of(shop_a)}/erase"' in html
    assert html.count('name="email" type="hidden" value="grace@example.com"') == 2
    entry = AuditEntry.query.filter_by(action="privacy.looked_up").one()
    assert (entry.actor_label, entry.shop_id, entry.details["held"]["review"]) == (owner.email, shop_a.id, 1)
    assert "grace" not in json.dumps(entry.details)


@pytest.mark.parametrize("email, message", [("grace", "email must be one email address, such as anna@example.com"),
                                            ("", "This field is required.")])
def test_it_shows_a_malformed_address_as_a_form_error_and_looks_nothing_up(client, owner, shop_a, grace, email,
                                                                          message):
    client.login(owner)
    response = client.submit(page_of(shop_a), {"email": email}, page=page_of(shop_a))

    assert response.status_code == 400
    block = field_block(response.get_data(as_text=True), "email")
    assert "has-error" in block and message in block
    assert AuditEntry.query.filter(AuditEntry.action.like("privacy.%")).count() == 0


def test_it_says_so_when_the_shop_holds_nothing_for_the_address(client, owner, shop_a, grace):
    client.login(owner)
    html = client.submit(page_of(shop_a), {"email": "nobody@example.com"}, page=page_of(shop_a)).get_data(as_text=True)
    assert "This shop holds no personal data for this address" in html and "/privacy/erase" not in html


def test_it_downloads_the_export_as_a_json_attachment(client, owner, shop_a, grace, frozen_clock):
    client.login(owner)
    response = client.submit(f"/shops/{shop_a.id}/privacy/export", {"email": "grace@example.com"},
                             page=page_of(shop_a))

    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="crisisdesk-export-shop-{shop_a.id}-2026-11-22.json"')
    assert response.headers["Cache-Control"] == "no-store"
    items = json.loads(response.get_data(as_text=True))["items"]
    assert {"name": "Review", "value": "Broken. Grace Hopper"} in items[2]["data"]
    assert AuditEntry.query.filter_by(action="privacy.exported").one().actor_label == owner.email


def test_it_erases_only_once_the_address_is_typed_again_and_lists_what_was_removed_and_kept(client, owner, shop_a,
                                                                                         grace):
    client.login(owner)
    url = f"/shops/{shop_a.id}/privacy/erase"

    for typed in ("ada@example.com", ""):
        refused = client.submit(url, {"email": "grace@example.com", "confirm_email": typed}, page=page_of(shop_a))
        assert refused.status_code == 400
        block = field_block(refused.get_data(as_text=True), "confirm_email")
        assert "has-error" in block and ("nothing was erased" in block or "This field is required." in block)
    no_token = client.post(url, data={"email": "grace@example.com", "confirm_email": "grace@example.com"})
    assert no_token.status_code == 400
    assert review_text() == "Broken. Grace Hopper"
    assert AuditEntry.query.filter_by(action="privacy.erased").count() == 0

    done = client.submit(url, {"email": "grace@example.com", "confirm_email": " GRACE@example.com"},
                         page=page_of(shop_a))

    assert done.status_code == 200
    html = done.get_data(as_text=True)
    assert "grace@example.com was erased" in html
    assert '<tr data-kind="review"><td>Reviews</td><td>1</td></tr>' in html
    assert ("<td>Orders</td><td>1</td><td>money records, kept for the shop's accounting; billing name and "
            "address removed</td>") in html
    assert review_text() == "[erased]"
    assert AuditEntry.query.filter_by(action="privacy.erased").one().actor_label == owner.email


def test_it_is_for_owners_only(client, agent, shop_a, grace):
    client.login(agent)
    assert client.get(page_of(shop_a)).status_code == 403
    erase = client.submit(f"/shops/{shop_a.id}/privacy/erase",
                          {"email": "grace@example.com", "confirm_email": "grace@example.com"}, page="/cases")
    assert erase.status_code == 403 and review_text() == "Broken. Grace Hopper"


# --- the retention period ---------------------------------------------------------------------------------

def retention_months(shop_id):
    db.session.expire_all()
    return db.session.get(Shop, shop_id).retention_months


def test_it_keeps_cases_until_the_owner_sets_a_period_and_audits_each_change(client, owner, shop_a):
    client.login(owner)
    url = f"/shops/{shop_a.id}/settings"
    html = client.get(url).get_data(as_text=True)
    assert 'id="retention"' in html and f'href="{page_of(shop_a)}"' in html
    assert 'name="retention_months" type="number" value=""' in field_block(html, "retention_months")
    assert retention_months(shop_a.id) is None

    saved = client.submit(f"/shops/{shop_a.id}/retention", {"retention_months": "24"}, page=url)
    assert saved.status_code == 302 and saved.headers["Location"] == url + "#retention"
    assert retention_months(shop_a.id) == 24
    assert client.submit(f"/shops/{shop_a.id}/retention", {"retention_months": ""}, page=url).status_code == 302
    assert retention_months(shop_a.id) is None
    changes = [e.details["changes"] for e in AuditEntry.query.filter_by(action="shop.retention_settings_changed")
               .order_by(AuditEntry.id)]
    assert changes == [{"retention_months": [None, 24]}, {"retention_months": [24, None]}]


@pytest.mark.parametrize("value, message", [("0", "Number must be between 1 and 120."),
                                            ("121", "Number must be between 1 and 120."),
                                            ("two years", "Not a valid integer value.")])
def test_it_refuses_a_period_out_of_bounds(client, owner, shop_a, value, message):
    client.login(owner)
    response = client.submit(f"/shops/{shop_a.id}/retention", {"retention_months": value},
                             page=f"/shops/{shop_a.id}/settings")
    assert response.status_code == 400
    block = field_block(response.get_data(as_text=True), "retention_months")
    assert "has-error" in block and message in block
    assert retention_months(shop_a.id) is None


def test_the_case_page_says_when_the_retention_period_anonymised_it(client, viewer, agent, shop_a, grace,
                                                                    frozen_clock):
    case_service.change_status(agent, grace.id, "closed", Actor(label=agent.email, user_id=agent.id))
    shop_a.retention_months = 1
    db.session.commit()
    frozen_clock.now = datetime(2027, 1, 5, 3, 0, tzinfo=timezone.utc)
    assert retention.anonymise_due_cases().cases == 1

    client.login(viewer)
    html = client.get(f"/cases/{grace.id}").get_data(as_text=True)

    assert "Anonymised on" in html and "under the shop’s retention setting." in html
    assert '<time datetime="2027-01-05T03:00:00+00:00">' in html.split('id="anonymised"')[1]
    assert "Grace" not in html and "Hopper" not in html and "grace@example.com" not in html


def test_the_look_up_and_the_erasure_answer_speak_polish(client, owner, shop_a, grace):
    from tests.web.panel.test_i18n import english_sentences, polish_catalogue, speaks_polish, visible_text

    speaks_polish(owner)
    client.login(owner)
    english = english_sentences(polish_catalogue())
    held = client.submit(page_of(shop_a), {"email": "grace@example.com"}, page=page_of(shop_a))
    erased = client.submit(f"{page_of(shop_a)}/erase", {"email": "grace@example.com",
                                                        "confirm_email": "grace@example.com"}, page=page_of(shop_a))
    for response in (held, erased):
        text = visible_text(response.get_data(as_text=True)).replace("grace@example.com", "")
        assert [sentence for sentence in english if sentence in text] == []
    assert "Co CrisisDesk przechowuje o grace@example.com" in held.get_data(as_text=True)
    assert "zapisy finansowe, zachowane dla księgowości sklepu" in erased.get_data(as_text=True)
