"""POST /shops/<id>/backfill: queue the import of a shop's history from WooCommerce (owners only).

The shop's settings page shows the state through templates/panel/shops/_sync.html, which needs
`shop` and `backfill_form` (the latter comes from the context processor below).
"""
from flask import has_request_context, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SubmitField

from crisisdesk.services import backfill as backfill_service
from crisisdesk.web.panel import blueprint
from crisisdesk.web.panel.actions import perform
from crisisdesk.web.security import current_actor, role_required


class BackfillForm(FlaskForm):
    restart = BooleanField(_l("Start again from the first page (instead of resuming where the last run stopped)"))
    submit = SubmitField(_l("Import history from WooCommerce"))


@blueprint.post("/shops/<int:shop_id>/backfill")
@role_required("owner")
def shop_backfill(shop_id):
    form = BackfillForm()
    return perform(form, lambda: backfill_service.request_backfill(current_user, shop_id, current_actor(),
                                                                   restart=form.restart.data),
                   _("The import of orders and reviews is queued; this page shows its progress."),
                   url_for("panel.shop_settings", shop_id=shop_id, _anchor="sync"))


@blueprint.context_processor
def sync_helpers():
    # Panel pages only: building a form makes a CSRF token (a session cookie), which the customers'
    # pages (web/public) must not get. Templates rendered outside a request need no form either.
    return {"backfill_form": BackfillForm()} if has_request_context() else {}
