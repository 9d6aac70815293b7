"""One of everything a shop has, built through the real signed-event path and the services, with the texts of
a chosen persona in every field people write: the shop isolation walker (two shops, each its own strings) and the
hostile input walker (one shop whose strings are attack payloads) share it.

The clock must be frozen (the `frozen_clock` fixture: 2026-11-22 12:00 UTC) so the alert's spike and the at-risk
order fall where the rules look.
"""
import itertools
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from crisisdesk.demo.payloads import order_payload, review_payload
from crisisdesk.domain.actor import Actor
from crisisdesk.extensions import db
from crisisdesk.models import AtRiskOrder, Case, CrisisAlert, Order, Product, Review
from tests import factories

_remote_ids = itertools.count(70_001)
MAIN_PRODUCT, OTHER_PRODUCT = 41, 42


@dataclass(frozen=True)
class Persona:
    """Everything a shop's customers, products and staff write, as one set of strings."""

    first_name: str
    last_name: str
    email: str
    partner_email: str  # a second customer: the order at risk, the privacy requests
    review_text: str
    praise_text: str
    product_name: str
    other_product_name: str
    order_number: str
    order_note: str
    address: str
    sku: str
    refund_reason: str
    note_text: str  # an agent's note on the case
    reply_text: str  # the agent's reply to the customer
    answer_text: str  # the public answer to a positive review
    flag_text: str
    remedy_text: str
    improvement_title: str
    public_note: str
    incident_title: str
    incident_statement: str
    permalink: str = ""  # the product's page as WooCommerce sends it; empty: made from the name


def build_world(shop, agent, persona, now):
    """A case from a 1-star review linked to its order (a note, a reply, a compensation waiting for approval, a
    flag with a removal request, a planned remedy), a second order at risk, a positive review with a public answer,
    a crisis alert over a spike of complaints, an improvement with a published note and an open incident.
    Returns the ids by URL parameter name, as tests/web/panel/test_access.py's `fill()` takes them."""
    from crisisdesk.services import (case_remedies, cases, compensation, crisis_alerts, improvements, incidents,
                                     replies, review_answers, review_flags, woo)
    from crisisdesk.domain.compensation_request import CompensationRequest
    from crisisdesk.services.improvements import ImprovementInput
    from crisisdesk.services.at_risk_orders import flag_at_risk_orders

    actor = Actor(label=agent.email, user_id=agent.id)
    p = persona
    order = _order(p, p.email, now - timedelta(days=21))
    factories.deliver(shop, "order.created", order)
    partner = _order(p, p.partner_email, now - timedelta(days=20))
    factories.deliver(shop, "order.created", partner)
    _quiet_history(shop, p, now)
    complaint = _review(p, p.review_text, 1, now - timedelta(days=2), MAIN_PRODUCT)
    factories.deliver(shop, "review.created", complaint)
    for hours in (4, 8, 12, 16):  # a spike on the main product: the crisis alert
        factories.deliver(shop, "review.created", _review(p, f"{p.review_text} ({hours} h)", 1,
                                                          now - timedelta(hours=hours), MAIN_PRODUCT))
    praise = _review(p, p.praise_text, 5, now - timedelta(days=1), OTHER_PRODUCT)
    factories.deliver(shop, "review.created", praise)

    case = Case.query.join(Case.review).filter(Review.shop_id == shop.id, Review.remote_id == complaint["id"]).one()
    shop.approval_threshold = 0  # every compensation waits for a second person
    box = woo.secret_box()
    shop.woo_key_encrypted, shop.woo_secret_encrypted = box.encrypt("ck_" + "k" * 40), box.encrypt("cs_" + "s" * 40)
    db.session.commit()
    cases.add_note(agent, case.id, p.note_text, actor)
    replies.send_reply(agent, case.id, actor, "email", p.reply_text, f"world-reply-{shop.id}")
    waiting = compensation.request_compensation(
        agent, case.id, CompensationRequest(kind="coupon", amount=Decimal("10"), coupon_type="percent"),
        f"world-compensation-{shop.id}", actor)
    flag = review_flags.flag_review(agent, case.id, actor, "abusive", p.flag_text)
    review_flags.request_removal(agent, case.id, flag.id, actor, "wordpress", p.flag_text)
    remedy, _ = case_remedies.record(agent, case.id, actor, "process_changed", p.remedy_text,
                                     f"world-remedy-{shop.id}", "planned")
    praise_row = Review.query.filter_by(shop_id=shop.id, remote_id=praise["id"]).one()
    review_answers.send_answer(agent, praise_row.id, actor, p.answer_text, "en")
    crisis_alerts.detect_in_shop(shop, now)
    alert = CrisisAlert.query.filter_by(shop_id=shop.id).one()
    improvement = improvements.create_improvement(agent, shop.id, actor, ImprovementInput(
        title=p.improvement_title, area="logistics", description=p.public_note, made_on=now.date() - timedelta(days=3),
        causes=["damaged_or_defective"], product_ids=[], case_numbers=str(case.id), public_note=p.public_note))
    improvements.publish(agent, improvement.id, actor)
    incident, _ = incidents.open_incident(agent, shop.id, actor, p.incident_title, "damaged_or_defective",
                                          statement=p.incident_statement)
    flag_at_risk_orders(shop, now)
    partner_order = Order.query.filter_by(shop_id=shop.id, remote_id=partner["id"]).one()
    at_risk = AtRiskOrder.query.filter_by(shop_id=shop.id, order_id=partner_order.id).one()
    return {"shop_id": shop.id, "case_id": case.id, "compensation_id": waiting.id, "flag_id": flag.id,
            "remedy_id": remedy.id, "review_id": praise_row.id, "alert_id": alert.id, "improvement_id": improvement.id,
            "incident_id": incident.id, "at_risk_id": at_risk.id, "user_id": agent.id,
            "order_id": partner_order.id,  # not linked to the case: the link form's choice
            "product_id": Product.query.filter_by(shop_id=shop.id, remote_id=MAIN_PRODUCT).one().id}


def _order(p, email, created_at):
    remote_id = next(_remote_ids)
    items = [(remote_id * 10, MAIN_PRODUCT, p.product_name, 1, 25.0),
             (remote_id * 10 + 1, OTHER_PRODUCT, p.other_product_name, 1, 40.0)]
    order = order_payload(remote_id, email, p.first_name, p.last_name, items, created_at)
    order["number"] = p.order_number if email == p.email else f"{p.order_number}-2"
    order["customer_note"] = p.order_note
    order["payment_method_title"] = p.order_note[:200]
    order["shipping"]["address_1"] = order["billing"]["address_1"] = p.address
    order["shipping"]["first_name"] = p.first_name
    for item in order["line_items"]:
        item["sku"] = p.sku
    order["refunds"] = [{"id": remote_id, "reason": p.refund_reason, "total": "-1.00"}]
    return order


def _review(p, text, rating, created_at, product_id):
    name = p.product_name if product_id == MAIN_PRODUCT else p.other_product_name
    review = review_payload(next(_remote_ids), product_id, name, f"{p.first_name} {p.last_name}", p.email, text,
                            rating, created_at)
    if p.permalink:
        review["product_permalink"] = p.permalink
    return review


def _quiet_history(shop, p, now):
    """Positive reviews of the other product over five weeks and one complaint a week about the main one: the
    baseline the spike is measured against (tests/services/test_crisis_alerts.py)."""
    for day in range(2, 36, 3):
        factories.deliver(shop, "review.created", _review(p, p.praise_text, 5, now - timedelta(days=day),
                                                          OTHER_PRODUCT))
    for week in (1, 2, 3, 4):
        factories.deliver(shop, "review.created", _review(p, f"{p.review_text} (week {week})", 2,
                                                          now - timedelta(days=7 * week, hours=5), MAIN_PRODUCT))
