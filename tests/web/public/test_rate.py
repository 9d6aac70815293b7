"""GET /e/rate/<token>: the one-click satisfaction answer from a follow-up email, without a login."""
import pytest

from crisisdesk.domain.actor import Actor
from crisisdesk.extensions import db
from crisisdesk.models import CaseEvent, Recovery
from crisisdesk.services import cases as case_service
from crisisdesk.services import email_kinds, email_links
from tests.web.public.helpers import days_ago, path_of, resolved_case, tampered


@pytest.fixture
def case(shop_a, agent):
    return resolved_case(shop_a, agent)


@pytest.fixture
def anonymous(app):
    """A browser with no panel session: the customer clicking in their mail program."""
    return app.test_client()


def rating_path(case, score):
    return path_of(email_links.rating_url(case.recovery.id, score))


def recovery_of(case):
    db.session.expire_all()
    return db.session.get(Recovery, case.recovery.id)


def test_it_records_the_answer_and_thanks_in_the_language_of_the_email(anonymous, case):
    response = anonymous.get(rating_path(case, 4))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<html lang="pl">' in html
    assert "Dziękujemy!" in html and "Zapisaliśmy Twoją odpowiedź: 4 na 5." in html
    review_url = email_kinds.review_url_for(case)
    assert review_url and f'href="{review_url}"' in html and "Otwórz swoją opinię" in html
    recovery = recovery_of(case)
    assert (recovery.satisfaction, recovery.outcome, recovery.recovered_by) == (4, "recovered", "satisfied_answer")


@pytest.mark.parametrize("language, thanks, score_text", [
    ("en", "Thank you!", "We have recorded your answer: 2 of 5."),
    ("lv", "Paldies!", "Mēs saglabājām jūsu atbildi: 2 no 5."),
    ("pl", "Dziękujemy!", "Zapisaliśmy Twoją odpowiedź: 2 na 5."),
])
def test_it_speaks_english_latvian_and_polish(anonymous, case, language, thanks, score_text):
    case.customer.language = language
    db.session.commit()
    html = anonymous.get(rating_path(case, 2)).get_data(as_text=True)
    assert f'<html lang="{language}">' in html and thanks in html and score_text in html
    assert recovery_of(case).outcome == "pending"  # 2 of 5 is an answer, not a recovery


def test_it_counts_a_second_click_on_the_same_answer_once(anonymous, case):
    first = anonymous.get(rating_path(case, 5))
    second = anonymous.get(rating_path(case, 5))
    assert first.status_code == second.status_code == 200
    assert first.get_data() == second.get_data()
    assert CaseEvent.query.filter_by(case_id=case.id, kind="satisfaction").count() == 1
    assert recovery_of(case).satisfaction == 5


def test_it_takes_a_changed_answer(anonymous, case):
    anonymous.get(rating_path(case, 5))
    anonymous.get(rating_path(case, 3))
    assert recovery_of(case).satisfaction == 3


def test_it_needs_no_login_sets_no_cookie_and_sends_the_security_headers(anonymous, case):
    response = anonymous.get(rating_path(case, 4))
    assert response.status_code == 200  # not a redirect to /login
    assert "Set-Cookie" not in response.headers
    headers = response.headers
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY" and headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"  # the token never leaves in a Referer
    assert headers["Cache-Control"] == "no-store"
    assert "noindex" in headers["X-Robots-Tag"]
    assert "<script" not in response.get_data(as_text=True) and "style=" not in response.get_data(as_text=True)


def test_it_records_nothing_for_a_head_request_from_a_link_checker(anonymous, case):
    assert anonymous.head(rating_path(case, 1)).status_code == 200
    assert recovery_of(case).satisfaction is None


def test_it_answers_a_tampered_link_with_the_neutral_page_and_records_nothing(anonymous, case, shop_a):
    response = anonymous.get(tampered(rating_path(case, 5)))
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "This link does not work" in html
    assert shop_a.name not in html and "grace@example.com" not in html and "Dziękujemy" not in html
    assert recovery_of(case).satisfaction is None


def test_it_answers_an_expired_link_with_the_neutral_page_and_records_nothing(anonymous, case, app):
    with days_ago(app.config["EMAIL_LINK_MAX_AGE_DAYS"] + 1):
        old = rating_path(case, 5)
    response = anonymous.get(old)
    assert response.status_code == 400 and "This link does not work" in response.get_data(as_text=True)
    assert recovery_of(case).satisfaction is None
    with days_ago(app.config["EMAIL_LINK_MAX_AGE_DAYS"] - 1):  # still within its life: it works
        recent = rating_path(case, 5)
    assert anonymous.get(recent).status_code == 200


def test_it_leaves_out_the_review_link_for_a_complaint_entered_by_hand(anonymous, shop_a, agent):
    actor = Actor(label=agent.email, user_id=agent.id)
    manual = case_service.open_manual_case(agent, shop_a.id, actor, "phone", "ann@example.com", "Ann",
                                           "The kettle leaks and nobody answered my emails for a week.")
    case_service.change_status(agent, manual.id, "resolved", actor)
    db.session.expire_all()
    html = anonymous.get(rating_path(manual, 4)).get_data(as_text=True)
    assert "Thank you!" in html or "Dziękujemy!" in html
    assert "review-link" not in html and "<a " not in html.split("<main", 1)[1]
