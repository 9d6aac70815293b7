"""Jobs that apply stored events and sweep up any whose job was lost."""
import logging

from crisisdesk.jobs import apply_job_waiting, enqueue_apply_event
from crisisdesk.jobs.runtime import job
from crisisdesk.services import ingest

log = logging.getLogger(__name__)


@job
def apply_event_job(event_id):
    """Apply one stored event; on an unexpected error record it on the row and let RQ retry."""
    try:
        return ingest.apply_event(event_id)
    except Exception as error:
        ingest.record_failure(event_id, error)
        raise


@job
def sweep_pending_events():
    """Re-enqueue events that were stored but not applied (their job was lost or never queued)."""
    # A job that is only late (a backlog, a retry's backoff) is left alone: a second copy would
    # lengthen the backlog and cut the backoff short.
    ids = [event_id for event_id in ingest.pending_event_ids() if not apply_job_waiting(event_id)]
    for event_id in ids:
        enqueue_apply_event(event_id)
    if ids:
        log.info("re-enqueued %d pending events", len(ids))
    return len(ids)
