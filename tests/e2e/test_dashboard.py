"""The dashboard in a real browser (Debian's Chromium through Playwright) with the demo shop's months of history:
the charts are drawn by the vendored Chart.js under the panel's strict Content-Security-Policy, next to their
tables, in the owner's language. Screenshots land in /tmp/crisisdesk-e2e-dashboard-*.png.
"""
from datetime import date

import pytest
from babel.dates import format_date
from playwright.sync_api import expect

from crisisdesk.domain.periods import preset_period
from crisisdesk.extensions import db
from crisisdesk.models import User
from tests.e2e.test_panel import DEMO_PASSWORD, browser, log_in, page, panel  # noqa: F401

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("language", ["en", "pl"])
def test_the_owner_sees_the_dashboard_drawn_with_its_tables_in_their_language(page, panel, language):
    with panel.app.app_context():
        User.query.filter_by(email="owner@demo.example").one().language = language
        db.session.commit()
        db.session.remove()
    # Literal words, not gettext(): an untranslated catalogue must fail here, not pass in English.
    heading, months = {"en": ("Dashboard", "Reviews by month"), "pl": ("Pulpit", "Opinie według miesięcy")}[language]
    problems = []
    page.on("console", lambda message: problems.append((message.text, message.location.get("url")))
            if message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico") else None)
    page.on("pageerror", lambda error: problems.append(str(error)))

    log_in(page, "owner@demo.example", DEMO_PASSWORD)
    page.goto("/dashboard?preset=12m")

    expect(page.get_by_role("heading", name=heading, level=1)).to_be_visible()
    expect(page.get_by_role("heading", name=months)).to_be_visible()
    charts = page.locator("canvas[data-chart]")
    expect(charts).to_have_count(3)
    for index in range(3):  # dashboard.js marks each canvas once Chart.js has drawn it
        expect(charts.nth(index)).to_have_attribute("data-drawn", "2" if index else "4")
    # The monthly table holds the demo's five months of history; month names come from Babel in each language.
    rows = page.locator("#monthly-table tbody tr")
    today = date.today()
    expect(rows).to_have_count(len(preset_period("12m", today).months()))  # 365 days touch 13 months
    this_month = format_date(today.replace(day=1), "LLLL yyyy", locale=language)
    expect(rows.last.locator("th")).to_have_text(this_month)
    expect(page.locator("#causes-table tbody tr").first).to_be_visible()
    expect(page.locator("#products-table tbody tr")).not_to_have_count(0)
    page.screenshot(path=f"/tmp/crisisdesk-e2e-dashboard-{language}.png", full_page=True)
    assert problems == []  # no script error and no Content-Security-Policy violation
