"""Sending while the line to the SMTP server is cut: what tests/jobs/test_email_faults.py does not cover there
(a stopped server, a killed worker, Redis emptied): the connection cut in the middle of DATA, a server that
accepts connections and drops them, and the one case SMTP cannot make exactly-once, a 250 lost on the way.

Emails stay in the outbox with a retry, none is marked sent while the server has not said 250, and each is
delivered once when the line is back.
"""
import threading
import time

from crisisdesk.services import outbox
from tests.outbox_helpers import email_kinds_stub, release_scheduled, row, schedule  # noqa: F401


def when(event, action, timeout=20):
    """Call `action()` from a thread once `event` (a threading.Event) is set; returns the thread."""
    def watch():
        if event.wait(timeout):
            action()
            watcher.fired = True

    watcher = threading.Thread(target=watch, name="when", daemon=True)
    watcher.fired = False
    watcher.start()
    return watcher


def retry_when_due(app, run_jobs, frozen_clock, minutes):
    frozen_clock.advance(minutes=minutes)
    release_scheduled(app, frozen_clock.now)
    run_jobs()


def test_emails_cut_off_mid_data_or_dropped_on_connect_stay_queued_and_are_delivered_once_when_the_line_is_back(
        app, shop_a, smtp_server, smtp_proxy, email_kinds_stub, run_jobs, frozen_clock):
    first = schedule(shop_a, key="k-mid-data")
    second = schedule(shop_a, key="k-dropped", to="ada@example.com")
    hold = smtp_server.hold_data()  # the first message is all sent; the server has not said 250 yet ...
    # ... when the line is cut; the next connection is accepted and closed at once (a crashing relay).
    watcher = when(hold.reached, lambda: smtp_proxy.cut(accept=True))

    run_jobs()
    assert watcher.fired and hold.sender_gone.wait(5)
    assert smtp_server.messages == []
    for email in (first, second):
        assert (row(email.id).status, row(email.id).attempts, row(email.id).sent_at) == ("scheduled", 1, None)
    assert "sending through" in row(first.id).last_error and "could not reach" in row(second.id).last_error
    assert smtp_proxy.accepted == 2

    smtp_proxy.restore()
    retry_when_due(app, run_jobs, frozen_clock, minutes=1)

    received = smtp_server.wait_for(2)
    assert sorted(m.message["Message-ID"] for m in received) == sorted(row(e.id).message_id for e in (first, second))
    assert [(row(e.id).status, row(e.id).attempts) for e in (first, second)] == [("sent", 2), ("sent", 2)]
    assert outbox.sweep() == outbox.SweepResult(0, 0)
    time.sleep(0.2)
    assert len(smtp_server.messages) == 2


def test_a_250_lost_on_the_way_sends_the_email_again_under_the_same_message_id(
        app, shop_a, smtp_server, smtp_proxy, email_kinds_stub, run_jobs, frozen_clock):
    # SMTP has no idempotency: when the server's "250 accepted" never reaches us, the email must be sent
    # again (it may not have arrived). The copy keeps its Message-ID, by which mail systems drop duplicates.
    email = schedule(shop_a, key="k-250-lost")
    hold = smtp_server.hold_data()

    def lose_the_answer():
        smtp_proxy.freeze()  # nothing passes: the server's 250 waits in the proxy ...
        hold.release()
        deadline = time.monotonic() + 5
        while not smtp_server.messages and time.monotonic() < deadline:
            time.sleep(0.01)
        smtp_proxy.cut()  # ... and is lost with the line

    watcher = when(hold.reached, lose_the_answer)
    run_jobs()
    assert watcher.fired and len(smtp_server.messages) == 1
    assert (row(email.id).status, row(email.id).attempts) == ("scheduled", 1)

    smtp_proxy.restore()
    retry_when_due(app, run_jobs, frozen_clock, minutes=1)

    copies = smtp_server.wait_for(2)
    assert [m.message["Message-ID"] for m in copies] == [row(email.id).message_id] * 2
    assert (row(email.id).status, row(email.id).attempts) == ("sent", 2)
    assert outbox.sweep() == outbox.SweepResult(0, 0)
