"""Helpers for the reply tests: a review case linked to its order, a hand-entered complaint, a bridge route for the
shop, and a short way to send a reply as a persona."""
import uuid
from decimal import Decimal

import pytest

from crisisdesk.domain.actor import Actor
from crisisdesk.domain.compensation_request import CompensationRequest
from crisisdesk.extensions import db
from crisisdesk.models import Case, CaseReply, Review
from crisisdesk.services import cases as case_service
from crisisdesk.services import compensation, replies
from tests import factories
from tests.bridge_standin import BridgeRoute

KETTLE = "Czajnik Lab 1,7 l"


def actor_of(user):
    return Actor(label=user.email, user_id=user.id)


def review_case(shop, email="anna@example.com", first="Anna", last="Kowalska", order_id=None, product_id=10,
                text="Czajnik przyszedł uszkodzony, pokrywa pęknięta.", product=KETTLE):
    """A one-star review of `product` by a customer whose order (number = `order_id`) contains it; the case links."""
    order = factories.order(order_id=order_id, email=email, items=[((order_id or 0) * 10 + 1, product_id, product, 1,
                                                                     120.0)])
    order["billing"].update(first_name=first, last_name=last)
    factories.deliver(shop, "order.created", order)
    payload = factories.review(product_id=product_id, rating=1, text=text, email=email)
    payload.update(reviewer=f"{first} {last}", product_name=product)
    factories.deliver(shop, "review.created", payload)
    case = Case.query.join(Case.review).filter(Review.shop_id == shop.id, Review.remote_id == payload["id"]).one()
    assert case.order is not None and case.order.remote_id == order["id"]
    return case


def manual_case(shop, agent, email="jan@example.com", name="Jan Nowak", text="Paczka nie dotarła od dwóch tygodni."):
    return case_service.open_manual_case(agent, shop.id, actor_of(agent), "phone", email, name, text)


def coupon_for(case, agent, percent="10"):
    """An approved 10 % discount code on the case (below the approval threshold: no second person needed)."""
    return compensation.request_compensation(
        agent, case.id, CompensationRequest(kind="coupon", amount=Decimal(percent), coupon_type="percent"),
        uuid.uuid4().hex, actor_of(agent))


def send(user, case, text, channel="email", key=None, language=None):
    return replies.send_reply(user, case.id, actor_of(user), channel, text, key or uuid.uuid4().hex, language)


def reply(reply_id):
    """The reply as it is in the database now."""
    db.session.expire_all()
    return db.session.get(CaseReply, reply_id)


@pytest.fixture
def wordpress(shop_a):
    """The bridge's replies route for shop A (a stand-in on loopback), with the shop's URL pointing at it."""
    route = BridgeRoute(factories.secret_of(shop_a)).start()
    shop_a.url = route.url
    db.session.commit()
    yield route
    route.stop()
