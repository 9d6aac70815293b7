"""Jobs that import a shop's history and reconcile every shop with WooCommerce."""
import logging

from crisisdesk.domain.actor import WORKER
from crisisdesk.domain.errors import Conflict, DomainError
from crisisdesk.jobs.runtime import job
from crisisdesk.services import backfill, reconcile

log = logging.getLogger(__name__)


@job
def backfill_job(shop_id):
    """Run (or resume) the shop's backfill. Raises, so RQ retries and the retry resumes, only when a retry can help."""
    try:
        return backfill.backfill(shop_id, actor=WORKER).as_dict()
    except Conflict:
        raise  # another backfill of the shop holds the lock: try again after it
    except backfill.BackfillError as error:
        if not error.permanent:
            raise
        # Bad keys, a missing permission: retrying unchanged cannot help. The error is on the shop
        # (its settings page shows it) and in the audit log.
        log.error("backfill of shop %s failed for good: %s", shop_id, error.message)
        return {"state": "failed", "error": error.message}
    except DomainError as error:  # the shop or its keys are gone since the job was queued
        log.error("backfill of shop %s not started: %s", shop_id, error.message)
        return {"state": "not started", "error": error.message}


@job
def reconcile_all_job():
    """The periodic pass over every shop; failures are logged per shop and listed in the job's result."""
    return reconcile.reconcile_all().as_dict()
