"""Jobs of the follow-up and recovery work: windows that ended, follow-ups to schedule."""
from crisisdesk.jobs import DEFAULT_QUEUE, _enqueue
from crisisdesk.jobs.runtime import job
from crisisdesk.services import follow_up, recovery


@job
def expire_recoveries_job():
    """Hourly: pending recoveries whose window ended become not recovered."""
    return recovery.expire_recoveries()


@job
def schedule_missing_follow_ups_job():
    """Periodic: schedule the follow-ups that resolved cases should have and lack (see follow_up.schedule_missing)."""
    return follow_up.schedule_missing()


@job
def schedule_follow_up_job(case_id):
    """Schedule one case's follow-up after its replacement order was completed; idempotent."""
    return follow_up.schedule_by_id(case_id)


def enqueue_schedule_follow_up(case_id):
    """Queue `schedule_follow_up_job`; on a Redis failure the periodic pass schedules it instead."""
    return _enqueue(DEFAULT_QUEUE, "crisisdesk.jobs.recovery.schedule_follow_up_job", case_id,
                    f"schedule-follow-up-{case_id}", f"the follow-up of case {case_id}; the periodic pass will",
                    result_ttl=3600, failure_ttl=7 * 86400)
