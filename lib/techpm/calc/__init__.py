"""Pure calculators: every formula with its units and its source.

One module per concept (``transformer``, ``inference``, ``cost``, ...). Each module lists its public
functions in ``__all__``; this package gathers them all, so a learner writes ``calc.kv_cache_bytes(...)``
without knowing which module holds it. Two modules may not export the same name.

Conventions: SI units (seconds, bytes, FLOP, US dollars), names that carry the unit (``latency_s``,
``usd_per_mtok``), and a clear ``ValueError`` (``techpm.errors.TechpmError``) for impossible input.

Bad input: one sentence, never a traceback from deep inside or a hang. Each public function found here
is wrapped by ``_validate.calculator`` (under both ``calc.NAME`` and ``calc.module.NAME``), which checks
every argument against its annotation before the body runs; the body then checks ranges. The error
names the argument you passed, its value and what is allowed (a new module gets this by listing its
functions in ``__all__``):

    ==========================  ================================================================
    you pass                    you get (a TechpmError)
    ==========================  ================================================================
    NaN, inf, None, "abc",      "n_params must be a finite number, got nan." (a bool is not a
    True where a number is      number, a string is not a bool: ``batch="no"`` is an error)
    2.5 where a count is        "n_gpus must be a whole number, got 2.5."
    0 or -1 out of range        "n_a must be a whole number of at least 1, got 0."
    an unknown id               "Unknown GPU 'H100'. Did you mean 'h100-sxm', 'h100-pcie' or
                                'h200'? Known: ..." (matched ignoring case, punctuation, vendor)
    a size above its maximum    "retries must be a whole number from 0 to 1,000, got 1e+30."
    numbers that overflow       "NAME() cannot give a finite answer for these inputs ..."
    ==========================  ================================================================

Maximums on sizes that would loop or allocate: ``outcomes_from_counts`` 1,000,000 questions
(``_validate.MAX_LOOP``); ``expected_total_backoff_s`` 1,000 retries (``MAX_RETRIES``);
``optimal_draft_tokens`` ``max_gamma`` 1,024 (``MAX_DRAFT_TOKENS``); ``cohens_kappa`` 1,000 distinct
labels (``KAPPA_MAX_CATEGORIES``); ``t_quantile`` needs
``df >= 0.1`` (below, its quantiles overflow a float).

NaN or inf is returned only where it is the honest answer (``_validate.NON_FINITE_OK``):
``cohens_kappa`` is NaN when both raters gave every item the same single label (kappa is undefined;
report percent agreement); ``compute_bound_batch_size`` is inf when no batch makes decode
compute-bound; ``volume_discount_tiers`` ends with an unbounded tier (``math.inf``). Everything else
returns finite numbers (``minimum_detectable_effect`` raises instead of returning NaN).
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil

from techpm.calc._validate import calculator
from techpm.tables import (
    APIPrice,
    GPUPrice,
    GPUSpec,
    ModelConfig,
    api_model_ids,
    get_api_price,
    get_gpu,
    get_gpu_prices,
    get_model,
    gpu_ids,
    model_ids,
)

__all__ = [
    "APIPrice", "GPUPrice", "GPUSpec", "ModelConfig", "api_model_ids", "get_api_price", "get_gpu",
    "get_gpu_prices", "get_model", "gpu_ids", "model_ids",
]
_SOURCE_OF: dict[str, str] = {name: "techpm.tables" for name in __all__}
for _name in ("api_model_ids", "get_api_price", "get_gpu", "get_gpu_prices", "get_model", "gpu_ids", "model_ids"):
    globals()[_name] = calculator(globals()[_name])

for _info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
    if _info.name.startswith("_"):
        continue
    _module = importlib.import_module(f"{__name__}.{_info.name}")
    for _name in getattr(_module, "__all__", ()):
        if _name in _SOURCE_OF:
            raise ImportError(f"techpm.calc: {_name!r} is exported by both {_SOURCE_OF[_name]} and "
                              f"{_module.__name__}")
        _SOURCE_OF[_name] = _module.__name__
        _value = getattr(_module, _name)
        if inspect.isfunction(_value):  # the type layer: the same checked function under both names
            _value = calculator(_value)
            setattr(_module, _name, _value)
        globals()[_name] = _value
        __all__.append(_name)


def where_is(name: str) -> str:
    """The module that defines calculator ``name``: ``calc.where_is('kv_cache_bytes')``."""
    return _SOURCE_OF[name]
