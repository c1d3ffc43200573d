"""An LLM API as a product: rate limits (token bucket), pricing and margin, retries.

Three small ideas, each a formula a PM can check on a whiteboard (capacity planning with Little's law,
the fourth, is in ``calc.serving`` next to the serving estimate it plans from):

- **Token bucket** (the limiter the Claude API documents, https://platform.claude.com/docs/en/api/rate-limits:
  "capacity is continuously replenished up to your maximum limit, rather than being reset at fixed
  intervals"; algorithm: https://en.wikipedia.org/wiki/Token_bucket): a bucket holds at most ``burst``
  tokens and refills at ``rate_per_s``; a request that finds ``cost`` tokens takes them, otherwise it
  is throttled (HTTP 429) and told how long until the tokens are there (``retry-after``).
- **Pricing and margin**: revenue under per-token, per-request, graduated-tier and per-seat plans, set
  against the cost of serving the tokens; gross margin = (revenue - cost) / revenue.
- **Retries**: capped exponential backoff, ``min(max_s, initial_s * 2**n)`` before retry n (n = 0, 1, ...),
  multiplied or replaced by random jitter (AWS, "Exponential Backoff and Jitter",
  https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/). The defaults are the
  anthropic Python SDK's own (``anthropic/_constants.py``: ``INITIAL_RETRY_DELAY = 0.5``,
  ``MAX_RETRY_DELAY = 8.0``, ``DEFAULT_MAX_RETRIES = 2``; jitter ``1 - 0.25 * random()`` in
  ``_base_client.py``), pinned by ``tests/test_calc_api.py`` against the installed SDK.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from techpm.calc._validate import non_negative, non_negative_int, positive, probability
from techpm.errors import TechpmError

__all__ = [
    "TokenBucket", "TokenBucketResult", "simulate_token_bucket",
    "CustomerUsage", "PricingPlan", "tiered_price_usd", "volume_discount_tiers", "plan_revenue_usd", "token_serving_cost_usd",
    "gross_margin_fraction", "PlanEconomics", "plan_economics",
    "SDK_INITIAL_RETRY_DELAY_S", "SDK_MAX_RETRY_DELAY_S", "SDK_DEFAULT_MAX_RETRIES", "JITTER_KINDS",
    "backoff_ceiling_s", "backoff_delay_range_s", "expected_backoff_s", "expected_total_backoff_s",
    "retry_attempts_expected", "retry_success_probability",
]

TOKENS_PER_MTOK = 1_000_000
# Tokens that differ by less than this count as equal, so that 0.1 tokens/s * 10 s fills one whole token.
_TOKEN_EPS = 1e-9


# --------------------------------------------------------------------------------------------------
# Token bucket
# --------------------------------------------------------------------------------------------------

class TokenBucket:
    """A token bucket: at most ``burst`` tokens, refilled continuously at ``rate_per_s``; starts full.

    ``try_acquire(t, cost)`` at non-decreasing times ``t`` returns ``(allowed, retry_after_s)``: when the
    bucket holds ``cost`` tokens they are taken (``allowed``, wait 0); otherwise nothing is taken and
    ``retry_after_s`` is how long until ``cost`` tokens will be there (``inf`` if ``cost > burst``: such a
    request can never pass). Source: https://en.wikipedia.org/wiki/Token_bucket.
    """

    def __init__(self, rate_per_s: float, burst: float, *, initial_tokens: float | None = None) -> None:
        self.rate_per_s = float(positive("rate_per_s", rate_per_s))
        self.burst = float(positive("burst", burst))
        start = self.burst if initial_tokens is None else float(non_negative("initial_tokens", initial_tokens))
        if start > self.burst:
            raise TechpmError(f"initial_tokens ({start:g}) cannot exceed burst ({self.burst:g}).")
        self.tokens = start
        self.time_s: float | None = None

    def refill_to(self, t: float) -> float:
        """Advance the clock to ``t`` and return the tokens then available."""
        if self.time_s is not None:
            if t < self.time_s:
                raise TechpmError(f"times must not go backwards: {t!r} after {self.time_s!r}.")
            self.tokens = min(self.burst, self.tokens + (t - self.time_s) * self.rate_per_s)
        self.time_s = t
        return self.tokens

    def try_acquire(self, t: float, cost: float = 1.0) -> tuple[bool, float]:
        """Take ``cost`` tokens at time ``t`` if they are there: ``(allowed, retry_after_s)``."""
        tokens = self.refill_to(t)
        if tokens + _TOKEN_EPS >= cost:
            self.tokens = max(0.0, tokens - cost)
            return True, 0.0
        if cost > self.burst + _TOKEN_EPS:
            return False, math.inf
        return False, (cost - tokens) / self.rate_per_s


@dataclass(frozen=True)
class TokenBucketResult:
    """What a token bucket decided for each request, in arrival order."""

    allowed: int
    throttled: int
    decisions: tuple[bool, ...]  # True: allowed; False: throttled (an HTTP 429)
    retry_after_s: tuple[float, ...]  # 0 for allowed requests; the wait the 429 would announce
    tokens_left: float

    @property
    def throttled_share(self) -> float:
        """Throttled requests as a share of all requests (0 when there were none)."""
        total = self.allowed + self.throttled
        return self.throttled / total if total else 0.0


def simulate_token_bucket(arrival_times_s: Sequence[float], rate_per_s: float, burst: float,
                          costs: Sequence[float] | None = None, *,
                          initial_tokens: float | None = None) -> TokenBucketResult:
    """Run requests arriving at ``arrival_times_s`` (sorted, seconds) through one token bucket.

    Each request costs ``costs[i]`` tokens (default 1: a requests-per-second limit; pass token counts for
    a tokens-per-minute limit, with ``rate_per_s = limit / 60``). Throttled requests are rejected, not
    queued: they take no tokens. The bucket starts full (``burst`` tokens) unless ``initial_tokens``.

    >>> r = simulate_token_bucket([0.0] * 5, rate_per_s=1.0, burst=3)
    >>> r.allowed, r.throttled, r.retry_after_s
    (3, 2, (0.0, 0.0, 0.0, 1.0, 1.0))

    Source: Anthropic, "Rate limits" (a token bucket, continuously replenished),
        https://platform.claude.com/docs/en/api/rate-limits; the algorithm:
        https://en.wikipedia.org/wiki/Token_bucket.
    Used in: 06 §6, exercises.
    """
    times = [float(non_negative("arrival_times_s", t)) for t in arrival_times_s]
    if any(b < a for a, b in zip(times, times[1:], strict=False)):
        raise TechpmError("arrival_times_s must be sorted in increasing order.")
    if costs is None:
        cost_list = [1.0] * len(times)
    else:
        cost_list = [float(positive("costs", c)) for c in costs]
        if len(cost_list) != len(times):
            raise TechpmError(f"costs has {len(cost_list)} entries but arrival_times_s has {len(times)}.")
    bucket = TokenBucket(rate_per_s, burst, initial_tokens=initial_tokens)
    decisions, waits = [], []
    for t, cost in zip(times, cost_list, strict=True):
        ok, wait = bucket.try_acquire(t, cost)
        decisions.append(ok)
        waits.append(wait)
    allowed = sum(decisions)
    return TokenBucketResult(allowed, len(decisions) - allowed, tuple(decisions), tuple(waits), bucket.tokens)


# --------------------------------------------------------------------------------------------------
# Pricing, cost and margin
# --------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class CustomerUsage:
    """One customer's usage over a billing period (a month, say)."""

    requests: float
    input_tokens: float
    output_tokens: float
    seats: int = 1


PLAN_KINDS = ("per_token", "per_request", "tiered", "seat")


@dataclass(frozen=True)
class PricingPlan:
    """A price list. ``kind`` picks the fields that matter:

    - ``per_token``: ``input_usd_per_mtok`` and ``output_usd_per_mtok`` (how the Claude API charges);
    - ``per_request``: ``usd_per_request``, whatever the request's size;
    - ``tiered``: graduated ``tiers`` on total tokens (millions), each ``(up_to_mtok, usd_per_mtok)``, the
      last one ``(math.inf, price)``: the first tier's price applies to the first millions, and so on;
    - ``seat``: ``usd_per_seat`` per period, usage unmetered (a flat subscription).
    """

    name: str
    kind: str
    input_usd_per_mtok: float = 0.0
    output_usd_per_mtok: float = 0.0
    usd_per_request: float = 0.0
    tiers: tuple[tuple[float, float], ...] = ()
    usd_per_seat: float = 0.0

    def __post_init__(self) -> None:
        if self.kind not in PLAN_KINDS:
            from techpm.errors import unknown_name

            raise unknown_name("plan kind", self.kind, PLAN_KINDS)
        for name in ("input_usd_per_mtok", "output_usd_per_mtok", "usd_per_request", "usd_per_seat"):
            non_negative(name, getattr(self, name))
        if self.kind == "tiered":
            _check_tiers(self.tiers)


def _check_tiers(tiers: Sequence[tuple[float, float]]) -> None:
    if isinstance(tiers, (str, bytes)) or not tiers or not all(
            isinstance(t, (tuple, list)) and len(t) == 2 for t in tiers):
        raise TechpmError("tiers must list (up_to_mtok, usd_per_mtok) pairs, the last one (math.inf, price), "
                          f"got {tiers!r}.")
    for bound, price in tiers:
        if bound != math.inf:
            positive("tiers up_to_mtok", bound)
        non_negative("tiers usd_per_mtok", price)
    bounds = [b for b, _ in tiers]
    if any(b <= a for a, b in zip(bounds, bounds[1:], strict=False)) or bounds[-1] != math.inf:
        raise TechpmError("tiers' up_to_mtok must increase and the last one must be math.inf.")


def tiered_price_usd(quantity: float, tiers: Sequence[tuple[float, float]]) -> float:
    """Graduated pricing: each unit is charged at the price of the tier it falls in.

    ``tiers`` = ``[(up_to, unit_price), ..., (math.inf, unit_price)]``. With tiers (10, $3), (inf, $2),
    15 units cost 10 * 3 + 5 * 2 = 40.

    >>> tiered_price_usd(15, [(10, 3.0), (math.inf, 2.0)])
    40.0

    Source: a definition, stated in the formula above (no external figure).
    Used in: no lesson directly; inside ``plan_revenue_usd``.
    """
    non_negative("quantity", quantity)
    _check_tiers(tiers)
    total, lower = 0.0, 0.0
    for upper, price in tiers:
        if quantity <= lower:
            break
        total += (min(quantity, upper) - lower) * price
        lower = upper
    return total


def volume_discount_tiers(usd_per_mtok: float, breakpoints_mtok: Sequence[float] = (10.0, 100.0),
                          discounts: Sequence[float] = (0.0, 0.2, 0.4)) -> tuple[tuple[float, float], ...]:
    """Graduated tiers from a base price: the first ``breakpoints_mtok[0]`` million tokens at full price,
    the next ones at ``1 - discounts[1]`` of it, and so on (one more discount than breakpoints).

    >>> volume_discount_tiers(5.0)
    ((10.0, 5.0), (100.0, 4.0), (inf, 3.0))

    Source: a definition, stated in the formula above (no external figure).
    Used in: 06 §5.
    """
    non_negative("usd_per_mtok", usd_per_mtok)
    if len(discounts) != len(breakpoints_mtok) + 1:
        raise TechpmError("discounts must have one more entry than breakpoints_mtok.")
    for d in discounts:
        probability("discounts", d)
    for b in breakpoints_mtok:
        positive("breakpoints_mtok", b)
    if any(b <= a for a, b in zip(breakpoints_mtok, breakpoints_mtok[1:], strict=False)):
        raise TechpmError(f"breakpoints_mtok must increase, got {list(breakpoints_mtok)!r}.")
    bounds = [float(b) for b in breakpoints_mtok] + [math.inf]
    return tuple((b, usd_per_mtok * (1 - d)) for b, d in zip(bounds, discounts, strict=True))


def plan_revenue_usd(plan: PricingPlan, usage: CustomerUsage) -> float:
    """What ``usage`` pays under ``plan`` for the period, in US dollars.

    Source: a definition, stated in the formula above (no external figure).
    Used in: no lesson directly; inside ``plan_economics``.
    """
    for name in ("requests", "input_tokens", "output_tokens"):
        non_negative(name, getattr(usage, name))
    if plan.kind == "per_token":
        return (usage.input_tokens * plan.input_usd_per_mtok
                + usage.output_tokens * plan.output_usd_per_mtok) / TOKENS_PER_MTOK
    if plan.kind == "per_request":
        return usage.requests * plan.usd_per_request
    if plan.kind == "tiered":
        return tiered_price_usd((usage.input_tokens + usage.output_tokens) / TOKENS_PER_MTOK, plan.tiers)
    return usage.seats * plan.usd_per_seat


def token_serving_cost_usd(input_tokens: float, output_tokens: float,
                           cost_in_usd_per_mtok: float, cost_out_usd_per_mtok: float) -> float:
    """What serving the tokens costs the provider: ``(in * c_in + out * c_out) / 1e6``.

    The cost per million tokens comes from the serving stack (GPU-hours divided by tokens served) or, for
    a company reselling a model, from the upstream API's list price (``calc.get_api_price``).

    Source: a definition, stated in the formula above (no external figure).
    Used in: no lesson directly; inside ``plan_economics``.
    """
    for name, value in (("input_tokens", input_tokens), ("output_tokens", output_tokens),
                        ("cost_in_usd_per_mtok", cost_in_usd_per_mtok),
                        ("cost_out_usd_per_mtok", cost_out_usd_per_mtok)):
        non_negative(name, value)
    return (input_tokens * cost_in_usd_per_mtok + output_tokens * cost_out_usd_per_mtok) / TOKENS_PER_MTOK


def gross_margin_fraction(revenue_usd: float, cost_usd: float) -> float:
    """Gross margin ``(revenue - cost) / revenue``: 0.6 means 60 cents of each dollar are left after serving.

    Negative when serving costs more than it brings in.

    Source: a definition, stated in the formula above (no external figure).
    Used in: no lesson directly; inside ``plan_economics``.
    """
    positive("revenue_usd", revenue_usd)
    non_negative("cost_usd", cost_usd)
    return (revenue_usd - cost_usd) / revenue_usd


@dataclass(frozen=True)
class PlanEconomics:
    """A plan applied to a set of customers: totals, margin, and who is served at a loss."""

    plan: PricingPlan
    revenue_usd: float
    cost_usd: float
    gross_margin: float
    customer_revenue_usd: tuple[float, ...]
    customer_cost_usd: tuple[float, ...]

    @property
    def unprofitable_customers(self) -> int:
        """Customers whose serving cost exceeds what they pay."""
        return sum(c > r for r, c in zip(self.customer_revenue_usd, self.customer_cost_usd, strict=True))

    @property
    def gross_profit_usd(self) -> float:
        return self.revenue_usd - self.cost_usd


def plan_economics(plan: PricingPlan, customers: Sequence[CustomerUsage],
                   cost_in_usd_per_mtok: float, cost_out_usd_per_mtok: float) -> PlanEconomics:
    """Revenue, serving cost and gross margin of ``plan`` over ``customers``.

    Costs per million input/output tokens are explicit inputs: the serving stack's or the upstream API's.

    Source: a definition, stated in the formula above (no external figure).
    Used in: 06 §5, exercises.
    """
    if not customers or not all(isinstance(u, CustomerUsage) for u in customers):
        raise TechpmError(f"customers must list at least one CustomerUsage, got {customers!r}.")
    revenue = tuple(plan_revenue_usd(plan, u) for u in customers)
    cost = tuple(token_serving_cost_usd(u.input_tokens, u.output_tokens, cost_in_usd_per_mtok,
                                        cost_out_usd_per_mtok) for u in customers)
    total_r, total_c = sum(revenue), sum(cost)
    margin = gross_margin_fraction(total_r, total_c) if total_r > 0 else -math.inf
    return PlanEconomics(plan, total_r, total_c, margin, revenue, cost)


# --------------------------------------------------------------------------------------------------
# Retries: backoff, jitter, amplification
# --------------------------------------------------------------------------------------------------

# The anthropic Python SDK's constants (anthropic/_constants.py, version 2.14); tests compare them.
SDK_INITIAL_RETRY_DELAY_S = 0.5
SDK_MAX_RETRY_DELAY_S = 8.0
SDK_DEFAULT_MAX_RETRIES = 2
MAX_RETRIES = 1_000  # the most retries expected_total_backoff_s sums over

# Jitter: how the wait before retry n is drawn from its ceiling v = min(max_s, initial_s * 2**n).
#   none:  v                          (every client retries in lock-step)
#   full:  uniform(0, v)              (AWS "Full Jitter")
#   equal: v/2 + uniform(0, v/2)      (AWS "Equal Jitter")
#   sdk:   v * (1 - 0.25 * uniform)   (the anthropic SDK: uniform on [0.75 v, v])
JITTER_KINDS = ("none", "full", "equal", "sdk")
_JITTER_RANGE = {"none": (1.0, 1.0), "full": (0.0, 1.0), "equal": (0.5, 1.0), "sdk": (0.75, 1.0)}


def _jitter(jitter: str) -> tuple[float, float]:
    if jitter not in _JITTER_RANGE:
        from techpm.errors import unknown_name

        raise unknown_name("jitter", jitter, JITTER_KINDS)
    return _JITTER_RANGE[jitter]


def backoff_ceiling_s(retry: int, initial_s: float = SDK_INITIAL_RETRY_DELAY_S,
                      max_s: float = SDK_MAX_RETRY_DELAY_S) -> float:
    """Capped exponential backoff before retry ``retry`` (0 = first retry): ``min(max_s, initial_s * 2**retry)``.

    >>> [backoff_ceiling_s(n) for n in range(6)]
    [0.5, 1.0, 2.0, 4.0, 8.0, 8.0]

    Source: AWS Architecture Blog, "Exponential Backoff and Jitter",
        https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/; defaults from the anthropic
        Python SDK, src/anthropic/_constants.py, https://github.com/anthropics/anthropic-sdk-python.
    Used in: no lesson directly; inside ``backoff_delay_range_s``.
    """
    if isinstance(retry, bool) or not isinstance(retry, int) or retry < 0:
        raise TechpmError(f"retry must be a whole number of at least 0, got {retry!r}.")
    positive("initial_s", initial_s)
    positive("max_s", max_s)
    return min(max_s, initial_s * 2.0 ** min(retry, 1000))


def backoff_delay_range_s(retry: int, jitter: str = "sdk", initial_s: float = SDK_INITIAL_RETRY_DELAY_S,
                          max_s: float = SDK_MAX_RETRY_DELAY_S) -> tuple[float, float]:
    """The (shortest, longest) wait before retry ``retry`` under ``jitter`` (one of ``JITTER_KINDS``).

    Source: AWS Architecture Blog, "Exponential Backoff and Jitter",
        https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/; defaults from the anthropic
        Python SDK, src/anthropic/_constants.py, https://github.com/anthropics/anthropic-sdk-python.
    Used in: 06 §8.
    """
    lo, hi = _jitter(jitter)
    ceiling = backoff_ceiling_s(retry, initial_s, max_s)
    return lo * ceiling, hi * ceiling


def expected_backoff_s(retry: int, jitter: str = "sdk", initial_s: float = SDK_INITIAL_RETRY_DELAY_S,
                       max_s: float = SDK_MAX_RETRY_DELAY_S) -> float:
    """Mean wait before retry ``retry``: the midpoint of the uniform range (``7/8`` of the ceiling for the SDK).

    Source: AWS Architecture Blog, "Exponential Backoff and Jitter",
        https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/; defaults from the anthropic
        Python SDK, src/anthropic/_constants.py, https://github.com/anthropics/anthropic-sdk-python.
    Used in: 06 (via checks.api_design).
    """
    lo, hi = backoff_delay_range_s(retry, jitter, initial_s, max_s)
    return (lo + hi) / 2


def expected_total_backoff_s(retries: int, jitter: str = "sdk", initial_s: float = SDK_INITIAL_RETRY_DELAY_S,
                             max_s: float = SDK_MAX_RETRY_DELAY_S) -> float:
    """Mean time spent waiting across ``retries`` retries (the request-time added before the last attempt).

    ``retries`` is at most ``MAX_RETRIES`` (1,000): the sum runs over each retry.

    >>> expected_total_backoff_s(2)   # the SDK's default: 0.875 * (0.5 + 1.0)
    1.3125

    Source: AWS Architecture Blog, "Exponential Backoff and Jitter",
        https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/; defaults from the anthropic
        Python SDK, src/anthropic/_constants.py, https://github.com/anthropics/anthropic-sdk-python.
    Used in: 06 §8.
    """
    non_negative_int("retries", retries, at_most=MAX_RETRIES)
    return float(sum(expected_backoff_s(n, jitter, initial_s, max_s) for n in range(retries)))


def retry_attempts_expected(failure_probability: float, max_retries: int = SDK_DEFAULT_MAX_RETRIES) -> float:
    """Mean attempts per request when each attempt fails independently with ``failure_probability``.

    ``E[attempts] = 1 + p + p**2 + ... + p**R = (1 - p**(R+1)) / (1 - p)``: under a full outage (p = 1)
    every request is sent R + 1 times, which is how retries turn an overload into a retry storm.

    Source: independent attempts (the geometric distribution); a definition, no external figure.
    Used in: 06 §8.
    """
    probability("failure_probability", failure_probability)
    if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:
        raise TechpmError(f"max_retries must be a whole number of at least 0, got {max_retries!r}.")
    p = float(failure_probability)
    if p == 1.0:
        return float(max_retries + 1)
    return (1.0 - p ** (max_retries + 1)) / (1.0 - p)


def retry_success_probability(failure_probability: float, max_retries: int = SDK_DEFAULT_MAX_RETRIES) -> float:
    """Chance that one of the ``max_retries + 1`` independent attempts succeeds: ``1 - p**(R+1)``.

    Source: independent attempts (the geometric distribution); a definition, no external figure.
    Used in: 06 §8.
    """
    probability("failure_probability", failure_probability)
    if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:
        raise TechpmError(f"max_retries must be a whole number of at least 0, got {max_retries!r}.")
    return 1.0 - float(failure_probability) ** (max_retries + 1)
