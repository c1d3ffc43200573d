"""Model lifecycles and the age of the data: retired models never break the course, old prices say so.

One place for Claude model lifecycles: the priced rows of ``api_prices.json`` (``status``,
``retires_on``, ``successor``) and ``model_lifecycle.json`` (deprecated and retired ids the course no
longer prices). Anthropic's terms (https://platform.claude.com/docs/en/about-claude/model-deprecations):
*active*, *legacy* (no more updates), *deprecated* (a retirement date is set), *retired* (requests fail).
The installed SDK carries its own table of deprecations (``anthropic._data.DEPRECATED_MODELS``, dates
written like "November 30th, 2026"); ``sdk_deprecations`` reads it beside ours.

``course_model_uses`` collects every Claude model id the course uses (notebooks' code, the library,
the question bank, the instructor guide, the README) and ``problems`` says which of them are retired,
deprecated in the SDK, or retire within ``HORIZON_DAYS``: the test suite runs it with today's date.
``stale_rows`` lists the data rows whose ``as_of`` is older than a threshold (``techpm dev freshness``).
"""

from __future__ import annotations

import datetime as _dt
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

#: Anthropic gives at least 60 days' notice before retiring a publicly released model (model
#: deprecations page, "Notifications", read 2026-11-29): warn as soon as a retirement is in sight.
HORIZON_DAYS = 60
#: A data row older than this many days is listed by ``techpm dev freshness`` for the author to re-check.
FRESHNESS_DAYS = 120
#: A Claude model id: ``claude-`` then words, then version numbers (and an optional date snapshot).
MODEL_ID = re.compile(r"\bclaude-(?:[a-z]+-)+\d+(?:-\d+)*\b")


@dataclass(frozen=True)
class Lifecycle:
    """Where a Claude model stands: its status, announced retirement date and the course's successor."""

    id: str
    status: str
    retires_on: _dt.date | None
    successor: str | None
    source_url: str
    as_of: str
    priced: bool

    def status_on(self, today: _dt.date) -> str:
        """'retired' once the retirement date has passed, else the tabled status."""
        if self.retires_on is not None and self.retires_on <= today:
            return "retired"
        return self.status

    def describe(self, today: _dt.date | None = None) -> str:
        today = today or _dt.date.today()
        status = self.status_on(today)
        if status == "retired":
            when = f" on {self.retires_on.isoformat()}" if self.retires_on else ""
            return f"retired{when}"
        if self.retires_on is not None:
            return f"{status}, retires on {self.retires_on.isoformat()} ({(self.retires_on - today).days} days)"
        return f"{status}, no retirement announced"


def today() -> _dt.date:
    return _dt.date.today()


def lifecycles() -> dict[str, Lifecycle]:
    """Every Claude model id the course knows, priced or not, with its lifecycle."""
    from techpm.tables import load_table

    table: dict[str, Lifecycle] = {}
    for row in load_table("model_lifecycle"):
        table[row["id"]] = _lifecycle(row, row["source_url"], priced=False)
    for row in load_table("api_prices"):
        if "status" in row:
            table[row["id"]] = _lifecycle(row, row.get("lifecycle_source_url") or row["source_url"], priced=True)
    return table


def _lifecycle(row: dict, source_url: str, *, priced: bool) -> Lifecycle:
    retires = row.get("retires_on")
    return Lifecycle(row["id"], row["status"], _dt.date.fromisoformat(retires) if retires else None,
                     row.get("successor"), source_url, row["as_of"], priced)


def current_models() -> list[str]:
    """The priced Claude models that are active, in table order."""
    return [m.id for m in lifecycles().values() if m.priced and m.status_on(today()) == "active"]


_ORDINAL = re.compile(r"(\d+)(st|nd|rd|th)\b")


def sdk_deprecations() -> dict[str, _dt.date]:
    """The installed SDK's deprecation table (``anthropic._data.DEPRECATED_MODELS``) as dates; empty
    when the SDK is not installed or keeps no such table."""
    try:
        from anthropic._data import DEPRECATED_MODELS  # the SDK's own end-of-life dates
    except ImportError:
        return {}
    out = {}
    for model, text in DEPRECATED_MODELS.items():
        try:
            out[model] = _dt.datetime.strptime(_ORDINAL.sub(r"\1", str(text)), "%B %d, %Y").date()
        except ValueError:
            continue
    return out


def retired_message(model: str, when: _dt.date | None = None) -> str | None:
    """One sentence when ``model`` cannot be called on ``when`` (retired, or unknown): None when it can."""
    when = when or today()
    table = lifecycles()
    entry = table.get(model)
    sdk = sdk_deprecations().get(model)
    if entry is not None and entry.status_on(when) != "retired":
        return None
    if entry is None and sdk is not None and sdk > when:
        return None  # deprecated in the SDK but still served: the test suite warns the authors
    current = ", ".join(current_models())
    if entry is None and sdk is None:
        return (f"The model {model!r} is not one the course knows (a typo, or a model newer than the course's "
                f"price table); use one of the current models: {current}.")
    date = (entry.retires_on if entry and entry.retires_on else sdk)
    on = f" on {date.isoformat()}" if date else ""
    successor = entry.successor if entry else None
    use = f"use {successor} instead" if successor else f"use one of the current models: {current}"
    return f"The model {model!r} retired{on}: Anthropic no longer serves it; {use}."


def check_callable(model: str, when: _dt.date | None = None) -> str:
    """``model`` when the course can call and price it; else ``TechpmError`` in one sentence (a retired
    model gets its date and successor, an unknown one the table's suggestion)."""
    from techpm.errors import TechpmError
    from techpm.tables import get_api_price

    message = retired_message(model, when) if model in lifecycles() or model in sdk_deprecations() else None
    if message:
        raise TechpmError(message)
    get_api_price(model)  # an unknown model fails here, with a suggestion
    return model


def problems(model: str, when: _dt.date | None = None, horizon_days: int = HORIZON_DAYS) -> list[str]:
    """What is wrong with using ``model`` on ``when``: retired, deprecated in the SDK, retiring within
    ``horizon_days``, or unknown. Each problem names the successor. Empty when all is well."""
    when = when or today()
    entry = lifecycles().get(model)
    sdk = sdk_deprecations().get(model)
    successor = (entry.successor if entry else None) or "one of " + ", ".join(current_models())
    found = []
    if entry is None:
        found.append(f"{model} is not in the course's model tables (use {successor})")
        return found
    status = entry.status_on(when)
    if status == "retired":
        found.append(f"{model} is retired (since {entry.retires_on}); use {successor}")
    elif status == "deprecated":
        found.append(f"{model} is deprecated (retires {entry.retires_on}); use {successor}")
    elif entry.retires_on is not None and (entry.retires_on - when).days <= horizon_days:
        found.append(f"{model} retires on {entry.retires_on}, within {horizon_days} days; use {successor}")
    if sdk is not None and status != "retired":
        found.append(f"{model} is deprecated in the anthropic SDK (end of life {sdk}); use {successor}")
    return found


def disagreements(models: Iterable[str]) -> list[str]:
    """Models on which our lifecycle table and the SDK's deprecation table disagree about the date."""
    table, sdk = lifecycles(), sdk_deprecations()
    out = []
    for model in models:
        ours = table.get(model)
        theirs = sdk.get(model)
        if theirs is not None and (ours is None or ours.retires_on != theirs):
            out.append(f"{model}: the SDK says end of life {theirs}, the course's table says "
                       f"{ours.retires_on if ours else 'nothing'}")
        elif ours is not None and ours.status == "deprecated" and theirs is None and sdk:
            out.append(f"{model}: the course's table says deprecated (retires {ours.retires_on}), "
                       "the SDK does not list it")
    return out


# --------------------------------------------------------------------------------------------------
# Where the course uses model ids
# --------------------------------------------------------------------------------------------------

#: What ``course_model_uses`` scans, relative to the repository root: notebooks' code (parameters
#: included), the library, the capstone's question bank, the instructor guide and the README.
SCANNED = ("notebooks/*.ipynb", "solutions/*.ipynb", "lib/techpm/**/*.py", "lib/techpm/data/question_bank.json",
           "docs/instructor-guide.md", "README.md")


def _texts(path: Path) -> Iterable[str]:
    if path.suffix == ".ipynb":
        notebook = json.loads(path.read_text(encoding="utf-8"))
        for cell in notebook.get("cells", []):
            if cell.get("cell_type") == "code":
                source = cell.get("source", "")
                yield "".join(source) if isinstance(source, list) else str(source)
    else:
        yield path.read_text(encoding="utf-8")


def course_model_uses(root: Path) -> dict[str, list[str]]:
    """Every Claude model id used under ``root``: id -> the files (relative paths) that use it."""
    uses: dict[str, list[str]] = {}
    for pattern in SCANNED:
        for path in sorted(root.glob(pattern)):
            rel = path.relative_to(root).as_posix()
            for text in _texts(path):
                for model in MODEL_ID.findall(text):
                    files = uses.setdefault(model, [])
                    if rel not in files:
                        files.append(rel)
    return uses


def course_problems(root: Path, when: _dt.date | None = None) -> list[str]:
    """One line per problem model use: the file, the id and the successor."""
    lines = []
    for model, files in sorted(course_model_uses(root).items()):
        for problem in problems(model, when):
            lines.append(f"{', '.join(files)}: {problem}")
    return lines


# --------------------------------------------------------------------------------------------------
# The age of the data
# --------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class StaleRow:
    table: str
    id: str
    as_of: str
    age_days: int
    source_url: str

    def line(self) -> str:
        return f"{self.table}: {self.id} · as of {self.as_of} ({self.age_days} days) · {self.source_url}"


def stale_rows(threshold_days: int = FRESHNESS_DAYS, when: _dt.date | None = None) -> list[StaleRow]:
    """Every sourced data row whose ``as_of`` is more than ``threshold_days`` before ``when``, oldest first."""
    from techpm.tables import SCHEMAS, load_table

    when = when or today()
    out = []
    for kind in SCHEMAS:
        for row in load_table(kind):
            age = (when - _dt.date.fromisoformat(row["as_of"])).days
            if age > threshold_days:
                out.append(StaleRow(kind, str(row.get("id") or row.get("gpu_id")) + (
                    f" @ {row['provider']}" if kind == "gpu_prices" else ""), row["as_of"], age, row["source_url"]))
    return sorted(out, key=lambda r: (-r.age_days, r.table, r.id))


def price_ages(when: _dt.date | None = None) -> dict[str, int]:
    """Age in days of each API price row's ``as_of``, by model id."""
    from techpm.tables import load_table

    when = when or today()
    return {row["id"]: (when - _dt.date.fromisoformat(row["as_of"])).days for row in load_table("api_prices")}


def prices_as_of(*models: str) -> str:
    """The "prices as of" line to print under a computed cost: the price table's date for ``models``
    (e.g. "Prices as of 2026-11-29 (claude-haiku-5-5), from the price table; they change: re-check
    before quoting them.")."""
    from techpm.tables import get_api_price

    models = tuple(dict.fromkeys(models)) or ("claude-haiku-5-5",)
    dates: dict[str, list[str]] = {}
    for model in models:
        dates.setdefault(get_api_price(model).as_of, []).append(model)
    parts = [f"{date} ({', '.join(ids)})" for date, ids in sorted(dates.items())]
    return f"Prices as of {' and '.join(parts)}, from the course's price table; they change: re-check before quoting."
