"""Customers hit by one crisis: their orders and 1★ reviews applied by the real ingest services (the path every
signed event and the backfill take, without signing each one), so their cases open, classified and linked."""
from datetime import timedelta

from crisisdesk import clock
from crisisdesk.domain.actor import Actor
from crisisdesk.domain.wc_payloads import parse_order, parse_review
from crisisdesk.extensions import db
from crisisdesk.models import Case, Review
from crisisdesk.services import ingest
from tests import factories

LATE = "The courier lost my parcel, it is two weeks late and nobody answers."
BROKEN = "Arrived broken, the handle snapped off."
NAMES = ["Anna", "Ben", "Cilla", "Dan", "Ewa", "Filip", "Gita", "Hugo", "Ida", "Jan"]


def actor_of(user):
    return Actor(label=user.email, user_id=user.id)


def affected_cases(shop, numbers, text=LATE, with_order=True, product_id=10, total=25.0, ago=timedelta(hours=2),
                   email=None, name=None):
    """For each number: a customer's order (optional) and, `ago` before now, their 1★ review; returns the cases."""
    when = clock.utcnow() - ago
    for number in numbers:
        address = email or f"customer{number}@example.com"
        first = name or NAMES[(number - 1) % len(NAMES)]
        if with_order:
            order = factories.order(order_id=7000 + number, email=address, created_at=when - timedelta(days=3),
                                    items=[((7000 + number) * 10, product_id, "Kettle", 1, total)])
            order["billing"]["first_name"] = first
            ingest.apply_resource(shop, parse_order(order), when)
        review = factories.review(review_id=9000 + number, product_id=product_id, text=text, email=address,
                                  created_at=when)
        review["reviewer"] = f"{first} Example"
        ingest.apply_resource(shop, parse_review(review), when)
    db.session.commit()
    return (Case.query.join(Case.review).filter(Review.shop_id == shop.id,
                                                Review.remote_id.in_([9000 + n for n in numbers]))
            .order_by(Case.id).all())


def affected_case(shop, number, **kwargs):
    [case] = affected_cases(shop, [number], **kwargs)
    return case


def courier_failure(shop, count, **kwargs):
    """`count` customers whose parcels the courier lost, each with an order and a 1★ review."""
    return affected_cases(shop, range(1, count + 1), **kwargs)


def compensate(case, kind, state="succeeded", currency="PLN", **fields):
    """A compensation in `state` (its WooCommerce side is tested in test_compensation.py)."""
    from crisisdesk.models import Compensation

    db.session.add(Compensation(shop_id=case.shop_id, case_id=case.id, order_id=case.order_id, kind=kind,
                                state=state, idempotency_key=f"k-{kind}-{case.id}-{state}", currency=currency,
                                **fields))
    db.session.commit()
