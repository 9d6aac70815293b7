"""Everything one shop holds about one customer, found by email address (privacy export and erasure).

Theirs: the customer rows with that address; the orders billed to it or to those customers; the
reviews written under it or by those customers; the cases of those customers or of those reviews;
those cases' compensations, and goodwill codes of those orders sent without a case (a delay
notice's); and the stored raw events of those orders and reviews. A case of
someone else that is merely linked to one of their orders (a reviewer quoting an order number) is
not theirs and is left out. Every query is scoped to the one shop: the same address in another
shop is another shop's customer.
"""
import json
from dataclasses import dataclass, field

from sqlalchemy import and_, func, or_

from crisisdesk.domain.events import ORDER_TYPES, REVIEW_TYPES
from crisisdesk.extensions import db
from crisisdesk.models import Case, Compensation, Customer, InboundEvent, Order, Review

EVENT_BATCH = 200
TERMS_PER_QUERY = 200  # SQLite refuses expression trees deeper than 1000; an OR of N terms is N deep


@dataclass
class CustomerRecords:
    emails: frozenset
    customers: list = field(default_factory=list)
    orders: list = field(default_factory=list)
    reviews: list = field(default_factory=list)
    cases: list = field(default_factory=list)
    compensations: list = field(default_factory=list)

    def identifiers(self):
        """The address and every name the person appears under here, to find them quoted in free text."""
        names = set(self.emails)
        for customer in self.customers:
            names.update((customer.email, customer.first_name, customer.last_name,
                          f"{customer.first_name} {customer.last_name}".strip()))
        names.update(order.billing_name for order in self.orders)
        names.update(review.reviewer_name for review in self.reviews)
        return {name for name in names if name}


@dataclass(frozen=True)
class StoredEvent:
    id: int
    type: str
    occurred_at: object
    document: dict | None  # None when the stored body is not JSON (kept from a failed event)

    @property
    def data(self):
        document = self.document or {}
        return document.get("data") if isinstance(document.get("data"), dict) else {}

    @property
    def is_order(self):
        return self.type in ORDER_TYPES

    @property
    def resource_id(self):
        return _id(self.data)


def find(shop, emails):
    """The shop's records of the customer with any of `emails` (already normalised to lower case)."""
    emails = frozenset(emails)
    records = CustomerRecords(emails=emails)
    records.customers = (Customer.query.filter(Customer.shop_id == shop.id, Customer.email.in_(emails))
                         .order_by(Customer.id).all())
    customer_ids = [c.id for c in records.customers]
    records.orders = (Order.query.filter(Order.shop_id == shop.id,
                                         or_(Order.billing_email.in_(emails), Order.customer_id.in_(customer_ids)))
                      .order_by(Order.created_at, Order.id).all())
    records.reviews = (Review.query.filter(Review.shop_id == shop.id,
                                           or_(Review.reviewer_email.in_(emails),
                                               Review.customer_id.in_(customer_ids)))
                       .order_by(Review.created_at, Review.id).all())
    review_ids = [r.id for r in records.reviews]
    records.cases = (Case.query.filter(Case.shop_id == shop.id,
                                       or_(Case.customer_id.in_(customer_ids), Case.review_id.in_(review_ids)))
                     .order_by(Case.opened_at, Case.id).all())
    records.compensations = (Compensation.query
                             .filter(Compensation.shop_id == shop.id,
                                     or_(Compensation.case_id.in_([c.id for c in records.cases]),
                                         and_(Compensation.case_id.is_(None),
                                              Compensation.order_id.in_([o.id for o in records.orders]))))
                             .order_by(Compensation.id).all())
    return records


def of_case(case):
    """The person of one case, as records of that case alone (the retention period: services/retention.py).

    Their addresses and names come from the case's customer, its review and its order when it is billed to them;
    their other orders, reviews and cases are not included.
    """
    customers = [case.customer] if case.customer else []
    reviews = [case.review] if case.review else []
    emails = {c.email for c in customers} | {r.reviewer_email.strip().lower() for r in reviews}
    emails.discard("")
    orders = [case.order] if case.order and case.order.billing_email.lower() in emails else []
    compensations = Compensation.query.filter_by(case_id=case.id).order_by(Compensation.id).all()
    return CustomerRecords(emails=frozenset(emails), customers=customers, orders=orders, reviews=reviews,
                           cases=[case], compensations=compensations)


def stored_events(shop, records):
    """The shop's stored raw events that carry one of the customer's orders or reviews, oldest first.

    Event bodies are not indexed by resource, so SQL first narrows them to bodies that mention one of
    the addresses or one of the resource ids (`"id":42` as PHP writes JSON, `"id": 42` as Python
    does), and each candidate is then confirmed on its parsed document. A body that is not JSON at
    all is taken when it contains the address.
    """
    order_ids = {order.remote_id for order in records.orders}
    review_ids = {review.remote_id for review in records.reviews}
    found = []
    for row in _candidates(shop, records.emails, order_ids, review_ids):
        document = _parse(row.body)
        if document is None:
            mine = any(email in row.body.lower() for email in records.emails)
        else:
            mine = _concerns(row.type, document, records.emails, order_ids, review_ids)
        if mine:
            found.append(StoredEvent(row.id, row.type, row.occurred_at, document))
    return found


def _candidates(shop, emails, order_ids, review_ids):
    terms = [func.lower(InboundEvent.body).like(f"%{_escape_like(email)}%", escape="\\") for email in sorted(emails)]
    for types, ids in ((ORDER_TYPES, order_ids), (REVIEW_TYPES, review_ids)):
        for remote_id in sorted(ids):
            terms.append(and_(InboundEvent.type.in_(sorted(types)),
                              or_(InboundEvent.body.like(f'%"id":{remote_id}%'),
                                  InboundEvent.body.like(f'%"id": {remote_id}%'))))
    seen = set()
    for start in range(0, len(terms), TERMS_PER_QUERY):
        query = (db.session.query(InboundEvent.id, InboundEvent.type, InboundEvent.occurred_at, InboundEvent.body)
                 .filter(InboundEvent.shop_id == shop.id, or_(*terms[start:start + TERMS_PER_QUERY]))
                 .order_by(InboundEvent.id))
        for row in query.yield_per(EVENT_BATCH):
            if row.id not in seen:
                seen.add(row.id)
                yield row


def _concerns(event_type, document, emails, order_ids, review_ids):
    data = document.get("data") if isinstance(document.get("data"), dict) else {}
    if event_type in ORDER_TYPES:
        billing = data.get("billing") if isinstance(data.get("billing"), dict) else {}
        return _id(data) in order_ids or _lower(billing.get("email")) in emails
    if event_type in REVIEW_TYPES:
        return _id(data) in review_ids or _lower(data.get("reviewer_email")) in emails
    return False


def _parse(body):
    try:
        document = json.loads(body)
    except ValueError:
        return None
    return document if isinstance(document, dict) else None


def _id(data):
    # The parser takes "42" as well as 42 (WooCommerce sends both in places), so the match does too.
    try:
        return int(data.get("id"))
    except (TypeError, ValueError):
        return None


def _lower(value):
    return value.strip().lower() if isinstance(value, str) else None


def _escape_like(text):
    # "_" is common in addresses and would match any character; "%" and "\\" are legal in them too.
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
