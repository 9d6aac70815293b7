"""Crisis alert detection, run every 15 minutes from the periodic schedule."""
from crisisdesk.jobs.runtime import job
from crisisdesk.services import crisis_alerts


@job
def detect_spikes_job():
    """Raise or refresh spike alerts and email owners of new ones (idempotent; two runs at once alert once)."""
    result = crisis_alerts.detect()
    return {"created": result.created, "updated": result.updated, "emails": result.emails}
