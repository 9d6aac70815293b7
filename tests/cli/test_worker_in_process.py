"""`flask worker --no-fork`: jobs run in the worker process (no fork per job, issue 8), each in an app context and
database session of its own as in a forked horse; and `preload` does once what every horse used to repeat."""
import sys

from rq.job import Job

from crisisdesk.cli.worker import InProcessWorker, preload
from crisisdesk.extensions import db
from crisisdesk.jobs import queue, runtime


def session_of_this_job():
    """A job: which session and app context it ran in."""
    from flask import g

    g.touched = getattr(g, "touched", 0) + 1  # a fresh `g` per job shows a fresh app context
    info = db.session().info  # a session's own dict: marks on it show which session this is (ids get reused)
    info["jobs"] = info.get("jobs", 0) + 1
    return [info.get("the test's", False), info["jobs"], g.touched]


class QuietInProcessWorker(InProcessWorker):
    def subscribe(self):  # no pubsub thread for a burst in a test
        pass

    def unsubscribe(self):
        pass


def test_each_job_gets_a_session_and_app_context_of_its_own(app, redis, monkeypatch):
    monkeypatch.setattr(runtime, "_worker_app", app)
    default = queue("default", app)
    jobs = [default.enqueue(f"{__name__}.session_of_this_job") for _ in range(2)]
    db.session().info["the test's"] = True  # the command's session (here: the test's)

    QuietInProcessWorker([default], connection=redis).work(burst=True)

    results = [Job.fetch(job.id, connection=redis).return_value() for job in jobs]
    # Each job: not the command's session, a session no other job used, an app context of its own.
    assert results == [[False, 1, 1], [False, 1, 1]]


def test_preload_imports_every_job_module_and_compiles_the_email_templates(app):
    app.jinja_env.cache.clear()

    preload(app)

    assert {"crisisdesk.jobs.email", "crisisdesk.jobs.ingest", "crisisdesk.jobs.recovery", "crisisdesk.jobs.sla",
            "crisisdesk.jobs.retention"} <= set(sys.modules)
    assert any("emails/follow_up.txt" in str(key) for key in app.jinja_env.cache.keys())
