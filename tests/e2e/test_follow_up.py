"""Follow-up in a real browser: an agent resolves a case; a week later (a frozen clock moved on) RQ's
worker sends the follow-up through a real SMTP server on loopback; the customer clicks "4 of 5" in
the email and sees the thank-you page; the agent then finds them recovered in "Resolved customers".

Screenshots: /tmp/crisisdesk-e2e-follow-up-*.png.
"""
import re
import urllib.request
import uuid
from datetime import datetime, timedelta, timezone

import pytest
from playwright.sync_api import expect
from rq import SimpleWorker

from crisisdesk import clock, create_app
from crisisdesk.extensions import db, redis_connection
from crisisdesk.jobs import ALL_QUEUES, queue
from crisisdesk.models import Case, EmailSuppression, OutboxEmail
from crisisdesk.services import email_links
from tests import factories
from tests.e2e.system import serving
from tests.conftest import FrozenClock
from tests.e2e.test_panel import browser  # noqa: F401  (shared browser fixture)
from tests.outbox_helpers import release_scheduled
from tests.smtp import smtp_server  # noqa: F401  (a real aiosmtpd server on loopback)

pytestmark = pytest.mark.e2e
PASSWORD = "a long enough password"
# A Monday morning in Warsaw: the follow-up a week later falls outside the shop's quiet hours.
RESOLVED_AT = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)
POLISH_REVIEW = "Czajnik przyszedł pęknięty i przecieka, jestem bardzo rozczarowana tym zakupem."


@pytest.fixture
def frozen(monkeypatch):
    """One clock for the web server's thread and the worker (both run in this process)."""
    frozen = FrozenClock(RESOLVED_AT)
    monkeypatch.setattr(clock, "utcnow", frozen)
    return frozen


@pytest.fixture
def served(tmp_path, redis_url, smtp_server, frozen):  # noqa: F811
    """The real app on a loopback port, sending through the SMTP server; a Polish customer's 2★ review."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CRISISDESK_INSTANCE_PATH", str(tmp_path / "instance"))
        app = create_app({"SECRET_KEY": "e2e-" + uuid.uuid4().hex, "REDIS_URL": redis_url,
                          "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'panel.db'}",
                          "SMTP_URL": smtp_server.url, "MAIL_FROM": "CrisisDesk <follow-up@crisisdesk.example>"})
    with serving(app) as url:
        app.config["PANEL_URL"] = url  # the links in the emails lead to this server
        with app.app_context():
            db.create_all()
            redis_connection(app).flushdb()
            shop = factories.make_shop("Sklep z czajnikami", timezone="Europe/Warsaw", email_from_name="Kasia ze sklepu",
                                       reply_to_email="pomoc@czajniki.example")
            factories.make_user("agent@shop.example", "agent", shops=[shop], password=PASSWORD, name="Ada (agent)")
            factories.deliver(shop, "order.created", factories.order(email="grace@example.com"))
            factories.deliver(shop, "review.created", factories.review(rating=2, email="grace@example.com",
                                                                       text=POLISH_REVIEW))
            case_id = Case.query.one().id
            db.session.remove()
        yield app, url, case_id


def run_worker(app, moment):
    """RQ's scheduler at `moment` (due jobs onto their queue), then a real RQ worker until the queues are empty."""
    with app.app_context():
        release_scheduled(app, moment)
        SimpleWorker([queue(name, app) for name in ALL_QUEUES], connection=redis_connection(app)).work(burst=True)
        db.session.remove()


def log_in(page, email):
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name=re.compile("^Cases"))).to_be_visible()


def resolve_in_the_panel(page, case_id):
    page.goto(f"/cases/{case_id}")
    page.get_by_role("region", name="Work on it").get_by_label("Status").select_option("resolved")
    page.get_by_role("button", name="Change status").click()
    expect(page.get_by_role("status")).to_contain_text("Status changed.")
    emails = page.locator("#emails")
    expect(emails).to_contain_text("Follow-up")
    expect(emails).to_contain_text("scheduled")
    expect(emails).to_contain_text("Pending")


def links_in(html, path):
    return re.findall(re.escape(path) + r"[A-Za-z0-9_.\-]+", html)


def test_a_resolved_customer_gets_one_follow_up_in_polish_answers_it_and_shows_as_recovered(
        browser, served, smtp_server, frozen):  # noqa: F811
    app, url, case_id = served
    context = browser.new_context(base_url=url, viewport={"width": 1366, "height": 900}, locale="en-GB")
    context.set_default_timeout(15_000)
    page = context.new_page()
    log_in(page, "agent@shop.example")
    resolve_in_the_panel(page, case_id)
    page.screenshot(path="/tmp/crisisdesk-e2e-follow-up-resolved.png", full_page=True)

    run_worker(app, frozen.now)  # nothing is due yet
    assert smtp_server.messages == []
    frozen.advance(days=7, minutes=1)
    run_worker(app, frozen.now)
    run_worker(app, frozen.now)  # a second pass finds nothing more to send
    [received] = smtp_server.wait_for(1)
    message = received.message

    assert received.rcpt_tos == ["grace@example.com"]
    assert message["From"].addresses[0].display_name == "Kasia ze sklepu"
    assert message["Reply-To"] == "pomoc@czajniki.example"
    assert message["Content-Language"] == "pl"
    assert message["List-Unsubscribe"] == f"<{url}{email_links.UNSUBSCRIBE_PATH}" + \
        message["List-Unsubscribe"].split(email_links.UNSUBSCRIBE_PATH, 1)[1]
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Dzień dobry" in text or "Dzień dobry" in html, text
    assert "Sklep z czajnikami" in text
    rate_links = links_in(html, f"{url}{email_links.RATE_PATH}")
    assert len(set(rate_links)) == 5 and set(links_in(text, f"{url}{email_links.RATE_PATH}")) == set(rate_links)
    with app.app_context():
        four = next(link for link in rate_links
                    if email_links.read_rating(link.rsplit("/", 1)[1]).score == 4)
        row = OutboxEmail.query.filter_by(case_id=case_id, kind="follow_up").one()
        assert (row.status, row.language, row.attempts) == ("sent", "pl", 1)
        db.session.remove()

    customer = browser.new_context(viewport={"width": 420, "height": 800}, locale="en-GB")  # their phone
    customer_page = customer.new_page()
    customer_page.goto(four)
    expect(customer_page.get_by_role("heading", name="Dziękujemy!")).to_be_visible()
    expect(customer_page.locator("main")).to_contain_text("Zapisaliśmy Twoją odpowiedź: 4 na 5.")
    expect(customer_page.get_by_role("link", name="Otwórz swoją opinię")).to_have_attribute(
        "href", re.compile(r"#comment-\d+$"))
    assert customer.cookies() == []  # no session for a customer
    customer_page.screenshot(path="/tmp/crisisdesk-e2e-follow-up-thanks.png", full_page=True)
    customer.close()

    page.goto("/recovery")
    row = page.locator("tbody tr", has_text="grace@example.com")
    expect(row).to_contain_text("Recovered")
    expect(row).to_contain_text("said they are satisfied")
    expect(row.get_by_label("answered 4 of 5")).to_be_visible()
    expect(row).to_contain_text("sent")
    expect(page.locator(".stats")).to_contain_text("100%")
    page.screenshot(path="/tmp/crisisdesk-e2e-follow-up-recovered.png", full_page=True)
    page.goto(f"/cases/{case_id}")
    expect(page.locator("ol.timeline")).to_contain_text("The customer answered the follow-up: 4 of 5")
    context.close()

    frozen.advance(days=30)  # the reminder's time has long come: nothing more goes out
    run_worker(app, frozen.now)
    assert len(smtp_server.messages) == 1


def test_a_customer_unsubscribes_from_the_email_and_gets_no_reminder(browser, served, smtp_server,  # noqa: F811
                                                                     frozen):
    app, url, case_id = served
    # The agent's browser asks for English (the panel follows it before login); the customer's asks for Polish.
    context = browser.new_context(base_url=url, locale="en-GB")
    context.set_default_timeout(15_000)
    page = context.new_page()
    log_in(page, "agent@shop.example")
    resolve_in_the_panel(page, case_id)
    frozen.advance(days=7, minutes=1)
    run_worker(app, frozen.now)
    [received] = smtp_server.wait_for(1)
    unsubscribe = received.message["List-Unsubscribe"].strip("<>")

    customer = browser.new_context(locale="pl-PL")
    customer_page = customer.new_page()
    customer_page.goto(unsubscribe)
    expect(customer_page.locator("main")).to_contain_text("Sklep z czajnikami")
    customer_page.get_by_role("button", name="Wypisz mnie").click()
    expect(customer_page.get_by_role("heading", name="Wypisano")).to_be_visible()
    customer.close()
    # A mail provider's RFC 8058 one-click POST later: no cookies, no form token, same answer.
    request = urllib.request.Request(unsubscribe, data=b"List-Unsubscribe=One-Click", method="POST",
                                     headers={"Content-Type": "application/x-www-form-urlencoded"})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200

    frozen.advance(days=10)
    run_worker(app, frozen.now)
    assert len(smtp_server.messages) == 1  # the reminder was cancelled
    with app.app_context():
        assert EmailSuppression.query.count() == 1
        assert OutboxEmail.query.filter_by(kind="follow_up_reminder").one().status == "cancelled"
        db.session.remove()
    page.goto(f"/cases/{case_id}")
    expect(page.locator("#emails")).to_contain_text("cancelled")
    context.close()
