"""One log format for web, worker and CLI, with secrets scrubbed from every message."""
import logging
import re

SECRET_PATTERNS = [
    re.compile(r"whsec_[A-Za-z0-9+/=]+"),
    re.compile(r"(?i)(password|secret|token|consumer_secret|authorization)(['\"]?\s*[:=]\s*['\"]?)[^\s'\",}]+"),
    re.compile(r"(?i)(://[^:/\s]+:)[^@\s]+@"),
]


class ScrubSecrets(logging.Filter):
    """Replaces shared secrets, passwords and URL credentials in log records with ***."""

    def filter(self, record):
        message = record.getMessage()
        for pattern in SECRET_PATTERNS:
            message = pattern.sub(_mask, message)
        record.msg, record.args = message, None
        return True


def _mask(match):
    if match.lastindex and match.lastindex >= 2:
        return match.group(1) + match.group(2) + "***"
    if match.lastindex == 1:
        return match.group(1) + "***@"
    return "whsec_***"


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
