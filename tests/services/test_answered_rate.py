"""The dashboard's answered rate (services/dashboard.review_counts) and its count of negative reviews held for
moderation too long, on a data set where every number can be checked by hand.

Shop A, November 2026 (the clock stands at 2026-11-22 12:00 UTC); answered = a public answer *posted*:
  positive  p1 5★ answer posted ✓   p2 4★ answer pending   p3 5★ no answer   p4 5★ answer failed
  neutral   n1 3★ answer posted ✓   n2 3★ opened a case, public reply posted ✓
  negative  c1 1★ public reply posted ✓   c2 2★ email reply only   c3 1★ resolution note posted ✓
            c4 1★ public reply failed
  left out  s1 5★ spam (answered), Shop B's 5★ (answered)
October: o1 5★ answered ✓, h1 1★ held since 10-20 (a case, the warning is due), h2 5★ held (not negative).
"""
import itertools
from datetime import date, datetime, timezone

import pytest

from crisisdesk.demo.payloads import review_payload
from crisisdesk.domain.periods import Period
from crisisdesk.extensions import db
from crisisdesk.models import Case, CaseReply, Review, ReviewAnswer
from crisisdesk.services import dashboard as service
from crisisdesk.services.resolution_notes import note_key
from tests import factories

NOVEMBER, OCTOBER = Period(date(2026, 11, 1), date(2026, 11, 30)), Period(date(2026, 10, 1), date(2026, 10, 31))
PRAISE, COMPLAINT = "Lovely mug, thank you!", "Arrived broken and late, very bad."
_ids = itertools.count(9000)  # unique across tests and database parameters


def review(shop, rating, day, text=PRAISE, status="approved"):
    written = datetime(2026, *day, 10, 0, tzinfo=timezone.utc)
    data = review_payload(next(_ids), 10, "Mug", "Grace Hopper", f"g{next(_ids)}@example.com", text, rating, written,
                          status=status)
    factories.deliver(shop, "review.created", data, written)
    return Review.query.filter_by(shop_id=shop.id, remote_id=data["id"]).one()


def answered(found, status="posted"):
    db.session.add(ReviewAnswer(shop_id=found.shop_id, review_id=found.id, language="en", content="Thank you!",
                                webhook_id=f"msg_answer_{found.id}", status=status))


def replied(found, status="posted", channel="public", key=None):
    case = Case.query.filter_by(review_id=found.id).one()
    db.session.add(CaseReply(shop_id=case.shop_id, case=case, channel=channel, language="en", content="Sorry.",
                             idempotency_key=key(case) if key else f"reply-{found.id}:{channel}", status=status))


@pytest.fixture
def data_set(frozen_clock, shop_a, shop_b):
    answered(review(shop_a, 5, (11, 2)))
    answered(review(shop_a, 4, (11, 3)), "pending")
    review(shop_a, 5, (11, 4))
    answered(review(shop_a, 5, (11, 5)), "failed")
    answered(review(shop_a, 3, (11, 6), "Average mug."))
    replied(review(shop_a, 3, (11, 7), COMPLAINT))
    replied(review(shop_a, 1, (11, 8), COMPLAINT))
    replied(review(shop_a, 2, (11, 9), COMPLAINT), "queued", "email")
    replied(review(shop_a, 1, (11, 10), COMPLAINT), key=lambda case: note_key(case.id))
    replied(review(shop_a, 1, (11, 11), COMPLAINT), "failed")
    answered(review(shop_a, 5, (11, 12), status="spam"))
    answered(review(shop_b, 5, (11, 12)))
    answered(review(shop_a, 5, (10, 5)))
    review(shop_a, 1, (10, 20), COMPLAINT, status="hold")
    review(shop_a, 5, (10, 21), status="hold")
    db.session.commit()


def test_it_counts_the_reviews_with_a_public_answer_overall_and_per_class(data_set, viewer, shop_a):
    result = service.dashboard(viewer, NOVEMBER, shop_a.id)

    now = result.current
    assert (now.reviews, now.answered_reviews, now.answered_rate) == (10, 5, 0.5)
    assert (now.positive_reviews, now.answered_positive, now.answered_rate_positive) == (4, 1, 0.25)
    assert (now.neutral_reviews, now.answered_neutral, now.answered_rate_neutral) == (2, 2, 1.0)
    assert (now.negative_reviews, now.answered_negative, now.answered_rate_negative) == (4, 2, 0.5)
    before = result.previous
    assert (before.reviews, before.answered_reviews, before.answered_rate) == (3, 1, 0.3333)
    assert (before.neutral_reviews, before.answered_rate_neutral) == (0, None)


def test_it_counts_every_shop_the_user_sees_and_the_reviews_held_too_long_now(data_set, owner, viewer):
    everything = service.dashboard(owner, NOVEMBER)
    assert (everything.current.reviews, everything.current.answered_reviews) == (11, 6)  # with Shop B's
    # h1 (1★, held since 10-20) is past the 24 h warning time; h2 is held too, but it is not negative.
    assert everything.held_too_long == 1
    assert service.dashboard(viewer, OCTOBER).held_too_long == 1
