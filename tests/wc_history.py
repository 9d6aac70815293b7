"""A shop's history in the WooCommerce stand-in, and connecting a shop to it (backfill and reconcile tests)."""
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from crisisdesk.domain.actor import Actor
from crisisdesk.services import woo as woo_service

PAST = datetime(2026, 9, 1, 10, 0, tzinfo=timezone.utc)
BROKEN = "Arrived broken, the lid is cracked and it leaks. Very disappointed."
LATE = "Three weeks late and nobody answered my emails. Terrible service."


def connect(shop, owner, woo, consumer_key=None, consumer_secret=None):
    """Save the stand-in's API keys (or the ones given) on `shop`, as the owner does in the panel."""
    woo_service.save_keys(owner, shop.id, consumer_key or woo.consumer_key, consumer_secret or woo.consumer_secret,
                          Actor(label=owner.email, user_id=owner.id), rest_url=woo.url)
    return shop


@dataclass
class History:
    orders: list
    negative: list  # reviews that must open a case
    positive: list


def add_history(woo):
    """Five past orders and four past reviews (two negative), on top of the stand-in's seeded order 12 and
    4-star review 5: six orders and five reviews in all, two of which open cases."""
    orders = [woo.add_order(total=f"{20 + i}.00", status="completed", email=f"buyer{i}@example.com",
                            date_created=PAST + timedelta(days=i)) for i in range(5)]
    negative = [
        woo.add_review(rating=1, review=BROKEN, reviewer="Ann Buyer", reviewer_email="buyer1@example.com",
                       date_created=PAST + timedelta(days=10)),
        woo.add_review(rating=2, review=LATE, reviewer="Bo Buyer", reviewer_email="buyer3@example.com",
                       date_created=PAST + timedelta(days=11)),
    ]
    positive = [
        woo.add_review(rating=5, review="Lovely, works perfectly.", reviewer_email="buyer0@example.com",
                       date_created=PAST + timedelta(days=12)),
        woo.add_review(rating=4, review="Good value.", reviewer_email="buyer2@example.com",
                       date_created=PAST + timedelta(days=13)),
    ]
    return History(orders, negative, positive)


def listed(woo, resource, **params):
    """The pages the client asked for, in order, for list requests of `resource` ("orders" or "products/reviews")
    whose parameters include `params` (as strings)."""
    path = f"/wp-json/wc/v3/{resource}"
    wanted = {k: str(v) for k, v in params.items()}
    return [int(r.params.get("page", 1)) for r in woo.requests
            if r.method == "GET" and r.path == path and wanted.items() <= r.params.items()]
