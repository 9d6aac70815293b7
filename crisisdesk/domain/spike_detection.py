"""Is this many negative reviews in the recent window a spike against the baseline? (SPEC section 2, "Detect early")

The rule, in words: count the negative reviews in the recent window (24 h) and in the trailing
baseline (the 28 days before it). The baseline gives a rate per window; it predicts `expected`
reviews in the recent window. Treat the count as Poisson with that mean and compute the one-sided
tail p-value, the chance of seeing at least `observed` if nothing had changed. It is a spike when
all three hold:

- observed ≥ a minimum count (3 for one product, 5 shop-wide). Below that, even a product that
  never had a complaint is "a couple of unhappy customers", which the case inbox handles one by
  one; an alert is for a wave. The shop-wide floor is higher because the shop's count pools every
  product, so a few scattered complaints on one day are ordinary there.
- p < 0.001. The job looks at every product of every shop every 15 minutes, so the test is run
  very often; one in a thousand keeps false alarms rare (bench/eval_spikes.py measures them:
  well under one per 1,000 quiet windows).
- observed ≥ 2 × expected. For a busy shop (20 negative reviews a day) p < 0.001 is reached by a
  rise of a third, which is real but is the shop's ordinary variation, not a crisis; doubling is.

The rate has a small prior (half a review over one window: `PRIOR_COUNT` / `PRIOR_WINDOWS`), so a
product or shop with no history has a small finite rate rather than zero: its first reviews are
not "infinitely" surprising, and p-values stay defined. With 28 days of history the prior weighs
like one day of it, so it hardly moves an established rate.

Pure: standard library only; the job (services/crisis_alerts.py) and the benchmark use this same rule.
"""
import math
from dataclasses import dataclass

MAX_P_VALUE = 0.001
MIN_RATIO = 2.0
MIN_COUNT_PRODUCT = 3
MIN_COUNT_SHOP = 5
PRIOR_COUNT = 0.5
PRIOR_WINDOWS = 1.0


@dataclass(frozen=True)
class SpikeRule:
    min_count: int
    max_p_value: float = MAX_P_VALUE
    min_ratio: float = MIN_RATIO

    def describe(self):
        """The rule in words, stored with each alert (English; the panel translates the template around it)."""
        return (f"Poisson tail p < {self.max_p_value:g}, at least {self.min_count} negative reviews "
                f"and at least {self.min_ratio:g}× the baseline")


PRODUCT_RULE = SpikeRule(min_count=MIN_COUNT_PRODUCT)
SHOP_RULE = SpikeRule(min_count=MIN_COUNT_SHOP)


@dataclass(frozen=True)
class SpikeDecision:
    is_spike: bool
    observed: int
    expected: float  # what the baseline predicts for the recent window
    p_value: float  # P(X ≥ observed) for X ~ Poisson(expected)


def expected_count(baseline_count, baseline_windows):
    """The baseline's mean count per window, with the prior: finite and > 0 even without history."""
    if baseline_count < 0 or baseline_windows < 0:
        raise ValueError("counts and window numbers cannot be negative")
    return (baseline_count + PRIOR_COUNT) / (baseline_windows + PRIOR_WINDOWS)


def poisson_tail(observed, mean):
    """P(X ≥ observed) for X ~ Poisson(mean), summed upwards from `observed` (accurate for tiny tails)."""
    if observed <= 0:
        return 1.0
    if mean <= 0:
        return 0.0
    if observed <= mean:  # the tail is most of the mass: 1 − the (short) lower sum is accurate there
        lower = sum(math.exp(_log_pmf(i, mean)) for i in range(observed))
        return min(1.0, max(0.0, 1.0 - lower))
    total, i = 0.0, observed
    while True:  # terms fall faster than geometrically once i > mean
        term = math.exp(_log_pmf(i, mean))
        total += term
        if term <= total * 1e-16 or term == 0.0:
            return min(1.0, total)
        i += 1


def decide(observed, baseline_count, baseline_windows, rule):
    """The rule applied to one count: `baseline_windows` is how many recent-window lengths the baseline spans."""
    expected = expected_count(baseline_count, baseline_windows)
    if observed < rule.min_count:  # tiny numbers never fire, whatever the p-value
        return SpikeDecision(False, observed, expected, poisson_tail(observed, expected))
    p_value = poisson_tail(observed, expected)
    is_spike = p_value < rule.max_p_value and observed >= rule.min_ratio * expected
    return SpikeDecision(is_spike, observed, expected, p_value)


def _log_pmf(k, mean):
    return -mean + k * math.log(mean) - math.lgamma(k + 1)


def dominant_cause(cause_counts, order=()):
    """The most frequent cause of a spike's reviews; a tie goes to the one first in `order` (the causes' list)."""
    if not cause_counts:
        return None
    rank = {name: i for i, name in enumerate(order)}
    return min(cause_counts, key=lambda name: (-cause_counts[name], rank.get(name, len(rank)), name))
