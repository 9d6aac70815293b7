"""The shop's editable suggestion table (cause × order value → remedy); the defaults until it is edited."""
from decimal import Decimal

from crisisdesk.domain import compensation_policy as policy
from crisisdesk.domain.causes import CAUSES
from crisisdesk.domain.errors import Invalid
from crisisdesk.domain.roles import Role
from crisisdesk.extensions import db
from crisisdesk.models import PolicyRule
from crisisdesk.services import audit
from crisisdesk.services.access import get_shop

MAX_RULES = 100


def rules_for(user, shop_id):
    """The shop's rules as domain PolicyRules (the defaults while the shop has none of its own)."""
    shop = get_shop(user, shop_id, Role.AGENT)
    rows = PolicyRule.query.filter_by(shop_id=shop.id).order_by(PolicyRule.cause, PolicyRule.min_order_value).all()
    if not rows:
        return list(policy.DEFAULT_POLICY), True
    return [policy.PolicyRule(r.cause, Decimal(r.min_order_value), r.remedy, r.percent, r.note) for r in rows], False


def save_rules(user, shop_id, rules, actor):
    """Replace the shop's table with `rules` (domain PolicyRules); raises Invalid naming the row."""
    shop = get_shop(user, shop_id, Role.OWNER)
    if len(rules) > MAX_RULES:
        raise Invalid(f"keep the table under {MAX_RULES} rows", "rules")
    for number, rule in enumerate(rules, start=1):
        _check(number, rule)
    PolicyRule.query.filter_by(shop_id=shop.id).delete()
    for rule in rules:
        db.session.add(PolicyRule(shop_id=shop.id, cause=rule.cause, min_order_value=rule.min_order_value,
                                  remedy=rule.remedy, percent=rule.percent, note=rule.note))
    audit.record(actor, "shop.policy_saved", shop, rules=len(rules))
    db.session.commit()


def _check(number, rule):
    if rule.cause not in CAUSES:
        raise Invalid(f"row {number}: unknown cause", "rules")
    if rule.remedy not in policy.REMEDIES:
        raise Invalid(f"row {number}: the remedy is a refund, a replacement or a coupon", "rules")
    if rule.min_order_value < 0:
        raise Invalid(f"row {number}: the order value cannot be negative", "rules")
    limit = 100 if rule.remedy == "refund" else 50
    if rule.remedy != "replacement" and not 1 <= rule.percent <= limit:
        raise Invalid(f"row {number}: the percent is from 1 to {limit}", "rules")
