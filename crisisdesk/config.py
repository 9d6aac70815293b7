"""Configuration: defaults, then `.env`, then the environment, then test overrides.

Nothing here runs at import time; `load_config()` is called by `create_app`.
Parsing is strict: an unknown boolean or a non-numeric integer is an error at
start-up, not a surprise later.
"""
import os
import secrets
from datetime import timedelta
from pathlib import Path

from dotenv import dotenv_values

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}
SECRET_KEYS = {"SECRET_KEY", "DATABASE_URL", "REDIS_URL", "SMTP_URL", "ENCRYPTION_KEYS", "METRICS_TOKEN"}


class ConfigError(RuntimeError):
    """The configuration cannot be used; the message names the variable."""


def env_bool(source, name, default):
    raw = source.get(name)
    if raw is None:
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ConfigError(f"{name} must be one of {sorted(TRUE_WORDS | FALSE_WORDS - {''})}, not {raw!r}")


def env_int(source, name, default):
    raw = source.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {raw!r}") from None


def env_secret(source, name):
    """A secret from NAME, or from the file named by NAME_FILE (Docker/systemd secrets)."""
    file_name = source.get(f"{name}_FILE")
    if file_name:
        return Path(file_name).read_text().strip()
    return source.get(name)


class Settings(dict):
    """A plain dict whose repr hides secrets, so logging the config leaks nothing."""

    def __repr__(self):
        shown = {k: ("***" if k in SECRET_KEYS and v else v) for k, v in self.items()}
        return f"Settings({shown!r})"


def load_config(instance_path, overrides=None):
    """Build the app config from defaults, `.env`, the environment and overrides."""
    source = {**dotenv_values(Path.cwd() / ".env"), **os.environ}
    instance = Path(instance_path)
    testing = env_bool(source, "CRISISDESK_TESTING", False)
    environment = source.get("CRISISDESK_ENV", "development")

    secret_key = env_secret(source, "SECRET_KEY")
    if not secret_key:
        if environment == "production":
            raise ConfigError("SECRET_KEY must be set in production")
        secret_key = _development_secret(instance)

    database_url = source.get("DATABASE_URL") or f"sqlite:///{instance / 'crisisdesk.db'}"
    panel_url = (source.get("PANEL_URL") or "http://127.0.0.1:5000").rstrip("/")
    cookie_secure = env_bool(source, "SESSION_COOKIE_SECURE", panel_url.startswith("https://"))

    config = Settings(
        ENVIRONMENT=environment,
        TESTING=testing,
        SECRET_KEY=secret_key,
        SQLALCHEMY_DATABASE_URI=_normalise_database_url(database_url),
        SQLALCHEMY_ENGINE_OPTIONS=engine_options(database_url, source),
        REDIS_URL=source.get("REDIS_URL") or "",
        EMBEDDED_REDIS_PATH=str(instance / "redis.rdb"),
        SMTP_URL=source.get("SMTP_URL") or "",
        # Without SMTP_URL (the embedded default) customer emails are written as .eml files here.
        MAIL_DIR=str(instance / "mail"),
        MAIL_FROM=source.get("MAIL_FROM") or "CrisisDesk <no-reply@localhost>",
        # Links in customer emails (satisfaction, unsubscribe) stop working after this many days.
        EMAIL_LINK_MAX_AGE_DAYS=env_int(source, "EMAIL_LINK_MAX_AGE_DAYS", 90),
        PANEL_URL=panel_url,
        SESSION_COOKIE_SECURE=cookie_secure,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_SECURE=cookie_secure,
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=env_int(source, "SESSION_HOURS", 12) * 3600,
        # "Keep me logged in" lasts this long (Flask-Login's default is a year); logging out ends it everywhere.
        REMEMBER_COOKIE_DURATION=timedelta(days=env_int(source, "REMEMBER_DAYS", 30)),
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session; forms left open stay usable
        LOGIN_MAX_FAILURES=env_int(source, "LOGIN_MAX_FAILURES", 5),
        LOGIN_LOCKOUT_MINUTES=env_int(source, "LOGIN_LOCKOUT_MINUTES", 15),
        EVENT_MAX_BYTES=1024 * 1024,
        SECRET_ROTATION_GRACE_HOURS=env_int(source, "SECRET_ROTATION_GRACE_HOURS", 72),
        ENCRYPTION_KEYS=env_secret(source, "CRISISDESK_ENCRYPTION_KEYS") or "",
        WOO_TIMEOUT_SECONDS=env_int(source, "WOO_TIMEOUT_SECONDS", 20),
        BRIDGE_TIMEOUT_SECONDS=env_int(source, "BRIDGE_TIMEOUT_SECONDS", 10),  # posting a reply through the bridge
        WOO_MAX_CONCURRENCY=env_int(source, "WOO_MAX_CONCURRENCY", 4),
        METRICS_TOKEN=env_secret(source, "METRICS_TOKEN") or "",  # empty: /metrics answers loopback only
        LOG_FORMAT=_log_format(source.get("LOG_FORMAT") or "text"),
    )
    config.update(overrides or {})
    return config


def engine_options(database_url, source):
    """SQLAlchemy engine options for DATABASE_URL (`source`: the environment, for DATABASE_CONNECT_TIMEOUT)."""
    options = {"pool_pre_ping": True}
    if not database_url.startswith("sqlite"):
        # An unreachable database fails a request in seconds (a 503 the bridge retries), instead of holding a
        # web worker until the kernel gives up on the TCP connection (minutes).
        options["connect_args"] = {"connect_timeout": env_int(source, "DATABASE_CONNECT_TIMEOUT", 5)}
    return options


def _log_format(value):
    if value not in ("text", "json"):
        raise ConfigError(f"LOG_FORMAT must be text or json, not {value!r}")
    return value


def _normalise_database_url(url):
    # Heroku-style "postgres://" and plain "postgresql://" both mean psycopg 3 here.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _development_secret(instance):
    """A per-installation random key kept in the instance folder, so sessions survive restarts."""
    instance.mkdir(parents=True, exist_ok=True)
    key_file = instance / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(48))
        key_file.chmod(0o600)
    return key_file.read_text().strip()
