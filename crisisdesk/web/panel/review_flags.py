"""Unfair or fake reviews on the case page: flag with a documented reason beside the evidence, log the removal
request to the platform and its outcome (services/review_flags.py). Nothing here deletes a review."""
from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice, SelectField, TextAreaField
from wtforms.validators import DataRequired

from crisisdesk.domain.review_flags import FLAG_REASONS, REASON_EXPLANATIONS, REMOVAL_CHANNELS
from crisisdesk.domain.roles import Role
from crisisdesk.services import review_flags as service
from crisisdesk.web.panel import blueprint
from crisisdesk.web.panel.actions import perform
from crisisdesk.web.security import current_actor, role_required


class FlagForm(FlaskForm):
    reason = RadioField(_l("Reason"), choices=[SelectChoice(k, _l(v)) for k, v in FLAG_REASONS.items()],
                        validators=[DataRequired()])
    explanation = TextAreaField(_l("Why (what the facts are)"), id="flag-explanation", validators=[DataRequired()])


class RemovalRequestForm(FlaskForm):
    channel = SelectField(_l("Asked of"), choices=[SelectChoice(k, _l(v)) for k, v in REMOVAL_CHANNELS.items()],
                          validators=[DataRequired()])
    text = TextAreaField(_l("What was asked"), validators=[DataRequired()])


class OutcomeForm(FlaskForm):
    outcome = SelectField(_l("Outcome"), choices=[SelectChoice("granted", _l("granted")),
                                                  SelectChoice("refused", _l("refused"))],
                          validators=[DataRequired()])


@blueprint.app_template_global()
def review_flag_panel(case):
    """What _review_flags.html shows on a review case: the flags, the evidence, and (for agents) the forms."""
    if case.review is None:
        return None
    agent = current_user.can(Role.AGENT)
    return {"flags": list(case.review_flags), "evidence": service.evidence(current_user, case.id),
            "reasons": FLAG_REASONS, "explanations": REASON_EXPLANATIONS, "channels": REMOVAL_CHANNELS,
            "flag_form": FlagForm(formdata=None) if agent else None,
            "request_form": RemovalRequestForm(formdata=None) if agent else None,
            "outcome_form": OutcomeForm(formdata=None) if agent else None}


def _back(case_id):
    return url_for("panel.case_detail", case_id=case_id, _anchor="review-flags")


@blueprint.post("/cases/<int:case_id>/flags")
@role_required("agent")
def case_flag_review(case_id):
    form = FlagForm()
    return perform(form, lambda: service.flag_review(current_user, case_id, current_actor(), form.reason.data,
                                                     form.explanation.data),
                   _("Review flagged. It still needs a public answer."), _back(case_id))


@blueprint.post("/cases/<int:case_id>/flags/<int:flag_id>/removal-request")
@role_required("agent")
def case_flag_removal_request(case_id, flag_id):
    form = RemovalRequestForm()
    return perform(form, lambda: service.request_removal(current_user, case_id, flag_id, current_actor(),
                                                         form.channel.data, form.text.data),
                   _("Removal request logged."), _back(case_id))


@blueprint.post("/cases/<int:case_id>/flags/<int:flag_id>/outcome")
@role_required("agent")
def case_flag_outcome(case_id, flag_id):
    form = OutcomeForm()
    return perform(form, lambda: service.record_outcome(current_user, case_id, flag_id, current_actor(),
                                                        form.outcome.data),
                   _("Outcome recorded."), _back(case_id))
