"""The public resolution note on a resolved review case: a short update under the review, posted once."""
from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import HiddenField, TextAreaField

from crisisdesk.domain.errors import Conflict, Invalid
from crisisdesk.domain.roles import Role
from crisisdesk.services import resolution_notes as service
from crisisdesk.web.error_texts import panel_message
from crisisdesk.web.panel import blueprint
from crisisdesk.web.security import current_actor, role_required


class ResolutionNoteForm(FlaskForm):
    text = TextAreaField(_l("Public note"), id="resolution-note-text")  # an id of its own beside the composer
    language = HiddenField()


@blueprint.app_template_global()
def resolution_note_panel(case):
    """What _resolution_note.html shows: the case's note once there is one, else (for agents, on a resolved
    review case) the prefilled form; None when there is nothing to show."""
    note = service.resolution_note(case)
    if note is not None:
        return {"note": note, "form": None}
    if not current_user.can(Role.AGENT) or service.note_refusal(case):
        return None
    draft = service.draft_note(case)
    return {"note": None, "form": ResolutionNoteForm(formdata=None, text=draft.text, language=draft.language)}


@blueprint.post("/cases/<int:case_id>/resolution-note")
@role_required("agent")
def case_resolution_note(case_id):
    form = ResolutionNoteForm()
    back = url_for("panel.case_detail", case_id=case_id, _anchor="resolution-note")
    if not form.validate_on_submit():
        flash(_("The form expired; open the case again."), "error")
        return redirect(back)
    try:
        _note, created = service.post_note(current_user, case_id, current_actor(), form.text.data, form.language.data)
    except (Invalid, Conflict) as error:
        flash(panel_message(error.message), "error")
        return redirect(back)
    if created:
        flash(_("The resolution note is being posted under the review."), "success")
    else:
        flash(_("This case already has a resolution note; it is shown below."), "info")
    return redirect(back)
