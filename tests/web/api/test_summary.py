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


def test_it_answers_the_shops_open_alerts_in_a_shape_the_widget_shows(app, bridge, shop_a, shop_b, owner,
                                                                      frozen_clock):
    from crisisdesk.models import CrisisAlert
    from crisisdesk.services import crisis_alerts
    from tests.services.test_crisis_alerts import quiet_history, spike

    app.config["PANEL_URL"] = "https://desk.example.com/"
    for shop in (shop_a, shop_b):
        quiet_history(shop, frozen_clock.now)
    spike(shop_a, frozen_clock.now, 4)
    crisis_alerts.detect()
    alert = CrisisAlert.query.one()

    answer = bridge.get(shop_a, "summary").get_json()

    assert answer["alerts"] == [{
        "id": alert.id, "scope": "product", "product_id": alert.product_id, "product_name": "Kettle",
        "observed": 4, "expected": 0.16, "dominant_cause": "late_delivery", "since": "2026-11-22T12:00:00Z",
        "message": "Spike of negative reviews for Kettle: 4 in 24 h (usually 0.2), mostly Late or lost delivery",
        "url": f"https://desk.example.com/alerts?shop={shop_a.id}#alert-{alert.id}",
    }]
    assert set(answer) == {"open_cases", "overdue_cases", "negative_reviews_7d", "alerts", "panel_url"}
    assert bridge.get(shop_b, "summary").get_json()["alerts"] == []


def test_it_serves_the_summary_with_as_many_queries_for_many_alerts_as_for_none(app, bridge, shop_a, shop_b,
                                                                               frozen_clock):
    from sqlalchemy import event

    from crisisdesk.extensions import db
    from crisisdesk.services import crisis_alerts
    from tests.services.test_crisis_alerts import quiet_history, spike

    def queries_for(shop):
        db.session.remove()  # a fresh session, as a new request in production has
        statements = []

        def count(_conn, _cursor, statement, *_):
            statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", count)
        try:
            assert bridge.get(shop, "summary").status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        return statements

    for shop in (shop_a, shop_b):
        quiet_history(shop, frozen_clock.now)
    for product in (41, 42, 43):
        spike(shop_a, frozen_clock.now, 3, product=product)
    crisis_alerts.detect()

    assert len(summary_alerts := bridge.get(shop_a, "summary").get_json()["alerts"]) == 4, summary_alerts
    with_alerts, without = queries_for(shop_a), queries_for(shop_b)
    # The signature check finds the shop with its secrets (one query); the summary itself is two, alerts or not.
    assert len(with_alerts) == len(without) == 3, with_alerts
