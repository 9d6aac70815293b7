"""The reply composer on a case: draft along 5P, check, send (publicly under the review and/or by email).

Without JavaScript every action is a button of one form: "New draft" and "Check" show the composer
again with the result (nothing is written), "Send" records the reply. With JavaScript
(static/js/composer.js) the check also runs while the agent types, through `reply_check`.
"""
import uuid

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from crisisdesk.domain import five_p, tone_check
from crisisdesk.domain.errors import Conflict, Invalid
from crisisdesk.domain.roles import Role
from crisisdesk.services import replies as service
from crisisdesk.services.cases import get_case
from crisisdesk.web.i18n import translated
from crisisdesk.web.panel import blueprint
from crisisdesk.web.panel.reply_forms import ACTIONS, CheckForm, ReplyForm
from crisisdesk.web.security import current_actor, role_required
from crisisdesk.web.error_texts import panel_message


@blueprint.app_template_global()
def five_p_hint(step):
    """What a missing 5P step asks for, in the panel's language, with the step's Polish name."""
    return f"{translated(five_p.HINTS[step.step])} ({step.polish_name})"


@blueprint.app_template_global()
def tone_label(kind):
    """The name of a tone hint's kind ("Defensive"), in the panel's language."""
    return translated(tone_check.LABELS[kind])


def composer_for(case, form=None, checked=None):
    """What _composer.html needs for `case`; None for people who may not reply (viewers see the list only)."""
    if not current_user.can(Role.AGENT):
        return None
    options = service.reply_options(case)
    if form is None:
        draft = service.draft_for(current_user, case.id, options.choices[0] if options.choices else "email")
        form = ReplyForm(formdata=None, channel=draft.channel, remedy=draft.remedy or "none", language=draft.language,
                         text=draft.text, idempotency_key=uuid.uuid4().hex)
    form.channel.choices = [SelectChoice(c, translated(service.CHANNEL_LABELS[c])) for c in options.choices]
    if checked is None and form.text.data:
        checked = service.review(current_user, case.id, form.text.data, form.language.data)
    return {"form": form, "options": options, "checked": checked}


@blueprint.post("/cases/<int:case_id>/reply")
@role_required("agent")
def reply_post(case_id):
    case = get_case(current_user, case_id, Role.AGENT)
    form = ReplyForm()
    action = request.form.get("action")
    if not form.validate_on_submit() or action not in ACTIONS:
        return _composer_page(case, form, 400)
    if action == "draft":
        return _new_draft(case, form)
    if action == "check":
        return _composer_page(case, form)
    try:
        rows = service.send_reply(current_user, case.id, current_actor(), form.channel.data, form.text.data,
                                  form.idempotency_key.data, form.language.data)
    except (Invalid, Conflict) as error:
        getattr(form, error.field or "text", form.text).errors.append(panel_message(error.message))
        return _composer_page(case, form, 400)
    flash(_sent_message(rows), "success")
    return redirect(url_for("panel.case_detail", case_id=case.id, _anchor="replies"))


@blueprint.post("/cases/<int:case_id>/reply/check")
@role_required("agent")
def reply_check(case_id):
    """The live check: the 5P coverage and canned-reply warning of the posted text, as an HTML fragment."""
    form = CheckForm()
    if not form.validate_on_submit():
        return _("the check needs the text and its language"), 400
    checked = service.review(current_user, case_id, form.text.data, form.language.data)
    return render_template("panel/cases/_reply_check.html", checked=checked)


def _new_draft(case, form):
    remedy = form.remedy.data
    draft = service.draft_for(current_user, case.id, form.channel.data, remedy=remedy, language=form.language.data)
    form.text.data = draft.text
    return _composer_page(case, form)


def _composer_page(case, form, status=200):
    # An agent may have picked a channel this case does not offer; the service refuses it on Send.
    return render_template("panel/cases/reply.html", case=case, composer=composer_for(case, form)), status


def _sent_message(rows):
    statuses = {row.channel: row.status for row in rows}
    public = {None: None, "posted": _("the public reply is posted under the review")}.get(
        statuses.get("public"), _("the public reply is being posted under the review"))
    email = {None: None, "queued": _("the email is queued")}.get(
        statuses.get("email"), _("the email is %(status)s", status=statuses.get("email")))
    if public and email:
        return _("Reply sent: %(public)s and %(email)s.", public=public, email=email)
    return _("Reply sent: %(what)s.", what=public or email)
