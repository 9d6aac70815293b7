"""Append to the audit log; called by the other services inside their transaction."""
from crisisdesk.extensions import db
from crisisdesk.models import AuditEntry


def record(actor, action, target=None, shop_id=None, **details):
    """Add an audit entry to the current transaction (the caller commits)."""
    if target is not None and target.id is None:
        db.session.flush()  # the entry must name the new row's id
    target_type = target.__tablename__.rstrip("s") if target is not None else ""
    if shop_id is None and target is not None:
        # A shop is its own shop: without this, shop-level entries (created, keys saved, settings) had none.
        shop_id = target.id if target_type == "shop" else getattr(target, "shop_id", None)
    entry = AuditEntry(
        shop_id=shop_id,
        actor_id=actor.user_id,
        actor_label=actor.label,
        action=action,
        target_type=target_type,
        target_id=getattr(target, "id", None),
        details=details,
        ip=actor.ip or "",
    )
    db.session.add(entry)
    return entry
