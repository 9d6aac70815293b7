"""A connected WooCommerce shop, its settings and its shared secrets."""
import base64
import secrets
from datetime import timedelta

from crisisdesk import clock
from crisisdesk.extensions import db
from crisisdesk.models.types import UTCDateTime, utc_now

SECRET_PREFIX = "whsec_"


def new_shared_secret():
    """A Standard Webhooks secret: `whsec_` + base64 of 32 random bytes."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode("ascii")


class Shop(db.Model):
    __tablename__ = "shops"

    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(200), nullable=False)
    url = db.Column(db.String(500), nullable=False)
    language = db.Column(db.String(8), nullable=False, default="en")
    timezone = db.Column(db.String(64), nullable=False, default="UTC")
    created_at = db.Column(UTCDateTime, nullable=False, default=utc_now)

    # Case rules and SLA targets (SPEC section 2 defaults; each shop may change them).
    case_max_rating = db.Column(db.Integer, nullable=False, default=2)
    negative_text_max_rating = db.Column(db.Integer, nullable=False, default=3)
    first_response_hours = db.Column(db.Integer, nullable=False, default=24)
    apology_hours = db.Column(db.Integer, nullable=False, default=48)
    update_hours = db.Column(db.Integer, nullable=False, default=72)
    # A negative review held for moderation in WordPress longer than this raises a warning (services/moderation_watch).
    moderation_warning_hours = db.Column(db.Integer, nullable=False, default=24)

    # Orders still processing or on hold this long after payment are flagged as at risk (domain/at_risk.py).
    promised_dispatch_hours = db.Column(db.Integer, nullable=False, default=48)

    last_event_at = db.Column(UTCDateTime)

    # WooCommerce REST API access (keys encrypted at rest; see integrations/secret_box.py).
    woo_url = db.Column(db.String(500))  # when the REST API lives elsewhere than `url`
    woo_key_encrypted = db.Column(db.Text)
    woo_secret_encrypted = db.Column(db.Text)
    woo_key_hint = db.Column(db.String(20))  # last characters of the key, to recognise it

    # Compensation safety and defaults.
    approval_threshold = db.Column(db.Numeric(12, 2), nullable=False, default=200)
    coupon_validity_days = db.Column(db.Integer, nullable=False, default=30)

    # Follow-up emails and recovery tracking.
    follow_up_days = db.Column(db.Integer, nullable=False, default=7)  # after resolution
    reminder_days = db.Column(db.Integer, nullable=False, default=5)  # after the follow-up, if nothing happened
    recovery_window_days = db.Column(db.Integer, nullable=False, default=90)
    quiet_hours_start = db.Column(db.Integer, nullable=False, default=21)  # local hour; no sends from here…
    quiet_hours_end = db.Column(db.Integer, nullable=False, default=8)  # …until here
    email_from_name = db.Column(db.String(200), nullable=False, default="")  # empty: the shop's name
    reply_to_email = db.Column(db.String(254), nullable=False, default="")

    # Post-purchase review requests (domain/review_requests.py): off until the owner switches them on.
    review_requests_enabled = db.Column(db.Boolean, nullable=False, default=False)
    review_request_days = db.Column(db.Integer, nullable=False, default=7)  # after the order's completion
    # When they were last switched on: only orders completed since then are asked about.
    review_requests_enabled_at = db.Column(UTCDateTime)

    # Months after a case ended before its personal data is anonymised (domain/retention.py); None: kept.
    retention_months = db.Column(db.Integer)

    # Backfill (resumable: the next page to fetch) and reconciliation ("modified since").
    backfill_state = db.Column(db.String(20), nullable=False, default="never")  # never|running|done|failed
    backfill_orders_page = db.Column(db.Integer, nullable=False, default=1)
    backfill_reviews_page = db.Column(db.Integer, nullable=False, default=1)
    backfill_error = db.Column(db.Text)
    orders_synced_at = db.Column(UTCDateTime)
    reviews_synced_at = db.Column(UTCDateTime)

    secrets = db.relationship("ShopSecret", back_populates="shop", order_by="ShopSecret.id.desc()",
                              cascade="all, delete-orphan")

    @property
    def has_woo_keys(self):
        return bool(self.woo_key_encrypted and self.woo_secret_encrypted)

    @property
    def rest_url(self):
        return self.woo_url or self.url

    def active_secrets(self, now=None):
        """Secrets that verify signatures now: the current one and any still in its rotation grace."""
        now = now or clock.utcnow()
        return [s for s in self.secrets if s.expires_at is None or s.expires_at > now]

    def current_secret(self):
        """The secret the service signs with (the newest one)."""
        return next(s for s in self.secrets if s.expires_at is None)


class ShopSecret(db.Model):
    """A shared secret; two can be valid at once while a rotation is rolled out to the bridge."""

    __tablename__ = "shop_secrets"

    id = db.Column(db.Integer, primary_key=True)
    shop_id = db.Column(db.Integer, db.ForeignKey("shops.id", ondelete="CASCADE"), nullable=False, index=True)
    value = db.Column(db.String(100), nullable=False)
    created_at = db.Column(UTCDateTime, nullable=False, default=utc_now)
    expires_at = db.Column(UTCDateTime)

    shop = db.relationship("Shop", back_populates="secrets")

    def retire(self, grace_hours, now=None):
        self.expires_at = (now or clock.utcnow()) + timedelta(hours=grace_hours)

    @property
    def hint(self):
        """Enough of the secret to recognise it, never enough to use it."""
        return f"{self.value[:10]}…{self.value[-4:]}"
