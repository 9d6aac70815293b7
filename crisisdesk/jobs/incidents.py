"""Incident update reminders, run every 15 minutes from the periodic schedule."""
from crisisdesk.jobs.runtime import job
from crisisdesk.services import incident_broadcasts


@job
def remind_due_incident_updates_job():
    """Email the owners of incidents whose next broadcast update is due (once per due time; a person sends it)."""
    return {"due": incident_broadcasts.remind_due()}
