"""The dashboard page and its CSV export: the figures, the tables behind the charts, the filter, who sees what."""
import csv
import io
import re
from datetime import datetime, timezone

import pytest
from flask_babel import refresh

from crisisdesk.demo.payloads import review_payload
from crisisdesk.extensions import db
from tests import factories


def write_review(shop, review_id, rating, text, product=(10, "Kettle"), day=(2026, 11, 2)):
    written = datetime(*day, 10, 0, tzinfo=timezone.utc)
    factories.deliver(shop, "review.created", review_payload(review_id, product[0], product[1], "Grace Hopper",
                                                             f"grace{review_id}@example.com", text, rating, written))


@pytest.fixture
def reviews(frozen_clock, shop_a, shop_b):
    write_review(shop_a, 1, 1, "Arrived broken, the enamel is chipped.")
    write_review(shop_a, 2, 5, "Lovely, thank you!", day=(2026, 10, 5))
    write_review(shop_a, 3, 2, "Late and broken.", day=(2026, 8, 5))  # the previous 90 days
    write_review(shop_b, 4, 1, "The secret lamp of shop B is broken.", product=(10, "Shop B lamp"))


def cells(html, table_id):
    table = re.search(rf'<table id="{table_id}".*?</table>', html, re.S).group(0)
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", table, re.S)]


def test_it_shows_the_figures_charts_and_their_tables_for_the_last_90_days(reviews, client, viewer):
    client.login(viewer)
    response = client.get("/dashboard")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<h1>Dashboard" in html and "2026-08-25 to 2026-11-22" in html
    assert html.count("<canvas") == 3 and 'data-table="monthly-table"' in html
    assert "/static/vendor/chartjs/chart.umd.js" in html and "/static/js/dashboard.js" in html
    monthly = cells(html, "monthly-table")
    assert monthly[6:] == ["August 2026", "0", "0", "0", "0", "—",  # from 08-25: the review of 08-05 is before
                           "September 2026", "0", "0", "0", "0", "—",
                           "October 2026", "1", "0", "0", "1", "5.00 of 5",
                           "November 2026", "0", "0", "1", "1", "1.00 of 5"]
    assert cells(html, "products-table")[4:8] == ["Kettle", "1", "1", "= as in the previous period"]
    assert "Shop B lamp" not in html and "secret lamp" not in html


def test_it_marks_trends_with_words_and_arrows_not_colour_alone(reviews, client, viewer):
    client.login(viewer)
    html = client.get("/dashboard?preset=30d").get_data(as_text=True)
    # Last 30 days: 1 negative review; the 30 days before: none (the 08-05 review is older still).
    assert "▲ up from 0 (worse)" in html


def test_it_exports_every_table_as_csv_named_after_scope_and_period(reviews, client, viewer, shop_a):
    client.login(viewer)
    response = client.get(f"/dashboard.csv?shop={shop_a.id}&preset=custom&start=2026-10-01&end=2026-11-30")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="crisisdesk-dashboard-shop-{shop_a.id}-2026-10-01-2026-11-30.csv"')
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    titles = [rows[0][0]] + [rows[i + 1][0] for i, row in enumerate(rows[:-1]) if row == []]
    assert titles == ["Figures", "Reviews by month", "Reviews answered publicly", "Top causes",
                      "Top products by negative reviews", "Compensation carried out"]
    assert rows[1] == ["Figure", "2026-10-01 – 2026-11-30", "2026-08-01 – 2026-09-30"]
    assert ["Negative reviews (1–2★)", "1", "1"] in rows and ["Average rating", "3.0", "2.0"] in rows
    assert ["2026-10", "1", "0", "0", "1", "5.0"] in rows and ["2026-11", "0", "0", "1", "1", "1.0"] in rows
    assert ["Kettle", "1", "1"] in rows
    # Neither review has a public answer yet.
    assert ["Reviews answered publicly", "0.0", "0.0"] in rows and ["All reviews", "2", "0"] in rows
    assert ["Negative reviews held for moderation too long now", "0", ""] in rows


def test_it_exports_all_visible_shops_when_no_shop_is_chosen(reviews, client, owner):
    client.login(owner)
    response = client.get("/dashboard.csv?preset=30d")
    assert 'filename="crisisdesk-dashboard-all-shops-2026-10-24-2026-11-22.csv"' in response.headers[
        "Content-Disposition"]
    assert "Shop B lamp" in response.get_data(as_text=True)


def test_it_answers_not_found_for_a_shop_the_user_cannot_see(reviews, client, outsider, shop_a):
    client.login(outsider)
    assert client.get(f"/dashboard?shop={shop_a.id}").status_code == 404
    assert client.get(f"/dashboard.csv?shop={shop_a.id}").status_code == 404
    own = client.get("/dashboard").get_data(as_text=True)
    assert "Shop B lamp" in own and "Kettle" not in own


def test_it_says_why_dates_were_not_used_and_shows_the_default_period(reviews, client, viewer):
    client.login(viewer)
    html = client.get("/dashboard?preset=custom&start=2026-11-01&end=2026-10-01").get_data(as_text=True)
    assert "Dates not used: the end date comes before the start date." in html
    assert "2026-08-25 to 2026-11-22" in html
    assert client.get("/dashboard.csv?preset=custom&start=2026-11-01").status_code == 400


def test_it_formats_months_and_numbers_in_the_users_language(reviews, client, viewer):
    viewer.language = "pl"
    db.session.commit()
    client.login(viewer)
    refresh()  # the tests share one app context, where Flask-Babel keeps the login page's locale
    html = client.get("/dashboard").get_data(as_text=True)
    assert "październik 2026" in html and "listopad 2026" in html  # Babel's month names, not the catalogue's
    assert "5,00" in html  # the average rating with a decimal comma
