"""Serving one model on rented GPUs: a replica's latency, throughput and cost, and the fleet for the peak.

- **One replica** (``serving_estimate``, ``serving_sweep``): the roofline step times of ``calc.inference``
  (prefill for the time to first token, decode for the time per output token) at one batch size, with
  the memory check of ``calc.memory``, turned into tokens/s per user, requests/s per replica and US$
  per million tokens. They default to the realistic shares ``DECODE_MEMORY_EFFICIENCY`` and
  ``PREFILL_COMPUTE_EFFICIENCY`` (sourced in ``calc.inference``) with tensor-parallel communication;
  ``efficiency=1.0`` gives the roofline bound.
- **Capacity planning** with **Little's law** (Little 1961, https://doi.org/10.1287/opre.9.3.383): in any
  stable system, the mean number of requests in flight L equals the arrival rate lambda times the mean
  time each one spends inside W: ``L = lambda * W``. Concurrency is what occupies GPU memory (one KV
  cache per sequence), so L divided by the sequences a replica serves at once gives the replicas to
  provision (``capacity_plan``, ``capacity_plan_for``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from techpm.calc._validate import model_config, non_negative, positive, positive_int, probability
from techpm.calc.inference import (
    DECODE_MEMORY_EFFICIENCY,
    PREFILL_COMPUTE_EFFICIENCY,
    _share,
    decode_step,
    prefill_step,
)
from techpm.calc.memory import MemoryFit, _gpu, kv_precision_bytes, memory_fit
from techpm.calc.quantization import get_quant_format
from techpm.calc.selfhost import selfhost_usd_per_mtok
from techpm.errors import TechpmError
from techpm.tables import GPUSpec, ModelConfig, get_gpu_prices

__all__ = [
    "serving_efficiencies",
    "ServingEstimate",
    "serving_estimate",
    "serving_sweep",
    "little_concurrency", "little_latency_s", "replicas_for_concurrency", "CapacityPlan", "capacity_plan",
    "capacity_plan_for",
]


@dataclass(frozen=True)
class ServingEstimate:
    """One replica serving requests of one shape at one batch size: latency, throughput, cost."""

    model: str
    gpu: str
    n_gpus: int
    precision: str
    kv_precision: str
    batch_size: int
    prompt_tokens: int
    output_tokens: int
    usd_per_gpu_hour: float
    memory: MemoryFit
    ttft_s: float                     # prefill of one prompt on an idle replica
    time_per_output_token_s: float    # one decode step at this batch, at the mean context
    decode_bound: str                 # 'memory' or 'compute'
    replica_s_per_request: float      # replica time one request uses: its share of prefill and decode
    compute_efficiency: float = 1.0   # share of peak FLOP/s assumed (1.0 with memory 1.0: the roofline bound)
    memory_efficiency: float = 1.0    # share of peak HBM bandwidth assumed
    tp_communication: bool = False    # tensor-parallel all-reduces counted

    @property
    def is_roofline_bound(self) -> bool:
        """True when this is the ideal bound: datasheet rates and free tensor parallelism."""
        return self.compute_efficiency == 1.0 and self.memory_efficiency == 1.0 and not self.tp_communication

    @property
    def tokens_per_s_per_user(self) -> float:
        """What one user sees while their answer streams."""
        return 1.0 / self.time_per_output_token_s

    @property
    def request_latency_s(self) -> float:
        """First token from the prefill, the other ``output_tokens - 1`` from decode steps."""
        return self.ttft_s + (self.output_tokens - 1) * self.time_per_output_token_s

    @property
    def requests_per_s(self) -> float:
        """Requests one fully busy replica completes per second."""
        return 1.0 / self.replica_s_per_request

    @property
    def output_tokens_per_s(self) -> float:
        """Output tokens per second of the whole replica, all users together."""
        return self.requests_per_s * self.output_tokens

    @property
    def usd_per_request(self) -> float:
        return self.n_gpus * self.usd_per_gpu_hour / 3600 * self.replica_s_per_request

    @property
    def usd_per_mtok_output(self) -> float:
        """US$ per million output tokens, the replica always busy (prefill cost included)."""
        return selfhost_usd_per_mtok(self.usd_per_gpu_hour, self.output_tokens_per_s, self.n_gpus)

    @property
    def usd_per_mtok(self) -> float:
        """US$ per million tokens in and out together (how blended API prices are quoted)."""
        tokens_per_s = self.requests_per_s * (self.prompt_tokens + self.output_tokens)
        return selfhost_usd_per_mtok(self.usd_per_gpu_hour, tokens_per_s, self.n_gpus)


def _price(g: GPUSpec, usd_per_gpu_hour: float | None) -> float:
    if usd_per_gpu_hour is not None:
        return float(positive("usd_per_gpu_hour", usd_per_gpu_hour))
    try:
        prices = get_gpu_prices(g.id)
    except ValueError:
        prices = []
    if not prices:
        raise TechpmError(f"no tabled price for {g.name}: pass usd_per_gpu_hour.")
    return prices[0].usd_per_gpu_hour


def serving_efficiencies(efficiency: float | None = None, compute_efficiency: float | None = None,
                         memory_efficiency: float | None = None,
                         tp_communication: bool | None = None) -> tuple[float, float, bool]:
    """``(compute_efficiency, memory_efficiency, tp_communication)`` as ``serving_estimate`` resolves them.

    ``efficiency=None`` (the default): the sourced realistic shares ``PREFILL_COMPUTE_EFFICIENCY`` and
    ``DECODE_MEMORY_EFFICIENCY``, with tensor-parallel communication. A number scales both peak rates
    and leaves communication out unless ``tp_communication=True``: ``efficiency=1.0`` is the roofline
    bound. ``compute_efficiency`` / ``memory_efficiency`` override one share.

    Source: gpt-fast's measured bandwidth shares, https://github.com/pytorch-labs/gpt-fast (README
        "Benchmarks"); Pope et al. 2022, https://arxiv.org/abs/2211.05102; Dubey et al. 2024, Table 4,
        https://arxiv.org/abs/2407.21783 (see ``DECODE_MEMORY_EFFICIENCY``).
    Used in: no lesson directly; inside ``serving_estimate``.
    """
    if efficiency is None:
        ce, me, comm = PREFILL_COMPUTE_EFFICIENCY, DECODE_MEMORY_EFFICIENCY, True
    else:
        ce = me = _share("efficiency", efficiency)
        comm = False
    if compute_efficiency is not None:
        ce = _share("compute_efficiency", compute_efficiency)
    if memory_efficiency is not None:
        me = _share("memory_efficiency", memory_efficiency)
    return ce, me, comm if tp_communication is None else bool(tp_communication)


def serving_estimate(cfg: ModelConfig | str, gpu: GPUSpec | str, n_gpus: int = 1, precision: str = "bf16",
                     batch_size: int = 1, prompt_tokens: int = 1000, output_tokens: int = 250,
                     usd_per_gpu_hour: float | None = None, kv_precision: str = "bf16",
                     efficiency: float | None = None, *, compute_efficiency: float | None = None,
                     memory_efficiency: float | None = None, tp_communication: bool | None = None) -> ServingEstimate:
    """Latency, throughput and cost of one replica of ``n_gpus`` GPUs decoding ``batch_size`` requests at once.

    Requests have ``prompt_tokens`` in and ``output_tokens`` out; ``precision`` is a weight format
    (``calc.quant_format_ids()``: its bytes per parameter and compute precision); ``kv_precision`` the KV
    cache's ('bf16', 'fp8'). Continuous batching keeps ``batch_size`` sequences in flight; each request
    uses a ``1/batch_size`` share of a prefill batch and of ``output_tokens`` decode steps (at the mean
    context ``prompt + output / 2``). ``usd_per_gpu_hour`` defaults to the cheapest tabled on-demand price.
    Raises a ``TechpmError`` that explains itself when the batch does not fit in memory.

    By default the estimate is *realistic*: ``DECODE_MEMORY_EFFICIENCY`` of the HBM bandwidth,
    ``PREFILL_COMPUTE_EFFICIENCY`` of the FLOP/s, and the all-reduces of tensor parallelism over the
    GPUs' interconnect (``serving_efficiencies``). ``efficiency=1.0`` gives the roofline bound: the best
    any engine could do on this hardware.

    Source: the roofline model, Williams, Waterman & Patterson 2009, https://doi.org/10.1145/1498765.1498785,
        applied to transformers as in Austin et al. 2025, "How to Scale Your Model", inference chapter,
        https://jax-ml.github.io/scaling-book/inference/; peak rates from ``data/gpus.json`` (datasheets).
        Realistic shares: see ``serving_efficiencies``.
    Used in: 03 §2, §6, §8, §9, exercises; 06 §3, §5.
    """
    c, g = model_config(cfg), _gpu(gpu)
    fmt = get_quant_format(precision)
    kv_bytes = kv_precision_bytes(kv_precision)
    positive_int("prompt_tokens", prompt_tokens)
    positive_int("output_tokens", output_tokens)
    price = _price(g, usd_per_gpu_hour)
    fit = memory_fit(c, g, n_gpus, batch_size, prompt_tokens + output_tokens, fmt.bytes_per_param, kv_bytes).require()
    ce, me, comm = serving_efficiencies(efficiency, compute_efficiency, memory_efficiency, tp_communication)
    common = {"bytes_per_param": fmt.bytes_per_param, "kv_bytes_per_value": kv_bytes,
              "compute_precision": fmt.compute_precision, "compute_efficiency": ce, "memory_efficiency": me,
              "tp_communication": comm}
    mean_context = prompt_tokens + output_tokens // 2
    step = decode_step(c, g, batch_size, mean_context, n_gpus=n_gpus, check_memory=False, **common)
    prefill_batch = prefill_step(c, g, prompt_tokens, batch_size, n_gpus, check_memory=False, **common)
    first = prefill_step(c, g, prompt_tokens, 1, n_gpus, check_memory=False, **common)
    return ServingEstimate(
        model=c.id, gpu=g.id, n_gpus=n_gpus, precision=fmt.id, kv_precision=str(kv_precision),
        batch_size=batch_size, prompt_tokens=prompt_tokens, output_tokens=output_tokens,
        usd_per_gpu_hour=price, memory=fit, ttft_s=first.time_s, time_per_output_token_s=step.time_s,
        decode_bound=step.bound,
        replica_s_per_request=(prefill_batch.time_s + output_tokens * step.time_s) / batch_size,
        compute_efficiency=ce, memory_efficiency=me, tp_communication=comm,
    )


def serving_sweep(cfg: ModelConfig | str, gpu: GPUSpec | str, n_gpus: int = 1, precision: str = "bf16",
                  prompt_tokens: int = 1000, output_tokens: int = 250, usd_per_gpu_hour: float | None = None,
                  kv_precision: str = "bf16", efficiency: float | None = None,
                  batch_sizes: Iterable[int] | None = None) -> list[ServingEstimate]:
    """``serving_estimate`` at each batch size that fits in memory (default 1, 2, 4, ... and the limit itself).

    The curve of per-user tokens/s against total tokens/s is the latency-throughput trade-off a serving
    team tunes; it ends where the KV cache fills the memory. Batch sizes that do not fit are left out;
    if not even batch 1 fits, the error says why. ``efficiency`` as in ``serving_estimate`` (None =
    realistic, 1.0 = the roofline bound).

    Source: the roofline model, Williams, Waterman & Patterson 2009, https://doi.org/10.1145/1498765.1498785,
        applied to transformers as in Austin et al. 2025, "How to Scale Your Model", inference chapter,
        https://jax-ml.github.io/scaling-book/inference/; peak rates from ``data/gpus.json`` (datasheets).
    Used in: 03 §4.
    """
    c, g = model_config(cfg), _gpu(gpu)
    kwargs = {"n_gpus": n_gpus, "precision": precision, "prompt_tokens": prompt_tokens,
              "output_tokens": output_tokens, "usd_per_gpu_hour": usd_per_gpu_hour,
              "kv_precision": kv_precision, "efficiency": efficiency}
    first = serving_estimate(c, g, batch_size=1, **kwargs)  # type: ignore[arg-type]
    limit = first.memory.max_batch_size
    if batch_sizes is None:
        batch_sizes = [2**i for i in range(limit.bit_length()) if 2**i < limit] + [limit]
    sizes = sorted({positive_int("batch_sizes", b) for b in batch_sizes if b <= limit})
    return [first if b == 1 else serving_estimate(c, g, batch_size=b, **kwargs)  # type: ignore[arg-type]
            for b in sizes]



# --------------------------------------------------------------------------------------------------
# Little's law and capacity planning
# --------------------------------------------------------------------------------------------------

def little_concurrency(arrival_rate_per_s: float, latency_s: float) -> float:
    """Mean requests in flight, ``L = lambda * W`` (Little 1961, https://doi.org/10.1287/opre.9.3.383).

    ``arrival_rate_per_s`` is lambda (requests per second that enter and, in steady state, leave);
    ``latency_s`` is W, the mean time a request spends in the system (queueing + prefill + decode).

    >>> little_concurrency(20, 6.0)
    120.0

    Source: Little 1961, "A Proof for the Queuing Formula: L = λW", Operations Research 9(3),
        https://doi.org/10.1287/opre.9.3.383.
    Used in: 06 §7, exercises.
    """
    non_negative("arrival_rate_per_s", arrival_rate_per_s)
    non_negative("latency_s", latency_s)
    return float(arrival_rate_per_s) * float(latency_s)


def little_latency_s(concurrency: float, arrival_rate_per_s: float) -> float:
    """Little's law solved for W: the mean latency a system with ``concurrency`` requests in flight implies.

    ``W = L / lambda``: a server that holds 64 requests at a time and completes 16 per second keeps each
    one for 4 s on average.

    Source: Little 1961, "A Proof for the Queuing Formula: L = λW", Operations Research 9(3),
        https://doi.org/10.1287/opre.9.3.383.
    Used in: 06 §7.
    """
    non_negative("concurrency", concurrency)
    positive("arrival_rate_per_s", arrival_rate_per_s)
    return float(concurrency) / float(arrival_rate_per_s)


def replicas_for_concurrency(concurrency: float, slots_per_replica: int, target_utilization: float = 0.8) -> int:
    """Replicas to provision so that ``concurrency`` requests fill at most ``target_utilization`` of the slots.

    ``replicas = ceil(L / (slots_per_replica * target_utilization))``. A slot is one sequence a replica
    decodes at once (its continuous-batching size, bounded by KV-cache memory). Headroom below 100% keeps
    queueing delay small when arrivals bunch up (a queue near full utilization grows without bound).

    Source: Little 1961, "A Proof for the Queuing Formula: L = λW", Operations Research 9(3),
        https://doi.org/10.1287/opre.9.3.383.
    Used in: 06 (via checks.api_design).
    """
    non_negative("concurrency", concurrency)
    positive_int("slots_per_replica", slots_per_replica)
    probability("target_utilization", target_utilization)
    if target_utilization == 0:
        raise TechpmError("target_utilization must be above 0, got 0.")
    # Round before the ceiling so that 120 / (32 * 0.75) = 5.000000000000001 stays 5.
    return max(1, math.ceil(round(concurrency / (slots_per_replica * target_utilization), 9)))


@dataclass(frozen=True)
class CapacityPlan:
    """Little's law turned into hardware: requests in flight -> replicas -> GPUs.

    ``latency_s`` is the latency the plan used: the loaded one (``slots / requests_per_s_per_replica``)
    when that is longer than the latency passed in. ``replicas * requests_per_s_per_replica`` (the fleet's
    sustained throughput) is always at least ``arrival_rate_per_s``.
    """

    arrival_rate_per_s: float
    latency_s: float
    concurrency: float
    slots_per_replica: int
    target_utilization: float
    replicas: int
    gpus_per_replica: int
    gpus: int
    requests_per_s_per_replica: float = 0.0   # sustained: what one replica completes per second, slots full

    @property
    def utilization(self) -> float:
        """Share of all slots busy on average (``concurrency / (replicas * slots)``)."""
        return self.concurrency / (self.replicas * self.slots_per_replica)

    @property
    def sustained_requests_per_s(self) -> float:
        """Requests per second the whole fleet completes with every slot busy."""
        return self.replicas * self.requests_per_s_per_replica


def capacity_plan(arrival_rate_per_s: float, latency_s: float, slots_per_replica: int,
                  gpus_per_replica: int = 1, target_utilization: float = 0.8,
                  requests_per_s_per_replica: float | None = None) -> CapacityPlan:
    """From peak traffic and latency to GPUs: ``L = lambda * W``, then replicas, then GPUs.

    ``latency_s`` must be the latency of a request on a *loaded* replica, not on an idle one: a replica
    whose ``slots_per_replica`` are all busy completes ``slots / W`` requests per second (Little's law),
    so an idle latency overstates what it sustains. Pass ``requests_per_s_per_replica`` (the sustained
    throughput at that batch, ``serving_estimate(...).requests_per_s``) and the plan uses the loaded
    latency ``slots / requests_per_s_per_replica`` whenever it is longer than ``latency_s``; then

        replicas = ceil(arrival_rate / (requests_per_s_per_replica * target_utilization))

    and ``replicas * requests_per_s_per_replica >= arrival_rate`` always holds. ``capacity_plan_for``
    does this from a ``ServingEstimate``.

    >>> plan = capacity_plan(20, 6.0, slots_per_replica=32, gpus_per_replica=8, target_utilization=0.75)
    >>> plan.concurrency, plan.replicas, plan.gpus
    (120.0, 5, 40)

    Source: Little 1961, "A Proof for the Queuing Formula: L = λW", Operations Research 9(3),
        https://doi.org/10.1287/opre.9.3.383.
    Used in: 06 §7.
    """
    positive_int("gpus_per_replica", gpus_per_replica)
    positive_int("slots_per_replica", slots_per_replica)
    non_negative("latency_s", latency_s)
    latency = float(latency_s)
    if requests_per_s_per_replica is not None:
        positive("requests_per_s_per_replica", requests_per_s_per_replica)
        latency = max(latency, slots_per_replica / float(requests_per_s_per_replica))
    concurrency = little_concurrency(arrival_rate_per_s, latency)
    replicas = replicas_for_concurrency(concurrency, slots_per_replica, target_utilization)
    sustained = (float(requests_per_s_per_replica) if requests_per_s_per_replica is not None
                 else (slots_per_replica / latency if latency > 0 else math.inf))
    return CapacityPlan(float(arrival_rate_per_s), latency, concurrency, slots_per_replica,
                        float(target_utilization), replicas, gpus_per_replica, replicas * gpus_per_replica,
                        sustained)


def capacity_plan_for(arrival_rate_per_s: float, estimate: object, target_utilization: float = 0.8) -> CapacityPlan:
    """``capacity_plan`` from a ``calc.serving_estimate`` result: its batch as the slots, its sustained
    ``requests_per_s`` and its ``n_gpus`` per replica (the loaded latency follows from Little's law).

    >>> from techpm import calc
    >>> est = calc.serving_estimate("llama-3.1-70b", "h100-sxm", 4, batch_size=64, prompt_tokens=2000, output_tokens=300)
    >>> plan = capacity_plan_for(20, est)
    >>> plan.replicas * est.requests_per_s >= 20
    True

    Source: Little 1961, "A Proof for the Queuing Formula: L = λW", Operations Research 9(3),
        https://doi.org/10.1287/opre.9.3.383.
    Used in: 03 §9.
    """
    positive("arrival_rate_per_s", arrival_rate_per_s)
    probability("target_utilization", target_utilization, above_zero=True)
    for name in ("batch_size", "requests_per_s", "n_gpus", "request_latency_s"):
        if not hasattr(estimate, name):
            raise TechpmError("estimate must be a calc.serving_estimate(...) result.")
    return capacity_plan(arrival_rate_per_s, estimate.request_latency_s, estimate.batch_size,  # type: ignore[attr-defined]
                         estimate.n_gpus, target_utilization,  # type: ignore[attr-defined]
                         requests_per_s_per_replica=estimate.requests_per_s)  # type: ignore[attr-defined]
