"""Every public calculator, every argument, every kind of bad value: a finite answer or one clear sentence.

Generated at run time from the signatures of every function that a ``techpm.calc`` module lists in
``__all__`` (so calculators added later are covered without touching this file). For each function a
baseline call is built from its defaults and from ``VALID`` (a sample value per argument name, or per
annotation), then each argument in turn is replaced by each value of ``BAD``. Every call must return a
value of the annotated return type whose numbers are finite (NaN or inf only for the functions in
``_validate.NON_FINITE_OK``), or raise ``TechpmError``; anything else, or a call still running after one
second, fails the test with the call that did it.
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import math
import pkgutil
import re
import signal
from collections.abc import Callable
from contextlib import contextmanager
from typing import Any

import pytest

import techpm.calc as calc
from techpm.calc import _validate
from techpm.errors import TechpmError

NAN, INF = math.nan, math.inf

# A valid value for a required argument, by name (then by annotation below).
VALID: dict[str, Any] = {
    "cfg": "llama-3.1-8b", "gpu": "h100-sxm", "model": "claude-haiku-5-5", "name": "h100-sxm",
    "stage": "ppo", "method": "ppo", "policy": "continuous", "jitter": "sdk", "precision": "bf16",
    "plan": calc.PricingPlan("p", "per_token", 1.0, 2.0),
    "usage": calc.CustomerUsage(10, 1000, 500),
    "customers": [calc.CustomerUsage(10, 1000, 500)],
    "tiers": [(10.0, 3.0), (math.inf, 2.0)],
    "shares": {"claude-haiku-5-5": 1.0},
    "ranked_ids": ["a", "b", "c"], "relevant_ids": {"b"},
    "labels_a": [1, 0, 1, 1], "labels_b": [1, 0, 0, 1],
    "scores_a": [1, 0, 1, 1], "scores_b": [1, 0, 0, 1],
    "arrival_times_s": [0.0, 0.5, 1.0], "output_tokens": 200, "sequence_tokens": [100, 17],
    "successes": 8, "n": 10, "successes_a": 8, "n_a": 10, "successes_b": 6, "n_b": 10,
    "p": 0.9, "alpha": 0.8, "agreement": 0.7, "kappa": 0.5, "base_rate": 0.1,
    "minimum_detectable_effect": 0.02, "margin": 0.05, "delta": 0.02, "variance": 0.09,
    "compute_flops": 1e23, "flops_per_s": 1e15, "n_params": 7e9, "n_tokens": 1e12,
    "failure_probability": 0.1, "usd_per_mtok": 5.0, "quantity": 15.0, "text_or_chars": "some text",
    "index_bytes": 1e9, "memory_bytes_per_node": 256e9, "budget_tokens": 8000, "chunk_tokens": 500,
    "memory_bytes_per_s": 50e9, "n_chunks": 1000, "dim": 256, "prompt_tokens": 1000, "k": 3,
    "batch_size": 4, "reserved_tokens": 2000, "retry": 2, "retries": 2, "revenue_usd": 100.0,
    "cost_usd": 40.0, "concurrency": 64.0, "arrival_rate_per_s": 16.0, "latency_s": 4.0,
    "slots_per_replica": 32, "n_per_arm": 4000, "rate_per_s": 1.0, "burst": 3.0,
    # 09 safety
    "max_rate": 0.01, "miss_rates": [0.1, 0.2], "counts": {"a": (1, 10)}, "fixed_h": [2.0, None],
    "misses": {"a": [True, False]},
}
VALID_BY_TYPE = {"float": 1.0, "int": 2, "bool": False, "str": "bf16", "float | None": None, "int | None": None,
                 "Sequence[float]": [1.0, 2.0], "Sequence[int]": [3, 5]}
# Calls whose baseline is not built from the tables above (the sample output_tokens differs by type).
BASELINE_OVERRIDES: dict[str, dict[str, Any]] = {
    "simulate_batching": {"output_tokens": [10, 1, 1, 1], "batch_size": 2},
    "api_cost_usd": {"input_tokens": 1000.0}, "api_cost_breakdown": {"input_tokens": 1000.0},
    "embedding_cost_usd": {"model": "text-embedding-3-small"}, "get_api_price": {"name": "claude-haiku-5-5"},
    "get_model": {"name": "llama-3.1-8b"}, "get_quant_format": {"name": "int4-awq"},
    "box_iou": {"box_a": [0.0, 0.0, 10.0, 10.0], "box_b": [5.0, 0.0, 15.0, 10.0]},
    "document_cost": {"pages": 10, "route": "vlm", "text_tokens_per_page": 700.0, "output_tokens_per_page": 300.0},
    "get_audio_price": {"model": "whisper-1"}, "stt_usd_per_minute": {"model": "whisper-1"},
    "tts_usd_per_minute": {"model": "tts-1"}, "speech_cost_usd": {"model": "tts-1"},
    "word_errors": {"reference": "a b c", "hypothesis": "a x c"},
    "word_error_rate": {"reference": "a b c", "hypothesis": "a x c"},
    "character_error_rate": {"reference": "abc", "hypothesis": "axc"},
}

BAD: list[Any] = [None, "abc", "", True, False, NAN, INF, -INF, -1, -2.5, 0, 0.0, 1e-3, 2.5, 1e30, 10**30,
                  [], [NAN], ["x"], [-1.0, 1.0]]
TYPO = {"cfg": "Llama-3.1-8", "gpu": "H100", "model": "claude-haiku", "name": "h10", "stage": "PP0",
        "method": "dp0", "policy": "continous", "jitter": "ful", "precision": "bf61", "compute_precision": "fp9",
        "kv_precision": "fp7", "weights": "quadratc", "cache_write_ttl": "1 hour"}
# Kinds of value whose error must name the argument. A huge value may fail as a whole ("Does not fit in
# memory: ... needs ... GB of KV cache"), but a negative number or a zero is that argument's fault.
MUST_NAME = {"None", "str", "bool", "nan", "inf", "float-for-int", "negative", "zero"}
TIMEOUT_S = 1.0


def public_calculators() -> list[tuple[str, Callable]]:
    """Every function in the ``__all__`` of every ``techpm.calc`` module (and the table getters calc re-exports)."""
    found: dict[str, Callable] = {}
    for info in pkgutil.iter_modules(calc.__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"techpm.calc.{info.name}")
        for name in getattr(module, "__all__", ()):
            value = getattr(module, name)
            if inspect.isfunction(value):
                found[name] = value
    for name in calc.__all__:
        value = getattr(calc, name)
        if inspect.isfunction(value):
            found.setdefault(name, value)
    return sorted(found.items())


CALCULATORS = public_calculators()


class Hang(BaseException):
    """Raised by the alarm inside a call that runs past ``TIMEOUT_S``."""


@contextmanager
def time_limit(seconds: float):
    def alarm(signum, frame):
        raise Hang
    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def baseline(name: str, func: Callable) -> dict[str, Any]:
    args: dict[str, Any] = {}
    for p in inspect.signature(func).parameters.values():
        if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
            continue
        if p.default is not p.empty:
            continue
        if p.name.endswith("_logp"):
            args[p.name] = -1.0
        elif p.name in VALID:
            args[p.name] = VALID[p.name]
        else:
            args[p.name] = VALID_BY_TYPE.get(str(p.annotation), 1.0)
    args.update(BASELINE_OVERRIDES.get(name, {}))
    return args


def _finite_structure(value: Any) -> bool:
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return True
    if isinstance(value, (int, float)):
        return isinstance(value, int) or math.isfinite(value)
    if isinstance(value, (list, tuple)):
        return all(_finite_structure(v) for v in value)
    if isinstance(value, dict):
        return all(_finite_structure(v) for v in value.values())
    return True  # dataclasses: their type is checked; some fields are honestly inf (a request that never passes)


def _matches_return(func: Callable, value: Any) -> str | None:
    """None if ``value`` fits the annotated return type and is finite, else what is wrong."""
    annotation = inspect.signature(func).return_annotation
    text = annotation if isinstance(annotation, str) else getattr(annotation, "__name__", str(annotation))
    honest_nan = func.__name__ in _validate.NON_FINITE_OK
    if text == "float":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return f"returned {type(value).__name__}, not a float"
        if not honest_nan and not math.isfinite(value):
            return f"returned {value!r}"
        return None
    if text == "int":
        return None if isinstance(value, int) and not isinstance(value, bool) else f"returned {value!r}, not an int"
    cls = func.__globals__.get(text)
    if isinstance(cls, type) and not isinstance(value, cls):
        return f"returned {type(value).__name__}, not a {text}"
    if dataclasses.is_dataclass(value):
        return None
    if not honest_nan and not _finite_structure(value):
        return f"returned a non-finite value: {value!r}"
    return None


def _kind(value: Any, annotation: str) -> str:
    if value is None:
        return "None"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, str):
        return "str"
    if isinstance(value, float) and math.isnan(value):
        return "nan"
    if isinstance(value, float) and math.isinf(value):
        return "inf"
    if isinstance(value, float) and not value.is_integer() and annotation.split(" | ")[0] == "int":
        return "float-for-int"
    numeric = annotation.split(" | ")[0] in ("float", "int")
    if (numeric and isinstance(value, (int, float)) and value < 0) or value == [-1.0, 1.0]:
        return "negative"
    if numeric and isinstance(value, (int, float)) and value == 0:
        return "zero"
    return "range"


def _accepts(annotation: str, kind: str) -> bool:
    """True when the annotation allows a value of this kind (None for 'X | None', strings for 'str')."""
    members = [m.strip() for m in annotation.split("|")]
    return {"None": "None" in members, "str": any(m.startswith("str") for m in members),
            "bool": "bool" in members}.get(kind, False)


def call(func: Callable, kwargs: dict[str, Any]) -> tuple[Any, BaseException | None]:
    positional = [p for p in inspect.signature(func).parameters.values() if p.kind is p.POSITIONAL_ONLY]
    args = [kwargs.pop(p.name) for p in positional if p.name in kwargs]
    try:
        with time_limit(TIMEOUT_S):
            return func(*args, **kwargs), None
    except BaseException as exc:  # noqa: BLE001 - the point is to see everything
        return None, exc


@pytest.mark.parametrize(("name", "func"), CALCULATORS, ids=[n for n, _ in CALCULATORS])
def test_every_bad_argument_gets_a_finite_answer_or_one_clear_sentence(name, func):
    base = baseline(name, func)
    params = [p for p in inspect.signature(func).parameters.values()
              if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
    problems = []
    cases = [(None, None)] + [(p, v) for p in params for v in [*BAD, *([TYPO[p.name]] if p.name in TYPO else [])]]
    for param, value in cases:
        kwargs = dict(base)
        if param is not None:
            kwargs[param.name] = value
        shown = "baseline" if param is None else f"{param.name}={value!r}"
        result, exc = call(func, kwargs)
        if isinstance(exc, Hang):
            problems.append(f"{name}({shown}) ran past {TIMEOUT_S:g} s")
        elif exc is not None and not isinstance(exc, TechpmError):
            problems.append(f"{name}({shown}) raised {type(exc).__name__}: {exc}")
        elif exc is not None:
            message = str(exc)
            if "\n" in message.strip() or "Traceback" in message:
                problems.append(f"{name}({shown}): not one sentence: {message!r}")
            annotation = str(param.annotation) if param is not None else ""
            kind = _kind(value, annotation) if param is not None else ""
            if kind in MUST_NAME and not _accepts(annotation, kind) and param.name not in message:
                problems.append(f"{name}({shown}): the error does not name {param.name}: {message!r}")
        else:
            wrong = _matches_return(func, result)
            if wrong:
                problems.append(f"{name}({shown}) {wrong}")
    assert not problems, "\n".join(problems[:40])


def test_the_discovery_sees_every_module():
    """The property test covers all calculator modules, so a new module is tested the day it lands."""
    modules = {f.__module__ for _, f in CALCULATORS}
    expected = {f"techpm.calc.{m.name}" for m in pkgutil.iter_modules(calc.__path__) if not m.name.startswith("_")}
    assert expected <= modules | {"techpm.tables"}, expected - modules
    assert len(CALCULATORS) >= 100


def test_every_public_calculator_is_type_checked():
    """calc wraps each module's public functions, under the module's name and the package's."""
    for name, func in CALCULATORS:
        assert getattr(func, "__techpm_validated__", False), name
        assert getattr(calc, name) is func, name


def test_most_baselines_are_valid_calls():
    """The bad values are swapped into calls that work, so they reach the arithmetic they could break."""
    failing = []
    for name, func in CALCULATORS:
        _, exc = call(func, baseline(name, func))
        if exc is not None:
            failing.append(f"{name}: {exc}")
    assert len(failing) <= 3, failing


# --- the cases the issue lists, one each ------------------------------------------------------------------

HAIKU = "claude-haiku-5-5"


@pytest.mark.parametrize(("bad_call", "message"), [
    (lambda: calc.t_quantile(0.9, 0.001), r"df must be at least 0\.1.*got 0\.001"),
    (lambda: calc.expected_backoff_s(2, jitter=None), "jitter must be a string, got None"),
    (lambda: calc.backoff_delay_range_s(2, jitter=None), "jitter must be a string, got None"),
    (lambda: calc.expected_total_backoff_s(2, jitter=None), "jitter must be a string, got None"),
    (lambda: calc.volume_discount_tiers(3.0, [NAN, 1.0]), "breakpoints_mtok must be a list of finite numbers"),
    (lambda: calc.volume_discount_tiers(3.0, [-1, 1]), "breakpoints_mtok must be a positive number, got -1"),
    (lambda: calc.volume_discount_tiers(3.0, [INF, 1.0]), "breakpoints_mtok must be a list of finite numbers"),
    (lambda: calc.volume_discount_tiers(3.0, [20.0, 10.0]), "breakpoints_mtok must increase"),
    (lambda: calc.vector_shards_needed(NAN, 256e9), "index_bytes must be a finite number, got nan"),
    (lambda: calc.vector_shards_needed(None, 256e9), "index_bytes must be a finite number, got None"),
    (lambda: calc.hnsw_index_bytes(NAN, 256), "n_chunks must be a whole number, got nan"),
    (lambda: calc.chunks_that_fit(NAN, 500), "budget_tokens must be a finite number, got nan"),
    (lambda: calc.expected_total_backoff_s(10**30), r"retries must be a whole number from 0 to 1,000, got 1e\+30"),
    (lambda: calc.optimal_draft_tokens(0.7, 0.1, max_gamma=10**30), r"max_gamma must be a whole number from 1 to 1,024"),
    (lambda: calc.min_gpus("llama-3.1-70b", "h100-sxm", memory_utilization=0),
     "memory_utilization must be above 0 and at most 1, got 0"),
    (lambda: calc.outcomes_from_counts(10**30, 5, 3, 2), r"both_right must be a whole number from 0 to 1,000,000"),
    (lambda: calc.outcomes_from_counts(10**6, 5, 3, 2), "the four counts must add up to at most 1,000,000"),
    (lambda: calc.plan_revenue_usd(None, calc.CustomerUsage(1, 1, 1)), "plan must be a PricingPlan, got None"),
    (lambda: calc.training_time_s(1e23, 1e15, n_gpus=2.5), "n_gpus must be a whole number, got 2.5"),
    (lambda: calc.unpaired_difference(5, 0, 5, 10), "n_a must be a whole number of at least 1, got 0"),
    (lambda: calc.unpaired_difference(5, 10, 11, 10), r"successes_b \(11\) cannot exceed n_b \(10\)"),
    (lambda: calc.plan_eval(0.05, expected_accuracy=-1), "expected_accuracy must be between 0 and 1"),
    (lambda: calc.embedding_cost_usd(-1, "text-embedding-3-small"), "n_tokens must be zero or a positive number"),
    (lambda: calc.decode_step("llama-3.1-8b", "h100-sxm", kv_bytes_per_value=0, check_memory=False),
     "kv_bytes_per_value must be a positive number"),
    (lambda: calc.minimum_detectable_effect(0.5, 2), "n_per_arm=2 users per arm cannot detect"),
    (lambda: calc.tiered_price_usd(5, [3.0, 2.0]), r"tiers must list \(up_to_mtok, usd_per_mtok\) pairs"),
    (lambda: calc.plan_economics(calc.PricingPlan("p", "seat"), [1], 1.0, 1.0), "customers must list"),
    (lambda: calc.serving_sweep("llama-3.1-8b", "h100-sxm", batch_sizes=["x"]), "batch_sizes must be a list"),
    (lambda: calc.weights_bytes(True, 4), "n_params must be a finite number, got True"),
    (lambda: calc.kv_cache_bytes("llama-3.1-8b", 4096.0), "context_tokens must be a whole number, got 4096.0"),
    (lambda: calc.cohens_kappa(list(range(5000)), list(range(5000))), "kappa allows at most 1,000 categories"),
])
def test_each_case_in_the_issue_gets_its_sentence(bad_call, message):
    with pytest.raises(TechpmError, match=message):
        bad_call()


@pytest.mark.parametrize("func", [
    lambda b: calc.api_cost_usd(HAIKU, 1000, 500, batch=b),
    lambda b: calc.api_cost_breakdown(HAIKU, 1000, 500, batch=b).total_usd,
    lambda b: calc.api_workload_cost(HAIKU, 10, 1000, 500, batch=b).total_usd,
    lambda b: calc.routed_cost_usd({HAIKU: 1.0}, 1000, 500, batch=b),
    lambda b: calc.embedding_cost_usd(1000, "text-embedding-3-small", batch=b),
])
@pytest.mark.parametrize("value", ["no", "False", 0, 1, None])
def test_a_string_or_number_is_not_a_bool_for_batch(func, value):
    """``batch="no"`` used to return the batch price (a non-empty string is truthy)."""
    with pytest.raises(TechpmError, match=f"batch must be True or False, got {value!r}"):
        func(value)
    assert func(False) > func(True) > 0  # the real bools still work, and the discount applies


def test_a_bad_value_errors_under_either_name_of_a_calculator():
    from techpm.calc import training

    for fn in (calc.training_time_s, training.training_time_s):
        with pytest.raises(TechpmError, match="n_gpus must be a whole number, got 2.5"):
            fn(1e23, 1e15, n_gpus=2.5)


def test_numpy_numbers_pass_the_type_layer():
    np = pytest.importorskip("numpy")
    assert calc.kv_cache_bytes("llama-3.1-8b", np.int64(4096)) == calc.kv_cache_bytes("llama-3.1-8b", 4096)
    assert calc.training_flops(np.float32(7e9), np.float64(2e12)) == pytest.approx(calc.training_flops(7e9, 2e12))
    assert calc.recall_at_k(np.array(["a", "b"]).tolist(), {"b"}, k=np.int64(2)) == 1.0


def test_kappa_is_the_only_honest_nan():
    assert math.isnan(calc.cohens_kappa([1, 1, 1], [1, 1, 1]))
    assert set(_validate.NON_FINITE_OK) == {"cohens_kappa", "compute_bound_batch_size", "volume_discount_tiers"}
    assert all(name in calc.__doc__ for name in _validate.NON_FINITE_OK)


# --- "Did you mean" ----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("typed", "lookup", "first"), [
    ("H100", calc.get_gpu, "h100-sxm"),
    ("NVIDIA H100", calc.get_gpu, "h100-sxm"),
    ("h200x", calc.get_gpu, "h200"),
    ("mi300", calc.get_gpu, "mi300x"),
    ("meta-llama/Llama-3-8B", calc.get_model, "llama-3.1-8b"),
    ("Mixtral", calc.get_model, "mixtral-8x7b"),
    ("claude-haiku-5", calc.get_api_price, "claude-haiku-5-5"),
    ("Claude Sonnet 5.5", calc.get_api_price, "claude-sonnet-5-5"),
])
def test_did_you_mean_ranks_the_normalised_match_first(typed, lookup, first):
    with pytest.raises(TechpmError, match=rf"Did you mean '{re.escape(first)}'"):
        lookup(typed)


def test_did_you_mean_lists_two_or_three_and_nothing_when_nothing_is_close():
    from techpm.errors import closest, did_you_mean

    assert closest("H100", calc.gpu_ids()) == ["h100-sxm", "h100-pcie", "h200"]
    assert did_you_mean("H100", calc.gpu_ids()) == " Did you mean 'h100-sxm', 'h100-pcie' or 'h200'?"
    assert did_you_mean("mixtral", ["mixtral-8x7b", "mistral-7b"]) == " Did you mean 'mixtral-8x7b' or 'mistral-7b'?"
    assert did_you_mean("zzz", calc.gpu_ids()) == ""
    assert did_you_mean(None, calc.gpu_ids()) == ""  # never a crash on a non-string
