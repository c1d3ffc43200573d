"""Explorer for the agents lesson: steps, per-step success, retries, tokens, caching -> success, cost, latency."""

from __future__ import annotations

from typing import Any

from techpm import calc
from techpm.widgets import Explorer, dropdown, slider

SYSTEM_TOKENS = 3_000       # system prompt + tool definitions, sent on every call
OUTPUT_TOKENS_PER_STEP = 150
TOOL_TIME_S = 0.5
SERVING = ("llama-3.1-70b", "h100-sxm", 4)  # the self-hosted model whose roofline gives the latency


def _compute(steps: int, step_success: float, retries: int, tokens_per_step: int, caching: str,
             model: str) -> dict[str, Any]:
    cached = caching == "on"
    success = calc.agent_success_probability(step_success, steps, retries)
    cost = calc.agent_loop_cost_usd(model, steps, SYSTEM_TOKENS, tokens_per_step, OUTPUT_TOKENS_PER_STEP,
                                    caching=cached, retries_per_step=retries, step_success=step_success)
    cfg, gpu, n_gpus = SERVING
    latency = calc.agent_loop_latency(cfg, gpu, steps, SYSTEM_TOKENS, tokens_per_step, OUTPUT_TOKENS_PER_STEP,
                                      TOOL_TIME_S, n_gpus=n_gpus, prefix_caching=cached)
    attempts = calc.expected_attempts_per_step(step_success, retries)
    return {"steps": steps, "success": success, "usd_per_task": cost, "model": model, "cached": cached,
            "usd_per_success": calc.cost_per_successful_task_usd(cost, success) if success else None,
            "latency_s": latency.total_s * attempts,
            "prompts": calc.agent_call_prompt_tokens(steps, SYSTEM_TOKENS, tokens_per_step),
            "input_tokens": calc.agent_loop_input_tokens(steps, SYSTEM_TOKENS, tokens_per_step)}


def _describe(r: dict[str, Any]) -> str:
    per_success = ("never succeeds" if r["success"] == 0 else f"<b>${r['usd_per_success']:.4f}</b> per successful task")
    return (f"task success <b>{r['success']:.1%}</b> · {r['input_tokens']:,.0f} input tokens over the loop · "
            f"{r['model']}, caching {'on' if r['cached'] else 'off'}: <b>${r['usd_per_task']:.4f}</b> a task, "
            f"{per_success} · latency ≈ <b>{r['latency_s']:.1f} s</b> (self-hosted {SERVING[0]} on "
            f"{SERVING[2]} x {SERVING[1]}, {TOOL_TIME_S} s per tool call)")


def _draw(r: dict[str, Any], ax: Any) -> None:
    import itertools

    steps = list(range(1, r["steps"] + 1))
    ax.plot(steps, list(itertools.accumulate(r["prompts"])), color="tab:blue",
            label="input tokens sent (cumulative)")
    ax.plot(steps, r["prompts"], color="tab:orange", label="prompt of this call")
    ax.set_xlabel("model call (step)")
    ax.set_ylabel("tokens")
    ax.legend(loc="upper left")
    ax.set_title("Every call resends the history")


def agent_loop_explorer(steps: int = 10, step_success: float = 0.95, retries: int = 0, tokens_per_step: int = 800,
                        caching: str = "off", model: str = "claude-haiku-5-5") -> Explorer:
    """Steps, per-step success, retries, tokens per step and caching -> success rate, cost and latency per task."""
    controls = {
        "steps": slider("steps (model calls)", steps, 1, 40, integer=True),
        "step_success": slider("success per step", step_success, 0.5, 1.0, 0.01, fmt=".2f"),
        "retries": slider("retries per step", retries, 0, 3, integer=True),
        "tokens_per_step": slider("tokens each step adds", tokens_per_step, 100, 5_000, 100, integer=True),
        "caching": dropdown("prompt caching", ["off", "on"], caching),
        "model": dropdown("model", calc.api_model_ids("chat"), model),
    }
    return Explorer(controls, _compute, _describe, _draw, title="An agent loop: reliability, cost and latency")
