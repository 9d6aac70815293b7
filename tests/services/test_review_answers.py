"""services.review_answers: answering reviews that opened no case. A draft in the review's language, the canned-answer
warning, and delivery under the review through the bridge route (the stand-in on loopback that keeps one comment per
webhook-id) with the same guarantees as a case reply: retried with backoff, posted exactly once."""
from datetime import timedelta

import pytest

from crisisdesk.domain.errors import Conflict, Invalid, NotFound
from crisisdesk.extensions import db
from crisisdesk.jobs import queue
from crisisdesk.models import AuditEntry, Review, ReviewAnswer
from crisisdesk.services import review_answers
from tests import factories
from tests.outbox_helpers import release_scheduled
from tests.reply_helpers import actor_of, wordpress  # noqa: F401

THANKS = "Anna, dziękujemy! Cieszymy się, że kubek sprawdza się przy porannej kawie. Zespół Shop A"


def review_of(shop, rating=5, text="Świetny kubek, polecam!", email="anna@example.com", reviewer="Anna Nowak",
              product=(10, "Kubek Lab"), **kwargs):
    """A review that opens no case, through the real ingest path."""
    payload = factories.review(product_id=product[0], rating=rating, text=text, email=email, **kwargs)
    payload.update(reviewer=reviewer, product_name=product[1])
    factories.deliver(shop, "review.created", payload)
    return Review.query.filter_by(shop_id=shop.id, remote_id=payload["id"]).one()


def answer(answer_id):
    db.session.expire_all()
    return db.session.get(ReviewAnswer, answer_id)


def send(user, review, text=THANKS, language=None):
    return review_answers.send_answer(user, review.id, actor_of(user), text, language)


# --- drafts -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, language, words", [
    ("Świetny kubek, polecam go każdemu!", "pl", "Anna, dziękujemy za opinię o produkcie „Kubek Lab”!"),
    ("A lovely mug, my coffee stays hot for ages.", "en", "Anna, thank you for your review of “Kubek Lab”!"),
    ("Ļoti laba krūze, kafija ilgi paliek karsta.", "lv", "Anna, paldies par atsauksmi par „Kubek Lab”!"),
])
def test_it_drafts_a_personal_thank_you_in_the_reviews_language(shop_a, agent, text, language, words):
    review = review_of(shop_a, text=text)

    draft = review_answers.draft_for(agent, review)

    assert (draft.language, draft.kind) == (language, "thanks")
    assert draft.text.startswith(words) and draft.text.endswith(f"\n\n{shop_a.name}")


def test_it_takes_up_the_point_of_a_three_star_review_and_falls_back_to_the_shops_language(shop_a, agent):
    shop_a.language = "pl"
    db.session.commit()
    late = review_of(shop_a, rating=3, text="Kubek ładny, ale przesyłka szła dwa tygodnie i nikt nie odpisywał.")
    short = review_of(shop_a, rating=5, text="Super!")
    kuba = factories.make_user("kuba@crisisdesk.example", "agent", shops=[shop_a], name="Kuba (support)")

    point = review_answers.draft_for(kuba, late)
    thanks = review_answers.draft_for(kuba, short)

    assert point.kind == "point" and "Słusznie zwracasz uwagę na czas dostawy" in point.text
    assert point.text.endswith("\n\nKuba, Shop A")
    assert thanks.language == "pl" and thanks.kind == "thanks"
    assert review_answers.draft_for(kuba, short, "lv").text.startswith("Anna, paldies")


# --- sending and delivering -------------------------------------------------------------------------------------

def test_it_posts_an_answer_exactly_once_while_wordpress_goes_down_and_comes_back(app, shop_a, agent, wordpress,
                                                                                  run_jobs, frozen_clock):
    review = review_of(shop_a)
    wordpress.down()
    row, sent = send(agent, review)
    assert sent and (row.status, row.language) == ("pending", "pl")

    run_jobs()
    waiting = answer(row.id)
    assert (waiting.status, waiting.attempts) == ("pending", 1)
    assert waiting.next_attempt_at == frozen_clock.now + timedelta(minutes=1)
    assert "no HTTP answer" in waiting.last_error

    wordpress.up()
    frozen_clock.advance(minutes=1)
    release_scheduled(app, frozen_clock.now)
    # A second job for the same answer racing the scheduled one: the claim lets one of them post.
    queue("default", app).enqueue("crisisdesk.jobs.replies.deliver_review_answer_job", row.id)
    run_jobs()

    posted = answer(row.id)
    assert (posted.status, posted.attempts, posted.last_error, posted.remote_comment_id) == ("posted", 2, None, 700)
    (headers, payload), = wordpress.received
    assert payload == {"review_id": review.remote_id, "content": THANKS}
    assert headers["webhook-id"] == row.webhook_id
    assert review_answers.sweep() == {"returned": 0, "requeued": 0}
    assert review_answers.deliver(row.id) == "already posted" and len(wordpress.received) == 1


def test_it_gets_the_first_comment_back_when_the_answer_to_a_post_was_lost(app, shop_a, agent, wordpress, run_jobs,
                                                                           frozen_clock):
    review = review_of(shop_a)
    wordpress.answer_next("drop")  # WordPress posts the comment, then the connection dies before the answer
    row, _ = send(agent, review)
    run_jobs()
    assert answer(row.id).status == "pending" and len(wordpress.comments) == 1

    frozen_clock.advance(minutes=1)
    release_scheduled(app, frozen_clock.now)
    run_jobs()

    assert answer(row.id).status == "posted"
    assert len(wordpress.received) == 2 and wordpress.comments_under(review.remote_id) == [700]


def test_it_takes_back_a_claim_a_dead_worker_left(app, shop_a, agent, wordpress, run_jobs, frozen_clock):
    review = review_of(shop_a)
    row, _ = send(agent, review)
    assert review_answers.POSTS.claim(row.id, frozen_clock.now) is not None  # a worker took it and died
    run_jobs()
    assert answer(row.id).status == "sending" and wordpress.received == []

    frozen_clock.advance(minutes=6)
    assert review_answers.sweep() == {"returned": 1, "requeued": 1}
    run_jobs()

    assert (answer(row.id).status, answer(row.id).attempts) == ("posted", 2) and len(wordpress.comments) == 1


def test_one_review_gets_one_answer_and_a_refused_one_can_be_sent_again(app, shop_a, agent, owner, wordpress,
                                                                        run_jobs):
    review = review_of(shop_a)
    wordpress.answer_next("status", 401, {"code": "crisisdesk_bad_signature", "message": "Wrong secret.",
                                          "data": {"status": 401}})
    first, _ = send(agent, review)
    run_jobs()
    failed = answer(first.id)
    assert failed.status == "failed" and "Wrong secret." in failed.last_error

    again, sent = send(owner, review, "Anna, dziękujemy za miłe słowa o kubku!")
    run_jobs()

    assert sent and again.id == first.id
    posted = answer(first.id)
    assert (posted.status, posted.content, posted.author_id) == ("posted", "Anna, dziękujemy za miłe słowa o kubku!",
                                                                 owner.id)
    assert len({headers["webhook-id"] for headers, _ in wordpress.received}) == 1  # the same webhook-id
    third, sent = send(agent, review, "A third answer")
    assert not sent and third.content == posted.content
    assert ReviewAnswer.query.count() == 1 and len(wordpress.comments_under(review.remote_id)) == 1
    entries = AuditEntry.query.filter_by(action="review.answered", target_id=review.id).all()
    assert [e.details["again"] for e in entries] == [False, True]


def test_it_answers_a_held_review_and_refuses_a_trashed_one_or_one_with_a_case(shop_a, agent):
    held = review_of(shop_a, status="hold")
    trashed = review_of(shop_a, email="jan@example.com")
    payload = factories.review(review_id=trashed.remote_id, rating=5, text=trashed.text, email="jan@example.com",
                               status="trash")
    factories.deliver(shop_a, "review.status_changed", payload)
    negative = review_of(shop_a, rating=1, text="Przyszedł pęknięty.", email="ola@example.com")

    assert send(agent, held)[1]
    with pytest.raises(Conflict, match="nothing to answer under"):
        send(agent, trashed)
    with pytest.raises(Conflict, match="answer it on the case page"):
        send(agent, negative)
    with pytest.raises(Invalid, match="the answer is empty"):
        send(agent, review_of(shop_a, email="ewa@example.com"), "   ")
    assert ReviewAnswer.query.count() == 1


def test_it_warns_but_sends_when_a_text_nearly_repeats_an_answer_to_another_reviewer(shop_a, agent):
    first = review_of(shop_a)
    other = review_of(shop_a, email="jan@example.com", reviewer="Jan Kowalski")
    same_person = review_of(shop_a, product=(11, "Czajnik Lab"))
    earlier, _ = send(agent, first, "Anna, dziękujemy za opinię! Cieszymy się, że kubek się sprawdza.")

    text = "Jan, dziękujemy za opinię! Cieszymy się, że kubek się sprawdza."
    [similar] = review_answers.similar_answers(other, text)
    row, sent = send(agent, other, text)

    assert (similar.answer_id, similar.reviewer, similar.percent) == (earlier.id, "Anna Nowak", 100)
    assert sent and row.similar_to == [{"answer_id": earlier.id, "review_id": first.id, "percent": 100}]
    # Anna again: her own earlier answer is not a canned one for her, Jan's is.
    assert [s.answer_id for s in review_answers.similar_answers(same_person, earlier.content)] == [row.id]
    assert review_answers.similar_answers(other, "Jan, ten kubek to nasz ulubiony projekt z zeszłej zimy.") == ()


def test_it_hides_another_shops_reviews(shop_a, shop_b, agent, outsider, viewer):
    review = review_of(shop_a)

    with pytest.raises(NotFound):
        review_answers.get_review(outsider, review.id)
    with pytest.raises(NotFound):
        send(outsider, review)
    assert review_answers.get_review(viewer, review.id) == review
    assert ReviewAnswer.query.count() == 0
