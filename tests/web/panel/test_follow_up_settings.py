"""A shop's follow-up email settings: shown on the settings page, validated, owners only, audited."""
import pytest

from crisisdesk.domain.actor import CLI
from crisisdesk.domain.errors import Invalid
from crisisdesk.extensions import db
from crisisdesk.models import AuditEntry, Shop
from crisisdesk.services import shops as shop_service
from tests.web.panel.test_shops_and_users import SETTINGS, field_block

GOOD = {"follow_up_days": 5, "reminder_days": 4, "recovery_window_days": 60, "quiet_hours_start": 22,
        "quiet_hours_end": 7, "email_from_name": "Kasia from Sklep", "reply_to_email": "pomoc@sklep.example"}
DEFAULTS = (7, 5, 90, 21, 8, "", "")


def saved(shop_id):
    db.session.expire_all()
    shop = db.session.get(Shop, shop_id)
    return tuple(getattr(shop, name) for name in shop_service.FOLLOW_UP_FIELDS)


def test_it_shows_the_email_settings_with_their_defaults(client, owner, shop_a):
    client.login(owner)
    html = client.get(f"/shops/{shop_a.id}/settings").get_data(as_text=True)
    assert 'id="emails"' in html and f'action="/shops/{shop_a.id}/emails"' in html
    assert 'value="7"' in field_block(html, "follow_up_days")
    assert 'value="90"' in field_block(html, "recovery_window_days")
    assert 'value="21"' in field_block(html, "quiet_hours_start")
    assert 'placeholder="Shop A"' in field_block(html, "email_from_name")


def test_it_saves_the_email_settings_and_audits_the_change(client, owner, shop_a):
    client.login(owner)
    url = f"/shops/{shop_a.id}/settings"
    response = client.submit(f"/shops/{shop_a.id}/emails", GOOD, page=url)
    assert response.status_code == 302 and response.headers["Location"] == url + "#emails"
    assert saved(shop_a.id) == tuple(GOOD[name] for name in shop_service.FOLLOW_UP_FIELDS)
    html = client.get(url).get_data(as_text=True)
    assert "Email settings saved." in html and 'value="pomoc@sklep.example"' in html
    entry = AuditEntry.query.filter_by(action="shop.follow_up_settings_changed").one()
    assert entry.actor_label == owner.email and entry.shop_id == shop_a.id
    assert entry.details["changes"]["follow_up_days"] == [7, 5]
    assert entry.details["changes"]["reply_to_email"] == ["", "pomoc@sklep.example"]


def test_it_clears_the_sender_name_and_reply_to_when_left_empty(client, owner, shop_a):
    client.login(owner)
    url = f"/shops/{shop_a.id}/settings"
    client.submit(f"/shops/{shop_a.id}/emails", GOOD, page=url)
    response = client.submit(f"/shops/{shop_a.id}/emails", {**GOOD, "email_from_name": "", "reply_to_email": ""},
                             page=url)
    assert response.status_code == 302
    assert saved(shop_a.id)[-2:] == ("", "")


def test_it_records_nothing_when_nothing_changed(client, owner, shop_a):
    client.login(owner)
    url = f"/shops/{shop_a.id}/settings"
    same = dict(zip(shop_service.FOLLOW_UP_FIELDS, DEFAULTS))
    assert client.submit(f"/shops/{shop_a.id}/emails", same, page=url).status_code == 302
    assert AuditEntry.query.filter_by(action="shop.follow_up_settings_changed").count() == 0


BAD = [
    ("follow_up_days", "0", "Number must be between 1 and 60."),
    ("follow_up_days", "soon", "Not a valid integer value."),
    ("reminder_days", "31", "Number must be between 1 and 30."),
    ("recovery_window_days", "400", "Number must be between 7 and 365."),
    ("recovery_window_days", "9", "must be longer than the follow-up and reminder delays together"),
    ("quiet_hours_start", "24", "Number must be between 0 and 23."),
    ("quiet_hours_end", "-1", "Number must be between 0 and 23."),
    ("reply_to_email", "not an address", "Invalid email address."),
    ("email_from_name", "x" * 201, "Field cannot be longer than 200 characters."),
]


@pytest.mark.parametrize("field, value, message", BAD)
def test_it_shows_what_is_wrong_keeps_the_input_and_saves_nothing(client, owner, shop_a, field, value, message):
    client.login(owner)
    url = f"/shops/{shop_a.id}/settings"
    response = client.submit(f"/shops/{shop_a.id}/emails", {**GOOD, field: value}, page=url)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    block = field_block(html, field)
    assert "has-error" in block and message in block
    kept = "reply_to_email" if field == "email_from_name" else "email_from_name"
    assert f'value="{GOOD[kept]}"' in field_block(html, kept)  # what was typed is kept
    assert 'value="24"' in field_block(html, "first_response_hours")  # the other forms show saved values
    assert saved(shop_a.id) == DEFAULTS
    assert AuditEntry.query.filter_by(action="shop.follow_up_settings_changed").count() == 0


def test_it_keeps_the_saved_email_settings_on_the_page_when_another_form_fails(client, owner, shop_a):
    client.login(owner)
    url = f"/shops/{shop_a.id}/settings"
    response = client.submit(url, {**SETTINGS, "timezone": "Europe/Atlantis"}, page=url)
    assert response.status_code == 400
    assert 'value="7"' in field_block(response.get_data(as_text=True), "follow_up_days")


def test_it_answers_not_found_for_a_missing_shop(client, owner):
    client.login(owner)
    assert client.submit("/shops/999999/emails", GOOD, page="/shops").status_code == 404
    assert client.submit("/shops/999999/emails", {**GOOD, "follow_up_days": 0}, page="/shops").status_code == 404


# --- the service, without HTTP ------------------------------------------------------------------------------

@pytest.mark.parametrize("values, field", [
    ({"email_from_name": "Shop\r\nBcc: everyone@example.com"}, "email_from_name"),
    ({"reply_to_email": "help@shop.example\nBcc: x@example.com"}, "reply_to_email"),
    ({"follow_up_days": True}, "follow_up_days"),
    ({"quiet_hours_end": 7.5}, "quiet_hours_end"),
    ({"colour": "red"}, "colour"),
])
def test_it_refuses_header_injection_and_values_of_the_wrong_kind(owner, shop_a, values, field):
    with pytest.raises(Invalid) as raised:
        shop_service.update_follow_up_settings(owner, shop_a.id, CLI, **values)
    assert raised.value.field == field
    assert saved(shop_a.id) == DEFAULTS


def test_it_lets_only_owners_change_the_email_settings(agent, shop_a):
    from crisisdesk.domain.errors import Forbidden

    with pytest.raises(Forbidden):
        shop_service.update_follow_up_settings(agent, shop_a.id, CLI, follow_up_days=3)
    assert saved(shop_a.id) == DEFAULTS
