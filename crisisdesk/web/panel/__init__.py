from flask import Blueprint

blueprint = Blueprint("panel", __name__)

from crisisdesk.web.panel import (audit, cases, compensation, shop_events, shop_woo, shops,  # noqa: E402,F401
                                  sync, users)


def _register_template_globals(state):
    # A Jinja global, not only a context variable: macros imported with `{% from ... import %}`
    # get no template context, and `status_badge` needs CaseStatus.
    from crisisdesk.domain.case_status import CaseStatus

    from crisisdesk.domain.order_linking import LINK_METHOD_LABELS

    state.app.jinja_env.globals["CaseStatus"] = CaseStatus
    state.app.jinja_env.globals["link_method_labels"] = LINK_METHOD_LABELS


blueprint.record_once(_register_template_globals)


@blueprint.app_context_processor
def panel_globals():
    from crisisdesk import clock
    from crisisdesk.domain.case_status import CaseStatus
    from crisisdesk.web.auth.forms import LogoutForm

    return {"logout_form": LogoutForm(), "now": clock.utcnow(), "CaseStatus": CaseStatus}
