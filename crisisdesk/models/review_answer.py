"""The shop's public answer to a review that opened no case: a thank-you, or an answer to a suggestion.

Why a table of its own rather than CaseReply with a nullable case: a case reply belongs to a case in every
way that matters (its clocks, its timeline, its 5P check, its email channel); an answer has none of those and
one thing a reply has not: at most one per review, held by the UNIQUE review_id. Both are delivered by the one
machinery of services/bridge_posts.py, so the two tables share their delivery columns (models/posted.py).

  pending → sending → posted (a comment under the review)
          ↘ pending again (WordPress unreachable, with backoff)
          ↘ failed (WordPress refused it for good) → pending again when an agent sends it anew
"""
from crisisdesk.extensions import db
from crisisdesk.models.posted import PostedUnderReview

ANSWER_STATUSES = ("pending", "sending", "posted", "failed")


class ReviewAnswer(PostedUnderReview, db.Model):
    __tablename__ = "review_answers"
    __table_args__ = (
        db.UniqueConstraint("review_id"),  # one public answer per review: a double click finds the first
        db.UniqueConstraint("webhook_id"),
        db.Index("ix_review_answers_status_next", "status", "next_attempt_at"),
    )

    id = db.Column(db.Integer, primary_key=True)
    shop_id = db.Column(db.Integer, db.ForeignKey("shops.id", ondelete="CASCADE"), nullable=False, index=True)
    review_id = db.Column(db.Integer, db.ForeignKey("reviews.id", ondelete="CASCADE"), nullable=False)
    author_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"))
    # The webhook-id of every attempt, fixed when the row is made: the bridge answers a repeat with its first comment.
    webhook_id = db.Column(db.String(64), nullable=False)
    # language, content, status (one of ANSWER_STATUSES), attempts, … delivered_at: models/posted.py. created_at is
    # reset when a failed answer is sent again, so the 4 days before giving up start anew.
    similar_to = db.Column(db.JSON, nullable=False, default=list)  # earlier answers it nearly repeats

    review = db.relationship("Review", backref=db.backref("answer", uselist=False))
    author = db.relationship("User")
