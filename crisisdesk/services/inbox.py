"""Read models for the panel: the inbox of cases, one case with its context, order search."""
from dataclasses import dataclass

from datetime import datetime, timezone

from sqlalchemy import and_, case as sql_case, func, literal, or_, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.sql.functions import FunctionElement

from crisisdesk import clock
from crisisdesk.domain.case_status import OPEN_STATUSES, CaseStatus
from crisisdesk.domain.errors import Invalid
from crisisdesk.domain.priority import LEVELS
from crisisdesk.domain.texts import N_
from crisisdesk.extensions import db
from crisisdesk.models import Case, IncidentCase, Order, Product, Review
from crisisdesk.models.types import UTCDateTime
from crisisdesk.services.access import get_shop, shop_workers, visible_shop_ids
from crisisdesk.services.cases import get_case

PER_PAGE = 25
STATUS_FILTERS = ["open", "all"] + [s.value for s in CaseStatus]
# priority: urgent first, then the nearest unmet SLA clock; due: the first answer's due time only (as before).
SORTS = {"priority": N_("Priority, then nearest due"), "due": N_("First answer due")}


@dataclass(frozen=True)
class InboxFilters:
    status: str = "open"
    overdue: bool = False
    shop_id: int | None = None
    product_id: int | None = None
    incident_id: int | None = None  # the cases of one incident (services/incidents.py)
    mine: bool = False
    page: int = 1
    sort: str = "priority"


@dataclass(frozen=True)
class Page:
    items: list
    total: int
    page: int
    per_page: int

    @property
    def pages(self):
        return max(1, -(-self.total // self.per_page))


def list_cases(user, filters):
    """Cases the user may see, filtered, most urgent and soonest due first (or by `sort`), one page at a time."""
    if filters.status not in STATUS_FILTERS:
        raise Invalid("unknown status filter", "status")
    if filters.sort not in SORTS:
        raise Invalid("unknown sort order", "sort")
    shop_ids = visible_shop_ids(user)
    if filters.shop_id is not None:
        shop_ids = [i for i in shop_ids if i == filters.shop_id]
    query = Case.query.filter(Case.shop_id.in_(shop_ids or [-1]))
    if filters.status == "open":
        query = query.filter(Case.status.in_(OPEN_STATUSES))
    elif filters.status != "all":
        query = query.filter(Case.status == filters.status)
    if filters.overdue:
        query = query.filter(Case.overdue_at(clock.utcnow()))
    if filters.incident_id:
        query = query.filter(Case.id.in_(db.session.query(IncidentCase.case_id)
                                         .filter(IncidentCase.incident_id == filters.incident_id)))
    if filters.product_id:
        query = query.filter(Case.product_id == filters.product_id)
    if filters.mine:
        query = query.filter(Case.assignee_id == user.id)
    total = query.with_entities(func.count(Case.id)).scalar()
    page = max(1, filters.page)
    # Sort the matching ids alone, then load one page of cases with what the rows show: joining every matching
    # case to its customer, product, review, order and assignee before sorting costs a lookup per case.
    ids = [case_id for (case_id,) in query.with_entities(Case.id).order_by(*_ORDER[filters.sort]())
           .offset((page - 1) * PER_PAGE).limit(PER_PAGE)]
    loaded = {case.id: case for case in
              Case.query.options(joinedload(Case.customer), joinedload(Case.product), joinedload(Case.review),
                                 joinedload(Case.order), joinedload(Case.assignee))
              .filter(Case.id.in_(ids or [-1]))}
    return Page(items=[loaded[case_id] for case_id in ids], total=total, page=page, per_page=PER_PAGE)


class _least(FunctionElement):
    """The smallest of its arguments: LEAST on PostgreSQL, the scalar MIN on SQLite (arguments never NULL here)."""
    type = UTCDateTime()
    inherit_cache = True


@compiles(_least)
def _least_default(element, compiler, **kw):
    return f"LEAST({compiler.process(element.clauses, **kw)})"


@compiles(_least, "sqlite")
def _least_sqlite(element, compiler, **kw):
    return f"MIN({compiler.process(element.clauses, **kw)})"


_NEVER = datetime(9999, 12, 31, tzinfo=timezone.utc)


def nearest_due_sql():
    """SQL for the due time of the case's nearest unmet clock (domain.sla.clock_states, clock by clock)."""
    never = literal(_NEVER, UTCDateTime())
    return _least(
        func.coalesce(sql_case((Case.first_responded_at.is_(None), Case.first_response_due_at)), never),
        func.coalesce(sql_case((Case.public_replied_at.is_(None), Case.apology_due_at)), never),
        func.coalesce(Case.next_update_due_at, never),
        func.coalesce(sql_case((and_(Case.formal_complaint_at.is_not(None),
                                     or_(Case.last_update_at.is_(None),
                                         Case.last_update_at < Case.formal_complaint_at)),
                                Case.statutory_due_at)), never))


def _priority_rank_sql():
    return sql_case(*[(Case.priority == level, rank) for rank, level in enumerate(LEVELS)], else_=len(LEVELS))


_ORDER = {
    "priority": lambda: (_priority_rank_sql(), nearest_due_sql(), Case.priority_score.desc(), Case.id),
    "due": lambda: (Case.first_response_due_at, Case.id),
}


def products_with_cases(user):
    """Products that have cases, for the inbox's product filter."""
    shop_ids = visible_shop_ids(user) or [-1]
    # EXISTS per product (an index probe each), not a join of every case: the shop has far more cases than products.
    has_cases = (select(Case.id).where(Case.product_id == Product.id, Case.shop_id.in_(shop_ids))
                 .exists())
    return Product.query.filter(Product.shop_id.in_(shop_ids), has_cases).order_by(Product.name).all()


@dataclass(frozen=True)
class CaseContext:
    case: Case
    order: Order | None
    customer_orders: list
    customer_reviews: list
    customer_cases: list
    agents: list


def case_context(user, case_id):
    """A case with everything the agent should see before answering (the fact check)."""
    case = get_case(user, case_id)
    order = None
    if case.order_id:
        order = (Order.query.options(selectinload(Order.items), selectinload(Order.refunds))
                 .filter_by(id=case.order_id).one())
    orders, reviews, cases = [], [], []
    if case.customer_id:
        orders = (Order.query.options(selectinload(Order.items))
                  .filter_by(shop_id=case.shop_id, customer_id=case.customer_id)
                  .order_by(Order.created_at.desc()).limit(50).all())
        reviews = (Review.query.options(joinedload(Review.product))
                   .filter_by(shop_id=case.shop_id, customer_id=case.customer_id)
                   .order_by(Review.created_at.desc()).limit(50).all())
        cases = (Case.query.filter(Case.shop_id == case.shop_id, Case.customer_id == case.customer_id,
                                   Case.id != case.id).order_by(Case.opened_at.desc()).limit(50).all())
    return CaseContext(case=case, order=order, customer_orders=orders, customer_reviews=reviews,
                       customer_cases=cases, agents=shop_workers(case.shop_id))


def search_orders(user, shop_id, text, limit=20):
    """This shop's orders whose number, email or billing name matches `text`."""
    get_shop(user, shop_id)
    text = (text or "").strip().lstrip("#")
    if len(text) < 2:
        return []
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    like = f"%{escaped}%"  # what the agent typed is matched literally, "%" and "_" included
    return (Order.query.options(selectinload(Order.items))
            .filter(Order.shop_id == shop_id,
                    or_(Order.number == text, Order.billing_email.like(like, escape="\\"),
                        Order.billing_name.ilike(like, escape="\\")))
            .order_by(Order.created_at.desc()).limit(limit).all())


def orders_with_email(shop_id, email, limit=20):
    """The shop's latest orders billed to exactly `email` (any letter case): one index lookup, where the agent's
    substring search (search_orders) reads every order of the shop. Billing emails are stored lower-cased
    (domain.wc_payloads)."""
    return (Order.query.filter(Order.shop_id == shop_id, Order.billing_email == email.strip().lower())
            .order_by(Order.created_at.desc(), Order.id.desc()).limit(limit).all())
