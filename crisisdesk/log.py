"""One log format for web, worker and CLI, with secrets scrubbed from every message."""
import json
import logging
import re
from datetime import datetime, timezone

# (pattern, replacement): each keeps what helps reading the log and masks the secret part.
SECRET_PATTERNS = [
    (re.compile(r"whsec_[A-Za-z0-9+/=]+"), "whsec_***"),
    (re.compile(r"(?i)(password|secret|token|consumer_secret|authorization)(['\"]?\s*[:=]\s*['\"]?)[^\s'\",}&]+"),
     r"\1\2***"),
    (re.compile(r"(?i)(://[^:/\s]+:)[^@\s]+@"), r"\1***@"),
    # WooCommerce OAuth 1.0a query strings and query-string keys.
    (re.compile(r"(oauth_(?:consumer_key|signature|nonce)=)[^&\s]+"), r"\1***"),
    (re.compile(r"(consumer_key=)[^&\s]+"), r"\1***"),
]


class ScrubSecrets(logging.Filter):
    """Replaces shared secrets, passwords, API keys and URL credentials in log records with ***."""

    def filter(self, record):
        record.msg, record.args = scrub(record.getMessage()), None
        return True


class JsonLines(logging.Formatter):
    """One JSON object per line (LOG_FORMAT=json), for log shippers: time, level, logger, message, and the
    exception's traceback when there is one. The message is already scrubbed (ScrubSecrets runs first)."""

    def format(self, record):
        entry = {"time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
                 "level": record.levelname, "logger": record.name, "message": record.getMessage(),
                 "process": record.process}
        if record.exc_info:
            entry["exception"] = scrub(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False)


def scrub(text):
    for pattern, replacement in SECRET_PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def log_handler(log_format, stream=None):
    """The handler the service logs through (stderr unless `stream`): text or JSON lines, secrets scrubbed."""
    handler = logging.StreamHandler(stream)
    if log_format == "json":
        handler.setFormatter(JsonLines())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(ScrubSecrets())
    return handler


def configure_logging(app):
    if getattr(configure_logging, "done", False):
        return
    handler = log_handler(app.config.get("LOG_FORMAT"))
    # urllib3 logs each URL it calls at DEBUG, WooCommerce's OAuth query string included; scrubbed on the logger
    # itself, the record is clean for any handler, also one an operator adds to the root logger to debug.
    logging.getLogger("urllib3.connectionpool").addFilter(ScrubSecrets())
    root = logging.getLogger("crisisdesk")
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    root.propagate = False
    configure_logging.done = True
