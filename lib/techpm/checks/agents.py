"""Checks for ``solutions/07_agents`` / ``exercises/07_agents``: expected values come from the calculators."""

from __future__ import annotations

import json
from collections.abc import Sequence

from techpm import calc
from techpm.checks import CheckResult, check_choice, check_number


def loop_success_and_cost(success: object, usd: object, *, step_success: float, steps: int, model: str,
                          system_tokens: int, tokens_per_step: int, output_tokens_per_step: int) -> list[CheckResult]:
    """Exercise 1: one loop's success probability (no retries) and its cost without caching."""
    expected_p = calc.agent_success_probability(step_success, steps)
    bill = calc.agent_loop_cost(model, steps, system_tokens, tokens_per_step, output_tokens_per_step)
    flat = calc.api_cost_usd(model, steps * (system_tokens + tokens_per_step), steps * output_tokens_per_step)
    no_output = bill.input_usd
    return [
        check_number("Exercise 1a · loop success", success, expected_p, hints={
            step_success / expected_p: "that is one step's success; all the steps must succeed: p ** steps.",
            (1 - (1 - step_success) * steps) / expected_p: "failures compound multiplicatively, not additively."}),
        check_number("Exercise 1b · loop cost", usd, bill.total_usd, unit="USD", hints={
            flat / bill.total_usd: "each call resends every earlier step: call i carries i steps of history.",
            no_output / bill.total_usd: "you left out the output tokens of each call."}),
    ]


def retries_needed(answer: object, *, step_success: float, steps: int, target: float) -> CheckResult:
    """Exercise 2: the fewest retries per step that reach the target task success."""
    expected = calc.retries_for_target_success(step_success, steps, target)
    hints = {}
    if expected:
        hints[(expected + 1) / expected] = "that is the number of attempts; retries are attempts minus one."
        if expected > 1:
            hints[(expected - 1) / expected] = (f"with {expected - 1} retries the task succeeds "
                                                f"{calc.agent_success_probability(step_success, steps, expected - 1):.1%}"
                                                f" of the time, below the target.")
    return check_number("Exercise 2 · retries for a target", answer, expected, rel_tol=0, hints=hints)


def memory_choice(answer: object, rows: Sequence, max_tokens: float) -> CheckResult:
    """Exercise 3: the memory strategy that recalls most facts while its context stays under the budget."""
    from techpm.agents.memory import best_under_budget

    best = best_under_budget(rows, max_tokens)
    explanations = {}
    for r in rows:
        if r.tokens_at_end > max_tokens:
            explanations[r.strategy] = f"it keeps {r.tokens_at_end:,} tokens, over the {max_tokens:,.0f}-token budget."
        elif r.strategy != best.strategy:
            explanations[r.strategy] = (f"it fits, but recalls {r.facts_recalled} of {r.facts} facts; "
                                        f"{best.strategy} recalls {best.facts_recalled}.")
    explanations[best.strategy] = f"{best.facts_recalled} of {best.facts} facts within the budget."
    return check_choice("Exercise 3 · memory under a budget", answer, best.strategy, explanations)


def injected_chunk(answer: object, tool_result: str) -> CheckResult:
    """Exercise 4: which hit of a search_docs tool result carries the prompt injection?"""
    from techpm.rag.injection import injection_signals

    hits = [h for h in json.loads(tool_result) if "chunk" in h]
    flagged = [h for h in hits if injection_signals(h["text"])]
    expected = flagged[0]["chunk"] if flagged else "none"
    explanations = {h["chunk"]: "ordinary reference text: it describes Python, it does not address the AI."
                    for h in hits if h not in flagged}
    if flagged:
        explanations[expected] = ("it addresses the AI, overrides its instructions and asks it to stay quiet: "
                                  + ", ".join(injection_signals(flagged[0]["text"])) + ".")
    return check_choice("Exercise 4 · find the injection", answer, expected, explanations)


def agent_monthly_cost(answer: object, *, model: str, users: int, tasks_per_user_per_day: float, steps: int,
                 system_tokens: int, tokens_per_step: int, output_tokens_per_step: int, days: int = 30) -> CheckResult:
    """Exercise 5: a month of an agent feature, with prompt caching of the history."""
    tasks = users * tasks_per_user_per_day * days
    cached = calc.agent_loop_cost(model, steps, system_tokens, tokens_per_step, output_tokens_per_step, caching=True)
    plain = calc.agent_loop_cost(model, steps, system_tokens, tokens_per_step, output_tokens_per_step)
    return check_number("Exercise 5 · monthly cost", answer, tasks * cached.total_usd, unit="USD", hints={
        plain.total_usd / cached.total_usd: "that is without caching; the feature caches the history.",
        1 / days: "that is one day; the question asks for a month.",
        1 / users: "that is one user; multiply by the users."})


def eval_interval_and_cost(lower: object, usd_per_success: object, *, successes: int, n: int,
                           total_cost_usd: float) -> list[CheckResult]:
    """Exercise 6: the Wilson lower bound of an agent eval, and what one successful task costs."""
    lo, _hi = calc.wilson_interval(successes, n)
    wald_lo, _ = calc.wald_interval(successes, n)
    per_success = calc.cost_per_successful_task_usd(total_cost_usd / n, successes / n)
    return [
        check_number("Exercise 6a · eval lower bound", lower, lo, hints={
            wald_lo / lo: "that is the Wald interval; use Wilson's, which behaves near 0 and 1 and at small n.",
            (successes / n) / lo: "that is the point estimate; the question asks for the interval's lower end."}),
        check_number("Exercise 6b · cost per successful task", usd_per_success, per_success, unit="USD", hints={
            (total_cost_usd / n) / per_success: "that is the cost per task; failed tasks are paid for too, so "
                                                "divide the total by the successes."}),
    ]
