"""Logging in and out: throttling, safe redirects, cookie flags, security headers, password storage."""
import re
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from urllib.parse import quote, urljoin, urlsplit

import pytest

from crisisdesk.config import ConfigError, load_config
from crisisdesk.extensions import db
from crisisdesk.models import AuditEntry, LoginAttempt, User
from tests import factories
from tests.conftest import PASSWORD, PanelClient

WRONG = "not the password at all"


def log_in(client, email, password, next_url=None, **kwargs):
    url = "/login" + (f"?next={quote(next_url, safe='')}" if next_url is not None else "")
    return client.submit(url, {"email": email, "password": password}, **kwargs)


def cookie(response, name):
    """The Set-Cookie header for `name`, as the browser receives it."""
    found = [c for c in response.headers.getlist("Set-Cookie") if c.startswith(f"{name}=")]
    assert found, f"no {name} cookie in {response.headers.getlist('Set-Cookie')}"
    return found[-1]


# --- logging in --------------------------------------------------------------------------------------------

def test_it_logs_in_with_the_right_password_and_shows_the_cases(client, agent, frozen_clock):
    response = log_in(client, "Agent@CrisisDesk.Example", PASSWORD)
    assert response.status_code == 302
    assert response.headers["Location"] == "/cases"
    page = client.get("/cases")
    assert page.status_code == 200
    assert agent.email in page.get_data(as_text=True)
    db.session.refresh(agent)
    assert agent.last_login_at == frozen_clock.now
    entry = AuditEntry.query.filter_by(action="user.logged_in").one()
    assert (entry.actor_id, entry.ip) == (agent.id, "127.0.0.1")


@pytest.mark.parametrize("email, password", [
    ("agent@crisisdesk.example", WRONG),
    ("nobody@crisisdesk.example", PASSWORD),
])
def test_it_refuses_wrong_credentials_with_the_same_message(client, agent, email, password):
    response = log_in(client, email, password)
    assert response.status_code == 401
    html = response.get_data(as_text=True)
    assert "Wrong email or password." in html
    assert password not in html  # the password field is never filled back in
    assert client.get("/cases").status_code == 302
    assert LoginAttempt.query.filter_by(email=email, succeeded=False).count() == 1


def test_it_refuses_a_disabled_account(client, agent):
    agent.is_enabled = False
    db.session.commit()
    assert log_in(client, agent.email, PASSWORD).status_code == 401


def test_it_answers_an_incomplete_form_with_field_errors(client):
    response = client.submit("/login", {"email": "not-an-email", "password": ""})
    assert response.status_code == 400
    assert "This field is required." in response.get_data(as_text=True)
    assert LoginAttempt.query.count() == 0


def test_it_sends_a_logged_in_user_from_the_login_page_to_the_cases(client, agent):
    client.login(agent)
    response = client.get("/login")
    assert response.status_code == 302 and response.headers["Location"] == "/cases"


# --- throttling --------------------------------------------------------------------------------------------

def test_it_locks_an_account_after_too_many_failures_even_with_the_right_password(client, app, agent, frozen_clock):
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        assert log_in(client, agent.email, WRONG).status_code == 401
    response = log_in(client, agent.email, PASSWORD)
    assert response.status_code == 429
    assert "too many failed logins; try again in 15 minutes" in response.get_data(as_text=True)
    assert client.get("/cases").status_code == 302

    frozen_clock.advance(minutes=16)
    assert log_in(client, agent.email, PASSWORD).status_code == 302


def test_it_locks_an_account_attacked_from_many_addresses(client, app, agent):
    for n in range(app.config["LOGIN_MAX_FAILURES"]):
        log_in(client, agent.email, WRONG, environ_base={"REMOTE_ADDR": f"198.51.100.{n}"})
    assert log_in(client, agent.email, PASSWORD, environ_base={"REMOTE_ADDR": "203.0.113.1"}).status_code == 429


def test_it_does_not_lock_other_accounts_when_one_is_attacked(client, app, agent, viewer):
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        log_in(client, agent.email, WRONG, environ_base={"REMOTE_ADDR": "198.51.100.7"})
    assert log_in(client, viewer.email, PASSWORD).status_code == 302


def test_it_throttles_an_address_that_tries_many_accounts(client, app, agent):
    limit = app.config["LOGIN_MAX_FAILURES"] * 4
    token = client.csrf_token()
    for n in range(limit):
        response = client.post("/login", data={"csrf_token": token, "email": f"guess{n}@crisisdesk.example",
                                               "password": WRONG})
        assert response.status_code == 401
    assert log_in(client, agent.email, PASSWORD).status_code == 429
    other_address = PanelClient(client.application.test_client())
    assert log_in(other_address, agent.email, PASSWORD,
                  environ_base={"REMOTE_ADDR": "203.0.113.50"}).status_code == 302


def test_it_forgets_failures_once_their_window_has_passed(client, app, agent, frozen_clock):
    for _ in range(app.config["LOGIN_MAX_FAILURES"] - 1):
        log_in(client, agent.email, WRONG)
    frozen_clock.advance(minutes=16)
    log_in(client, agent.email, WRONG)
    assert log_in(client, agent.email, PASSWORD).status_code == 302


# --- logging out -------------------------------------------------------------------------------------------

def test_it_logs_out_with_a_post_carrying_the_csrf_token(client, agent):
    client.login(agent)
    response = client.submit("/logout", page="/cases")
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert "You are logged out." in client.get("/login").get_data(as_text=True)
    assert client.get("/cases").status_code == 302


def test_it_does_not_log_out_on_a_get_or_a_post_without_token(client, agent):
    client.login(agent)
    refused = client.get("/logout")
    assert refused.status_code == 405 and set(refused.headers["Allow"].split(", ")) == {"OPTIONS", "POST"}
    assert client.post("/logout").status_code == 400
    assert client.get("/cases").status_code == 200


def test_it_offers_logout_as_a_form_with_a_token_on_every_page(client, agent):
    client.login(agent)
    html = client.get("/cases").get_data(as_text=True)
    assert '<form class="logout" method="post" action="/logout">' in html
    assert 'name="csrf_token"' in html.split('action="/logout"')[1].split("</form>")[0]


# --- where to go after logging in --------------------------------------------------------------------------

SAFE_NEXT = [
    ("/cases/7?status=all", "/cases/7?status=all"),
    ("/shops", "/shops"),
    ("https://evil.example/phish", "/cases"),
    ("//evil.example/phish", "/cases"),
    ("http:evil.example", "/cases"),
    ("javascript:alert(1)", "/cases"),
    ("cases", "/cases"),
    ("", "/cases"),
]


def test_it_follows_next_only_to_a_path_on_this_site(client, viewer):
    for next_url, expected in SAFE_NEXT:
        response = log_in(client, viewer.email, PASSWORD, next_url=next_url)
        assert (response.status_code, response.headers["Location"]) == (302, expected), next_url
        client.submit("/logout", page="/cases")


def test_it_never_lets_a_browser_read_next_as_another_host(client, viewer):
    # Browsers read "\" as "/" and drop tabs: "/\evil.example" would be "//evil.example".
    for next_url in ["/\\evil.example", "/\t/evil.example", "\\\\evil.example", "/\\/evil.example"]:
        location = log_in(client, viewer.email, PASSWORD, next_url=next_url).headers["Location"]
        assert "\\" not in location and "\t" not in location and not location.startswith("//"), next_url
        assert urlsplit(urljoin("http://panel.test/login", location)).netloc == "panel.test", next_url
        client.submit("/logout", page="/cases")


# --- cookies -----------------------------------------------------------------------------------------------

def test_it_sets_the_session_cookie_httponly_and_samesite_lax(client, agent):
    session = cookie(client.login(agent), "session")
    assert "HttpOnly" in session
    assert "SameSite=Lax" in session
    assert "Secure" not in session  # plain http in tests, unless SESSION_COOKIE_SECURE says otherwise


def test_it_marks_the_cookies_secure_when_configured(client, app, agent):
    app.config.update(SESSION_COOKIE_SECURE=True, REMEMBER_COOKIE_SECURE=True)
    response = client.submit("/login", {"email": agent.email, "password": PASSWORD, "remember": "y"})
    for name in ("session", "remember_token"):
        flags = cookie(response, name)
        assert "Secure" in flags and "HttpOnly" in flags and "SameSite=Lax" in flags
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_it_sets_the_remember_cookie_only_when_asked(client, agent):
    response = client.login(agent)
    assert not [c for c in response.headers.getlist("Set-Cookie") if c.startswith("remember_token=")]


def test_keep_me_logged_in_lasts_thirty_days_not_flask_logins_year(client, agent):
    response = client.submit("/login", {"email": agent.email, "password": PASSWORD, "remember": "y"})
    expires = next(part.split("=", 1)[1] for part in cookie(response, "remember_token").split("; ")
                   if part.startswith("Expires="))
    lasts = parsedate_to_datetime(expires) - datetime.now(timezone.utc)
    assert timedelta(days=29, hours=23) < lasts <= timedelta(days=30)


def test_it_reads_the_remember_and_connect_timeout_settings(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("REMEMBER_DAYS", "7")
    monkeypatch.setenv("DATABASE_CONNECT_TIMEOUT", "3")
    monkeypatch.setenv("DATABASE_URL", "postgresql://crisisdesk@db.internal/crisisdesk")
    config = load_config(tmp_path / "instance")
    assert config["REMEMBER_COOKIE_DURATION"] == timedelta(days=7)
    assert config["SQLALCHEMY_ENGINE_OPTIONS"] == {"pool_pre_ping": True, "connect_args": {"connect_timeout": 3}}
    monkeypatch.setenv("DATABASE_CONNECT_TIMEOUT", "soon")
    with pytest.raises(ConfigError, match="DATABASE_CONNECT_TIMEOUT"):
        load_config(tmp_path / "instance")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'x.db'}")  # SQLite has no connection to wait for
    assert load_config(tmp_path / "instance")["SQLALCHEMY_ENGINE_OPTIONS"] == {"pool_pre_ping": True}


@pytest.mark.parametrize("env, secure", [
    ({}, False),
    ({"PANEL_URL": "https://desk.example"}, True),
    ({"SESSION_COOKIE_SECURE": "true"}, True),
    ({"PANEL_URL": "https://desk.example", "SESSION_COOKIE_SECURE": "0"}, False),
])
def test_it_derives_secure_cookies_from_the_environment(monkeypatch, tmp_path, env, secure):
    monkeypatch.chdir(tmp_path)  # no stray .env
    for name in ("PANEL_URL", "SESSION_COOKIE_SECURE"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    config = load_config(tmp_path / "instance")
    assert config["SESSION_COOKIE_SECURE"] is secure
    assert config["REMEMBER_COOKIE_SECURE"] is secure
    assert (config["SESSION_COOKIE_HTTPONLY"], config["SESSION_COOKIE_SAMESITE"]) == (True, "Lax")


def test_it_refuses_an_unclear_secure_cookie_setting(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SESSION_COOKIE_SECURE", "maybe")
    with pytest.raises(ConfigError, match="SESSION_COOKIE_SECURE"):
        load_config(tmp_path / "instance")


# --- security headers --------------------------------------------------------------------------------------

def assert_security_headers(response):
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_it_sends_security_headers_on_the_login_page_and_errors(client):
    assert_security_headers(client.get("/login"))
    assert_security_headers(client.get("/no-such-page"))
    assert_security_headers(client.post("/login", data={}))  # CSRF failure page


def test_it_sends_security_headers_and_no_store_on_panel_pages(client, owner, shop_a):
    client.login(owner)
    for url in ("/cases", "/shops", f"/shops/{shop_a.id}/settings", "/users", "/audit"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_security_headers(response)
        assert response.headers["Cache-Control"] == "no-store"
        assert "Strict-Transport-Security" not in response.headers  # only when cookies are Secure (HTTPS)


def test_it_needs_no_inline_script_or_style_that_the_policy_would_block(client, owner, shop_a):
    factories.deliver(shop_a, "review.created", factories.review(rating=1))
    client.login(owner)
    for url in ("/login", "/cases", "/cases/1", "/cases/new", "/shops", "/shops/new", f"/shops/{shop_a.id}/settings",
                "/users", "/audit"):
        html = client.get(url).get_data(as_text=True)
        # script-src 'self': only files from /static/, never a script body in the page.
        scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", html, re.S)
        assert html.count("<script") == len(scripts), url
        assert all(re.fullmatch(r' src="/static/js/[\w.-]+\.js"( defer)?', attrs) and not body.strip()
                   for attrs, body in scripts), (url, scripts)
        assert "<style" not in html and " style=" not in html, url
        assert " on" + "click=" not in html and "javascript:" not in html, url


def test_it_lets_browsers_cache_static_files(client):
    response = client.get("/static/css/panel.css")
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")
    response.close()


# --- passwords ---------------------------------------------------------------------------------------------

def test_it_stores_passwords_as_salted_scrypt_hashes(agent, viewer):
    for user in (agent, viewer):
        assert user.password_hash.startswith("scrypt:")
        assert PASSWORD not in user.password_hash
    assert agent.password_hash != viewer.password_hash  # same password, different salt
    assert agent.check_password(PASSWORD) and not agent.check_password(WRONG)


def test_it_never_writes_a_password_to_the_database_in_plain_text(client, owner, shop_a):
    client.login(owner)
    secret_password = "tęczowy-koń-bateria-zszywka"
    client.submit("/users", {"email": "new@crisisdesk.example", "role": "viewer", "password": secret_password,
                             "shops": shop_a.id}, page="/users")
    created = User.query.filter_by(email="new@crisisdesk.example").one()
    assert created.password_hash.startswith("scrypt:")
    assert created.check_password(secret_password)
    for entry in AuditEntry.query.all():
        assert secret_password not in str(entry.details)
    for attempt in LoginAttempt.query.all():
        assert secret_password not in (attempt.email + attempt.ip)
