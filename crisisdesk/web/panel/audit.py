"""The audit log (owners only), newest first."""
from flask import render_template, request

from crisisdesk.models import AuditEntry
from crisisdesk.web.panel import blueprint
from crisisdesk.web.security import role_required

PER_PAGE = 50


@blueprint.get("/audit")
@role_required("owner")
def audit_log():
    page = max(1, request.args.get("page", 1, type=int))
    entries = (AuditEntry.query.order_by(AuditEntry.id.desc())
               .offset((page - 1) * PER_PAGE).limit(PER_PAGE + 1).all())
    return render_template("panel/audit/list.html", entries=entries[:PER_PAGE], page=page,
                           has_next=len(entries) > PER_PAGE)
