"""Session fixation and logout: a cookie from before logging in never becomes a logged-in session, and a cookie
(session or "keep me logged in") from before logging out never works again.

Flask keeps the session in a signed cookie, so a copy of it stays valid for as long as its signature does unless
the server keeps some state to refuse it: each account has a session token, part of what the cookies carry, which
logging out replaces (crisisdesk/services/users.py `end_sessions`).
"""
from tests.conftest import PASSWORD, PanelClient

FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
ELSEWHERE = {"User-Agent": "curl/8.5.0"}
DOMAIN = "panel.test"  # the tests' SERVER_NAME


def browser(app, **cookies):
    """A browser (one User-Agent on every request), holding copies of the given cookies if any: an attacker's,
    with cookies stolen or planted."""
    client = PanelClient(app.test_client())
    client.environ_base["HTTP_USER_AGENT"] = FIREFOX
    for name, value in cookies.items():
        client.set_cookie(name, value, domain=DOMAIN)
    return client


def cookie_value(client, name):
    found = client.get_cookie(name, domain=DOMAIN)
    return found.value if found is not None else None


def logs_in(client, user, remember=False):
    response = client.submit("/login", {"email": user.email, "password": PASSWORD,
                                        **({"remember": "y"} if remember else {})})
    assert response.status_code == 302
    return response


def logs_out(client):
    assert client.submit("/logout", page="/cases").status_code == 302


def is_in(client, headers=None):
    response = client.get("/cases", headers=headers)
    assert response.status_code in (200, 302)
    return response.status_code == 200


# --- fixation ----------------------------------------------------------------------------------------------

def test_a_cookie_planted_before_login_stays_anonymous_after_the_victim_logs_in(app, agent):
    client = browser(app)
    client.get("/login")
    planted = cookie_value(client, "session")  # the attacker's own anonymous session, set in the victim's browser
    assert planted
    logs_in(client, agent)
    assert cookie_value(client, "session") != planted  # a new session for the logged-in user
    assert is_in(client)
    assert not is_in(browser(app, session=planted))


def test_a_csrf_token_from_before_login_is_refused_after_it(app, agent):
    client = browser(app)
    old_token = client.csrf_token("/login")
    logs_in(client, agent)
    response = client.post("/cases/new", data={"csrf_token": old_token})
    assert response.status_code == 400 and "CSRF" in response.get_data(as_text=True)
    assert client.submit("/cases/new", {}, page="/cases/new").status_code == 400  # a form error, past the token


# --- logging out -------------------------------------------------------------------------------------------

def test_a_session_cookie_copied_before_logout_does_not_work_after_it(app, agent):
    client = browser(app)
    logs_in(client, agent)
    copied = cookie_value(client, "session")
    assert is_in(browser(app, session=copied))  # the copy works while the session lasts
    logs_out(client)
    assert not is_in(client)
    assert not is_in(browser(app, session=copied))


def test_a_keep_me_logged_in_cookie_copied_before_logout_does_not_work_after_it(app, agent):
    client = browser(app)
    logs_in(client, agent, remember=True)
    remembered = cookie_value(client, "remember_token")
    assert remembered and is_in(browser(app, remember_token=remembered))
    logs_out(client)
    assert not is_in(browser(app, remember_token=remembered))


def test_logging_out_ends_the_accounts_sessions_on_every_device_and_a_new_login_works(app, agent, viewer):
    laptop, phone, viewers = browser(app), browser(app), browser(app)
    logs_in(laptop, agent)
    logs_in(phone, agent)
    logs_in(viewers, viewer)
    before = cookie_value(phone, "session")
    logs_out(laptop)
    assert not is_in(phone)  # the same account elsewhere: out too (one token per account)
    assert is_in(viewers)  # other accounts are not touched
    logs_in(phone, agent)
    assert is_in(phone)
    assert not is_in(browser(app, session=before))


def test_a_session_from_before_an_upgrade_without_a_token_is_refused(app, agent):
    # Sessions signed before accounts had a token named the user by id only; they start over with a login.
    client = browser(app)
    logs_in(client, agent)
    signer = app.session_interface.get_signing_serializer(app)
    content = signer.loads(cookie_value(client, "session"))
    assert is_in(browser(app, session=signer.dumps(content)))  # re-signed as it is: still valid
    assert not is_in(browser(app, session=signer.dumps({**content, "_user_id": str(agent.id)})))


# --- what "strong" session protection adds -----------------------------------------------------------------

def test_a_copied_session_cookie_is_refused_by_another_browser(app, agent):
    client = browser(app)
    # Flask-Login's "strong" protection ties the session to the address and User-Agent it was made with.
    logs_in(client, agent)
    stolen = cookie_value(client, "session")
    assert not is_in(browser(app, session=stolen), headers=ELSEWHERE)


def test_a_copied_remember_cookie_alone_works_in_another_browser_until_logout(app, agent):
    client = browser(app)
    # What is true of "keep me logged in": the cookie is the login, from any browser, for as long as it lasts
    # (REMEMBER_COOKIE_DURATION) or until the account logs out.
    logs_in(client, agent, remember=True)
    remembered = cookie_value(client, "remember_token")
    assert is_in(browser(app, remember_token=remembered), headers=ELSEWHERE)
    logs_out(client)
    assert not is_in(browser(app, remember_token=remembered), headers=ELSEWHERE)
