"""Bursty traffic through a token-bucket rate limiter, with clients that retry: who gets throttled, how slow.

Tenants share an organization's limit (``limiter="shared"``: one bucket, as an organization-level limit
works) or each get their own slice of it (``"per_tenant"``: one bucket per API key or workspace, each
with ``rate / n`` and ``burst / n``). A throttled attempt (HTTP 429) is retried up to ``max_retries``
times, the way the anthropic SDK does: after the ``retry-after`` the limiter announced
(``retry="retry_after"``), or after a jittered exponential backoff when the server names no wait
(``retry="backoff"``, with one of ``calc.JITTER_KINDS``). A request's latency is the time from its first
attempt until its admitted attempt, plus its service time; a request still throttled after its last
retry fails (the caller sees ``RateLimitError``).

Everything is seeded: the same arguments give the same arrivals, decisions and latencies.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from techpm.calc._validate import non_negative, positive, positive_int
from techpm.calc.api import JITTER_KINDS, SDK_DEFAULT_MAX_RETRIES, TokenBucket, backoff_delay_range_s
from techpm.errors import TechpmError, unknown_name

LIMITERS = ("shared", "per_tenant")
RETRY_POLICIES = ("retry_after", "backoff")


@dataclass(frozen=True)
class Tenant:
    """One source of traffic: steady random arrivals (Poisson) plus, optionally, periodic bursts.

    ``rate_per_s``: mean rate of the steady part. ``burst_size`` requests arrive every ``burst_every_s``
    seconds, spread over ``burst_spread_s`` (a batch job or an agent fanning out).
    """

    name: str
    rate_per_s: float = 0.0
    burst_size: int = 0
    burst_every_s: float = 60.0
    burst_spread_s: float = 1.0

    def __post_init__(self) -> None:
        non_negative("rate_per_s", self.rate_per_s)
        if isinstance(self.burst_size, bool) or not isinstance(self.burst_size, int) or self.burst_size < 0:
            raise TechpmError(f"burst_size must be a whole number of at least 0, got {self.burst_size!r}.")
        positive("burst_every_s", self.burst_every_s)
        non_negative("burst_spread_s", self.burst_spread_s)

    def arrivals(self, duration_s: float, rng: np.random.Generator) -> np.ndarray:
        """This tenant's arrival times in ``[0, duration_s)``, sorted."""
        steady = np.cumsum(rng.exponential(1 / self.rate_per_s, int(self.rate_per_s * duration_s * 1.5) + 20)) \
            if self.rate_per_s > 0 else np.empty(0)
        steady = steady[steady < duration_s]
        starts = np.arange(self.burst_every_s / 2, duration_s, self.burst_every_s) if self.burst_size else np.empty(0)
        bursts = (starts[:, None] + rng.uniform(0, self.burst_spread_s, (starts.size, self.burst_size))).ravel()
        return np.sort(np.concatenate([steady, bursts[bursts < duration_s]]))


def default_tenants() -> tuple[Tenant, ...]:
    """The lesson's organization: a steady chat app and a nightly-style batch job that fires in bursts."""
    return (Tenant("chat app", rate_per_s=2.0), Tenant("batch job", burst_size=120, burst_every_s=60.0,
                                                       burst_spread_s=2.0))


@dataclass(frozen=True)
class TenantStats:
    """One tenant's experience of the limiter."""

    name: str
    requests: int
    throttled_first_try_share: float  # share of requests whose first attempt got a 429
    failed_share: float  # share still throttled after the last retry
    attempts_per_request: float
    p50_latency_s: float  # over requests that got through
    p99_latency_s: float


@dataclass(frozen=True)
class LoadResult:
    """Per-request outcome arrays (in arrival order) and per-tenant summaries."""

    arrivals_s: np.ndarray
    tenant: np.ndarray  # index into tenant_names
    tenant_names: tuple[str, ...]
    admitted_s: np.ndarray  # time of the admitted attempt; nan when the request failed
    attempts: np.ndarray
    first_try_throttled: np.ndarray
    latency_s: np.ndarray  # admitted - arrival + service time; nan when failed
    stats: tuple[TenantStats, ...]

    def table(self) -> str:
        """The per-tenant summary as aligned text."""
        head = f"{'tenant':<12}{'requests':>9}{'429 1st try':>12}{'failed':>8}{'attempts':>9}{'p50 s':>8}{'p99 s':>8}"
        rows = [f"{s.name:<12}{s.requests:>9}{s.throttled_first_try_share:>12.1%}{s.failed_share:>8.1%}"
                f"{s.attempts_per_request:>9.2f}{s.p50_latency_s:>8.2f}{s.p99_latency_s:>8.2f}" for s in self.stats]
        return "\n".join([head, *rows])


def _run_limiter(arrivals: np.ndarray, tenant: np.ndarray, buckets: Sequence[TokenBucket], bucket_of: Sequence[int],
                 *, max_retries: int, retry: str, jitter: str, rng: np.random.Generator,
                 retry_after_step_s: float = 0.0) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[float]]:
    """Event loop: every attempt in time order through its tenant's bucket; returns admitted times,
    attempts, first-try-throttled flags, and the time of every retry (attempts after the first)."""
    n = arrivals.size
    admitted = np.full(n, np.nan)
    attempts = np.zeros(n, dtype=int)
    first_throttled = np.zeros(n, dtype=bool)
    retry_times: list[float] = []
    events = [(float(t), i, 0) for i, t in enumerate(arrivals)]  # (time, request, retry number)
    heapq.heapify(events)
    while events:
        t, i, k = heapq.heappop(events)
        attempts[i] += 1
        if k:
            retry_times.append(t)
        ok, retry_after = buckets[bucket_of[tenant[i]]].try_acquire(t)
        if ok:
            admitted[i] = t
            continue
        if k == 0:
            first_throttled[i] = True
        if k >= max_retries or not np.isfinite(retry_after):
            continue
        if retry == "retry_after":  # announced in whole steps (Retry-After: whole seconds)
            wait = float(np.ceil(retry_after / retry_after_step_s) * retry_after_step_s) if retry_after_step_s else retry_after
        else:
            lo, hi = backoff_delay_range_s(k, jitter)
            wait = lo + (hi - lo) * rng.random()
        heapq.heappush(events, (t + wait, i, k + 1))
    return admitted, attempts, first_throttled, retry_times


def simulate_rate_limited_load(tenants: Sequence[Tenant] | None = None, *, rate_per_s: float = 4.0,
                               burst: float = 40.0, limiter: str = "shared",
                               max_retries: int = SDK_DEFAULT_MAX_RETRIES, retry: str = "retry_after",
                               jitter: str = "sdk", duration_s: float = 300.0, service_s: float = 2.0,
                               service_sigma: float = 0.25, retry_after_step_s: float = 1.0,
                               seed: int = 0) -> LoadResult:
    """Run ``tenants``' traffic for ``duration_s`` through the limiter; summarize each tenant.

    ``service_s`` is the median time the model takes once a request is admitted (TTFT plus generation);
    each request's service time is drawn around it (lognormal with ``service_sigma``). The limiter
    rounds the wait it announces up to ``retry_after_step_s`` (1 s: HTTP's ``Retry-After`` header counts
    whole seconds, RFC 9110 section 10.2.3, https://www.rfc-editor.org/rfc/rfc9110#name-retry-after,
    and the Claude API sends one with each 429, https://platform.claude.com/docs/en/api/rate-limits;
    0: exact waits).
    """
    tenants = tuple(tenants) if tenants is not None else default_tenants()
    if not tenants:
        raise TechpmError("tenants must list at least one Tenant.")
    if limiter not in LIMITERS:
        raise unknown_name("limiter", limiter, LIMITERS)
    if retry not in RETRY_POLICIES:
        raise unknown_name("retry policy", retry, RETRY_POLICIES)
    if jitter not in JITTER_KINDS:
        raise unknown_name("jitter", jitter, JITTER_KINDS)
    if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:
        raise TechpmError(f"max_retries must be a whole number of at least 0, got {max_retries!r}.")
    positive("duration_s", duration_s)
    positive("service_s", service_s)
    positive("rate_per_s", rate_per_s)
    positive("burst", burst)
    rng = np.random.default_rng(seed)
    per_tenant = [t.arrivals(duration_s, rng) for t in tenants]
    arrivals = np.concatenate(per_tenant)
    tenant = np.concatenate([np.full(a.size, j) for j, a in enumerate(per_tenant)]).astype(int)
    order = np.argsort(arrivals, kind="stable")
    arrivals, tenant = arrivals[order], tenant[order]
    n_t = len(tenants)
    if limiter == "shared":
        buckets, bucket_of = [TokenBucket(rate_per_s, burst)], [0] * n_t
    else:
        buckets, bucket_of = [TokenBucket(rate_per_s / n_t, burst / n_t) for _ in tenants], list(range(n_t))
    admitted, attempts, first, _ = _run_limiter(arrivals, tenant, buckets, bucket_of, max_retries=max_retries,
                                                retry=retry, jitter=jitter, rng=rng,
                                                retry_after_step_s=non_negative("retry_after_step_s", retry_after_step_s))
    service = service_s * rng.lognormal(0.0, non_negative("service_sigma", service_sigma), arrivals.size)
    latency = admitted - arrivals + service
    stats = []
    for j, t in enumerate(tenants):
        mine = tenant == j
        ok = mine & ~np.isnan(admitted)
        n = int(mine.sum())
        p50, p99 = (np.percentile(latency[ok], [50, 99]) if ok.any() else (np.nan, np.nan))
        stats.append(TenantStats(t.name, n, float(first[mine].mean()) if n else 0.0,
                                 float(1 - ok.sum() / n) if n else 0.0, float(attempts[mine].mean()) if n else 0.0,
                                 float(p50), float(p99)))
    return LoadResult(arrivals, tenant, tuple(t.name for t in tenants), admitted, attempts, first, latency,
                      tuple(stats))


@dataclass(frozen=True)
class HerdResult:
    """A crowd of clients that all failed at once, retrying against a limited server."""

    jitter: str
    clients: int
    retry_times_s: np.ndarray  # when each retry reached the server
    completed_share: float
    total_attempts: int
    peak_retries_per_bin: int  # the worst spike of retries in one bin
    bin_s: float
    p95_completion_s: float  # time by which 95% of the clients that got through had got through


def retry_herd(jitter: str, *, clients: int = 300, capacity_per_s: float = 100.0, max_retries: int = 6,
               bin_s: float = 0.1, seed: int = 0) -> HerdResult:
    """``clients`` requests arrive together (the moment an outage ends); the server admits
    ``capacity_per_s`` (a token bucket with a tenth of a second of burst) and sends no ``retry-after``, so
    each client backs off by the SDK's schedule under ``jitter`` (AWS's thundering-herd experiment,
    https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/)."""
    if jitter not in JITTER_KINDS:
        raise unknown_name("jitter", jitter, JITTER_KINDS)
    positive_int("clients", clients)
    positive("capacity_per_s", capacity_per_s)
    positive("bin_s", bin_s)
    rng = np.random.default_rng(seed)
    arrivals = np.zeros(clients)
    bucket = TokenBucket(capacity_per_s, max(1.0, capacity_per_s * 0.1))
    admitted, attempts, _, retries = _run_limiter(arrivals, np.zeros(clients, dtype=int), [bucket], [0],
                                                max_retries=max_retries, retry="backoff", jitter=jitter, rng=rng)
    retry_times = np.asarray(retries, dtype=float)
    peak = int(np.bincount((retry_times / bin_s).astype(int)).max()) if retry_times.size else 0
    done = admitted[~np.isnan(admitted)]
    return HerdResult(jitter, clients, retry_times, float(done.size / clients), int(attempts.sum()), peak, bin_s, float(np.percentile(done, 95)) if done.size else float("nan"))
