"""Warnings about negative reviews left awaiting moderation in WordPress, run every 15 minutes from the schedule."""
from crisisdesk.jobs.runtime import job
from crisisdesk.services import moderation_watch


@job
def warn_about_held_reviews_job():
    """Warn once per hold about each negative review held past its shop's warning time (idempotent)."""
    result = moderation_watch.warn_about_held_reviews()
    return {"warnings": result.warnings, "emails": result.emails}
