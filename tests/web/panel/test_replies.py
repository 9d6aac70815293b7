"""The reply composer on the case page: the draft, the 5P check (with and without JavaScript), the canned-reply
warning, sending, and the list of replies with their delivery status."""
import html as html_lib
import re
from datetime import timedelta

import pytest

from crisisdesk.extensions import db
from crisisdesk.models import AuditEntry, CaseReply
from crisisdesk.services import outbox
from tests.reply_helpers import KETTLE, manual_case, review_case, send

CHECK_TEXT = "Anna, przepraszamy za kłopot."


@pytest.fixture
def case(shop_a):
    shop_a.language = "pl"
    db.session.commit()
    return review_case(shop_a, order_id=48213)


def page(client, case):
    response = client.get(f"/cases/{case.id}")
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_data(as_text=True)


def composer(html):
    return html.split('id="replies"')[1].split("</section>")[0]


def hidden(html, name):
    return re.search(rf'name="{name}" type="hidden" value="([^"]+)"|value="([^"]+)"[^>]*name="{name}"',
                     html).group(1) or ""


def textarea(html):
    return html_lib.unescape(re.search(r'<textarea[^>]*name="text"[^>]*>\r?\n?(.*?)</textarea>', html, re.S).group(1))


def form_data(html, **fields):
    """What the browser posts from the composer on `html`, with `fields` changed."""
    data = {"csrf_token": hidden(html, "csrf_token"), "idempotency_key": hidden(html, "idempotency_key"),
            "channel": "email", "remedy": "none", "language": "pl", "text": textarea(html)}
    return {**data, **fields}


def test_it_shows_a_personal_draft_covering_all_five_steps(client, agent, case):
    client.login(agent)
    block = composer(page(client, case))

    text = textarea(block)
    assert text.startswith("Dzień dobry, Anna") and KETTLE in text
    assert "48213" not in text  # the default is both channels: the public text names no order
    assert block.count('class="step covered"') == 5 and "missing:" not in block
    assert re.search(r'<option selected value="both">Both</option>', block)
    assert 'value="public"' in block and 'value="email"' in block
    assert 'src="/static/js/composer.js"' in block and "<script>" not in block


def test_it_shows_viewers_the_replies_but_no_composer(client, agent, viewer, case):
    send(agent, case, "Anna, przepraszamy.")
    client.login(viewer)
    block = composer(page(client, case))

    assert "Anna, przepraszamy." in block and "queued" in block
    assert "<textarea" not in block and "Send</button>" not in block


def test_it_checks_an_edited_text_without_javascript_and_names_the_missing_steps(client, agent, case):
    client.login(agent)
    html = page(client, case)

    response = client.post(f"/cases/{case.id}/reply", data=form_data(html, text=CHECK_TEXT, action="check"))

    assert response.status_code == 200
    block = composer(response.get_data(as_text=True))
    assert textarea(block) == CHECK_TEXT and hidden(block, "idempotency_key") == hidden(html, "idempotency_key")
    assert block.count('class="step covered"') == 1 and block.count('class="step missing"') == 4
    assert "missing: Say specifically what went wrong and own it" in block and "(Przyznaj się)" in block
    assert CaseReply.query.count() == 0


def test_it_checks_while_typing_through_the_live_check(client, agent, case):
    client.login(agent)
    html = page(client, case)

    response = client.post(f"/cases/{case.id}/reply/check",
                           data={"csrf_token": hidden(html, "csrf_token"), "text": CHECK_TEXT, "language": "pl"})

    fragment = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in fragment
    assert fragment.count('class="step missing"') == 4 and "“przepraszamy”" in fragment


DEFENSIVE = "Anno, to nie nasza wina, regulamin jasno mówi, że paczkę trzeba sprawdzić przy kurierze."


def test_it_lists_tone_hints_under_the_5p_steps_in_the_live_check(client, agent, case):
    client.login(agent)
    html = page(client, case)

    response = client.post(f"/cases/{case.id}/reply/check",
                           data={"csrf_token": hidden(html, "csrf_token"), "text": DEFENSIVE, "language": "pl"})

    fragment = response.get_data(as_text=True)
    assert response.status_code == 200
    assert fragment.index('class="five-p-steps"') < fragment.index('class="tone-hints"')
    assert "hints, not blockers" in fragment
    defensive = fragment.split('data-kind="defensive"')[1].split("</li>")[0]
    assert "Defensive" in defensive and "<q>nie nasza wina</q>, <q>regulamin jasno</q>" in defensive
    assert "hides behind the rules" in defensive
    skipped = fragment.split('data-kind="skipped_point"')[1].split("</li>")[0]
    assert "the customer wrote about Damaged or defective product:" in skipped and "<q>uszkodzony</q>" in skipped


def test_it_shows_the_tone_hints_in_polish_to_a_polish_agent(client, agent, case):
    agent.language = "pl"
    db.session.commit()
    client.login(agent)
    html = page(client, case)

    response = client.post(f"/cases/{case.id}/reply/check",
                           data={"csrf_token": hidden(html, "csrf_token"), "text": DEFENSIVE, "language": "pl"})

    fragment = response.get_data(as_text=True)
    assert "Defensive" not in fragment and "hides behind the rules" not in fragment
    assert fragment.count('class="tone-hint"') == 2


def test_it_shows_no_tone_hint_for_the_draft_and_sends_despite_hints(client, agent, case):
    client.login(agent)
    html = page(client, case)
    assert "tone-hint" not in composer(html)

    response = client.post(f"/cases/{case.id}/reply", data=form_data(html, text=DEFENSIVE, action="check"))
    assert 'data-kind="defensive"' in composer(response.get_data(as_text=True))
    response = client.post(f"/cases/{case.id}/reply", data=form_data(html, text=DEFENSIVE, action="send"))

    assert response.status_code == 302 and CaseReply.query.one().content == DEFENSIVE


def test_it_warns_when_the_text_nearly_repeats_a_reply_to_another_customer(client, agent, shop_a, case):
    other = review_case(shop_a, email="jan@example.com", first="Jan", last="Nowak", order_id=48300)
    [earlier] = send(agent, other, "Jan, przepraszamy za pęknięty czajnik. To nasz błąd, wyślemy nowy jutro.")
    client.login(agent)
    html = page(client, case)

    response = client.post(f"/cases/{case.id}/reply", data=form_data(
        html, action="check", text="Anna, przepraszamy za pęknięty czajnik. To nasz błąd, wyślemy nowy jutro."))

    block = composer(response.get_data(as_text=True))
    assert f"100% identical to <a href=\"/cases/{other.id}#replies\">reply #{earlier.id}</a>" in block
    assert "no canned answers" in block


def test_it_drafts_again_with_the_remedy_and_language_the_agent_picks(client, agent, case):
    client.login(agent)
    html = page(client, case)

    response = client.post(f"/cases/{case.id}/reply", data=form_data(
        html, action="draft", channel="email", remedy="replacement", language="lv", text="old text"))

    text = textarea(composer(response.get_data(as_text=True)))
    assert text.startswith("Labdien, Anna") and "48213" in text and "nomai" in text


def test_it_sends_the_reply_and_lists_it_on_the_case(client, agent, case):
    client.login(agent)
    html = page(client, case)
    data = form_data(html, action="send", channel="both", text="Anna, przepraszamy.\n\nTo nasz błąd.")

    response = client.post(f"/cases/{case.id}/reply", data=data)
    again = client.post(f"/cases/{case.id}/reply", data=data)  # a double click

    assert response.status_code == again.status_code == 302
    assert response.headers["Location"].endswith(f"/cases/{case.id}#replies")
    rows = CaseReply.query.order_by(CaseReply.id).all()
    assert [(r.channel, r.status, r.content) for r in rows] == [
        ("public", "pending", "Anna, przepraszamy.\n\nTo nasz błąd."),
        ("email", "queued", "Anna, przepraszamy.\n\nTo nasz błąd.")]
    assert rows[0].steps_missing == ["act", "improve", "compensate"]
    after = page(client, case)
    assert "Reply sent: the public reply is being posted under the review and the email is queued." in after
    block = composer(after)
    assert "waiting to be posted" in block and "email scheduled" in block
    assert hidden(block, "idempotency_key") != data["idempotency_key"]  # a fresh composer for the next reply


def test_it_keeps_the_text_and_says_why_when_a_reply_is_refused(client, agent, case):
    client.login(agent)
    html = page(client, case)

    response = client.post(f"/cases/{case.id}/reply", data=form_data(html, action="send", text="   "))

    assert response.status_code == 400
    assert "the reply is empty" in response.get_data(as_text=True)
    assert CaseReply.query.count() == 0 and AuditEntry.query.filter_by(action="case.reply_sent").count() == 0


def test_it_offers_only_email_for_a_complaint_entered_by_hand(client, agent, shop_a):
    complaint = manual_case(shop_a, agent)
    client.login(agent)
    html = page(client, complaint)
    block = composer(html)

    assert "only be answered by email" in block and 'value="public"' not in block
    response = client.post(f"/cases/{complaint.id}/reply", data=form_data(html, action="send", channel="public"))
    assert response.status_code == 400 and CaseReply.query.count() == 0
    assert "only be answered by email" in response.get_data(as_text=True)


def test_it_warns_before_sending_that_the_customer_opted_out_of_email(client, agent, shop_a, case):
    outbox.suppress(shop_a.id, "anna@example.com", "unsubscribed")
    client.login(agent)
    block = composer(page(client, case))

    assert "anna@example.com asked for no more emails from this shop" in block
    assert 'value="email"' not in block and 'value="both"' not in block


def test_it_shows_a_retry_with_its_next_attempt_and_a_failure_with_its_reason(client, agent, case, frozen_clock):
    [waiting] = send(agent, case, "Anna, przepraszamy.", channel="public")
    [failed] = send(agent, case, "Anna, jeszcze raz przepraszamy.", channel="public")
    waiting.attempts, waiting.last_error = 2, "bridge_error (no HTTP answer): the site could not be reached"
    waiting.next_attempt_at = frozen_clock.now + timedelta(minutes=2)
    failed.status, failed.attempts, failed.last_error = "failed", 1, "crisisdesk_bad_signature (HTTP 401): bad"
    db.session.commit()
    client.login(agent)

    block = composer(page(client, case))

    assert "retrying</span> next attempt" in block and "2026-11-22 12:02 UTC" in block
    assert "2 attempts so far: bridge_error (no HTTP answer)" in block
    assert "failed</span> crisisdesk_bad_signature (HTTP 401): bad" in block


def test_it_refuses_a_send_without_a_csrf_token(client, agent, case):
    client.login(agent)
    data = form_data(page(client, case), action="send")
    del data["csrf_token"]

    response = client.post(f"/cases/{case.id}/reply", data=data)

    assert response.status_code == 400 and "The CSRF token is missing." in response.get_data(as_text=True)
    assert CaseReply.query.count() == 0


@pytest.mark.parametrize("url", ["/cases/{id}/reply", "/cases/{id}/reply/check"])
@pytest.mark.parametrize("persona, status", [("viewer", 403), ("outsider", 404)])
def test_it_forbids_viewers_and_hides_the_case_from_other_shops(login_as, case, url, persona, status):
    client = login_as(persona)
    data = {"action": "send", "channel": "email", "remedy": "none", "language": "pl", "text": CHECK_TEXT,
            "idempotency_key": "k-1"}

    response = client.submit(url.format(id=case.id), data, page="/cases")

    assert response.status_code == status
    assert CHECK_TEXT not in response.get_data(as_text=True) and CaseReply.query.count() == 0
