"""The public resolution note (services/resolution_notes.py): one per resolved review case, in the review's
language, without the order number or amounts, delivered through the bridge route like any public reply."""
import pytest

from crisisdesk.domain.errors import Conflict, Invalid
from crisisdesk.domain.resolution_notes import note_text, public_problem
from crisisdesk.extensions import db
from crisisdesk.models import AuditEntry, CaseReply
from crisisdesk.services import cases as case_service
from crisisdesk.services import reply_delivery, resolution_notes
from tests.outbox_helpers import timeline
from tests.reply_helpers import actor_of, manual_case, reply, review_case, wordpress  # noqa: F401


def resolve(case, agent):
    case_service.change_status(agent, case.id, "in_progress", actor_of(agent))
    case_service.change_status(agent, case.id, "resolved", actor_of(agent))


def test_it_suggests_a_short_note_in_the_reviews_language_without_order_or_amount(app, shop_a, agent):
    case = review_case(shop_a, order_id=4711)
    resolve(case, agent)
    draft = resolution_notes.draft_note(case)
    assert draft.language == case.language == "pl"
    assert draft.text.startswith("Aktualizacja od Shop A: problem opisany w tej opinii został rozwiązany. Anna, dzię")
    assert "4711" not in draft.text and public_problem(draft.text, "4711") is None
    assert "resolved" in resolution_notes.draft_note(case, "en").text
    assert "atrisināta" in resolution_notes.draft_note(case, "lv").text
    assert note_text("de", "Shop A") == ("Update from Shop A: the problem described in this review has been resolved. "
                                         "Thank you for your patience and for telling us about it: it helped us put "
                                         "it right.")


def test_it_posts_the_note_once_through_the_bridge(app, shop_a, agent, wordpress, run_jobs):
    case = review_case(shop_a)
    resolve(case, agent)
    note, created = resolution_notes.post_note(agent, case.id, actor_of(agent), "Update: it is fixed. Thank you!")
    assert created and note.channel == "public" and resolution_notes.is_resolution_note(note)

    run_jobs()

    posted = reply(note.id)
    assert posted.status == "posted" and posted.remote_comment_id
    (headers, payload), = wordpress.received
    assert payload == {"review_id": case.review.remote_id, "content": "Update: it is fixed. Thank you!"}
    assert headers["webhook-id"] == reply_delivery.webhook_id_for(posted)
    kinds = [kind for kind, _ in timeline(case)]
    assert kinds[-2:] == ["resolution_note", "reply_posted"]
    assert AuditEntry.query.filter_by(action="case.resolution_note", target_id=case.id).count() == 1


def test_it_never_posts_a_second_note_for_a_case(app, shop_a, agent, owner, wordpress, run_jobs):
    case = review_case(shop_a)
    resolve(case, agent)
    first, _ = resolution_notes.post_note(agent, case.id, actor_of(agent), "Update: fixed.")
    run_jobs()
    again, created = resolution_notes.post_note(owner, case.id, actor_of(owner), "Another update.")
    run_jobs()
    assert not created and again.id == first.id and again.content == "Update: fixed."
    assert CaseReply.query.filter_by(case_id=case.id).count() == 1
    assert len(wordpress.comments_under(case.review.remote_id)) == 1 and len(wordpress.received) == 1


def test_it_waits_for_the_case_to_be_resolved(app, shop_a, agent):
    case = review_case(shop_a)
    with pytest.raises(Conflict, match="once the case is resolved"):
        resolution_notes.post_note(agent, case.id, actor_of(agent), "Update: fixed.")
    assert resolution_notes.resolution_note(case) is None


def test_it_refuses_a_note_without_a_review_to_post_under(app, shop_a, agent):
    case = manual_case(shop_a, agent)
    resolve(case, agent)
    with pytest.raises(Conflict, match="did not come from a review"):
        resolution_notes.post_note(agent, case.id, actor_of(agent), "Update: fixed.")


@pytest.mark.parametrize("text, reason", [
    ("Your order 4711 was refunded.", "order number"),
    ("We refunded 25 zł.", "amount"),
    ("We refunded €10.", "amount"),
    ("We refunded 10 €.", "amount"),
    ("  ", "empty"),
])
def test_it_keeps_the_order_number_and_amounts_out_of_a_public_note(app, shop_a, agent, text, reason):
    case = review_case(shop_a, order_id=4711)
    resolve(case, agent)
    with pytest.raises(Invalid, match=reason):
        resolution_notes.post_note(agent, case.id, actor_of(agent), text)
    db.session.rollback()
    assert CaseReply.query.count() == 0


def test_it_lets_no_viewer_post_a_note(app, shop_a, agent, viewer):
    from crisisdesk.domain.errors import Forbidden

    case = review_case(shop_a)
    resolve(case, agent)
    with pytest.raises(Forbidden):
        resolution_notes.post_note(viewer, case.id, actor_of(viewer), "Update: fixed.")
