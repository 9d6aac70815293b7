"""The transparent delay notice about an at-risk order (domain/delay_notices.py): its draft, and sending it once.

Sending is one action: the agent's text (checked: it names the new date and asks for no review), optionally a
goodwill discount code, and exactly one outbox email (kind "delay_notice", key "delay-notice:<flag id>").
- Once per flag: a conditional UPDATE moves the flag to `notified`, so a double submit, a browser retry or two
  agents at once send one notice; the later ones get the flag as it is.
- The code goes through the compensation path (services/compensation.request_goodwill_code): a coupon of the
  order, without a case, recorded with its idempotency key before WooCommerce is called, bounded by the coupon
  rules and by the shop's approval threshold. The email waits until WooCommerce has created it
  (services/delay_notice_emails.wait_until), so the customer never gets a code that does not work yet.
- Nobody is written to who opted out or whose mail server refused the address (a form error says so), nor a
  customer whose personal data was erased.
- When the customer has a case (the open one, else the latest), the email is shown on it and the notice gets a
  line on its timeline; every notice is in the audit log.
"""
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import update

from crisisdesk import clock
from crisisdesk.domain import delay_notices as texts
from crisisdesk.domain.case_status import OPEN_STATUSES
from crisisdesk.domain.compensation_request import CompensationRequest, today_utc
from crisisdesk.domain.errors import Conflict, Invalid
from crisisdesk.domain.follow_up import choose_language, format_date
from crisisdesk.domain.personal_data import ERASED_EMAIL_DOMAIN
from crisisdesk.domain.roles import Role
from crisisdesk.extensions import db
from crisisdesk.models import AtRiskOrder, Case, Review
from crisisdesk.services import audit, compensation, outbox
from crisisdesk.services.at_risk_orders import get_flag
from crisisdesk.services.case_people import first_name
from crisisdesk.services.delay_notice_emails import KEY_PREFIX, KIND  # the key: "delay-notice:<flag id>"
from crisisdesk.services.review_cases import add_event

DEFAULT_DAYS_AHEAD = 2  # the suggested new dispatch date, from today


@dataclass(frozen=True)
class GoodwillCode:
    coupon_type: str  # percent | fixed_cart
    amount: object  # Decimal: the percent or the fixed amount


@dataclass(frozen=True)
class DelayNotice:
    language: str
    text: str
    expected_on: object  # date
    reason: str = ""
    code: GoodwillCode | None = None


def notice_key(flag_id):
    return f"{KEY_PREFIX}{flag_id}"


def customer_case(flag):
    """The customer's case the notice is shown on: the open one, else the latest; None without any."""
    if flag.customer_id is None:
        return None
    cases = Case.query.filter_by(shop_id=flag.shop_id, customer_id=flag.customer_id)
    return (cases.filter(Case.status.in_(OPEN_STATUSES)).order_by(Case.opened_at.desc(), Case.id.desc()).first()
            or cases.order_by(Case.opened_at.desc(), Case.id.desc()).first())


def language_for(flag):
    """The customer's language if known, else the one they wrote their case (or latest review) in, else the shop's."""
    customer, case = flag.order.customer, customer_case(flag)
    if case is not None:
        text = case.summary
    else:
        latest = (Review.query.filter_by(shop_id=flag.shop_id, customer_id=flag.customer_id)
                  .order_by(Review.created_at.desc(), Review.id.desc()).first() if flag.customer_id else None)
        text = latest.text if latest is not None else ""
    return choose_language(customer.language if customer else None, text, flag.shop.language)


def draft(flag, language=None, expected_on=None, reason=""):
    """The prefilled form: a DelayNotice in the customer's language, the date two days ahead, no code yet."""
    language = language if language in texts.LANGUAGES else language_for(flag)
    expected_on = expected_on or today_utc(clock.utcnow()) + timedelta(days=DEFAULT_DAYS_AHEAD)
    order = flag.order
    name = first_name(order.customer.first_name if order.customer else "", order.billing_name)
    text = texts.draft(language, order.number, flag.shop.name, expected_on, first_name=name, reason=reason)
    return DelayNotice(language=language, text=text, expected_on=expected_on, reason=texts.tidy_reason(reason))


def suggested_code(flag):
    """The shop's goodwill percent for a late delivery of this order (its suggestion table), or None."""
    suggestion = compensation.goodwill_suggestion(flag.order)
    return suggestion.amount if suggestion is not None and suggestion.remedy == "coupon" else None


def recipient(flag):
    """The address the notice goes to; Invalid (field "to") when nobody may be written to."""
    order = flag.order
    address = (order.billing_email or (order.customer.email if order.customer else "")).strip()
    if not address or address.lower().endswith("@" + ERASED_EMAIL_DOMAIN):
        raise Invalid("the customer's personal data was erased: there is nobody to write to", "to")
    if not outbox.is_sendable(address):
        raise Invalid(f"the order's address “{address}” is not one we can write to", "to")
    if outbox.is_suppressed(flag.shop_id, address):
        raise Invalid("this address asked for no more emails from the shop (it opted out, or its mail server "
                      "refused our mail), so no notice can be sent", "to")
    return address


def send_notice(user, flag_id, actor, notice):
    """Send the notice once; returns (flag, created). A flag already notified is returned as it is."""
    flag = get_flag(user, flag_id, Role.AGENT)
    if flag.notified_at is not None:
        return flag, False
    if flag.cleared_at is not None:
        raise Conflict(f"order #{flag.order.number} has moved on ({flag.order.status}): no notice is needed")
    address = recipient(flag)
    text, code = _checked(flag, notice)
    now = clock.utcnow()
    claimed = db.session.execute(
        update(AtRiskOrder).where(AtRiskOrder.id == flag.id, AtRiskOrder.notified_at.is_(None))
        .values(status="notified", notified_at=now, acted_by_id=user.id, notice_language=notice.language,
                notice_text=text, delay_reason=texts.tidy_reason(notice.reason), expected_on=notice.expected_on)
        .execution_options(synchronize_session=False)).rowcount
    if claimed != 1:  # another request sent it a moment ago
        db.session.rollback()
        db.session.refresh(flag)
        return flag, False
    db.session.refresh(flag)
    case = customer_case(flag)
    if code is not None:
        # Commits the claim with the code's record (the compensation path locks the order first).
        flag.compensation = compensation.request_goodwill_code(flag.order, code, f"{notice_key(flag.id)}:code", actor)
    _record(flag, case, actor)
    email = outbox.schedule_email(flag.shop, KIND, notice_key(flag.id), address, notice.language, now,
                                  f"A transparent notice about the delay of order #{flag.order.number}.",
                                  case=case, customer=flag.order.customer, order=flag.order)
    flag.outbox_email_id = email.id
    db.session.commit()
    return flag, True


def _checked(flag, notice):
    if notice.language not in texts.LANGUAGES:
        raise Invalid(f"choose one of {', '.join(texts.LANGUAGES)}", "language")
    problem = texts.expected_date_problem(notice.expected_on, today_utc(clock.utcnow()))
    if problem:
        raise Invalid(problem, "expected_on")
    if len(notice.reason or "") > texts.MAX_REASON:
        raise Invalid(f"the reason is longer than {texts.MAX_REASON} characters", "reason")
    text = (notice.text or "").replace("\r\n", "\n").strip()
    problem = texts.text_problem(text, notice.language, notice.expected_on)
    if problem:
        raise Invalid(problem, "text")
    return text, _code_request(flag, notice.code)


def _code_request(flag, code):
    """The goodwill code as a compensation request, checked now (before anything is recorded), or None."""
    if code is None:
        return None
    if not flag.shop.has_woo_keys:
        raise Invalid("a code is created in WooCommerce: the shop's WooCommerce API keys are needed first "
                      "(Shops → Settings)", "amount")
    request = CompensationRequest(kind="coupon", amount=code.amount, coupon_type=code.coupon_type,
                                  coupon_days=flag.shop.coupon_validity_days,
                                  reason=f"Goodwill code for the delay of order #{flag.order.number}")
    compensation.goodwill_preview(flag.order, request)
    return request


def _record(flag, case, actor):
    """The audit entry, and the line on the customer's case when there is one (the caller commits)."""
    with_code = flag.compensation is not None
    audit.record(actor, "at_risk.notified", flag, order_id=flag.order_id, language=flag.notice_language,
                 expected_on=flag.expected_on.isoformat(), compensation_id=flag.compensation_id,
                 case_id=case.id if case is not None else None)
    if case is not None:
        add_event(case, "delay_notice",
                  f"Delay notice about order #{flag.order.number} written: dispatch now expected by "
                  f"{flag.expected_on.isoformat()}" + (", with a goodwill code." if with_code else "."), actor,
                  flag_id=flag.id, compensation_id=flag.compensation_id)


def date_in_text(expected_on, language):
    """The new date as the notice writes it (the form shows what the text must name)."""
    return format_date(expected_on, language)
