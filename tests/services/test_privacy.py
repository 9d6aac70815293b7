"""Export and erase one customer's personal data (services.privacy), against the real database.

The world: Grace has an order, an edited 1★ review with its case (a note, a cause, a discount code, a rejected
refund), a complaint entered by hand and an event still waiting to be applied, all in shop A. Ada is another
customer of shop A; shop B has its own customer with Grace's address. Erasing Grace in shop A must leave no
trace of her there (a scan of every table says so) and must not touch Ada or shop B.
"""
import json
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest
from sqlalchemy import select

from crisisdesk.domain.actor import Actor
from crisisdesk.domain.compensation_request import CompensationRequest
from crisisdesk.domain.errors import Invalid
from crisisdesk.domain.events import parse_envelope
from crisisdesk.extensions import db
from crisisdesk.integrations.webhook_signing import sign
from crisisdesk.models import AuditEntry, Case, CaseReply, Compensation, InboundEvent, Order, OutboxEmail, Review
from crisisdesk.services import case_remedies, cases, compensation, ingest, outbox, privacy, review_flags
from tests import factories

GRACE, ADA = "grace@example.com", "ada@example.com"
T0 = datetime(2026, 11, 1, 10, 0, tzinfo=timezone.utc)
# Everything that would identify Grace, as stored in shop A before the erasure.
GRACE_TRACES = ["grace@example.com", "Grace", "Hopper", "Długa", "Kraków", "600 100 200", "203.0.113.9",
                "ring twice"]


def order_for(email, first, last, street, city, phone, order_id, note="", ip="", **kwargs):
    data = factories.order(order_id=order_id, email=email, **kwargs)
    for part in ("billing", "shipping"):
        data[part].update(first_name=first, last_name=last, address_1=street, city=city, phone=phone)
    data.update(customer_note=note, customer_ip_address=ip,
                meta_data=[{"id": 1, "key": "_gift_message", "value": f"For {first} {last}"}])
    return data


def grace_order(**kwargs):
    return order_for(GRACE, "Grace", "Hopper", "ul. Długa 1", "Kraków", "+48 600 100 200", 7001,
                     note="Please ring twice", ip="203.0.113.9", created_at=T0, **kwargs)


def review_for(email, name, text, review_id, rating=1, **kwargs):
    return dict(factories.review(review_id=review_id, email=email, rating=rating, text=text, **kwargs), reviewer=name)


def case_of_review(shop, remote_id):
    return Case.query.join(Case.review).filter(Review.shop_id == shop.id, Review.remote_id == remote_id).one()


@dataclass
class World:
    case: Case
    manual: Case
    pending_event_id: int


@pytest.fixture
def world(app, shop_a, shop_b, owner, agent):
    by_agent, by_owner = Actor(label=agent.email, user_id=agent.id), Actor(label=owner.email, user_id=owner.id)
    factories.deliver(shop_a, "order.created", grace_order(), occurred_at=T0)
    factories.deliver(shop_a, "order.updated", grace_order(status="completed", modified_at=T0 + timedelta(days=2)),
                      occurred_at=T0 + timedelta(days=2))
    review = review_for(GRACE, "Grace Hopper", "Arrived broken. Grace Hopper, ul. Długa 1, Kraków, +48 600 100 200",
                        801, created_at=T0 + timedelta(days=3))
    factories.deliver(shop_a, "review.created", review, occurred_at=T0 + timedelta(days=3))
    factories.deliver(shop_a, "review.updated", dict(review, rating=2, review="Still broken. Grace."),
                      occurred_at=T0 + timedelta(days=4))
    case = case_of_review(shop_a, 801)
    cases.set_cause(agent, case.id, "damaged_or_defective", by_agent)
    cases.add_note(agent, case.id, "Called Grace Hopper on +48 600 100 200; she wants a code", by_agent,
                   customer_contacted=True)
    compensation.request_compensation(agent, case.id, CompensationRequest(
        kind="coupon", amount=Decimal("10"), coupon_type="percent", reason="Sorry Grace Hopper, for the gadget"),
        "key-coupon", by_agent)
    shop_a.approval_threshold = 1  # so the refund below waits for an owner, who rejects it with a note
    db.session.commit()
    refund = compensation.request_compensation(agent, case.id, CompensationRequest(
        kind="refund", amount=Decimal("5.00"), reason="partial refund"), "key-refund", by_agent)
    compensation.reject(owner, refund.id, by_owner, note="Grace Hopper already got a code")
    # A follow-up email waiting in the outbox, addressed to her and mentioning her in its reason.
    outbox.schedule_email(shop_a, "follow_up", "privacy-test-follow-up", GRACE, "en", T0 + timedelta(days=30),
                          "Asking Grace Hopper whether the new gadget works", case=case)
    # The public reply that greeted her by name.
    db.session.add(CaseReply(shop_id=shop_a.id, case_id=case.id, channel="public", language="en",
                             content="Dear Grace Hopper, a new gadget is on its way.", idempotency_key="privacy-reply",
                             status="posted"))
    db.session.commit()
    # An unfair-review flag whose explanation and removal request name her.
    flag = review_flags.flag_review(agent, case.id, by_agent, "factually_wrong",
                                    "Grace Hopper's order arrived intact, see the courier's photo")
    review_flags.request_removal(agent, case.id, flag.id, by_agent, "google", "Please review: Grace Hopper, order 7001")
    case_remedies.record(agent, case.id, by_agent, "resent_parcel", "New gadget sent to Grace Hopper, ul. Długa 1",
                         "privacy-remedy")
    manual = cases.open_manual_case(agent, shop_a.id, by_agent, "email", "Grace@Example.com", "Grace Hopper",
                                    "Grace writes that the parcel never came to ul. Długa 1")
    # Received, not applied yet (its job has not run): its raw body must be erased too.
    body = factories.event_body("review.updated", dict(review, review="Third try, Grace Hopper here."),
                                T0 + timedelta(days=5))
    pending = ingest.receive_event(shop_a.id, sign(factories.secret_of(shop_a), "msg_pending", body), body, 2 ** 20)

    ada_order = order_for(ADA, "Ada", "Lovelace", "Krótka 5", "Rīga", "+371 2000 0000", 7002,
                          note="Leave it at the door", ip="198.51.100.7", created_at=T0)
    factories.deliver(shop_a, "order.created", ada_order, occurred_at=T0)
    factories.deliver(shop_a, "review.created", review_for(ADA, "Ada Lovelace", "Broken on arrival.", 802))
    factories.deliver(shop_b, "order.created", grace_order(), occurred_at=T0)
    factories.deliver(shop_b, "review.created", review)
    return World(case=case, manual=manual, pending_event_id=pending.event_id)


def stored_rows(shop_ids=None):
    """{(table, key): row values} of every table, read on a fresh connection (what is committed)."""
    rows = {}
    with db.engine.connect() as connection:
        for table in db.metadata.sorted_tables:
            for row in connection.execute(select(table)).mappings():
                shop_id = row["id"] if table.name == "shops" else row.get("shop_id")
                if shop_ids is not None and shop_id is not None and shop_id not in shop_ids:
                    continue
                key = tuple(row[c.name] for c in table.primary_key.columns)
                rows[(table.name, key)] = dict(row)
    return rows


def traces(shop_id, needles=GRACE_TRACES):
    """{(table, column, needle)} for every stored value of shop `shop_id` (or of no shop) that holds a needle."""
    found = set()
    for (table, _), row in stored_rows({shop_id}).items():
        for column, value in row.items():
            text = _readable(value).lower()
            found.update((table, column, n) for n in needles if n.lower() in text)
    return found


def _readable(value):
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    if not isinstance(value, str):
        return str(value)
    try:  # raw bodies escape non-ASCII ("D\u0142uga"); read them as the text they encode
        return value + json.dumps(json.loads(value), ensure_ascii=False)
    except ValueError:
        return value


# --- export -----------------------------------------------------------------------------------------------

def test_it_exports_the_customer_orders_reviews_cases_and_compensations_in_wordpress_exporter_items(world, shop_a):
    items = privacy.export(shop_a, " GRACE@example.com ")["items"]

    assert [i["group_id"] for i in items] == ["crisisdesk-customer", "crisisdesk-orders", "crisisdesk-reviews",
                                              "crisisdesk-cases", "crisisdesk-cases", "crisisdesk-compensations",
                                              "crisisdesk-compensations"]
    for item in items:
        assert set(item) == {"group_id", "group_label", "item_id", "data"}
        assert all(set(d) == {"name", "value"} and isinstance(d["value"], str) and d["value"] for d in item["data"])
    fields = {i["item_id"]: {d["name"]: d["value"] for d in i["data"]} for i in items}
    order = fields[next(i["item_id"] for i in items if i["group_id"] == "crisisdesk-orders")]
    assert order["Order number"] == "7001" and order["Status"] == "completed" and order["Total"] == "25.00 PLN"
    assert order["Billing address"] == "ul. Długa 1, 30-001, Kraków, PL"  # from the latest raw event
    assert (order["Billing phone"], order["Shipping name"]) == ("+48 600 100 200", "Grace Hopper")
    case = fields[f"case-{world.case.id}"]
    assert (case["Status"], case["Cause"]) == ("in_progress", "Damaged or defective product")
    assert "Called Grace Hopper on +48 600 100 200; she wants a code" in case.values()
    assert case["Reply 1 (public, posted)"] == "Dear Grace Hopper, a new gadget is on its way."
    assert case["Fixed 1 (Parcel sent again, done)"] == "New gadget sent to Grace Hopper, ul. Długa 1"
    review = next(f for key, f in fields.items() if key.startswith("review-"))
    assert review["Review"] == "Still broken. Grace." and review["Rating"] == "2"
    assert [v for k, v in review.items() if k.startswith("Version")] == [
        "1★, approved: Arrived broken. Grace Hopper, ul. Długa 1, Kraków, +48 600 100 200",
        "2★, approved: Still broken. Grace."]
    [flagged] = [v for k, v in review.items() if k.startswith("Flagged as unfair 1 (")]
    assert flagged.startswith("Factually wrong, or about something else; Grace Hopper's order arrived intact")
    assert "removal asked of google on " in flagged and "Please review: Grace Hopper, order 7001 (pending)" in flagged
    coupon = Compensation.query.filter_by(kind="coupon").one()
    assert fields[f"compensation-{coupon.id}"]["Coupon code"] == coupon.coupon_code
    assert fields[f"compensation-{coupon.id}"]["Amount"] == "10%"


def test_it_exports_nothing_of_other_customers_or_of_the_same_address_in_another_shop(world, shop_a, shop_b):
    items = privacy.export(shop_a, GRACE)["items"]
    theirs = privacy.export(shop_b, GRACE)["items"]

    text = json.dumps(items, ensure_ascii=False)
    assert "Ada" not in text and "Lovelace" not in text and "Krótka" not in text
    assert {i["item_id"] for i in items}.isdisjoint({i["item_id"] for i in theirs})
    assert [i["group_id"] for i in theirs] == ["crisisdesk-customer", "crisisdesk-orders", "crisisdesk-reviews",
                                               "crisisdesk-cases"]


def test_it_exports_an_empty_list_for_an_unknown_address_and_audits_the_request_without_the_address(app, shop_a):
    assert privacy.export(shop_a, "nobody@example.com") == {"items": []}

    entry = AuditEntry.query.filter_by(action="privacy.exported").one()
    assert (entry.actor_label, entry.shop_id, entry.details["items"]) == ("bridge", shop_a.id, 0)
    assert "nobody" not in json.dumps(entry.details) and len(entry.details["email_digest"]) == 64


@pytest.mark.parametrize("email", [None, "", "   ", 42, ["grace@example.com"], "grace", "a@b@c", "a b@example.com",
                                   "x" * 250 + "@example.com"])
def test_it_refuses_an_address_that_is_missing_or_not_one_address_naming_the_email_field(app, shop_a, email):
    for use_case in (privacy.export, privacy.erase):
        with pytest.raises(Invalid) as error:
            use_case(shop_a, email)
        assert error.value.field == "email"
    assert AuditEntry.query.filter(AuditEntry.action.like("privacy.%")).count() == 0


# --- erase ------------------------------------------------------------------------------------------------

def test_it_leaves_no_trace_of_the_customer_anywhere_in_the_shops_records(world, shop_a):
    before = traces(shop_a.id)
    assert {t for t, _, _ in before} >= {"customers", "orders", "reviews", "review_revisions", "cases",
                                         "case_events", "compensations", "inbound_events", "audit_entries",
                                         "outbox_emails", "review_flags", "case_replies"}

    result = privacy.erase(shop_a, GRACE)

    assert traces(shop_a.id) == set()
    assert result["items_retained"] == 1 + 1 + 1 + 2 + 2  # customer, order, review, two cases, two compensations
    assert result["items_removed"] > result["items_retained"]
    assert any("removed personal data from" in m for m in result["messages"])
    assert OutboxEmail.query.one().status == "cancelled"  # nobody is left to send the follow-up to


def test_it_keeps_every_row_and_the_statistics_they_hold(world, shop_a):
    def statistics():
        db.session.expire_all()
        order = Order.query.filter_by(shop_id=shop_a.id, remote_id=7001).one()
        review = Review.query.filter_by(shop_id=shop_a.id, remote_id=801).one()
        case = db.session.get(Case, world.case.id)
        return ((order.number, order.status, order.total, order.currency, order.created_at, order.completed_at,
                 [(i.name, i.quantity, i.total) for i in order.items]),
                (review.rating, review.status, review.created_at, review.verified,
                 [(r.rating, r.status) for r in review.revisions]),
                (case.status, case.cause, case.sentiment_score, case.opened_at, case.first_response_due_at,
                 case.first_responded_at, case.order_id, case.link_method, [e.kind for e in case.events]),
                [(c.kind, c.state, c.amount, c.value, c.coupon_code, c.coupon_expires_on)
                 for c in Compensation.query.order_by(Compensation.id)])
    counts = {table: sum(1 for t, _ in stored_rows() if t == table) for table, _ in stored_rows()}
    kept = statistics()

    privacy.erase(shop_a, GRACE)

    assert statistics() == kept
    after = {table: sum(1 for t, _ in stored_rows() if t == table) for table, _ in stored_rows()}
    assert after == {**counts, "audit_entries": counts["audit_entries"] + 1}  # nothing deleted; one entry added
    order = Order.query.filter_by(shop_id=shop_a.id, remote_id=7001).one()
    review = Review.query.filter_by(shop_id=shop_a.id, remote_id=801).one()
    assert (order.billing_email, order.billing_name) == ("", "")
    assert (review.reviewer_name, review.reviewer_email, review.text) == ("[erased]", "", "[erased]")
    assert review.customer.email.startswith("erased-") and review.customer.email.endswith("@invalid")
    assert (review.customer.first_name, review.customer.last_name, review.customer.remote_id) == ("", "", None)
    assert db.session.get(Case, world.manual.id).summary == "[erased]"


def test_it_rewrites_the_raw_events_so_they_still_parse_with_ids_dates_ratings_and_totals(world, shop_a):
    def grace_events():
        return {e.id: e for e in InboundEvent.query.filter_by(shop_id=shop_a.id).all()
                if json.loads(e.body)["data"]["id"] in (7001, 801)}
    before = {i: parse_envelope(e.body) for i, e in grace_events().items()}
    assert len(before) == 5

    privacy.erase(shop_a, GRACE)

    for event_id, event in grace_events().items():
        parsed, old = parse_envelope(event.body), before[event_id]
        assert (parsed.type, parsed.occurred_at, parsed.resource.remote_id) == (old.type, old.occurred_at,
                                                                                old.resource.remote_id)
        if parsed.is_order:
            assert (parsed.resource.total, parsed.resource.status, parsed.resource.created_at,
                    parsed.resource.items) == (old.resource.total, old.resource.status, old.resource.created_at,
                                               old.resource.items)
            assert (parsed.resource.email, parsed.resource.first_name) == ("", "")
        else:
            assert (parsed.resource.rating, parsed.resource.created_at) == (old.resource.rating,
                                                                            old.resource.created_at)
            assert (parsed.resource.text, parsed.resource.reviewer, parsed.resource.email) == ("[erased]",
                                                                                               "[erased]", "")
    # The event that was still waiting applies as usual, and brings no personal data back.
    assert ingest.apply_event(world.pending_event_id) == "applied"
    assert Review.query.filter_by(shop_id=shop_a.id, remote_id=801).one().text == "[erased]"
    assert traces(shop_a.id) == set()


def test_it_never_touches_another_customer_or_the_same_address_in_another_shop(world, shop_a, shop_b):
    ada = {k: v for k, v in stored_rows({shop_a.id}).items()
           if "lovelace" in json.dumps(v, default=str, ensure_ascii=False).lower()}
    other_shop = {k: v for k, v in stored_rows({shop_b.id}).items() if v.get("shop_id") == shop_b.id}
    assert ada and other_shop and traces(shop_b.id)

    privacy.erase(shop_a, GRACE)

    rows = stored_rows()
    assert {k: rows[k] for k in ada} == ada
    assert {k: rows[k] for k in other_shop} == other_shop


def test_it_can_erase_twice_and_the_second_time_changes_nothing(world, shop_a):
    privacy.erase(shop_a, GRACE)
    after_first = {k: v for k, v in stored_rows().items() if k[0] != "audit_entries"}

    again = privacy.erase(shop_a, GRACE)

    assert again == {"items_removed": 0, "items_retained": 0,
                     "messages": ["CrisisDesk holds no personal data for this email address in Shop A."]}
    assert {k: v for k, v in stored_rows().items() if k[0] != "audit_entries"} == after_first
    assert privacy.export(shop_a, GRACE) == {"items": []}


def test_it_audits_the_erasure_as_the_bridge_with_a_keyed_hash_and_never_the_address(world, shop_a, shop_b):
    privacy.erase(shop_a, GRACE)
    privacy.erase(shop_b, GRACE)

    first, second = AuditEntry.query.filter_by(action="privacy.erased").order_by(AuditEntry.id).all()
    assert (first.actor_label, first.shop_id, second.shop_id) == ("bridge", shop_a.id, shop_b.id)
    assert first.details["email_digest"] == second.details["email_digest"]  # the same request, recognisable
    assert first.details["changed"]["customer"] == 1 and first.details["retained"] == 7
    assert "grace" not in json.dumps(first.details).lower()
