"""GET /api/v1/shops/<id>/summary (SPEC section 6, Summary API): the WordPress dashboard widget's call."""
from datetime import timedelta

from tests import factories
from tests.web.api.answers import assert_error


def test_it_answers_the_widget_summary_for_a_get_signed_over_an_empty_body(app, bridge, shop_a, frozen_clock):
    app.config["PANEL_URL"] = "https://desk.example.com/"
    factories.deliver(shop_a, "review.created", factories.review(rating=1,
                                                                 created_at=frozen_clock.now - timedelta(days=2)))
    factories.deliver(shop_a, "review.created", factories.review(rating=5, created_at=frozen_clock.now))

    response = bridge.get(shop_a, "summary")

    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json() == {"open_cases": 1, "overdue_cases": 1, "negative_reviews_7d": 1, "alerts": [],
                                   "panel_url": f"https://desk.example.com/cases?shop={shop_a.id}"}
    assert response.headers["Cache-Control"] == "no-store"  # the plugin caches it briefly, nobody in between


def test_it_links_to_this_servers_own_inbox_when_panel_url_is_unset(app, bridge, shop_a):
    app.config["PANEL_URL"] = ""

    answer = bridge.get(shop_a, "summary").get_json()

    assert answer["panel_url"] == f"http://panel.test/cases?shop={shop_a.id}"


def test_it_links_to_an_inbox_the_panel_really_serves_filtered_to_the_shop(app, bridge, shop_a, shop_b, login_as):
    factories.deliver(shop_a, "review.created", factories.review(rating=1, text="Shop A's broken gadget."))
    factories.deliver(shop_b, "review.created", factories.review(rating=1, text="Shop B's late parcel."))
    app.config["PANEL_URL"] = "http://panel.test"
    path = bridge.get(shop_a, "summary").get_json()["panel_url"].removeprefix("http://panel.test")

    page = login_as("owner").get(path)

    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "broken gadget" in html and "late parcel" not in html


def test_it_answers_401_when_the_signature_covers_a_body_that_was_not_sent(app, bridge, shop_a):
    from crisisdesk.integrations.webhook_signing import sign

    headers = sign(factories.secret_of(shop_a), "msg_body", b"{}")
    response = app.test_client().get(f"/api/v1/shops/{shop_a.id}/summary", headers=headers)

    assert_error(response, 401)
