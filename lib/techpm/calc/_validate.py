"""Argument checks shared by the calculators: one clear sentence, raised before any arithmetic."""

from __future__ import annotations

import math

from techpm.errors import TechpmError
from techpm.tables import ModelConfig, get_model


def positive(name: str, value: float) -> float:
    """``value`` if it is a finite number > 0, else a ``TechpmError`` that names the argument."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value <= 0:
        raise TechpmError(f"{name} must be a positive number, got {value!r}.")
    return value


def non_negative(name: str, value: float) -> float:
    """``value`` if it is a finite number >= 0, else a ``TechpmError`` that names the argument."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
        raise TechpmError(f"{name} must be zero or a positive number, got {value!r}.")
    return value


def probability(name: str, value: float, *, open_interval: bool = False) -> float:
    """``value`` if it lies in [0, 1] (or (0, 1) when ``open_interval``), else a ``TechpmError``."""
    ok = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
    ok = ok and (0 < value < 1 if open_interval else 0 <= value <= 1)
    if not ok:
        interval = "strictly between 0 and 1" if open_interval else "between 0 and 1"
        raise TechpmError(f"{name} must be {interval}, got {value!r}.")
    return value


def positive_int(name: str, value: int) -> int:
    """``value`` if it is an integer >= 1, else a ``TechpmError`` that names the argument."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise TechpmError(f"{name} must be a whole number of at least 1, got {value!r}.")
    return value


def non_negative_int(name: str, value: int) -> int:
    """``value`` if it is an integer >= 0, else a ``TechpmError`` that names the argument."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise TechpmError(f"{name} must be a whole number of at least 0, got {value!r}.")
    return value


def model_config(cfg: ModelConfig | str) -> ModelConfig:
    """Accept a ModelConfig or a tabled model id; anything else is a clear error."""
    if isinstance(cfg, ModelConfig):
        return cfg
    if isinstance(cfg, str):
        return get_model(cfg)
    raise TechpmError(f"cfg must be a ModelConfig (calc.get_model('llama-3.1-70b')) or a model id, "
                      f"got {type(cfg).__name__}.")
