"""Jobs that carry out compensations in WooCommerce and sweep up stuck ones."""
from crisisdesk.jobs.runtime import job
from crisisdesk.services import compensation_execution


@job
def execute_compensation_job(compensation_id):
    """Carry out one compensation; an unknown outcome raises so RQ retries (and the retry checks first)."""
    return compensation_execution.execute(compensation_id)


@job
def sweep_stuck_compensations():
    """Rows left `executing` by a dead worker become `unknown` and are re-run (which checks WooCommerce first);
    approved rows whose job is gone are queued again."""
    from crisisdesk.jobs import compensation_job_waiting, enqueue_compensation

    compensation_execution.mark_stuck_as_unknown()
    # The stuck ones are unknown now too. One whose retry is still scheduled is left to it, so the
    # sweep does not cut RQ's backoff short.
    candidates = compensation_execution.unknown_ids() + compensation_execution.unstarted_ids()
    ids = [i for i in candidates if not compensation_job_waiting(i)]
    for compensation_id in ids:
        enqueue_compensation(compensation_id)
    return len(ids)
