"""The case page's causes, clocks and formal complaint, the inbox's priority and countdowns, and the shop's
cause-detection page, through the Flask test client (CSRF included)."""
import re
from datetime import timedelta

from crisisdesk.extensions import db
from crisisdesk.models import AuditEntry, Case, CauseCorrection, Review
from tests import factories

ROW = re.compile(r'<td><a href="/cases/(\d+)">#\d+</a></td>')


def open_case(shop, text="Arrived broken.", rating=1, created_at=None, **review):
    payload = factories.review(rating=rating, text=text, created_at=created_at, **review)
    factories.deliver(shop, "review.created", payload)
    return Case.query.join(Case.review).filter(Review.shop_id == shop.id, Review.remote_id == payload["id"]).one()


def page_of(client, case):
    response = client.get(f"/cases/{case.id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def section(html, heading_id):
    start = html.index(f'id="{heading_id}"')
    return html[start:html.index("</section>", start)]


def test_it_marks_the_words_behind_each_detected_cause_and_escapes_the_rest(client, agent, shop_a):
    case = open_case(shop_a, text="<b>Paczka</b> dotarła uszkodzona, dostawę opóźniono")
    client.login(agent)
    html = page_of(client, case)
    words = section(html, "what")  # the customer's text is shown once, with the evidence marked in it
    assert "&lt;b&gt;Paczka&lt;/b&gt;" in words and "<b>Paczka</b>" not in html
    assert '<mark title="Damaged or defective product">uszkodzona</mark>' in words
    assert '<mark title="Late or lost delivery">opóźniono</mark>' in words
    assert html.count('class="review-text') == 1
    causes = section(html, "causes")
    assert "Detected: Damaged or defective product, Late or lost delivery" in causes


def test_an_agent_corrects_the_causes_with_the_main_one_first(client, agent, shop_a):
    case = open_case(shop_a)
    client.login(agent)
    response = client.submit(f"/cases/{case.id}/cause", {"main": "wrong_or_missing_item",
                                                         "others": ["damaged_or_defective", "wrong_or_missing_item"]},
                             page=f"/cases/{case.id}")
    assert response.status_code == 302
    db.session.expire_all()
    case = db.session.get(Case, case.id)
    assert case.causes == ["wrong_or_missing_item", "damaged_or_defective"]
    assert CauseCorrection.query.count() == 1
    causes = section(page_of(client, case), "causes")
    assert "(set by hand)" in causes and "Detected: Damaged or defective product" in causes


def test_an_unknown_cause_is_refused_with_a_message_and_changes_nothing(client, agent, shop_a):
    case = open_case(shop_a)
    client.login(agent)
    response = client.submit(f"/cases/{case.id}/cause", {"main": "aliens"}, page=f"/cases/{case.id}",
                             follow_redirects=True)
    assert "Not a valid choice" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Case, case.id).causes == ["damaged_or_defective"]


def test_a_viewer_sees_the_causes_and_clocks_but_no_forms_and_cannot_post(client, viewer, shop_a):
    case = open_case(shop_a)
    client.login(viewer)
    html = page_of(client, case)
    assert "<mark" in html and "Priority and deadlines" in html
    assert "Save causes" not in html and "Mark as formal complaint" not in html
    before = AuditEntry.query.count()
    for url, data in ((f"/cases/{case.id}/cause", {"main": "other"}), (f"/cases/{case.id}/formal-complaint", {})):
        assert client.submit(url, data, page="/cases").status_code == 403
    assert AuditEntry.query.count() == before


def test_it_marks_a_formal_complaint_and_shows_its_clock_in_the_shops_time_zone(client, agent, shop_a, frozen_clock):
    shop_a.timezone = "Europe/Warsaw"
    db.session.commit()
    case = open_case(shop_a, created_at=frozen_clock.now)
    client.login(agent)
    response = client.submit(f"/cases/{case.id}/formal-complaint", {"filed_on": "2026-11-21"},
                             page=f"/cases/{case.id}")
    assert response.status_code == 302
    clocks = section(page_of(client, case), "clocks")
    assert "Formal complaint (reklamacja)" in clocks
    assert "filed 2026-11-21 00:00 (Europe/Warsaw)" in clocks
    assert "due by <strong>2026-12-05 00:00 (Europe/Warsaw)</strong>" in clocks
    assert "statutory answer due in 12 d" in clocks
    assert "first response due in 24 h" in clocks


def test_a_future_filing_date_is_refused_with_a_message(client, agent, shop_a, frozen_clock):
    case = open_case(shop_a)
    client.login(agent)
    response = client.submit(f"/cases/{case.id}/formal-complaint", {"filed_on": "2026-11-30"},
                             page=f"/cases/{case.id}", follow_redirects=True)
    assert "cannot be filed in the future" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Case, case.id).formal_complaint_at is None


def test_the_inbox_puts_the_security_case_first_with_badges_and_countdowns(client, viewer, shop_a, frozen_clock):
    written = frozen_clock.now - timedelta(hours=21)
    late = open_case(shop_a, text="The delivery was late by a week.", created_at=written)
    security = open_case(shop_a, text="Someone used my card, my account was hacked.",
                         created_at=frozen_clock.now - timedelta(hours=1))
    overdue = open_case(shop_a, text="Arrived broken.", created_at=frozen_clock.now - timedelta(hours=26))
    client.login(viewer)
    html = client.get("/cases").get_data(as_text=True)
    ids = [int(i) for i in ROW.findall(html)]
    assert ids[0] == security.id
    assert ids.index(overdue.id) < ids.index(late.id)  # same level: the nearest due first
    assert '<span class="badge priority-urgent"' in html
    assert "first response due in 3 h" in html
    assert "first response overdue by 2 h" in html
    by_due = [int(i) for i in ROW.findall(client.get("/cases?sort=due").get_data(as_text=True))]
    assert by_due == [overdue.id, late.id, security.id]


def test_the_inbox_refuses_an_unknown_sort(client, viewer):
    client.login(viewer)
    response = client.get("/cases?sort=random")
    assert response.status_code == 400 and "unknown sort order" in response.get_data(as_text=True)


def test_the_shops_cause_detection_page_shows_the_disagreement_rates(client, agent, viewer, shop_a):
    from crisisdesk.services import cases as case_service
    from crisisdesk.services.users import audit_actor

    broken = open_case(shop_a)
    open_case(shop_a, text="The kettle leaks.")
    case_service.correct_causes(agent, broken.id, ["wrong_or_missing_item"], audit_actor(agent, "127.0.0.1"))
    client.login(agent)
    response = client.get(f"/shops/{shop_a.id}/cause-detection")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    row = re.search(r'<tr data-cause="damaged_or_defective">(.*?)</tr>', html).group(1)
    assert row == "<td>Damaged or defective product</td><td>2</td><td>1</td><td>50%</td><td>0</td>"
    assert '<tr data-language="en"><td>en</td><td>2</td><td>1</td><td>50%</td></tr>' in html
    assert "Cause detection" in client.get("/shops").get_data(as_text=True)
    client.submit("/logout", page="/cases")
    client.login(viewer)
    assert client.get(f"/shops/{shop_a.id}/cause-detection").status_code == 403


def test_a_trashed_review_shows_a_warning_banner_that_clears_with_a_note_when_restored(client, agent, shop_a):
    payload = factories.review(rating=1)
    factories.deliver(shop_a, "review.created", payload)
    case = Case.query.one()
    payload["status"] = "spam"
    factories.deliver(shop_a, "review.status_changed", payload)
    client.login(agent)
    html = page_of(client, case)
    assert '<div class="flash flash-error banner" role="alert">' in html
    assert "nothing is deleted here" in html
    payload["status"] = "approved"
    factories.deliver(shop_a, "review.status_changed", payload)
    html = page_of(client, case)
    assert 'role="alert"' not in html
    assert "has been restored since" in html
    assert Review.query.count() == 1


def test_no_panel_url_deletes_anything():
    from crisisdesk import create_app

    app = create_app({"TESTING": True, "SECRET_KEY": "url-map-only", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert [r.rule for r in app.url_map.iter_rules() if "DELETE" in r.methods] == []
    assert [r.rule for r in app.url_map.iter_rules() if "delete" in r.rule.lower()] == []


def test_no_service_or_view_deletes_a_review():
    import ast
    from pathlib import Path

    package = Path(__file__).resolve().parents[3] / "crisisdesk"
    deletes = []
    for layer in ("services", "web", "jobs", "cli"):
        for path in sorted((package / layer).rglob("*.py")):
            source = path.read_text()
            for node in ast.walk(ast.parse(source)):
                if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "delete":
                    deletes.append(ast.get_source_segment(source, node))
    assert deletes and all("review" not in call.lower() for call in deletes)  # the one delete: policy rows
