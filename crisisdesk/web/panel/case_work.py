"""Case work beside the case page: the causes and their evidence, SLA clocks, formal complaints, detector accuracy."""
from dataclasses import dataclass
from flask import render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from crisisdesk import clock
from crisisdesk.domain.causes import CAUSES
from crisisdesk.domain.evidence_marks import segments
from crisisdesk.domain.priority import LEVEL_LABELS
from crisisdesk.domain.sla import CLOCK_LABELS, clock_states, nearest_running
from crisisdesk.services import cases as case_service
from crisisdesk.services import cause_accuracy, formal_complaint
from crisisdesk.web.panel import blueprint
from crisisdesk.web.panel.actions import perform
from crisisdesk.web.panel.case_work_forms import CausesForm, FormalComplaintForm
from crisisdesk.web.i18n import format_moment, translated
from crisisdesk.web.security import current_actor, role_required


@dataclass(frozen=True)
class ClockView:
    clock: str
    stage: str
    text: str
    due_local: str


@dataclass(frozen=True)
class CaseWork:
    segments: list  # the customer's text, evidence marked (evidence_marks.Segment)
    detected: list  # labels of the detector's causes
    causes: list  # labels of the current causes, main first
    corrected: bool
    causes_form: CausesForm
    clocks: list  # ClockView for each clock that applies
    formal_form: FormalComplaintForm
    formal_filed_local: str | None
    statutory_due_local: str | None
    restored: bool  # the review came back after being trashed or spammed


def local_time(moment, timezone_name):
    """A UTC moment in the shop's time zone, as the panel shows it."""
    return format_moment(moment, timezone_name)


def countdown_text(state, now):
    """domain.sla.countdown_text in the panel's language: 'first response due in 3 h', 'apology met'."""
    label = translated(CLOCK_LABELS[state.clock])
    if state.met:
        return _("%(clock)s met", clock=label)
    if state.stage == "overdue":
        return _("%(clock)s overdue by %(duration)s", clock=label, duration=duration_text(now - state.due_at))
    return _("%(clock)s due in %(duration)s", clock=label, duration=duration_text(state.due_at - now))


def duration_text(delta):
    """domain.sla.duration_text in the panel's language: '45 min', '3 h', '2 d 4 h' (rounded down)."""
    minutes = max(0, int(delta.total_seconds() // 60))
    if minutes < 60:
        return _("%(minutes)s min", minutes=minutes)
    hours = minutes // 60
    if hours < 48:
        return _("%(hours)s h", hours=hours)
    days, hours = divmod(hours, 24)
    return _("%(days)s d %(hours)s h", days=days, hours=hours) if hours else _("%(days)s d", days=days)


def case_work(case):
    """What the case page's causes, clocks and formal-complaint parts show."""
    tz, now = case.shop.timezone, clock.utcnow()
    text = case.review.text if case.review is not None else case.summary
    causes = list(case.causes or [])
    form = CausesForm(main=causes[0] if causes else None, others=causes[1:])
    clocks = [ClockView(s.clock, s.stage, countdown_text(s, now), local_time(s.due_at, tz))
              for s in clock_states(case, now)]
    kinds = [e.kind for e in case.events if e.kind in ("review_removed", "review_restored")]
    return CaseWork(segments=segments(text, case.cause_evidence), detected=[translated(CAUSES.get(c, c)) for c in
                                                                            case.detected_causes or []],
                    causes=[translated(CAUSES.get(c, c)) for c in causes], corrected=causes != list(case.detected_causes or []),
                    causes_form=form, clocks=clocks, formal_form=FormalComplaintForm(),
                    formal_filed_local=local_time(case.formal_complaint_at, tz) if case.formal_complaint_at else None,
                    statutory_due_local=local_time(case.statutory_due_at, tz) if case.statutory_due_at else None,
                    restored=not case.review_removed and bool(kinds) and kinds[-1] == "review_restored")


@blueprint.app_template_global()
def case_countdown(case, now):
    """The inbox's countdown for an open case: its nearest unmet clock, or None."""
    state = nearest_running(clock_states(case, now))
    if state is None:
        return None
    return {"stage": state.stage, "text": countdown_text(state, now),
            "due_local": local_time(state.due_at, case.shop.timezone)}


@blueprint.app_template_filter()
def cause_label(cause):
    return translated(CAUSES.get(cause, cause))


@blueprint.app_template_global()
def priority_label(level):
    return translated(LEVEL_LABELS.get(level, level))


@blueprint.post("/cases/<int:case_id>/cause")
@role_required("agent")
def case_cause(case_id):
    form = CausesForm()
    return perform(form, lambda: case_service.correct_causes(current_user, case_id, form.chosen(), current_actor()),
                   _("Causes saved."), url_for("panel.case_detail", case_id=case_id))


@blueprint.post("/cases/<int:case_id>/formal-complaint")
@role_required("agent")
def case_formal_complaint(case_id):
    form = FormalComplaintForm()
    return perform(form, lambda: formal_complaint.mark_formal_complaint(current_user, case_id, current_actor(),
                                                                        form.filed_on.data),
                   _("Marked as a formal complaint."), url_for("panel.case_detail", case_id=case_id))


@blueprint.get("/shops/<int:shop_id>/cause-detection")
@role_required("agent")
def shop_cause_accuracy(shop_id):
    report = cause_accuracy.disagreement_rates(current_user, shop_id)
    return render_template("panel/shops/cause_accuracy.html", report=report, shop=report.shop,
                           labels={key: translated(label) for key, label in CAUSES.items()})
