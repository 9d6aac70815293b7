"""/s/<shop id>/you-said-we-did: the shop's published improvement notes, without a login, in the shop's language;
never an unpublished note, a case, a customer or who wrote it, and every note escaped."""
from datetime import date

import pytest

from crisisdesk.extensions import db
from crisisdesk.services import improvements
from crisisdesk.services.improvements import ImprovementInput
from tests.reply_helpers import actor_of, review_case


@pytest.fixture
def anonymous(app):
    return app.test_client()


def logged(shop, agent, title, note, made_on, case=None, publish=True):
    improvement = improvements.create_improvement(agent, shop.id, actor_of(agent), ImprovementInput(
        title=title, area="logistics", description="Internal: a new courier contract.", made_on=made_on,
        causes=["late_delivery"], product_ids=[], case_numbers=str(case.id) if case else "", public_note=note))
    if publish:
        improvements.publish(agent, improvement.id, actor_of(agent))
    return improvement


def test_it_shows_only_published_notes_newest_first_with_nothing_from_the_cases(anonymous, shop_a, agent,
                                                                                frozen_clock):
    case = review_case(shop_a, first="Anna", last="Kowalska")
    logged(shop_a, agent, "Courier switch", "Parcels now leave the same day.", date(2026, 10, 1), case)
    logged(shop_a, agent, "Boxes", "Kettles travel in double-walled boxes.", date(2026, 11, 3))
    logged(shop_a, agent, "Secret plan", "Not ready to announce.", date(2026, 11, 10), publish=False)
    response = anonymous.get(f"/s/{shop_a.id}/you-said-we-did")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Set-Cookie" not in response.headers
    assert "<h1>You said, we did</h1>" in html and "What Shop A changed because of what customers told us." in html
    assert html.index("double-walled boxes") < html.index("Parcels now leave the same day.")
    assert "In effect since November 3, 2026" in html and "In effect since October 1, 2026" in html
    for private in ("Not ready to announce.", "Secret plan", "Courier switch", "Internal: a new courier contract.",
                    "Kowalska", "Anna", f"#{case.id}", agent.email, "Log out"):
        assert private not in html, private


def test_it_escapes_every_note(anonymous, shop_a, agent, frozen_clock):
    logged(shop_a, agent, "Markup", '<script>alert("x")</script> & <b>bold</b> claims', date(2026, 11, 1))
    html = anonymous.get(f"/s/{shop_a.id}/you-said-we-did").get_data(as_text=True)
    assert "<script>alert" not in html and "<b>bold</b>" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt; claims" in html


def test_it_speaks_the_shops_language(anonymous, shop_a, agent, frozen_clock):
    shop_a.language = "pl"
    db.session.commit()
    logged(shop_a, agent, "Kurier", "Paczki wychodzą tego samego dnia.", date(2026, 11, 3))
    html = anonymous.get(f"/s/{shop_a.id}/you-said-we-did").get_data(as_text=True)
    assert '<html lang="pl">' in html and "<h1>Powiedzieliście – zrobiliśmy</h1>" in html
    assert "Obowiązuje od 3 listopada 2026" in html


def test_it_answers_not_found_for_a_shop_that_published_nothing_or_withdrew_it(anonymous, shop_a, shop_b, agent,
                                                                                 frozen_clock):
    withdrawn = logged(shop_a, agent, "Boxes", "Kettles travel in double-walled boxes.", date(2026, 11, 3))
    improvements.withdraw(agent, withdrawn.id, actor_of(agent))
    for shop_id in (shop_a.id, shop_b.id, 999_999):
        response = anonymous.get(f"/s/{shop_id}/you-said-we-did")
        assert response.status_code == 404
        assert "double-walled" not in response.get_data(as_text=True)
