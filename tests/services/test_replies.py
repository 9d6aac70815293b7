"""services.replies: drafts from the case in three languages, the 5P check, the canned-reply warning, sending."""
from datetime import datetime, timezone

import pytest

from crisisdesk.domain import five_p
from crisisdesk.domain.errors import Conflict, Forbidden, Invalid, NotFound
from crisisdesk.extensions import db
from crisisdesk.models import AuditEntry, Case, CaseReply, OutboxEmail
from crisisdesk.services import outbox, replies
from tests.reply_helpers import KETTLE, coupon_for, manual_case, reply, review_case, send

SHORT = "Przepraszamy za kłopot."


@pytest.fixture
def case(shop_a):
    return review_case(shop_a, order_id=48213)


# --- drafts -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("language, coupon_words", [("pl", "10% zniżki"), ("en", "10% off"), ("lv", "10% atlaide")])
def test_it_drafts_a_personal_email_with_name_order_product_and_the_proposed_remedy(agent, case, language,
                                                                                     coupon_words):
    coupon_for(case, agent)

    draft = replies.draft_for(agent, case.id, "email", language=language)

    assert draft.language == language and draft.remedy == "coupon"
    assert "Anna" in draft.text and "Kowalska" not in draft.text.split("\n")[0]
    assert "48213" in draft.text and KETTLE in draft.text
    assert coupon_words in draft.text
    assert five_p.check(draft.text, language).complete


def test_it_keeps_the_order_number_and_amount_out_of_a_public_draft(agent, case):
    coupon_for(case, agent)

    draft = replies.draft_for(agent, case.id, "public", language="en")

    assert "Anna" in draft.text and KETTLE in draft.text
    assert "48213" not in draft.text and "10%" not in draft.text and "Kowalska" not in draft.text
    assert "discount code" in draft.text


def test_it_drafts_the_remedy_the_agent_picks_instead_of_the_proposed_one(agent, case):
    coupon_for(case, agent)

    replacement = replies.draft_for(agent, case.id, "email", remedy="replacement", language="en")
    nothing = replies.draft_for(agent, case.id, "email", remedy="none", language="en")

    assert replacement.remedy == "replacement" and "replacement free of charge" in replacement.text
    assert nothing.remedy is None and "discount code" not in nothing.text and "10%" not in nothing.text
    with pytest.raises(Invalid) as error:
        replies.draft_for(agent, case.id, "email", remedy="a pony")
    assert error.value.field == "remedy"


def test_it_writes_in_the_customers_language_when_detected_else_the_shops(agent, shop_a, case):
    shop_a.language = "pl"
    db.session.commit()
    assert replies.draft_for(agent, case.id, "email").language == "pl"

    case.language = "lv"
    db.session.commit()
    draft = replies.draft_for(agent, case.id, "email")
    assert draft.language == "lv" and draft.text.startswith("Labdien, Anna")


def test_it_signs_with_the_agents_name_without_the_label_in_brackets(app, shop_a, case):
    from tests import factories

    kuba = factories.make_user("kuba@crisisdesk.example", "agent", shops=[shop_a], name="Kuba (support)")

    text = replies.draft_for(kuba, case.id, "email", language="en").text

    assert text.endswith(f"Kuba\n{shop_a.name}")


# --- the 5P check and the canned-reply warning -------------------------------------------------------------

def test_it_shows_which_5p_steps_a_text_covers_and_which_are_missing(agent, case):
    checked = replies.review(agent, case.id, SHORT, "pl")

    assert checked.coverage.covered == ("apologise",)
    assert checked.coverage.missing == ("admit", "act", "improve", "compensate")
    assert checked.similar == ()


def test_it_warns_when_a_text_nearly_repeats_a_reply_sent_to_another_customer(agent, shop_a, case):
    other = review_case(shop_a, email="jan@example.com", first="Jan", last="Nowak", order_id=48300)
    first = replies.draft_for(agent, other.id, "email", language="pl").text
    [sent] = send(agent, other, first)
    assert reply(sent.id).status == "queued"

    # The same text with this customer's name and order number is still the same text.
    text = first.replace("Jan", "Anna").replace("48300", "48213")
    checked = replies.review(agent, case.id, text, "pl")

    [match] = checked.similar
    assert (match.reply_id, match.case_id) == (sent.id, other.id) and match.percent >= 95
    # Rewritten in the agent's own words, it is no longer a canned answer.
    own = ("Anno, czajnik z zamówienia 48213 pękł w transporcie i to nasza wina: źle go zapakowaliśmy. "
           "Przepraszam. Wysłaliśmy dziś nowy kurierem, bez dopłaty, a od teraz każdy czajnik pakujemy w "
           "podwójny karton z wypełniaczem, żeby to się nie powtórzyło.")
    assert replies.review(agent, case.id, own, "pl").similar == ()


def test_it_does_not_call_a_second_reply_to_the_same_customer_canned(agent, shop_a, case):
    again = review_case(shop_a, order_id=48214, product_id=11, product="Kubek Lab")  # Anna's second complaint
    text = replies.draft_for(agent, case.id, "email", language="pl").text
    send(agent, case, text)

    assert again.customer_id == case.customer_id
    assert replies.review(agent, again.id, text, "pl").similar == ()


def test_it_compares_only_with_replies_that_went_out_in_the_same_shop(agent, owner, shop_a, shop_b, case):
    text = replies.draft_for(agent, case.id, "email", language="pl").text
    elsewhere = review_case(shop_b, email="ola@example.com", first="Ola", last="Lis", order_id=48400)
    send(owner, elsewhere, text)
    failed = review_case(shop_a, email="ewa@example.com", first="Ewa", last="Kos", order_id=48401)
    [row] = send(agent, failed, text)
    row.status = "failed"
    db.session.commit()

    assert replies.review(agent, case.id, text, "pl").similar == ()


DEFENSIVE = "Pani Anno, to Pani wina: regulamin jasno mówi, że paczkę trzeba sprawdzić przy kurierze."


def test_it_gives_tone_hints_on_the_reply_and_the_points_of_the_customers_text_it_skips(agent, case):
    checked = replies.review(agent, case.id, DEFENSIVE, "pl")

    assert [h.kind for h in checked.tone] == ["blaming", "defensive", "skipped_point"]
    assert [m.text for m in checked.tone[1].matches] == ["regulamin jasno"]
    skipped = checked.tone[2]
    assert skipped.cause == "damaged_or_defective" and skipped.source == "customer"
    assert [m.text for m in skipped.matches] == [case.review.text[m.start:m.end] for m in skipped.matches]


def test_it_finds_no_tone_hint_in_the_draft(agent, case):
    for language in ("pl", "en", "lv"):
        draft = replies.draft_for(agent, case.id, "both", language=language)
        assert replies.review(agent, case.id, draft.text, language).tone == ()


def test_it_reads_a_hand_entered_complaint_for_the_points_to_answer(agent, shop_a):
    complaint = manual_case(shop_a, agent)

    checked = replies.review(agent, complaint.id, "Przepraszamy, proszę zadzwonić.", "pl")

    assert [h.kind for h in checked.tone] == ["no_substance", "skipped_point"]
    assert checked.tone[1].cause == "late_delivery"


# --- sending ------------------------------------------------------------------------------------------------

def test_tone_hints_never_block_sending(agent, case):
    [row] = send(agent, case, DEFENSIVE, language="pl")

    assert row.status == "queued" and row.content == DEFENSIVE

def test_it_stores_the_missing_steps_and_similar_replies_with_the_reply(agent, shop_a, case):
    other = review_case(shop_a, email="jan@example.com", first="Jan", last="Nowak", order_id=48300)
    [earlier] = send(agent, other, "Jan, przepraszamy za kłopot z czajnikiem. Wyślemy nowy.")

    [row] = send(agent, case, "Anna, przepraszamy za kłopot z czajnikiem. Wyślemy nowy.", language="pl")

    assert row.steps_missing == ["admit", "improve", "compensate"]
    assert row.similar_to == [{"reply_id": earlier.id, "case_id": other.id, "percent": 100}]
    entry = AuditEntry.query.filter_by(action="case.reply_sent", target_id=case.id).one()
    assert entry.details["steps_missing"] == ["admit", "improve", "compensate"]
    assert entry.details["similar_to"] == [earlier.id]


def test_it_sends_by_email_at_once_even_at_night_and_stops_the_first_response_clock(agent, shop_a, case,
                                                                                  frozen_clock):
    shop_a.timezone = "Europe/Warsaw"
    db.session.commit()
    frozen_clock.now = datetime(2026, 11, 22, 22, 30, tzinfo=timezone.utc)  # 23:30 in Warsaw: quiet hours

    [row] = send(agent, case, "Anna, przepraszamy.", language="pl")

    email = db.session.get(OutboxEmail, row.outbox_email_id)
    assert (row.channel, row.status, row.delivered_at) == ("email", "queued", frozen_clock.now)
    assert (email.kind, email.status, email.due_at, email.to_email) == (
        "case_reply", "scheduled", frozen_clock.now, "anna@example.com")
    fresh = db.session.get(Case, case.id)
    assert fresh.first_responded_at == frozen_clock.now and fresh.public_replied_at is None
    assert fresh.status == "in_progress"


def test_it_leaves_the_clock_running_until_a_public_reply_is_posted(agent, case, frozen_clock):
    [row] = send(agent, case, "Anna, przepraszamy.", channel="public")

    assert (row.channel, row.status, row.attempts) == ("public", "pending", 0)
    fresh = db.session.get(Case, case.id)
    assert fresh.first_responded_at is None and fresh.status == "in_progress"


def test_it_records_one_reply_per_channel_and_the_same_key_twice_finds_them(agent, case):
    rows = send(agent, case, "Anna, przepraszamy.", channel="both", key="form-1")
    again = send(agent, case, "A different text from a second click", channel="both", key="form-1")

    assert [r.channel for r in rows] == ["public", "email"]
    assert [r.id for r in again] == [r.id for r in rows]
    assert CaseReply.query.count() == 2 and OutboxEmail.query.count() == 1
    assert AuditEntry.query.filter_by(action="case.reply_sent").count() == 1


def test_it_refuses_a_key_used_for_another_case(agent, shop_a, case):
    other = review_case(shop_a, email="jan@example.com", first="Jan", last="Nowak", order_id=48300)
    send(agent, case, "Anna, przepraszamy.", key="form-1")

    with pytest.raises(Conflict):
        send(agent, other, "Jan, przepraszamy.", key="form-1")


def test_it_answers_a_hand_entered_complaint_by_email_only(agent, shop_a):
    complaint = manual_case(shop_a, agent)

    options = replies.reply_options(complaint)
    assert options.choices == ("email",) and options.email_address == "jan@example.com"
    assert "only be answered by email" in options.public_refusal
    for channel in ("public", "both"):
        with pytest.raises(Invalid) as error:
            send(agent, complaint, "Jan, przepraszamy.", channel=channel)
        assert error.value.field == "channel"
    [row] = send(agent, complaint, "Jan, przepraszamy.", channel="email")
    assert row.status == "queued"


def test_it_offers_public_email_and_both_for_a_review(case):
    assert replies.reply_options(case).choices == ("both", "public", "email")


def test_it_refuses_to_email_an_address_that_opted_out_and_says_so_before_sending(agent, shop_a, case):
    outbox.suppress(shop_a.id, "anna@example.com", "unsubscribed")

    options = replies.reply_options(db.session.get(Case, case.id))
    assert options.choices == ("public",)
    assert "asked for no more emails" in options.email_refusal
    with pytest.raises(Invalid):
        send(agent, case, "Anna, przepraszamy.", channel="both")
    assert CaseReply.query.count() == 0


@pytest.mark.parametrize("text, message", [("   \n ", "empty"), ("x" * 10_001, "longer than 10000")])
def test_it_rejects_an_empty_or_too_long_reply_and_records_nothing(agent, case, text, message):
    with pytest.raises(Invalid) as error:
        send(agent, case, text)

    assert message in error.value.message and error.value.field == "text"
    assert CaseReply.query.count() == 0


def test_it_lets_only_agents_of_the_shop_draft_or_send(viewer, outsider, case):
    with pytest.raises(Forbidden):
        send(viewer, case, "Anna, przepraszamy.")
    with pytest.raises(NotFound):
        send(outsider, case, "Anna, przepraszamy.")
    with pytest.raises(NotFound):
        replies.draft_for(outsider, case.id, "email")
    assert CaseReply.query.count() == 0


def test_it_puts_the_reply_on_the_timeline_and_the_audit_log(agent, case):
    [row] = send(agent, case, SHORT, channel="public", language="pl")

    kinds = [(e.kind, e.actor_id) for e in db.session.get(Case, case.id).events]
    assert ("reply_sent", agent.id) in kinds and ("status", agent.id) in kinds
    event = next(e for e in db.session.get(Case, case.id).events if e.kind == "reply_sent")
    assert "under the review" in event.message and "Przyznaj się" in event.message
    assert AuditEntry.query.filter_by(action="case.reply_sent", actor_id=agent.id).one().details["reply_ids"] == [
        row.id]


def test_it_checks_texts_for_agents_only(viewer, case):
    with pytest.raises(Forbidden):
        replies.review(viewer, case.id, SHORT)

