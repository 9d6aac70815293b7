"""The shop's WooCommerce REST API: its keys (encrypted at rest) and a client to call it with."""
from urllib.parse import urlparse

from flask import current_app

from crisisdesk.domain.errors import Invalid
from crisisdesk.domain.roles import Role
from crisisdesk.extensions import db, redis_connection
from crisisdesk.integrations.secret_box import SecretBox, SecretBoxError
from crisisdesk.integrations.woocommerce_api import WooClient
from crisisdesk.services import audit
from crisisdesk.services.access import get_shop


def secret_box():
    """The app's SecretBox: CRISISDESK_ENCRYPTION_KEYS first (rotation), a key derived from SECRET_KEY last."""
    config = current_app.config
    return SecretBox.from_settings(config.get("ENCRYPTION_KEYS", ""), config["SECRET_KEY"])


class NoWooKeys(Invalid):
    """The shop has no WooCommerce API keys yet."""


def client_for(shop):
    """A WooClient for `shop`, bounded per shop across every worker through Redis."""
    if not shop.has_woo_keys:
        raise NoWooKeys("add the shop's WooCommerce API keys in its settings first", "woo_key")
    box = secret_box()
    try:
        key, secret = box.decrypt(shop.woo_key_encrypted), box.decrypt(shop.woo_secret_encrypted)
    except SecretBoxError:
        raise NoWooKeys("the stored WooCommerce keys cannot be read (the encryption key changed); "
                        "enter them again in the shop's settings", "woo_key") from None
    config = current_app.config
    return WooClient(shop.rest_url, key, secret,
                     timeout=config["WOO_TIMEOUT_SECONDS"], max_concurrency=config["WOO_MAX_CONCURRENCY"],
                     redis=redis_connection(), shop_key=f"shop:{shop.id}")


def save_keys(user, shop_id, consumer_key, consumer_secret, actor, rest_url=""):
    """Store new API keys, encrypted; they are never shown again (the panel shows a hint)."""
    shop = get_shop(user, shop_id, Role.OWNER)
    consumer_key, consumer_secret = (consumer_key or "").strip(), (consumer_secret or "").strip()
    if not consumer_key.startswith("ck_") or len(consumer_key) < 10:
        raise Invalid("a WooCommerce consumer key starts with ck_", "consumer_key")
    if not consumer_secret.startswith("cs_") or len(consumer_secret) < 10:
        raise Invalid("a WooCommerce consumer secret starts with cs_", "consumer_secret")
    rest_url = (rest_url or "").strip().rstrip("/")
    if rest_url and (urlparse(rest_url).scheme not in ("http", "https") or not urlparse(rest_url).netloc):
        raise Invalid("the REST address must start with http:// or https://", "rest_url")
    box = secret_box()
    shop.woo_key_encrypted, shop.woo_secret_encrypted = box.encrypt(consumer_key), box.encrypt(consumer_secret)
    shop.woo_key_hint = "…" + consumer_key[-4:]
    shop.woo_url = rest_url or None
    audit.record(actor, "shop.woo_keys_saved", shop, key_hint=shop.woo_key_hint, rest_url=shop.rest_url)
    db.session.commit()
    return shop


def test_connection(user, shop_id):
    """Ask WooCommerce for one order with the stored keys; returns a sentence for the owner."""
    shop = get_shop(user, shop_id, Role.OWNER)
    client_for(shop).ping()
    return f"Connected to {shop.rest_url}: the keys work."
