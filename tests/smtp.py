"""A real SMTP server on loopback (aiosmtpd) that keeps what it accepts, for the mail tests.

    def test_it_...(app, smtp_server):     # with `app`, SMTP_URL points at this server
        ...
        [received] = smtp_server.messages  # .mail_from, .rcpt_tos, .message (an EmailMessage)

It can refuse chosen recipients (`refuse("x@example.com", "550 5.1.1 No such user")`), be
stopped and started again on the same port (`stop()`, `start()`: "SMTP down, then up"), hold
the next DATA before accepting it (`hold_data()`: a sender can be killed while it waits; a
message whose sender went away is never counted as received), and speak STARTTLS, implicit
TLS and AUTH PLAIN/LOGIN with a self-signed certificate (`certificate(tmp_path)`).
"""
import asyncio
import datetime
import ipaddress
import socket
import ssl
import threading
import time
from dataclasses import dataclass
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult


@dataclass(frozen=True)
class Received:
    mail_from: str
    rcpt_tos: list
    raw: bytes
    message: object  # email.message.EmailMessage


class Hold:
    """One DATA command kept waiting: `reached` is set when it arrives, `release()` lets it finish."""

    def __init__(self):
        self.reached = threading.Event()
        self.released = threading.Event()
        self.sender_gone = threading.Event()  # the client disconnected while held

    def release(self):
        self.released.set()


class _Handler:
    def __init__(self, server):
        self.server = server

    async def handle_RCPT(self, smtp, session, envelope, address, rcpt_options):
        answer = self.server.answers.get(address.lower())
        if answer:
            return answer
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, smtp, session, envelope):
        hold = self.server.take_hold()
        if hold is not None and not await self._wait(smtp, hold):
            return "421 4.3.0 Sender went away"
        if self.server.data_answer:
            return self.server.data_answer
        self.server.keep(envelope)
        return "250 2.0.0 Message accepted for delivery"

    @staticmethod
    async def _wait(smtp, hold):
        """Wait for `hold` to be released; False (and nothing accepted) when the client went away meanwhile."""
        hold.reached.set()
        try:
            while not hold.released.is_set():
                if smtp.transport is None or smtp.transport.is_closing():
                    break
                await asyncio.sleep(0.02)
        except asyncio.CancelledError:  # aiosmtpd cancels the session when the connection is lost
            hold.sender_gone.set()
            raise
        if smtp.transport is None or smtp.transport.is_closing():
            hold.sender_gone.set()
            return False
        return True


class SmtpServer:
    def __init__(self, host="127.0.0.1", port=None, tls=None, certificate=None, login=None):
        """tls: None (plain), "starttls" or "implicit"; certificate: (cert, key) paths; login: (user, password)."""
        self.host, self.port = host, port or free_port(host)
        self.tls, self.certificate, self.login = tls, certificate, login
        self.messages, self.answers, self.data_answer = [], {}, None
        self.logins = []  # (mechanism, user) of each successful AUTH
        self._holds, self._lock, self._controller = [], threading.Lock(), None
        self._stopping = threading.Lock()

    @property
    def url(self):
        scheme = "smtps" if self.tls == "implicit" else "smtp"
        return f"{scheme}://{self.host}:{self.port}" + ("?starttls=1" if self.tls == "starttls" else "")

    @property
    def running(self):
        return self._controller is not None

    def start(self):
        """Listen (again) on the same port."""
        assert self._controller is None, "already running"
        options = {}
        if self.tls:
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(*self.certificate)
            options["ssl_context" if self.tls == "implicit" else "tls_context"] = context
            options["require_starttls"] = self.tls == "starttls"
        if self.login:
            # Implicit TLS encrypts the whole session, which aiosmtpd's check for STARTTLS does not see.
            options.update(authenticator=self._authenticate, auth_require_tls=self.tls == "starttls")
        self._controller = Controller(_Handler(self), hostname=self.host, port=self.port, ready_timeout=10,
                                      **options)
        self._controller.start()
        return self

    def stop(self):
        """Stop listening: new connections are refused until `start()`. Safe to call from any thread.

        The mailer's connections kept open in this process are closed first: aiosmtpd's stop leaves the server's end
        of a live session unclosed (a ResourceWarning), where a real server's clients would just see it go away."""
        from crisisdesk.integrations.mailer import close_kept

        close_kept()
        with self._stopping:
            controller, self._controller = self._controller, None
            if controller is not None:
                controller.stop()

    def refuse(self, recipient, answer="550 5.1.1 No such user here"):
        """Answer RCPT for this address with `answer` (a 4xx or 5xx line)."""
        self.answers[recipient.lower()] = answer

    def hold_data(self):
        """Keep the next DATA waiting before it is accepted; returns its Hold."""
        hold = Hold()
        with self._lock:
            self._holds.append(hold)
        return hold

    def take_hold(self):
        with self._lock:
            return self._holds.pop(0) if self._holds else None

    def keep(self, envelope):
        raw = envelope.original_content or envelope.content
        # Parsed with the wire's CRLF turned into "\n", as a mail program shows it.
        received = Received(envelope.mail_from, list(envelope.rcpt_tos), raw,
                            message_from_bytes(raw.replace(b"\r\n", b"\n"), policy=policy.default))
        with self._lock:
            self.messages.append(received)

    def wait_for(self, count, timeout=10):
        """Wait until `count` messages were accepted; returns them."""
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return list(self.messages)

    def _authenticate(self, smtp, session, envelope, mechanism, auth_data):
        user, password = self.login
        ok = auth_data.login == user.encode() and auth_data.password == password.encode()
        if ok:
            self.logins.append((mechanism, user))
        return AuthResult(success=ok, handled=False)  # handled=False: aiosmtpd answers 535 itself


def free_port(host="127.0.0.1"):
    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


def certificate(directory, host="127.0.0.1"):
    """A self-signed certificate for `host` (and localhost); returns (cert path, key path)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "CrisisDesk test SMTP")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(hours=1)).not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"),
                                                        x509.IPAddress(ipaddress.ip_address(host))]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = directory / "smtp-cert.pem", directory / "smtp-key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


@pytest.fixture
def smtp_server(request):
    """A running SmtpServer; when the test also uses `app`, the app's SMTP_URL points at it."""
    server = SmtpServer().start()
    if "app" in request.fixturenames:
        request.getfixturevalue("app").config["SMTP_URL"] = server.url
    yield server
    server.stop()
