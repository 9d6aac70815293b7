"""The panel's key flow in a real browser: Debian's Chromium driven by Playwright against the
real app served over HTTP on loopback, with the demo shop seeded through the real ingest path.

Screenshots land in /tmp/crisisdesk-e2e-*.png for a person to look at.
"""
import uuid

import pytest
from playwright.sync_api import expect, sync_playwright

from crisisdesk import create_app
from crisisdesk.demo import seed as demo_seed
from crisisdesk.domain.case_status import CaseStatus
from crisisdesk.extensions import db, redis_connection
from crisisdesk.models import Case, CaseEvent, Review
from crisisdesk.services.inbox import PER_PAGE
from tests.e2e.system import serving

pytestmark = pytest.mark.e2e

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
DEMO_PASSWORD = "demo-password-123"
KETTLE_REVIEW = "Czajnik przyszedł uszkodzony, emalia odpryśnięta przy dziobku."


class Panel:
    def __init__(self, app, url):
        self.app, self.url = app, url


@pytest.fixture(scope="module")
def panel(tmp_path_factory, redis_url):
    """The real app on a free loopback port, in a thread, with the demo shop seeded."""
    folder = tmp_path_factory.mktemp("panel")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CRISISDESK_INSTANCE_PATH", str(folder / "instance"))
        app = create_app({
            "SECRET_KEY": "e2e-" + uuid.uuid4().hex,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'panel.db'}",
            "REDIS_URL": redis_url,
        })
    with app.app_context():
        db.create_all()
        redis_connection(app).flushdb()
        demo_seed.seed(DEMO_PASSWORD)
        db.session.remove()
    with serving(app) as url:
        yield Panel(app, url)


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, panel):
    context = browser.new_context(base_url=panel.url, viewport={"width": 1366, "height": 900}, locale="en-GB")
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def log_in(page, email, password):
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def test_a_wrong_password_shows_an_error_and_stays_on_the_login_page(page, panel):
    log_in(page, "agent@demo.example", "not-the-password-at-all")

    expect(page.get_by_role("alert")).to_have_text("Wrong email or password.")
    expect(page).to_have_url(f"{panel.url}/login")
    expect(page.get_by_role("link", name="Cases")).to_have_count(0)
    page.screenshot(path="/tmp/crisisdesk-e2e-login-error.png", full_page=True)


def test_an_agent_answers_a_case_from_the_inbox(page, panel):
    with panel.app.app_context():
        case = Case.query.join(Review).filter(Review.text.startswith(KETTLE_REVIEW)).one()
        case_id, order_number = case.id, case.order.number
        item_names = [item.name for item in case.order.items]
        open_cases = Case.query.filter(Case.status.in_([s.value for s in CaseStatus if s.is_open])).count()
        db.session.remove()

    log_in(page, "agent@demo.example", DEMO_PASSWORD)

    # The inbox: every open case of the agent's shop, a page at a time, with the kettle case on the first.
    expect(page.get_by_role("heading", name="Cases")).to_be_visible()
    expect(page.locator("h1 small")).to_have_text(str(open_cases))
    expect(page.locator("header .who")).to_contain_text("Kuba (agent)")
    rows = page.locator("table.cases tbody tr")
    expect(rows).to_have_count(min(open_cases, PER_PAGE))
    assert open_cases >= 7
    kettle_row = rows.filter(has_text="Czajnik przyszedł uszkodzony")
    expect(kettle_row).to_have_count(1)
    expect(kettle_row).to_contain_text(f"#{order_number}")
    expect(kettle_row).to_contain_text("Anna Kowalska")
    page.screenshot(path="/tmp/crisisdesk-e2e-inbox.png", full_page=True)

    # The case page: the review as written and the order it was linked to (the fact check).
    kettle_row.get_by_role("link", name=f"#{case_id}").click()
    expect(page).to_have_url(f"{panel.url}/cases/{case_id}")
    expect(page.get_by_role("heading", name=f"Case #{case_id}")).to_be_visible()
    expect(page.locator("blockquote.review-text")).to_contain_text(KETTLE_REVIEW)
    expect(page.locator("blockquote.review-text")).to_contain_text(f"Zamówienie nr {order_number}")
    order_card = page.locator("section.card", has=page.get_by_role("heading", name="Order", exact=True))
    expect(order_card).to_contain_text(f"#{order_number}")
    for name in item_names:
        expect(order_card).to_contain_text(name)

    # Record the phone call with the customer: it lands on the timeline and stops the first-answer clock.
    note = "Called Anna: a new kettle goes out today by courier, she keeps the damaged one."
    page.get_by_label("Note").fill(note)
    page.get_by_label("This records contact with the customer").check()
    page.get_by_role("button", name="Add to timeline").click()

    expect(page.get_by_role("status")).to_have_text("Added to the timeline.")
    timeline = page.locator("ol.timeline li")
    expect(timeline.first).to_contain_text(note)
    expect(timeline.first).to_contain_text("Kuba (agent)")
    expect(page.locator(".heading")).to_contain_text("answered")
    expect(page.locator(".heading")).to_contain_text("In progress")
    page.screenshot(path="/tmp/crisisdesk-e2e-case.png", full_page=True)

    with panel.app.app_context():
        event = CaseEvent.query.filter_by(case_id=case_id, kind="contact").one()
        assert event.message == note
        assert db.session.get(Case, case_id).first_responded_at is not None
        db.session.remove()


def test_a_newcomer_opens_an_incident_from_the_demo_courier_failure_alert(page, panel):
    log_in(page, "agent@demo.example", DEMO_PASSWORD)
    page.get_by_role("link", name="See the alerts").click()
    alert = page.locator("section.alert-card", has_text="Spike of negative reviews for Kubek ceramiczny Zielony")
    expect(alert).to_contain_text("Late or lost delivery · 30")
    alert.get_by_role("link", name="Open an incident from this alert").click()

    expect(page.locator("input[name=cases]:checked")).to_have_count(30)
    expect(page.get_by_label("Title")).to_have_value("Late or lost delivery: Kubek ceramiczny Zielony")
    page.get_by_label("Public statement").fill("Nasz kurier zgubił paczki z jednego dnia; piszemy do każdego z Was.")
    page.get_by_role("button", name="Open the incident").click()
    expect(page.get_by_role("heading", name="30 cases")).to_be_visible()
    expect(page.locator("#figures")).to_contain_text("1,470.00 PLN")  # 30 mugs at 49 zł
    page.screenshot(path="/tmp/crisisdesk-e2e-demo-incident.png", full_page=True)

    # The shop-wide alert of the same day says where its courier cases went.
    page.goto("/alerts")
    shop_wide = page.locator("section.alert-card", has_text="Spike of negative reviews across the shop")
    expect(shop_wide).to_contain_text("30 of its cases are part of an incident:")
