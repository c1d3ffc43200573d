"""Argument checks shared by the calculators: one clear sentence, raised before any arithmetic.

Two layers, both raising ``TechpmError`` (a ``ValueError``) with a sentence that names the argument the
caller passed, the value, and what is allowed:

1. **Types, from the annotations** (automatic). ``techpm.calc`` wraps every public function of every
   calculator module with ``calculator()``: each parameter annotated with a plain type is checked before
   the body runs. ``float``: a finite real number (not a bool, a string, None, NaN or +-inf); ``int``: a
   whole number (not 2.5, not True); ``bool``: True or False (not ``"no"``); ``str``: a string; a class
   such as ``ModelConfig``: an instance; ``X | None``: None too; ``Sequence[float]``: a list (not a
   string) of such numbers. A result that is a non-finite float, or arithmetic that overflows, becomes a
   ``TechpmError`` too, except for the functions in ``NON_FINITE_OK`` where NaN or inf is the honest answer.
2. **Ranges, in the body** (one line per argument): ``positive``, ``non_negative``, ``probability``,
   ``positive_int``, ``non_negative_int`` (each with an optional ``at_most``, the documented maximum of a
   size that would allocate or loop), and ``flag`` for booleans inside helpers.

A call from one calculator module to another skips the type layer (its caller's arguments were checked).
The error table is in ``techpm.calc``'s docstring; ``tests/test_calc_bad_inputs.py`` holds every public
calculator to it, and ``benchmarks/validation_overhead.py`` prints what the checks cost per call.
"""

from __future__ import annotations

import functools
import inspect
import math
import numbers
import re
import sys
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from techpm.errors import TechpmError
from techpm.tables import ModelConfig, get_model

MAX_LOOP = 1_000_000
"""Default ceiling for a count that a calculator loops over or allocates (items, retries, draft tokens)."""

NON_FINITE_OK: dict[str, str] = {
    "cohens_kappa": "NaN when both raters gave every item the same single label (kappa is undefined there)",
    "compute_bound_batch_size": "inf when no batch up to max_batch makes decode compute-bound",
    "volume_discount_tiers": "the last tier's upper bound is inf (it has no end)",
}
"""Public calculators that may honestly return NaN or inf, and when (the error table in ``techpm.calc``)."""


def _show(value: Any) -> str:
    """A value as an error message shows it: repr, with huge whole numbers shortened (10**30 -> 1e+30)."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**15:
        return f"{float(value):.3g}" if abs(value) < 10**300 else "a whole number with hundreds of digits"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _is_real(value: Any) -> bool:
    """A finite real number that is not a bool (ints of any size that fit a float, floats, numpy scalars)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:  # an int too large for a float
        return False


def _is_whole(value: Any) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def _most(at_most: float | None) -> str:
    return "" if at_most is None else f" and at most {at_most:,}"


def positive(name: str, value: float, *, at_most: float | None = None) -> float:
    """``value`` if it is a finite number > 0 (and <= ``at_most``), else a ``TechpmError`` naming ``name``."""
    if not _is_real(value) or value <= 0 or (at_most is not None and value > at_most):
        raise TechpmError(f"{name} must be a positive number{_most(at_most)}, got {_show(value)}.")
    return value


def non_negative(name: str, value: float, *, at_most: float | None = None) -> float:
    """``value`` if it is a finite number >= 0 (and <= ``at_most``), else a ``TechpmError`` naming ``name``."""
    if not _is_real(value) or value < 0 or (at_most is not None and value > at_most):
        raise TechpmError(f"{name} must be zero or a positive number{_most(at_most)}, got {_show(value)}.")
    return value


def finite(name: str, value: float) -> float:
    """``value`` if it is a finite number (any sign), else a ``TechpmError`` naming ``name``."""
    if not _is_real(value):
        raise TechpmError(f"{name} must be a finite number, got {_show(value)}.")
    return value


def probability(name: str, value: float, *, open_interval: bool = False, above_zero: bool = False) -> float:
    """``value`` if it lies in [0, 1] ((0, 1) when ``open_interval``, (0, 1] when ``above_zero``)."""
    ok = _is_real(value)
    ok = ok and (0 < value < 1 if open_interval else (0 < value <= 1 if above_zero else 0 <= value <= 1))
    if not ok:
        interval = ("strictly between 0 and 1" if open_interval else
                    "above 0 and at most 1" if above_zero else "between 0 and 1")
        raise TechpmError(f"{name} must be {interval}, got {_show(value)}.")
    return value


def positive_int(name: str, value: int, *, at_most: int | None = None) -> int:
    """``value`` if it is a whole number >= 1 (and <= ``at_most``), else a ``TechpmError`` naming ``name``."""
    if not _is_whole(value) or value < 1 or (at_most is not None and value > at_most):
        wanted = f"from 1 to {at_most:,}" if at_most is not None else "of at least 1"
        raise TechpmError(f"{name} must be a whole number {wanted}, got {_show(value)}.")
    return value


def non_negative_int(name: str, value: int, *, at_most: int | None = None) -> int:
    """``value`` if it is a whole number >= 0 (and <= ``at_most``), else a ``TechpmError`` naming ``name``."""
    if not _is_whole(value) or value < 0 or (at_most is not None and value > at_most):
        wanted = f"from 0 to {at_most:,}" if at_most is not None else "of at least 0"
        raise TechpmError(f"{name} must be a whole number {wanted}, got {_show(value)}.")
    return value


def flag(name: str, value: bool) -> bool:
    """``value`` if it is True or False: a string such as ``"no"`` is truthy, so it is refused."""
    if not isinstance(value, bool):
        raise TechpmError(f"{name} must be True or False, got {_show(value)}.")
    return value


def model_config(cfg: ModelConfig | str) -> ModelConfig:
    """Accept a ModelConfig or a tabled model id; anything else is a clear error."""
    if isinstance(cfg, ModelConfig):
        return cfg
    if isinstance(cfg, str):
        return get_model(cfg)
    raise TechpmError(f"cfg must be a ModelConfig (calc.get_model('llama-3.1-70b')) or a model id, "
                      f"got {type(cfg).__name__}.")


# --------------------------------------------------------------------------------------------------
# The type layer: one check per annotated parameter, built once per function
# --------------------------------------------------------------------------------------------------

_SCALARS: dict[str, tuple[Callable[[Any], bool], str]] = {
    "float": (_is_real, "a finite number"),
    "int": (_is_whole, "a whole number"),
    "bool": (lambda v: isinstance(v, bool), "True or False"),
    "str": (lambda v: isinstance(v, str), "a string"),
    "None": (lambda v: v is None, "None"),
}
_ANYTHING = {"object", "Hashable", "Any"}
_CONTAINERS = {"Sequence": "a list", "list": "a list", "tuple": "a tuple", "Iterable": "a list",
               "Mapping": "a dict", "dict": "a dict"}
# Values that pass without the full test (the common, valid case): checked in the wrapper's loop.
_FAST_TYPES = {"float": (float, int), "int": (int,), "bool": (bool,), "str": (str,)}


def _split_union(text: str) -> list[str]:
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        depth += ch == "["
        depth -= ch == "]"
        if ch == "|" and depth == 0:
            parts.append(text[start:i].strip())
            start = i + 1
    parts.append(text[start:].strip())
    return parts


def _container_check(outer: str, inner: str) -> tuple[Callable[[Any], bool], str]:
    element = _SCALARS.get(inner) if outer in ("Sequence", "list", "Iterable") else None

    def test(v: Any) -> bool:
        if isinstance(v, (str, bytes)):
            return False
        if outer in ("Mapping", "dict"):
            return isinstance(v, Mapping)
        if outer == "Iterable" and not hasattr(v, "__len__"):  # a generator: its items cannot be read twice
            return isinstance(v, Iterable)
        if not (isinstance(v, Iterable) and hasattr(v, "__len__")) or isinstance(v, Mapping):
            return False
        return element is None or all(element[0](x) for x in v)

    return test, _CONTAINERS[outer] + (f" of {element[1].removeprefix('a ')}s" if element else "")


def _part_check(part: str, namespace: Mapping[str, Any]) -> tuple[Callable[[Any], bool], str] | None:
    """(test, description) for one member of a union annotation, or None when it is not understood."""
    if part in _SCALARS:
        return _SCALARS[part]
    match = re.fullmatch(r"(\w+)\[(.*)\]", part)
    if match and match.group(1) in _CONTAINERS:
        return _container_check(*match.groups())
    cls = namespace.get(part)
    if isinstance(cls, type):
        return (lambda v: isinstance(v, cls)), f"a {part}"
    return None


def _param_check(name: str, annotation: str, namespace: Mapping[str, Any]) -> Callable[[Any], None] | None:
    """A function ``check(value)`` that raises the one-sentence error; None when nothing can be checked."""
    members = _split_union(annotation)
    if any(m in _ANYTHING for m in members):
        return None
    parts = [_part_check(m, namespace) for m in members]
    if not parts or any(p is None for p in parts):
        return None
    tests = [p[0] for p in parts]
    wanted = " or ".join(dict.fromkeys(p[1] for p in parts))
    fast = tuple(t for m in members for t in _FAST_TYPES.get(m, ())) + tuple(
        namespace[m] for m in members if isinstance(namespace.get(m), type))
    finite_only = "float" in members

    def check(value: Any) -> None:
        if type(value) in fast and not (finite_only and type(value) is float and value - value != 0.0):
            return
        if not any(t(value) for t in tests):
            kind = "" if isinstance(value, (int, float, str)) or value is None else f" ({type(value).__name__})"
            raise TechpmError(f"{name} must be {wanted}, got {_show(value)}{kind}.")

    return check


def _build_checks(func: Callable, built: list) -> tuple[list, dict]:
    """(checks by position, checks by name) for ``func``'s annotated parameters, stored in ``built``."""
    params = [p for p in inspect.signature(func).parameters.values()
              if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
    by_name = {}
    for p in params:
        annotation = p.annotation if isinstance(p.annotation, str) else getattr(p.annotation, "__name__", "")
        check = _param_check(p.name, annotation, func.__globals__) if annotation else None
        if check is not None:
            by_name[p.name] = check
    by_position = [by_name.get(p.name) for p in params if p.kind is not p.KEYWORD_ONLY]
    built.append((by_position, by_name))
    return built[0]


_INSIDE = "techpm.calc."


def calculator(func: Callable) -> Callable:
    """``func`` with its annotated arguments checked first and a non-finite float result refused.

    The checks are built at the first call, from the annotations; a call pays one small check per
    argument passed (defaults are trusted), about a microsecond in all (``benchmarks/validation_overhead.py``).
    A call from inside a calculator module skips the wrapper: the outer call checked what the learner
    passed, and each body still checks its ranges.
    """
    if getattr(func, "__techpm_validated__", False):
        return func
    name, non_finite_ok = func.__name__, func.__name__ in NON_FINITE_OK
    built: list[tuple[list, dict]] = []  # the checks, built at the first call (import stays fast)

    @functools.wraps(func)
    def checked(*args: Any, **kwargs: Any) -> Any:
        if sys._getframe(1).f_globals.get("__name__", "").startswith(_INSIDE):
            return func(*args, **kwargs)  # one calculator calling another: its caller's arguments were checked
        by_position, by_name = built[0] if built else _build_checks(func, built)
        for check, value in zip(by_position, args, strict=False):
            if check is not None:
                check(value)
        for key, value in kwargs.items():
            check = by_name.get(key)
            if check is not None:
                check(value)
        try:
            result = func(*args, **kwargs)
        except OverflowError:
            raise TechpmError(f"{name}() cannot compute with numbers this large: use smaller values.") from None
        if type(result) is float and result - result != 0.0 and not non_finite_ok:
            raise TechpmError(f"{name}() cannot give a finite answer for these inputs (the result is {result!r}): "
                              "some value is too large or too small to compute with.")
        return result

    checked.__techpm_validated__ = True  # type: ignore[attr-defined]
    return checked
