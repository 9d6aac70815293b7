"""Run job functions inside an app context.

A worker process builds the app once (from the environment) and reuses it; a job
run inside an existing app context (the tests' SimpleWorker, `serve-all`) uses
that app instead, so jobs always see the same configuration as their caller.
"""
import functools

from flask import has_app_context

from crisisdesk.extensions import db

_worker_app = None


def worker_app():
    global _worker_app
    if _worker_app is None:
        from crisisdesk import create_app

        _worker_app = create_app()
    return _worker_app


def set_worker_app(app):
    """Make `app` the one jobs run in (the worker command passes its own)."""
    global _worker_app
    _worker_app = app


def job(function):
    """Decorator: run `function` in an app context and clean the session up afterwards."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        if has_app_context():
            try:
                return function(*args, **kwargs)
            except Exception:
                # A forked work horse exits after its job, but an in-process worker (SimpleWorker) keeps this
                # session: a commit the database refused must not break the next job it runs.
                db.session.rollback()
                raise
        with worker_app().app_context():
            return function(*args, **kwargs)

    return wrapper
