"""Answering reviews that opened no case (SPEC "Answer everyone"): a suggested draft, the canned-answer check,
and sending. A person decides: nothing is posted until an agent presses Send, and the draft is only a start.

An answer is one ReviewAnswer row per review (models/review_answer.py), delivered under the review through the
bridge by services/bridge_posts.py exactly as a public case reply is (fixed webhook-id, retries with backoff,
never twice). Sending again is possible only after WordPress refused it for good (`failed`): the same row, the
same webhook-id, the new text.

Language: the review's own (when its text says enough), else the shop's: the answer sits under that text.
"""
import uuid
from dataclasses import dataclass

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from crisisdesk import clock
from crisisdesk.domain import review_answers as rules
from crisisdesk.domain.errors import Conflict, Invalid, NotFound
from crisisdesk.domain.follow_up import choose_language
from crisisdesk.domain.reply_similarity import Candidate, similar_replies
from crisisdesk.domain.roles import Role
from crisisdesk.extensions import db
from crisisdesk.jobs import enqueue_review_answer, review_answer_job_id
from crisisdesk.models import Case, Review, ReviewAnswer, Shop
from crisisdesk.services import audit
from crisisdesk.services.access import get_shop
from crisisdesk.services.bridge_posts import BridgePosts
from crisisdesk.services.case_classification import classify_text
from crisisdesk.services.case_people import first_name
from crisisdesk.services.replies import signature_name
from crisisdesk.services.review_cases import REMOVED_STATUSES

LANGUAGES = rules.LANGUAGES
SIMILARITY_WINDOW = 500  # the shop's latest answers a text is compared with
OUT_STATUSES = ("pending", "sending", "posted")  # answers that went, or are going, under a review


class ReviewAnswerPosts(BridgePosts):
    """Answers: posted under their own review; nothing else to update (there is no case, no clock)."""

    model = ReviewAnswer
    noun = "review answer"

    def target(self, row):
        review = row.review
        return (None if review.status in REMOVED_STATUSES else review), db.session.get(Shop, row.shop_id)

    def webhook_id(self, row):
        return row.webhook_id

    def job_id(self, row):
        return review_answer_job_id(row.id, row.attempts, row.next_attempt_at)

    def enqueue(self, row, now):
        return enqueue_review_answer(row.id, self.job_id(row), row.next_attempt_at, now)


POSTS = ReviewAnswerPosts()


@dataclass(frozen=True)
class SimilarAnswer:
    answer_id: int
    review_id: int
    reviewer: str
    percent: int
    sent_at: object


def get_review(user, review_id, role=Role.VIEWER):
    """The review if `user` may see it with `role`; NotFound hides other shops' reviews."""
    review = db.session.get(Review, review_id)
    if review is None:
        raise NotFound("no such review")
    get_shop(user, review.shop_id, role)
    return review


def answer_refusal(review):
    """Why this review cannot be answered here (English, shown in the panel), or None."""
    if db.session.query(Case.query.filter(Case.review_id == review.id).exists()).scalar():
        return "This review has a case: answer it on the case page."
    if review.status in REMOVED_STATUSES:
        return "The review was trashed or marked as spam in WordPress: there is nothing to answer under."
    return None


def language_for(review, shop):
    """The review's language when its text says enough, else the shop's, else English."""
    return choose_language(None, review.text, shop.language)


def draft_for(user, review, language=None):
    """The suggested answer (domain/review_answers.py) in `language` or the review's, signed by `user`."""
    shop = db.session.get(Shop, review.shop_id)
    language = language if language in LANGUAGES else language_for(review, shop)
    result = classify_text(review.text)
    name = first_name(review.customer.first_name if review.customer else "", review.reviewer_name)
    agent = signature_name(user)
    return rules.draft_answer(rules.AnswerContext(
        language=language, rating=review.rating, text=review.text, causes=tuple(result.causes),
        sentiment=result.sentiment, first_name=name, product_name=review.product.name if review.product else "",
        signature=f"{agent}, {shop.name}" if agent else shop.name))


def earlier_answers(shop_ids):
    """The latest answers that went out in these shops, newest first, for `similar_answers` (one query)."""
    return (db.session.query(ReviewAnswer.id, ReviewAnswer.shop_id, ReviewAnswer.review_id, ReviewAnswer.content,
                             ReviewAnswer.created_at, ReviewAnswer.delivered_at, Review.customer_id,
                             Review.reviewer_email, Review.reviewer_name)
            .join(Review, Review.id == ReviewAnswer.review_id)
            .filter(ReviewAnswer.shop_id.in_(shop_ids or [-1]), ReviewAnswer.status.in_(OUT_STATUSES))
            .order_by(ReviewAnswer.id.desc()).limit(SIMILARITY_WINDOW * max(1, len(shop_ids))).all())


def similar_answers(review, text, earlier=None):
    """Earlier answers to *other* reviewers of the shop that `text` nearly repeats, most similar first."""
    rows = [row for row in (earlier if earlier is not None else earlier_answers([review.shop_id]))
            if row.shop_id == review.shop_id][:SIMILARITY_WINDOW]
    candidate = Candidate(text=text or "", names=tuple((review.reviewer_name or "").split()),
                          recipient_key=_recipient(review.customer_id, review.reviewer_email, review.id))
    by_id = {row.id: row for row in rows}
    matches = similar_replies(candidate, [(row.id, row.content,
                                           _recipient(row.customer_id, row.reviewer_email, row.review_id),
                                           tuple((row.reviewer_name or "").split())) for row in rows])
    return tuple(SimilarAnswer(answer_id=m.reply_id, review_id=by_id[m.reply_id].review_id,
                               reviewer=by_id[m.reply_id].reviewer_name, percent=m.percent,
                               sent_at=by_id[m.reply_id].delivered_at or by_id[m.reply_id].created_at)
                 for m in matches)


def send_answer(user, review_id, actor, text, language=None):
    """Record the agent's answer and start posting it; returns (the answer, sent now). An answer already sent, or
    on its way, is returned as it is: one public answer per review."""
    review = get_review(user, review_id, Role.AGENT)
    earlier = review.answer
    if earlier is not None and earlier.status != "failed":
        return earlier, False
    refusal = answer_refusal(review)
    if refusal:
        raise Conflict(refusal, "text")
    text = _checked_text(text)
    language = language if language in LANGUAGES else language_for(review, db.session.get(Shop, review.shop_id))
    similar = [{"answer_id": s.answer_id, "review_id": s.review_id, "percent": s.percent}
               for s in similar_answers(review, text)]
    values = dict(author_id=user.id, language=language, content=text, status="pending",
                  next_attempt_at=clock.utcnow(), claimed_at=None, last_error=None, delivered_at=None,
                  similar_to=similar, created_at=clock.utcnow())
    answer = _again(earlier, values) if earlier is not None else _new(review, values)
    if answer is None:  # another agent's answer won the race: theirs is the answer
        return _answer_of(review_id), False
    audit.record(actor, "review.answered", review, answer_id=answer.id, language=language,
                 similar_to=[s["answer_id"] for s in similar], again=earlier is not None)
    db.session.commit()
    POSTS.start(answer)
    return answer, True


def deliver(answer_id):
    """Post one answer under its review if due and unclaimed (the job's work)."""
    return POSTS.deliver(answer_id)


def sweep(now=None):
    """Take back claims of dead workers and re-enqueue due answers whose job was lost."""
    returned, requeued = POSTS.sweep(now or clock.utcnow())
    return {"returned": returned, "requeued": requeued}


def _new(review, values):
    answer = ReviewAnswer(shop_id=review.shop_id, review_id=review.id, webhook_id=f"msg_answer_{uuid.uuid4().hex}",
                          **values)
    db.session.add(answer)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        return None
    return answer


def _again(answer, values):
    """Send a failed answer anew: the same row and webhook-id (if WordPress did post it after all, the bridge
    answers with that comment instead of a second one)."""
    moved = db.session.execute(
        update(ReviewAnswer).where(ReviewAnswer.id == answer.id, ReviewAnswer.status == "failed").values(**values)
        .execution_options(synchronize_session=False)).rowcount
    if moved != 1:
        db.session.rollback()
        return None
    db.session.refresh(answer)
    return answer


def _answer_of(review_id):
    db.session.expire_all()
    return ReviewAnswer.query.filter_by(review_id=review_id).one()


def _checked_text(text):
    text = (text or "").replace("\r\n", "\n").strip()
    if not text:
        raise Invalid("the answer is empty", "text")
    if len(text) > rules.MAX_LENGTH:
        raise Invalid(f"the answer is longer than {rules.MAX_LENGTH} characters", "text")
    return text


def _recipient(customer_id, email, review_id):
    # One customer is one recipient, whichever review they wrote; a review without a customer is its own.
    if customer_id:
        return ("customer", customer_id)
    return ("email", email.lower()) if email else ("review", review_id)
