"""domain.priority: the score, level and reasons that order the inbox."""
from decimal import Decimal

from crisisdesk.domain.priority import PriorityFacts, assess, is_lost_package, level_for


def review(causes, rating=1, **facts):
    return PriorityFacts(rating=rating, causes=tuple(causes), public=True, **facts)


def test_a_security_incident_outranks_a_late_delivery():
    security, late = assess(review(["security_or_fraud"])), assess(review(["late_delivery"]))
    assert security.score > late.score
    assert security.level == "urgent" and late.level == "high"
    assert security.reasons[0] == "Security or fraud"


def test_a_lost_package_outranks_a_merely_late_one():
    lost = assess(review(["late_delivery"], lost_package=True))
    late = assess(review(["late_delivery"]))
    assert lost.score > late.score
    assert "Lost package" in lost.reasons


def test_order_value_and_a_repeat_buyer_raise_the_score():
    plain = assess(review(["damaged_or_defective"], rating=2))
    big = assess(review(["damaged_or_defective"], rating=2, order_total=Decimal("620.00"), currency="PLN"))
    loyal = assess(review(["damaged_or_defective"], rating=2, repeat_buyer=True))
    assert big.score > plain.score and loyal.score > plain.score
    assert "order value 620.00 PLN" in big.reasons and "repeat buyer" in loyal.reasons


def test_a_bigger_order_weighs_more_than_a_small_one():
    small = assess(review(["other"], order_total=Decimal("120")))
    large = assess(review(["other"], order_total=Decimal("900")))
    assert large.score > small.score


def test_a_public_review_weighs_more_than_a_private_complaint_with_the_same_facts():
    public = assess(PriorityFacts(rating=None, causes=("refund_or_payment",), public=True))
    private = assess(PriorityFacts(rating=None, causes=("refund_or_payment",), public=False))
    assert public.score > private.score
    assert "complaint entered by hand" in private.reasons and "public review" not in private.reasons


def test_escalation_raises_the_level():
    calm = assess(review(["price_or_hidden_fees"], rating=3))
    escalated = assess(review(["price_or_hidden_fees"], rating=3, escalation_level=3))
    assert calm.level in ("low", "normal") and escalated.level in ("high", "urgent")
    assert "SLA escalation level 3" in escalated.reasons


def test_worse_ratings_weigh_more():
    assert assess(review([], rating=1)).score > assess(review([], rating=2)).score > assess(review([], rating=3)).score


def test_a_security_incident_is_never_below_high():
    quiet = assess(PriorityFacts(rating=5, causes=("security_or_fraud",)))
    assert quiet.level == "high"


def test_levels_follow_the_documented_thresholds():
    assert [level_for(s) for s in (80, 79, 55, 54, 30, 29)] == ["urgent", "high", "high", "normal", "normal", "low"]


def test_it_recognises_a_lost_parcel_in_polish_english_and_latvian_evidence():
    assert is_lost_package(["zaginęła"]) and is_lost_package(["nie dotarła"])
    assert is_lost_package(["lost"]) and is_lost_package(["never arrived"]) and is_lost_package(["pazudusi"])
    assert not is_lost_package(["opóźniono", "late", "delayed"])
