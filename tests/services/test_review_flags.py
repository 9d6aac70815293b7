"""Unfair or fake reviews (services/review_flags.py): flagged with a documented reason beside the evidence, the
removal request to the platform and its outcome logged; never a delete, and the case still needs its public
answer within its deadlines."""
from datetime import timedelta

import pytest

from crisisdesk.domain.errors import Conflict, Forbidden, Invalid, NotFound
from crisisdesk.domain.sla import clock_states
from crisisdesk.extensions import db
from crisisdesk.models import AuditEntry, Case, Review, ReviewFlag
from crisisdesk.services import review_flags
from tests import factories
from tests.outbox_helpers import timeline
from tests.reply_helpers import actor_of, manual_case, review_case


def stranger_case(shop, **review):
    """A one-star review from an address with no order in the shop, not marked as a verified owner."""
    payload = factories.review(email="nobody@example.com", verified=False, text="Worst shop ever.", **review)
    factories.deliver(shop, "review.created", payload)
    return Case.query.join(Case.review).filter(Review.shop_id == shop.id, Review.remote_id == payload["id"]).one()


@pytest.mark.parametrize("reason, label", [("abusive", "Abusive or inappropriate language"),
                                           ("factually_wrong", "Factually wrong, or about something else"),
                                           ("no_purchase", "No matching purchase")])
def test_it_flags_a_review_with_each_documented_reason(shop_a, agent, reason, label):
    case = review_case(shop_a)
    flag = review_flags.flag_review(agent, case.id, actor_of(agent), reason, "  The facts differ.  ")
    assert (flag.reason, flag.explanation, flag.review_id, flag.case_id) == (reason, "The facts differ.",
                                                                            case.review_id, case.id)
    assert flag.flagged_by == agent.id and flag.flagged_at is not None and flag.removal_outcome is None
    assert timeline(case)[-1] == ("review_flagged", f"Review flagged: {label}. It still gets a public answer; the "
                                                    "review is kept.")
    entry = AuditEntry.query.filter_by(action="review.flagged").one()
    assert entry.target_id == flag.id and entry.details["reason"] == reason and entry.shop_id == shop_a.id


def test_it_refuses_an_undocumented_reason_or_no_explanation(shop_a, agent):
    case = review_case(shop_a)
    with pytest.raises(Invalid) as error:
        review_flags.flag_review(agent, case.id, actor_of(agent), "competitor", "They are a competitor.")
    assert error.value.field == "reason"
    with pytest.raises(Invalid) as error:
        review_flags.flag_review(agent, case.id, actor_of(agent), "abusive", "   ")
    assert error.value.field == "explanation"
    assert ReviewFlag.query.count() == 0


def test_it_flags_only_reviews_not_hand_entered_complaints(shop_a, agent):
    case = manual_case(shop_a, agent)
    with pytest.raises(Invalid, match="only a review can be flagged"):
        review_flags.flag_review(agent, case.id, actor_of(agent), "abusive", "Rude.")


def test_it_logs_the_removal_request_and_its_outcome(shop_a, agent, frozen_clock):
    case = stranger_case(shop_a)
    flag = review_flags.flag_review(agent, case.id, actor_of(agent), "no_purchase", "No order from this address.")
    frozen_clock.advance(hours=1)
    review_flags.request_removal(agent, case.id, flag.id, actor_of(agent), "google",
                                 "Asked Google Business support to remove it: the reviewer never bought here.")
    assert flag.removal_request_channel == "google" and flag.removal_outcome == "pending"
    assert flag.removal_requested_at == frozen_clock.now and flag.removal_request_text.startswith("Asked Google")
    with pytest.raises(Conflict):
        review_flags.request_removal(agent, case.id, flag.id, actor_of(agent), "ceneo", "Again.")
    frozen_clock.advance(days=3)
    review_flags.record_outcome(agent, case.id, flag.id, actor_of(agent), "refused")
    assert (flag.removal_outcome, flag.removal_outcome_at) == ("refused", frozen_clock.now)
    with pytest.raises(Conflict):
        review_flags.record_outcome(agent, case.id, flag.id, actor_of(agent), "granted")
    assert [kind for kind, _ in timeline(case)][-3:] == ["review_flagged", "removal_requested", "removal_outcome"]
    assert timeline(case)[-1][1] == "Google refused the removal request. It still gets a public answer; the review " \
                                    "is kept."
    assert {e.action for e in AuditEntry.query} >= {"review.removal_requested", "review.removal_outcome"}


def test_it_needs_a_request_before_an_outcome_and_a_known_channel(shop_a, agent):
    case = review_case(shop_a)
    flag = review_flags.flag_review(agent, case.id, actor_of(agent), "abusive", "Insults.")
    with pytest.raises(Conflict):
        review_flags.record_outcome(agent, case.id, flag.id, actor_of(agent), "granted")
    with pytest.raises(Invalid) as error:
        review_flags.request_removal(agent, case.id, flag.id, actor_of(agent), "facebook", "Remove it.")
    assert error.value.field == "channel"
    with pytest.raises(Invalid) as error:
        review_flags.request_removal(agent, case.id, flag.id, actor_of(agent), "wordpress", " ")
    assert error.value.field == "text"


def test_a_granted_removal_keeps_the_review_the_reply_requirement_and_every_clock(shop_a, agent, frozen_clock):
    case = stranger_case(shop_a, created_at=frozen_clock.now)
    before = clock_states(case, frozen_clock.now)
    status, review_status = case.status, case.review.status
    flag = review_flags.flag_review(agent, case.id, actor_of(agent), "abusive", "Insults the staff.")
    review_flags.request_removal(agent, case.id, flag.id, actor_of(agent), "wordpress", "Moderated as abusive.")
    review_flags.record_outcome(agent, case.id, flag.id, actor_of(agent), "granted")
    db.session.expire_all()
    case = db.session.get(Case, case.id)
    assert clock_states(case, frozen_clock.now) == before
    assert {s.clock for s in before} >= {"first_response", "apology"} and not any(s.met for s in before)
    assert case.status == status and case.public_replied_at is None and case.first_responded_at is None
    assert case.review is not None and case.review.status == review_status
    frozen_clock.advance(hours=49)
    assert {s.clock: s.stage for s in clock_states(case, frozen_clock.now)}["apology"] == "overdue"


def test_it_shows_the_evidence_verified_flag_link_and_orders_by_email(shop_a, agent):
    linked = review_case(shop_a, order_id=4711)
    proof = review_flags.evidence(agent, linked.id)
    assert proof.verified and proof.linked_order.number == "4711" and proof.link_method != "none"
    assert [o.number for o in proof.orders_by_email] == ["4711"] and proof.email == "anna@example.com"
    stranger = stranger_case(shop_a)
    proof = review_flags.evidence(agent, stranger.id)
    assert not proof.verified and proof.linked_order is None and proof.link_method == "none"
    assert proof.orders_by_email == [] and proof.email == "nobody@example.com"


def test_it_hides_another_shops_case_and_flag(shop_a, shop_b, agent, outsider):
    case = review_case(shop_a)
    flag = review_flags.flag_review(agent, case.id, actor_of(agent), "abusive", "Insults.")
    with pytest.raises(NotFound):
        review_flags.flag_review(outsider, case.id, actor_of(outsider), "abusive", "Insults.")
    with pytest.raises(NotFound):
        review_flags.request_removal(outsider, case.id, flag.id, actor_of(outsider), "wordpress", "Remove.")
    with pytest.raises(NotFound):
        review_flags.evidence(outsider, case.id)
    other = review_case(shop_b, email="bob@example.com")
    outsider_flag = review_flags.flag_review(outsider, other.id, actor_of(outsider), "abusive", "Rude.")
    with pytest.raises(NotFound):  # a flag of another case, even one the agent may see
        review_flags.request_removal(agent, case.id, outsider_flag.id, actor_of(agent), "wordpress", "Remove.")
    assert outsider_flag.removal_requested_at is None


def test_a_viewer_cannot_flag_or_log_requests(shop_a, agent, viewer):
    case = review_case(shop_a)
    with pytest.raises(Forbidden):
        review_flags.flag_review(viewer, case.id, actor_of(viewer), "abusive", "Rude.")
    flag = review_flags.flag_review(agent, case.id, actor_of(agent), "abusive", "Rude.")
    with pytest.raises(Forbidden):
        review_flags.request_removal(viewer, case.id, flag.id, actor_of(viewer), "wordpress", "Remove.")
    with pytest.raises(Forbidden):
        review_flags.record_outcome(viewer, case.id, flag.id, actor_of(viewer), "granted")
    assert review_flags.evidence(viewer, case.id).verified  # reading the evidence is fine
