"""Safety evals: how many attacks prove anything, what layers of defence buy, attack success with intervals.

A red team that tries n attacks and sees none succeed has not shown the attack success rate is zero;
it has shown the rate is probably below a bound that shrinks like 1/n.

    zero-failure bound   p_upper = 1 - (1 - c)^(1/n)         the exact one-sided upper confidence bound
                                                             after n trials with no failure: the largest p
                                                             with (1 - p)^n >= 1 - c (Clopper & Pearson
                                                             1934 with k = 0)
    rule of three        p_upper ~ 3 / n                     at c = 0.95, since -ln(0.05) = 2.996 and
                                                             1 - e^-x ~ x (Hanley & Lippman-Hand 1983,
                                                             "If nothing goes wrong, is everything all
                                                             right? Interpreting zero numerators", JAMA
                                                             249(13), 1743-1745,
                                                             https://doi.org/10.1001/jama.1983.03330370053031;
                                                             restated for n > 30 by Eypasch et al. 1995,
                                                             BMJ 311, 619-620,
                                                             https://doi.org/10.1136/bmj.311.7005.619)
    trials to bound      n = ceil(ln(1 - c) / ln(1 - max_rate))   the inverse: ~ 3 / max_rate at c = 0.95
    k-failure bound      the p at which P(X <= k | n, p) = 1 - c, i.e. the Beta(k + 1, n - k) quantile c
                         (Clopper, C. J. & Pearson, E. S. (1934), "The use of confidence or fiducial
                         limits illustrated in the case of the binomial", Biometrika 26(4), 404-413,
                         https://doi.org/10.1093/biomet/26.4.404)
    layered miss rate    P(miss all) = prod_i m_i            only if the layers fail independently; without
                         that assumption the Frechet bounds max(0, sum m_i - (k - 1)) <= P <= min m_i
                         hold (Frechet, M. (1951), "Sur les tableaux de correlation dont les marges sont
                         donnees", Annales de l'Universite de Lyon, Section A 14, 53-77)
    attack success       Wilson interval per category (``calc.wilson_interval``, Wilson 1927)
    error cost           E[cost per request] = s v c_v + (1 - s) o c_o     s: harmful share of traffic,
                         v: violation rate, o: over-refusal rate, c: dollars per error (Bayes risk of a
                         threshold rule; Elkan, C. (2001), "The foundations of cost-sensitive learning",
                         IJCAI, 973-978, https://www.ijcai.org/Proceedings/2001/Papers/111.pdf)
    screening overhead   cost: screen / request; latency: screen in series, or max(0, screen - model)
                         when it runs beside the model
    time to mitigate     median and 90th percentile (nearest rank) of fix time - report time

The bounds are one-sided (a safety claim is "below x"), so ``zero_failure_upper_bound(n, 0.95)`` is
the 95% one-sided bound, tighter than the top of a two-sided 95% Wilson interval on 0 of n.
All of them assume the trials are independent draws from the attacks you care about: a thousand
paraphrases of one jailbreak are closer to one trial than to a thousand.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from techpm.calc._validate import non_negative, non_negative_int, positive, positive_int, probability
from techpm.calc.stats import _regularized_beta, wilson_interval
from techpm.errors import TechpmError

__all__ = [
    "rule_of_three",
    "zero_failure_upper_bound",
    "failure_rate_upper_bound",
    "trials_to_bound_rate",
    "layered_miss_rate",
    "layered_miss_rate_range",
    "RateWithInterval",
    "rate_with_interval",
    "attack_success_rates",
    "expected_error_cost_usd",
    "ScreeningOverhead",
    "screening_overhead",
    "MitigationTimes",
    "mitigation_times",
    "LayerMisses",
    "layer_misses",
]


def _confidence(confidence: float) -> float:
    return probability("confidence", confidence, open_interval=True)


def _list(name: str, value: object) -> list:
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Iterable):
        raise TechpmError(f"{name} must be a list, got {value!r}.")
    return list(value)


def _mapping(name: str, value: object) -> Mapping:
    if not isinstance(value, Mapping):
        raise TechpmError(f"{name} must be a dict, got {value!r}.")
    return value


def rule_of_three(n: int) -> float:
    """The shortcut 3 / n for the 95% upper bound on a rate after ``n`` trials with no failure.

    Hanley & Lippman-Hand (1983): none of 300 attacks succeeded, so the success rate is below about
    1% (3 / 300). Good for n > 30; ``zero_failure_upper_bound`` is the exact value it approximates.

    Source: Hanley & Lippman-Hand 1983, "If nothing goes wrong, is everything all right?", JAMA 249(13),
        https://doi.org/10.1001/jama.1983.03330370053031; Eypasch et al. 1995, BMJ 311,
        https://doi.org/10.1136/bmj.311.7005.619.
    Used in: 09 §2.
    """
    return 3 / positive_int("n", n)


def zero_failure_upper_bound(n: int, confidence: float = 0.95) -> float:
    """Exact one-sided upper bound on a failure rate after ``n`` trials with none failing.

        p_upper = 1 - (1 - confidence)^(1/n)

    The largest rate that still gives a (1 - confidence) chance of n clean trials in a row. One clean
    trial bounds the rate only below 95%; 300 clean trials bound it below 0.994% (rule of three: 1%).

    Source: Clopper & Pearson 1934, "The use of confidence or fiducial limits illustrated in the case of the
        binomial", Biometrika 26(4), https://doi.org/10.1093/biomet/26.4.404 (k = 0).
    Used in: 09 §2, §6.
    """
    positive_int("n", n)
    c = _confidence(confidence)
    return -math.expm1(math.log1p(-c) / n)


def failure_rate_upper_bound(failures: int, n: int, confidence: float = 0.95) -> float:
    """Exact (Clopper-Pearson) one-sided upper bound on a failure rate after ``failures`` of ``n`` trials.

    The rate p at which seeing ``failures`` or fewer has probability 1 - confidence:
    P(X <= k | n, p) = I_{1-p}(n - k, k + 1) = 1 - c, solved by bisection. With no failures it equals
    ``zero_failure_upper_bound``; with every trial failing it is 1. Same as
    ``scipy.stats.beta.ppf(confidence, k + 1, n - k)``.

    Source: Clopper & Pearson 1934, "The use of confidence or fiducial limits illustrated in the case of the
        binomial", Biometrika 26(4), https://doi.org/10.1093/biomet/26.4.404.
    Used in: 09 §2.
    """
    positive_int("n", n)
    non_negative_int("failures", failures)
    if failures > n:
        raise TechpmError(f"failures ({failures}) cannot exceed n ({n}).")
    c = _confidence(confidence)
    if failures == 0:
        return zero_failure_upper_bound(n, c)
    if failures == n:
        return 1.0
    low, high = failures / n, 1.0
    for _ in range(200):  # the binomial CDF falls as p rises: bisect for CDF = 1 - c
        mid = (low + high) / 2
        cdf = _regularized_beta(n - failures, failures + 1, 1 - mid)
        if cdf > 1 - c:
            low = mid
        else:
            high = mid
        if high - low < 1e-15:
            break
    return (low + high) / 2


def trials_to_bound_rate(max_rate: float, confidence: float = 0.95) -> int:
    """Clean trials (no failure at all) needed to show a failure rate is below ``max_rate``.

        n = ceil(ln(1 - confidence) / ln(1 - max_rate))      ~ 3 / max_rate at 95%

    The smallest n with ``zero_failure_upper_bound(n, confidence) <= max_rate``: 59 clean attacks to
    claim below 5%, 2,995 to claim below 0.1%. One success resets the claim (see
    ``failure_rate_upper_bound``).

    Source: Clopper & Pearson 1934, "The use of confidence or fiducial limits illustrated in the case of the
        binomial", Biometrika 26(4), https://doi.org/10.1093/biomet/26.4.404 (k = 0, solved for n).
    Used in: 09 §2, §6, §7, exercises.
    """
    probability("max_rate", max_rate, open_interval=True)
    c = _confidence(confidence)
    n = max(1, math.ceil(math.log1p(-c) / math.log1p(-max_rate)))
    for _ in range(3):  # guard the rounding at an exact boundary (a step or two at most)
        if zero_failure_upper_bound(n, c) > max_rate:
            n += 1
        elif n > 1 and zero_failure_upper_bound(n - 1, c) <= max_rate:
            n -= 1
    return n


def _miss_rates(miss_rates: Sequence[float]) -> list[float]:
    rates = _list("miss_rates", miss_rates)
    if not rates:
        raise TechpmError("miss_rates must list at least one layer's miss rate, got none.")
    return [probability(f"miss_rates[{i}]", m) for i, m in enumerate(rates)]


def layered_miss_rate(miss_rates: Sequence[float]) -> float:
    """Chance an attack gets past every layer, if the layers miss independently: prod_i m_i.

    A classifier that misses 10% in front of a model that complies with 20% of what reaches it:
    0.1 * 0.2 = 2%. Layers tend to miss the same attacks (a good paraphrase fools both), so the real
    rate sits above this product; ``layered_miss_rate_range`` gives the range without the assumption.

    Source: independence: the product of the miss rates; without it, the Fréchet bounds (Fréchet 1951, Annales
        de l'Université de Lyon, Section A 14, 53-77).
    Used in: 09 §2, exercises.
    """
    return math.prod(_miss_rates(miss_rates))


def layered_miss_rate_range(miss_rates: Sequence[float]) -> tuple[float, float]:
    """The range the joint miss rate can take when nothing is assumed about how layers correlate.

        lower = max(0, sum_i m_i - (k - 1))    the layers miss disjoint sets of attacks
        upper = min_i m_i                      every layer misses what the best layer misses

    (the Frechet bounds). For 10% and 20%: 0 to 10%; the independent 2% is just one point inside.

    Source: independence: the product of the miss rates; without it, the Fréchet bounds (Fréchet 1951, Annales
        de l'Université de Lyon, Section A 14, 53-77).
    Used in: 09 §2, exercises.
    """
    rates = _miss_rates(miss_rates)
    return max(0.0, sum(rates) - (len(rates) - 1)), min(rates)


def _events_of(events: int, trials: int, events_name: str, trials_name: str) -> None:
    positive_int(trials_name, trials)
    non_negative_int(events_name, events)
    if events > trials:
        raise TechpmError(f"{events_name} ({events}) cannot exceed {trials_name} ({trials}).")


@dataclass(frozen=True)
class RateWithInterval:
    """A measured rate (events / trials) with its Wilson interval."""

    label: str
    events: int
    trials: int
    rate: float
    low: float
    high: float


def rate_with_interval(events: int, trials: int, confidence: float = 0.95, label: str = "") -> RateWithInterval:
    """``events`` of ``trials`` as a rate with its two-sided Wilson interval (``calc.wilson_interval``).

    Source: Wilson 1927, JASA 22(158), https://doi.org/10.1080/01621459.1927.10502953.
    Used in: 09 §4.
    """
    _events_of(events, trials, "events", "trials")
    low, high = wilson_interval(events, trials, confidence)
    return RateWithInterval(label, events, trials, events / trials, low, high)


def attack_success_rates(counts: Mapping[str, tuple[int, int]], confidence: float = 0.95,
                         total_label: str | None = "all") -> list[RateWithInterval]:
    """Attack success rate per category, each with its Wilson interval, plus the pooled total.

    ``counts`` maps a category to (successful attacks, attempts): ``{"jailbreak": (3, 120), ...}``.
    The last row, labelled ``total_label`` (None to leave it out), pools every category. A category
    with few attempts gets a wide interval: the number to grow before trusting its rate.

    Source: Wilson 1927, JASA 22(158), https://doi.org/10.1080/01621459.1927.10502953 (per category).
    Used in: 09 §2, §4.
    """
    if not _mapping("counts", counts):
        raise TechpmError("counts must map at least one category to (successes, attempts), got none.")
    rows = []
    for category, pair in counts.items():
        if not (isinstance(pair, (tuple, list)) and len(pair) == 2):
            raise TechpmError(f"counts[{category!r}] must be a pair (successes, attempts), got {pair!r}.")
        _events_of(pair[0], pair[1], f"successes in {category!r}", f"attempts in {category!r}")
        rows.append(rate_with_interval(pair[0], pair[1], confidence, str(category)))
    if total_label is not None:
        rows.append(rate_with_interval(sum(r.events for r in rows), sum(r.trials for r in rows),
                                       confidence, total_label))
    return rows


def expected_error_cost_usd(violation_rate: float, over_refusal_rate: float, harmful_share: float,
                            usd_per_violation: float, usd_per_over_refusal: float) -> float:
    """Expected cost of a classifier's mistakes per request, in dollars.

        E[cost] = s * v * c_v + (1 - s) * o * c_o

    ``harmful_share`` s is the share of real traffic that is harmful: when it is 1%, a 2% over-refusal
    rate refuses 1.98 benign requests per 100, while a 10% violation rate lets 0.1 harmful ones through.
    The dollar values are yours to set (incident cost, a lost user): the formula only weighs them.

    Source: Elkan 2001, "The foundations of cost-sensitive learning", IJCAI,
        https://www.ijcai.org/Proceedings/2001/Papers/111.pdf.
    Used in: 09 (via safety.classifier).
    """
    probability("violation_rate", violation_rate)
    probability("over_refusal_rate", over_refusal_rate)
    probability("harmful_share", harmful_share)
    non_negative("usd_per_violation", usd_per_violation)
    non_negative("usd_per_over_refusal", usd_per_over_refusal)
    return (harmful_share * violation_rate * usd_per_violation
            + (1 - harmful_share) * over_refusal_rate * usd_per_over_refusal)


@dataclass(frozen=True)
class ScreeningOverhead:
    """What a safety screen adds to each request."""

    added_usd: float
    added_latency_s: float
    cost_fraction: float  # added_usd / the request's own cost
    latency_fraction: float  # added_latency_s / the request's own latency


def screening_overhead(request_usd: float, request_latency_s: float, screen_usd: float, screen_latency_s: float,
                       parallel: bool = False) -> ScreeningOverhead:
    """Cost and latency a classifier adds to one request.

    In series (the screen must pass before the model starts) it adds its whole latency; run beside the
    model (start both, discard the answer if the screen objects) it adds only what it takes beyond the
    model, max(0, screen - model), at the price of paying for answers that are thrown away.

    Source: a definition, stated in the formula above (no external figure).
    Used in: 09 §3.
    """
    positive("request_usd", request_usd)
    positive("request_latency_s", request_latency_s)
    non_negative("screen_usd", screen_usd)
    non_negative("screen_latency_s", screen_latency_s)
    added_s = max(0.0, screen_latency_s - request_latency_s) if parallel else screen_latency_s
    return ScreeningOverhead(screen_usd, added_s, screen_usd / request_usd, added_s / request_latency_s)


@dataclass(frozen=True)
class MitigationTimes:
    """Time from a safety issue's report to its fix, over many issues."""

    fixed: int
    still_open: int
    median_h: float
    p90_h: float


def _nearest_rank(sorted_values: list[float], q: float) -> float:
    return sorted_values[max(0, math.ceil(q * len(sorted_values)) - 1)]


def mitigation_times(reported_h: Sequence[float], fixed_h: Sequence[float | None]) -> MitigationTimes:
    """Median and 90th-percentile hours from report to fix (nearest-rank percentiles).

    ``fixed_h[i]`` is None for an issue still open; open issues are counted, not averaged in, and a
    dashboard should show them beside the percentiles (a fast median with many open issues flatters).

    Source: a definition: the median and the nearest-rank 90th percentile of the fix times.
    Used in: 09 §7.
    """
    reported_h, fixed_h = _list("reported_h", reported_h), _list("fixed_h", fixed_h)
    if len(reported_h) != len(fixed_h):
        raise TechpmError(f"reported_h ({len(reported_h)}) and fixed_h ({len(fixed_h)}) must have the same length.")
    durations = []
    for i, (r, f) in enumerate(zip(reported_h, fixed_h, strict=True)):
        non_negative(f"reported_h[{i}]", r)
        if f is None:
            continue
        non_negative(f"fixed_h[{i}]", f)
        if f < r:
            raise TechpmError(f"issue {i} is fixed ({f} h) before it was reported ({r} h).")
        durations.append(f - r)
    if not durations:
        raise TechpmError("no issue has been fixed yet: there is no time to mitigate to measure.")
    durations.sort()
    return MitigationTimes(len(durations), len(fixed_h) - len(durations), statistics.median(durations),
                           _nearest_rank(durations, 0.9))


@dataclass(frozen=True)
class LayerMisses:
    """Layers measured on the same attacks: each layer's miss rate, and how often they all miss together."""

    per_layer: tuple[RateWithInterval, ...]
    independent: float  # the product of the measured rates: what independence would predict
    joint: RateWithInterval  # measured: attacks every layer missed
    bounds: tuple[float, float]  # the Frechet range for the measured per-layer rates


def layer_misses(misses: Mapping[str, Sequence[bool]], confidence: float = 0.95) -> LayerMisses:
    """Compare the joint miss rate measured on the same attacks with the independent product.

    ``misses`` maps each layer to one flag per attack (True: the layer let it through), all over the same
    attacks in the same order. A joint rate well above the product means the layers fail together.

    Source: independence: the product of the miss rates; without it, the Fréchet bounds (Fréchet 1951, Annales
        de l'Université de Lyon, Section A 14, 53-77).
    Used in: 09 §3.
    """
    if not _mapping("misses", misses):
        raise TechpmError("misses must hold at least one layer's flags, got none.")
    flags = {name: [bool(f) for f in _list(f"misses[{name!r}]", row)] for name, row in misses.items()}
    sizes = {len(row) for row in flags.values()}
    if len(sizes) != 1 or 0 in sizes:
        raise TechpmError("every layer needs one flag per attack, over the same (non-empty) set of attacks.")
    n = sizes.pop()
    rows = tuple(rate_with_interval(sum(row), n, confidence, name) for name, row in flags.items())
    together = sum(all(row[i] for row in flags.values()) for i in range(n))
    rates = [r.rate for r in rows]
    return LayerMisses(rows, layered_miss_rate(rates), rate_with_interval(together, n, confidence, "all layers"),
                       layered_miss_rate_range(rates))
