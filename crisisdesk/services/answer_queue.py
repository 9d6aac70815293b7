"""The "Reviews to answer" queue: reviews that opened no case, newest first, with their answer if any.

Negative reviews have cases and are answered there; this queue is for everyone else (SPEC "Answer everyone"):
positive and neutral reviews, and negative ones below the shop's case threshold. Reviews trashed or spammed in
WordPress are left out: there is nothing to answer under. "Unanswered" includes an answer WordPress refused
for good (it can be sent again); "answered" is one posted or on its way.
"""
from dataclasses import dataclass

from sqlalchemy import or_
from sqlalchemy.orm import joinedload

from crisisdesk.domain.errors import Invalid
from crisisdesk.extensions import db
from crisisdesk.models import Case, Review, ReviewAnswer
from crisisdesk.services.access import visible_shop_ids
from crisisdesk.services.inbox import Page
from crisisdesk.services.review_answers import OUT_STATUSES
from crisisdesk.services.review_cases import REMOVED_STATUSES

PER_PAGE = 20
STATUS_FILTERS = ("unanswered", "answered", "all")
RATINGS = (5, 4, 3, 2, 1)


@dataclass(frozen=True)
class QueueFilters:
    status: str = "unanswered"
    shop_id: int | None = None
    rating: int | None = None
    page: int = 1


@dataclass(frozen=True)
class QueueItem:
    review: Review
    answer: ReviewAnswer | None


def list_reviews(user, filters):
    """One page of the reviews without a case that the user may see, filtered, newest first."""
    if filters.status not in STATUS_FILTERS:
        raise Invalid("unknown answer filter", "status")
    if filters.rating is not None and filters.rating not in RATINGS:
        raise Invalid("the rating is a number of stars from 1 to 5", "rating")
    shop_ids = visible_shop_ids(user)
    if filters.shop_id is not None:
        shop_ids = [i for i in shop_ids if i == filters.shop_id]
    query = (db.session.query(Review, ReviewAnswer)
             .outerjoin(Case, Case.review_id == Review.id)
             .outerjoin(ReviewAnswer, ReviewAnswer.review_id == Review.id)
             .filter(Review.shop_id.in_(shop_ids or [-1]), Case.id.is_(None),
                     Review.status.not_in(sorted(REMOVED_STATUSES))))
    if filters.status == "unanswered":
        query = query.filter(or_(ReviewAnswer.id.is_(None), ReviewAnswer.status.not_in(OUT_STATUSES)))
    elif filters.status == "answered":
        query = query.filter(ReviewAnswer.status.in_(OUT_STATUSES))
    if filters.rating is not None:
        query = query.filter(Review.rating == filters.rating)
    total = query.count()
    page = max(1, filters.page)
    rows = (query.options(joinedload(Review.product), joinedload(Review.customer))
            .order_by(Review.created_at.desc(), Review.id.desc())
            .offset((page - 1) * PER_PAGE).limit(PER_PAGE).all())
    return Page(items=[QueueItem(review, answer) for review, answer in rows], total=total, page=page,
                per_page=PER_PAGE)
