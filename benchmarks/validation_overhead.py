"""What the calculators' input checks cost per call: the checked path against the unchecked one.

    python benchmarks/validation_overhead.py

``techpm.calc`` wraps every public calculator with ``_validate.calculator`` (a check per annotated
argument, and a check that the result is finite). For a few calculators, from the cheapest formula to
one that calls a dozen others, this times a call through the wrapper and a call of the same function
with every calculator unwrapped (``__wrapped__``, nested calls included), best of several runs of many
calls each, and prints the difference per call and the ratio. Target: under 5 us per call. Figures, not
assertions: this machine is shared and noisy, so compare the columns inside one run.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import sys
import timeit
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "lib"))

import techpm.calc as calc  # noqa: E402

CALLS: dict[str, Callable[[], object]] = {
    "training_flops(7e9, 2e12)": lambda: calc.training_flops(7e9, 2e12),
    "wilson_interval(84, 100)": lambda: calc.wilson_interval(84, 100),
    "speculative_speedup(0.8, 4, 0.05)": lambda: calc.speculative_speedup(0.8, 4, 0.05),
    "kv_cache_bytes(cfg, 8192, 4)": lambda: calc.kv_cache_bytes(CFG, 8192, 4),
    "api_cost_usd(haiku, 1e6, 2e5, batch=True)": lambda: calc.api_cost_usd("claude-haiku-5-5", 1e6, 2e5, batch=True),
    "decode_time_per_token_s(cfg, h100, 8, 2048)": lambda: calc.decode_time_per_token_s(CFG, GPU, 8, 2048),
}
CFG, GPU = calc.get_model("llama-3.1-8b"), calc.get_gpu("h100-sxm")


@contextmanager
def unchecked() -> Iterator[None]:
    """Every calculator module's public functions (and the package's names) without the wrapper."""
    saved = []
    modules = [calc] + [importlib.import_module(f"techpm.calc.{m.name}") for m in pkgutil.iter_modules(calc.__path__)]
    for module in modules:
        for name, value in list(vars(module).items()):
            if inspect.isfunction(value) and getattr(value, "__techpm_validated__", False):
                saved.append((module, name, value))
                setattr(module, name, value.__wrapped__)
    try:
        yield
    finally:
        for module, name, value in saved:
            setattr(module, name, value)


def per_call_us(call: Callable[[], object], number: int) -> float:
    return min(timeit.repeat(call, number=number, repeat=7)) / number * 1e6


def main() -> None:
    width = max(map(len, CALLS))
    print(f"{'call':<{width}}  {'checked':>9}  {'unchecked':>9}  {'overhead':>9}  ratio")
    for label, call in CALLS.items():
        call()  # build the checks (done once, at the first call) and warm the caches
        number = 2_000
        checked = per_call_us(call, number)
        with unchecked():
            bare = per_call_us(call, number)
        print(f"{label:<{width}}  {checked:7.2f} us  {bare:7.2f} us  {checked - bare:7.2f} us  {checked / bare:5.2f}x")
    print("Target: overhead under 5 us per call.")


if __name__ == "__main__":
    main()
