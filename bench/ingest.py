"""Event ingest under gunicorn: signed events per second and latency, against a no-op Flask endpoint.

    .venv/bin/python bench/ingest.py [--seconds 8] [--database-url postgresql://postgres@127.0.0.1:5432/bench_ingest]
        [--redis-url redis://127.0.0.1:6379/12] [--concurrency 16] [--clients 2] [--shops 3]
        [--workers N] [--threads N] [--skip-sqlite]

For SQLite (a temporary file) and, with `--database-url`, for PostgreSQL (a private schema in that database,
dropped afterwards), each migrated with `flask --app wsgi db upgrade`:

1. Starts gunicorn with the production settings (`deploy/gunicorn.conf.py`: gthread, its worker and thread
   counts unless `--workers` / `--threads` say otherwise) on 127.0.0.1 serving `bench/noop_app.py`, a Flask app
   whose event URL reads the body and answers 204, and drives it closed-loop (`--concurrency` connections kept
   open, from `--clients` processes) for `--seconds`: the no-op's peak requests/s.
2. Starts the same gunicorn on `wsgi:app` and sends the same way signed events (Standard Webhooks, a new
   `webhook-id` each) built from the recorded WooCommerce payloads: per five events one order.created, three
   order.updated and one review.created, spread over `--shops` shops. Peak events/s, and the ratio to the no-op.
3. Sends events open-loop, paced at half of that peak, for `--seconds`: p50 / p99 latency, measured from each
   event's scheduled send time, so a client that falls behind counts as latency (no coordinated omission).
4. Counts the rows: every event that was sent must be stored exactly once, and each must have its apply job
   waiting in RQ (nobody runs a worker here).

It prints the CPU time per request of the gunicorn workers and of the client, the peak resident memory of the
workers (both from /proc), and the load average beside the figures: the machine is shared, and the client runs on it
too. The first second or so of each timed phase is warm-up and not
counted. Aimed at loopback only. Redis: the database in `--redis-url` is flushed first, so give the bench one of its
own. Figures only: nothing is asserted. The targets (issue 8): ingest / no-op ≥ 0.5, p99 ≤ 50 ms at half the peak.
"""
import argparse
import itertools
import json
import math
import multiprocessing
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.scratch import create_schema, drop_schema, flush_redis, migrate, with_schema  # noqa: E402

RECORDED = ROOT / "tests" / "fixtures" / "woocommerce"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/12"
EVENTS_PATH = "/api/v1/shops/{}/events"
TARGET_RATIO, TARGET_P99_MS = 0.5, 50.0
FAILED = 0  # the status recorded when no answer came (connection refused or reset twice)


# --- pure helpers (tests/unit/test_bench_ingest.py) --------------------------------------------------------------

def percentile(values, share):
    """The nearest-rank percentile of `values` (any order): the smallest value with at least `share` of them at or
    below it. None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


@dataclass(frozen=True)
class Phase:
    sent: int  # requests sent in the whole phase, warm-up included
    statuses: dict  # status → count over the whole phase (0: no answer)
    counted: int  # requests sent inside the window
    rate: float  # 2xx answers per second completed inside the window
    p50_ms: float
    p99_ms: float
    max_ms: float


def summarize(records, window_start, window_end):
    """Figures of a phase from its `records` [(sent at, latency s, status, webhook-id)] (monotonic seconds): the rate
    of 2xx answers completed within [window_start, window_end], and the latency of the requests sent within it."""
    inside = [r for r in records if window_start <= r[0] < window_end]
    done = sum(1 for sent_at, latency, status, _ in records
               if 200 <= status < 300 and window_start <= sent_at + latency <= window_end)
    seconds = window_end - window_start
    latencies = [r[1] * 1000 for r in inside]
    return Phase(sent=len(records), statuses=dict(Counter(r[2] for r in records)), counted=len(inside),
                 rate=done / seconds if seconds > 0 else 0.0, p50_ms=percentile(latencies, 0.50),
                 p99_ms=percentile(latencies, 0.99), max_ms=max(latencies) if latencies else None)


@dataclass(frozen=True)
class Storage:
    sent: int  # distinct webhook-ids sent
    accepted: int  # … answered 202 (new) or 200 (already received, after a retry of a lost answer)
    rows: int  # rows in inbound_events
    distinct: int  # distinct webhook-ids among the rows
    missing: int  # accepted but not stored
    unexpected: int  # stored but never accepted (no answer came) or never sent

    @property
    def exactly_once(self):
        return self.sent == self.accepted == self.rows == self.distinct and not (self.missing or self.unexpected)


def tally(answers, stored_ids):
    """How the events sent compare with the rows: `answers` {webhook-id: final status}, `stored_ids` one
    webhook-id per row (repeats kept)."""
    accepted = {wid for wid, status in answers.items() if status in (200, 202)}
    rows = Counter(stored_ids)
    return Storage(sent=len(answers), accepted=len(accepted), rows=sum(rows.values()), distinct=len(rows),
                   missing=len(accepted - set(rows)), unexpected=len(set(rows) - accepted))


# --- the events --------------------------------------------------------------------------------------------------

class EventMaker:
    """Signed bodies built from the recorded payloads; a new resource id and webhook-id for each event."""

    MIX = ("order.created", "order.updated", "order.updated", "order.updated", "review.created")

    def __init__(self, shops, seed):
        self.shops = shops  # [(shop id, secret)]
        self.order_created = json.loads((RECORDED / "order_created.json").read_text())
        self.order_updated = json.loads((RECORDED / "order_completed.json").read_text())
        self.review = json.loads((RECORDED / "review.json").read_text())
        self.seed, self.numbers = seed, itertools.count()  # next() on a count is atomic: threads share it

    def next(self):
        """(path, body, headers, webhook-id) of the next event."""
        from crisisdesk.integrations.webhook_signing import sign

        n = next(self.numbers)
        kind = self.MIX[n % len(self.MIX)]
        shop_id, secret = self.shops[n % len(self.shops)]
        resource_id = self.seed * 10_000_000 + n // len(self.MIX) + 1
        now = datetime.now(timezone.utc)
        if kind == "review.created":
            data = {**self.review, "id": resource_id, "review": f"Review {resource_id}: it broke after a week."}
        else:
            template = self.order_created if kind == "order.created" else self.order_updated
            data = {**template, "id": resource_id, "number": str(resource_id),
                    "date_modified_gmt": now.strftime("%Y-%m-%dT%H:%M:%S")}
        body = json.dumps({"type": kind, "occurred_at": now.strftime("%Y-%m-%dT%H:%M:%SZ"), "data": data}).encode()
        webhook_id = f"msg_{uuid.uuid4().hex}"
        headers = {**sign(secret, webhook_id, body), "Content-Type": "application/json",
                   "User-Agent": "CrisisDesk-Bridge/bench"}
        return EVENTS_PATH.format(shop_id), body, headers, webhook_id


# --- the load generator: client processes, each with threads holding keep-alive connections -----------------------

def _post(connection, path, body, headers):
    """One POST; a connection the server closed (a recycled worker) is retried once, with the same webhook-id as
    the bridge would. Returns the status, FAILED when no answer came."""
    import http.client

    for _attempt in range(2):
        try:
            connection.request("POST", path, body, headers)
            response = connection.getresponse()
            response.read()
            if response.will_close:
                connection.close()
            return response.status
        except (OSError, http.client.HTTPException):
            connection.close()
    return FAILED


def _closed_loop(port, maker, stop_at, records):
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    while time.monotonic() < stop_at:
        path, body, headers, webhook_id = maker.next()
        sent_at = time.monotonic()
        status = _post(connection, path, body, headers)
        records.append((sent_at, time.monotonic() - sent_at, status, webhook_id))
    connection.close()


def _paced(port, maker, slots, start, interval, stop_at, records):
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    while True:
        due = start + next(slots) * interval
        if due >= stop_at:
            break
        path, body, headers, webhook_id = maker.next()
        delay = due - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        status = _post(connection, path, body, headers)
        # From the scheduled time: when every thread is busy, the wait for one counts as latency.
        records.append((due, time.monotonic() - due, status, webhook_id))
    connection.close()


def client_process(index, port, shops, threads, seconds, rate, offset, barrier, results):
    """One client process: `threads` connections, closed-loop (rate None) or paced at `rate` events/s."""
    maker, records = EventMaker(shops, seed=index + 1), []
    barrier.wait()
    start, cpu_start = time.monotonic(), time.process_time()
    stop_at = start + seconds
    if rate is None:
        workers = [threading.Thread(target=_closed_loop, args=(port, maker, stop_at, records))
                   for _ in range(threads)]
    else:
        slots = itertools.count()
        workers = [threading.Thread(target=_paced, args=(port, maker, slots, start + offset / rate,
                                                         1 / rate, stop_at, records)) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    results.put((start, records, time.process_time() - cpu_start))


def drive(port, shops, concurrency, clients, seconds, rate=None, during=None):
    """Run the client processes; returns (their common start, every record, their CPU seconds, what `during`
    returned). `during`, if given, is called here once the clients have started (with their start), while they run."""
    context = multiprocessing.get_context("spawn")  # no threads of this process carried into the clients
    barrier, results = context.Barrier(clients + 1), context.Queue()
    threads = max(1, concurrency // clients)
    processes = [context.Process(target=client_process,
                                 args=(i, port, shops, threads, seconds, rate / clients if rate else None,
                                       i / clients, barrier, results)) for i in range(clients)]
    for process in processes:
        process.start()
    barrier.wait()
    observed = during(time.monotonic()) if during else None
    gathered = [results.get(timeout=seconds + 120) for _ in processes]
    for process in processes:
        process.join()
    return (min(start for start, _, _ in gathered), [r for _, records, _ in gathered for r in records],
            sum(cpu for _, _, cpu in gathered), observed)


def timed(server, shops, args, rate=None):
    """One phase against `server`: (its figures, its records, CPU ms per request of the workers in the window
    and of the client processes over the phase)."""
    warmup = min(1.5, args.seconds * 0.2)

    def workers_cpu(start):
        # Read inside the window only: the first requests of a fresh worker (imports, SQL compiled once) are
        # warm-up, as they are for the rates.
        time.sleep(max(0.0, start + warmup - time.monotonic()))
        before = server.cpu_seconds(), time.monotonic()
        time.sleep(max(0.0, start + args.seconds - time.monotonic() - 0.05))
        return server.cpu_seconds() - before[0], before[1], time.monotonic()

    start, records, client_cpu, (cpu, cpu_from, cpu_to) = drive(server.port, shops, args.concurrency, args.clients,
                                                    args.seconds, rate, during=workers_cpu)
    answered = sum(1 for sent_at, latency, _, _ in records if cpu_from <= sent_at + latency <= cpu_to)
    cpu_ms = (cpu * 1000 / max(1, answered), client_cpu * 1000 / max(1, len(records)))
    return summarize(records, start + warmup, start + args.seconds), records, cpu_ms


# --- gunicorn ----------------------------------------------------------------------------------------------------

class Gunicorn:
    """gunicorn with deploy/gunicorn.conf.py on a free loopback port, and the peak memory of its workers."""

    def __init__(self, target, env, log_path, pythonpath=None):
        self.port, self.log_path = _free_port(), log_path
        command = [sys.executable, "-m", "gunicorn", "--config", str(ROOT / "deploy" / "gunicorn.conf.py")]
        if pythonpath:
            command += ["--pythonpath", str(pythonpath)]
        env = {**env, "HOST": "127.0.0.1", "PORT": str(self.port)}
        self.log = open(log_path, "ab")
        self.process = subprocess.Popen(command + [target], cwd=ROOT, env=env, stdout=self.log,
                                        stderr=subprocess.STDOUT)
        self.peak_hwm, self.peak_total_rss, self.peak_total_pss = {}, 0, 0
        self.cpu_ticks = {}  # pid → user + system clock ticks, as last seen
        self._stop = threading.Event()
        self._sampler = threading.Thread(target=self._sample, daemon=True)

    def wait_ready(self, timeout=60, settle=2.0):
        import http.client

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                connection.request("GET", "/healthz")
                if connection.getresponse().status == 200:
                    connection.close()
                    time.sleep(settle)  # the other workers are still importing the app
                    self._sampler.start()
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"gunicorn did not start; see {self.log_path}:\n{Path(self.log_path).read_text()[-3000:]}")

    def workers(self):
        return _children(self.process.pid)

    def _sample(self):
        while not self._stop.wait(0.2):
            total_rss = total_pss = 0
            for pid in self.workers():
                status = _proc_fields(f"/proc/{pid}/status", ("VmHWM", "VmRSS"))
                pss = _proc_fields(f"/proc/{pid}/smaps_rollup", ("Pss",))
                if "VmHWM" in status:
                    self.peak_hwm[pid] = max(self.peak_hwm.get(pid, 0), status["VmHWM"])
                total_rss += status.get("VmRSS", 0)
                ticks = _cpu_ticks(pid)
                if ticks is not None:
                    self.cpu_ticks[pid] = ticks
                total_pss += pss.get("Pss", 0)
            self.peak_total_rss = max(self.peak_total_rss, total_rss)
            self.peak_total_pss = max(self.peak_total_pss, total_pss)

    def cpu_seconds(self):
        """CPU time the workers have used so far (user + system); a worker that exited counts as last sampled."""
        for pid in self.workers():
            ticks = _cpu_ticks(pid)
            if ticks is not None:
                self.cpu_ticks[pid] = ticks
        return sum(self.cpu_ticks.values()) / os.sysconf("SC_CLK_TCK")

    def stop(self):
        self._stop.set()
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _children(parent):
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            # The command name is in parentheses and may hold spaces: the parent pid is the 2nd field after it.
            if int(stat.rsplit(")", 1)[1].split()[1]) == parent:
                found.append(int(entry))
    return found


def _cpu_ticks(pid):
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return int(fields[11]) + int(fields[12])  # utime and stime: fields 14 and 15 of stat(5)


def _proc_fields(path, names):
    """kB values of `names` in a /proc status-like file; missing ones (a process that just exited) are left out."""
    values = {}
    try:
        for line in Path(path).read_text().splitlines():
            key, _, rest = line.partition(":")
            if key in names:
                values[key] = int(rest.split()[0])
    except (OSError, ValueError, IndexError):
        pass
    return values


# --- the databases -----------------------------------------------------------------------------------------------

def stored_webhook_ids(database_url, redis_url):
    """Every stored event's webhook-id (one per row), and the jobs waiting on the events queue."""
    from redis import Redis
    from rq import Queue
    from sqlalchemy import create_engine, text

    from crisisdesk.config import _normalise_database_url
    from crisisdesk.jobs import EVENTS_QUEUE

    engine = create_engine(_normalise_database_url(database_url))
    with engine.connect() as connection:
        ids = [w for (w,) in connection.execute(text("SELECT webhook_id FROM inbound_events"))]
    engine.dispose()
    redis = Redis.from_url(redis_url)
    queued = Queue(EVENTS_QUEUE, connection=redis).count
    redis.close()
    return ids, queued


def create_shops(env, count):
    """`count` shops made by `flask shops create --json`: [(shop id, shared secret)]."""
    shops = []
    for n in range(1, count + 1):
        done = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "shops", "create", f"Bench shop {n}",
                               "--url", f"https://shop{n}.example", "--json"], cwd=ROOT, env=env,
                              capture_output=True, text=True)
        if done.returncode:
            raise RuntimeError(f"flask shops create failed:\n{done.stderr[-3000:]}")
        created = json.loads(done.stdout)
        shops.append((created["id"], created["secret"]))
    return shops


# --- one backend -------------------------------------------------------------------------------------------------

@dataclass
class Result:
    backend: str
    noop: Phase
    peak: Phase
    paced: Phase
    paced_rate: float
    storage: Storage
    queued: int
    noop_memory: tuple
    memory: tuple
    load: tuple
    cpu_ms: tuple  # (workers', client's) CPU ms per request: no-op, ingest peak, ingest paced


def run_backend(backend, database_url, args, workdir):
    env = {**os.environ, "DATABASE_URL": database_url, "REDIS_URL": args.redis_url, "SECRET_KEY": "bench-secret",
           "CRISISDESK_ENV": "production", "CRISISDESK_INSTANCE_PATH": str(workdir / "instance"),
           "PANEL_URL": "https://panel.example"}
    env.pop("FLASK_APP", None)
    for name, value in (("WEB_CONCURRENCY", args.workers), ("WEB_THREADS", args.threads)):
        if value:
            env[name] = str(value)
    flush_redis(args.redis_url)
    print(f"[{backend}] migrating and creating {args.shops} shops …", flush=True)
    migrate(env)
    shops = create_shops(env, args.shops)
    load_before = os.getloadavg()

    noop_server = Gunicorn("noop_app:app", env, workdir / f"noop-{backend}.log", pythonpath=ROOT / "bench")
    try:
        noop_server.wait_ready()
        print(f"[{backend}] no-op, closed loop …", flush=True)
        noop, _, noop_cpu = timed(noop_server, shops, args)
        noop_memory = memory_of(noop_server)
    finally:
        noop_server.stop()

    server = Gunicorn("wsgi:app", env, workdir / f"web-{backend}.log")
    try:
        server.wait_ready()
        print(f"[{backend}] ingest, closed loop …", flush=True)
        peak, peak_records, peak_cpu = timed(server, shops, args)
        paced_rate = peak.rate / 2
        print(f"[{backend}] ingest, paced at {paced_rate:.0f} events/s …", flush=True)
        paced, paced_records, paced_cpu = timed(server, shops, args, rate=paced_rate)
        memory = memory_of(server)
    finally:
        server.stop()
    load = (load_before, os.getloadavg())
    answers = {wid: status for _, _, status, wid in peak_records + paced_records}
    stored, queued = stored_webhook_ids(database_url, args.redis_url)
    flush_redis(args.redis_url)
    return Result(backend, noop, peak, paced, paced_rate, tally(answers, stored), queued, noop_memory, memory, load,
                  (noop_cpu, peak_cpu, paced_cpu))


def memory_of(server):
    """(workers seen, largest peak RSS of one worker, peak RSS of all together, their peak PSS), in MiB."""
    hwm = server.peak_hwm
    return (len(hwm), max(hwm.values(), default=0) / 1024, server.peak_total_rss / 1024,
            server.peak_total_pss / 1024)


# --- report ------------------------------------------------------------------------------------------------------

def report(result, args):
    r = result
    ratio = r.peak.rate / r.noop.rate if r.noop.rate else float("nan")
    print(f"\n== {r.backend} ==")
    print(f"no-op Flask endpoint:  {r.noop.rate:8.0f} requests/s   p50 {r.noop.p50_ms:6.1f} ms  p99 "
          f"{r.noop.p99_ms:6.1f} ms  (closed loop, {args.concurrency} connections; answers {r.noop.statuses})")
    print(f"ingest, peak:          {r.peak.rate:8.0f} events/s     p50 {r.peak.p50_ms:6.1f} ms  p99 "
          f"{r.peak.p99_ms:6.1f} ms  (answers {r.peak.statuses})")
    verdict = "met" if ratio >= TARGET_RATIO else "NOT met"
    print(f"ratio ingest / no-op:  {ratio:8.2f}   (target ≥ {TARGET_RATIO}: {verdict})")
    print(f"ingest, paced at half the peak ({r.paced_rate:.0f}/s asked, {r.paced.rate:.0f}/s answered): "
          f"p50 {r.paced.p50_ms:.1f} ms  p99 {r.paced.p99_ms:.1f} ms  max {r.paced.max_ms:.1f} ms  "
          f"(target p99 ≤ {TARGET_P99_MS:.0f} ms: {'met' if r.paced.p99_ms <= TARGET_P99_MS else 'NOT met'}; "
          f"answers {r.paced.statuses})")
    s = r.storage
    print(f"stored: sent {s.sent}, accepted {s.accepted}, rows {s.rows}, distinct webhook-ids {s.distinct}, "
          f"missing {s.missing}, unexpected {s.unexpected}: "
          + ("every sent event stored exactly once" if s.exactly_once else "NOT exactly once")
          + f"; apply jobs waiting in RQ: {r.queued}")
    (noop_cpu, noop_client), (peak_cpu, peak_client), (paced_cpu, _) = r.cpu_ms
    print(f"CPU per request: gunicorn workers {noop_cpu:.2f} ms no-op, {peak_cpu:.2f} ms ingest at the peak, "
          f"{paced_cpu:.2f} ms paced; the client {noop_client:.2f} ms no-op, {peak_client:.2f} ms ingest")
    for name, (seen, largest, total, pss) in (("no-op", r.noop_memory), ("ingest", r.memory)):
        print(f"gunicorn workers ({name}): {seen} seen, peak RSS of one {largest:.0f} MiB, of all together "
              f"{total:.0f} MiB RSS / {pss:.0f} MiB PSS")
    print("load average (1, 5, 15 min): before " + ", ".join(f"{v:.2f}" for v in r.load[0]) + "; after "
          + ", ".join(f"{v:.2f}" for v in r.load[1]))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=8, help="length of each timed phase (three per backend)")
    parser.add_argument("--database-url", help="PostgreSQL too (a private schema is used and dropped)")
    parser.add_argument("--skip-sqlite", action="store_true", help="PostgreSQL only")
    parser.add_argument("--redis-url", default=DEFAULT_REDIS_URL, help="flushed before and after each backend")
    parser.add_argument("--concurrency", type=int, default=16, help="connections in the closed-loop phases, and "
                                                                       "threads in the paced one")
    parser.add_argument("--clients", type=int, default=2, help="client processes the connections are spread over")
    parser.add_argument("--shops", type=int, default=3, help="shops the events are spread over")
    parser.add_argument("--workers", type=int, help="gunicorn workers (WEB_CONCURRENCY); default the config's")
    parser.add_argument("--threads", type=int, help="threads per worker (WEB_THREADS); default the config's")
    args = parser.parse_args()
    if args.skip_sqlite and not args.database_url:
        parser.error("--skip-sqlite needs --database-url")

    print(f"cores: {os.cpu_count()}; gunicorn: deploy/gunicorn.conf.py, workers "
          f"{args.workers or 'from the config'}, threads {args.threads or 'from the config'}; "
          f"{args.clients} client processes, {args.concurrency} connections; {args.seconds:g} s per phase", flush=True)
    results = []
    with tempfile.TemporaryDirectory(prefix="crisisdesk-bench-ingest-") as directory:
        workdir = Path(directory)
        if not args.skip_sqlite:
            results.append(run_backend("sqlite", f"sqlite:///{workdir / 'bench.db'}", args, workdir))
            report(results[-1], args)
        if args.database_url:
            schema = f"bench_ingest_{uuid.uuid4().hex[:8]}"
            create_schema(args.database_url, schema)
            try:
                results.append(run_backend("postgresql", with_schema(args.database_url, schema), args, workdir))
                report(results[-1], args)
            finally:
                drop_schema(args.database_url, schema)


if __name__ == "__main__":
    main()
