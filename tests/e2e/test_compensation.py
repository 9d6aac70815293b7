"""Compensating in a real browser: an agent refunds from a case; the job calls the WooCommerce stand-in.

Screenshots: /tmp/crisisdesk-e2e-compensation-*.png.
"""
import threading
import uuid
from datetime import datetime, timezone

import pytest
from playwright.sync_api import expect
from rq import SimpleWorker
from werkzeug.serving import make_server

from crisisdesk import create_app
from crisisdesk.domain.actor import CLI
from crisisdesk.extensions import db, redis_connection
from crisisdesk.jobs import ALL_QUEUES, queue
from crisisdesk.models import Case, Compensation, User
from crisisdesk.services import woo as woo_service
from tests import factories
from tests.e2e.test_panel import CHROMIUM, CHROMIUM_ARGS, browser  # noqa: F401  (shared browser fixture)
from tests.wc_standin.fixtures import woo  # noqa: F401  (the WooCommerce stand-in)

pytestmark = pytest.mark.e2e
PASSWORD = "a long enough password"


@pytest.fixture
def served(tmp_path, redis_url, woo):  # noqa: F811
    """The real app on a loopback port; shop connected to the stand-in; a case linked to a 100.00 order."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CRISISDESK_INSTANCE_PATH", str(tmp_path / "instance"))
        app = create_app({"SECRET_KEY": "e2e-" + uuid.uuid4().hex, "REDIS_URL": redis_url,
                          "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'panel.db'}"})
    with app.app_context():
        db.create_all()
        redis_connection(app).flushdb()
        shop = factories.make_shop("Kettle shop")
        owner = factories.make_user("owner@shop.example", "owner", password=PASSWORD)
        factories.make_user("agent@shop.example", "agent", shops=[shop], password=PASSWORD, name="Ada (agent)")
        woo_service.save_keys(db.session.get(User, owner.id), shop.id, woo.consumer_key, woo.consumer_secret, CLI,
                              rest_url=woo.url)
        order = woo.add_order(total="100.00", email="grace@example.com",
                              date_created=datetime(2026, 11, 1, tzinfo=timezone.utc))
        factories.deliver(shop, "order.created", order)
        factories.deliver(shop, "review.created", factories.review(rating=1, email="grace@example.com",
                                                                   text="The kettle arrived dented."))
        case_id = Case.query.one().id
        db.session.remove()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield app, f"http://127.0.0.1:{server.server_port}", case_id, order
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


def run_jobs(app):
    with app.app_context():
        SimpleWorker([queue(name, app) for name in ALL_QUEUES], connection=redis_connection(app)).work(burst=True)
        db.session.remove()


def test_an_agent_refunds_part_of_an_order_from_the_case_page(browser, served, woo):  # noqa: F811
    app, url, case_id, order = served
    context = browser.new_context(base_url=url, viewport={"width": 1366, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto("/login")
    page.get_by_label("Email").fill("agent@shop.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    page.goto(f"/cases/{case_id}")
    page.get_by_role("link", name="Refund, replace or send a code…").click()
    expect(page.get_by_role("heading", name=f"Compensate: case #{case_id}")).to_be_visible()
    expect(page.locator("main")).to_contain_text("still refundable: 100.00")
    page.get_by_label("Remedy").select_option("refund")
    page.get_by_label("Amount").fill("20")
    page.get_by_label("Reason").fill("dented on arrival")
    page.get_by_role("button", name="Preview").click()

    expect(page.get_by_role("heading", name="Check before it runs")).to_be_visible()
    expect(page.locator("dl.facts")).to_contain_text("20.00")
    expect(page.locator("dl.facts")).to_contain_text("Recorded in WooCommerce only")
    page.screenshot(path="/tmp/crisisdesk-e2e-compensation-preview.png", full_page=True)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("status")).to_contain_text("Refund of 20.00")

    run_jobs(app)
    page.reload()
    card = page.locator("#compensations")
    expect(card).to_contain_text("succeeded")
    page.screenshot(path="/tmp/crisisdesk-e2e-compensation-done.png", full_page=True)
    assert [r["amount"] for r in woo.refunds_of(order["id"])] == ["20.00"]
    with app.app_context():
        assert Compensation.query.one().state == "succeeded"
        db.session.remove()
    context.close()
