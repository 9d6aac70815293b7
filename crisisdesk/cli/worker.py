"""`flask worker`, `flask scheduler` and `flask serve-all` (web + worker + scheduler on the embedded default)."""
import importlib
import os
import pkgutil
import signal
import subprocess
import sys
import threading
import time

import click
from flask import current_app
from flask.cli import with_appcontext
from rq import SimpleWorker, Worker

from crisisdesk import ROOT
from crisisdesk.extensions import db, redis_connection
from crisisdesk.jobs import ALL_QUEUES, queue
from crisisdesk.jobs import schedule
from crisisdesk.jobs.runtime import set_worker_app, worker_app


class AppWorker(Worker):
    """A forking RQ worker whose work horses open their own database connections.

    A forked child must not reuse the parent's pooled connections (two processes on
    one socket corrupt the protocol), so the horse drops the inherited pool first.
    """

    def main_work_horse(self, job, queue):
        with worker_app().app_context():
            db.engine.dispose(close=False)
        return super().main_work_horse(job, queue)


class InProcessWorker(SimpleWorker):
    """`--no-fork`: jobs run in the worker process itself, one after another (RQ's SimpleWorker).

    No fork per job, and what a job warms stays for the next one: the database pool, the kept SMTP
    connection, compiled SQL and templates. RQ's job timeout still holds (an alarm signal in this
    process). What it gives up is the horse's isolation: a job that kills the interpreter takes the
    worker with it, and the process manager (systemd, the Procfile's host) starts it again.
    """

    def perform_job(self, job, queue, *args, **kwargs):
        # Each job in an app context of its own, as in a horse: its database session ends with it.
        with worker_app().app_context():
            return super().perform_job(job, queue, *args, **kwargs)


def preload(app):
    """Do once, in the worker, what every forked work horse would otherwise do again and lose when it exits
    (issue 8's bench: over half a second a job): import the job modules, map the models, compile the email
    templates."""
    from sqlalchemy.orm import configure_mappers

    import crisisdesk.jobs

    for module in pkgutil.iter_modules(crisisdesk.jobs.__path__):
        importlib.import_module(f"crisisdesk.jobs.{module.name}")
    configure_mappers()
    for name in app.jinja_env.list_templates(filter_func=lambda name: name.startswith("emails/")):
        app.jinja_env.get_template(name)


@click.command(help="Run an RQ worker on the CrisisDesk queues.")
@click.option("--queue", "queue_names", multiple=True, default=ALL_QUEUES, show_default=True)
@click.option("--with-scheduler/--without-scheduler", default=True, show_default=True,
              help="Also run RQ's scheduler for delayed jobs (enqueue_at).")
@click.option("--with-periodic/--without-periodic", default=False, show_default=True,
              help="Also enqueue the periodic jobs from this process (see `flask scheduler`).")
@click.option("--burst", is_flag=True, help="Stop when the queues are empty.")
@click.option("--fork/--no-fork", default=True, show_default=True,
              help="Run each job in a forked work horse, or in this process (faster; see README \"Production\").")
@with_appcontext
def worker(queue_names, with_scheduler, with_periodic, burst, fork):
    app = current_app._get_current_object()
    set_worker_app(app)
    preload(app)
    if with_periodic:
        threading.Thread(target=schedule.run_forever, args=(app,), daemon=True, name="periodic").start()
    queues = [queue(name, app) for name in queue_names]
    worker_class = AppWorker if fork else InProcessWorker
    worker_class(queues, connection=redis_connection(app)).work(burst=burst, with_scheduler=with_scheduler)


@click.command(help="Enqueue the periodic jobs (event sweeper, …) on their schedule; run one or more anywhere.")
@with_appcontext
def scheduler():
    schedule.run_forever(current_app._get_current_object())


@click.command("serve-all", help="Run the web panel, a worker and the scheduler together (embedded default).")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--web-workers", default=2, show_default=True, type=int)
@with_appcontext
def serve_all(host, port, web_workers):
    app = current_app._get_current_object()
    env = dict(os.environ)
    if not app.config["REDIS_URL"]:
        # Start the embedded Redis here and hand its socket to the children, so all share one server.
        env["REDIS_URL"] = f"unix://{redis_connection(app).socket_file}"
    flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
    children = [
        # No gunicorn control socket: its fixed path (~/.gunicorn/gunicorn.ctl) is shared by every copy
        # running as this user, and serve-all supervises the web server itself.
        subprocess.Popen([sys.executable, "-m", "gunicorn", "--bind", f"{host}:{port}", "--workers",
                          str(web_workers), "--no-control-socket", "--access-logfile", "-", "wsgi:app"],
                         cwd=ROOT, env=env),
        subprocess.Popen(flask + ["worker", "--with-scheduler", "--with-periodic"], cwd=ROOT, env=env),
    ]
    click.echo(f"CrisisDesk is running at http://{host}:{port}  (Ctrl-C stops web, worker and scheduler)")
    _supervise(children)


def _supervise(children):
    stopping = []

    def stop(*_):
        stopping.append(True)

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    try:
        while not stopping and all(child.poll() is None for child in children):
            time.sleep(0.5)
    finally:
        for child in children:
            if child.poll() is None:
                child.terminate()
        for child in children:
            try:
                child.wait(timeout=15)
            except subprocess.TimeoutExpired:
                child.kill()
    failed = [c for c in children if c.returncode not in (0, -signal.SIGTERM, None)]
    if failed and not stopping:
        raise click.ClickException("a part of the system stopped unexpectedly; see the log above")
