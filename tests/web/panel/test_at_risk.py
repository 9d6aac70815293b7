"""The at-risk orders page and the delay notice form: viewers read, agents act; the form is prefilled, redrafted
from the date and reason, refuses with the error beside the field (nothing lost, nothing sent), and sends once;
other shops' flags stay hidden; owners set the promised dispatch time."""

import pytest

from crisisdesk.extensions import db
from crisisdesk.models import AtRiskOrder, AuditEntry, OutboxEmail
from crisisdesk.services import at_risk_orders, outbox
from tests.services.test_at_risk_orders import place


@pytest.fixture
def flagged(shop_a, shop_b, frozen_clock):
    """Shop A: an order processing for three days and one on hold; shop B: one of its own. All flagged."""
    now = frozen_clock.now
    late = place(shop_a, now, 72, email="grace@example.com")
    place(shop_a, now, 60, status="on-hold", unpaid=True, email="held@example.com")
    place(shop_b, now, 72, email="bob@example.com")
    at_risk_orders.flag_all(now)
    return AtRiskOrder.query.filter_by(order_id=late.id).one()


def field_block(html, name):
    blocks = [b for b in html.split('<div class="field') if f'name="{name}"' in b]
    assert blocks, f"no field {name}"
    return blocks[0]


def test_viewers_read_the_list_and_agents_get_the_actions(client, flagged, viewer, agent):
    client.login(viewer)
    html = client.get("/at-risk").get_data(as_text=True)
    assert 'href="/at-risk"' in html and f"#{flagged.order.number}" in html and "grace@example.com" in html
    assert "Processing past the promised dispatch time" in html and "On hold past the promised dispatch time" in html
    assert "3.0 days" in html and "Send delay notice" not in html and "bob@example.com" not in html
    assert "held@example.com" not in client.get("/at-risk?reason=stuck_processing").get_data(as_text=True)
    assert "grace@example.com" not in client.get("/at-risk?status=notified").get_data(as_text=True)

    client.submit("/logout", page="/at-risk")
    client.login(agent)
    html = client.get("/at-risk").get_data(as_text=True)
    assert f'href="/at-risk/{flagged.id}/notice"' in html and f'action="/at-risk/{flagged.id}/dismiss"' in html


def test_another_shops_flags_stay_hidden(client, flagged, shop_a, outsider):
    client.login(outsider)
    assert "grace@example.com" not in client.get("/at-risk").get_data(as_text=True)
    assert client.get(f"/at-risk?shop={shop_a.id}").status_code == 404
    assert client.get(f"/at-risk/{flagged.id}/notice").status_code == 404
    response = client.submit(f"/at-risk/{flagged.id}/dismiss", {"reason": "Not mine."}, page="/at-risk")
    assert response.status_code == 404
    db.session.expire_all()
    assert db.session.get(AtRiskOrder, flagged.id).status == "open"
    assert AuditEntry.query.filter_by(action="at_risk.dismissed").count() == 0


def test_the_notice_is_prefilled_redrafted_and_sent_once(client, flagged, agent):
    client.login(agent)
    url = f"/at-risk/{flagged.id}/notice"
    html = client.get(url).get_data(as_text=True)
    assert "Hello Grace," in html and "24 November 2026" in html  # the shop's English; two days ahead
    assert 'value="10"' in field_block(html, "code_amount")  # the shop's goodwill percent for a late delivery

    form = {"language": "pl", "expected_on": "2026-11-27", "reason": "dostawca spóźnił się z gliną",
            "text": "ignored when redrafting", "code_type": "percent", "code_amount": "10"}
    redrafted = client.submit(url, {**form, "redraft": "1"}, page=url)
    html = redrafted.get_data(as_text=True)
    assert redrafted.status_code == 200 and "Dzień dobry Grace," in html
    assert "Powód: dostawca spóźnił się z gliną." in html and "27.11.2026" in html and OutboxEmail.query.count() == 0

    text = field_block(html, "text").split(">", 2)[2].split("</textarea>")[0]
    text = text.replace("&#34;", '"').replace("&#39;", "'").replace("&amp;", "&").strip()
    sent = client.submit(url, {**form, "text": text, "send": "1"}, page=url)
    assert sent.status_code == 302 and sent.headers["Location"].endswith(f"/at-risk?status=notified#flag-{flagged.id}")
    listing = client.get("/at-risk?status=notified").get_data(as_text=True)
    assert "The delay notice is on its way to the customer." in listing and "Delay notice by" in listing
    [row] = OutboxEmail.query.filter_by(kind="delay_notice").all()
    assert row.language == "pl" and row.to_email == "grace@example.com"

    again = client.submit(url, {**form, "text": text, "send": "1"}, page="/at-risk", follow_redirects=True)
    assert "A delay notice about this order was already sent." in again.get_data(as_text=True)
    assert OutboxEmail.query.filter_by(kind="delay_notice").count() == 1


def test_a_refused_notice_shows_the_error_beside_its_field_and_keeps_the_text(client, flagged, shop_a, agent):
    client.login(agent)
    url = f"/at-risk/{flagged.id}/notice"
    form = {"language": "en", "expected_on": "2026-11-27", "reason": "",
            "text": "Hello Grace, your order is late. Sorry!", "code_type": "percent", "code_amount": "", "send": "1"}
    response = client.submit(url, form, page=url)
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "has-error" in field_block(html, "text")
    assert "the notice must name the new dispatch date (27 November 2026)" in field_block(html, "text")
    assert "your order is late. Sorry!" in html

    past = client.submit(url, {**form, "expected_on": "2026-11-01", "text": "It leaves on 1 November 2026."}, page=url)
    assert past.status_code == 400 and "in the past" in field_block(past.get_data(as_text=True), "expected_on")
    code = client.submit(url, {**form, "text": "It leaves on 27 November 2026.", "with_code": "y",
                               "code_amount": "ten"}, page=url)
    assert code.status_code == 400 and "enter an amount such as 12.50" in field_block(code.get_data(as_text=True),
                                                                                      "code_amount")
    outbox.suppress(shop_a.id, "grace@example.com", "unsubscribed")
    opted_out = client.submit(url, {**form, "text": "It leaves on 27 November 2026."}, page=url)
    assert opted_out.status_code == 400 and "asked for no more emails from the shop" in opted_out.get_data(as_text=True)
    db.session.expire_all()
    assert OutboxEmail.query.count() == 0 and db.session.get(AtRiskOrder, flagged.id).status == "open"


def test_an_agent_dismisses_a_flag_with_a_reason(client, flagged, agent):
    client.login(agent)
    url = f"/at-risk/{flagged.id}/dismiss"
    empty = client.submit(url, {"reason": ""}, page="/at-risk", follow_redirects=True)
    assert "This field is required." in empty.get_data(as_text=True)
    done = client.submit(url, {"reason": "Ships this afternoon."}, page="/at-risk", follow_redirects=True)
    assert "Dismissed: this order gets no delay notice." in done.get_data(as_text=True)
    listing = client.get("/at-risk?status=dismissed").get_data(as_text=True)
    assert "Ships this afternoon." in listing and f'href="/at-risk/{flagged.id}/notice"' not in listing


def test_owners_set_the_promised_dispatch_time(client, shop_a, owner):
    client.login(owner)
    settings = f"/shops/{shop_a.id}/settings"
    assert 'value="48"' in field_block(client.get(settings).get_data(as_text=True), "promised_dispatch_hours")
    saved = client.submit(f"/shops/{shop_a.id}/at-risk", {"promised_dispatch_hours": "96"}, page=settings)
    assert saved.status_code == 302 and saved.headers["Location"].endswith("/settings#at-risk")
    bad = client.submit(f"/shops/{shop_a.id}/at-risk", {"promised_dispatch_hours": "0"}, page=settings)
    assert bad.status_code == 400
    assert "Number must be between 1 and 720." in field_block(bad.get_data(as_text=True), "promised_dispatch_hours")
    db.session.refresh(shop_a)
    assert shop_a.promised_dispatch_hours == 96
