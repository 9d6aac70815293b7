"""Every broken email link gets the same neutral page: a guess learns nothing about shops, people or cases."""
import pytest

from crisisdesk.models import EmailSuppression, Recovery
from crisisdesk.services import email_links
from tests.web.public.helpers import days_ago, path_of, resolved_case, tampered


@pytest.fixture
def links(app, shop_a, agent):
    case = resolved_case(shop_a, agent)
    rate = path_of(email_links.rating_url(case.recovery.id, 5))
    unsubscribe = path_of(email_links.unsubscribe_url(shop_a.id, "grace@example.com"))
    with days_ago(app.config["EMAIL_LINK_MAX_AGE_DAYS"] + 1):
        old_rate = path_of(email_links.rating_url(case.recovery.id, 5))
        old_unsubscribe = path_of(email_links.unsubscribe_url(shop_a.id, "grace@example.com"))
    token_of = lambda path: path.rsplit("/", 1)[1]  # noqa: E731
    return {
        "garbage rate": "/e/rate/not-a-token",
        "garbage unsubscribe": "/e/unsubscribe/not-a-token",
        "tampered rate": tampered(rate),
        "tampered unsubscribe": tampered(unsubscribe),
        "expired rate": old_rate,
        "expired unsubscribe": old_unsubscribe,
        # a valid token of the other purpose (another salt) does not work here
        "unsubscribe token on the rate path": email_links.RATE_PATH + token_of(unsubscribe),
        "rate token on the unsubscribe path": email_links.UNSUBSCRIBE_PATH + token_of(rate),
        "a recovery that does not exist": path_of(email_links.rating_url(999_999, 5)),
    }


def test_it_answers_every_broken_link_with_the_same_neutral_page(app, links):
    client = app.test_client(use_cookies=False)
    bodies = {}
    for name, path in links.items():
        response = client.get(path, headers={"Accept-Language": "en"})
        assert response.status_code == 400, name
        assert response.headers["Referrer-Policy"] == "no-referrer", name
        bodies[name] = response.get_data(as_text=True)
    assert len(set(bodies.values())) == 1, "the page differs by what was wrong"
    page = bodies["tampered rate"]
    assert "This link does not work" in page
    for secret in ("Shop A", "grace", "expired", "signature", "recovery", "login"):
        assert secret not in page.lower() or secret == "expired" and "has expired" in page, secret
    assert Recovery.query.one().satisfaction is None


def test_it_answers_a_broken_one_click_post_with_the_same_page(app, links):
    client = app.test_client(use_cookies=False)
    get_page = client.get(links["tampered rate"], headers={"Accept-Language": "en"}).get_data()
    for name in ("garbage unsubscribe", "tampered unsubscribe", "expired unsubscribe",
                 "rate token on the unsubscribe path"):
        response = client.post(links[name], data={"List-Unsubscribe": "One-Click"}, headers={"Accept-Language": "en"})
        assert response.status_code == 400, name
        assert response.get_data() == get_page, name
    assert EmailSuppression.query.count() == 0


def test_it_shows_the_neutral_page_in_the_visitors_language(app, links):
    client = app.test_client(use_cookies=False)
    polish = client.get(links["garbage rate"], headers={"Accept-Language": "pl"}).get_data(as_text=True)
    latvian = client.get(links["garbage rate"], headers={"Accept-Language": "lv-LV"}).get_data(as_text=True)
    assert "Ten link nie działa" in polish and "Šī saite nedarbojas" in latvian
