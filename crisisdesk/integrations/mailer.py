"""Hand customer emails to an SMTP server, or write them as .eml files when none is configured.

`SMTP_URL` picks the transport:

  smtp://host:25                       plain SMTP (a local relay)
  smtp://user:pass@host:587?starttls=1 SMTP upgraded with STARTTLS before logging in
  smtps://user:pass@host:465           implicit TLS from the first byte
  ...&timeout=20                       seconds for connecting and for each reply (default 20)

User and password are percent-decoded (`%40` for `@`). Certificates are verified with the
system's trust store (`SSL_CERT_FILE` points it elsewhere). Without `SMTP_URL` (the embedded
default) each message is written into `MAIL_DIR`, so the one-command demo needs no mail server.

`send` raises one of two typed errors, after healthchecks' transports: `MailTemporaryError`
when trying again later can help (no connection, a timeout, a 4xx reply, a dropped line, a
login the server refused) and `MailPermanentError` when the server refused this message for
good (a 5xx for the recipient or the content). Neither carries the credentials; nor does
any repr or log line here.
"""
import atexit
import logging
import os
import select
import smtplib
import socket
import ssl
import tempfile
import threading
import time
from hashlib import sha256
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from crisisdesk import clock

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 20.0
DEFAULT_PORTS = {"smtp": 25, "smtps": 465}
_TRUE, _FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off"}


class MailError(Exception):
    """Sending failed; `code` and `text` are the SMTP reply when there was one.

    `recipient_refused` is True when the server refused the To address itself (at RCPT), as
    opposed to the sender, the login or the content.
    """

    permanent = False

    def __init__(self, text, code=None, recipient_refused=False):
        super().__init__(text)
        self.code, self.text, self.recipient_refused = code, text, recipient_refused

    def __str__(self):
        return f"SMTP {self.code}: {self.text}" if self.code else self.text


class MailTemporaryError(MailError):
    """Trying again later can help: the server was unreachable, slow, or said 4xx."""


class MailPermanentError(MailError):
    """The server refused this message for good (5xx): sending it again gives the same answer."""

    permanent = True


class MailConfigError(ValueError):
    """SMTP_URL cannot be used; the message never repeats the URL (it may hold a password)."""


class Mailer:
    """Where customer emails go; `from_config` picks SMTP or the .eml folder."""

    @classmethod
    def from_config(cls, config):
        url = config.get("SMTP_URL") or ""
        if url:
            return SmtpMailer.from_url(url)
        return FileMailer(config["MAIL_DIR"])

    def send(self, message):  # pragma: no cover - an interface
        """Deliver one `email.message.EmailMessage` to its To address, or raise a MailError."""
        raise NotImplementedError


class SmtpMailer(Mailer):
    def __init__(self, host, port, *, implicit_tls=False, starttls=False, username=None, password=None,
                 timeout=DEFAULT_TIMEOUT):
        self.host, self.port, self.timeout = host, port, timeout
        self.implicit_tls, self.starttls = implicit_tls, starttls
        self.username, self._password = username, password

    @classmethod
    def from_url(cls, url):
        parts = urlsplit(url)
        if parts.scheme not in DEFAULT_PORTS:
            raise MailConfigError("SMTP_URL must start with smtp:// or smtps://")
        try:
            port = parts.port or DEFAULT_PORTS[parts.scheme]
        except ValueError:
            raise MailConfigError("SMTP_URL has a port that is not a number") from None
        if not parts.hostname:
            raise MailConfigError("SMTP_URL names no host")
        query = parse_qs(parts.query)
        unknown = set(query) - {"starttls", "timeout"}
        if unknown:
            raise MailConfigError(f"SMTP_URL has unknown options: {', '.join(sorted(unknown))}")
        starttls = _flag(query, "starttls")
        if starttls and parts.scheme == "smtps":
            raise MailConfigError("smtps:// is TLS from the start; starttls=1 is for smtp://")
        return cls(parts.hostname, port, implicit_tls=parts.scheme == "smtps", starttls=starttls,
                   username=unquote(parts.username) if parts.username else None,
                   password=unquote(parts.password) if parts.password else None,
                   timeout=_seconds(query))

    def __repr__(self):
        security = "tls" if self.implicit_tls else "starttls" if self.starttls else "plain"
        login = f", user={self.username!r}" if self.username else ""
        return f"SmtpMailer({self.host}:{self.port}, {security}{login})"

    def send(self, message):
        """Hand `message` to the server; returns once the server has accepted it (250 after DATA).

        The connection stays open for the next message from this process and thread (see `_kept`)."""
        key = self._key()
        connection = _take_kept(key)
        if connection is None:
            try:
                connection = self._connect()
            except (smtplib.SMTPException, OSError) as error:
                raise _translate(error, f"could not reach {self.host}:{self.port}") from None
        try:
            refused = connection.send_message(message)
            if refused:  # some recipients accepted, some not; ours have one recipient, so report the refusal
                raise smtplib.SMTPRecipientsRefused(refused)
        except (smtplib.SMTPException, OSError) as error:
            connection.close()
            raise _translate(error, f"sending through {self.host}:{self.port} failed") from None
        # Accepted: the message is on its way and must not be reported as failed, whatever happens next.
        _keep(key, connection)
        log.info("email %s handed to %s:%s", message.get("Message-ID", "?"), self.host, self.port)

    def _key(self):
        # The password is part of what the connection was opened with, so a changed one opens a new connection.
        return (os.getpid(), threading.get_ident(), self.host, self.port, self.implicit_tls, self.starttls,
                self.username, sha256((self._password or "").encode()).hexdigest())

    def _connect(self):
        # A TLS context only when TLS is used: loading the system's CA store costs tens of milliseconds a send.
        if self.implicit_tls:
            connection = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout,
                                          context=ssl.create_default_context())
        else:
            connection = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        try:
            if self.starttls:
                connection.starttls(context=ssl.create_default_context())
            if self.username:
                connection.login(self.username, self._password or "")
        except BaseException:
            connection.close()
            raise
        return connection


# Open connections, one per process, thread and server, kept for the next message: a new one costs the TCP (and TLS)
# handshake, the greeting, EHLO, STARTTLS and AUTH, more round trips than the message itself (issue 8's bench: the
# worker's emails per second). One idle longer than KEEP_IDLE_SECONDS is closed rather than reused, well before
# servers drop idle clients (RFC 5321 asks them to wait at least 5 minutes); the pid keeps a forked child off its
# parent's socket.
KEEP_IDLE_SECONDS = 60.0
_kept = {}  # key → (connection, monotonic time of its last message)
_kept_lock = threading.Lock()


def _take_kept(key):
    """The kept connection for `key` when it is still usable, else None (a stale one is closed)."""
    with _kept_lock:
        connection, used_at = _kept.pop(key, (None, 0.0))
    if connection is None:
        return None
    if time.monotonic() - used_at <= KEEP_IDLE_SECONDS and _still_open(connection):
        return connection
    _close(connection)
    return None


def _keep(key, connection):
    with _kept_lock:
        _kept[key] = (connection, time.monotonic())


def _still_open(connection):
    """False when the server has closed the connection (or said something unasked, such as a 421 before closing).
    An idle SMTP connection has nothing to read, so this looks without a round trip."""
    sock = connection.sock
    if sock is None:
        return False
    try:
        readable, _, _ = select.select([sock], [], [], 0)
    except (OSError, ValueError):
        return False
    return not readable


def _close(connection):
    try:
        connection.close()
    except OSError:
        pass


@atexit.register
def close_kept():
    """Say goodbye (QUIT) on every kept connection of this process; run at exit."""
    with _kept_lock:
        kept = [connection for key, (connection, _) in _kept.items() if key[0] == os.getpid()]
        _kept.clear()
    for connection in kept:
        try:
            connection.quit()
        except (smtplib.SMTPException, OSError):
            _close(connection)


class FileMailer(Mailer):
    """Writes each message to MAIL_DIR as `<time>-<id>.eml` (open it with any mail program)."""

    def __init__(self, directory):
        self.directory = Path(directory)

    def __repr__(self):
        return f"FileMailer({str(self.directory)!r})"

    def send(self, message):
        """Write the message atomically (a temporary file renamed into place), so a reader never sees half."""
        key = sha256(str(message.get("Message-ID", "")).encode()).hexdigest()[:16]
        path = self.directory / f"{clock.utcnow():%Y%m%dT%H%M%S}-{key}.eml"
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.directory, suffix=".part")
            with os.fdopen(handle, "wb") as stream:
                stream.write(message.as_bytes())
            os.replace(temporary, path)
        except OSError as error:
            raise MailTemporaryError(f"could not write the email to {self.directory}: {error.strerror}") from None
        log.info("email %s written to %s (no SMTP_URL set)", message.get("Message-ID", "?"), path)


_ABOUT_US = {
    smtplib.SMTPConnectError: "the server refused the connection",
    smtplib.SMTPHeloError: "the server refused our greeting",
    smtplib.SMTPAuthenticationError: "the server refused the login",
    smtplib.SMTPSenderRefused: "the server refused the sender address",
}


def _translate(error, what):
    """One SMTP or socket failure → MailTemporaryError or MailPermanentError with the server's reply."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        code, reply = next(iter(error.recipients.values()))
        return _by_code(code, reply, recipient_refused=True)
    if type(error) in _ABOUT_US:
        # The greeting, HELO, login or our sender address was refused: that says nothing about this
        # message and holds for every email until the setup is fixed, so keep the message for then.
        return MailTemporaryError(f"{_ABOUT_US[type(error)]} ({_text(error.smtp_error)}); check SMTP_URL "
                                  "and MAIL_FROM", error.smtp_code)
    if isinstance(error, smtplib.SMTPResponseException):  # the recipient (RCPT) or the content (DATA)
        return _by_code(error.smtp_code, error.smtp_error)
    if isinstance(error, (socket.timeout, TimeoutError)):
        return MailTemporaryError(f"{what}: timed out")
    if isinstance(error, ssl.SSLError):
        return MailTemporaryError(f"{what}: TLS failed ({error.reason or error.__class__.__name__})")
    if isinstance(error, smtplib.SMTPException):  # disconnected, STARTTLS not offered, …
        return MailTemporaryError(f"{what}: {error}")
    return MailTemporaryError(f"{what}: {error.strerror or error.__class__.__name__}")


def _by_code(code, reply, recipient_refused=False):
    error_class = MailPermanentError if 500 <= code < 600 else MailTemporaryError
    return error_class(_text(reply), code, recipient_refused)


def _text(reply):
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)


def _flag(query, name):
    values = query.get(name)
    if not values:
        return False
    word = values[-1].strip().lower()
    if word in _TRUE | _FALSE:
        return word in _TRUE
    raise MailConfigError(f"SMTP_URL option {name} must be 1 or 0")


def _seconds(query):
    values = query.get("timeout")
    if not values:
        return DEFAULT_TIMEOUT
    try:
        seconds = float(values[-1])
    except ValueError:
        raise MailConfigError("SMTP_URL option timeout must be a number of seconds") from None
    if seconds <= 0:
        raise MailConfigError("SMTP_URL option timeout must be more than 0")
    return seconds
