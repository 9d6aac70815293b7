"""The case page's "Emails and recovery" section: the case's outbox rows with their status, errors and
cancellation notes (a permanent SMTP rejection is visible here), and whether the customer was won back."""
import re

import pytest

from crisisdesk.services import email_links, outbox
from tests.outbox_helpers import release_scheduled
from tests.web.public.helpers import path_of, resolved_case


def emails_section(html):
    return html.split('id="emails"', 1)[1].split("</section>", 1)[0]


def email_rows(html):
    """[(kind, to, status badge text)] of the section's table."""
    section = emails_section(html)
    found = []
    for row in section.split('<tr class="email-row')[1:]:
        cells = re.findall(r"<td>(.*?)</td>", row, re.S)
        text = [" ".join(re.sub(r"<[^>]+>", " ", c).split()) for c in cells]
        found.append((text[0].split(" ")[0], text[1], text[4]))
    return found


def send_due(app, frozen_clock, run_jobs, days):
    frozen_clock.advance(days=days)
    release_scheduled(app, frozen_clock.now)
    outbox.sweep()
    run_jobs()


@pytest.fixture
def case(shop_a, agent, frozen_clock):
    return resolved_case(shop_a, agent)


def test_it_lists_the_scheduled_follow_up_and_reminder_and_the_pending_recovery(login_as, case):
    html = login_as("viewer").get(f"/cases/{case.id}").get_data(as_text=True)
    section = emails_section(html)
    assert "Emails and recovery" in html
    assert email_rows(html) == [("Follow-up", "grace@example.com", "scheduled"),
                                ("Reminder", "grace@example.com", "scheduled")]
    assert '<time datetime="2026-11-29T12:00:00+00:00">' in section  # due 7 days after the resolution
    assert "Pending" in section and "counts until" in section


def test_it_shows_the_sent_email_and_the_customer_won_back(app, login_as, case, frozen_clock, run_jobs,
                                                           smtp_server):
    send_due(app, frozen_clock, run_jobs, days=8)
    assert len(smtp_server.messages) == 1
    app.test_client().get(path_of(email_links.rating_url(case.recovery.id, 4)))
    section = emails_section(login_as("agent").get(f"/cases/{case.id}").get_data(as_text=True))
    assert email_rows(f'id="emails"{section}</section>')[0] == ("Follow-up", "grace@example.com", "sent")
    assert "Recovered" in section and "said they are satisfied" in section
    assert 'aria-label="answered 4 of 5"' in section


def test_it_shows_a_permanent_smtp_rejection_on_the_case(app, login_as, case, frozen_clock, run_jobs, smtp_server):
    smtp_server.refuse("grace@example.com", "550 5.1.1 No such user here")
    send_due(app, frozen_clock, run_jobs, days=8)
    html = login_as("agent").get(f"/cases/{case.id}").get_data(as_text=True)
    assert email_rows(html)[0] == ("Follow-up", "grace@example.com", "rejected")
    section = emails_section(html)
    assert "No such user here" in section and 'class="error"' in section
    assert "No such user here" in html.split('id="timeline"', 1)[1]  # and on the timeline


def test_it_shows_why_an_email_was_cancelled(app, login_as, case, shop_a):
    app.test_client(use_cookies=False).post(path_of(email_links.unsubscribe_url(shop_a.id, "grace@example.com")),
                                            data={"List-Unsubscribe": "One-Click"})
    html = login_as("agent").get(f"/cases/{case.id}").get_data(as_text=True)
    assert [status for _, _, status in email_rows(html)] == ["cancelled", "cancelled"]
    assert "unsubscribed" in emails_section(html)


def test_it_says_a_follow_up_comes_with_the_resolution_of_an_open_case(login_as, shop_a):
    from tests.outbox_helpers import make_case

    case = make_case(shop_a)
    section = emails_section(login_as("agent").get(f"/cases/{case.id}").get_data(as_text=True))
    assert "A follow-up email is planned when the case is resolved." in section
    assert "<table" not in section
