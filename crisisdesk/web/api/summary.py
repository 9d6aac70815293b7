"""GET /api/v1/shops/<shop_id>/summary: the WordPress dashboard widget's numbers (SPEC section 6)."""
from flask import current_app, jsonify, request, url_for

from crisisdesk.services import summary as summary_service
from crisisdesk.web.api import blueprint
from crisisdesk.web.api.signed import signed


@blueprint.get("/shops/<int:shop_id>/summary")
@signed
def shop_summary(shop, _body):
    numbers = summary_service.widget_summary(shop)
    return jsonify(open_cases=numbers.open_cases, overdue_cases=numbers.overdue_cases,
                   negative_reviews_7d=numbers.negative_reviews_7d, alerts=numbers.alerts,
                   panel_url=panel_inbox_url(shop.id))


def panel_inbox_url(shop_id):
    """The panel's inbox filtered to the shop, at PANEL_URL; at this server's own address when that is unset."""
    base = (current_app.config.get("PANEL_URL") or "").rstrip("/")
    if not base:
        return url_for("panel.inbox", shop=shop_id, _external=True)
    # PANEL_URL already names where the app is mounted, so only the part after the script root is added.
    return base + url_for("panel.inbox", shop=shop_id)[len(request.script_root):]
