"""The shop's retention period, applied once a day from the periodic schedule (services/retention.py)."""
from crisisdesk.jobs.runtime import job
from crisisdesk.services import retention


@job
def anonymise_due_cases_job():
    """Anonymise the cases past their shop's retention period (idempotent; safe to run at once)."""
    result = retention.anonymise_due_cases()
    return {"shops": result.shops, "cases": result.cases}
