"""Session settings for a notebook: which Claude model, whether to stay offline, the spending cap.

The setup cell of every notebook calls ``techpm.setup_notebook()``; the cell after the papermill
``parameters`` cell calls ``techpm.configure(...)`` with the notebook's knobs.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

from techpm import __version__
from techpm.keys import find_api_key, in_colab

DEFAULT_CLAUDE_MODEL = "claude-haiku-5-5"


def _default_cache_dir() -> Path:
    return Path(os.environ.get("TECHPM_CACHE_DIR", Path.home() / ".cache" / "techpm"))


@dataclass(frozen=True)
class Settings:
    """What the generator and the notebooks use unless told otherwise."""

    claude_model: str = DEFAULT_CLAUDE_MODEL
    offline: bool = False  # True: never call Claude, even with a key
    max_cost_usd: float | None = 0.50  # refuse a single paid call estimated above this
    cache_dir: Path = _default_cache_dir()


SETTINGS = Settings(offline=os.environ.get("TECHPM_OFFLINE", "") not in ("", "0", "false"))


def configure(**changes: object) -> None:
    """Change settings for this session, e.g. ``configure(claude_model="claude-sonnet-5-5", offline=True)``.

    Read them back from ``techpm.config.SETTINGS``."""
    global SETTINGS
    unknown = set(changes) - set(Settings.__dataclass_fields__)
    if unknown:
        from techpm.errors import unknown_name

        raise unknown_name("setting", sorted(unknown)[0], Settings.__dataclass_fields__)
    if "claude_model" in changes:
        from techpm.tables import get_api_price

        get_api_price(str(changes["claude_model"]))  # an unknown model fails here, with a suggestion
    SETTINGS = replace(SETTINGS, **changes)  # type: ignore[arg-type]


def mode_line() -> str:
    """One line that says whether the generator will use Claude or the offline templates, and why."""
    if SETTINGS.offline:
        return "offline (OFFLINE is set): the generator uses its offline templates"
    key = find_api_key()
    if key.present:
        return f"online: Anthropic key {key.describe()}; answers come from {SETTINGS.claude_model}"
    return "offline (no Anthropic key found): the generator uses its offline templates"


def setup_notebook() -> None:
    """Prepare a notebook: the course's figure style, and one status line."""
    from techpm.plotting import use_course_style

    use_course_style()
    where = "Colab" if in_colab() else "Jupyter"
    print(f"techpm {__version__} ready in {where} · {mode_line()}")
