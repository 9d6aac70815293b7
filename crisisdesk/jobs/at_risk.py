"""At-risk orders, flagged every 30 minutes from the periodic schedule (services/at_risk_orders.py)."""
from crisisdesk.jobs.runtime import job
from crisisdesk.services import at_risk_orders


@job
def flag_at_risk_orders_job():
    """Flag the orders at risk now and clear the flags of orders that moved on (idempotent; safe to run at once)."""
    result = at_risk_orders.flag_all()
    return {"flagged": result.flagged, "cleared": result.cleared}
