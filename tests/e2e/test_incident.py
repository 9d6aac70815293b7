"""An incident in a real browser, the demo scenario end to end: a courier failure hits 30 orders; the crisis alert
job raises the spike; an agent opens an incident from the alert, sends the first update (one personal email per
customer through a real SMTP server on loopback), is reminded 72 hours later (a frozen clock moved on, the
periodic job run by RQ's worker), sends the second update and closes the incident with its retrospective.

The database is SQLite, and PostgreSQL too when TEST_DATABASE_URL is set.
Screenshots: /tmp/crisisdesk-e2e-incident-*.png.
"""
import re
import uuid
from datetime import datetime, timezone

import pytest
from playwright.sync_api import expect
from rq import SimpleWorker
from sqlalchemy import text

from crisisdesk import clock, create_app
from crisisdesk.extensions import db, redis_connection
from crisisdesk.jobs import ALL_QUEUES, PERIODIC_QUEUE, queue
from crisisdesk.models import CrisisAlert, Incident, OutboxEmail
from tests import factories
from tests.conftest import FrozenClock, database_overrides
from tests.e2e.system import serving
from tests.e2e.test_panel import browser  # noqa: F401  (shared browser fixture)
from tests.incident_helpers import NAMES, affected_cases, courier_failure
from tests.outbox_helpers import release_scheduled
from tests.smtp import smtp_server  # noqa: F401  (a real aiosmtpd server on loopback)

pytestmark = pytest.mark.e2e
PASSWORD = "a long enough password"
# A Monday morning in Warsaw: the updates, then and 72 hours later, fall outside the shop's quiet hours.
FAILURE_NOTICED = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)
POLISH_LATE = "Kurier zgubił moją paczkę, czajnik nie dotarł do dziś. Bardzo słaba obsługa."
ENGLISH, POLISH = range(1, 21), range(21, 31)  # the customers' numbers: orders 7001–7030, customerN@example.com
STATEMENT = "Our courier's depot failed on Friday; every affected customer hears from us directly."
FIRST = {"en": "Our courier lost a day's parcels at its depot.\n\nA new kettle leaves our warehouse today.",
         "pl": "Nasz kurier zgubił w sortowni paczki z jednego dnia.\n\nNowy czajnik wysyłamy do Ciebie dziś."}
SECOND = {"en": "Your new kettle is on its way with another courier.",
          "pl": "Nowy czajnik jest już w drodze z innym kurierem."}
RETROSPECTIVE = {"What went wrong": "The courier's depot lost every parcel of Friday's collection.",
                 "What worked": "Two updates reached all 30 customers; nobody got one twice.",
                 "What to change": "Contract a second courier for the busy season."}


@pytest.fixture
def frozen(monkeypatch):
    """One clock for the web server's thread and the worker (both run in this process)."""
    frozen = FrozenClock(FAILURE_NOTICED)
    monkeypatch.setattr(clock, "utcnow", frozen)
    return frozen


@pytest.fixture
def served(tmp_path, backend, postgres_schema, redis_url, smtp_server, frozen):  # noqa: F811
    """The real app on a loopback port, sending through the SMTP server; 30 customers whose parcels the courier
    lost, each with a 49.99 order and a 1★ review (20 in English, 10 in Polish)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CRISISDESK_INSTANCE_PATH", str(tmp_path / "instance"))
        app = create_app({"SECRET_KEY": "e2e-" + uuid.uuid4().hex, "REDIS_URL": redis_url,
                          **database_overrides(backend, tmp_path, postgres_schema),
                          "SMTP_URL": smtp_server.url, "MAIL_FROM": "CrisisDesk <updates@crisisdesk.example>"})
    with serving(app) as url:
        app.config["PANEL_URL"] = url
        with app.app_context():
            db.create_all()
            redis_connection(app).flushdb()
            shop = factories.make_shop("Kettle shop", timezone="Europe/Warsaw")
            factories.make_user("olga@shop.example", "owner", password=PASSWORD, name="Olga (owner)")
            factories.make_user("agent@shop.example", "agent", shops=[shop], password=PASSWORD, name="Ada (agent)")
            courier_failure(shop, len(ENGLISH), total=49.99)
            affected_cases(shop, POLISH, text=POLISH_LATE, total=49.99)
            db.session.remove()
        yield app, url
    if backend == "postgresql":
        with app.app_context():
            tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
            with db.engine.begin() as connection:
                connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
            db.engine.dispose()


class BurstWorker(SimpleWorker):
    # As in conftest's run_jobs: a burst needs no pubsub channel, whose unsubscribe waits a second.
    def subscribe(self):
        pass

    def unsubscribe(self):
        pass


def run_worker(app, moment, periodic=None):
    """The periodic job `periodic` if named (as the schedule enqueues it), RQ's scheduler at `moment`, then a real
    RQ worker until the queues are empty."""
    with app.app_context():
        if periodic:
            queue(PERIODIC_QUEUE, app).enqueue(periodic)
        release_scheduled(app, moment)
        BurstWorker([queue(name, app) for name in ALL_QUEUES], connection=redis_connection(app)).work(burst=True)
        db.session.remove()


def customer_mail(smtp_server):
    return [m for m in smtp_server.messages if m.rcpt_tos != ["olga@shop.example"]]


def assert_one_personal_email_each(messages, number):
    """Exactly one email per customer, in their language, with their first name and order number."""
    by_address = {m.rcpt_tos[0]: m.message for m in messages}
    assert len(by_address) == len(messages) == 30
    for n in [*ENGLISH, *POLISH]:
        message = by_address[f"customer{n}@example.com"]
        body = message.get_body(("plain",)).get_content()
        assert f"{7000 + n}" in message["Subject"], message["Subject"]
        if n in POLISH:
            assert f"Dzień dobry {NAMES[(n - 1) % 10]}," in body and f"zamówienia nr {7000 + n}" in body
            assert f"(informacja nr {number})" in body and message["Content-Language"] == "pl"
        else:
            assert f"Hello {NAMES[(n - 1) % 10]}," in body and f"order #{7000 + n}" in body
            assert f"(update {number})" in body and message["Content-Language"] == "en"


def log_in(page):
    page.goto("/login")
    page.get_by_label("Email").fill("agent@shop.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name=re.compile("^Cases"))).to_be_visible()


def write_update(page, texts):
    """On the update page: the prepared texts must be completed ([brackets]) before anything goes out."""
    page.get_by_role("button", name="Send to everyone affected").click()
    expect(page.get_by_role("alert").filter(has_text="fill in or remove the parts in [brackets]")).to_have_count(2)
    for language, name in (("en", "English"), ("pl", "Polish")):
        page.get_by_label(name, exact=True).fill(texts[language])
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_role("heading", name=re.compile("^Preview in Polish"))).to_be_visible()
    expect(page.locator("main")).to_contain_text(texts["pl"].split("\n")[0])


def test_a_courier_failure_from_the_alert_to_the_retrospective_in_the_browser(
        browser, served, smtp_server, frozen):  # noqa: F811
    app, url = served
    run_worker(app, frozen.now, periodic="crisisdesk.jobs.alerts.detect_spikes_job")
    with app.app_context():
        alert_id = CrisisAlert.query.filter_by(scope="product").one().id
        db.session.remove()
    context = browser.new_context(base_url=url, viewport={"width": 1366, "height": 900}, locale="en-GB")
    context.set_default_timeout(15_000)
    page = context.new_page()
    log_in(page)

    # The alert, and an incident opened from it: its 30 cases come ticked; the agent names the owner and a statement.
    page.goto("/alerts")
    alert = page.locator(f"#alert-{alert_id}")
    expect(alert).to_contain_text("30 negative reviews in the 24 hours")
    expect(alert).to_contain_text("Late or lost delivery · 30")
    page.screenshot(path="/tmp/crisisdesk-e2e-incident-alert.png", full_page=True)
    alert.get_by_role("link", name="Open an incident from this alert").click()
    expect(page.get_by_role("heading", name="New incident")).to_be_visible()
    expect(page.locator("input[name=cases]:checked")).to_have_count(30)
    page.get_by_label("Owner").select_option(label="Olga (owner)")
    page.get_by_label("Public statement").fill(STATEMENT)
    page.get_by_role("button", name="Open the incident").click()

    expect(page.get_by_role("status")).to_contain_text("Incident opened.")
    expect(page.get_by_role("heading", name="30 cases")).to_be_visible()
    expect(page.locator("#cases tbody tr")).to_have_count(30)
    figures = page.locator("#figures")
    expect(figures).to_contain_text(re.compile(r"Affected orders\s*30"))
    expect(figures).to_contain_text("1,499.70")
    expect(page.get_by_role("region", name="Public statement")).to_contain_text(STATEMENT)
    expect(page.locator(".heading")).to_contain_text("owner: Olga (owner)")
    incident_path = page.url.removeprefix(url)
    page.screenshot(path="/tmp/crisisdesk-e2e-incident-opened.png", full_page=True)

    # The first update: written in both languages its customers read, checked, previewed, sent once.
    page.get_by_role("link", name="Write update 1").click()
    expect(page.locator("main")).to_contain_text("It goes to 30 customers")
    write_update(page, FIRST)
    page.screenshot(path="/tmp/crisisdesk-e2e-incident-update.png", full_page=True)
    page.get_by_role("button", name="Send to everyone affected").click()
    expect(page.get_by_role("status")).to_contain_text("Update 1 is being sent to 30 customers.")
    run_worker(app, frozen.now)
    assert_one_personal_email_each(customer_mail(smtp_server), 1)
    page.reload()
    expect(page.locator("#updates tbody tr")).to_contain_text("sent: 30")

    # 72 hours later the reminder job (every 15 minutes; run twice here) emails the owner once; the page says so.
    frozen.advance(hours=72, minutes=1)
    run_worker(app, frozen.now, periodic="crisisdesk.jobs.incidents.remind_due_incident_updates_job")
    run_worker(app, frozen.now, periodic="crisisdesk.jobs.incidents.remind_due_incident_updates_job")
    reminders = [m for m in smtp_server.messages if "[Update due]" in m.message["Subject"]]
    assert [m.rcpt_tos for m in reminders] == [["olga@shop.example"]]
    assert f"{url}{incident_path}/update" in reminders[0].message.get_body(("plain",)).get_content()
    page.reload()
    due = page.get_by_role("alert").filter(has_text="An update to the affected customers is due")
    expect(due).to_be_visible()
    page.screenshot(path="/tmp/crisisdesk-e2e-incident-due.png", full_page=True)

    # The second update: 30 more emails, nobody's first one again.
    due.get_by_role("link", name="Write the update").click()
    expect(page.get_by_role("heading", name=re.compile("^Update 2 for incident"))).to_be_visible()
    write_update(page, SECOND)
    page.get_by_role("button", name="Send to everyone affected").click()
    expect(page.get_by_role("status")).to_contain_text("Update 2 is being sent to 30 customers.")
    run_worker(app, frozen.now)
    second = customer_mail(smtp_server)[30:]
    assert_one_personal_email_each(second, 2)
    assert len(customer_mail(smtp_server)) == 60
    expect(page.get_by_role("alert").filter(has_text="is due since")).to_have_count(0)

    # Closing with the retrospective: the page shows it closed, with the notes.
    close = page.locator("#close")
    for label, answer in RETROSPECTIVE.items():
        close.get_by_label(label).fill(answer)
    close.get_by_role("button", name="Close with this retrospective").click()
    expect(page.get_by_role("status")).to_contain_text("Incident closed.")
    expect(page.locator("h1 .badge")).to_have_text("Closed")
    for label, answer in RETROSPECTIVE.items():
        expect(page.locator("#phase dl")).to_contain_text(answer)
    expect(page.locator("#figures")).to_contain_text("none: the incident is closed")
    page.screenshot(path="/tmp/crisisdesk-e2e-incident-closed.png", full_page=True)
    context.close()

    with app.app_context():
        incident = Incident.query.one()
        assert (incident.phase, incident.next_update_due_at, len(incident.updates)) == ("closed", None, 2)
        assert OutboxEmail.query.filter_by(kind="incident_update", status="sent").count() == 60
        db.session.remove()
