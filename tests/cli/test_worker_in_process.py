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
    return [id(db.session()), g.touched]


class QuietInProcessWorker(InProcessWorker):
    def subscribe(self):  # no pubsub thread for a burst in a test
        pass

    def unsubscribe(self):
        pass


def test_each_job_gets_a_session_and_app_context_of_its_own(app, redis, monkeypatch):
    monkeypatch.setattr(runtime, "_worker_app", app)
    default = queue("default", app)
    jobs = [default.enqueue(f"{__name__}.session_of_this_job") for _ in range(2)]

    QuietInProcessWorker([default], connection=redis).work(burst=True)

    results = [Job.fetch(job.id, connection=redis).return_value() for job in jobs]
    assert [touched for _, touched in results] == [1, 1]
    assert id(db.session()) not in {session for session, _ in results}  # not the command's (here: the test's)


def test_preload_imports_every_job_module_and_compiles_the_email_templates(app):
    app.jinja_env.cache.clear()

    preload(app)

    assert {"crisisdesk.jobs.email", "crisisdesk.jobs.ingest", "crisisdesk.jobs.recovery", "crisisdesk.jobs.sla",
            "crisisdesk.jobs.retention"} <= set(sys.modules)
    assert any("emails/follow_up.txt" in str(key) for key in app.jinja_env.cache.keys())
