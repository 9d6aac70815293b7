"""Working a case on the real database: classification at opening, agents' corrections and the detector's
disagreement rates, priority, and the formal complaint (reklamacja) clock."""
from datetime import date, timedelta

import pytest

from crisisdesk.domain.errors import Invalid, NotFound
from crisisdesk.extensions import db
from crisisdesk.models import AuditEntry, Case, CauseCorrection, Review
from crisisdesk.services import cases, cause_accuracy, formal_complaint, inbox
from crisisdesk.services.users import audit_actor
from tests import factories


def open_case(shop, **review):
    payload = factories.review(**review)
    factories.deliver(shop, "review.created", payload)
    return Case.query.join(Case.review).filter(Review.shop_id == shop.id, Review.remote_id == payload["id"]).one()


def as_actor(user):
    return audit_actor(user, "203.0.113.7")


def reload(case):
    db.session.expire_all()
    return db.session.get(Case, case.id)


# --- classification at opening ------------------------------------------------------------------------------

def test_it_classifies_an_inflected_polish_review_when_the_case_opens(shop_a, frozen_clock):
    case = open_case(shop_a, rating=2, text="Paczka dotarła uszkodzona, dostawę opóźniono",
                     created_at=frozen_clock.now)
    assert case.causes == case.detected_causes == ["damaged_or_defective", "late_delivery"]
    assert case.cause == "damaged_or_defective" and case.language == "pl"
    assert {(e["cause"], e["text"]) for e in case.cause_evidence} == {("damaged_or_defective", "uszkodzona"),
                                                                     ("late_delivery", "opóźniono")}
    assert case.sentiment_score == -1.0
    opened = case.events[0]
    assert opened.kind == "opened"
    assert "Damaged or defective product (from “uszkodzona”)" in opened.message
    assert "Late or lost delivery (from “opóźniono”)" in opened.message


def test_it_sets_every_opening_clock_for_a_public_review(shop_a, frozen_clock):
    shop_a.apology_hours, shop_a.update_hours = 36, 60
    db.session.commit()
    case = open_case(shop_a, rating=1, created_at=frozen_clock.now)
    assert case.first_response_due_at == frozen_clock.now + timedelta(hours=24)
    assert case.apology_due_at == frozen_clock.now + timedelta(hours=36)
    assert case.next_update_due_at == frozen_clock.now + timedelta(hours=60)


def test_it_finds_causes_in_a_mixed_language_review(shop_a):
    case = open_case(shop_a, rating=1, text="Przesyłka nie dotarła, tracking says delivered. Someone used my card!")
    assert set(case.causes) == {"late_delivery", "security_or_fraud"}
    assert case.language == "pl"


def test_a_three_star_nie_polecam_opens_a_negative_case(shop_a):
    case = open_case(shop_a, rating=3, text="nie polecam")
    assert case.sentiment_score < 0 and case.causes == ["other"]


def test_a_three_star_positive_review_still_opens_no_case(shop_a):
    factories.deliver(shop_a, "review.created", factories.review(rating=3, text="Great kettle, fast delivery"))
    assert Case.query.count() == 0


def test_a_complaint_entered_by_hand_is_classified_and_owes_no_public_apology(shop_a, agent, frozen_clock):
    case = cases.open_manual_case(agent, shop_a.id, as_actor(agent), "email", "ann@example.com", "Ann",
                                  "Someone used my card after I ordered here, my account was hacked")
    assert case.causes[0] == "security_or_fraud" and case.language == "en"
    assert case.apology_due_at is None
    assert case.next_update_due_at == frozen_clock.now + timedelta(hours=72)
    assert case.priority in ("high", "urgent") and "complaint entered by hand" in case.priority_reasons
    assert "Detected cause" in case.events[0].message


def test_an_edited_review_is_classified_again_unless_an_agent_corrected_it(shop_a, agent):
    payload = factories.review(rating=1, text="Arrived broken.")
    factories.deliver(shop_a, "review.created", payload)
    case = Case.query.one()
    factories.deliver(shop_a, "review.updated", {**payload, "review": "Still waiting, the parcel is lost."})
    case = reload(case)
    assert case.causes == case.detected_causes == ["late_delivery"]
    assert "Late or lost delivery" in case.events[-1].message
    cases.correct_causes(agent, case.id, ["wrong_or_missing_item"], as_actor(agent))
    factories.deliver(shop_a, "review.updated", {**payload, "review": "Arrived broken again."})
    case = reload(case)
    assert case.causes == ["wrong_or_missing_item"]  # the agent's word stands
    assert case.detected_causes == ["late_delivery"]


# --- corrections ---------------------------------------------------------------------------------------------

def test_an_agent_corrects_the_causes_main_first_and_the_correction_is_kept(shop_a, agent):
    case = open_case(shop_a, rating=1, text="Arrived broken.")
    cases.correct_causes(agent, case.id, ["wrong_or_missing_item", "damaged_or_defective"], as_actor(agent))
    case = reload(case)
    assert case.causes == ["wrong_or_missing_item", "damaged_or_defective"]
    assert case.cause == "wrong_or_missing_item"
    [correction] = CauseCorrection.query.all()
    assert (correction.detected, correction.corrected, correction.language, correction.actor_id) == (
        ["damaged_or_defective"], ["wrong_or_missing_item", "damaged_or_defective"], "en", agent.id)
    entry = AuditEntry.query.filter_by(action="case.causes_corrected").one()
    assert entry.details["after"] == ["wrong_or_missing_item", "damaged_or_defective"]
    assert case.events[-1].kind == "cause" and case.events[-1].actor_id == agent.id


def test_confirming_what_the_detector_said_records_no_correction(shop_a, agent):
    case = open_case(shop_a, rating=1, text="Arrived broken.")
    cases.correct_causes(agent, case.id, ["late_delivery"], as_actor(agent))
    cases.correct_causes(agent, case.id, ["damaged_or_defective"], as_actor(agent))
    assert CauseCorrection.query.count() == 1  # only the change away from the detector's answer


@pytest.mark.parametrize("causes", [[], ["not_a_cause"]])
def test_it_refuses_an_empty_or_unknown_correction(shop_a, agent, causes):
    case = open_case(shop_a, rating=1)
    with pytest.raises(Invalid) as raised:
        cases.correct_causes(agent, case.id, causes, as_actor(agent))
    assert raised.value.field == "causes"
    assert CauseCorrection.query.count() == 0


def test_a_viewer_or_an_outsider_cannot_correct_causes(shop_a, viewer, outsider):
    from crisisdesk.domain.errors import Forbidden

    case = open_case(shop_a, rating=1)
    with pytest.raises(Forbidden):
        cases.correct_causes(viewer, case.id, ["other"], as_actor(viewer))
    with pytest.raises(NotFound):
        cases.correct_causes(outsider, case.id, ["other"], as_actor(outsider))


def test_disagreement_rates_per_cause_and_language(shop_a, agent, viewer):
    broken = open_case(shop_a, rating=1, text="Arrived broken.")
    open_case(shop_a, rating=1, text="The kettle leaks.")
    late = open_case(shop_a, rating=1, text="Paczka dotarła z opóźnieniem, spóźniona o tydzień")
    cases.correct_causes(agent, broken.id, ["wrong_or_missing_item"], as_actor(agent))
    cases.correct_causes(agent, late.id, ["late_delivery", "customer_service"], as_actor(agent))
    report = cause_accuracy.disagreement_rates(agent, shop_a.id)
    by_cause = {r.key: r for r in report.by_cause}
    by_language = {r.key: r for r in report.by_language}
    assert (report.classified, report.changed) == (3, 2)
    assert (by_cause["damaged_or_defective"].classified, by_cause["damaged_or_defective"].changed) == (2, 1)
    assert by_cause["damaged_or_defective"].rate == 0.5
    assert by_cause["late_delivery"].rate == 1.0
    assert by_cause["wrong_or_missing_item"].missed == 1 and by_cause["customer_service"].missed == 1
    assert by_cause["security_or_fraud"].rate is None
    assert (by_language["en"].classified, by_language["en"].changed) == (2, 1)
    assert (by_language["pl"].classified, by_language["pl"].changed) == (1, 1)
    from crisisdesk.domain.errors import Forbidden

    with pytest.raises(Forbidden):
        cause_accuracy.disagreement_rates(viewer, shop_a.id)


def test_undoing_a_correction_no_longer_counts_as_a_disagreement(shop_a, agent):
    case = open_case(shop_a, rating=1, text="Arrived broken.")
    cases.correct_causes(agent, case.id, ["other"], as_actor(agent))
    cases.correct_causes(agent, case.id, ["damaged_or_defective"], as_actor(agent))
    assert cause_accuracy.disagreement_rates(agent, shop_a.id).changed == 0


# --- priority -------------------------------------------------------------------------------------------------

def test_a_security_case_is_listed_above_a_late_delivery_case(shop_a, agent):
    late = open_case(shop_a, rating=1, text="The delivery was late by a week.")
    security = open_case(shop_a, rating=1, text="Someone used my card, my account was hacked.")
    assert security.causes[0] == "security_or_fraud" and late.causes == ["late_delivery"]
    assert security.priority_score > late.priority_score
    page = inbox.list_cases(agent, inbox.InboxFilters())
    assert [c.id for c in page.items] == [security.id, late.id]


def test_order_value_and_repeat_buyer_raise_the_priority(shop_a, agent):
    case = open_case(shop_a, rating=2, text="The kettle leaks.", email="ann@example.com")
    before = case.priority_score
    first = factories.order(email="ann@example.com", items=[(1, 10, "Kettle", 1, 650.0)])
    factories.deliver(shop_a, "order.created", first)
    from crisisdesk.models import Order

    order = Order.query.filter_by(remote_id=first["id"]).one()
    cases.link_order(agent, case.id, order.id, as_actor(agent))
    case = reload(case)
    assert case.priority_score > before and any(r.startswith("order value 650.00") for r in case.priority_reasons)
    linked = case.priority_score
    factories.deliver(shop_a, "order.created", factories.order(email="ann@example.com"))
    cases.correct_causes(agent, case.id, ["damaged_or_defective", "other"], as_actor(agent))  # recomputes
    case = reload(case)
    assert "repeat buyer" in case.priority_reasons and case.priority_score > linked


def test_correcting_the_causes_recomputes_the_priority(shop_a, agent):
    case = open_case(shop_a, rating=3, text="Price was too high, hidden fees at checkout, bad.")
    low = case.priority_score
    cases.correct_causes(agent, case.id, ["security_or_fraud"], as_actor(agent))
    case = reload(case)
    assert case.priority_score > low and case.priority in ("high", "urgent")


# --- formal complaint -------------------------------------------------------------------------------------------

def test_marking_a_formal_complaint_starts_the_14_day_statutory_clock(shop_a, agent, frozen_clock):
    case = open_case(shop_a, rating=1)
    formal_complaint.mark_formal_complaint(agent, case.id, as_actor(agent))
    case = reload(case)
    assert case.formal_complaint_at == frozen_clock.now
    assert case.statutory_due_at == frozen_clock.now + timedelta(days=14)
    assert case.events[-1].kind == "formal_complaint" and "2026-12-06" in case.events[-1].message
    assert AuditEntry.query.filter_by(action="case.formal_complaint").count() == 1


def test_a_past_filing_date_counts_from_the_start_of_that_day_in_the_shops_time_zone(shop_a, agent, frozen_clock):
    shop_a.timezone = "Europe/Warsaw"
    db.session.commit()
    case = open_case(shop_a, rating=1)
    formal_complaint.mark_formal_complaint(agent, case.id, as_actor(agent), filed_on=date(2026, 11, 20))
    case = reload(case)
    assert case.formal_complaint_at.isoformat() == "2026-11-19T23:00:00+00:00"  # midnight in Warsaw
    assert case.statutory_due_at.isoformat() == "2026-12-03T23:00:00+00:00"


def test_a_formal_complaint_cannot_be_filed_in_the_future(shop_a, agent, frozen_clock):
    case = open_case(shop_a, rating=1)
    with pytest.raises(Invalid) as raised:
        formal_complaint.mark_formal_complaint(agent, case.id, as_actor(agent), filed_on=date(2026, 11, 23))
    assert raised.value.field == "filed_on"
    assert reload(case).formal_complaint_at is None


def test_the_same_filing_day_twice_changes_nothing(shop_a, agent, frozen_clock):
    case = open_case(shop_a, rating=1)
    formal_complaint.mark_formal_complaint(agent, case.id, as_actor(agent))
    events = len(reload(case).events)
    frozen_clock.advance(hours=1)
    formal_complaint.mark_formal_complaint(agent, case.id, as_actor(agent))
    assert len(reload(case).events) == events


def test_erasing_the_customer_drops_the_quoted_evidence_but_keeps_the_causes(shop_a):
    from crisisdesk.services import privacy

    case = open_case(shop_a, rating=1, text="Arrived broken.", email="grace@example.com")
    privacy.erase(shop_a, "grace@example.com")
    case = reload(case)
    assert case.cause_evidence == [] and case.summary == "[erased]"
    assert case.causes == ["damaged_or_defective"] and case.language == "en"
