"""The periodic job that schedules post-purchase review requests (services/review_requests.py)."""
from crisisdesk.jobs.runtime import job
from crisisdesk.services import review_requests


@job
def schedule_review_requests_job():
    """Periodic: schedule a review request for each newly completed order of shops that send them."""
    return review_requests.schedule_due()
