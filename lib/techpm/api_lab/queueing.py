"""A multi-server queue, simulated event by event, to watch Little's law hold (and to size replicas).

Requests arrive at random (a Poisson process, rate lambda), each needs an exponentially distributed
service time (mean 1/mu), and ``servers`` of them are served at once, first come first served: the
M/M/c queue. The simulation measures what a monitoring system would: the time-average number of
requests in flight over a window, the arrival rate in that window, and the mean time in the system of
the requests that arrived in it. Little's law says the first equals the product of the other two
(https://doi.org/10.1287/opre.9.3.383); Erlang's C formula gives the exact mean wait to check the
simulator itself (https://en.wikipedia.org/wiki/Erlang_(unit)#Erlang_C_formula).
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass

import numpy as np

from techpm.calc._validate import positive, positive_int
from techpm.errors import TechpmError


@dataclass(frozen=True)
class QueueRun:
    """One simulated run: per-request times, and what was measured over the observation window."""

    arrivals_s: np.ndarray
    starts_s: np.ndarray
    departures_s: np.ndarray
    window_s: tuple[float, float]
    measured_concurrency: float  # time-average requests in the system over the window
    measured_arrival_rate_per_s: float  # arrivals in the window / its length
    measured_latency_s: float  # mean time in system of the requests that arrived in the window

    @property
    def little_prediction(self) -> float:
        """``lambda * W`` from the measured rate and latency: Little's law's prediction of the concurrency."""
        return self.measured_arrival_rate_per_s * self.measured_latency_s

    @property
    def mean_wait_s(self) -> float:
        """Mean time spent queueing before service (all requests)."""
        return float(np.mean(self.starts_s - self.arrivals_s))


def simulate_mmc(arrival_rate_per_s: float, mean_service_s: float, servers: int, n_requests: int = 20_000,
                 *, seed: int = 0, warmup_share: float = 0.1) -> QueueRun:
    """Simulate ``n_requests`` through an M/M/c queue; measure over the run minus its first ``warmup_share``."""
    positive("arrival_rate_per_s", arrival_rate_per_s)
    positive("mean_service_s", mean_service_s)
    positive_int("servers", servers)
    positive_int("n_requests", n_requests)
    if not 0 <= warmup_share < 1:
        raise TechpmError(f"warmup_share must be in [0, 1), got {warmup_share!r}.")
    rng = np.random.default_rng(seed)
    arrivals = np.cumsum(rng.exponential(1.0 / arrival_rate_per_s, n_requests))
    service = rng.exponential(mean_service_s, n_requests)
    free_at = [0.0] * servers  # a heap of the times each server frees up
    starts = np.empty(n_requests)
    for i in range(n_requests):
        earliest = heapq.heappop(free_at)
        starts[i] = max(arrivals[i], earliest)
        heapq.heappush(free_at, starts[i] + service[i])
    departures = starts + service
    t0, t1 = float(arrivals[int(warmup_share * n_requests)]), float(arrivals[-1])
    # Time-average number in system over [t0, t1]: each request contributes its overlap with the window.
    overlap = np.clip(np.minimum(departures, t1) - np.maximum(arrivals, t0), 0.0, None)
    in_window = (arrivals >= t0) & (arrivals < t1)
    return QueueRun(arrivals, starts, departures, (t0, t1), float(overlap.sum() / (t1 - t0)),
                    float(in_window.sum() / (t1 - t0)), float(np.mean((departures - arrivals)[in_window])))


def erlang_c_wait_probability(arrival_rate_per_s: float, mean_service_s: float, servers: int) -> float:
    """Probability that a request must queue in an M/M/c system (Erlang C); needs utilization < 1."""
    positive("arrival_rate_per_s", arrival_rate_per_s)
    positive("mean_service_s", mean_service_s)
    positive_int("servers", servers)
    a = arrival_rate_per_s * mean_service_s  # offered load in erlangs
    rho = a / servers
    if rho >= 1:
        raise TechpmError(f"utilization is {rho:.2f}: with {servers} servers the queue grows without bound.")
    # Running terms a**k / k! (no factorials), stable for hundreds of servers.
    term, total = 1.0, 1.0
    for k in range(1, servers):
        term *= a / k
        total += term
    last = term * a / servers / (1 - rho)
    return last / (total + last)


def erlang_c_mean_latency_s(arrival_rate_per_s: float, mean_service_s: float, servers: int) -> float:
    """Mean time in an M/M/c system: ``P(wait) / (c*mu - lambda) + 1/mu``."""
    p_wait = erlang_c_wait_probability(arrival_rate_per_s, mean_service_s, servers)
    capacity = servers / mean_service_s
    return p_wait / (capacity - arrival_rate_per_s) + mean_service_s

