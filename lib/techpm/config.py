"""Session settings for a notebook: which Claude model, whether to stay offline, the spending cap.

The setup cell of every notebook calls ``techpm.setup_notebook()``; the cell after the papermill
``parameters`` cell calls ``techpm.configure(...)`` with the notebook's knobs.

Every value is checked where it is given (``configure``, the environment, the CLI's flags): a bad one
is one clear sentence (``TechpmError``) there, never a surprise later. A spending cap is a finite
number of dollars >= 0 (or None for no cap): NaN, infinity, negative numbers and strings are refused,
so no value can switch the cap off by accident.

Environment variables read at import: ``TECHPM_OFFLINE`` (a boolean: 1/0, true/false, yes/no, on/off,
any case), ``TECHPM_CACHE_DIR`` (a folder) and ``TECHPM_MAX_COST_USD`` (a cap in dollars).
"""

from __future__ import annotations

import math
import os
import warnings
from dataclasses import dataclass, replace
from pathlib import Path

from techpm import __version__
from techpm.keys import find_api_key, in_colab

DEFAULT_CLAUDE_MODEL = "claude-haiku-5-5"
#: The default spending cap per call, in US dollars.
DEFAULT_MAX_COST_USD = 0.50
#: The method asks for "about five to ten searches" before answering: the total across all rounds of
#: one answer is bounded by ``max_searches`` and an answer with fewer than ``min_searches`` says so.
DEFAULT_MAX_SEARCHES = 8
DEFAULT_MIN_SEARCHES = 5
EFFORT_LEVELS = ("low", "medium", "high", "xhigh", "max")  # anthropic.types.OutputConfigParam.effort

_TRUE = ("1", "true", "yes", "on", "y", "t")
_FALSE = ("0", "false", "no", "off", "n", "f", "")


def parse_bool(value: object, name: str) -> bool:
    """``value`` as a boolean: a bool, 0/1, or one of the usual spellings (true/false, yes/no, on/off)."""
    from techpm.errors import TechpmError

    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in _TRUE + _FALSE:
        return value.strip().lower() in _TRUE
    raise TechpmError(f"{name} must be true or false (also 1/0, yes/no, on/off), got {value!r}.")


def check_cap(value: object, name: str = "max_cost_usd") -> float | None:
    """A spending cap: a finite number of dollars >= 0, or None for no cap. Strings of numbers are
    accepted (they come from the command line and the environment); NaN, infinity and negatives are not."""
    from techpm.errors import TechpmError

    if value is None:
        return None
    number: float | None = None
    if isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            number = None
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        number = float(value)
    if number is None or not math.isfinite(number) or number < 0:
        raise TechpmError(f"{name} must be a finite number of dollars >= 0 (or None for no cap), got {value!r}.")
    return number


def _check_count(value: object, name: str, low: int) -> int:
    from techpm.errors import TechpmError

    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise TechpmError(f"{name} must be a whole number >= {low}, got {value!r}.")
    return value


def _check_path(value: object, name: str) -> Path:
    from techpm.errors import TechpmError

    if isinstance(value, Path) or (isinstance(value, str) and value.strip()):
        return Path(value).expanduser()
    raise TechpmError(f"{name} must be a folder path (a string or pathlib.Path), got {value!r}.")


def _default_cache_dir() -> Path:
    return Path(os.environ.get("TECHPM_CACHE_DIR") or Path.home() / ".cache" / "techpm").expanduser()


@dataclass(frozen=True)
class Settings:
    """What the generator and the notebooks use unless told otherwise."""

    claude_model: str = DEFAULT_CLAUDE_MODEL
    offline: bool = False  # True: never call Claude, even with a key
    max_cost_usd: float | None = DEFAULT_MAX_COST_USD  # refuse a single paid call estimated above this
    cache_dir: Path = _default_cache_dir()
    max_searches: int = DEFAULT_MAX_SEARCHES  # web searches allowed in one answer, all rounds together
    min_searches: int = DEFAULT_MIN_SEARCHES  # fewer than this and the answer says it is under-researched
    thinking_budget_tokens: int | None = None  # extended thinking for deep answers (None: off; >= 1,024)
    effort: str | None = None  # the SDK's effort setting (output_config.effort): low ... max; None: the model's


def check_setting(name: str, value: object) -> object:
    """``value`` checked (and normalised) for setting ``name``; raises ``TechpmError`` in one sentence."""
    from techpm.errors import TechpmError, did_you_mean

    if name == "claude_model":
        if not isinstance(value, str) or not value.strip():
            raise TechpmError(f"claude_model must be a model id string, got {value!r}.")
        from techpm.lifecycle import check_callable

        return check_callable(value.strip())
    if name == "offline":
        return parse_bool(value, "offline")
    if name == "max_cost_usd":
        return check_cap(value)
    if name == "cache_dir":
        return _check_path(value, "cache_dir")
    if name in ("max_searches", "min_searches"):
        return _check_count(value, name, 0)
    if name == "thinking_budget_tokens":
        return None if value is None else _check_count(value, name, 1024)
    if name == "effort":
        if value is None or value in EFFORT_LEVELS:
            return value
        raise TechpmError(f"effort must be one of {', '.join(EFFORT_LEVELS)} or None, got {value!r}."
                          f"{did_you_mean(str(value), EFFORT_LEVELS)}")
    return value


def _from_environment() -> Settings:
    """Settings from ``TECHPM_*`` variables; a bad value warns in one sentence and the default stands
    (except ``TECHPM_OFFLINE``, which then turns offline mode on: spending nothing is the safe side)."""
    changes: dict[str, object] = {}
    offline = os.environ.get("TECHPM_OFFLINE")
    if offline is not None:
        try:
            changes["offline"] = parse_bool(offline, "TECHPM_OFFLINE")
        except ValueError as exc:
            warnings.warn(f"techpm: {exc} Offline mode is on.", stacklevel=2)
            changes["offline"] = True
    cap = os.environ.get("TECHPM_MAX_COST_USD")
    if cap is not None:
        try:
            changes["max_cost_usd"] = check_cap(cap, "TECHPM_MAX_COST_USD")
        except ValueError as exc:
            warnings.warn(f"techpm: {exc} The default cap (${DEFAULT_MAX_COST_USD}) applies.", stacklevel=2)
    return Settings(**changes)  # type: ignore[arg-type]


SETTINGS = _from_environment()


def configure(**changes: object) -> None:
    """Change settings for this session, e.g. ``configure(claude_model="claude-sonnet-5-5", offline=True)``.

    Each value is checked here (one clear sentence when it is wrong). Read them back from
    ``techpm.config.SETTINGS``."""
    global SETTINGS
    unknown = set(changes) - set(Settings.__dataclass_fields__)
    if unknown:
        from techpm.errors import unknown_name

        raise unknown_name("setting", sorted(unknown)[0], Settings.__dataclass_fields__)
    checked = {name: check_setting(name, value) for name, value in changes.items()}
    SETTINGS = replace(SETTINGS, **checked)  # type: ignore[arg-type]


def mode_line() -> str:
    """One line that says whether the generator will use Claude or the offline templates, and why."""
    if SETTINGS.offline:
        return "offline (OFFLINE is set): the generator uses its offline templates"
    key = find_api_key()
    if key.present:
        return f"online: Anthropic key {key.describe()}; answers come from {SETTINGS.claude_model}"
    return f"offline ({key.missing_reason()}): the generator uses its offline templates"


def setup_notebook() -> None:
    """Prepare a notebook: the course's figure style, and one status line."""
    from techpm.plotting import use_course_style

    use_course_style()
    where = "Colab" if in_colab() else "Jupyter"
    print(f"techpm {__version__} ready in {where} · {mode_line()}")
