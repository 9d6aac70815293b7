"""SLA escalation, run every 5 minutes from the periodic schedule."""
from crisisdesk.jobs.runtime import job
from crisisdesk.services import sla_escalation


@job
def escalate_sla_job():
    """Send the due-soon and overdue notices not sent yet (idempotent; two runs at once send each once)."""
    result = sla_escalation.escalate_due_cases()
    return {"notices": result.notices, "emails": result.emails}
