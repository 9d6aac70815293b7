"""The improvement log ("you said, we did", domain/improvements.py): record a change the shop made because of
feedback, link it to its causes, products and cases, and publish a short note on the shop's public page.

Products and cases are linked only within the improvement's own shop: a number that names another shop's case
gets the same answer as one that names no case at all, so the form teaches nothing about other shops. A public
note never carries an email address, a phone number or the name of a linked case's customer.
"""
from dataclasses import dataclass
from datetime import date

from sqlalchemy import exists, or_
from sqlalchemy.orm import joinedload

from crisisdesk import clock
from crisisdesk.domain.causes import CAUSES
from crisisdesk.domain.errors import Conflict, Invalid, NotFound
from crisisdesk.domain.improvements import (AREAS, CASES_MAX, DESCRIPTION_MAX, PUBLIC_NOTE_MAX, TITLE_MAX,
                                            case_numbers, public_note_problem)
from crisisdesk.domain.roles import Role
from crisisdesk.extensions import db
from crisisdesk.models import Case, Improvement, Product, Review, Shop
from crisisdesk.services import audit
from crisisdesk.services.access import get_shop, visible_shop_ids


@dataclass(frozen=True)
class ImprovementInput:
    """What the form says; checked and applied by `create_improvement` / `update_improvement`."""

    title: str
    area: str
    description: str
    made_on: date | None
    causes: list
    product_ids: list
    case_numbers: str  # "12, #15 31": the cases that prompted the change
    public_note: str = ""


def list_improvements(user, shop_id=None):
    """The log of one shop the user may see (NotFound otherwise), or of all of them; newest change first."""
    shop_ids = [get_shop(user, shop_id).id] if shop_id else visible_shop_ids(user)
    return (Improvement.query.options(joinedload(Improvement.shop))
            .filter(Improvement.shop_id.in_(shop_ids or [-1]))
            .order_by(Improvement.made_on.desc(), Improvement.id.desc()).all())


def get_improvement(user, improvement_id, role=Role.VIEWER):
    """The improvement if `user` may see it with `role`; NotFound hides other shops' improvements."""
    improvement = db.session.get(Improvement, improvement_id)
    if improvement is None:
        raise NotFound("no such improvement")
    get_shop(user, improvement.shop_id, role)
    return improvement


def product_choices(user, shop_id=None, keep=()):
    """Products worth linking: those with a review or a case in the shop (or every shop the user sees), plus
    the ids in `keep` (already linked); by shop, then name."""
    shop_ids = [get_shop(user, shop_id).id] if shop_id else visible_shop_ids(user)
    talked_about = or_(exists().where(Review.product_id == Product.id), exists().where(Case.product_id == Product.id),
                       Product.id.in_(list(keep) or [-1]))
    return (Product.query.join(Shop, Shop.id == Product.shop_id)
            .filter(Product.shop_id.in_(shop_ids or [-1]), talked_about)
            .order_by(Shop.name, Product.name, Product.id).all())


def create_improvement(user, shop_id, actor, data):
    """Log a change of `shop_id` (agents and up); returns it."""
    shop = get_shop(user, shop_id, Role.AGENT)
    improvement = Improvement(shop_id=shop.id, created_by=actor.user_id, causes=[], public_note="")
    _apply(improvement, data)
    db.session.add(improvement)
    db.session.flush()
    audit.record(actor, "improvement.created", improvement, title=improvement.title, area=improvement.area,
                 made_on=improvement.made_on.isoformat(), **_links(improvement))
    db.session.commit()
    return improvement


def update_improvement(user, improvement_id, actor, data):
    """Change what an improvement says; the audit entry names the fields that changed."""
    improvement = get_improvement(user, improvement_id, Role.AGENT)
    before = _snapshot(improvement)
    _apply(improvement, data)
    after = _snapshot(improvement)
    changed = sorted(field for field in after if after[field] != before[field])
    if changed:
        audit.record(actor, "improvement.updated", improvement, changed=changed, **_links(improvement))
    db.session.commit()
    return improvement


def publish(user, improvement_id, actor):
    """Show the improvement's note on the shop's public "You said, we did" page."""
    improvement = get_improvement(user, improvement_id, Role.AGENT)
    if not improvement.public_note:
        raise Conflict("write a public note before publishing it", "public_note")
    if improvement.published_at is None:
        improvement.published_at = clock.utcnow()
        audit.record(actor, "improvement.published", improvement)
        db.session.commit()
    return improvement


def withdraw(user, improvement_id, actor):
    """Take the note off the public page; the text stays, ready to publish again."""
    improvement = get_improvement(user, improvement_id, Role.AGENT)
    if improvement.published_at is not None:
        improvement.published_at = None
        audit.record(actor, "improvement.withdrawn", improvement)
        db.session.commit()
    return improvement


def published_notes(shop_id):
    """(the shop, its published improvements, newest change first), or None when it has published nothing:
    for the public page, which needs no login and so must not tell a shop that publishes nothing exists."""
    shop = db.session.get(Shop, shop_id)
    if shop is None:
        return None
    notes = (Improvement.query.filter(Improvement.shop_id == shop.id, Improvement.published_at.is_not(None))
             .order_by(Improvement.made_on.desc(), Improvement.id.desc()).all())
    return (shop, notes) if notes else None


def _apply(improvement, data):
    """Check every field of `data` against the rules and copy it onto `improvement` (nothing is committed)."""
    title = " ".join((data.title or "").split())
    if not title:
        raise Invalid("give the change a title", "title")
    if len(title) > TITLE_MAX:
        raise Invalid(f"the title is longer than {TITLE_MAX} characters", "title")
    if data.area not in AREAS:
        raise Invalid("choose one of the areas", "area")
    description = (data.description or "").strip()
    if not description:
        raise Invalid("describe what changed", "description")
    if len(description) > DESCRIPTION_MAX:
        raise Invalid(f"the description is longer than {DESCRIPTION_MAX} characters", "description")
    if data.made_on is None:
        raise Invalid("give the day the change took effect", "made_on")
    if data.made_on > clock.utcnow().date():
        raise Invalid("log a change once it has taken effect: the day is in the future", "made_on")
    causes = list(dict.fromkeys(data.causes or []))
    if any(cause not in CAUSES for cause in causes):
        raise Invalid("choose causes from the list", "causes")
    products = _products(improvement.shop_id, data.product_ids or [])
    if not causes and not products:
        raise Invalid("choose at least one cause or product, so that the effect can be measured", "causes")
    cases = _cases(improvement.shop_id, data.case_numbers)
    note = (data.public_note or "").strip()
    if len(note) > PUBLIC_NOTE_MAX:
        raise Invalid(f"the public note is longer than {PUBLIC_NOTE_MAX} characters", "public_note")
    if not note and improvement.published_at is not None:
        raise Invalid("withdraw the published note before emptying it", "public_note")
    problem = public_note_problem(note, _customer_names(cases)) if note else None
    if problem:
        raise Invalid(problem, "public_note")
    improvement.title, improvement.area, improvement.description = title, data.area, description
    improvement.made_on, improvement.causes, improvement.public_note = data.made_on, causes, note
    improvement.products, improvement.cases = products, cases


def _products(shop_id, product_ids):
    wanted = list(dict.fromkeys(int(i) for i in product_ids))
    found = Product.query.filter(Product.id.in_(wanted or [-1]), Product.shop_id == shop_id).all()
    if len(found) != len(wanted):
        raise Invalid("choose products of this shop", "products")
    return found


def _cases(shop_id, text):
    numbers, rejected = case_numbers(text)
    if rejected:
        raise Invalid(f"not a case number: {rejected[0]}", "cases")
    if len(numbers) > CASES_MAX:
        raise Invalid(f"link at most {CASES_MAX} cases", "cases")
    found = {c.id: c for c in Case.query.filter(Case.id.in_(numbers or [-1]), Case.shop_id == shop_id)}
    for number in numbers:
        if number not in found:  # another shop's case reads exactly like a missing one
            raise Invalid(f"no case #{number} in this shop", "cases")
    return [found[number] for number in numbers]


def _customer_names(cases):
    """Every name a linked case knows its customer by: the review's, the customer's, the order's billing name."""
    names = []
    for case in cases:
        people = [case.review.reviewer_name if case.review else "", case.order.billing_name if case.order else ""]
        if case.customer is not None:
            people += [case.customer.first_name, case.customer.last_name]
        for name in people:
            names += [name, *(name or "").split()]
    return names


def _snapshot(improvement):
    return {"title": improvement.title, "area": improvement.area, "description": improvement.description,
            "made_on": improvement.made_on, "public_note": improvement.public_note, **_links(improvement)}


def _links(improvement):
    return {"causes": list(improvement.causes or []), "product_ids": [p.id for p in improvement.products],
            "case_ids": [c.id for c in improvement.cases]}
