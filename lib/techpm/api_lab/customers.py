"""A simulated customer base for pricing: how much each customer uses in a month.

Usage across API customers is heavy-tailed: most use little and a few use a great deal (the request log
shows the same shape). Each customer's monthly requests are lognormal; tokens per request are lognormal
around their own medians; seats grow slowly with usage. Every parameter is an assumption of the
simulation, named in ``CustomerConfig``; the pricing arithmetic applied to it is ``techpm.calc``'s.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from techpm.calc._validate import non_negative, positive, positive_int
from techpm.calc.api import CustomerUsage


@dataclass(frozen=True)
class CustomerConfig:
    """Assumptions of the simulated customer base (none of these is a measurement)."""

    customers: int = 500
    seed: int = 11
    requests_median: float = 3_000.0  # per customer per month
    requests_sigma: float = 1.6  # lognormal spread: the 99th percentile is ~40x the median
    input_tokens_median: float = 2_000.0  # per request
    output_tokens_median: float = 400.0
    tokens_sigma: float = 0.5
    seats_per_decade: float = 2.0  # +2 seats for every 10x more requests than the median

    def __post_init__(self) -> None:
        positive_int("customers", self.customers)
        for name in ("requests_median", "input_tokens_median", "output_tokens_median"):
            positive(name, getattr(self, name))
        for name in ("requests_sigma", "tokens_sigma", "seats_per_decade"):
            non_negative(name, getattr(self, name))


def simulate_customers(config: CustomerConfig | None = None) -> list[CustomerUsage]:
    """One ``calc.CustomerUsage`` per customer for one month (seeded, deterministic)."""
    cfg = config or CustomerConfig()
    rng = np.random.default_rng(cfg.seed)
    n = cfg.customers
    requests = np.maximum(1, rng.lognormal(np.log(cfg.requests_median), cfg.requests_sigma, n)).round()
    per_in = rng.lognormal(np.log(cfg.input_tokens_median), cfg.tokens_sigma, n)
    per_out = rng.lognormal(np.log(cfg.output_tokens_median), cfg.tokens_sigma, n)
    seats = np.maximum(1, 1 + np.round(cfg.seats_per_decade * np.log10(requests / cfg.requests_median) + 2))
    return [CustomerUsage(int(r), float(r * i), float(r * o), int(s))
            for r, i, o, s in zip(requests, per_in, per_out, seats, strict=True)]
