"""/e/unsubscribe/<token>: a confirmation page, and the POST that RFC 8058 mail providers (or the page's
button) send; afterwards that shop sends nothing more to that address."""
import re

import pytest

from crisisdesk.extensions import db
from crisisdesk.models import EmailSuppression, OutboxEmail
from crisisdesk.services import email_links, outbox
from tests.outbox_helpers import release_scheduled
from tests.web.public.helpers import days_ago, path_of, resolved_case, tampered

ONE_CLICK = {"List-Unsubscribe": "One-Click"}


@pytest.fixture
def anonymous(app):
    return app.test_client()


def unsubscribe_path(shop, email):
    return path_of(email_links.unsubscribe_url(shop.id, email))


def statuses(**filters):
    """(address, shop, status) of every outbox row, the follow-up and the reminder of each resolution."""
    db.session.expire_all()
    return sorted((row.to_email, row.shop_id, row.status) for row in OutboxEmail.query.filter_by(**filters))


def both(address, shop_id, status):
    return [(address, shop_id, status)] * 2  # the follow-up and its reminder


def test_it_asks_before_unsubscribing_and_a_visit_changes_nothing(anonymous, shop_a, agent):
    resolved_case(shop_a, agent)
    response = anonymous.get(unsubscribe_path(shop_a, "Grace@Example.com"))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Shop A" in html and "grace@example.com" in html
    form = re.search(r"<form[^>]*>.*?</form>", html, re.S).group(0)
    assert 'method="post"' in form and "csrf_token" not in form
    assert 'name="List-Unsubscribe" value="One-Click"' in form
    assert "Set-Cookie" not in response.headers
    assert EmailSuppression.query.count() == 0
    assert statuses() == both("grace@example.com", shop_a.id, "scheduled")


def test_it_unsubscribes_with_one_click_from_a_mail_provider(app, shop_a, shop_b, agent, outsider):
    resolved_case(shop_a, agent)  # grace's follow-up from shop A: cancelled below
    resolved_case(shop_a, agent, email="alan@example.com")  # someone else: untouched
    resolved_case(shop_b, outsider)  # grace at another shop: untouched
    provider = app.test_client(use_cookies=False)
    response = provider.post(unsubscribe_path(shop_a, "grace@example.com"), data=ONE_CLICK)
    assert response.status_code == 200
    assert "You are unsubscribed" in response.get_data(as_text=True) or "Wypisano" in response.get_data(as_text=True)
    assert [(s.shop_id, s.email, s.reason) for s in EmailSuppression.query] == [
        (shop_a.id, "grace@example.com", "unsubscribed")]
    assert statuses() == sorted(both("grace@example.com", shop_a.id, "cancelled")
                                + both("alan@example.com", shop_a.id, "scheduled")
                                + both("grace@example.com", shop_b.id, "scheduled"))
    assert {row.status_note for row in OutboxEmail.query.filter_by(status="cancelled")} == {"unsubscribed"}


def test_it_unsubscribes_from_the_confirmation_pages_button(app, anonymous, shop_a, agent):
    resolved_case(shop_a, agent)
    path = unsubscribe_path(shop_a, "grace@example.com")
    form = re.search(r"<form[^>]*>.*?</form>", anonymous.get(path).get_data(as_text=True), re.S).group(0)
    action = re.search(r'action="([^"]*)"', form)
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form))
    response = anonymous.post(action.group(1) if action and action.group(1) else path, data=fields)
    assert response.status_code == 200
    assert EmailSuppression.query.filter_by(shop_id=shop_a.id, email="grace@example.com").count() == 1


def test_it_is_idempotent_when_clicked_twice(app, shop_a, agent):
    resolved_case(shop_a, agent)
    provider = app.test_client(use_cookies=False)
    path = unsubscribe_path(shop_a, "grace@example.com")
    first, second = provider.post(path, data=ONE_CLICK), provider.post(path, data=ONE_CLICK)
    assert first.status_code == second.status_code == 200
    assert first.get_data() == second.get_data()
    assert EmailSuppression.query.count() == 1
    assert statuses(status="cancelled") == both("grace@example.com", shop_a.id, "cancelled")


def test_it_sends_no_later_email_to_an_unsubscribed_address(app, shop_a, agent, frozen_clock, run_jobs,
                                                            smtp_server):
    resolved_case(shop_a, agent)
    resolved_case(shop_a, agent, email="alan@example.com")
    app.test_client(use_cookies=False).post(unsubscribe_path(shop_a, "grace@example.com"), data=ONE_CLICK)
    later = resolved_case(shop_a, agent, text="The second kettle leaks as well, what a disappointment this is.")
    assert {e.status for e in later.emails} <= {"cancelled"}  # scheduled after opting out: never queued

    frozen_clock.advance(days=shop_a.follow_up_days + 1)
    release_scheduled(app, frozen_clock.now)
    outbox.sweep()
    run_jobs()
    assert [m.rcpt_tos for m in smtp_server.messages] == [["alan@example.com"]]
    assert {status for _, _, status in statuses(to_email="grace@example.com")} == {"cancelled"}


def test_it_refuses_a_tampered_or_expired_link_and_unsubscribes_nobody(app, shop_a, agent):
    resolved_case(shop_a, agent)
    provider = app.test_client(use_cookies=False)
    good = unsubscribe_path(shop_a, "grace@example.com")
    with days_ago(app.config["EMAIL_LINK_MAX_AGE_DAYS"] + 1):
        expired = unsubscribe_path(shop_a, "grace@example.com")
    for path in (tampered(good), expired):
        for response in (provider.get(path), provider.post(path, data=ONE_CLICK)):
            assert response.status_code == 400, path
            html = response.get_data(as_text=True)
            assert "This link does not work" in html
            assert "Shop A" not in html and "grace" not in html
    assert EmailSuppression.query.count() == 0
    assert statuses() == both("grace@example.com", shop_a.id, "scheduled")


def test_it_keeps_the_csrf_check_on_every_other_form(app, shop_a):
    """Only the one-click unsubscribe is exempt (its signed token is the authorisation); every other
    POST outside the signed API still needs the form's token, checked before anything else."""
    provider = app.test_client(use_cookies=False)
    exempt = []
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods or rule.rule.startswith("/api/"):
            continue
        url = re.sub(r"<(?:\w+:)?(\w+)>", "1", rule.rule)
        response = provider.post(url, data={})
        if "The CSRF token is missing." not in response.get_data(as_text=True):
            exempt.append(rule.endpoint)
    assert exempt == ["public.unsubscribe"]


def test_it_needs_no_login_and_sends_the_security_headers(app, shop_a):
    response = app.test_client().get(unsubscribe_path(shop_a, "grace@example.com"))
    assert response.status_code == 200
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "form-action 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["Cache-Control"] == "no-store"


def test_it_shows_the_confirmation_in_the_visitors_language(app, shop_a):
    shop_a.language = "lv"
    db.session.commit()
    path = unsubscribe_path(shop_a, "grace@example.com")
    polish = app.test_client().get(path, headers={"Accept-Language": "pl-PL,pl;q=0.9,en;q=0.5"})
    assert "Wypisz mnie" in polish.get_data(as_text=True)
    unknown = app.test_client().get(path, headers={"Accept-Language": "de-DE"})
    assert "Atrakstīties" in unknown.get_data(as_text=True)  # the shop's language when the browser's is not ours


def test_it_answers_the_same_for_a_link_to_a_shop_that_is_gone(app, shop_a):
    path = path_of(email_links.unsubscribe_url(999_999, "grace@example.com"))
    response = app.test_client().get(path)
    assert response.status_code == 400 and "This link does not work" in response.get_data(as_text=True)


def test_it_is_the_exact_path_the_emails_link_to(app):
    rules = {rule.rule: rule.endpoint for rule in app.url_map.iter_rules()}
    assert rules[email_links.UNSUBSCRIBE_PATH + "<token>"] in ("public.unsubscribe", "public.unsubscribe_page")
    assert rules[email_links.RATE_PATH + "<token>"] == "public.rate"
