"""An agent loop's reliability, tokens, cost and latency: why long loops are fragile and expensive.

An agent calls a model, the model asks for a tool (a ``tool_use`` block), the runtime runs it and
sends the result back (a ``tool_result`` block), and the loop repeats until the model answers. Four
formulas a PM can check on a whiteboard:

- **Success compounds.** If each of ``n`` steps succeeds independently with probability ``p`` and a
  failed step may be retried ``R`` times, a step succeeds with ``1 - (1 - p) ** (R + 1)`` and the task
  with ``(1 - (1 - p) ** (R + 1)) ** n``. Independence is an assumption (real failures correlate, and
  a wrong step may not be *detected* to be retried), so this is an upper bound on what retries buy.
  Anthropic, "Building effective agents" (2024-12-19,
  https://www.anthropic.com/engineering/building-effective-agents): "The autonomous nature of agents
  means higher costs, and the potential for compounding errors."
- **Tokens grow quadratically.** The Messages API is stateless: each call resends the whole
  conversation (system prompt, tool definitions, every earlier ``tool_use`` and ``tool_result``;
  https://docs.anthropic.com/en/docs/build-with-claude/tool-use). If call ``i`` (1..n) carries the
  system prompt ``S`` plus ``i`` steps of ``T`` tokens, the input billed over the loop is
  ``n * S + T * n * (n + 1) / 2``.
- **Prompt caching** bills a prompt prefix seen before at the cache-read rate (a tenth or less of the
  input rate) and a new prefix at the cache-write rate (Anthropic, "Prompt caching",
  https://docs.anthropic.com/en/docs/build-with-claude/prompt-caching). With a cache breakpoint on the
  last block of each call, call 1 writes ``S + T`` and call ``i >= 2`` reads ``S + (i - 1) T`` and writes
  ``T``. Prices come from ``calc.api_cost_breakdown`` (table ``techpm/data/api_prices.json``). The
  model's minimum cacheable length and the 5-minute lifetime are not modelled (a loop shorter than the
  minimum caches nothing; one that pauses longer than the lifetime re-writes its prefix).
- **Latency adds up.** Each step waits for the model's time to first token (prefill of its prompt),
  its decode of the step's output tokens, and the tool; the task's latency is the sum over steps. The
  prefill and decode times come from the roofline calculators ``calc.ttft_s`` and
  ``calc.decode_time_per_token_s`` (a self-hosted model on tabled GPUs, an idle server: a lower bound).
"""

from __future__ import annotations

from dataclasses import dataclass

from techpm.calc._validate import non_negative, non_negative_int, positive_int, probability
from techpm.calc.cost import api_cost_breakdown
from techpm.calc.inference import decode_time_per_token_s, ttft_s
from techpm.errors import TechpmError
from techpm.tables import GPUSpec, ModelConfig

MAX_AGENT_STEPS = 1_000
"""The most model calls the loop calculators step through one by one (a longer loop is a different product)."""
MAX_RETRIES = 100
"""The most retries per step the calculators sum over."""

__all__ = [
    "agent_step_success_probability", "agent_success_probability", "retries_for_target_success",
    "expected_attempts_per_step", "agent_loop_input_tokens", "agent_call_prompt_tokens",
    "AgentLoopCost", "agent_loop_cost", "agent_loop_cost_usd", "cost_per_successful_task_usd",
    "AgentLoopLatency", "agent_loop_latency",
]


# --------------------------------------------------------------------------------------------------
# Reliability
# --------------------------------------------------------------------------------------------------


def agent_step_success_probability(step_success: float, retries_per_step: int = 0) -> float:
    """Chance that one step succeeds within ``retries_per_step + 1`` independent attempts: ``1 - (1 - p)**(R + 1)``.

    >>> round(agent_step_success_probability(0.9, 1), 4)
    0.99

    Source: Anthropic, "Building effective agents" (2024-12-19),
        https://www.anthropic.com/engineering/building-effective-agents (compounding errors); independent
        attempts are this module's assumption.
    Used in: no lesson directly; inside ``agent_success_probability``.
    """
    probability("step_success", step_success)
    non_negative_int("retries_per_step", retries_per_step, at_most=MAX_RETRIES)
    return 1.0 - (1.0 - float(step_success)) ** (retries_per_step + 1)


def agent_success_probability(step_success: float, steps: int, retries_per_step: int = 0) -> float:
    """Chance that all ``steps`` steps succeed: ``(1 - (1 - p) ** (R + 1)) ** n`` (module docstring).

    Ten steps at 95% each finish only 60% of tasks; one retry per step brings that to 97.5%.

    >>> round(agent_success_probability(0.95, 10), 4), round(agent_success_probability(0.95, 10, 1), 4)
    (0.5987, 0.9753)

    Source: Anthropic, "Building effective agents" (2024-12-19),
        https://www.anthropic.com/engineering/building-effective-agents (compounding errors); independent
        attempts are this module's assumption.
    Used in: 07 §4, exercises.
    """
    positive_int("steps", steps)
    return agent_step_success_probability(step_success, retries_per_step) ** steps


def retries_for_target_success(step_success: float, steps: int, target: float, max_retries: int = 20) -> int:
    """The fewest retries per step that lift the task's success to ``target`` (0 if none are needed).

    Solves ``(1 - (1 - p) ** (R + 1)) ** n >= target`` for the smallest whole ``R``. A ``TechpmError``
    says so when ``max_retries`` are not enough (or when ``p = 0``: retrying a step that never works
    never helps).

    >>> retries_for_target_success(0.9, 10, 0.95)
    2

    Source: Anthropic, "Building effective agents" (2024-12-19),
        https://www.anthropic.com/engineering/building-effective-agents (compounding errors); independent
        attempts are this module's assumption.
    Used in: 07 §4, exercises.
    """
    probability("step_success", step_success)
    positive_int("steps", steps)
    probability("target", target)
    non_negative_int("max_retries", max_retries, at_most=MAX_RETRIES)
    for retries in range(max_retries + 1):
        # Round so that a target met to the 12th decimal counts as met (0.99 ** 1 vs 0.99).
        if round(agent_success_probability(step_success, steps, retries), 12) >= target:
            return retries
    raise TechpmError(f"{max_retries} retries per step do not reach {target:.1%} success over {steps} steps "
                      f"at a step_success of {step_success:.1%}; make the steps more reliable or fewer.")


def expected_attempts_per_step(step_success: float, retries_per_step: int = 0) -> float:
    """Mean attempts one step uses when it stops at its first success or after ``R + 1`` tries.

    ``sum_{k=0..R} (1 - p) ** k`` (attempt ``k + 1`` happens only if the first ``k`` failed), which is
    ``(1 - (1 - p) ** (R + 1)) / p`` for ``p > 0``. Each attempt is one more model call to pay for.

    >>> expected_attempts_per_step(0.5, 2)
    1.75

    Source: Anthropic, "Building effective agents" (2024-12-19),
        https://www.anthropic.com/engineering/building-effective-agents (compounding errors); independent
        attempts are this module's assumption.
    Used in: 07 (via widgets.agents).
    """
    probability("step_success", step_success)
    non_negative_int("retries_per_step", retries_per_step, at_most=MAX_RETRIES)
    q = 1.0 - float(step_success)
    return sum(q ** k for k in range(retries_per_step + 1))


# --------------------------------------------------------------------------------------------------
# Tokens and cost
# --------------------------------------------------------------------------------------------------

def _loop_args(steps: int, system_tokens: float, tokens_per_step: float) -> None:
    positive_int("steps", steps, at_most=MAX_AGENT_STEPS)
    non_negative("system_tokens", system_tokens)
    non_negative("tokens_per_step", tokens_per_step)


def agent_call_prompt_tokens(steps: int, system_tokens: float, tokens_per_step: float) -> list[float]:
    """The prompt of each call ``i = 1..steps``: ``system_tokens + i * tokens_per_step`` (it grows linearly).

    Source: Anthropic, "Tool use" (each call resends the conversation),
        https://docs.anthropic.com/en/docs/build-with-claude/tool-use.
    Used in: 07 (via widgets.agents).
    """
    _loop_args(steps, system_tokens, tokens_per_step)
    return [float(system_tokens + i * tokens_per_step) for i in range(1, steps + 1)]


def agent_loop_input_tokens(steps: int, system_tokens: float, tokens_per_step: float) -> float:
    """Input tokens billed over a loop whose call ``i`` resends the system prompt plus ``i`` steps of history.

    ``steps * system_tokens + tokens_per_step * steps * (steps + 1) / 2``: quadratic in ``steps``, so
    doubling the steps roughly quadruples the history part of the bill. ``system_tokens`` includes the
    tool definitions (sent on every call); ``tokens_per_step`` is what one step adds to the conversation
    (the model's ``tool_use`` turn plus the ``tool_result``).

    >>> agent_loop_input_tokens(10, 2_000, 500)
    47500.0

    Source: Anthropic, "Tool use" (each call resends the conversation),
        https://docs.anthropic.com/en/docs/build-with-claude/tool-use.
    Used in: 07 (via agents.tasks).
    """
    _loop_args(steps, system_tokens, tokens_per_step)
    return float(steps * system_tokens + tokens_per_step * steps * (steps + 1) / 2)


@dataclass(frozen=True)
class AgentLoopCost:
    """One loop's bill at list price, with its tokens split the way the API's ``usage`` reports them."""

    model: str
    steps: int
    caching: bool
    input_tokens: float          # uncached input tokens
    cache_write_tokens: float
    cache_read_tokens: float
    output_tokens: float
    input_usd: float
    output_usd: float
    cache_write_usd: float
    cache_read_usd: float

    @property
    def prompt_tokens(self) -> float:
        """Every prompt token sent, cached or not (equals ``agent_loop_input_tokens``)."""
        return self.input_tokens + self.cache_write_tokens + self.cache_read_tokens

    @property
    def total_usd(self) -> float:
        return self.input_usd + self.output_usd + self.cache_write_usd + self.cache_read_usd


def agent_loop_cost(model: str, steps: int, system_tokens: float, tokens_per_step: float,
                    output_tokens_per_step: float, *, caching: bool = False,
                    cache_write_ttl: str = "5m") -> AgentLoopCost:
    """The loop's cost for ``model`` at list price, with or without prompt caching of the history.

    Each call is priced on its own (``calc.api_cost_breakdown`` with ``requests=1``), so a per-request
    long-context tier applies to exactly the calls whose prompt crosses it. Without caching call ``i``
    pays ``S + i T`` input tokens; with caching it reads ``S + (i - 1) T`` from the cache (nothing on
    call 1) and writes the rest (module docstring). Every call also pays ``output_tokens_per_step``.

    Source: Anthropic, "Prompt caching", https://docs.anthropic.com/en/docs/build-with-claude/prompt-caching,
        at the list prices of ``data/api_prices.json``; Anthropic, "Tool use" (each call resends the
        conversation), https://docs.anthropic.com/en/docs/build-with-claude/tool-use.
    Used in: 07 §4, exercises.
    """
    _loop_args(steps, system_tokens, tokens_per_step)
    non_negative("output_tokens_per_step", output_tokens_per_step)
    totals = dict.fromkeys(("input_tokens", "cache_write_tokens", "cache_read_tokens", "output_tokens",
                            "input_usd", "output_usd", "cache_write_usd", "cache_read_usd"), 0.0)
    name = model
    for i, prompt in enumerate(agent_call_prompt_tokens(steps, system_tokens, tokens_per_step), start=1):
        if caching:
            read = 0.0 if i == 1 else float(system_tokens + (i - 1) * tokens_per_step)
            uncached, write = 0.0, prompt - read
        else:
            uncached, write, read = prompt, 0.0, 0.0
        bill = api_cost_breakdown(model, uncached, output_tokens_per_step, write, read, requests=1,
                                  cache_write_ttl=cache_write_ttl)
        name = bill.model
        for key, value in (("input_tokens", uncached), ("cache_write_tokens", write), ("cache_read_tokens", read),
                           ("output_tokens", output_tokens_per_step), ("input_usd", bill.input_usd),
                           ("output_usd", bill.output_usd), ("cache_write_usd", bill.cache_write_usd),
                           ("cache_read_usd", bill.cache_read_usd)):
            totals[key] += value
    return AgentLoopCost(model=name, steps=steps, caching=bool(caching), **totals)


def agent_loop_cost_usd(model: str, steps: int, system_tokens: float, tokens_per_step: float,
                        output_tokens_per_step: float, *, caching: bool = False,
                        retries_per_step: int = 0, step_success: float = 1.0) -> float:
    """Expected US dollars per task: the loop's cost, with each step's calls multiplied by its mean attempts.

    A retried step re-sends the same prompt, so the expected bill is the loop's cost times
    ``expected_attempts_per_step(step_success, retries_per_step)`` (an approximation that ignores that a
    task which fails early stops paying; it is exact when ``retries_per_step = 0`` or ``step_success = 1``).

    Source: Anthropic, "Prompt caching", https://docs.anthropic.com/en/docs/build-with-claude/prompt-caching,
        at the list prices of ``data/api_prices.json``; Anthropic, "Tool use" (each call resends the
        conversation), https://docs.anthropic.com/en/docs/build-with-claude/tool-use.
    Used in: 07 (via widgets.agents).
    """
    attempts = expected_attempts_per_step(step_success, retries_per_step)
    return agent_loop_cost(model, steps, system_tokens, tokens_per_step, output_tokens_per_step,
                           caching=caching).total_usd * attempts


def cost_per_successful_task_usd(cost_per_task_usd: float, success_rate: float) -> float:
    """What one *successful* task costs when failures are paid for too: ``cost / success_rate``.

    >>> cost_per_successful_task_usd(0.05, 0.5)
    0.1

    Source: a definition, stated in the formula above (no external figure).
    Used in: 07 (via agents.tasks).
    """
    non_negative("cost_per_task_usd", cost_per_task_usd)
    probability("success_rate", success_rate, above_zero=True)  # at 0 no task succeeds: no cost per success
    return float(cost_per_task_usd) / float(success_rate)


# --------------------------------------------------------------------------------------------------
# Latency
# --------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class AgentLoopLatency:
    """Seconds per step (prefill, decode, tool) and their sum over the loop."""

    prefill_s: tuple[float, ...]
    decode_s: tuple[float, ...]
    tool_s: tuple[float, ...]

    @property
    def step_s(self) -> tuple[float, ...]:
        return tuple(p + d + t for p, d, t in zip(self.prefill_s, self.decode_s, self.tool_s, strict=True))

    @property
    def total_s(self) -> float:
        return sum(self.step_s)


def agent_loop_latency(cfg: ModelConfig | str, gpu: GPUSpec | str, steps: int, system_tokens: int,
                       tokens_per_step: int, output_tokens_per_step: int, tool_time_s: float = 0.0, *,
                       n_gpus: int = 1, efficiency: float = 1.0, prefix_caching: bool = False,
                       bytes_per_param: float = 2) -> AgentLoopLatency:
    """Per-step TTFT + decode + tool time for a self-hosted ``cfg`` on ``n_gpus`` x ``gpu`` (roofline bounds).

    Step ``i`` prefills its prompt ``S + i T`` (``calc.ttft_s``), or only the ``T`` new tokens when the
    server keeps the earlier ones' KV cache (``prefix_caching``, as vLLM's automatic prefix caching
    does; the new tokens' attention to the cached prefix is not counted), then decodes
    ``output_tokens_per_step`` tokens at ``calc.decode_time_per_token_s`` for a context of ``S + i T``,
    then waits ``tool_time_s`` for the tool (0 on the last step, which answers instead of calling one).

    Source: the roofline calculators ``calc.ttft_s`` and ``calc.decode_time_per_token_s`` (Williams et al.
        2009, https://doi.org/10.1145/1498765.1498785); prefix caching as in vLLM's automatic prefix caching,
        https://docs.vllm.ai/en/stable/examples/features/automatic_prefix_caching/.
    Used in: 07 §4.
    """
    _loop_args(steps, system_tokens, tokens_per_step)
    non_negative_int("output_tokens_per_step", output_tokens_per_step)
    non_negative("tool_time_s", tool_time_s)
    prefill, decode, tool = [], [], []
    for i, prompt in enumerate(agent_call_prompt_tokens(steps, system_tokens, tokens_per_step), start=1):
        new_tokens = int(tokens_per_step if prefix_caching and i > 1 else prompt)
        prefill.append(ttft_s(cfg, gpu, max(1, new_tokens), n_gpus, efficiency, bytes_per_param=bytes_per_param)
                       if new_tokens else 0.0)
        per_token = decode_time_per_token_s(cfg, gpu, 1, int(prompt), bytes_per_param, n_gpus, efficiency)
        decode.append(output_tokens_per_step * per_token)
        tool.append(float(tool_time_s) if i < steps else 0.0)
    return AgentLoopLatency(tuple(prefill), tuple(decode), tuple(tool))
