"""Pure calculators: every formula with its units and its source.

One module per concept (``transformer``, ``inference``, ``cost``, ...). Each module lists its public
functions in ``__all__``; this package gathers them all, so a learner writes ``calc.kv_cache_bytes(...)``
without knowing which module holds it. Two modules may not export the same name.

Conventions: SI units (seconds, bytes, FLOP, US dollars), names that carry the unit (``latency_s``,
``usd_per_mtok``), and a clear ``ValueError`` (``techpm.errors.TechpmError``) for impossible input.
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
