"""What was fixed on the case page: the remedies recorded apart from the compensations (services/case_remedies.py);
agents record one or mark a planned one done, viewers read the list."""
import uuid

from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user

from crisisdesk.domain.remedies import DESCRIPTION_MAX, KIND_LABELS, STATUS_LABELS, STEP_LABELS
from crisisdesk.domain.roles import Role
from crisisdesk.services import case_remedies as service
from crisisdesk.web.panel import blueprint
from crisisdesk.web.panel.actions import perform
from crisisdesk.web.panel.case_remedy_forms import MarkDoneForm, RemedyForm
from crisisdesk.web.security import current_actor, role_required


@blueprint.app_template_global()
def case_remedy_panel(case):
    """What _remedies.html shows: the case's remedies and (for agents) the forms, with a fresh idempotency key."""
    agent = current_user.can(Role.AGENT)
    return {"remedies": list(case.remedies), "kinds": KIND_LABELS, "steps": STEP_LABELS, "statuses": STATUS_LABELS,
            "description_max": DESCRIPTION_MAX,
            "form": RemedyForm(formdata=None, idempotency_key=uuid.uuid4().hex) if agent else None,
            "done_form": MarkDoneForm(formdata=None) if agent else None}


def _back(case_id):
    return url_for("panel.case_detail", case_id=case_id, _anchor="remedies")


@blueprint.post("/cases/<int:case_id>/remedies")
@role_required("agent")
def case_remedy_record(case_id):
    form = RemedyForm()
    return perform(form, lambda: service.record(current_user, case_id, current_actor(), form.kind.data,
                                                form.description.data, form.idempotency_key.data, form.status.data),
                   _("Recorded under “What was fixed”."), _back(case_id))


@blueprint.post("/cases/<int:case_id>/remedies/<int:remedy_id>/done")
@role_required("agent")
def case_remedy_done(case_id, remedy_id):
    return perform(MarkDoneForm(), lambda: service.mark_done(current_user, case_id, remedy_id, current_actor()),
                   _("Marked as done."), _back(case_id))
