"""Retries and side effects: why a client that retries needs idempotency keys.

A timeout does not say whether the server did the work: the request may have run and only its response
been lost. A client that retries then asks for the work again. Without a key the server cannot tell a
retry from a new request and runs it twice (two charges, two batches, two emails); with a key chosen once
per logical request and sent on every attempt, the server runs it once and replays the stored response
to the retries (Stripe, "Idempotent requests", https://docs.stripe.com/api/idempotent_requests).

Expected executions per logical request, when each attempt's response is lost with probability ``p`` and
the client retries up to ``R`` times: without keys, every attempt executes, ``(1 - p**(R+1)) / (1 - p)``
(``calc.retry_attempts_expected``); with keys, exactly one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from techpm.calc._validate import positive_int, probability
from techpm.errors import TechpmError


@dataclass
class KeyedServer:
    """A server whose one endpoint has a side effect; it remembers the response of each idempotency key."""

    executions: int = 0
    replays: int = 0
    _stored: dict[str, int] = field(default_factory=dict)

    def handle(self, key: str | None) -> int:
        """Run the side effect (or replay it, for a key seen before); return the execution's number."""
        if key is not None and key in self._stored:
            self.replays += 1
            return self._stored[key]
        self.executions += 1
        if key is not None:
            self._stored[key] = self.executions
        return self.executions


@dataclass(frozen=True)
class IdempotencyRun:
    """What the server did for ``requests`` logical requests."""

    requests: int
    attempts: int
    executions: int
    replays: int
    use_keys: bool

    @property
    def duplicate_executions(self) -> int:
        """Executions beyond one per logical request: the double charges."""
        return self.executions - self.requests


def simulate_idempotency(requests: int = 10_000, *, p_response_lost: float = 0.05, max_retries: int = 2,
                         use_keys: bool = True, seed: int = 0) -> IdempotencyRun:
    """Each logical request is attempted until a response arrives or ``max_retries`` retries are spent;
    each attempt runs on the server, and its response is then lost with ``p_response_lost``."""
    positive_int("requests", requests)
    probability("p_response_lost", p_response_lost)
    if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:
        raise TechpmError(f"max_retries must be a whole number of at least 0, got {max_retries!r}.")
    rng = np.random.default_rng(seed)
    server, attempts = KeyedServer(), 0
    for i in range(requests):
        key = f"req-{i}" if use_keys else None  # chosen once per logical request, reused on each retry
        for _ in range(max_retries + 1):
            attempts += 1
            server.handle(key)
            if rng.random() >= p_response_lost:
                break
    return IdempotencyRun(requests, attempts, server.executions, server.replays, use_keys)
