"""The backfill button (POST /shops/<id>/backfill) and the settings partial that shows the sync state."""
from datetime import datetime, timezone

import pytest
from flask import render_template

from crisisdesk.extensions import db
from crisisdesk.jobs import DEFAULT_QUEUE, queue
from crisisdesk.models import AuditEntry
from tests.wc_history import connect
from tests.wc_standin.fixtures import woo  # noqa: F401  (the WooCommerce stand-in fixture)


@pytest.mark.parametrize("role", ["agent", "viewer"])
def test_it_lets_only_owners_start_a_backfill(login_as, shop_a, owner, woo, role):  # noqa: F811
    connect(shop_a, owner, woo)
    client = login_as(role)

    response = client.submit(f"/shops/{shop_a.id}/backfill", {}, page="/cases")

    assert response.status_code == 403
    assert "needs the owner role" in response.get_data(as_text=True)
    assert queue(DEFAULT_QUEUE).count == 0
    assert AuditEntry.query.filter_by(action="shop.backfill_requested").count() == 0


def test_it_answers_not_found_for_an_unknown_shop(client, owner):
    client.login(owner)

    response = client.submit("/shops/999999/backfill", {}, page="/cases")

    assert response.status_code == 404
    assert queue(DEFAULT_QUEUE).count == 0


def render_partial(app, shop):
    with app.test_request_context("/shops/1/settings"):
        return render_template("panel/shops/_sync.html", shop=shop)


def test_it_shows_the_state_pages_last_error_and_sync_times_escaped(app, shop_a, owner, woo):  # noqa: F811
    connect(shop_a, owner, woo)
    shop_a.backfill_state, shop_a.backfill_orders_page, shop_a.backfill_reviews_page = "failed", 4, 1
    shop_a.backfill_error = 'woocommerce_error (HTTP 502): <script>alert("x")</script>'
    shop_a.orders_synced_at = shop_a.reviews_synced_at = datetime(2026, 11, 20, 9, 30, tzinfo=timezone.utc)
    db.session.commit()

    html = render_partial(app, shop_a)

    assert '<span class="badge overdue">failed</span>' in html
    assert "<th scope=\"row\">Pages of orders imported</th><td>3</td>" in html
    assert "<th scope=\"row\">Pages of reviews imported</th><td>0</td>" in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html and "<script>" not in html
    assert "2026-11-20 09:30 UTC" in html
    assert f'action="/shops/{shop_a.id}/backfill"' in html and 'name="csrf_token"' in html
    assert 'name="restart"' in html  # a failed run can be resumed or started again


def test_it_asks_for_api_keys_before_offering_the_button(app, shop_a):
    html = render_partial(app, shop_a)

    assert "not run yet" in html
    assert "Add the shop's WooCommerce API keys to import its history." in html
    assert "/backfill" not in html
