"""False alarms and detection delay of the crisis-alert rule on synthetic review series.

    .venv/bin/python bench/eval_spikes.py [--trials 200] [--seed 7]

Hourly counts of negative reviews are drawn from a Poisson process (seeded), at baseline rates from
0.2 to 20 a day. The rule is the job's own (crisisdesk.domain.spike_detection.decide with
PRODUCT_RULE and SHOP_RULE): a 24-hour window against the 28 days before it.

- Quiet series (no spike, 28 days of history then 60 days watched): the rule is applied to each day's
  24 hours (non-overlapping windows) → false alarms per 1,000 quiet windows; and, as the job really
  runs, to the sliding window every hour, counting alert episodes as the job would raise them (a new
  one only after a day without firing) → false alerts per product-year.
- Spike series: after 28 days (plus a random 0–7 days) of quiet history, extra negative reviews
  arrive at `size` a day for 48 hours on top of the baseline. Detection rate = the share of spikes
  the rule fires on within those 48 hours; delay = hours from the spike's start to the first hourly
  evaluation that fires (the job runs every 15 minutes, so real delays are up to 45 minutes shorter).

Figures only: nothing here asserts a threshold.
"""
import argparse
import math
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crisisdesk.domain.spike_detection import PRODUCT_RULE, SHOP_RULE, decide  # noqa: E402

RATES = (0.2, 0.5, 1, 2, 5, 10, 20)  # baseline negative reviews a day
SIZES = (2, 3, 5, 10, 20, 40)  # extra negative reviews a day during a spike
WINDOW, BASELINE = 24, 28 * 24  # hours
QUIET_DAYS, SPIKE_HOURS = 60, 48


def poisson(rng, mean):
    """Knuth's method: fine for the small hourly means used here."""
    limit, k, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        k += 1
        product *= rng.random()
    return k


def series(rng, hours, per_day, spike_from=None, spike_per_day=0.0):
    base, extra = per_day / 24, spike_per_day / 24
    return [poisson(rng, base + (extra if spike_from is not None and spike_from <= h < spike_from + SPIKE_HOURS
                                 else 0.0)) for h in range(hours)]


def prefix(counts):
    sums = [0]
    for count in counts:
        sums.append(sums[-1] + count)
    return sums


def fires(sums, end, rule):
    """The rule on the 24 h ending at hour `end` (exclusive) against the 28 days before."""
    observed = sums[end] - sums[end - WINDOW]
    if observed < rule.min_count:
        return False
    baseline = sums[end - WINDOW] - sums[end - WINDOW - BASELINE]
    return decide(observed, baseline, BASELINE / WINDOW, rule).is_spike


def quiet(rng, per_day, trials, rule):
    """(false alarms per 1,000 daily windows, false alert episodes per product-year)."""
    alarms = windows = episodes = 0
    start = WINDOW + BASELINE
    for _ in range(trials):
        sums = prefix(series(rng, start + QUIET_DAYS * 24, per_day))
        for day in range(QUIET_DAYS):
            windows += 1
            alarms += fires(sums, start + (day + 1) * 24, rule)
        last = None
        for end in range(start + 1, start + QUIET_DAYS * 24 + 1):
            if fires(sums, end, rule):
                if last is None or end - last > WINDOW:
                    episodes += 1
                last = end
    return 1000 * alarms / windows, episodes / (trials * QUIET_DAYS / 365)


def spikes(rng, per_day, size, trials, rule):
    """(detection rate, median delay h, p90 delay h) for spikes of `size` a day."""
    delays = []
    for _ in range(trials):
        begin = WINDOW + BASELINE + rng.randrange(7 * 24)
        sums = prefix(series(rng, begin + SPIKE_HOURS, per_day, begin, size))
        delay = next((end - begin for end in range(begin + 1, begin + SPIKE_HOURS + 1) if fires(sums, end, rule)),
                     None)
        if delay is not None:
            delays.append(delay)
    if not delays:
        return 0.0, None, None
    ordered = sorted(delays)
    return len(delays) / trials, statistics.median(ordered), ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))]


def report(name, rule, rng, trials):
    print(f"\n== {name}: {rule.describe()}")
    print(f"{'':>9} {'false alarms':>16} {'false alerts':>16}   " + "".join(f"{f'+{s}/day spike':>20}" for s in SIZES))
    print(f"{'rate/day':>9} {'per 1000 windows':>16} {'per year':>16}   "
          + "".join(f"{'det%  med  p90':>20}" for _ in SIZES))
    for per_day in RATES:
        per_thousand, per_year = quiet(rng, per_day, trials, rule)
        cells = []
        for size in SIZES:
            rate, median, p90 = spikes(rng, per_day, size, trials, rule)
            cells.append(f"{f'{100 * rate:.0f}% {_hours(median):>5} {_hours(p90):>4}':>20}")
        print(f"{per_day:>9g} {per_thousand:>16.2f} {per_year:>16.2f}   " + "".join(cells))


def _hours(value):
    return "—" if value is None else f"{value:g}h"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=200, help="series per rate (and per spike size)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    started = time.perf_counter()
    rng = random.Random(args.seed)
    print(f"{args.trials} series per cell, seed {args.seed}; quiet: {QUIET_DAYS} days watched after 28 days of "
          f"history; spikes last {SPIKE_HOURS} h; delays in hours from the spike's start (hourly evaluation).")
    report("One product", PRODUCT_RULE, rng, args.trials)
    report("Shop-wide", SHOP_RULE, rng, args.trials)
    print(f"\n({time.perf_counter() - started:.1f} s)")


if __name__ == "__main__":
    main()
