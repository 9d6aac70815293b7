"""How urgent a case is: a score that orders the inbox, a level for the badge, and the reasons in words.

Points add up from what makes a complaint costly if it waits: a worse rating, a cause that hurts
more than one customer or the shop's name (a security or fraud incident, a lost parcel), a bigger
order, a customer who buys again, a complaint other buyers can read, and SLA clocks that ran
late (each escalation level). The points are deliberately coarse and documented below, so an agent
can see why a case sits where it does; amounts are in the order's own currency (no conversion).
"""
import re
from dataclasses import dataclass
from decimal import Decimal

from crisisdesk.domain.causes import CAUSES
from crisisdesk.domain.sentiment import fold
from crisisdesk.domain.texts import N_

LEVELS = ("urgent", "high", "normal", "low")  # inbox order: urgent first
LEVEL_LABELS = {"urgent": N_("Urgent"), "high": N_("High"), "normal": N_("Normal"), "low": N_("Low")}
URGENT_FROM, HIGH_FROM, NORMAL_FROM = 80, 55, 30  # score thresholds of the levels

RATING_POINTS = {1: 30, 2: 20, 3: 10}  # 4-5★ and "no rating" add nothing from the stars
MANUAL_POINTS = 15  # a complaint entered by hand: the customer took the trouble to write or call
CAUSE_POINTS = {
    "security_or_fraud": 40,
    "late_delivery": 20,
    "refund_or_payment": 20,
    "damaged_or_defective": 15,
    "wrong_or_missing_item": 15,
    "customer_service": 10,
    "price_or_hidden_fees": 5,
    "other": 0,
}
LOST_PACKAGE_POINTS = 30  # late_delivery whose evidence says the parcel is lost or never came
EXTRA_CAUSE_POINTS, EXTRA_CAUSES_MAX = 5, 10  # each further cause, up to this much
ORDER_VALUE_POINTS = ((Decimal(500), 20), (Decimal(200), 12), (Decimal(100), 6))  # first threshold reached
REPEAT_BUYER_POINTS = 10
PUBLIC_POINTS = 10
ESCALATION_POINTS = 15  # per escalation level (raised by the SLA escalation job)

# Folded words that say a parcel is lost rather than late (pl, en, lv).
_LOST = re.compile(r"(?<!\w)(?:lost|missing parcel|never (?:arriv|came|receiv|deliver)|(?:not|n't) (?:arriv|receiv)"
                   r"|zagin|zgub|nie (?:dotar|przysz|doszl|doszed|otrzyma|dostal)|pazud|pazaud|neatnac|nepienac"
                   r"|nesanem)")


@dataclass(frozen=True)
class PriorityFacts:
    rating: int | None  # 1-5 stars; 0 or None: no rating (None: a complaint entered by hand)
    causes: tuple = ()  # main first
    lost_package: bool = False  # see is_lost_package
    order_total: Decimal | None = None
    currency: str = ""
    repeat_buyer: bool = False  # the customer has more than one order with the shop
    public: bool = False  # a review other buyers can read, not a private complaint
    escalation_level: int = 0


@dataclass(frozen=True)
class Priority:
    score: int
    level: str  # one of LEVELS
    reasons: tuple  # short, human, strongest first


def is_lost_package(evidence_texts):
    """True when any of the late-delivery evidence words says the parcel is lost or never arrived."""
    return any(_LOST.search(fold(text)) for text in evidence_texts)


def assess(facts):
    """The case's score, level and reasons; pure, so it is recomputed whenever a fact changes."""
    parts = []  # (points, reason)
    if facts.rating is None:
        parts.append((MANUAL_POINTS, "complaint entered by hand"))
    elif facts.rating in RATING_POINTS:
        parts.append((RATING_POINTS[facts.rating], f"{facts.rating}★ review"))
    parts += _cause_parts(facts)
    value = _order_value_points(facts.order_total)
    if value:
        parts.append((value, f"order value {facts.order_total:.2f}{' ' + facts.currency if facts.currency else ''}"))
    if facts.repeat_buyer:
        parts.append((REPEAT_BUYER_POINTS, "repeat buyer"))
    if facts.public:
        parts.append((PUBLIC_POINTS, "public review"))
    if facts.escalation_level > 0:
        parts.append((ESCALATION_POINTS * facts.escalation_level,
                      f"SLA escalation level {facts.escalation_level}"))
    score = sum(points for points, _ in parts)
    level = level_for(score)
    if "security_or_fraud" in facts.causes and LEVELS.index(level) > LEVELS.index("high"):
        level = "high"  # a security incident is never left in the normal pile
    reasons = tuple(reason for _, reason in sorted(parts, key=lambda p: -p[0]))
    return Priority(score=score, level=level, reasons=reasons)


def level_for(score):
    """urgent ≥ 80, high ≥ 55, normal ≥ 30, low below."""
    if score >= URGENT_FROM:
        return "urgent"
    if score >= HIGH_FROM:
        return "high"
    return "normal" if score >= NORMAL_FROM else "low"


def level_rank(level):
    """0 for urgent … 3 for low: the inbox sorts by this first."""
    return LEVELS.index(level) if level in LEVELS else LEVELS.index("normal")


def _cause_parts(facts):
    if not facts.causes:
        return []
    points = {cause: CAUSE_POINTS.get(cause, 0) for cause in facts.causes}
    if facts.lost_package and "late_delivery" in points:
        points["late_delivery"] = LOST_PACKAGE_POINTS
    strongest = max(facts.causes, key=lambda cause: points[cause])
    name = "lost package" if strongest == "late_delivery" and facts.lost_package else CAUSES.get(strongest, strongest)
    parts = [(points[strongest], name[0].upper() + name[1:])] if points[strongest] else []
    extra = min(EXTRA_CAUSES_MAX, EXTRA_CAUSE_POINTS * (len(facts.causes) - 1))
    if extra:
        parts.append((extra, f"{len(facts.causes)} causes"))
    return parts


def _order_value_points(total):
    if total is None:
        return 0
    return next((points for threshold, points in ORDER_VALUE_POINTS if Decimal(total) >= threshold), 0)
