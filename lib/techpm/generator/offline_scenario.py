"""The scenario an offline answer designs to: what the question states, plus a stated default for the rest.

Every quantity is a ``Given``: its value, whether it came from the question, and a phrase that says what
it is. Section 1 of the answer lists both groups ("from the question" and "assumed: change these"), so a
reader sees at once which numbers are theirs and which are the generator's defaults.

Defaults are design assumptions, not facts: round numbers of the right order for a first design review,
chosen per kind of question (an internal RAG tool has thousands of users; a consumer safety system
millions of messages). Traffic follows one rule everywhere: capacity is sized for the peak, taken as
``PEAK_TO_MEAN`` times the day's mean rate unless the question states the peak.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from techpm.generator.offline_constraints import Constraints, LatencyTarget

__all__ = ["PEAK_TO_MEAN", "SECONDS_PER_DAY", "DAYS_PER_MONTH", "Given", "Scenario", "build_scenario",
           "SMALL_MODEL", "LARGE_MODEL", "OPEN_MODEL", "OPEN_DRAFT_MODEL", "GPU", "EMBEDDING_MODEL"]

PEAK_TO_MEAN = 3.0          # design assumption: the busiest second carries 3x the day's mean rate
SECONDS_PER_DAY = 86_400
DAYS_PER_MONTH = 30

SMALL_MODEL = "claude-haiku-5-5"     # the tabled models the cost figures price (techpm/data/api_prices.json)
LARGE_MODEL = "claude-sonnet-5-5"
EMBEDDING_MODEL = "voyage-4"
OPEN_MODEL = "llama-3.1-70b"         # the reference open-weights model for latency and self-hosting figures
OPEN_DRAFT_MODEL = "llama-3.1-8b"
GPU = "h100-sxm"


@dataclass(frozen=True)
class Given:
    """A number the design uses: its value, whether the question stated it, and what it is."""

    value: float
    stated: bool
    what: str
    basis: str = ""  # how an assumed value was derived ("20 per user per day")

    def __float__(self) -> float:
        return float(self.value)


@dataclass(frozen=True)
class KindDefaults:
    users: float
    user_noun: str
    requests_per_user_day: float
    request_noun: str
    input_tokens: int
    output_tokens: int
    documents: float | None = None
    document_noun: str | None = None
    tokens_per_document: int | None = None


DEFAULTS: dict[str, KindDefaults] = {
    "rag": KindDefaults(2_000, "people who search the corpus", 20, "questions", 5_600, 400,
                        100_000, "documents", 3_000),
    "agent": KindDefaults(5_000, "users who hand tasks to the agent", 4, "tasks", 3_000, 300),
    "inference": KindDefaults(200_000, "end users of the applications on top", 15, "requests", 1_000, 250),
    "evaluation": KindDefaults(10_000, "users of the product under evaluation", 2, "conversations", 2_500, 300),
    "finetuning": KindDefaults(20_000, "users of the tuned model", 3, "requests", 1_500, 300,
                               20_000, "demonstrations", 1_000),
    "api_platform": KindDefaults(10_000, "active developers", 100, "API requests", 2_000, 500),
    "safety": KindDefaults(200_000, "users", 5, "messages", 1_000, 300),
    "multimodal": KindDefaults(20_000, "users", 5, "images", 300, 300),
    "general": KindDefaults(50_000, "users", 5, "requests", 1_500, 400),
}


@dataclass
class Scenario:
    """Everything the figures and the text need, each quantity a ``Given``."""

    kind: str
    users: Given
    user_noun: str
    requests_per_day: Given
    peak_rps: Given
    request_noun: str
    input_tokens: Given
    output_tokens: Given
    latency_targets: list[LatencyTarget] = field(default_factory=list)
    documents: Given | None = None
    document_noun: str | None = None
    tokens_per_document: Given | None = None
    monthly_budget_usd: Given | None = None
    budget_text: str | None = None
    open_model: Given | None = None  # value unused; ``open_model_id`` holds the id
    open_model_id: str = OPEN_MODEL
    gpu_id: str = GPU
    gpu_count: int | None = None
    context_tokens: Given | None = None
    deployment: str = "cloud"
    deployment_stated: bool = False
    timeline: str | None = None
    found: tuple[str, ...] = ()

    @property
    def requests_per_month(self) -> int:
        return int(round(self.requests_per_day.value * DAYS_PER_MONTH))

    @property
    def mean_rps(self) -> float:
        return self.requests_per_day.value / SECONDS_PER_DAY

    def givens(self) -> list[tuple[str, Given]]:
        """(name, Given) for every quantity set, in a fixed order."""
        names = ("users", "requests_per_day", "peak_rps", "input_tokens", "output_tokens", "documents",
                 "tokens_per_document", "monthly_budget_usd", "context_tokens", "open_model")
        return [(n, getattr(self, n)) for n in names if getattr(self, n) is not None]


def _open_model_for(params: float | None) -> str:
    """The tabled open model closest in size to ``params`` (the reference for latency and GPU figures)."""
    from techpm import calc

    if params is None:
        return OPEN_MODEL
    candidates = ["llama-3.1-8b", "llama-2-13b", "llama-3.1-70b", "llama-3.1-405b"]
    return min(candidates, key=lambda m: abs(math.log(calc.param_count(m) / params)))


def build_scenario(kind: str, c: Constraints) -> Scenario:
    """Merge the question's constraints with the kind's defaults (see the module docstring)."""
    d = DEFAULTS[kind]
    users = Given(c.users, True, c.user_noun or "users") if c.users else Given(d.users, False, d.user_noun)
    noun = c.request_noun if c.request_noun and c.request_noun != "requests" else d.request_noun
    if c.peak_rps is not None:
        peak = Given(c.peak_rps, True, f"{noun} per second at peak")
        per_day = Given(c.peak_rps * SECONDS_PER_DAY / PEAK_TO_MEAN, False, f"{noun} a day",
                        f"the stated peak / {PEAK_TO_MEAN:g} x 86,400 s")
    else:
        if c.requests_per_day is not None:
            per_day = Given(c.requests_per_day, True, f"{noun} a day")
        else:
            per_day = Given(users.value * d.requests_per_user_day, False, f"{noun} a day",
                            f"{d.requests_per_user_day:g} per user per day")
        peak = Given(per_day.value / SECONDS_PER_DAY * PEAK_TO_MEAN, False, f"{noun} per second at peak",
                     f"{PEAK_TO_MEAN:g}x the day's mean rate")
    input_what = {"agent": "tokens of instructions and tool schemas per step",
                  "multimodal": f"tokens of instructions per {noun.rstrip('s')} (the image adds its own, section 4)",
                  "rag": f"input tokens per {noun.rstrip('s')} (instructions + retrieved chunks + question)"}
    input_tokens = Given(d.input_tokens, False, input_what.get(kind, f"input tokens per {noun.rstrip('s')}"))
    if c.context_tokens:
        input_tokens = Given(c.context_tokens, True, f"tokens of context per {noun.rstrip('s')}")
    s = Scenario(
        kind=kind, users=users, user_noun=users.what, requests_per_day=per_day, peak_rps=peak,
        request_noun=noun, input_tokens=input_tokens,
        output_tokens=Given(d.output_tokens, False, f"output tokens per {noun.rstrip('s')}"),
        latency_targets=list(c.latency_targets), found=tuple(c.found), timeline=c.timeline,
    )
    if d.documents is not None or c.documents is not None:
        if c.documents is not None:
            s.documents, s.document_noun = Given(c.documents, True, c.document_noun or "documents"), c.document_noun
        elif d.documents is not None:
            s.documents, s.document_noun = Given(d.documents, False, d.document_noun or "documents"), d.document_noun
        s.tokens_per_document = Given(d.tokens_per_document or 3_000, False,
                                      f"tokens per {(s.document_noun or 'document').rstrip('s')}")
    if c.budget_usd is not None:
        s.budget_text = next((f for f in c.found if "$" in f), None)
        if c.monthly_budget_usd is not None:
            s.monthly_budget_usd = Given(c.monthly_budget_usd, True, "US$ a month of budget")
    model_id = c.model_id or _open_model_for(c.model_params)
    s.open_model_id = model_id
    s.open_model = Given(c.model_params or 0.0, bool(c.model_id or c.model_params), f"open model ({model_id})")
    if c.gpu_id:
        s.gpu_id, s.gpu_count = c.gpu_id, c.gpu_count
    if c.context_tokens:
        s.context_tokens = Given(c.context_tokens, True, "tokens of context")
    if c.deployment:
        s.deployment, s.deployment_stated = c.deployment, True
    return s
