"""The agent guide (/guide): the 5P rule with examples, the dos and don'ts, unfair reviews, and the
deadlines read from the settings of the shops the reader can see, in English and Polish."""
from crisisdesk.extensions import db


def test_it_links_the_guide_from_every_page(client, viewer):
    client.login(viewer)
    assert 'href="/guide"' in client.get("/cases").get_data(as_text=True)


def test_it_explains_the_five_steps_with_an_example_each(client, viewer):
    client.login(viewer)
    html = client.get("/guide").get_data(as_text=True)
    for step in ("apologise", "admit", "act", "improve", "compensate"):
        assert f'id="step-{step}"' in html
    for name in ("Przeproś", "Przyznaj się", "Przeciwdziałaj", "Popraw się", "Powetuj"):
        assert name in html
    assert "double box" in html and 'aria-current="page">Agent guide</a>' in html


def test_it_gives_the_dos_donts_and_the_unfair_review_procedure(client, viewer):
    client.login(viewer)
    html = client.get("/guide").get_data(as_text=True)
    assert "Never delete a review" in html and "No canned answers" in html
    assert "unverified transaction" in html and "Log a removal request to the platform" in html
    assert "Still answer it publicly" in html


def test_it_shows_each_visible_shops_own_targets_and_no_other_shop(client, viewer, shop_a, shop_b):
    shop_a.first_response_hours, shop_a.apology_hours, shop_a.update_hours = 12, 36, 1
    shop_b.first_response_hours = 5
    db.session.commit()
    client.login(viewer)
    html = client.get("/guide").get_data(as_text=True)
    row = html[html.index(f'id="sla-shop-{shop_a.id}"'):]
    row = row[:row.index("</tr>")]
    assert "within 12 hours" in row and "within 36 hours" in row and "every 1 hour" in row
    assert f'id="sla-shop-{shop_b.id}"' not in html and "Shop B" not in html
    assert "within 14 days" in html and "reklamacja" in html


def test_it_says_so_when_the_reader_sees_no_shop(client, app):
    from tests import factories
    from tests.conftest import PASSWORD

    lonely = factories.make_user("lonely@crisisdesk.example", "viewer", shops=[], password=PASSWORD)
    client.login(lonely)
    html = client.get("/guide").get_data(as_text=True)
    assert "You cannot see any shop yet." in html and 'id="sla-targets"' not in html


def test_it_shows_the_guide_in_polish(client, viewer, shop_a):
    viewer.language = "pl"
    shop_a.first_response_hours = 22
    db.session.commit()
    client.login(viewer)
    html = client.get("/guide").get_data(as_text=True)
    assert "<h1>Poradnik agenta</h1>" in html and "Reguła 5P" in html
    assert "w ciągu 22 godzin" in html and "w ciągu 14 dni" in html
    assert "Never delete a review" not in html
