"""The mailer keeps its SMTP connection open for the next message (issue 8: connecting, EHLO and QUIT for every
email), and opens a new one when the server has closed it, when it sat idle too long, or in another process."""
import os

from crisisdesk.integrations import mailer as mailer_module
from crisisdesk.integrations.mailer import SmtpMailer
from tests.integrations.test_mailer import message


def kept_connection():
    [(key, (connection, _used))] = [item for item in mailer_module._kept.items() if item[0][0] == os.getpid()]
    return connection


def test_it_sends_the_next_message_over_the_same_connection(smtp_server):
    mailer = SmtpMailer.from_url(smtp_server.url)
    mailer.send(message())
    first = kept_connection()
    SmtpMailer.from_url(smtp_server.url).send(message(to="ada@example.com"))  # a new mailer, as every send makes

    assert kept_connection() is first
    assert [m.rcpt_tos for m in smtp_server.wait_for(2)] == [["grace@example.com"], ["ada@example.com"]]


def test_it_reconnects_when_the_server_closed_the_kept_connection(smtp_server):
    SmtpMailer.from_url(smtp_server.url).send(message())
    stale = kept_connection()
    stale.sock.shutdown(2)  # the connection is gone, as after a server restart or its idle timeout
    SmtpMailer.from_url(smtp_server.url).send(message(to="ada@example.com"))

    assert kept_connection() is not stale
    assert len(smtp_server.wait_for(2)) == 2


def test_it_does_not_reuse_a_connection_idle_too_long(smtp_server, monkeypatch):
    SmtpMailer.from_url(smtp_server.url).send(message())
    old = kept_connection()
    monkeypatch.setattr(mailer_module, "KEEP_IDLE_SECONDS", -1.0)
    SmtpMailer.from_url(smtp_server.url).send(message(to="ada@example.com"))

    assert kept_connection() is not old and old.sock is None  # closed, not left open
    assert len(smtp_server.wait_for(2)) == 2


def test_a_failed_send_drops_the_connection_and_quit_at_exit_closes_the_rest(smtp_server):
    smtp_server.refuse("nobody@example.com")
    SmtpMailer.from_url(smtp_server.url).send(message())
    try:
        SmtpMailer.from_url(smtp_server.url).send(message(to="nobody@example.com"))
    except mailer_module.MailPermanentError:
        pass
    assert [key for key in mailer_module._kept if key[0] == os.getpid()] == []

    SmtpMailer.from_url(smtp_server.url).send(message(to="ada@example.com"))
    connection = kept_connection()
    mailer_module.close_kept()
    assert connection.sock is None and mailer_module._kept == {}
