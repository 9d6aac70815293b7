"""What follow-up emails say (email_kinds.render) in Polish, English and Latvian, and when a due one is
dropped (email_kinds.cancel_reason), on real rows: a case resolved through the services."""
import re
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from crisisdesk import clock
from crisisdesk.domain.actor import Actor
from crisisdesk.domain.follow_up_texts import TEXTS
from crisisdesk.extensions import db
from crisisdesk.models import Case, Compensation, Order, OutboxEmail
from crisisdesk.services import cases, email_kinds, email_links, outbox, privacy, recovery
from tests import factories

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=timezone.utc)
URL = re.compile(r"https?://[^\s\"<>]+")


def actor_of(user):
    return Actor(label=user.email, user_id=user.id)


def deliver(shop, event_type, payload):
    factories.deliver(shop, event_type, payload, occurred_at=clock.utcnow())


def resolve(agent, case):
    cases.change_status(agent, case.id, "resolved", actor_of(agent))
    db.session.expire_all()
    return db.session.get(Case, case.id)


def rows(case):
    db.session.expire_all()
    follow, reminder = OutboxEmail.query.filter_by(case_id=case.id).order_by(OutboxEmail.id).all()[-2:]
    return follow, reminder


def compensate(case, kind, **fields):
    """A compensation that went through (its WooCommerce side is tested in test_compensation.py)."""
    db.session.add(Compensation(shop_id=case.shop_id, case_id=case.id, order_id=case.order_id, kind=kind,
                                state="succeeded", idempotency_key=f"k-{kind}-{case.id}", currency="PLN", **fields))
    db.session.commit()


@pytest.fixture
def case(shop_a, frozen_clock):
    """Grace's 1-star review of order #1042, with a refund, a replacement (#1043) and a 15 % code."""
    deliver(shop_a, "order.created", factories.order(order_id=1042, created_at=NOW - timedelta(days=20)))
    deliver(shop_a, "order.created", factories.order(order_id=1043, created_at=NOW - timedelta(days=2),
                                                     status="completed"))
    deliver(shop_a, "review.created", factories.review(review_id=501, rating=1, text="Przyszedł pęknięty."))
    case = Case.query.one()
    assert case.order.number == "1042"
    compensate(case, "refund", amount=Decimal("30.00"), value=Decimal("30.00"), remote_id=1)
    compensate(case, "replacement", amount=Decimal("25.00"), value=Decimal("25.00"), remote_id=1043)
    compensate(case, "coupon", amount=Decimal("15"), value=Decimal("15"), coupon_type="percent",
               coupon_code="SORRY-1-AB12CD", coupon_expires_on=date(2026, 12, 22), remote_id=3)
    return case


@pytest.fixture
def resolved(case, agent):
    return resolve(agent, case)


def rendered(row, language):
    row.language = language
    return email_kinds.render(row)


# --- the follow-up, in three languages ---------------------------------------------------------------------

@pytest.mark.parametrize("language, subject, greeting, opening, remedies", [
    ("pl", "Grace, czy wszystko jest już w porządku?", "Dzień dobry Grace,",
     "zajęliśmy się Twoim zgłoszeniem dotyczącym zamówienia nr 1042 (Lab Gadget)",
     ["Zwróciliśmy Ci 30,00 zł.", "Wysłaliśmy Ci bezpłatnie produkt na wymianę (zamówienie nr 1043).",
      "Przekazaliśmy Ci kod rabatowy SORRY-1-AB12CD: 15% zniżki na kolejne zakupy, ważny do 22.12.2026."]),
    ("en", "Grace, is everything all right now?", "Hello Grace,",
     "We recently resolved your complaint about order #1042 (Lab Gadget)",
     ["We refunded 30.00 PLN to you.", "We sent you a replacement free of charge (order #1043).",
      "We gave you the discount code SORRY-1-AB12CD: 15% off your next order, valid until 22 December 2026."]),
    ("lv", "Grace, vai tagad viss ir kārtībā?", "Labdien, Grace!",
     "Nesen atrisinājām jūsu sūdzību par pasūtījumu Nr. 1042 (Lab Gadget)",
     ["Atmaksājām jums 30,00 PLN.", "Bez maksas nosūtījām jums nomaiņas preci (pasūtījums Nr. 1043).",
      "Piešķīrām jums atlaides kodu SORRY-1-AB12CD: 15% atlaide nākamajam pirkumam, derīgs līdz 22.12.2026."]),
])
def test_the_follow_up_is_personal_concrete_and_in_the_customers_language(resolved, language, subject, greeting,
                                                                          opening, remedies):
    follow, _ = rows(resolved)
    email = rendered(follow, language)
    t = TEXTS[language]
    assert email.subject == subject
    assert email.text.startswith(greeting + "\n\n") and opening in email.text
    for sentence in remedies:
        assert f"- {sentence}" in email.text and f"<li>{sentence}</li>" in email.html
    assert t["question"] in email.text and t["question"] in email.html
    # The review is invited with a direct link, and the choice is explicitly the customer's.
    review_url = "https://shop.example/product/lab-gadget/#comment-501"
    assert f"{t['review_invite']}\n{review_url}\n{t['review_choice']}" in email.text
    assert f'href="{review_url}"' in email.html and t["review_choice"] in email.html
    # The last line is the unsubscribe link (signed with a timestamp, so read back rather than rebuilt).
    last_line = email.text.rstrip().rsplit("\n", 1)[-1]
    assert email_links.UNSUBSCRIBE_PATH in last_line
    link = email_links.read_unsubscribe(last_line.rsplit("/", 1)[1])
    assert (link.shop_id, link.email) == (resolved.shop_id, "grace@example.com")
    assert f"{t['closing']}\nShop A\n" in email.text and "Shop A</p>" in email.html
    assert f'<html lang="{language}">' in email.html


def test_it_carries_five_signed_satisfaction_links_and_an_unsubscribe_link(resolved):
    follow, _ = rows(resolved)
    email = email_kinds.render(follow)
    rate_links = [u for u in URL.findall(email.text) if email_links.RATE_PATH in u]
    answers = [email_links.read_rating(u.rsplit("/", 1)[1]) for u in rate_links]
    assert [(a.recovery_id, a.score) for a in answers] == [(resolved.recovery.id, n) for n in range(1, 6)]
    assert all(f'href="{u}"' in email.html for u in rate_links)
    [unsubscribe] = [u for u in URL.findall(email.text) if email_links.UNSUBSCRIBE_PATH in u]
    link = email_links.read_unsubscribe(unsubscribe.rsplit("/", 1)[1])
    assert (link.shop_id, link.email) == (resolved.shop_id, "grace@example.com")
    assert f'href="{unsubscribe}"' in email.html


@pytest.mark.parametrize("language, last_words", [
    ("pl", "To nasza ostatnia wiadomość w tej sprawie"),
    ("en", "This is our last message about it"),
    ("lv", "Šī ir mūsu pēdējā ziņa par šo jautājumu"),
])
def test_the_reminder_is_shorter_and_says_it_is_the_last_message(resolved, language, last_words):
    follow, reminder = rows(resolved)
    first, last = rendered(follow, language), rendered(reminder, language)
    assert last.subject == TEXTS[language]["reminder_subject"]
    assert last_words in last.text and last_words in last.html
    assert len(last.text) < len(first.text) * 0.75
    assert len([u for u in URL.findall(last.text) if email_links.RATE_PATH in u]) == 5
    assert "#comment-501" in last.text and TEXTS[language]["review_choice"] in last.text


def test_a_complaint_entered_by_hand_has_no_review_to_link(shop_a, agent, frozen_clock):
    case = cases.open_manual_case(agent, shop_a.id, actor_of(agent), "phone", "ada@example.com", "Ada Lovelace",
                                  "Called: the parcel never arrived.")
    follow, reminder = rows(resolve(agent, case))
    for row in (follow, reminder):
        email = email_kinds.render(row)
        assert "#comment-" not in email.text and TEXTS["en"]["review_choice"] not in email.text
        assert "Hello Ada," in email.text
    assert "We recently resolved your complaint and would like" in email_kinds.render(follow).text


def test_a_shop_with_a_reply_to_address_asks_for_a_reply_and_one_without_points_to_its_site(resolved):
    follow, _ = rows(resolved)
    assert "write to us through https://shop.example." in email_kinds.render(follow).text
    resolved.shop.reply_to_email = "help@shop.example"
    db.session.commit()
    assert TEXTS["en"]["reply"] in email_kinds.render(follow).text


def test_hostile_names_are_escaped_in_html_and_cannot_inject_headers(case, agent):
    case.customer.first_name = "<script>alert(1)</script>\r\nBcc:victim@example.com"
    case.product.name = '<img src=x onerror="alert(2)">'
    case.shop.name = "Shop & <b>Co</b>"
    db.session.commit()
    follow, _ = rows(resolve(agent, case))
    email = email_kinds.render(follow)
    assert "\r" not in email.subject and "\n" not in email.subject
    assert email.subject == "<script>alert(1)</script>, is everything all right now?"  # the first name only
    assert "<script>" not in email.html and "<img" not in email.html and "<b>" not in email.html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in email.html and "&lt;img src=x onerror=" in email.html
    assert "Shop &amp; &lt;b&gt;Co&lt;/b&gt;" in email.html
    assert '<img src=x onerror="alert(2)">' in email.text  # plain text shows it as the text it is
    message = outbox.build_message(follow, clock.utcnow())
    assert "Bcc" not in message and message["Subject"] == email.subject


def test_an_unknown_kind_cannot_be_rendered(resolved):
    follow, _ = rows(resolved)
    follow.kind = "newsletter"
    with pytest.raises(ValueError):
        email_kinds.render(follow)
    db.session.rollback()


# --- cancel_reason ---------------------------------------------------------------------------------------------

def reason(row):
    db.session.expire_all()
    return email_kinds.cancel_reason(db.session.get(OutboxEmail, row.id))


def mark_sent(row, at):
    row.status, row.sent_at = "sent", at
    db.session.commit()


def test_a_due_follow_up_is_wanted_until_something_changes(resolved, agent, frozen_clock):
    follow, reminder = rows(resolved)
    frozen_clock.advance(days=7)
    assert reason(follow) is None
    cases.change_status(agent, resolved.id, "closed", actor_of(agent))
    assert reason(follow) is None
    cases.change_status(agent, resolved.id, "in_progress", actor_of(agent))
    assert reason(follow) == reason(reminder) == "the case was reopened"


def test_an_unsubscribed_address_gets_nothing(resolved, frozen_clock):
    follow, _ = rows(resolved)
    outbox.suppress(resolved.shop_id, "GRACE@example.com", "unsubscribed")
    assert reason(follow) == "the address asked for no more emails"


def test_a_customer_who_already_raised_the_rating_gets_nothing(resolved, frozen_clock):
    follow, reminder = rows(resolved)
    frozen_clock.advance(days=3)
    deliver(resolved.shop, "review.updated", factories.review(review_id=501, rating=4, text="Przyszedł pęknięty."))
    assert reason(follow) == reason(reminder) == "the customer already raised the rating"


def test_a_customer_who_ordered_again_gets_nothing(resolved, frozen_clock):
    follow, _ = rows(resolved)
    frozen_clock.advance(days=3)
    deliver(resolved.shop, "order.created", factories.order(created_at=frozen_clock.now))
    assert reason(follow) == "the customer already ordered again"


def test_a_review_removed_in_wordpress_is_not_followed_up(resolved, frozen_clock):
    follow, _ = rows(resolved)
    frozen_clock.advance(days=1)
    deliver(resolved.shop, "review.status_changed", factories.review(review_id=501, rating=1,
                                                                     text="Przyszedł pęknięty.", status="trash"))
    assert reason(follow) == "the review was removed in WordPress"


def test_an_erased_customer_is_not_followed_up(resolved, frozen_clock):
    follow, _ = rows(resolved)
    privacy.erase(resolved.shop, "grace@example.com")
    assert (follow.status, follow.status_note) == ("cancelled", "the customer's personal data was erased")
    # A row a worker had already claimed when the erasure ran is still stopped at the last moment.
    follow.status = "sending"
    db.session.commit()
    assert reason(follow) == "the customer's address was erased"


def test_the_reminder_goes_only_after_a_sent_follow_up_and_no_reaction(resolved, frozen_clock):
    follow, reminder = rows(resolved)
    frozen_clock.advance(days=12)
    assert reason(reminder) == "the follow-up itself was not sent"
    mark_sent(follow, NOW + timedelta(days=7))
    assert reason(reminder) is None
    # The shop moderating the review is not the customer reacting; the customer editing it is.
    deliver(resolved.shop, "review.status_changed", factories.review(review_id=501, rating=1,
                                                                     text="Przyszedł pęknięty.", status="hold"))
    assert reason(reminder) is None
    frozen_clock.advance(minutes=1)
    deliver(resolved.shop, "review.updated", factories.review(review_id=501, rating=1, status="hold",
                                                              text="Przyszedł pęknięty, ale wymiana dotarła."))
    assert reason(reminder) == "the customer already updated the review"


def test_any_answer_to_the_follow_up_drops_the_reminder(resolved, frozen_clock):
    follow, reminder = rows(resolved)
    mark_sent(follow, NOW + timedelta(days=7))
    frozen_clock.advance(days=8)
    recovery.record_satisfaction(resolved.recovery.id, 2)
    assert reason(follow) is None  # already sent anyway; an unhappy answer is no recovery
    assert reason(reminder) == "the customer already answered the follow-up"


def test_a_new_review_after_the_follow_up_drops_the_reminder(resolved, frozen_clock):
    follow, reminder = rows(resolved)
    mark_sent(follow, NOW + timedelta(days=7))
    frozen_clock.advance(days=9)
    deliver(resolved.shop, "review.created", factories.review(rating=2, product_id=12, created_at=frozen_clock.now,
                                                              text="The replacement is slow too."))
    assert Order.query.count() == 2
    assert reason(reminder) == "the customer already updated the review"
