"""A customer's data duties (SPEC section 4, Platform): export and erase one customer's personal data.

One function per use case, taking an already authorised shop: the bridge (WordPress's exporter and
eraser) calls them today, the CLI and the panel can later. Which records are the customer's is
decided in services/customer_records.py, always within the one shop.

Erasure anonymises; it never deletes a row, so counts, ratings, totals, dates, statuses, causes,
SLA times and compensation amounts stay for the shop's reports. The personal data it removes,
column by column (read from the models):

- customers: email (→ `erased-<keyed hash>@invalid`, still unique per shop), first_name,
  last_name (→ ""), remote_id (the WordPress user id, which leads back to the person → NULL);
- orders: billing_email, billing_name (→ ""); refunds.reason: mentions of the person redacted;
- at_risk_orders (delay notices): notice_text (the letter written to the person → "[erased]"); delay_reason
  and dismiss_reason (agents' free text): mentions redacted;
- reviews: reviewer_name, text (→ "[erased]"), reviewer_email (→ ""); review_revisions.text (→ "[erased]");
- cases: summary (the review text or the complaint as entered → "[erased]"); cause_evidence (words
  quoted from that text, with their offsets → []); causes and language stay, as statistics;
- case_events: message of notes and contact notes (agents' free text about the person →
  "[erased]"); other messages and every string in details: mentions redacted, and the review
  texts that `review_edited` keeps in details (→ "[erased]");
- case_replies: content and last_error (what was said to them, "Dear Grace"): mentions redacted; review answers
  (the shop's public answer to a review without a case): the same;
- case_remedies: description (the agent's free text on what was fixed): mentions redacted;
- improvements their cases prompted: description (the team's own text, which may name them) and
  public note: mentions redacted;
- compensations: reason and error (free text sent to or received from WooCommerce): mentions
  redacted. No column holds a coupon's email restriction: it is read from the customer when the
  coupon is created, so it follows the anonymised address;
- outbox_emails (customer emails): to_email (→ the same anonymised address as the customer), the
  emails still scheduled are cancelled, reason, status_note and last_error: mentions redacted. The
  unsubscribe list (email_suppressions) keeps the address: it is what honours their opt-out if the
  shop imports them again;
- inbound_events: body of every stored event of their orders and reviews, rewritten to keep only
  type, dates, ids, status, rating, totals and lines (domain/personal_data.py); error: mentions;
- audit_entries about their cases and compensations: strings in details, mentions redacted
  (who did what, and when, stays).

"Mentions" are the address and every name the person appears under in these records, and (when the
customer asks) the phone numbers and street lines of their orders, replaced where they occur as whole words. Other customers, and the same address in another shop, are
never touched.

The bridge calls export() and erase() (WordPress's shapes); the CLI and the panel call look_up(),
export() and erase_customer(), whose answer says by kind what was changed and what was kept. The shop's
retention period (services/retention.py) calls anonymise_cases(): the same removal, for one case at a time.
"""
import json
from collections import Counter
from dataclasses import dataclass

from flask import current_app

from crisisdesk.domain.actor import BRIDGE
from crisisdesk.domain.personal_data import (ERASED, anonymise_event, contact_details, email_digest, erased_email,
                                             lookup_address, redact_mentions)
from crisisdesk.extensions import db
from crisisdesk.models import AtRiskOrder, AuditEntry, InboundEvent, OutboxEmail, ReviewFlag
from crisisdesk.services import audit, customer_records, privacy_items
from crisisdesk.services.customer_records import CustomerRecords

FREE_TEXT_KINDS = {"note", "contact"}  # timeline lines an agent typed; anything may be quoted in them
KEPT = "ratings, order totals, dates, statuses, causes and compensation amounts"


@dataclass(frozen=True)
class Erasure:
    """What an erasure did, by kind (domain/privacy_texts.py names them and says why kept rows stay)."""
    changed: dict  # kind → rows personal data was removed from
    retained: dict  # kind → anonymised rows kept for the statistics ("customer", "order", "review", ...)

    @property
    def found(self):
        """Whether the shop held anything of this person (False also when an earlier erasure took it all)."""
        return any(self.changed.values()) or any(self.retained.values())


def look_up(shop, email, actor):
    """How many records of each kind `shop` holds about the customer with `email` (an ordered dict of the kinds
    of domain.privacy_texts.HELD_KINDS); audited, as looking someone up is handling their data too."""
    address, emails = _addresses(email)
    counts = _held(customer_records.find(shop, emails))
    audit.record(actor, "privacy.looked_up", shop, email_digest=_digest(address), held=counts)
    db.session.commit()
    return counts


def export(shop, email, actor=BRIDGE):
    """Everything `shop` holds about the customer with `email`: `{"items": [...]}` in WordPress's exporter shape."""
    address, emails = _addresses(email)
    records = customer_records.find(shop, emails)
    latest = {}  # order remote id → the order as last sent: addresses live only in the raw events
    for event in sorted(customer_records.stored_events(shop, records), key=lambda e: (e.occurred_at, e.id)):
        if event.is_order:
            latest[event.resource_id] = event.data
    items = [*map(privacy_items.customer_item, records.customers),
             *(privacy_items.order_item(o, latest.get(o.remote_id, {})) for o in records.orders),
             *(privacy_items.review_item(r, ReviewFlag.query.filter_by(review_id=r.id).order_by(ReviewFlag.id).all())
               for r in records.reviews),
             *map(privacy_items.case_item, records.cases),
             *map(privacy_items.compensation_item, records.compensations)]
    # Handing out personal data is recorded too (without the address): who asked, when, how much.
    audit.record(actor, "privacy.exported", shop, email_digest=_digest(address), items=len(items))
    db.session.commit()
    return {"items": items}


def erase(shop, email, actor=BRIDGE):
    """Anonymise the customer's records in `shop` (module doc); idempotent. WordPress eraser shape:
    `{"items_removed": n, "items_retained": n, "messages": [...]}`, where items_removed counts the rows
    personal data was removed from and items_retained the anonymised rows kept for statistics."""
    erasure = erase_customer(shop, email, actor)
    changed, retained = Counter(erasure.changed), sum(erasure.retained.values())
    return {"items_removed": sum(changed.values()), "items_retained": retained,
            "messages": _messages(shop, changed, retained)}


def erase_customer(shop, email, actor):
    """Anonymise the customer's records in `shop` (module doc); idempotent. An Erasure, by kind."""
    address, emails = _addresses(email)
    records = customer_records.find(shop, emails)
    events = customer_records.stored_events(shop, records)  # matched before any address is replaced
    mentions = records.identifiers() | {detail for e in events if e.is_order for detail in contact_details(e.data)}
    addresses = emails | {c.email for c in records.customers}  # before the customers' addresses are replaced
    changed = Counter()
    for customer in records.customers:
        changed["customer"] += _put(customer, email=erased_email(_digest(customer.email)), first_name="",
                                    last_name="", remote_id=None)
    for order in records.orders:
        changed["order"] += _put(order, billing_email="", billing_name="")
        changed["refund"] += sum(_put(r, reason=redact_mentions(r.reason, mentions)) for r in order.refunds)
        changed["delay notice"] += sum(_put(f, notice_text=ERASED if f.notice_text else f.notice_text,
                                            delay_reason=redact_mentions(f.delay_reason, mentions),
                                            dismiss_reason=redact_mentions(f.dismiss_reason, mentions))
                                       for f in AtRiskOrder.query.filter_by(order_id=order.id))
    changed.update(_erase_reviews_cases_and_compensations(records, mentions))
    emails = OutboxEmail.query.filter(OutboxEmail.shop_id == shop.id, OutboxEmail.to_email.in_(sorted(addresses)))
    changed["email"] += _erase_outbox(emails, addresses, mentions)
    changed["audit record"] += _erase_audit_details(records, mentions)
    changed["stored event"] += sum(_erase_event(e, mentions) for e in events)
    retained = _held(records)
    audit.record(actor, "privacy.erased", shop, email_digest=_digest(address),
                 changed={kind: n for kind, n in changed.items() if n}, retained=sum(retained.values()))
    db.session.commit()
    return Erasure(changed={kind: n for kind, n in changed.items() if n}, retained=retained)


def anonymise_cases(shop, cases):
    """Take the person out of each of `cases` of `shop` (the retention period, services/retention.py): what
    erase_customer() does to a case, its review, compensations, emails, audit details and the review's stored
    events. Their own customer record and orders stay (they are asked for by name, erase_customer()), so the
    case and its recovery are detached from that record. Returns the rows changed by kind; the caller commits."""
    reviews = [case.review for case in cases if case.review]
    events = {}  # the review's remote id → its stored events, found for the whole batch at once
    for event in customer_records.stored_events(shop, CustomerRecords(emails=frozenset(), reviews=reviews)):
        events.setdefault(event.resource_id, []).append(event)
    changed = Counter()
    for case in cases:
        records = customer_records.of_case(case)
        mentions = records.identifiers()
        changed.update(_erase_reviews_cases_and_compensations(records, mentions))
        changed["email"] += _erase_outbox(OutboxEmail.query.filter_by(case_id=case.id), records.emails, mentions)
        changed["audit record"] += _erase_audit_details(records, mentions)
        if case.review:
            changed["stored event"] += sum(_erase_event(e, mentions) for e in events.get(case.review.remote_id, []))
        _put(case, customer_id=None)  # detached; the case is counted above
        if case.recovery:
            changed["recovery"] += _put(case.recovery, customer_id=None)
    return Counter({kind: n for kind, n in changed.items() if n})


def _erase_reviews_cases_and_compensations(records, mentions):
    """What erase_customer() and anonymise_cases() both remove from the records' reviews, cases and compensations."""
    changed = Counter()
    for review in records.reviews:
        changed["review"] += _put(review, reviewer_name=ERASED, reviewer_email="", text=ERASED)
        changed["review version"] += sum(_put(r, text=ERASED) for r in review.revisions)
        # An agent's flag may quote the review or name the reviewer (to the platform asked to remove it).
        changed["review flag"] += sum(_put(f, explanation=redact_mentions(f.explanation, mentions),
                                           removal_request_text=redact_mentions(f.removal_request_text, mentions))
                                      for f in ReviewFlag.query.filter_by(review_id=review.id))
        if review.answer:  # the shop's public answer may greet them by name
            changed["review answer"] += _put(review.answer, content=redact_mentions(review.answer.content, mentions),
                                             last_error=redact_mentions(review.answer.last_error, mentions))
    for case in records.cases:
        changed["case"] += _put(case, summary=ERASED, cause_evidence=[])  # the words quoted from the text
        changed["timeline line"] += sum(_erase_case_event(e, mentions) for e in case.events)
        changed["reply"] += sum(_put(r, content=redact_mentions(r.content, mentions),
                                     last_error=redact_mentions(r.last_error, mentions)) for r in case.replies)
        # What was fixed: the agent's description for the team may name the person, as a flag's may.
        changed["remedy"] += sum(_put(r, description=redact_mentions(r.description, mentions)) for r in case.remedies)
        changed["improvement"] += sum(_put(i, description=redact_mentions(i.description, mentions),
                                           public_note=redact_mentions(i.public_note, mentions))
                                      for i in case.improvements)
    for compensation in records.compensations:
        changed["compensation"] += _put(compensation, reason=redact_mentions(compensation.reason, mentions),
                                        error=redact_mentions(compensation.error, mentions))
    return changed


def _held(records):
    return {"customer": len(records.customers), "order": len(records.orders), "review": len(records.reviews),
            "case": len(records.cases), "compensation": len(records.compensations)}


def _addresses(email):
    """The address as stored and the set to look up (domain.personal_data.lookup_address; Invalid names "email")."""
    address = lookup_address(email)
    return address, {address}


def _digest(address):
    # Keyed, so the audit log cannot be searched by hashing a guessed address without the service's key.
    return email_digest(address, current_app.config["SECRET_KEY"])


def _put(row, **values):
    """Set the values that differ; 1 when the row changed, else 0 (so a second erasure counts nothing)."""
    changed = 0
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed = 1
    return changed


def _erase_case_event(event, mentions):
    message = ERASED if event.kind in FREE_TEXT_KINDS and event.message else redact_mentions(event.message, mentions)
    return _put(event, message=message, details=_scrub(event.details, mentions))


def _erase_outbox(rows, addresses, mentions):
    """The emails `rows`: those to one of `addresses` get the erased address; every row's texts lose the mentions."""
    changed = 0
    for row in rows:
        mine = row.to_email.lower() in addresses  # a case's rows also hold notices to the staff, kept as they are
        values = dict(to_email=erased_email(_digest(row.to_email)) if mine else row.to_email,
                      reason=redact_mentions(row.reason, mentions),
                      status_note=redact_mentions(row.status_note, mentions),
                      last_error=redact_mentions(row.last_error, mentions))
        if mine and row.status == "scheduled":  # nobody is left to send it to
            values.update(status="cancelled", status_note="the customer's personal data was erased")
        changed += _put(row, **values)
    return changed


def _erase_audit_details(records, mentions):
    targets = [("case", [c.id for c in records.cases]), ("compensation", [c.id for c in records.compensations])]
    changed = 0
    for target_type, ids in targets:
        if not ids:
            continue
        for entry in AuditEntry.query.filter(AuditEntry.target_type == target_type, AuditEntry.target_id.in_(ids)):
            changed += _put(entry, details=_scrub(entry.details, mentions))
    return changed


def _erase_event(event, mentions):
    row = db.session.get(InboundEvent, event.id)
    if event.document is None:
        body = json.dumps({"type": row.type, "erased": True})  # not JSON: nothing in it can be kept safely
    else:
        body = json.dumps(anonymise_event(event.document, event.is_order), ensure_ascii=False)
    return _put(row, body=body, error=redact_mentions(row.error, mentions))


def _scrub(value, mentions, key=None):
    """A copy of a JSON value with texts the customer wrote erased (keys "text"/"review") and mentions redacted."""
    if isinstance(value, dict):
        return {k: _scrub(v, mentions, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub(v, mentions) for v in value]
    if isinstance(value, str):
        return ERASED if key in ("text", "review") and value else redact_mentions(value, mentions)
    return value


def _messages(shop, changed, retained):
    if not any(changed.values()) and not retained:
        return [f"CrisisDesk holds no personal data for this email address in {shop.name}."]
    done = ", ".join(f"{n} {kind}{'' if n == 1 else 's'}" for kind, n in changed.items() if n)
    messages = [f"CrisisDesk ({shop.name}) removed personal data from: {done}." if done
                else f"CrisisDesk ({shop.name}) had already removed this person's data."]
    messages.append(f"CrisisDesk keeps {retained} anonymised records for the shop's statistics ({KEPT}).")
    return messages
