"""The "Reviews to answer" queue and the moderation warning in the panel: who sees and answers what, the
filters, the composer's draft and canned-answer warning, and the held review on the case page, the inbox and the
shop's settings."""
import re
from datetime import timedelta

import pytest

from crisisdesk.extensions import db
from crisisdesk.models import AuditEntry, Case, ReviewAnswer
from crisisdesk.services import answer_queue
from tests import factories

LOVELY = "Lovely kettle, it boils in a minute."


def write(shop, text, rating=5, email="grace@example.com", created_at=None, **kwargs):
    payload = factories.review(rating=rating, text=text, email=email, created_at=created_at, **kwargs)
    factories.deliver(shop, "review.created", payload, created_at)
    return payload


def review_id(payload):
    from crisisdesk.models import Review

    return Review.query.filter_by(remote_id=payload["id"]).one().id


def order_of_texts(html, texts):
    return sorted((html.index(t), t) for t in texts if t in html)


@pytest.fixture
def queue(frozen_clock, shop_a, shop_b):
    day = frozen_clock.now - timedelta(days=3)
    write(shop_a, LOVELY, created_at=day)
    write(shop_a, "Fine, but the lid could be tighter.", rating=3, email="jan@example.com",
          created_at=day + timedelta(hours=1))
    write(shop_a, "Nice, still waiting to be approved.", rating=4, email="ola@example.com", status="hold",
          created_at=day + timedelta(hours=2))
    write(shop_a, "Arrived broken.", rating=1, email="ewa@example.com", created_at=day + timedelta(hours=3))
    write(shop_b, "Shop B's secret praise.", created_at=day)
    return day


def test_a_viewer_sees_the_reviews_without_a_case_newest_first_and_no_composer(client, viewer, queue):
    client.login(viewer)
    html = client.get("/reviews").get_data(as_text=True)

    assert 'href="/reviews"' in html and "<h1>Reviews to answer" in html
    assert [t for _, t in order_of_texts(html, [LOVELY, "lid could be tighter", "still waiting to be approved"])] == [
        "still waiting to be approved", "lid could be tighter", LOVELY]
    assert "Arrived broken." not in html  # it has a case: answered there
    assert "Shop B" not in html
    assert "Awaiting moderation in WordPress since" in html
    assert "<textarea" not in html and "Send" not in html


def test_an_agent_checks_and_sends_a_draft_and_sees_it_answered(client, agent, queue, shop_a):
    lovely = review_id(write(shop_a, "Beautiful mug.", email="ann@example.com", created_at=queue))
    client.login(agent)
    page = client.get("/reviews?rating=5").get_data(as_text=True)
    assert "Grace, thank you for your review of “Lab Gadget”!" in page and "Suggested: a thank-you." in page

    sent = client.submit(f"/reviews/{lovely}/answer?rating=5", {
        "action": "send", f"review-{lovely}-language": "en",
        f"review-{lovely}-text": "Hello Ann, thank you! Enjoy your morning coffee from it."}, page="/reviews")
    assert sent.status_code == 302 and sent.headers["Location"].endswith(f"/reviews?rating=5#review-{lovely}")
    answer = ReviewAnswer.query.one()
    assert (answer.review_id, answer.status, answer.language) == (lovely, "pending", "en")
    assert AuditEntry.query.filter_by(action="review.answered").count() == 1
    assert "The answer is being posted under the review." in client.get("/reviews").get_data(as_text=True)

    answered = client.get("/reviews?status=answered").get_data(as_text=True)
    assert "Enjoy your morning coffee" in answered and "waiting to be posted" in answered
    assert "Beautiful mug." not in client.get("/reviews").get_data(as_text=True)

    other = review_id(write(shop_a, "Great mug.", email="piotr@example.com", created_at=queue))
    checked = client.submit(f"/reviews/{other}/answer", {
        "action": "check", f"review-{other}-language": "en",
        f"review-{other}-text": "Hello Piotr, thank you! Enjoy your morning coffee from it."}, page="/reviews")
    html = checked.get_data(as_text=True)
    assert checked.status_code == 200 and ReviewAnswer.query.count() == 1
    assert "identical to your answer to Grace Hopper: no canned answers, make it personal." in html


def test_it_filters_by_rating_and_answer_and_pages_through(client, agent, queue, monkeypatch):
    monkeypatch.setattr(answer_queue, "PER_PAGE", 2)
    client.login(agent)

    first = client.get("/reviews?status=all").get_data(as_text=True)
    assert "Page 1 of 2" in first and LOVELY not in first
    assert LOVELY in client.get("/reviews?status=all&page=2").get_data(as_text=True)
    three = client.get("/reviews?rating=3").get_data(as_text=True)
    assert "lid could be tighter" in three and LOVELY not in three
    assert "Suggested: an answer to a suggestion." in three
    assert client.get("/reviews?status=everything").status_code == 400
    assert client.get("/reviews?rating=9").status_code == 400


def test_an_outsider_neither_sees_nor_answers_another_shops_reviews(client, outsider, queue, shop_a):
    target = review_id(write(shop_a, "Shop A only.", email="zoe@example.com", created_at=queue))
    client.login(outsider)

    html = client.get(f"/reviews?shop={shop_a.id}&status=all").get_data(as_text=True)
    assert "Shop A only." not in html and LOVELY not in html
    response = client.submit(f"/reviews/{target}/answer", {"action": "send", f"review-{target}-language": "en",
                                                           f"review-{target}-text": "Hello"}, page="/reviews")
    assert response.status_code == 404 and ReviewAnswer.query.count() == 0


def test_an_empty_answer_is_refused_and_the_text_kept(client, agent, queue):
    target = review_id_by_text("lid could be tighter")
    client.login(agent)

    response = client.submit(f"/reviews/{target}/answer", {"action": "send", f"review-{target}-language": "en",
                                                           f"review-{target}-text": "  "}, page="/reviews")

    assert response.status_code == 400 and "the answer is empty" in response.get_data(as_text=True)
    assert ReviewAnswer.query.count() == 0


def review_id_by_text(text):
    from crisisdesk.models import Review

    return Review.query.filter(Review.text.contains(text)).one().id


def test_a_negative_review_held_too_long_is_flagged_on_its_case_the_inbox_and_the_dashboard(client, agent, shop_a,
                                                                                            frozen_clock):
    write(shop_a, "Broken lid, refund please.", rating=1, status="hold", created_at=frozen_clock.now)
    case = Case.query.one()
    client.login(agent)

    early = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Awaiting moderation in WordPress since" in early and "the staff are warned" in early
    assert "awaiting moderation" in client.get("/cases").get_data(as_text=True)

    frozen_clock.advance(hours=25)
    late = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "This negative review has awaited moderation in WordPress since" in late
    assert "unfair to buyers" in late and "longer than the 24 hours this shop allows" in late
    assert "held too long" in client.get("/cases").get_data(as_text=True)
    dashboard = client.get("/dashboard").get_data(as_text=True)
    held = re.search(r"Held for moderation too long</dt>\s*<dd>(\d+)</dd>", dashboard)
    assert held and held.group(1) == "1"


def test_the_owner_sets_the_moderation_warning_time_within_bounds(client, owner, shop_a):
    client.login(owner)
    page = f"/shops/{shop_a.id}/settings"

    refused = client.submit(f"/shops/{shop_a.id}/moderation", {"moderation_warning_hours": 0}, page=page)
    assert refused.status_code == 400 and "Number must be between 1 and 720." in refused.get_data(as_text=True)
    saved = client.submit(f"/shops/{shop_a.id}/moderation", {"moderation_warning_hours": 12}, page=page)

    assert saved.status_code == 302
    db.session.expire_all()
    assert shop_a.moderation_warning_hours == 12
    entry = AuditEntry.query.filter_by(action="shop.moderation_settings_changed").one()
    assert entry.details["changes"] == {"moderation_warning_hours": [24, 12]}
    assert 'value="12"' in client.get(page).get_data(as_text=True)
