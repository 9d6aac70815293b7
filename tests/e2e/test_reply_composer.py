"""The reply composer in a real browser (Debian's Chromium through Playwright) against the real app on loopback,
with the demo shop seeded through the real ingest path and its WordPress played by the bridge route stand-in.

An agent opens a case, sees the 5P draft, edits it and watches the live check (5P steps and tone hints) follow,
sends it publicly and by email, and sees it posted under the review and queued for email.
Screenshots: /tmp/crisisdesk-e2e-reply-*.png.
"""
import pytest
from playwright.sync_api import expect
from rq import SimpleWorker

from crisisdesk.extensions import db, redis_connection
from crisisdesk.jobs import ALL_QUEUES, queue
from crisisdesk.models import Case, CaseReply, Review, Shop
from tests.bridge_standin import BridgeRoute
from tests.e2e.test_panel import DEMO_PASSWORD, KETTLE_REVIEW, browser, log_in, page, panel  # noqa: F401

pytestmark = pytest.mark.e2e

OWN_WORDS = "Anno, sprawdziliśmy Twoje zamówienie i wysłaliśmy dziś nowy czajnik."
DEFENSIVE = "Anno, to nie nasza wina: regulamin jasno mówi, że paczkę trzeba sprawdzić przy kurierze."


@pytest.fixture
def wordpress(panel):  # noqa: F811
    """The demo shop's bridge route, on loopback, with the shop's URL pointing at it."""
    with panel.app.app_context():
        shop = Shop.query.one()
        route = BridgeRoute(shop.current_secret().value).start()
        shop.url = route.url
        db.session.commit()
        db.session.remove()
    yield route
    route.stop()


def run_jobs(app):
    with app.app_context():
        connection = redis_connection(app)
        SimpleWorker([queue(name, app) for name in ALL_QUEUES], connection=connection).work(burst=True)
        db.session.remove()


def test_an_agent_answers_a_review_publicly_and_by_email(page, panel, wordpress):  # noqa: F811
    with panel.app.app_context():
        case = Case.query.join(Review).filter(Review.text.startswith(KETTLE_REVIEW)).one()
        case_id, review_id = case.id, case.review.remote_id
        db.session.remove()

    log_in(page, "agent@demo.example", DEMO_PASSWORD)
    page.goto(f"/cases/{case_id}")

    # The draft: personal, in the customer's language, covering all five steps.
    composer = page.locator("form.composer")
    reply = composer.get_by_label("Reply")
    expect(reply).to_be_visible()
    draft = reply.input_value()
    assert draft.startswith("Dzień dobry, Anna") and "Kuba\n" in draft
    expect(composer.locator(".step.covered")).to_have_count(5)
    page.screenshot(path="/tmp/crisisdesk-e2e-reply-draft.png", full_page=True)

    # A defensive reply: the tone hints appear live under the 5P steps, as hints; Send stays usable.
    reply.fill(DEFENSIVE)
    defensive = composer.locator('.tone-hint[data-kind="defensive"]')
    expect(defensive).to_contain_text("nie nasza wina")
    expect(defensive).to_contain_text("hides behind the rules")
    expect(composer.locator('.tone-hint[data-kind="skipped_point"]')).to_contain_text("uszkodzony")
    expect(composer.locator(".tone-hints")).to_contain_text("hints, not blockers")
    expect(composer.get_by_role("button", name="Send")).to_be_enabled()
    page.screenshot(path="/tmp/crisisdesk-e2e-reply-tone.png", full_page=True)

    # The agent writes in their own words: the defensive hint goes; the check shows what is missing, with hints.
    reply.fill(OWN_WORDS)
    expect(defensive).to_have_count(0)
    expect(composer.locator(".step.missing")).to_have_count(4)
    expect(composer.locator(".step.missing").first).to_contain_text("Przeproś")
    expect(composer.locator(".step.missing").first).to_contain_text("Apologise once, sincerely")

    # ... and completes it; the check follows as they type.
    final = ("Anno, bardzo przepraszamy za uszkodzony czajnik: to nasz błąd przy pakowaniu. " + OWN_WORDS[6:] +
             " Od teraz pakujemy czajniki w podwójny karton, a w ramach przeprosin dostaniesz też kod rabatowy.")
    reply.fill(final)
    expect(composer.locator(".step.covered")).to_have_count(5)
    expect(composer.locator(".tone-hint")).to_have_count(0)  # the customer's point (the damage) is answered
    composer.get_by_label("Where").select_option("both")
    page.screenshot(path="/tmp/crisisdesk-e2e-reply-edited.png", full_page=True)
    composer.get_by_role("button", name="Send").click()

    expect(page.get_by_role("status")).to_contain_text("Reply sent")
    rows = page.locator("table.replies tbody tr")
    expect(rows).to_have_count(2)
    expect(page.locator(".heading")).to_contain_text("answered")  # the email went to the outbox at once

    run_jobs(panel.app)  # the worker posts the public reply through the bridge route
    page.reload()
    expect(rows.filter(has_text="Under the review")).to_contain_text("posted")
    expect(rows.filter(has_text="Email")).to_contain_text("queued")
    page.screenshot(path="/tmp/crisisdesk-e2e-reply-sent.png", full_page=True)

    assert wordpress.comments_under(review_id) == [700]
    assert [payload["content"] for _, payload in wordpress.received] == [final]
    with panel.app.app_context():
        statuses = sorted((r.channel, r.status) for r in CaseReply.query.filter_by(case_id=case_id))
        assert statuses == [("email", "queued"), ("public", "posted")]
        assert db.session.get(Case, case_id).public_replied_at is not None
        db.session.remove()
