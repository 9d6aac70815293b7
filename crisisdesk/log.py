"""One log format for web, worker and CLI, with secrets scrubbed from every message."""
import logging
import re

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
        message = record.getMessage()
        for pattern, replacement in SECRET_PATTERNS:
            message = pattern.sub(replacement, message)
        record.msg, record.args = message, None
        return True


def configure_logging(app):
    if getattr(configure_logging, "done", False):
        return
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(ScrubSecrets())
    root = logging.getLogger("crisisdesk")
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    root.propagate = False
    configure_logging.done = True
