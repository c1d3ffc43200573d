"""Memory strategies compared on one long agent transcript: tokens kept, cost per turn, facts recalled.

The transcript is real: the messages of the task suite's runs, one episode per task, in order (a long
working session). A strategy decides which of those messages go back into the prompt at each turn,
under a token budget:

- **full history**: everything (what a naive loop does; grows without bound);
- **sliding window**: the most recent messages that fit the budget;
- **running summary**: recent messages in half the budget, plus a summary of older episodes (offline an
  extractive one: each episode's question and final answer, the newest that fit the other half);
- **retrieval memory**: recent messages in half the budget, plus the older episodes most similar to the
  current question (BM25, the 05 lesson's lexical index);
- **hierarchical**: a third each for recent messages, the summary, and retrieved episodes.

At the end of the session we ask, for every episode, "what did we find for <its task>?" and count a
fact as recalled when that episode's final answer is in the context the strategy kept. Cost per turn is
the mean prompt over the session (measured at 12 evenly spaced turns), priced at list price (``calc.api_cost_usd``). Token counts
are estimates (``calc.text_tokens_estimate``, 4 characters a token).

MemGPT (Packer et al. 2023, https://arxiv.org/abs/2310.08560) popularized the hierarchical design;
LangChain's buffer-window / summary / vector-store memories are the same three ideas.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from techpm import calc
from techpm.errors import TechpmError

SAMPLED_TURNS = 12  # turns of the session whose prompt size is measured for the cost per turn
STRATEGIES = ("full history", "sliding window", "running summary", "retrieval memory", "hierarchical")


@dataclass(frozen=True)
class Message:
    episode: int
    role: str
    text: str

    @property
    def tokens(self) -> int:
        return calc.text_tokens_estimate(self.text)


@dataclass(frozen=True)
class Episode:
    task: str
    answer: str
    messages: tuple[Message, ...]


def _block_text(block: dict) -> str:
    if block.get("type") == "text":
        return block["text"]
    if block.get("type") == "tool_use":
        return f"[tool_use {block['name']} {json.dumps(block.get('input', {}))}]"
    if block.get("type") == "tool_result":
        return f"[tool_result {block.get('content', '')}]"
    return ""


def transcript(runs: Sequence) -> list[Episode]:
    """Episodes (task, final answer, messages as text) from ``AgentRun``s, in order."""
    episodes = []
    for i, run in enumerate(runs):
        msgs = []
        for m in run.messages:
            content = m["content"]
            text = content if isinstance(content, str) else " ".join(_block_text(b) for b in content)
            msgs.append(Message(i, m["role"], text.strip()))
        episodes.append(Episode(run.task, run.answer, tuple(msgs)))
    return episodes


def _recent(messages: Sequence[Message], budget: int) -> list[Message]:
    kept, used = [], 0
    for m in reversed(messages):
        if used + m.tokens > budget:
            break
        kept.append(m)
        used += m.tokens
    return kept[::-1]


def _summary(episodes: Sequence[Episode], exclude: set[int], budget: int) -> list[Message]:
    lines = [Message(i, "summary", f"Earlier: {e.task} -> {e.answer}") for i, e in enumerate(episodes)
             if i not in exclude and e.answer]
    return _recent(lines, budget)


@lru_cache(maxsize=8)
def _index(texts: tuple[str, ...]):
    from techpm.rag.lexical import BM25Index

    return BM25Index(list(texts))


def _retrieved(episodes: Sequence[Episode], exclude: set[int], query: str, budget: int) -> list[Message]:
    candidates = [i for i in range(len(episodes)) if i not in exclude]
    if not candidates or not query:
        return []
    index = _index(tuple(" ".join(m.text for m in episodes[i].messages) for i in candidates))
    kept, used = [], 0
    for j, _score in index.search(query, len(candidates)):
        msgs = episodes[candidates[j]].messages
        size = sum(m.tokens for m in msgs)
        if used + size <= budget:
            kept += msgs
            used += size
    return kept


def context(strategy: str, episodes: Sequence[Episode], query: str = "", budget_tokens: int = 4_000) -> list[Message]:
    """The messages ``strategy`` puts in the prompt after ``episodes``, for a turn about ``query``."""
    if strategy not in STRATEGIES:
        from techpm.errors import unknown_name

        raise unknown_name("memory strategy", strategy, STRATEGIES)
    if isinstance(budget_tokens, bool) or not isinstance(budget_tokens, int) or budget_tokens < 100:
        raise TechpmError(f"budget_tokens must be a whole number of at least 100, got {budget_tokens!r}.")
    everything = [m for e in episodes for m in e.messages]
    if strategy == "full history":
        return everything
    if strategy == "sliding window":
        return _recent(everything, budget_tokens)
    share = budget_tokens // (3 if strategy == "hierarchical" else 2)
    recent = _recent(everything, share)
    covered = {m.episode for m in recent}
    kept: list[Message] = []
    if strategy in ("running summary", "hierarchical"):
        kept += _summary(episodes, covered, share)
    if strategy in ("retrieval memory", "hierarchical"):
        kept += _retrieved(episodes, covered, query, share)
    return kept + recent


def question_for(episode: Episode) -> str:
    return f"Earlier in this session we worked on: {episode.task} What did we find?"


@dataclass(frozen=True)
class MemoryRow:
    strategy: str
    tokens_at_end: int
    mean_tokens_per_turn: float
    usd_per_turn: float
    facts_recalled: int
    facts: int

    @property
    def recall(self) -> float:
        return self.facts_recalled / self.facts if self.facts else 0.0


def compare(episodes: Sequence[Episode], model: str, budget_tokens: int = 4_000,
            strategies: Sequence[str] = STRATEGIES) -> list[MemoryRow]:
    """Each strategy on the same transcript: tokens kept, list-price cost per turn, facts recalled at the end."""
    answered = [e for e in episodes if e.answer]
    rows = []
    for strategy in strategies:
        per_turn = []
        stride = max(1, len(episodes) // SAMPLED_TURNS)
        for t in range(stride, len(episodes) + 1, stride):  # the session as it grows, sampled evenly
            per_turn.append(sum(m.tokens for m in context(strategy, episodes[:t], episodes[t - 1].task, budget_tokens)))
        recalled = 0
        for e in answered:
            kept = context(strategy, episodes, question_for(e), budget_tokens)
            recalled += any(e.answer in m.text for m in kept)
        mean = sum(per_turn) / len(per_turn)
        rows.append(MemoryRow(strategy, per_turn[-1], mean, calc.api_cost_usd(model, mean, 0), recalled, len(answered)))
    return rows


def best_under_budget(rows: Sequence[MemoryRow], max_tokens: float) -> MemoryRow:
    """The strategy that recalls the most facts with a final context of at most ``max_tokens`` (cheapest on ties)."""
    fitting = [r for r in rows if r.tokens_at_end <= max_tokens]
    if not fitting:
        raise TechpmError(f"no strategy keeps its context under {max_tokens:,.0f} tokens; raise the budget.")
    return max(fitting, key=lambda r: (r.facts_recalled, -r.mean_tokens_per_turn))
