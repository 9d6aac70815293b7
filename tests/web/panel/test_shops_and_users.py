"""Owners' pages: connecting shops (the secret is shown once), settings, secret rotation, users, the audit log."""
import re

import pytest

from crisisdesk.extensions import db
from crisisdesk.models import AuditEntry, Shop, ShopSecret, User
from crisisdesk.services import shops as shop_service
from crisisdesk.services.users import audit_actor
from tests import factories
from tests.conftest import PanelClient

SECRET = re.compile(r'value="(whsec_[A-Za-z0-9+/=]+)"')
SETTINGS = {"first_response_hours": 24, "apology_hours": 48, "update_hours": 72, "case_max_rating": 2,
            "negative_text_max_rating": 3, "language": "en", "timezone": "UTC"}


def shown_secret(response):
    match = SECRET.search(response.get_data(as_text=True))
    assert match, "no secret on the page"
    return match.group(1)


def field_block(html, name):
    blocks = [b for b in html.split('<div class="field') if f'name="{name}"' in b]
    assert blocks, f"no field {name}"
    return blocks[0]


def send_event(api, shop, secret):
    return api.send(shop, "review.created", factories.review(rating=5, text="Great"), secret=secret)


# --- connecting a shop -------------------------------------------------------------------------------------

def test_it_connects_a_shop_and_shows_its_secret_once(client, owner, api):
    client.login(owner)
    response = client.submit("/shops/new", {"name": "Sklep Kraków", "url": "https://sklep.example/",
                                            "language": "pl", "timezone": "Europe/Warsaw"}, page="/shops/new")
    assert response.status_code == 200
    shop = Shop.query.filter_by(name="Sklep Kraków").one()
    assert (shop.url, shop.language, shop.timezone) == ("https://sklep.example", "pl", "Europe/Warsaw")
    secret = shown_secret(response)
    html = response.get_data(as_text=True)
    assert "This is the only time the secret is shown." in html
    assert f"<code>{shop.id}</code>" in html
    assert f"http://panel.test/api/v1/shops/{shop.id}/events" in html
    assert shop.current_secret().value == secret
    assert AuditEntry.query.filter_by(action="shop.created", target_id=shop.id).count() == 1
    assert secret not in str([e.details for e in AuditEntry.query])

    assert send_event(api, shop, secret).status_code == 202  # the secret the owner copied works

    for url in (f"/shops/{shop.id}/settings", "/shops", "/audit"):
        later = client.get(url).get_data(as_text=True)
        assert secret not in later and secret[6:] not in later, url
    settings = client.get(f"/shops/{shop.id}/settings").get_data(as_text=True)
    assert f"<code>{secret[:10]}…{secret[-4:]}</code>" in settings


BAD_SHOPS = [
    ({"url": "ftp://sklep.example"}, "url", "Invalid URL."),
    ({"url": ""}, "url", "This field is required."),
    ({"name": ""}, "name", "This field is required."),
    ({"timezone": "Mars/Olympus"}, "timezone", "unknown time zone &#39;Mars/Olympus&#39;"),
    ({"language": "de"}, "language", "Not a valid choice."),
]


def test_it_shows_what_is_wrong_with_a_new_shop_and_saves_nothing(client, owner):
    client.login(owner)
    shops, secrets = Shop.query.count(), ShopSecret.query.count()
    for data, field, message in BAD_SHOPS:
        form = {"name": "Sklep", "url": "https://sklep.example", "language": "pl", "timezone": "Europe/Warsaw",
                **data}
        response = client.submit("/shops/new", form, page="/shops/new")
        assert response.status_code == 400, data
        html = response.get_data(as_text=True)
        assert message in field_block(html, field), data
        assert "whsec_" not in html
        assert (Shop.query.count(), ShopSecret.query.count()) == (shops, secrets), data


def test_it_lists_shops_with_settings_links_for_owners_only(client, agent, shop_a, shop_b):
    client.login(agent)
    html = client.get("/shops").get_data(as_text=True)
    assert shop_a.name in html and shop_b.name not in html
    assert "/settings" not in html and "Connect a shop" not in html


# --- settings ----------------------------------------------------------------------------------------------

def test_it_shows_and_saves_the_settings(client, owner, shop_a):
    client.login(owner)
    url = f"/shops/{shop_a.id}/settings"
    assert 'value="24"' in field_block(client.get(url).get_data(as_text=True), "first_response_hours")
    response = client.submit(url, {**SETTINGS, "first_response_hours": 8, "language": "lv", "timezone": "Europe/Riga"},
                             page=url)
    assert response.status_code == 302 and response.headers["Location"] == url
    db.session.refresh(shop_a)
    assert (shop_a.first_response_hours, shop_a.language, shop_a.timezone) == (8, "lv", "Europe/Riga")
    assert "Settings saved." in client.get(url).get_data(as_text=True)
    entry = AuditEntry.query.filter_by(action="shop.settings_changed").one()
    assert entry.details["changes"] == {"first_response_hours": [24, 8], "language": ["en", "lv"],
                                        "timezone": ["UTC", "Europe/Riga"]}


BAD_SETTINGS = [
    ("first_response_hours", "0", "Number must be between 1 and 720."),
    ("update_hours", "721", "Number must be between 1 and 720."),
    ("apology_hours", "soon", "Not a valid integer value."),
    ("case_max_rating", "6", "Number must be between 0 and 5."),
    ("timezone", "Europe/Atlantis", "unknown time zone"),
]


def test_it_shows_a_form_error_and_saves_nothing(client, owner, shop_a):
    client.login(owner)
    url = f"/shops/{shop_a.id}/settings"
    for field, value, message in BAD_SETTINGS:
        response = client.submit(url, {**SETTINGS, "language": "pl", field: value}, page=url)
        assert response.status_code == 400, field
        block = field_block(response.get_data(as_text=True), field)
        assert "has-error" in block and message in block, field
        db.session.expire_all()
        shop = db.session.get(Shop, shop_a.id)
        assert (shop.first_response_hours, shop.update_hours, shop.case_max_rating, shop.language) == (
            24, 72, 2, "en"), field
    assert AuditEntry.query.filter_by(action="shop.settings_changed").count() == 0


def test_it_answers_not_found_for_the_settings_of_a_missing_shop(client, owner):
    client.login(owner)
    assert client.get("/shops/999999/settings").status_code == 404


# --- rotating the shared secret ----------------------------------------------------------------------------

def test_it_rotates_the_secret_and_keeps_the_old_one_working_until_the_grace_ends(client, app, owner, shop_a, api,
                                                                                   frozen_clock):
    old = factories.secret_of(shop_a)
    client.login(owner)
    url = f"/shops/{shop_a.id}/settings"
    response = client.submit(f"/shops/{shop_a.id}/secret", {"confirm": "y"}, page=url)
    assert response.status_code == 200
    new = shown_secret(response)
    grace = app.config["SECRET_ROTATION_GRACE_HOURS"]
    assert new != old and new.startswith("whsec_")
    assert f"The previous secret keeps working for {grace} hours" in response.get_data(as_text=True)

    settings = client.get(url).get_data(as_text=True)
    assert new not in settings and old not in settings
    assert f"{new[:10]}…{new[-4:]}" in settings and f"{old[:10]}…{old[-4:]}" in settings
    assert "retiring" in settings

    assert send_event(api, shop_a, old).status_code == 202
    assert send_event(api, shop_a, new).status_code == 202
    frozen_clock.advance(hours=grace - 1)
    assert send_event(api, shop_a, old).status_code == 202
    frozen_clock.advance(hours=2)
    assert send_event(api, shop_a, old).status_code == 401
    assert send_event(api, shop_a, new).status_code == 202
    assert f"{old[:10]}…{old[-4:]}" not in client.get(url).get_data(as_text=True)
    assert AuditEntry.query.filter_by(action="shop.secret_rotated", target_id=shop_a.id).one().details == {
        "grace_hours": grace}


def test_it_does_not_rotate_without_the_confirmation(client, owner, shop_a, api):
    client.login(owner)
    url = f"/shops/{shop_a.id}/settings"
    response = client.submit(f"/shops/{shop_a.id}/secret", {}, page=url)
    assert response.status_code == 302
    assert "Tick the box to confirm" in client.get(url).get_data(as_text=True)
    assert ShopSecret.query.filter_by(shop_id=shop_a.id).count() == 1
    assert send_event(api, shop_a, factories.secret_of(shop_a)).status_code == 202


# --- users -------------------------------------------------------------------------------------------------

def test_it_creates_users_with_roles_and_shops(client, app, owner, shop_a, shop_b):
    client.login(owner)
    response = client.submit("/users", {"email": "Nowy.Agent@CrisisDesk.example", "name": "Nowy Agent",
                                         "role": "agent", "shops": [shop_a.id, shop_b.id],
                                         "password": "długie hasło agenta"}, page="/users")
    assert response.status_code == 302
    created = User.query.filter_by(email="nowy.agent@crisisdesk.example").one()
    assert (created.role, created.name, sorted(s.id for s in created.shops)) == (
        "agent", "Nowy Agent", sorted([shop_a.id, shop_b.id]))
    html = client.get("/users").get_data(as_text=True)
    assert "User created." in html and "nowy.agent@crisisdesk.example" in html
    entry = AuditEntry.query.filter_by(action="user.created", target_id=created.id).one()
    assert entry.actor_id == owner.id and entry.details["role"] == "agent"

    newcomer = PanelClient(app.test_client())
    newcomer.login(created, password="długie hasło agenta")
    assert newcomer.get("/cases").status_code == 200
    assert newcomer.get("/users").status_code == 403


BAD_USERS = [
    ({"password": "short"}, "password", "Field must be between 12 and 1024 characters long."),
    ({"password": "abababababab"}, "password", "the password is too repetitive"),
    ({"email": "owner@crisisdesk.example"}, "email", "already exists"),
    ({"email": "not-an-email"}, "email", "Invalid email address."),
    ({"role": "admin"}, "role", "Not a valid choice."),
    ({"shops": "999999"}, "shops", "not a valid choice"),
]


def test_it_shows_what_is_wrong_with_a_new_user_and_saves_nothing(client, owner, shop_a):
    client.login(owner)
    for data, field, message in BAD_USERS:
        form = {"email": "someone@crisisdesk.example", "role": "viewer", "shops": shop_a.id,
                "password": "a long enough password", **data}
        response = client.submit("/users", form, page="/users")
        assert response.status_code == 400, data
        html = response.get_data(as_text=True)
        assert message in field_block(html.split("Add a user")[1], field), data
        assert User.query.count() == 1, data


def test_it_changes_a_users_role_and_shops(client, owner, agent, shop_a, shop_b):
    client.login(owner)
    response = client.submit(f"/users/{agent.id}/access", {f"u{agent.id}-role": "viewer",
                                                           f"u{agent.id}-shops": [shop_b.id]}, page="/users")
    assert response.status_code == 302
    db.session.refresh(agent)
    assert agent.role == "viewer" and [s.id for s in agent.shops] == [shop_b.id]
    assert "Access saved." in client.get("/users").get_data(as_text=True)
    entry = AuditEntry.query.filter_by(action="user.access_changed", target_id=agent.id).one()
    assert entry.details == {"before": {"role": "agent", "shops": [shop_a.id]},
                             "after": {"role": "viewer", "shops": [shop_b.id]}}


def test_it_does_not_demote_the_last_owner(client, owner, shop_a):
    client.login(owner)
    client.submit(f"/users/{owner.id}/access", {f"u{owner.id}-role": "agent", f"u{owner.id}-shops": [shop_a.id]},
                  page="/users")
    db.session.refresh(owner)
    assert owner.role == "owner" and owner.shops == []
    assert "the last owner cannot be demoted" in client.get("/users").get_data(as_text=True)
    assert AuditEntry.query.filter_by(action="user.access_changed").count() == 0


def test_it_demotes_an_owner_when_another_owner_remains(client, owner, shop_a):
    second = factories.make_user("second.owner@crisisdesk.example", "owner")
    client.login(owner)
    client.submit(f"/users/{second.id}/access", {f"u{second.id}-role": "agent",
                                                 f"u{second.id}-shops": [shop_a.id]}, page="/users")
    db.session.refresh(second)
    assert second.role == "agent"


# --- the audit log -----------------------------------------------------------------------------------------

def test_it_lists_audit_entries_newest_first_with_who_and_where(client, owner, shop_a):
    client.login(owner)
    url = f"/shops/{shop_a.id}/settings"
    client.submit(url, {**SETTINGS, "first_response_hours": 12}, page=url)
    html = client.get("/audit").get_data(as_text=True)
    rows = re.findall(r"<tr><td>.*?</tr>", html, re.S)
    assert "shop.settings_changed" in rows[0] and owner.email in rows[0] and "127.0.0.1" in rows[0]
    assert "user.logged_in" in rows[1]
    assert "shop.created" in rows[-1] and "cli" in rows[-1]
    assert "first_response_hours" in rows[0]


def test_it_pages_the_audit_log(client, owner, shop_a):
    for hours in range(1, 56):
        shop_service.update_settings(owner, shop_a.id, audit_actor(owner), first_response_hours=hours)
    client.login(owner)
    first = client.get("/audit").get_data(as_text=True)
    assert len(re.findall(r"<tr><td>", first)) == 50 and "Older →" in first and "← Newer" not in first
    second = client.get("/audit?page=2").get_data(as_text=True)
    total = AuditEntry.query.count()
    assert len(re.findall(r"<tr><td>", second)) == total - 50 and "← Newer" in second and "Older →" not in second


def test_it_leaves_a_user_as_it_was_when_a_shop_is_unknown(owner, agent, shop_a):
    # The form only offers existing shops; the service must hold too (CLI, a shop deleted meanwhile).
    from crisisdesk.domain.errors import Invalid
    from crisisdesk.services.users import set_user_access

    with pytest.raises(Invalid) as raised:
        set_user_access(agent.id, "viewer", [shop_a.id, 999_999], audit_actor(owner))
    assert raised.value.field == "shops"
    db.session.commit()  # nothing half-changed may be saved by the next commit
    db.session.expire_all()
    assert db.session.get(User, agent.id).role == "agent"
