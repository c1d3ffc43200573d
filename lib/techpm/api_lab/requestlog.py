"""A simulated request log of an LLM developer platform: who signed up, who called, what each call did.

The log is generated, not observed: every behaviour below is an assumption written in ``PlatformConfig``
(change one and watch the dashboard move). What is real is the arithmetic applied to it afterwards, and
the list prices each successful call is billed at (``calc.api_cost_usd``, from the sourced price table).

The generative story, per developer: sign up on a random day; maybe create an API key; maybe make a
first call some days later (lognormal delay); then call on some days while exploring, and every day once
the integration reaches production. Each call picks a model, streams or not, draws its token counts, and
ends as 200, a 4xx (more of them in a developer's first week: setup mistakes), a 429, a 5xx (more during
one simulated incident), or a client timeout (mostly long non-streaming calls). Successful calls get a
time to first token (a fixed overhead plus prefill time, growing with the prompt) and a decode speed.
One developer's key leaks on ``leak_day`` and is abused: the abuse-detection section has to find it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from techpm.calc._validate import positive_int
from techpm.calc.cost import api_cost_usd
from techpm.errors import TechpmError

SECONDS_PER_DAY = 86_400.0
PERSONAS = ("hobbyist", "startup", "enterprise")
TIMEOUT = 0  # status code stored for a client-side timeout (no HTTP status came back)
MAX_TOKENS_SETTINGS = (1_024, 4_096, 8_192, 16_000)  # the max_tokens a call sets: the first that fits its answer


@dataclass(frozen=True)
class PlatformConfig:
    """Every assumption of the simulation in one place (none of these is a measurement)."""

    seed: int = 7
    days: int = 90
    signups: int = 1_000
    persona_shares: tuple[float, float, float] = (0.6, 0.3, 0.1)
    p_create_key: float = 0.75
    p_first_call: tuple[float, float, float] = (0.75, 0.85, 0.9)  # of key holders, by persona
    first_call_median_days: float = 1.0  # lognormal delay after sign-up
    first_call_sigma: float = 1.4
    explore_calls_per_active_day: tuple[float, float, float] = (3.0, 5.0, 8.0)
    p_active_day_exploring: float = 0.35  # chance an exploring developer calls on a given day
    explore_half_life_days: float = 10.0  # interest fades: activity halves every this many days
    p_production: tuple[float, float, float] = (0.04, 0.3, 0.45)  # of developers who made a call
    production_delay_median_days: float = 12.0
    production_calls_per_day: tuple[float, float, float] = (4.0, 15.0, 40.0)
    models: tuple[str, ...] = ("claude-haiku-5-5", "claude-sonnet-5-5", "claude-opus-5-5")
    model_shares: tuple[tuple[float, ...], ...] = ((0.7, 0.25, 0.05), (0.45, 0.45, 0.1), (0.3, 0.5, 0.2))
    p_stream: float = 0.55
    input_tokens_median: float = 1_800.0
    input_tokens_sigma: float = 1.0
    output_tokens_median: float = 350.0
    output_tokens_sigma: float = 0.9
    p_4xx_first_week: float = 0.12  # invalid requests while a developer is setting up
    p_4xx_later: float = 0.02
    p_429: float = 0.01
    p_5xx: float = 0.003
    p_529_incident: float = 0.3
    incident_day: int = 70  # an overload lasting incident_hours from 14:00 that day
    incident_hours: float = 3.0
    p_timeout_long_nonstreaming: float = 0.35  # non-streaming calls whose max_tokens > long_output_tokens
    long_output_tokens: int = 4_096
    p_timeout_other: float = 0.002
    ttft_overhead_s: tuple[float, ...] = (0.25, 0.4, 0.6)  # per model: network, queueing, scheduling
    prefill_tokens_per_s: tuple[float, ...] = (40_000.0, 20_000.0, 10_000.0)  # per model
    decode_tokens_per_s: tuple[float, ...] = (150.0, 80.0, 45.0)  # per model, per request
    leak_day: int = 80  # one hobbyist's key leaks: a flood of calls that day
    leak_calls: int = 1_500
    free_credit_usd: float = 5.0  # spend beyond this means the developer bought credits (paid)

    def __post_init__(self) -> None:
        positive_int("days", self.days)
        positive_int("signups", self.signups)
        if len(self.models) != len(self.ttft_overhead_s) or len(self.models) != len(self.decode_tokens_per_s):
            raise TechpmError("models, ttft_overhead_s, prefill_tokens_per_s and decode_tokens_per_s must align.")
        if not 0 <= self.incident_day < self.days or not 0 <= self.leak_day < self.days:
            raise TechpmError("incident_day and leak_day must fall inside the simulated days.")


@dataclass(frozen=True)
class Developers:
    """One row per sign-up. Days are counted from the start of the log; nan means 'never' in the window."""

    signup_day: np.ndarray
    persona: np.ndarray  # index into PERSONAS
    has_key: np.ndarray
    first_call_day: np.ndarray
    production_day: np.ndarray

    def __len__(self) -> int:
        return int(self.signup_day.size)


@dataclass(frozen=True)
class RequestLog:
    """One row per API call, sorted by time (columns as NumPy arrays)."""

    config: PlatformConfig
    developers: Developers
    time_s: np.ndarray
    developer: np.ndarray
    model: np.ndarray  # index into config.models
    stream: np.ndarray
    status: np.ndarray  # HTTP status; TIMEOUT (0) for a client-side timeout
    max_tokens: np.ndarray  # the request's max_tokens setting
    input_tokens: np.ndarray
    output_tokens: np.ndarray  # 0 unless status 200
    ttft_s: np.ndarray  # nan unless status 200
    latency_s: np.ndarray  # nan unless status 200
    spend_usd: np.ndarray  # list price of the call (0 unless status 200)
    leaked_developer: int = field(default=-1)

    def __len__(self) -> int:
        return int(self.time_s.size)

    @property
    def day(self) -> np.ndarray:
        return (self.time_s // SECONDS_PER_DAY).astype(int)

    def head(self, n: int = 5) -> str:
        """The first ``n`` calls as aligned text."""
        lines = [f"{'day':>4} {'dev':>5} {'model':<18} {'stream':<6} {'status':>6} {'in':>6} {'out':>5} {'ttft s':>7}"]
        for i in range(min(n, len(self))):
            status = "timeout" if self.status[i] == TIMEOUT else str(self.status[i])
            lines.append(f"{self.day[i]:>4} {self.developer[i]:>5} {self.config.models[self.model[i]]:<18} "
                         f"{'yes' if self.stream[i] else 'no':<6} {status:>6} {self.input_tokens[i]:>6} "
                         f"{self.output_tokens[i]:>5} {self.ttft_s[i]:>7.2f}")
        return "\n".join(lines)


def _developers(cfg: PlatformConfig, rng: np.random.Generator) -> Developers:
    n = cfg.signups
    signup = rng.uniform(0, cfg.days, n)
    persona = rng.choice(len(PERSONAS), n, p=cfg.persona_shares)
    has_key = rng.random(n) < cfg.p_create_key
    calls = has_key & (rng.random(n) < np.asarray(cfg.p_first_call)[persona])
    first = signup + rng.lognormal(np.log(cfg.first_call_median_days), cfg.first_call_sigma, n)
    first = np.where(calls & (first < cfg.days), first, np.nan)
    goes_prod = rng.random(n) < np.asarray(cfg.p_production)[persona]
    prod = first + rng.lognormal(np.log(cfg.production_delay_median_days), 0.6, n)
    prod = np.where(goes_prod & (prod < cfg.days), prod, np.nan)
    return Developers(signup, persona, has_key, first, prod)


def _call_times(cfg: PlatformConfig, devs: Developers, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """(time_s, developer) of every call, before the leak: a developers x days grid of call counts."""
    callers = np.flatnonzero(~np.isnan(devs.first_call_day))
    first, prod = devs.first_call_day[callers], devs.production_day[callers]
    persona = devs.persona[callers]
    days = np.arange(cfg.days)[None, :]
    first_day = np.floor(first)[:, None]
    live = days >= first_day
    in_prod = ~np.isnan(prod)[:, None] & (days >= np.floor(np.nan_to_num(prod, nan=cfg.days))[:, None])
    age = np.clip(days - first[:, None], 0, None)
    p_active = cfg.p_active_day_exploring * 0.5 ** (age / cfg.explore_half_life_days)
    active = live & (in_prod | (rng.random(live.shape) < p_active) | (days == first_day))
    mean = np.where(in_prod, np.asarray(cfg.production_calls_per_day)[persona][:, None],
                    np.asarray(cfg.explore_calls_per_active_day)[persona][:, None])
    counts = np.where(active, rng.poisson(mean), 0)
    counts[np.arange(callers.size), first_day[:, 0].astype(int)] += 1  # the first call itself
    who = np.repeat(np.repeat(callers, cfg.days), counts.ravel())
    day_of_call = np.repeat(np.tile(np.arange(cfg.days), callers.size), counts.ravel())
    t = np.maximum((day_of_call + rng.random(day_of_call.size)) * SECONDS_PER_DAY,
                   devs.first_call_day[who] * SECONDS_PER_DAY)
    _, first_index = np.unique(who, return_index=True)
    t[first_index] = devs.first_call_day[who[first_index]] * SECONDS_PER_DAY  # first call at first_call_day
    return t, who


def simulate_request_log(config: PlatformConfig | None = None) -> RequestLog:
    """Generate the platform's developers and request log from ``config`` (seeded, deterministic)."""
    cfg = config or PlatformConfig()
    rng = np.random.default_rng(cfg.seed)
    devs = _developers(cfg, rng)
    t, dev = _call_times(cfg, devs, rng)
    # The leak: the first hobbyist with a key who called before leak_day gets a day of abusive traffic.
    leaked = np.flatnonzero((devs.persona == 0) & (devs.first_call_day < cfg.leak_day - 7))
    leaked_dev = int(leaked[0]) if leaked.size else -1
    if leaked_dev >= 0:
        t = np.concatenate([t, (cfg.leak_day + rng.random(cfg.leak_calls)) * SECONDS_PER_DAY])
        dev = np.concatenate([dev, np.full(cfg.leak_calls, leaked_dev)])
    order = np.argsort(t, kind="stable")
    t, dev = t[order], dev[order]
    n = t.size
    persona = devs.persona[dev]
    shares = np.asarray(cfg.model_shares)[persona]
    model = (rng.random(n)[:, None] > np.cumsum(shares, axis=1)).sum(axis=1).clip(0, len(cfg.models) - 1)
    stream = rng.random(n) < cfg.p_stream
    tokens_in = np.maximum(1, rng.lognormal(np.log(cfg.input_tokens_median), cfg.input_tokens_sigma, n)).astype(int)
    tokens_out = np.clip(rng.lognormal(np.log(cfg.output_tokens_median), cfg.output_tokens_sigma, n),
                         1, MAX_TOKENS_SETTINGS[-1]).astype(int)
    max_tokens = np.asarray(MAX_TOKENS_SETTINGS)[np.searchsorted(MAX_TOKENS_SETTINGS, tokens_out)]
    status = _statuses(cfg, t, dev, devs, stream, max_tokens, rng)
    ok = status == 200
    incident = _in_incident(cfg, t)
    overhead = np.asarray(cfg.ttft_overhead_s)[model] * np.where(incident, 3.0, 1.0)
    ttft = (overhead + tokens_in / np.asarray(cfg.prefill_tokens_per_s)[model]) * rng.lognormal(0, 0.3, n)
    speed = np.asarray(cfg.decode_tokens_per_s)[model] * rng.lognormal(0, 0.15, n)
    latency = ttft + tokens_out / speed
    tokens_out = np.where(ok, tokens_out, 0)
    spend = _list_price_usd(cfg, model, tokens_in, tokens_out) * ok
    return RequestLog(cfg, devs, t, dev, model, stream, status, max_tokens, tokens_in, tokens_out,
                      np.where(ok, ttft, np.nan), np.where(ok, latency, np.nan), spend, leaked_dev)


def _in_incident(cfg: PlatformConfig, t: np.ndarray) -> np.ndarray:
    start = (cfg.incident_day + 14 / 24) * SECONDS_PER_DAY
    return (t >= start) & (t < start + cfg.incident_hours * 3600)


def _statuses(cfg: PlatformConfig, t: np.ndarray, dev: np.ndarray, devs: Developers, stream: np.ndarray,
              max_tokens: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    n = t.size
    first_week = t < (devs.first_call_day[dev] + 7) * SECONDS_PER_DAY
    p_4xx = np.where(first_week, cfg.p_4xx_first_week, cfg.p_4xx_later)
    p_529 = np.where(_in_incident(cfg, t), cfg.p_529_incident, 0.0)
    long_blocking = ~stream & (max_tokens > cfg.long_output_tokens)
    p_timeout = np.where(long_blocking, cfg.p_timeout_long_nonstreaming, cfg.p_timeout_other)
    u = rng.random(n)
    status = np.full(n, 200)
    # Carve [0, 1) into consecutive intervals, one per outcome.
    edges = np.cumsum(np.vstack([p_4xx, np.full(n, cfg.p_429), np.full(n, cfg.p_5xx), p_529, p_timeout]), axis=0)
    client_4xx = rng.choice([400, 400, 400, 401, 404, 413], n)
    for k, code in enumerate([client_4xx, 429, rng.choice([500, 504], n), 529, TIMEOUT]):
        lower = edges[k - 1] if k else 0.0
        hit = (u >= lower) & (u < edges[k])
        status = np.where(hit, code, status)
    return status


def _list_price_usd(cfg: PlatformConfig, model: np.ndarray, tokens_in: np.ndarray, tokens_out: np.ndarray) -> np.ndarray:
    """Each call's cost at the model's list price (``calc.api_cost_usd``, from the sourced price table)."""
    usd_per_in = np.array([api_cost_usd(m, 1, 0) for m in cfg.models])
    usd_per_out = np.array([api_cost_usd(m, 0, 1) for m in cfg.models])
    return tokens_in * usd_per_in[model] + tokens_out * usd_per_out[model]

