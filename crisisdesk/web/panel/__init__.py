from flask import Blueprint

blueprint = Blueprint("panel", __name__)

from crisisdesk.web.panel import audit, cases, shop_events, shops, users  # noqa: E402,F401


@blueprint.app_context_processor
def panel_globals():
    from crisisdesk import clock
    from crisisdesk.domain.case_status import CaseStatus
    from crisisdesk.web.auth.forms import LogoutForm

    return {"logout_form": LogoutForm(), "now": clock.utcnow(), "CaseStatus": CaseStatus}
