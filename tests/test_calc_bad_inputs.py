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
}
VALID_BY_TYPE = {"float": 1.0, "int": 2, "bool": False, "str": "bf16", "float | None": None, "int | None": None,
                 "Sequence[float]": [1.0, 2.0], "Sequence[int]": [3, 5]}
# Calls whose baseline is not built from the tables above (the sample output_tokens differs by type).
BASELINE_OVERRIDES: dict[str, dict[str, Any]] = {
    "simulate_batching": {"output_tokens": [10, 1, 1, 1], "batch_size": 2},
    "api_cost_usd": {"input_tokens": 1000.0}, "api_cost_breakdown": {"input_tokens": 1000.0},
    "embedding_cost_usd": {"model": "text-embedding-3-small"}, "get_api_price": {"name": "claude-haiku-5-5"},
    "get_model": {"name": "llama-3.1-8b"}, "get_quant_format": {"name": "int4-awq"},
}

BAD: list[Any] = [None, "abc", "", True, False, NAN, INF, -INF, -1, -2.5, 0, 0.0, 1e-3, 2.5, 1e30, 10**30,
                  [], [NAN], ["x"], [-1.0, 1.0]]
TYPO = {"cfg": "Llama-3.1-8", "gpu": "H100", "model": "claude-haiku", "name": "h10", "stage": "PP0",
        "method": "dp0", "policy": "continous", "jitter": "ful", "precision": "bf61", "compute_precision": "fp9",
        "kv_precision": "fp7", "weights": "quadratc", "cache_write_ttl": "1 hour"}
# Kinds of value whose error must name the argument (a range error may be about two arguments at once,
# "cached_prefix_tokens cannot exceed prompt_tokens", but a negative number is that argument's fault).
MUST_NAME = {"None", "str", "bool", "nan", "inf", "float-for-int", "negative"}
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
