from flask import Blueprint

blueprint = Blueprint("panel", __name__)

from crisisdesk.web.panel import (alerts, at_risk, audit, case_remedies, case_work, cases, compensation,  # noqa: E402,F401
                                  dashboard, guide, improvements, incidents, privacy, ratings, recovery, replies,
                                  resolution_notes, review_answers, review_flags, shop_events, shop_woo, shops, sync,
                                  users)


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
    from flask_login import current_user

    from crisisdesk import clock
    from crisisdesk.domain.case_status import CaseStatus
    from crisisdesk.web.auth.forms import LogoutForm

    # Only for someone logged in (base.html shows it to them alone): building the form makes a CSRF
    # token, which starts a session, and the customers' pages (web/public) must set no cookie.
    logout_form = LogoutForm() if current_user.is_authenticated else None
    return {"logout_form": logout_form, "now": clock.utcnow(), "CaseStatus": CaseStatus}
