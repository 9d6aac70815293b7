"""Flagging an unfair or fake review on the case page: the reasons explained beside the evidence, the removal
request and its outcome, "still answer publicly" once flagged; agents only, CSRF checked, shown in Polish."""
import re

from crisisdesk.extensions import db
from crisisdesk.models import ReviewFlag
from crisisdesk.services import review_flags
from tests.reply_helpers import actor_of, review_case
from tests.services.test_review_flags import stranger_case


def section(html):
    start = html.index('id="review-flags"')
    return html[start:html.index("</section>", start)]


def test_it_offers_the_flag_form_with_each_reason_explained(client, shop_a, agent):
    case = review_case(shop_a)
    client.login(agent)
    part = section(client.get(f"/cases/{case.id}").get_data(as_text=True))
    assert f'action="/cases/{case.id}/flags"' in part and 'name="csrf_token"' in part
    for value, label in [("abusive", "Abusive or inappropriate language"),
                         ("factually_wrong", "Factually wrong, or about something else"),
                         ("no_purchase", "No matching purchase")]:
        assert f'value="{value}"' in part and label in part
    assert "The reviewer never bought here" in part and "Flagging never deletes the review" in part
    assert "still answer publicly" not in part


def test_it_shows_the_evidence_beside_the_form(client, shop_a, agent):
    linked, stranger = review_case(shop_a, order_id=4711), stranger_case(shop_a)
    client.login(agent)
    part = section(client.get(f"/cases/{linked.id}").get_data(as_text=True))
    assert "marks the reviewer as a <strong>verified owner</strong>" in part
    assert "Linked to order #4711 by" in part and "Orders from anna@example.com in this shop:" in part
    part = section(client.get(f"/cases/{stranger.id}").get_data(as_text=True))
    assert "does <strong>not</strong> mark the reviewer as a verified owner" in part
    assert "Not linked to an order." in part and "No order from nobody@example.com in this shop." in part


def test_it_flags_logs_the_request_and_the_outcome_and_still_asks_for_a_public_answer(client, shop_a, agent):
    case = stranger_case(shop_a)
    client.login(agent)
    page = f"/cases/{case.id}"
    response = client.submit(f"/cases/{case.id}/flags", {"reason": "no_purchase",
                                                         "explanation": "No order from this address."}, page=page)
    assert response.status_code == 302 and response.headers["Location"].endswith("#review-flags")
    flag = ReviewFlag.query.one()
    client.submit(f"/cases/{case.id}/flags/{flag.id}/removal-request",
                  {"channel": "ceneo", "text": "Reported on Ceneo as a review without a purchase."}, page=page)
    html = client.submit(f"/cases/{case.id}/flags/{flag.id}/outcome", {"outcome": "granted"}, page=page,
                         follow_redirects=True).get_data(as_text=True)
    part = section(html)
    assert "Outcome recorded." in html and "Flagged: still answer publicly." in part
    assert re.search(r"first response (due in|overdue by)", part)  # the clocks keep running beside the flag
    assert "Removal requested from Ceneo" in part and "Reported on Ceneo as a review without a purchase." in part
    assert "outcome-granted" in part and f'action="/cases/{case.id}/flags/{flag.id}/outcome"' not in part
    assert "Review flagged: No matching purchase." in html  # the timeline
    db.session.expire_all()
    assert ReviewFlag.query.one().removal_outcome == "granted"


def test_it_keeps_the_form_and_says_why_when_the_explanation_is_missing(client, shop_a, agent):
    case = review_case(shop_a)
    client.login(agent)
    html = client.submit(f"/cases/{case.id}/flags", {"reason": "abusive", "explanation": ""},
                         page=f"/cases/{case.id}", follow_redirects=True).get_data(as_text=True)
    assert "This field is required." in html and ReviewFlag.query.count() == 0


def test_it_needs_a_csrf_token(client, shop_a, agent):
    case = review_case(shop_a)
    client.login(agent)
    response = client.post(f"/cases/{case.id}/flags", data={"reason": "abusive", "explanation": "Rude."})
    assert response.status_code == 400 and ReviewFlag.query.count() == 0


def test_it_shows_viewers_the_flags_and_evidence_but_no_form(client, shop_a, agent, viewer):
    case = review_case(shop_a)
    review_flags.flag_review(agent, case.id, actor_of(agent), "abusive", "Insults the courier.")
    client.login(viewer)
    part = section(client.get(f"/cases/{case.id}").get_data(as_text=True))
    assert "Insults the courier." in part and "verified owner" in part and "<form" not in part


def test_it_shows_the_flag_in_polish(client, shop_a, agent):
    case = stranger_case(shop_a)
    flag = review_flags.flag_review(agent, case.id, actor_of(agent), "abusive", "Wyzwiska.")
    review_flags.request_removal(agent, case.id, flag.id, actor_of(agent), "wordpress", "Moderacja.")
    agent.language = "pl"
    db.session.commit()
    client.login(agent)
    html = client.get(f"/cases/{case.id}").get_data(as_text=True)
    part = section(html)
    assert "Opinia niesprawiedliwa lub fałszywa?" in part and "Oznaczona: nadal odpowiedz publicznie." in part
    assert "Obraźliwy lub niestosowny język" in part and "Moderacja WordPressa" in part
    assert "Brak zamówienia z adresu nobody@example.com w tym sklepie." in part
    assert "Opinię oznaczono: Obraźliwy lub niestosowny język. Nadal dostanie publiczną odpowiedź; opinia " \
           "zostaje." in html
    assert "Poproszono o usunięcie: Moderacja WordPressa." in html
