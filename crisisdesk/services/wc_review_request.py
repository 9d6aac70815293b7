"""The bridge asks, before WooCommerce schedules its own review request, whether to hold it back.

The rule is domain/wc_review_request.py; this module finds its two facts in the calling shop only:

- an open case of the customer with the address the bridge names (reviewers and guests have a
  customer row too), or of the order's buyer (found by WooCommerce's order id: the billing address
  may have been changed since);
- the address on the shop's suppression list (unsubscribed, or refused for good by a mail server).

Nothing is written: the question is asked when an order turns completed and repeats are harmless.
"""
from sqlalchemy import exists, or_, select

from crisisdesk.domain import wc_review_request as rules
from crisisdesk.domain.case_status import OPEN_STATUSES
from crisisdesk.domain.personal_data import lookup_address
from crisisdesk.domain.wc_payloads import positive_id
from crisisdesk.extensions import db
from crisisdesk.models import Case, Customer, Order
from crisisdesk.services import outbox


def check(shop, body):
    """`{"send": true}` or `{"send": false, "reason": "open_case" | "opted_out"}` for the call's JSON object
    `{"email": ..., "order_id": ...}`; Invalid names the missing or malformed field."""
    address = lookup_address(body.get("email"))
    order_id = positive_id(body, "order_id")
    return rules.decide(open_case=_has_open_case(shop.id, address, order_id),
                        opted_out=outbox.is_suppressed(shop.id, address))


def _has_open_case(shop_id, address, order_id):
    customers = select(Customer.id).where(Customer.shop_id == shop_id, Customer.email == address)
    buyer = select(Order.customer_id).where(Order.shop_id == shop_id, Order.remote_id == order_id,
                                            Order.customer_id.is_not(None))
    clause = exists().where(Case.shop_id == shop_id, Case.status.in_(OPEN_STATUSES),
                            or_(Case.customer_id.in_(customers), Case.customer_id.in_(buyer)))
    return bool(db.session.query(clause).scalar())
