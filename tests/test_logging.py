"""Secrets never reach the logs."""
import logging

from crisisdesk.log import ScrubSecrets


def scrubbed(message, *args):
    record = logging.LogRecord("crisisdesk.test", logging.INFO, __file__, 1, message, args, None)
    ScrubSecrets().filter(record)
    return record.getMessage()


def test_it_masks_shared_secrets():
    line = scrubbed("verifying with %s", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
    assert "MfKQ9r8" not in line and "whsec_***" in line


def test_it_masks_passwords_and_tokens_in_key_value_text():
    line = scrubbed("login failed password=hunter2hunter2 token: abc123")
    assert "hunter2" not in line and "abc123" not in line


def test_it_masks_credentials_inside_urls():
    line = scrubbed("connecting to %s", "postgresql://app:s3cr3t@db.internal/crisisdesk")
    assert "s3cr3t" not in line and "db.internal/crisisdesk" in line


def test_it_leaves_ordinary_messages_alone():
    assert scrubbed("applied event %s for shop %s", 12, 3) == "applied event 12 for shop 3"


def test_it_hides_secrets_in_the_config_repr(tmp_path):
    from crisisdesk.config import load_config

    settings = load_config(tmp_path, {"SECRET_KEY": "very-secret-value"})
    assert "very-secret-value" not in repr(settings)


def test_it_masks_woocommerce_oauth_query_strings():
    line = scrubbed("GET /wp-json/wc/v3/orders?oauth_consumer_key=ck_abc123&oauth_signature=zzz&per_page=1")
    assert "ck_abc123" not in line and "zzz" not in line and "per_page=1" in line


def test_json_lines_carry_the_scrubbed_message_and_the_traceback():
    import json

    from crisisdesk.log import JsonLines

    try:
        raise RuntimeError("connecting to postgresql://app:s3cr3t@db.internal/crisisdesk failed")
    except RuntimeError:
        import sys

        record = logging.LogRecord("crisisdesk.jobs", logging.ERROR, __file__, 1, "job %s failed: password=%s",
                                   (7, "hunter2hunter2"), sys.exc_info())
    ScrubSecrets().filter(record)
    entry = json.loads(JsonLines().format(record))
    assert entry["level"] == "ERROR" and entry["logger"] == "crisisdesk.jobs"
    assert entry["message"] == "job 7 failed: password=***"
    assert "RuntimeError" in entry["exception"] and "s3cr3t" not in entry["exception"]
    assert entry["time"].endswith("+00:00")


def test_it_refuses_an_unknown_log_format(tmp_path, monkeypatch):
    import pytest

    from crisisdesk.config import ConfigError, load_config

    monkeypatch.setenv("LOG_FORMAT", "xml")
    with pytest.raises(ConfigError, match="LOG_FORMAT must be text or json"):
        load_config(tmp_path, {"SECRET_KEY": "k"})
