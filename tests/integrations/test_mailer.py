"""The mailer against a real SMTP server on loopback (aiosmtpd): plain, STARTTLS, implicit TLS, login,
refusals, an unreachable or silent server; and the .eml folder used when no SMTP_URL is set."""
import logging
import socket
import threading
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest

from crisisdesk.integrations.mailer import (FileMailer, Mailer, MailConfigError, MailPermanentError,
                                            MailTemporaryError, SmtpMailer)
from tests.smtp import SmtpServer, certificate, free_port

PASSWORD = "s3cret-p@ss word"
ENCODED_PASSWORD = "s3cret-p%40ss%20word"


def message(to="grace@example.com", subject="Zażółć gęślą jaźń"):
    built = EmailMessage()
    built["From"] = "Sklep Testowy <no-reply@shop.example>"
    built["To"] = to
    built["Subject"] = subject
    built["Message-ID"] = "<test-1@panel.test>"
    built.set_content("Dzień dobry!\n")
    built.add_alternative("<p>Dzień dobry!</p>", subtype="html")
    return built


@pytest.fixture
def tls_files(tmp_path, monkeypatch):
    """A self-signed certificate for 127.0.0.1, trusted by this process only (SSL_CERT_FILE)."""
    files = certificate(tmp_path)
    monkeypatch.setenv("SSL_CERT_FILE", str(files[0]))
    return files


def started(**options):
    return SmtpServer(**options).start()


def test_it_delivers_over_plain_smtp_with_both_parts(smtp_server):
    SmtpMailer.from_url(smtp_server.url).send(message())

    [received] = smtp_server.messages
    assert (received.mail_from, received.rcpt_tos) == ("no-reply@shop.example", ["grace@example.com"])
    assert received.message["Subject"] == "Zażółć gęślą jaźń"
    assert received.message["Message-ID"] == "<test-1@panel.test>"
    assert received.message.get_body(("plain",)).get_content() == "Dzień dobry!\n"
    assert received.message.get_body(("html",)).get_content().strip() == "<p>Dzień dobry!</p>"


def test_it_logs_in_after_starttls(tls_files):
    server = started(tls="starttls", certificate=tls_files, login=("mailer", PASSWORD))
    try:
        mailer = SmtpMailer.from_url(f"smtp://mailer:{ENCODED_PASSWORD}@127.0.0.1:{server.port}?starttls=1")
        mailer.send(message())
    finally:
        server.stop()
    assert len(server.messages) == 1
    assert [user for _, user in server.logins] == ["mailer"]


def test_it_logs_in_over_implicit_tls(tls_files):
    server = started(tls="implicit", certificate=tls_files, login=("mailer", PASSWORD))
    try:
        SmtpMailer.from_url(f"smtps://mailer:{ENCODED_PASSWORD}@127.0.0.1:{server.port}").send(message())
    finally:
        server.stop()
    assert len(server.messages) == 1 and server.logins


def test_it_refuses_a_server_whose_certificate_it_cannot_verify(tmp_path):
    server = started(tls="starttls", certificate=certificate(tmp_path))  # SSL_CERT_FILE not set: untrusted
    try:
        with pytest.raises(MailTemporaryError, match="TLS"):
            SmtpMailer.from_url(server.url).send(message())
    finally:
        server.stop()
    assert server.messages == []


def test_it_reports_a_refused_login_as_temporary_without_the_password(tls_files, caplog):
    server = started(tls="starttls", certificate=tls_files, login=("mailer", "another password"))
    caplog.set_level(logging.DEBUG)
    try:
        mailer = SmtpMailer.from_url(f"smtp://mailer:{ENCODED_PASSWORD}@127.0.0.1:{server.port}?starttls=1")
        with pytest.raises(MailTemporaryError) as raised:
            mailer.send(message())
    finally:
        server.stop()
    assert raised.value.code == 535
    for text in (str(raised.value), repr(raised.value), repr(mailer), caplog.text):
        assert PASSWORD not in text and ENCODED_PASSWORD not in text


def test_it_reports_a_refused_recipient_as_permanent_with_the_servers_reply(smtp_server):
    smtp_server.refuse("nobody@example.com", "550 5.1.1 <nobody@example.com>: Recipient address rejected")
    with pytest.raises(MailPermanentError) as raised:
        SmtpMailer.from_url(smtp_server.url).send(message(to="nobody@example.com"))
    error = raised.value
    assert (error.code, error.permanent, error.recipient_refused) == (550, True, True)
    assert "Recipient address rejected" in error.text and str(error).startswith("SMTP 550")
    assert smtp_server.messages == []


def test_it_reports_a_4xx_for_the_recipient_as_temporary(smtp_server):
    smtp_server.refuse("busy@example.com", "451 4.7.1 Greylisted, try again later")
    with pytest.raises(MailTemporaryError) as raised:
        SmtpMailer.from_url(smtp_server.url).send(message(to="busy@example.com"))
    assert (raised.value.code, raised.value.permanent) == (451, False)


def test_it_reports_refused_content_as_permanent_but_not_as_a_bad_address(smtp_server):
    smtp_server.data_answer = "554 5.7.1 Message rejected as spam"
    with pytest.raises(MailPermanentError) as raised:
        SmtpMailer.from_url(smtp_server.url).send(message())
    assert (raised.value.code, raised.value.recipient_refused) == (554, False)


def test_it_reports_a_server_that_is_down_as_temporary():
    with pytest.raises(MailTemporaryError) as raised:
        SmtpMailer.from_url(f"smtp://127.0.0.1:{free_port()}").send(message())
    assert raised.value.code is None and "could not reach" in str(raised.value)


def test_it_gives_up_on_a_silent_server_after_its_timeout():
    with socket.socket() as silent:  # accepts connections (the kernel's backlog) but never greets
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        port = silent.getsockname()[1]
        with pytest.raises(MailTemporaryError, match="timed out"):
            SmtpMailer.from_url(f"smtp://127.0.0.1:{port}?timeout=0.3").send(message())


def test_it_reports_a_server_that_hangs_up_as_temporary(smtp_server):
    hold = smtp_server.hold_data()
    mailer = SmtpMailer.from_url(smtp_server.url)

    def hang_up():
        hold.reached.wait(5)
        smtp_server.stop()  # the server goes away in the middle of DATA

    stopper = threading.Thread(target=hang_up)
    stopper.start()
    with pytest.raises(MailTemporaryError):
        mailer.send(message())
    stopper.join()
    assert smtp_server.messages == []


# --- configuration ------------------------------------------------------------------------------------------

def test_it_picks_smtp_when_smtp_url_is_set_and_the_mail_folder_otherwise(tmp_path):
    assert isinstance(Mailer.from_config({"SMTP_URL": "smtp://mail.example:2525", "MAIL_DIR": str(tmp_path)}),
                      SmtpMailer)
    assert isinstance(Mailer.from_config({"SMTP_URL": "", "MAIL_DIR": str(tmp_path)}), FileMailer)


@pytest.mark.parametrize("url, expected", [
    ("smtp://mail.example", ("mail.example", 25, False, False, None, 20.0)),
    ("smtp://mail.example:587?starttls=1&timeout=5", ("mail.example", 587, False, True, None, 5.0)),
    ("smtps://user%40shop:pw@mail.example", ("mail.example", 465, True, False, "user@shop", 20.0)),
])
def test_it_reads_smtp_urls(url, expected):
    mailer = SmtpMailer.from_url(url)
    assert (mailer.host, mailer.port, mailer.implicit_tls, mailer.starttls, mailer.username,
            mailer.timeout) == expected


@pytest.mark.parametrize("url", [
    f"http://u:{PASSWORD}@mail.example", f"smtp://u:{PASSWORD}@mail.example:port", f"smtp://u:{PASSWORD}@:25",
    f"smtp://u:{PASSWORD}@mail.example?starttls=maybe", f"smtp://u:{PASSWORD}@mail.example?tls=1",
    f"smtp://u:{PASSWORD}@mail.example?timeout=0", f"smtps://u:{PASSWORD}@mail.example?starttls=1",
])
def test_it_refuses_bad_smtp_urls_without_repeating_them(url):
    with pytest.raises(MailConfigError) as raised:
        SmtpMailer.from_url(url)
    assert PASSWORD not in str(raised.value)


def test_it_keeps_the_password_out_of_its_repr():
    mailer = SmtpMailer.from_url(f"smtp://mailer:{ENCODED_PASSWORD}@mail.example:587?starttls=1")
    assert repr(mailer) == "SmtpMailer(mail.example:587, starttls, user='mailer')"


# --- the .eml folder ----------------------------------------------------------------------------------------

def test_it_writes_each_message_as_an_eml_file_and_logs_where(tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="crisisdesk.integrations.mailer")
    folder = tmp_path / "mail"
    mailer = Mailer.from_config({"SMTP_URL": "", "MAIL_DIR": str(folder)})
    mailer.send(message())
    second = message()
    second.replace_header("Message-ID", "<test-2@panel.test>")
    mailer.send(second)

    files = sorted(folder.glob("*.eml"))
    assert len(files) == 2 and not list(folder.glob("*.part"))
    written = {message_from_bytes(f.read_bytes(), policy=policy.default)["Message-ID"] for f in files}
    assert written == {"<test-1@panel.test>", "<test-2@panel.test>"}
    assert str(files[0]) in caplog.text or str(files[1]) in caplog.text


def test_it_reports_an_unwritable_mail_folder_as_temporary(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    with pytest.raises(MailTemporaryError):
        FileMailer(blocker / "mail").send(message())
