"""The production examples in deploy/ name commands that exist and settings gunicorn accepts."""
import re
import runpy
import shlex
from functools import lru_cache

import pytest

from crisisdesk import ROOT, create_app

DEPLOY = ROOT / "deploy"


def procfile():
    lines = [line for line in (DEPLOY / "Procfile").read_text().splitlines() if line and not line.startswith("#")]
    return dict(line.split(": ", 1) for line in lines)


def unit_commands():
    for unit in sorted((DEPLOY / "systemd").glob("*.service")):
        yield from (line.split("=", 1)[1] for line in unit.read_text().splitlines() if line.startswith("ExecStart="))


@lru_cache(maxsize=1)
def flask_commands():
    app = create_app({"TESTING": True, "SECRET_KEY": "deploy-test"})
    return app.cli.list_commands(app.cli.make_context("flask", [], resilient_parsing=True)) + ["db"]


@pytest.mark.parametrize("command", sorted(procfile().values()) + sorted(unit_commands()))
def test_each_process_runs_a_command_that_exists(command):
    words = shlex.split(command)
    program = words[0].rsplit("/", 1)[-1]
    if program == "flask":
        assert words[1:3] == ["--app", "wsgi"] and words[3] in flask_commands(), command
    else:
        assert program == "gunicorn" and words[-1] == "wsgi:app" and "deploy/gunicorn.conf.py" in words, command


def test_the_procfile_migrates_on_release_and_runs_web_worker_and_scheduler():
    assert set(procfile()) == {"release", "web", "worker", "scheduler"}
    assert procfile()["release"] == "flask --app wsgi db upgrade"


def test_gunicorn_settings_follow_the_environment(monkeypatch):
    monkeypatch.setenv("PORT", "8123")
    monkeypatch.setenv("HOST", "127.0.0.1")
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    settings = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))
    assert settings["bind"] == "127.0.0.1:8123" and settings["workers"] == 3
    assert settings["worker_class"] == "gthread" and settings["timeout"] == 30


def test_every_service_unit_reads_the_shared_environment_file_and_runs_unprivileged():
    for unit in sorted((DEPLOY / "systemd").glob("*.service")):
        text = unit.read_text()
        assert re.search(r"^EnvironmentFile=/etc/crisisdesk/env$", text, re.M), unit.name
        assert re.search(r"^User=crisisdesk$", text, re.M) and "NoNewPrivileges=yes" in text, unit.name
