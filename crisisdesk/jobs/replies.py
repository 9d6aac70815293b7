"""Jobs that post agents' replies under reviews and sweep up the ones whose job was lost."""
from crisisdesk.jobs.runtime import job
from crisisdesk.services import reply_delivery


@job
def deliver_reply_job(reply_id):
    """Post one public reply if it is still due and unclaimed; returns what happened to it."""
    return reply_delivery.deliver(reply_id)


@job
def sweep_replies_job():
    """Re-enqueue due replies with no live job, take back claims of dead workers, hand stray emails to the outbox."""
    return reply_delivery.sweep()
