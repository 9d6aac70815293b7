"""GET /api/v1/shops/<shop_id>/summary: the WordPress dashboard widget's numbers (SPEC section 6)."""
from datetime import timezone

from flask import current_app, jsonify, request, url_for

from crisisdesk.services import crisis_alert_emails
from crisisdesk.services import summary as summary_service
from crisisdesk.web.api import blueprint
from crisisdesk.web.api.signed import signed


@blueprint.get("/shops/<int:shop_id>/summary")
@signed
def shop_summary(shop, _body):
    numbers = summary_service.widget_summary(shop)
    return jsonify(open_cases=numbers.open_cases, overdue_cases=numbers.overdue_cases,
                   negative_reviews_7d=numbers.negative_reviews_7d,
                   alerts=[alert_json(line, shop.id) for line in numbers.alerts],
                   panel_url=panel_inbox_url(shop.id))


def alert_json(line, shop_id):
    """One open alert: `message` is the line the WordPress widget shows (it reads `message` first)."""
    return {"id": line.id, "scope": line.scope, "product_id": line.product_id, "product_name": line.product_name,
            "observed": line.observed, "expected": round(line.expected, 2), "dominant_cause": line.dominant_cause,
            "since": line.since.astimezone(timezone.utc).isoformat().replace("+00:00", "Z"),
            "message": crisis_alert_emails.headline(line, line.product_name or ""),
            "url": panel_url("panel.alert_list", _anchor=f"alert-{line.id}", shop=shop_id)}


def panel_inbox_url(shop_id):
    """The panel's inbox filtered to the shop, at PANEL_URL; at this server's own address when that is unset."""
    return panel_url("panel.inbox", shop=shop_id)


def panel_url(endpoint, **values):
    """A panel URL at PANEL_URL; at this server's own address when that is unset."""
    base = (current_app.config.get("PANEL_URL") or "").rstrip("/")
    if not base:
        return url_for(endpoint, **values, _external=True)
    # PANEL_URL already names where the app is mounted, so only the part after the script root is added.
    return base + url_for(endpoint, **values)[len(request.script_root):]
