""""What was fixed" on the case page: a section of its own beside the compensation card; agents record a remedy
(once per opened page, however often the form is sent) and mark a planned one done; viewers read; shown in
Polish; another shop's agents get nothing."""
import re

from crisisdesk.extensions import db
from crisisdesk.models import CaseRemedy
from tests.reply_helpers import review_case
from tests.services.test_case_remedies import record
from tests.web.panel.test_i18n import english_sentences, polish_catalogue, visible_text

IDEMPOTENCY_KEY = re.compile(r'name="idempotency_key" type="hidden" value="([0-9a-f]{32})"')


def section(html, anchor="remedies"):
    start = html.index(f'id="{anchor}"')
    return html[start:html.index("</section>", start)]


def test_it_records_a_remedy_once_however_often_the_form_is_sent(client, shop_a, agent):
    case = review_case(shop_a)
    client.login(agent)
    page = f"/cases/{case.id}"
    part = section(client.get(page).get_data(as_text=True))
    assert f'action="/cases/{case.id}/remedies"' in part and "Nothing recorded yet." in part
    assert '<optgroup label="Amends without money (Powetuj)">' in part and 'value="identity_theft_help"' in part
    form = {"kind": "resent_parcel", "status": "done", "description": "Resent the kettle by DPD, tracking 123.",
            "idempotency_key": IDEMPOTENCY_KEY.search(part).group(1)}
    response = client.submit(f"/cases/{case.id}/remedies", form, page=page)
    assert response.status_code == 302 and response.headers["Location"].endswith("#remedies")
    html = client.submit(f"/cases/{case.id}/remedies", form, page=page, follow_redirects=True).get_data(as_text=True)
    part = section(html)
    assert "Parcel sent again" in part and "Resent the kettle by DPD, tracking 123." in part
    assert "tracking 123" not in section(html, "compensations")  # money and fixes are listed apart
    assert "Recorded as done: Parcel sent again." in html  # the timeline
    assert CaseRemedy.query.count() == 1


def test_it_says_what_is_missing_and_records_nothing(client, shop_a, agent):
    case = review_case(shop_a)
    client.login(agent)
    html = client.submit(f"/cases/{case.id}/remedies", {"kind": "resent_parcel", "status": "done",
                                                         "description": "  ", "idempotency_key": "k-1"},
                         page=f"/cases/{case.id}", follow_redirects=True).get_data(as_text=True)
    assert "describe what was done" in html and 'id="remedy-description"' in section(html)
    html = client.submit(f"/cases/{case.id}/remedies", {"kind": "refund", "status": "done",
                                                         "description": "Money back.", "idempotency_key": "k-2"},
                         page=f"/cases/{case.id}", follow_redirects=True).get_data(as_text=True)
    assert "What was done: Not a valid choice." in html
    assert CaseRemedy.query.count() == 0


def test_it_marks_a_planned_remedy_done_in_polish(client, shop_a, agent):
    case = review_case(shop_a)
    planned, _ = record(agent, case, "process_changed", "Kartony z grubszej tektury.", status="planned")
    agent.language = "pl"
    db.session.commit()
    client.login(agent)
    part = section(client.get(f"/cases/{case.id}").get_data(as_text=True))
    assert "Co zostało naprawione" in part and "zaplanowane" in part and "Zadośćuczynienie bez pieniędzy" in part
    text = visible_text(part)
    assert [s for s in english_sentences(polish_catalogue()) if re.search(rf"(?<![\w-]){re.escape(s)}(?![\w-])",
                                                                          text)] == []
    html = client.submit(f"/cases/{case.id}/remedies/{planned.id}/done", {}, page=f"/cases/{case.id}",
                         follow_redirects=True).get_data(as_text=True)
    assert "Oznaczono jako zrobione: Proces zmieniony." in html  # the timeline, translated
    assert f'action="/cases/{case.id}/remedies/{planned.id}/done"' not in section(html)
    db.session.expire_all()
    assert db.session.get(CaseRemedy, planned.id).status == "done"


def test_viewers_read_the_list_without_forms(client, shop_a, agent, viewer):
    case = review_case(shop_a)
    planned, _ = record(agent, case, "extra_support", "A video call to set up the kettle.", status="planned")
    client.login(viewer)
    part = section(client.get(f"/cases/{case.id}").get_data(as_text=True))
    assert "Extra support" in part and "A video call to set up the kettle." in part
    assert "<form" not in part
    response = client.submit(f"/cases/{case.id}/remedies/{planned.id}/done", {}, page="/cases")
    assert response.status_code == 403


def test_another_shops_agent_gets_nothing(client, shop_a, agent, outsider):
    case = review_case(shop_a)
    planned, _ = record(agent, case, status="planned")
    client.login(outsider)
    response = client.submit(f"/cases/{case.id}/remedies", {"kind": "resent_parcel", "status": "done",
                                                             "description": "Resent.", "idempotency_key": "k-3"},
                             page="/cases")
    assert response.status_code == 404
    assert client.submit(f"/cases/{case.id}/remedies/{planned.id}/done", {}, page="/cases").status_code == 404
    db.session.expire_all()
    assert CaseRemedy.query.count() == 1 and db.session.get(CaseRemedy, planned.id).status == "planned"
