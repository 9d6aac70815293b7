"""A formal complaint (reklamacja): the customer invoked their statutory rights, so a 14-day answer clock runs."""
from datetime import datetime, time
from zoneinfo import ZoneInfo

from crisisdesk import clock
from crisisdesk.domain.errors import Invalid
from crisisdesk.domain.roles import Role
from crisisdesk.domain.sla import STATUTORY_ANSWER_DAYS, statutory_due
from crisisdesk.extensions import db
from crisisdesk.services import audit
from crisisdesk.services.cases import get_case
from crisisdesk.services.review_cases import add_event


def mark_formal_complaint(user, case_id, actor, filed_on=None):
    """Record when the formal complaint was filed (a date in the shop's time zone; default now) and its due date.

    A past date counts from the start of that day, the earliest moment it could have arrived, so the
    deadline shown is never later than the law's. Marking again with another date corrects it.
    """
    case = get_case(user, case_id, Role.AGENT)
    now = clock.utcnow()
    zone = ZoneInfo(case.shop.timezone)
    if filed_on is None or filed_on == now.astimezone(zone).date():
        filed_at = now
    else:
        filed_at = datetime.combine(filed_on, time.min, tzinfo=zone).astimezone(now.tzinfo)
    if filed_at > now:
        raise Invalid("a formal complaint cannot be filed in the future", "filed_on")
    if case.formal_complaint_at is not None and case.formal_complaint_at.astimezone(zone).date() == \
            filed_at.astimezone(zone).date():
        return case  # the same day again: nothing changes, no timeline noise
    before = case.formal_complaint_at
    case.formal_complaint_at, case.statutory_due_at = filed_at, statutory_due(filed_at)
    local_due = case.statutory_due_at.astimezone(zone)
    add_event(case, "formal_complaint",
              f"Marked as a formal complaint (reklamacja) filed {filed_at.astimezone(zone):%Y-%m-%d}: the answer "
              f"is due within {STATUTORY_ANSWER_DAYS} days, by {local_due:%Y-%m-%d %H:%M} ({case.shop.timezone}).",
              actor, filed_at=filed_at.isoformat(), due_at=case.statutory_due_at.isoformat())
    audit.record(actor, "case.formal_complaint", case, before=before.isoformat() if before else None,
                 after=filed_at.isoformat())
    db.session.commit()
    return case
