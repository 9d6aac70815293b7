"""Glue between the order-linking rule and the database: fetch candidates, apply the rule."""
from sqlalchemy import or_
from sqlalchemy.orm import selectinload

from crisisdesk.domain.order_linking import OrderCandidate, link_order, order_numbers_in_text
from crisisdesk.models import Order

MAX_CANDIDATES = 200


def candidate_orders(shop_id, email, text, remote_order_id=None):
    """This shop's orders that could be meant: by the reviewer's email, a number in the text, or the meta id."""
    conditions = []
    if email:
        conditions.append(Order.billing_email == email)
    numbers = order_numbers_in_text(text)
    if numbers:
        conditions.append(Order.number.in_(numbers))
    if remote_order_id:
        conditions.append(Order.remote_id == remote_order_id)
    if not conditions:
        return []
    orders = (Order.query.options(selectinload(Order.items))
              .filter(Order.shop_id == shop_id, or_(*conditions))
              .order_by(Order.created_at.desc()).limit(MAX_CANDIDATES).all())
    return [OrderCandidate(order_id=o.id, remote_id=o.remote_id, number=o.number, email=o.billing_email,
                           remote_product_ids=frozenset(i.remote_product_id for i in o.items),
                           created_at=o.created_at) for o in orders]


def best_link(shop_id, facts):
    """The OrderLink for these ReviewFacts among this shop's orders."""
    return link_order(facts, candidate_orders(shop_id, facts.email, facts.text, facts.remote_order_id))
