"""Connect shops, rotate their shared secrets, change their settings."""
from decimal import Decimal
from urllib.parse import urlparse

from crisisdesk.domain.case_rules import validate_thresholds
from crisisdesk.domain.errors import Invalid, NotFound
from crisisdesk.domain.roles import Role
from crisisdesk.domain.sla import validate_hours
from crisisdesk.extensions import db
from crisisdesk.models import Shop, ShopSecret, new_shared_secret
from crisisdesk.services import audit
from crisisdesk.services.access import get_shop

SUPPORTED_LANGUAGES = ("en", "pl", "lv")
SETTING_FIELDS = ("first_response_hours", "apology_hours", "update_hours",
                  "case_max_rating", "negative_text_max_rating", "language", "timezone")


def create_shop(name, url, actor, language="en", timezone="UTC"):
    """A new shop with a fresh shared secret; returns (shop, secret). The secret is shown only now."""
    name = (name or "").strip()
    if not name:
        raise Invalid("the shop needs a name", "name")
    url = _validate_url(url)
    shop = Shop(name=name, url=url, language=_validate_language(language), timezone=_validate_timezone(timezone))
    secret = new_shared_secret()
    shop.secrets.append(ShopSecret(value=secret))
    db.session.add(shop)
    audit.record(actor, "shop.created", shop, name=name, url=url)
    db.session.commit()
    return shop, secret


def rotate_secret(user, shop_id, actor, grace_hours):
    """Issue a new secret; the old one keeps verifying for `grace_hours` so the bridge can be updated."""
    shop = get_shop(user, shop_id, Role.OWNER)
    for old in shop.active_secrets():
        if old.expires_at is None:
            old.retire(grace_hours)
    secret = new_shared_secret()
    shop.secrets.insert(0, ShopSecret(value=secret))
    audit.record(actor, "shop.secret_rotated", shop, grace_hours=grace_hours)
    db.session.commit()
    return secret


def update_settings(user, shop_id, actor, **values):
    """Change SLA targets, case thresholds, language or time zone; every change is audited."""
    shop = get_shop(user, shop_id, Role.OWNER)
    unknown = set(values) - set(SETTING_FIELDS)
    if unknown:
        raise Invalid(f"unknown setting {sorted(unknown)[0]}", sorted(unknown)[0])
    for name in ("first_response_hours", "apology_hours", "update_hours"):
        if name in values:
            problem = validate_hours(name, values[name])
            if problem:
                raise Invalid(problem, name)
    problem = validate_thresholds(values.get("case_max_rating", shop.case_max_rating),
                                  values.get("negative_text_max_rating", shop.negative_text_max_rating))
    if problem:
        raise Invalid(f"{problem[0]} {problem[1]}", problem[0])
    if "language" in values:
        _validate_language(values["language"])
    if "timezone" in values:
        _validate_timezone(values["timezone"])
    changes = {k: [getattr(shop, k), v] for k, v in values.items() if getattr(shop, k) != v}
    for key, (_, new) in changes.items():
        setattr(shop, key, new)
    if changes:
        audit.record(actor, "shop.settings_changed", shop, changes=changes)
    db.session.commit()
    return shop


def update_setting(user, shop_id, actor, name, value, problem, action):
    """Change the one setting `name` of a shop to `value` (owners only); `problem` is the caller's rule's verdict on
    the value (an error message, or None). Audited as `action` when it changes."""
    shop = get_shop(user, shop_id, Role.OWNER)
    if problem:
        raise Invalid(problem, name)
    if getattr(shop, name) != value:
        audit.record(actor, action, shop, changes={name: [getattr(shop, name), value]})
        setattr(shop, name, value)
    db.session.commit()
    return shop


def find_shop(shop_id):
    shop = db.session.get(Shop, shop_id)
    if shop is None:
        raise NotFound("no such shop")
    return shop


def _validate_url(url):
    url = (url or "").strip().rstrip("/")
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise Invalid("the shop URL must start with http:// or https://", "url")
    return url


def _validate_language(language):
    if language not in SUPPORTED_LANGUAGES:
        raise Invalid(f"language must be one of {', '.join(SUPPORTED_LANGUAGES)}", "language")
    return language


def _validate_timezone(name):
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise Invalid(f"unknown time zone {name!r}", "timezone") from None
    return name


MAX_APPROVAL_THRESHOLD = 1_000_000


def update_compensation_settings(user, shop_id, actor, approval_threshold, coupon_validity_days):
    """The amount above which a second owner must approve, and how long discount codes last."""
    shop = get_shop(user, shop_id, Role.OWNER)
    threshold = Decimal(approval_threshold)
    if not Decimal("0") <= threshold <= MAX_APPROVAL_THRESHOLD or threshold != threshold.quantize(Decimal("0.01")):
        raise Invalid(f"the threshold is an amount from 0 to {MAX_APPROVAL_THRESHOLD}", "approval_threshold")
    if not 1 <= coupon_validity_days <= 365:
        raise Invalid("codes last from 1 to 365 days", "coupon_validity_days")
    before = {"approval_threshold": str(shop.approval_threshold), "coupon_validity_days": shop.coupon_validity_days}
    shop.approval_threshold, shop.coupon_validity_days = threshold, coupon_validity_days
    audit.record(actor, "shop.compensation_settings_changed", shop, before=before,
                 after={"approval_threshold": str(threshold), "coupon_validity_days": coupon_validity_days})
    db.session.commit()
    return shop


FOLLOW_UP_FIELDS = ("follow_up_days", "reminder_days", "recovery_window_days", "quiet_hours_start",
                    "quiet_hours_end", "email_from_name", "reply_to_email")
# (least, most) for each number; the form shows the same bounds.
FOLLOW_UP_RANGES = {"follow_up_days": (1, 60), "reminder_days": (1, 30), "recovery_window_days": (7, 365),
                    "quiet_hours_start": (0, 23), "quiet_hours_end": (0, 23)}


def update_follow_up_settings(user, shop_id, actor, **values):
    """When follow-up emails go out, how long a customer may take to come back, and who the emails are from."""
    shop = get_shop(user, shop_id, Role.OWNER)
    unknown = set(values) - set(FOLLOW_UP_FIELDS)
    if unknown:
        raise Invalid(f"unknown setting {sorted(unknown)[0]}", sorted(unknown)[0])
    merged = {name: values.get(name, getattr(shop, name)) for name in FOLLOW_UP_FIELDS}
    for name, (least, most) in FOLLOW_UP_RANGES.items():
        if type(merged[name]) is not int or not least <= merged[name] <= most:  # noqa: E721 (True is an int)
            raise Invalid(f"must be a whole number from {least} to {most}", name)
    if merged["recovery_window_days"] <= merged["follow_up_days"] + merged["reminder_days"]:
        # Otherwise the window closes before the customer has even read the reminder.
        raise Invalid("must be longer than the follow-up and reminder delays together", "recovery_window_days")
    merged["email_from_name"] = _header_text(merged["email_from_name"], "email_from_name", 200)
    merged["reply_to_email"] = _optional_email(merged["reply_to_email"], "reply_to_email")
    changes = {k: [getattr(shop, k), v] for k, v in merged.items() if getattr(shop, k) != v}
    for key, (_, new) in changes.items():
        setattr(shop, key, new)
    if changes:
        audit.record(actor, "shop.follow_up_settings_changed", shop, changes=changes)
    db.session.commit()
    return shop


def _header_text(value, field, most):
    value = (value or "").strip()
    if len(value) > most:
        raise Invalid(f"must be at most {most} characters", field)
    if any(ch in value for ch in "\r\n\0"):  # it goes into the From header: no header injection
        raise Invalid("must be on one line", field)
    return value


def _optional_email(value, field):
    from email_validator import EmailNotValidError, validate_email

    value = _header_text(value, field, 254)
    if not value:
        return ""
    try:
        return validate_email(value, check_deliverability=False).normalized
    except EmailNotValidError:
        raise Invalid("must be a valid email address, or empty", field) from None
