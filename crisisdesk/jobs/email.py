"""Jobs that send outbox emails and sweep up the ones whose job was lost."""
from crisisdesk.jobs.runtime import job
from crisisdesk.services import outbox


@job
def send_email_job(email_id):
    """Send one outbox row if it is still due and unclaimed; returns what happened to it."""
    return outbox.send(email_id)


@job
def sweep_outbox_job():
    """Re-enqueue due rows with no live job and put rows a dead worker left `sending` back in line."""
    result = outbox.sweep()
    return {"returned": result.returned, "requeued": result.requeued}
