"""Jobs that post agents' replies and answers under reviews and sweep up the ones whose job was lost."""
from crisisdesk.jobs.runtime import job
from crisisdesk.services import reply_delivery, review_answers


@job
def deliver_reply_job(reply_id):
    """Post one public reply if it is still due and unclaimed; returns what happened to it."""
    return reply_delivery.deliver(reply_id)


@job
def deliver_review_answer_job(answer_id):
    """Post one answer to a review without a case if it is still due and unclaimed; returns what happened to it."""
    return review_answers.deliver(answer_id)


@job
def sweep_replies_job():
    """Re-enqueue due replies and answers with no live job, take back claims of dead workers, hand stray emails to
    the outbox."""
    return {"replies": reply_delivery.sweep(), "review_answers": review_answers.sweep()}
