"""Self-hosting vs. an API: cost per million tokens from a GPU's hourly price, and the break-even volume.

A rented GPU costs the same per hour whether it is busy or idle; an API costs per token. So::

    self-host US$/MTok = n_gpus * usd_per_gpu_hour / 3600 / (tokens_per_s * utilization) * 1e6
    monthly self-host  = replicas * n_gpus * usd_per_gpu_hour * HOURS_PER_MONTH      (a step function)
    monthly API        = requests * api_usd_per_request                              (a straight line)

One replica (the GPUs that hold one copy of the model) serves at most ``capacity`` requests a month; at
a volume of ``v`` requests the deployment needs ``ceil(v / capacity)`` replicas. Self-hosting breaks
even at ``v* = replica_monthly_usd / api_usd_per_request``, and only if one replica can serve that
many: if even a *full* replica costs more per request than the API, no volume makes it cheaper.

``utilization`` is the share of the GPUs' capacity that traffic actually uses on average: traffic has
peaks and troughs, and capacity is sized for the peak. ``HOURS_PER_MONTH`` is 365 * 24 / 12 = 730.
GPU prices: ``calc.get_gpu_prices(gpu)`` (on-demand list prices with sources). Engineering time,
networking, storage and redundancy are left out: they push the real break-even higher.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from techpm.calc._validate import non_negative, positive, positive_int, probability
from techpm.errors import TechpmError

__all__ = [
    "HOURS_PER_MONTH",
    "SECONDS_PER_MONTH",
    "selfhost_usd_per_mtok",
    "gpu_monthly_usd",
    "selfhost_monthly_usd",
    "BreakEven",
    "selfhost_breakeven",
]

HOURS_PER_MONTH = 365 * 24 / 12     # 730 h: the average month
SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600
TOKENS_PER_MTOK = 1_000_000


def selfhost_usd_per_mtok(usd_per_gpu_hour: float, tokens_per_s: float, n_gpus: int = 1,
                          utilization: float = 1.0) -> float:
    """US dollars per million tokens from ``n_gpus`` GPUs that together produce ``tokens_per_s``.

    ``utilization`` (0-1]: average share of that throughput traffic uses; half-idle GPUs cost double
    per token.

    >>> round(selfhost_usd_per_mtok(3.60, 1000), 4)    # $3.60/h, 1,000 tokens/s, always busy
    1.0

    Source: a definition (rent is paid per hour, busy or idle), with on-demand GPU list prices from
        ``data/gpu_prices.json`` (each row with its URL and date).
    Used in: 06 §5.
    """
    positive("usd_per_gpu_hour", usd_per_gpu_hour)
    positive("tokens_per_s", tokens_per_s)
    positive_int("n_gpus", n_gpus)
    probability("utilization", utilization)
    if utilization == 0:
        raise TechpmError("utilization must be above 0: idle GPUs produce no tokens to spread their cost over.")
    usd_per_s = n_gpus * usd_per_gpu_hour / 3600
    return usd_per_s / (tokens_per_s * utilization) * TOKENS_PER_MTOK


def gpu_monthly_usd(usd_per_gpu_hour: float, n_gpus: int = 1, hours: float = HOURS_PER_MONTH) -> float:
    """What ``n_gpus`` rented GPUs cost for a month (``hours`` of it), busy or not.

    Source: a definition (rent is paid per hour, busy or idle), with on-demand GPU list prices from
        ``data/gpu_prices.json`` (each row with its URL and date).
    Used in: 03 §9.
    """
    positive("usd_per_gpu_hour", usd_per_gpu_hour)
    positive_int("n_gpus", n_gpus)
    positive("hours", hours)
    return usd_per_gpu_hour * n_gpus * hours


def selfhost_monthly_usd(requests_per_month: float, replica_monthly_usd: float,
                         replica_capacity_requests_per_month: float) -> float:
    """Monthly cost of enough replicas for ``requests_per_month``: ``ceil(v / capacity) * replica cost``.

    Zero requests need no replica (a real service keeps at least one running; compare at v > 0).

    Source: a definition (rent is paid per hour, busy or idle), with on-demand GPU list prices from
        ``data/gpu_prices.json`` (each row with its URL and date).
    Used in: no lesson yet (library use only).
    """
    non_negative("requests_per_month", requests_per_month)
    positive("replica_monthly_usd", replica_monthly_usd)
    positive("replica_capacity_requests_per_month", replica_capacity_requests_per_month)
    if requests_per_month == 0:
        return 0.0
    # The tolerance keeps 3 x capacity at 3 replicas despite float rounding (3.0000000000000004).
    replicas = max(1, math.ceil(requests_per_month / replica_capacity_requests_per_month - 1e-9))
    return replicas * replica_monthly_usd


@dataclass(frozen=True)
class BreakEven:
    """Self-hosting one model vs. paying an API for the same requests."""

    replica_monthly_usd: float                    # one replica's GPUs, rented all month
    replica_capacity_requests_per_month: float    # what one replica serves at the target utilization
    api_usd_per_request: float

    @property
    def selfhost_usd_per_request_at_capacity(self) -> float:
        """The lowest self-hosted cost per request: a replica running full."""
        return self.replica_monthly_usd / self.replica_capacity_requests_per_month

    @property
    def breaks_even(self) -> bool:
        """True when some volume makes self-hosting cheaper: a full replica beats the API per request."""
        return self.selfhost_usd_per_request_at_capacity <= self.api_usd_per_request

    @property
    def breakeven_requests_per_month(self) -> float:
        """Volume above which one replica costs less than the API (``math.inf`` if none)."""
        if not self.breaks_even:
            return math.inf
        return self.replica_monthly_usd / self.api_usd_per_request

    @property
    def always_cheaper_above_requests_per_month(self) -> float:
        """Volume above which self-hosting, with as many replicas as the volume needs, never costs more.

        Past one replica's capacity the staircase adds a replica, and just after each step self-hosting
        can cost more again. In step ``k`` (volumes ``k*cap .. (k+1)*cap``) it is cheaper from
        ``(k+1) * rent / price`` on, so for good from ``k0 * rent / price`` with
        ``k0 = max(1, ceil(rent / (cap * price - rent)))``. Depends on the replica's capacity (its real
        throughput), unlike ``breakeven_requests_per_month``; ``math.inf`` when a full replica never wins.
        """
        margin = self.replica_capacity_requests_per_month * self.api_usd_per_request - self.replica_monthly_usd
        if margin <= self.replica_monthly_usd * 1e-9:  # a full replica saves nothing (to 1 part in 1e9): never
            return math.inf
        steps = max(1, math.ceil(self.replica_monthly_usd / margin - 1e-9))
        return steps * self.replica_monthly_usd / self.api_usd_per_request

    @property
    def savings_at_capacity(self) -> float:
        """Share of the API bill saved when a replica runs full (negative: self-hosting costs more)."""
        return 1 - self.selfhost_usd_per_request_at_capacity / self.api_usd_per_request

    def monthly_costs_usd(self, requests_per_month: float) -> tuple[float, float]:
        """(self-hosted, API) US dollars for a month at ``requests_per_month``."""
        selfhost = selfhost_monthly_usd(requests_per_month, self.replica_monthly_usd,
                                        self.replica_capacity_requests_per_month)
        return selfhost, requests_per_month * self.api_usd_per_request


def selfhost_breakeven(usd_per_gpu_hour: float, n_gpus: int, requests_per_s: float, api_usd_per_request: float,
                       utilization: float = 0.6) -> BreakEven:
    """Break-even between a self-hosted replica and an API, for one kind of request.

    ``requests_per_s``: what one replica of ``n_gpus`` GPUs completes per second when busy (from
    ``calc.serving_estimate``); ``utilization``: its average load (default 0.6: peaks need headroom);
    ``api_usd_per_request``: the API's price for the same request (``calc.api_cost_usd``).

    >>> b = selfhost_breakeven(4.0, 8, requests_per_s=10, api_usd_per_request=0.005, utilization=0.5)
    >>> round(b.breakeven_requests_per_month), round(b.replica_capacity_requests_per_month)
    (4672000, 13140000)
    >>> selfhost_breakeven(4.0, 8, 10, api_usd_per_request=0.001, utilization=0.5).breaks_even
    False

    Source: a definition (rent is paid per hour, busy or idle), with on-demand GPU list prices from
        ``data/gpu_prices.json`` (each row with its URL and date).
    Used in: 03 §9, exercises.
    """
    positive("requests_per_s", requests_per_s)
    positive("api_usd_per_request", api_usd_per_request)
    probability("utilization", utilization)
    if utilization == 0:
        raise TechpmError("utilization must be above 0.")
    capacity = requests_per_s * utilization * SECONDS_PER_MONTH
    return BreakEven(gpu_monthly_usd(usd_per_gpu_hour, n_gpus), capacity, float(api_usd_per_request))
