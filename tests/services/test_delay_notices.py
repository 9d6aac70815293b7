"""The delay notice end to end (services/delay_notices.py): one outbox email per flag through a real SMTP server,
the goodwill code through the compensation path against the WooCommerce stand-in (the email waits for it), and
the refusals: opted-out and erased customers, a text without the new date, a code above the approval threshold."""
from datetime import date, timedelta
from decimal import Decimal

import pytest

from crisisdesk.demo.payloads import wc_time
from crisisdesk.domain.errors import Forbidden, Invalid, NotFound
from crisisdesk.domain.follow_up import format_date
from crisisdesk.extensions import db
from crisisdesk.models import AtRiskOrder, AuditEntry, Compensation, Order, OutboxEmail
from crisisdesk.services import at_risk_orders, delay_notices, outbox, privacy, woo as woo_service
from crisisdesk.services.delay_notices import DelayNotice, GoodwillCode
from tests import factories
from tests.jobs.test_recovery_jobs import travel
from tests.outbox_helpers import timeline
from tests.reply_helpers import actor_of, review_case
from tests.wc_standin.fixtures import woo  # noqa: F401  (the WooCommerce stand-in fixture)


def flagged_order(shop, now, email="grace@example.com", woo=None, total="100.00"):  # noqa: F811
    """An order placed three days ago and still processing (known to the stand-in when given), flagged."""
    placed = now - timedelta(days=3)
    if woo is not None:
        payload = woo.add_order(total=total, email=email, date_created=placed, date_paid_gmt=wc_time(placed))
    else:
        payload = factories.order(email=email, created_at=placed)
    factories.deliver(shop, "order.created", payload)
    at_risk_orders.flag_at_risk_orders(shop, now)
    order = Order.query.filter_by(shop_id=shop.id, remote_id=payload["id"]).one()
    return AtRiskOrder.query.filter_by(order_id=order.id).one()


def notice(flag, days=3, code=None, **changes):
    """The prefilled draft, sent as the agent would leave it (with `changes` made by hand)."""
    draft = delay_notices.draft(flag, expected_on=date(2026, 11, 22) + timedelta(days=days),
                                reason="our kiln broke down")
    return DelayNotice(**{"language": draft.language, "text": draft.text, "expected_on": draft.expected_on,
                          "reason": draft.reason, "code": code, **changes})


def emails():
    db.session.expire_all()
    return OutboxEmail.query.filter_by(kind="delay_notice").order_by(OutboxEmail.id).all()


@pytest.fixture
def polish_shop(shop_a):
    shop_a.language = "pl"
    db.session.commit()
    return shop_a


def test_one_transparent_notice_goes_out_once_however_often_it_is_sent(app, polish_shop, agent, smtp_server,
                                                                       run_jobs, frozen_clock):
    flag = flagged_order(polish_shop, frozen_clock.now)
    sent, created = delay_notices.send_notice(agent, flag.id, actor_of(agent), notice(flag))
    again, created_again = delay_notices.send_notice(agent, flag.id, actor_of(agent), notice(flag, days=5))
    assert (created, created_again) == (True, False) and again.expected_on == date(2026, 11, 25)
    run_jobs()

    [received] = smtp_server.messages
    message = received.message
    number = sent.order.number
    assert received.rcpt_tos == ["grace@example.com"]
    assert message["Subject"] == f"Twoje zamówienie nr {number} jest opóźnione (Shop A)"
    assert message["Content-Language"] == "pl"
    # Written by a person about one order: no list headers, and auto-replies may reach the shop.
    assert message["List-Unsubscribe"] is None and message["Auto-Submitted"] is None
    text = message.get_body(("plain",)).get_content()
    assert text.startswith("Dzień dobry Grace,\n\nTwoje zamówienie nr")
    assert "Powód: our kiln broke down." in text and "wysłać je do 25.11.2026" in text
    assert "Pozdrawiamy serdecznie,\nShop A" in text
    assert "Masz pytania? Napisz do nas przez https://shop.example." in text
    assert "opini" not in text.lower() and "ocen" not in text.lower()
    assert "kiln broke down" in message.get_body(("html",)).get_content()

    [row] = emails()
    assert (row.status, row.idempotency_key, row.order_id, row.case_id) == ("sent", f"delay-notice:{flag.id}",
                                                                          flag.order_id, None)
    db.session.expire_all()
    flag = db.session.get(AtRiskOrder, flag.id)
    assert (flag.status, flag.outbox_email_id, flag.acted_by_id, flag.notice_language) == ("notified", row.id,
                                                                                          agent.id, "pl")
    assert AuditEntry.query.filter_by(action="at_risk.notified", target_id=flag.id).count() == 1


def test_the_goodwill_code_goes_through_the_compensation_path_and_the_email_waits_for_it(
        app, polish_shop, owner, agent, smtp_server, run_jobs, frozen_clock, woo):  # noqa: F811
    woo_service.save_keys(owner, polish_shop.id, woo.consumer_key, woo.consumer_secret, actor_of(owner),
                          rest_url=woo.url)
    # The customer's earlier complaint (about another order) is still open: the notice is shown on that case.
    case = review_case(polish_shop, email="grace@example.com", first="Grace", last="Hopper")
    flag = flagged_order(polish_shop, frozen_clock.now, woo=woo)
    assert flag.reason == "stuck_processing" and delay_notices.customer_case(flag) == case
    sent, _ = delay_notices.send_notice(agent, flag.id, actor_of(agent),
                                        notice(flag, code=GoodwillCode("percent", Decimal("10"))))
    code = db.session.get(Compensation, sent.compensation_id)
    assert (code.kind, code.case_id, code.order_id, code.state, code.amount) == ("coupon", None, flag.order_id,
                                                                               "approved", Decimal("10.00"))
    assert code.coupon_code.startswith(f"SORRY-O{flag.order_id}-")

    # The email's job comes before WooCommerce has made the code: it waits, not counting as an attempt.
    [row] = emails()
    assert outbox.send(row.id) == "deferred"
    assert emails()[0].due_at == frozen_clock.now + timedelta(minutes=2) and emails()[0].attempts == 0
    run_jobs()  # the code is created in WooCommerce; the email is not due yet
    assert smtp_server.messages == []
    db.session.expire_all()
    code = db.session.get(Compensation, code.id)
    coupon = woo.store.coupons[code.remote_id]
    assert code.state == "succeeded" and coupon["email_restrictions"] == ["grace@example.com"]
    assert coupon["usage_limit"] == 1 and coupon["discount_type"] == "percent" and coupon["amount"] == "10.00"
    assert f"order #{flag.order.number}" in coupon["description"] and code.marker in coupon["description"]

    travel(app, frozen_clock, run_jobs, minutes=2)
    [received] = smtp_server.messages
    text = received.message.get_body(("plain",)).get_content()
    assert f"Przekazaliśmy Ci kod rabatowy {code.coupon_code}: 10% zniżki" in text
    assert text.index(code.coupon_code) < text.index("Pozdrawiamy serdecznie")
    kinds = [kind for kind, _ in timeline(case)]
    assert "delay_notice" in kinds and "email_sent" in kinds
    assert (f"Delay notice about order #{flag.order.number} written: dispatch now expected by 2026-11-25, with a "
            "goodwill code.") in [message for _, message in timeline(case)]
    assert emails()[0].case_id == case.id


def test_a_code_woocommerce_refuses_cancels_the_notice(app, polish_shop, owner, agent, smtp_server, run_jobs,
                                                       frozen_clock, woo):  # noqa: F811
    woo_service.save_keys(owner, polish_shop.id, woo.consumer_key, woo.consumer_secret, actor_of(owner),
                          rest_url=woo.url)
    flag = flagged_order(polish_shop, frozen_clock.now, woo=woo)
    woo.fail_next(400, code="woocommerce_rest_invalid_coupon", message="Invalid coupon.", method="POST",
                  path="coupons")
    delay_notices.send_notice(agent, flag.id, actor_of(agent), notice(flag, code=GoodwillCode("percent",
                                                                                              Decimal("10"))))
    run_jobs()
    assert smtp_server.messages == []
    [row] = emails()
    assert (row.status, row.status_note) == ("cancelled", "the goodwill code could not be created in WooCommerce")


def test_it_refuses_what_must_not_be_sent_and_records_nothing(app, polish_shop, owner, agent, viewer, outsider,
                                                              frozen_clock, woo):  # noqa: F811
    flag = flagged_order(polish_shop, frozen_clock.now)
    refusals = [
        (notice(flag, text="Wyślemy je wkrótce, przepraszamy."), "text", "must name the new dispatch date"),
        (notice(flag, text=notice(flag).text + "\n\nZostaw nam opinię!"), "text", "never asks for a review"),
        (notice(flag, days=-1), "expected_on", "in the past"),
        (notice(flag, code=GoodwillCode("percent", Decimal("10"))), "amount", "WooCommerce API keys"),
    ]
    for attempt, field, words in refusals:
        with pytest.raises(Invalid, match=words) as error:
            delay_notices.send_notice(agent, flag.id, actor_of(agent), attempt)
        assert error.value.field == field
    woo_service.save_keys(owner, polish_shop.id, woo.consumer_key, woo.consumer_secret, actor_of(owner),
                          rest_url=woo.url)
    polish_shop.approval_threshold = 20  # the order is worth 25.00: a fixed code of 21 needs an owner
    db.session.commit()
    with pytest.raises(Invalid, match="approval threshold") as error:
        delay_notices.send_notice(agent, flag.id, actor_of(agent), notice(flag, code=GoodwillCode(
            "fixed_cart", Decimal("21"))))
    assert error.value.field == "amount"
    with pytest.raises(Forbidden):
        delay_notices.send_notice(viewer, flag.id, actor_of(viewer), notice(flag))
    with pytest.raises(NotFound):
        delay_notices.send_notice(outsider, flag.id, actor_of(outsider), notice(flag))

    outbox.suppress(polish_shop.id, "grace@example.com", "unsubscribed")
    with pytest.raises(Invalid, match="asked for no more emails") as error:
        delay_notices.send_notice(agent, flag.id, actor_of(agent), notice(flag))
    assert error.value.field == "to"
    db.session.expire_all()
    assert emails() == [] and Compensation.query.count() == 0
    assert db.session.get(AtRiskOrder, flag.id).status == "open"


def test_an_erased_customer_is_never_written_to_and_their_notice_is_erased(app, polish_shop, agent, frozen_clock):
    flag = flagged_order(polish_shop, frozen_clock.now)
    privacy.erase(polish_shop, "grace@example.com")
    with pytest.raises(Invalid, match="personal data was erased") as error:
        delay_notices.send_notice(agent, flag.id, actor_of(agent), notice(flag))
    assert error.value.field == "to" and emails() == []

    sent = flagged_order(polish_shop, frozen_clock.now, email="ann@example.com")
    delay_notices.send_notice(agent, sent.id, actor_of(agent), notice(sent))  # scheduled, not sent yet
    privacy.erase(polish_shop, "ann@example.com")
    db.session.expire_all()
    sent = db.session.get(AtRiskOrder, sent.id)
    assert sent.notice_text == "[erased]" and sent.delay_reason == "our kiln broke down."
    assert (sent.outbox_email.status, sent.outbox_email.to_email.startswith("erased-")) == ("cancelled", True)


def test_the_draft_speaks_the_customers_language_and_names_the_date(app, shop_a, frozen_clock):
    flag = flagged_order(shop_a, frozen_clock.now)
    db.session.get(Order, flag.order_id).customer.language = "lv"
    db.session.commit()
    draft = delay_notices.draft(flag)
    assert draft.language == "lv" and draft.expected_on == date(2026, 11, 24)
    assert draft.text.startswith("Labdien, Grace!") and format_date(draft.expected_on, "lv") in draft.text
    assert delay_notices.suggested_code(flag) == Decimal("10")  # the shop's table: late delivery → a 10% code


def test_without_a_known_language_the_customers_own_words_decide(app, polish_shop, frozen_clock):
    factories.deliver(polish_shop, "review.created", factories.review(
        rating=5, email="ann@example.com", text="Lovely mug, great colour and it arrived quickly."))
    english = flagged_order(polish_shop, frozen_clock.now, email="ann@example.com")
    silent = flagged_order(polish_shop, frozen_clock.now, email="bo@example.com")
    assert (delay_notices.draft(english).language, delay_notices.draft(silent).language) == ("en", "pl")
