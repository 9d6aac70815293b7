"""The outbox: every customer email is a row first, then a job sends it once, at its time.

Guarantees (SPEC section 3, issue 6):
- Scheduling is idempotent by key: the same purpose scheduled twice (a retry, two web workers)
  finds the first row.
- Sending claims the row with one conditional UPDATE (scheduled → sending), so of any number of
  jobs for one row (a duplicate enqueue, a sweep racing a scheduler, two workers) one sends.
- Nothing is lost: `sweep` re-enqueues due rows whose job is gone (Redis restarted without its
  data) and puts rows a killed worker left `sending` back in line.
- The one gap SMTP cannot close: the server accepted the message and the worker died before it
  recorded `sent`. The row then looks stuck and the sweep sends it again. The commit follows the
  SMTP call directly to keep that window to a few milliseconds, and the Message-ID is fixed per
  row, so a receiving system that deduplicates by it shows the copy once.
"""
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import func, insert, update
from sqlalchemy.exc import IntegrityError

from crisisdesk import clock
from crisisdesk.domain.errors import Invalid
from crisisdesk.domain.quiet_hours import is_quiet, next_allowed_send
from crisisdesk.extensions import db
from crisisdesk.integrations.mailer import Mailer, MailPermanentError, MailTemporaryError
from crisisdesk.jobs import email_job_id, email_job_waiting, enqueue_email, enqueue_emails
from crisisdesk.models import CaseEvent, EmailSuppression, OutboxEmail
from crisisdesk.models.outreach import EMAIL_KINDS
from crisisdesk.services import email_kinds, email_links
from crisisdesk.services.claims import claim_due
from crisisdesk.services.review_cases import add_event

log = logging.getLogger(__name__)

# Waits after the 1st, 2nd, … failed attempt: 1 min, 5 min, 30 min, 2 h, 6 h, 12 h, 24 h. The 8th
# attempt comes ~45 hours after the first; if it fails too the email is given up (`failed`).
RETRY_DELAYS = tuple(timedelta(minutes=m) for m in (1, 5, 30, 120, 360, 720, 1440))
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
# Far longer than a send job may run (RQ stops it after 120 s): a row `sending` this long has no worker.
STUCK_AFTER = timedelta(minutes=10)
SWEEP_BATCH = 500
# RFC 5322 allows 998 characters a line. At the default 78 the library would RFC 2047-encode the long
# unsubscribe URL rather than leave it unfolded, and mail programs then cannot read List-Unsubscribe.
MESSAGE_POLICY = policy.default.clone(max_line_length=998)
SUPPRESSION_REASONS = ("unsubscribed", "rejected")  # the customer's one click; the server refused the address
KIND_LABELS = {"follow_up": "Follow-up email", "follow_up_reminder": "Follow-up reminder",
               "case_reply": "Reply to the complaint", "sla_alert": "SLA alert", "crisis_alert": "Crisis alert",
               "review_request": "Review request", "moderation_alert": "Moderation alert",
               "incident_update": "Incident update", "incident_reminder": "Incident update reminder",
               "delay_notice": "Delay notice"}
# Kinds sent as soon as they are due, even at night: the customer is waiting for a direct answer to their
# complaint (a transactional message they asked for). Follow-ups wait for the end of the shop's quiet hours.
# Staff alerts (SLA escalation, crisis and moderation alerts) go out at once too: an agent must hear of a clock running
# out at night. An incident's broadcast update is not among them: it goes to many customers at once and
# waits for the morning like a follow-up (its reminder to the incident's owner does not wait).
IMMEDIATE_KINDS = frozenset({"case_reply", "sla_alert", "crisis_alert", "moderation_alert", "incident_reminder"})
# Emails to the shop's own people, not to customers: English, no unsubscribe link or List-Unsubscribe.
STAFF_KINDS = frozenset({"sla_alert", "crisis_alert", "moderation_alert", "incident_reminder"})
# Written by a person, one to one: no list headers, and no Auto-Submitted, so the customer's own
# auto-reply ("I am away until Monday") still reaches the agent as a reply to a person would. A delay notice
# is one too, though it is not urgent: it waits for the end of quiet hours like any unasked-for email.
PERSONAL_KINDS = frozenset({"case_reply", "delay_notice"})


@dataclass(frozen=True)
class SweepResult:
    returned: int  # rows taken back from a dead worker
    requeued: int  # due rows whose job was missing


@dataclass(frozen=True)
class EmailRequest:
    """One email for an `EmailBatch`: what `schedule_email` is given, but the shop."""
    kind: str
    idempotency_key: str
    to_email: str
    language: str
    due_at: datetime
    reason: str
    case: object = None
    customer: object = None
    order: object = None


@dataclass(frozen=True)
class ScheduledEmail:
    """A row an `EmailBatch` created or found, as it was when committed (reading the row again costs a query)."""
    id: int
    status: str
    due_at: datetime


def schedule_email(shop, kind, idempotency_key, to_email, language, due_at, reason, case=None, customer=None,
                   order=None):
    """The outbox row for this key: created (due time moved out of quiet hours) and queued, or the existing one."""
    existing = _by_key(idempotency_key)
    if existing is not None:
        return existing
    request = EmailRequest(kind, idempotency_key, to_email, language, due_at, reason, case, customer, order)
    _check(request)
    row = _new_row(shop, request, _suppression(shop.id, request.to_email.strip()))
    db.session.add(row)
    try:
        db.session.flush()
        _note_scheduled(row, shop)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()  # the same key raced us in another process; theirs is the row
        return _by_key(idempotency_key)
    if row.status == "scheduled":
        _enqueue(row)
    return row


class EmailBatch:
    """Many emails of one shop scheduled in one transaction and one Redis round trip, instead of one each:

        batch = EmailBatch(shop)
        firsts = batch.add(requests)        # rows added (the caller's other changes join the transaction)
        batch.add(more)                     # e.g. reminders timed from `firsts`
        batch.commit()                      # one commit, then every job queued at once

    `add` returns a ScheduledEmail per request, in order (the existing row's for a key already scheduled). An
    address or kind the outbox refuses raises Invalid before anything is added. When another process schedules one
    of the keys at the same moment, the transaction is rolled back (with whatever else it held) and every email,
    from then on too, is scheduled alone, which finds that process's row.
    """

    def __init__(self, shop):
        self.shop, self.requests, self.jobs, self.alone = shop, [], [], False

    def add(self, requests):
        for request in requests:
            _check(request)
        if self.alone:
            return [_schedule_alone(self.shop, request) for request in requests]
        keys = list(dict.fromkeys(request.idempotency_key for request in requests))
        found = {row.idempotency_key: _scheduled(row) for row in _in_chunks(OutboxEmail.idempotency_key, keys)}
        addresses = list({request.to_email.strip().lower() for request in requests})
        suppressions = {s.email: s for s in _in_chunks(EmailSuppression.email, addresses,
                                                       EmailSuppression.shop_id == self.shop.id)}
        new = {}
        for request in requests:
            if request.idempotency_key not in found and request.idempotency_key not in new:
                new[request.idempotency_key] = _new_values(self.shop, request,
                                                           suppressions.get(request.to_email.strip().lower()))
        try:
            # Plain INSERTs rather than ORM objects: the unit of work's bookkeeping for thousands of rows and
            # their relationships cost many times the SQL itself.
            values = list(new.values())
            ids = db.session.execute(insert(OutboxEmail).returning(OutboxEmail.id, sort_by_parameter_order=True),
                                     values).scalars().all() if values else []
        except IntegrityError:
            db.session.rollback()
            self.alone, earlier = True, self.requests
            for request in earlier:
                _schedule_alone(self.shop, request)
            return [_schedule_alone(self.shop, request) for request in requests]
        for email_id, row in zip(ids, values):
            found[row["idempotency_key"]] = ScheduledEmail(email_id, row["status"], row["due_at"])
            if row["status"] == "scheduled":
                self.jobs.append((email_id, email_job_id(email_id, 0, row["due_at"]), row["due_at"]))
        notes = [_scheduled_note(email_id, row, self.shop) for email_id, row in zip(ids, values)
                 if row["case_id"] is not None]
        if notes:
            db.session.execute(insert(CaseEvent), notes)
        self.requests += requests
        return [found[request.idempotency_key] for request in requests]

    def commit(self):
        if self.alone:
            return
        db.session.commit()
        enqueue_emails(self.jobs, clock.utcnow())  # a Redis failure is logged; the sweep queues the rows when due
        self.jobs = []


def checked_address(email):
    """`email` stripped, or Invalid when the outbox cannot send to it (one plain address)."""
    address = (email or "").strip()
    local, at, domain = address.rpartition("@")
    if not (local and at and "." in domain) or any(c in address for c in "\r\n <>,;"):
        raise Invalid("not an email address", "to_email")
    return address


def schedule_staff_email(shop, kind, idempotency_key, to_email, due_at, reason, case=None):
    """schedule_email for a staff alert (a kind in STAFF_KINDS): in English, sent when due, even in quiet hours."""
    if kind not in STAFF_KINDS:
        raise Invalid(f"{kind!r} is not a staff email kind", "kind")
    return schedule_email(shop, kind, idempotency_key, to_email, "en", due_at, reason, case=case)


def claim(email_id, now):
    """Take a due row for sending (one atomic UPDATE); None when it is not due, taken, or done."""
    return claim_due(OutboxEmail, email_id, now, OutboxEmail.status == "scheduled", OutboxEmail.due_at <= now)


def send(email_id):
    """Send one row if due and unclaimed; returns sent, cancelled, retry, failed, deferred or why it was left."""
    now = clock.utcnow()
    row = claim(email_id, now)
    if row is None:
        return _left_alone(email_id, now)
    shop = row.shop
    if row.kind not in IMMEDIATE_KINDS and is_quiet(now, shop.timezone, shop.quiet_hours_start,
                                                    shop.quiet_hours_end):
        return _defer(row, next_allowed_send(now, shop.timezone, shop.quiet_hours_start, shop.quiet_hours_end))
    try:
        later = email_kinds.wait_until(row, now)  # a part of it is not ready yet (a goodwill code being created)
        reason = None if later else email_kinds.cancel_reason(row)
        message = None if later or reason else build_message(row, now)
        db.session.commit()  # end the read transaction: none stays open across the SMTP call
    except Exception as error:
        db.session.rollback()
        _retry_or_fail(row, f"the email could not be prepared: {error}")
        raise  # a bug or an outage, not a mail problem: let RQ record it too
    if later:
        return _defer(row, _send_time(row.kind, shop, later))
    if reason:
        return _cancel(row, reason)
    try:
        Mailer.from_config(current_app.config).send(message)
    except MailTemporaryError as error:
        return _retry_or_fail(row, str(error))
    except MailPermanentError as error:
        return _fail(row, error)
    return _sent(row)


def build_message(row, now):
    """The MIME message for a row: headers (RFC 8058 one-click unsubscribe) and text + HTML parts."""
    rendered = email_kinds.render(row)
    shop = row.shop
    message = EmailMessage(policy=MESSAGE_POLICY)
    sender = parseaddr(current_app.config["MAIL_FROM"])[1]
    # One line each: a shop name or a product in the subject with a line break must not fail the send.
    message["From"] = Address(_one_line(shop.email_from_name or shop.name), addr_spec=sender)
    message["To"] = row.to_email
    if shop.reply_to_email:
        message["Reply-To"] = shop.reply_to_email
    message["Subject"] = _one_line(rendered.subject)
    message["Date"] = format_datetime(now)
    message["Message-ID"] = row.message_id
    if row.kind not in STAFF_KINDS | PERSONAL_KINDS:  # staff alerts are work mail, replies are not a list
        message["List-Unsubscribe"] = f"<{email_links.unsubscribe_url(row.shop_id, row.to_email)}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    if row.kind not in PERSONAL_KINDS:
        message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation auto-replies to this
    # Quoted-printable keeps the message 7-bit, so no relay on the way has to convert it.
    message.set_content(rendered.text, cte="quoted-printable")
    message.add_alternative(rendered.html, subtype="html", cte="quoted-printable")
    message["Content-Language"] = row.language  # after the parts: setting content clears Content-* headers
    return message


def cancel_pending(case, kinds, note):
    """Cancel the case's scheduled rows of these kinds, in the caller's transaction (the caller commits)."""
    rows = OutboxEmail.query.filter(OutboxEmail.case_id == case.id, OutboxEmail.kind.in_(list(kinds)),
                                    OutboxEmail.status == "scheduled").all()
    return [row for row in rows if _cancel_row(row, note)]


def suppress(shop_id, email, reason):
    """No more email from this shop to this address: record it and cancel what is scheduled; returns that count."""
    address = checked_address(email).lower()
    if reason not in SUPPRESSION_REASONS:
        raise Invalid(f"unknown reason {reason!r}", "reason")
    if _suppression(shop_id, address) is None:
        db.session.add(EmailSuppression(shop_id=shop_id, email=address, reason=reason, created_at=clock.utcnow()))
        try:
            db.session.commit()
        except IntegrityError:
            db.session.rollback()  # recorded at the same moment by another request
    rows = OutboxEmail.query.filter(OutboxEmail.shop_id == shop_id, func.lower(OutboxEmail.to_email) == address,
                                    OutboxEmail.status == "scheduled").all()
    cancelled = [row for row in rows if _cancel_row(row, reason)]
    db.session.commit()
    return len(cancelled)


def is_sendable(email):
    """True when `email` is one plain address the outbox accepts (checked before an action that must not half-happen)."""
    try:
        checked_address(email)
    except Invalid:
        return False
    return True


def is_suppressed(shop_id, email):
    """True when this shop must not email this address any more."""
    return _suppression(shop_id, email.strip().lower()) is not None


def sweep(now=None):
    """Put rows a dead worker left `sending` back in line, and queue due rows whose job is gone."""
    now = now or clock.utcnow()
    returned = _return_stuck(now)
    due = (OutboxEmail.query.filter(OutboxEmail.status == "scheduled", OutboxEmail.due_at <= now)
           .order_by(OutboxEmail.due_at).limit(SWEEP_BATCH).all())
    lost = [row for row in due if not email_job_waiting(_job_id(row))]
    for row in lost:
        _enqueue(row, now)
    db.session.commit()
    if returned or lost:
        log.info("outbox sweep: %d taken back from dead workers, %d re-enqueued", returned, len(lost))
    return SweepResult(returned, len(lost))


# --- state changes ------------------------------------------------------------------------------------------

def _sent(row):
    now = clock.utcnow()
    if not _move(row, "sent", sent_at=now, last_error=None):
        return row.status
    _note(row, "email_sent", f"{_label(row)} sent to {row.to_email}.")
    db.session.commit()
    return "sent"


def _retry_or_fail(row, error_text):
    if row.attempts >= MAX_ATTEMPTS:
        return _fail(row, MailTemporaryError(f"{error_text} (gave up after {row.attempts} attempts)"))
    shop = row.shop
    due = _send_time(row.kind, shop, clock.utcnow() + RETRY_DELAYS[row.attempts - 1])
    if not _move(row, "scheduled", due_at=due, claimed_at=None, last_error=error_text):
        return row.status
    _note(row, "email_retry", f"{_label(row)} to {row.to_email} could not be sent ({error_text}). "
          f"Trying again at {_local(due, shop.timezone)}.", attempt=row.attempts)
    db.session.commit()
    _enqueue(row)
    return "retry"


def _fail(row, error):
    if not _move(row, "failed", last_error=str(error)):
        return row.status
    said = f"the mail server said “{error.text}” ({error.code})" if error.code else error.text
    _note(row, "email_failed", f"{_label(row)} to {row.to_email} was not delivered: {said}. "
          "It will not be sent again.", code=error.code)
    db.session.commit()
    if isinstance(error, MailPermanentError) and error.recipient_refused:
        suppress(row.shop_id, row.to_email, "rejected")  # a refused address refuses the reminder too
    return "failed"


def _cancel(row, reason):
    if not _move(row, "cancelled", status_note=reason):
        return row.status
    _note(row, "email_cancelled", f"{_label(row)} to {row.to_email} cancelled: {reason}.")
    db.session.commit()
    return "cancelled"


def _defer(row, due):
    # Due but at night (a backlog, a row taken back from a dead worker), or not ready: wait. Not an attempt.
    if not _move(row, "scheduled", due_at=due, claimed_at=None, attempts=row.attempts - 1):
        return row.status
    db.session.commit()
    _enqueue(row)
    return "deferred"


def _cancel_row(row, note):
    taken = db.session.execute(
        update(OutboxEmail).where(OutboxEmail.id == row.id, OutboxEmail.status == "scheduled")
        .values(status="cancelled", status_note=note).execution_options(synchronize_session=False)).rowcount
    if taken == 1:
        db.session.refresh(row)
        _note(row, "email_cancelled", f"{_label(row)} to {row.to_email} cancelled: {note}.")
    return taken == 1


def _return_stuck(now):
    stuck = OutboxEmail.query.filter(OutboxEmail.status == "sending",
                                     OutboxEmail.claimed_at < now - STUCK_AFTER).all()
    for row in stuck:
        if row.attempts >= MAX_ATTEMPTS:
            _fail(row, MailTemporaryError("the worker stopped while sending, on the last attempt"))
            continue
        due = _send_time(row.kind, row.shop, now)
        if _move(row, "scheduled", due_at=due, claimed_at=None,
                 last_error="the worker stopped while sending; sent again"):
            _note(row, "email_retry", f"{_label(row)} to {row.to_email}: the worker stopped while sending it. "
                  "It is sent again (if the mail server had already accepted it, the customer may get it twice).")
            db.session.commit()
    return len(stuck)


def _move(row, status, **values):
    """Leave `sending` for `status`; False when the row is no longer ours (then it is reloaded as it is)."""
    taken = db.session.execute(
        update(OutboxEmail).where(OutboxEmail.id == row.id, OutboxEmail.status == "sending")
        .values(status=status, **values).execution_options(synchronize_session=False)).rowcount
    db.session.refresh(row)
    if taken != 1:
        log.warning("email %s changed hands while being sent (now %s)", row.id, row.status)
    return taken == 1


def _left_alone(email_id, now):
    row = db.session.get(OutboxEmail, email_id)
    if row is None:
        return "missing"
    if row.status == "scheduled" and row.due_at > now:
        return "not_due"  # this job ran early; the row's own job (or the sweep) sends it when due
    return f"already {row.status}"


# --- helpers ------------------------------------------------------------------------------------------------

def _send_time(kind, shop, moment):
    """`moment`, moved out of the shop's quiet hours unless the kind goes out at once."""
    if kind in IMMEDIATE_KINDS:
        return moment
    return next_allowed_send(moment, shop.timezone, shop.quiet_hours_start, shop.quiet_hours_end)


def _enqueue(row, now=None):
    return enqueue_email(row.id, _job_id(row), row.due_at, now or clock.utcnow())


def _job_id(row):
    return email_job_id(row.id, row.attempts, row.due_at)


def _note(row, kind, message, **details):
    if row.case is not None:
        add_event(row.case, kind, message, email_id=row.id, **details)


def _by_key(key):
    return OutboxEmail.query.filter_by(idempotency_key=key).first()


def _check(request):
    checked_address(request.to_email)
    if request.kind not in EMAIL_KINDS:
        raise Invalid(f"unknown email kind {request.kind!r}", "kind")


def _new_row(shop, request, suppression):
    """A row for `request` (not yet added): due out of quiet hours, or cancelled when the address opted out."""
    return OutboxEmail(**_new_values(shop, request, suppression))


def _new_values(shop, request, suppression):
    """The columns of a new row, for the ORM or a plain INSERT."""
    return dict(shop_id=shop.id, case_id=request.case.id if request.case is not None else None,
                customer_id=request.customer.id if request.customer is not None else None,
                order_id=request.order.id if request.order is not None else None,
                kind=request.kind, idempotency_key=request.idempotency_key, to_email=request.to_email.strip(),
                language=request.language, reason=request.reason,
                due_at=_send_time(request.kind, shop, request.due_at),
                status="cancelled" if suppression else "scheduled",
                status_note=suppression.reason if suppression else None, attempts=0,
                message_id=make_msgid(domain=_message_id_domain()), created_at=clock.utcnow())


def _note_scheduled(row, shop):
    _note(row, "email_scheduled", _scheduled_message(row.kind, row.to_email, row.status, row.due_at, row.reason, shop))


def _scheduled_note(email_id, values, shop):
    """The case event `_note_scheduled` adds, as columns for a plain INSERT."""
    return dict(shop_id=shop.id, case_id=values["case_id"], at=clock.utcnow(), kind="email_scheduled",
                message=_scheduled_message(values["kind"], values["to_email"], values["status"], values["due_at"],
                                           values["reason"], shop), details={"email_id": email_id})


def _scheduled_message(kind, to_email, status, due_at, reason, shop):
    suppressed = status == "cancelled"
    when = "" if suppressed else f" for {_local(due_at, shop.timezone)}"
    return (f"{KIND_LABELS.get(kind, 'Email')} to {to_email} scheduled{when}. {reason}"
            + (" Not sent: the address asked for no more emails." if suppressed else ""))


def _scheduled(row):
    return ScheduledEmail(row.id, row.status, row.due_at)


def _schedule_alone(shop, r):
    return _scheduled(schedule_email(shop, r.kind, r.idempotency_key, r.to_email, r.language, r.due_at, r.reason,
                                     r.case, r.customer, r.order))


def _in_chunks(column, values, *conditions, size=500):
    """The rows whose `column` is one of `values`, a few hundred bound parameters per query."""
    found = []
    for start in range(0, len(values), size):
        found += column.class_.query.filter(column.in_(values[start:start + size]), *conditions).all()
    return found


def _suppression(shop_id, address):
    return EmailSuppression.query.filter_by(shop_id=shop_id, email=address.lower()).first()


def _one_line(text):
    return " ".join(text.split())


def _message_id_domain():
    return urlsplit(current_app.config["PANEL_URL"]).hostname or "crisisdesk.invalid"


def _label(row):
    return KIND_LABELS.get(row.kind, "Email")


def _local(moment, timezone_name):
    return f"{moment.astimezone(ZoneInfo(timezone_name)):%Y-%m-%d %H:%M} ({timezone_name})"
