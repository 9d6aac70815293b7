"""A shop's review request settings: on the settings page as their own form, off by default, validated, owners
only, audited."""
import pytest

from crisisdesk.extensions import db
from crisisdesk.models import AuditEntry, Shop
from tests.web.panel.test_shops_and_users import field_block

ACTION = "shop.review_request_settings_changed"


def saved(shop_id):
    db.session.expire_all()
    shop = db.session.get(Shop, shop_id)
    return shop.review_requests_enabled, shop.review_request_days


def test_it_shows_the_form_switched_off_with_seven_days(client, owner, shop_a):
    client.login(owner)
    html = client.get(f"/shops/{shop_a.id}/settings").get_data(as_text=True)
    assert 'id="review-requests"' in html and f'action="/shops/{shop_a.id}/review-requests"' in html
    assert "checked" not in field_block(html, "review_requests_enabled")
    assert 'value="7"' in field_block(html, "review_request_days")
    assert "offers nothing in return" in html


def test_it_switches_them_on_says_since_when_and_audits_it(client, owner, shop_a, frozen_clock):
    client.login(owner)
    url = f"/shops/{shop_a.id}/settings"
    response = client.submit(f"/shops/{shop_a.id}/review-requests",
                             {"review_requests_enabled": "y", "review_request_days": "10"}, page=url)
    assert response.status_code == 302 and response.headers["Location"] == url + "#review-requests"
    assert saved(shop_a.id) == (True, 10)
    html = client.get(url).get_data(as_text=True)
    assert "Review request settings saved." in html and "checked" in field_block(html, "review_requests_enabled")
    assert 'On since <time datetime="2026-11-22T12:00:00+00:00">2026-11-22 12:00 UTC</time>' in html
    entry = AuditEntry.query.filter_by(action=ACTION).one()
    assert entry.actor_label == owner.email and entry.shop_id == shop_a.id
    assert entry.details["changes"] == {"review_requests_enabled": [False, True], "review_request_days": [7, 10]}

    # An unticked box is "off".
    assert client.submit(f"/shops/{shop_a.id}/review-requests", {"review_request_days": "10"},
                         page=url).status_code == 302
    assert saved(shop_a.id) == (False, 10)


@pytest.mark.parametrize("value, message", [("0", "Number must be between 1 and 60."),
                                            ("61", "Number must be between 1 and 60."),
                                            ("soon", "Not a valid integer value."),
                                            ("", "This field is required.")])
def test_it_shows_what_is_wrong_and_saves_nothing(client, owner, shop_a, value, message):
    client.login(owner)
    url = f"/shops/{shop_a.id}/settings"
    response = client.submit(f"/shops/{shop_a.id}/review-requests",
                             {"review_requests_enabled": "y", "review_request_days": value}, page=url)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    block = field_block(html, "review_request_days")
    assert "has-error" in block and message in block
    assert "checked" in field_block(html, "review_requests_enabled")  # what was ticked is kept
    assert 'value="7"' in field_block(html, "follow_up_days")  # the other forms show saved values
    assert saved(shop_a.id) == (False, 7)
    assert AuditEntry.query.filter_by(action=ACTION).count() == 0


def test_agents_cannot_change_them_in_their_own_shop_or_another(client, shop_a, agent, outsider):
    for user in (agent, outsider):
        client.login(user)
        response = client.submit(f"/shops/{shop_a.id}/review-requests",
                                 {"review_requests_enabled": "y", "review_request_days": "5"}, page="/cases")
        assert response.status_code == 403
        client.post("/logout", data={"csrf_token": client.csrf_token("/cases")})
    assert saved(shop_a.id) == (False, 7)
    assert AuditEntry.query.filter_by(action=ACTION).count() == 0


def test_it_answers_not_found_for_a_missing_shop(client, owner):
    client.login(owner)
    response = client.submit("/shops/999999/review-requests", {"review_request_days": "5"}, page="/shops")
    assert response.status_code == 404
