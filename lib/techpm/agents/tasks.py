"""A task set with checkable answers, run end to end, and the agent evals a PM asks for.

Each task is a prompt, the tools a good trajectory uses, and a checker that computes the right answer
itself (with the course's calculators, the sandbox-free interpreter, or the 05 corpus) and looks for it
in the agent's answer: numbers within 2%, documentation answers naming a relevant section and quoting
a sentence that is really in it. The same checker grades the offline policy and Claude.

The evals: task success with a Wilson interval (04's ``calc.wilson_interval``), trajectory checks (were
the expected tools called, within the step budget), and cost per *successful* task
(``calc.cost_per_successful_task_usd``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache

from techpm import calc
from techpm.agents.runtime import AgentRun, run_agent

_NUMBER = re.compile(r"-?\d[\d,]*\.?\d*(?:e[+-]?\d+)?", re.I)
_QUOTED = re.compile(r"[\"“]([^\"”]{20,})[\"”]")


def numbers_in(text: str) -> list[float]:
    """Every number written in ``text`` (thousands separators allowed; a trailing % is not applied)."""
    found = []
    for raw in _NUMBER.findall(text):
        try:
            found.append(float(raw.replace(",", "").rstrip(".")))
        except ValueError:
            continue
    return found


def mentions_number(text: str, value: float, rel_tol: float = 0.02) -> bool:
    """True when ``text`` states ``value`` (or ``value`` x 100 as a percentage) within ``rel_tol``."""
    targets = [value, value * 100] if abs(value) <= 1 else [value]
    return any(abs(n - t) <= rel_tol * abs(t) + 1e-9 for n in numbers_in(text) for t in targets)


def _flat(text: str) -> str:
    return " ".join(text.split()).lower()


def quotes_relevant_section(text: str, relevant: Sequence[str]) -> bool:
    """The answer names one of the ``relevant`` section ids and quotes a sentence that is in that section."""
    from techpm.rag.corpus import section_index

    sections = section_index()
    named = [sid for sid in relevant if re.search(rf"(?<![\w-]){re.escape(sid)}(?![\w-])", text)]
    quotes = [_flat(q).rstrip(".") for q in _QUOTED.findall(text)]
    return any(q in _flat(sections[sid].text) for sid in named for q in quotes if sid in sections)


@dataclass(frozen=True)
class Task:
    """A prompt, the tools a good run calls, and a checker of the final answer."""

    id: str
    prompt: str
    expected_tools: tuple[str, ...]
    check: Callable[[str], bool]
    expected: str            # what the checker looks for, in words (for the table)
    max_steps: int = 4


def _number_task(tid: str, prompt: str, tools: tuple[str, ...], value: float, shown: str) -> Task:
    return Task(tid, prompt, tools, lambda answer: mentions_number(answer, value), shown)


def _kv_fit_task(tid: str, cfg: str, ctx: int, users: int, n: int, gpu: str) -> Task:
    kv = calc.kv_cache_bytes(cfg, ctx, users) / 1e9
    fit = calc.memory_fit(cfg, gpu, n, users, ctx)
    verdict = "does not fit" if not fit.fits else "fits"
    prompt = (f"What does the KV cache of {cfg} at {ctx:,} tokens for {users} users need, and does it fit on "
              f"{n} x {gpu}?")
    return Task(tid, prompt, ("kv_cache_bytes", "memory_fit"),
                lambda a: mentions_number(a, kv) and verdict in a.lower() and
                (fit.fits or "it fits" not in a.lower()),
                f"{kv:,.1f} GB; {verdict}")


def _docs_task(tid: str, question_id: str) -> Task:
    from techpm.rag.eval import all_questions

    q = next(q for q in all_questions() if q.id == question_id)
    return Task(tid, f"Quote the Python reference: {q.question}", ("search_docs",),
                lambda a: quotes_relevant_section(a, q.relevant), "quotes one of: " + ", ".join(q.relevant), 3)


@cache
def task_set() -> tuple[Task, ...]:
    """The lesson's tasks: sizing, pricing, reliability, evals, Python, documentation (and one out of scope)."""
    haiku, sonnet = "claude-haiku-5-5", "claude-sonnet-5-5"
    ws = calc.wilson_interval(41, 50)
    return (
        _kv_fit_task("kv-70b", "llama-3.1-70b", 32_768, 8, 2, "h100-sxm"),
        _kv_fit_task("kv-8b", "llama-3.1-8b", 8_192, 16, 1, "h100-sxm"),
        _number_task("gpus-405b", "How many h100-sxm GPUs does llama-3.1-405b need for 4 users at 8,192 tokens?",
                     ("min_gpus",), calc.min_gpus("llama-3.1-405b", "h100-sxm", 4, 8_192), "GPU count"),
        _number_task("cost-haiku", f"What do 1,000 requests of 2,000 input and 500 output tokens cost on {haiku}?",
                     ("api_cost_usd",), calc.api_cost_usd(haiku, 2_000_000, 500_000), "US dollars"),
        _number_task("cost-sonnet", f"What do 50,000 requests of 3,000 input and 400 output tokens cost on {sonnet}?",
                     ("api_cost_usd",), calc.api_cost_usd(sonnet, 150_000_000, 20_000_000), "US dollars"),
        _number_task("decode-8b", "How many tokens per second does llama-3.1-8b decode at batch 16 on h100-sxm?",
                     ("decode_tokens_per_s",), calc.decode_tokens_per_s("llama-3.1-8b", "h100-sxm", 16), "tokens/s"),
        _number_task("success-12", "What is the chance that an agent finishes 12 steps at 95% success per step "
                     "with 1 retry per step?", ("agent_success_probability",),
                     calc.agent_success_probability(0.95, 12, 1), "probability"),
        _number_task("retries-99", "How many retries per step lift a 20-step agent to 99% task success at 90% "
                     "per step?", ("retries_for_target_success",), calc.retries_for_target_success(0.9, 20, 0.99),
                     "retries"),
        _number_task("loop-tokens", "How many input tokens does a loop of 15 steps bill, with a 3,000-token system "
                     "prompt and 600 tokens per step?", ("agent_loop_input_tokens",),
                     calc.agent_loop_input_tokens(15, 3_000, 600), "tokens"),
        Task("wilson-41", "An agent solved 41 of 50 eval tasks: what is the 95% confidence interval for its "
             "success rate?", ("wilson_interval",),
             lambda a: mentions_number(a, ws[0]) and mentions_number(a, ws[1]), f"{ws[0]:.1%} to {ws[1]:.1%}"),
        _number_task("py-squares", "Compute with Python: sum(i * i for i in range(1, 101))", ("run_python",),
                     sum(i * i for i in range(1, 101)), "the sum"),
        _number_task("py-dates", "Compute with Python: (__import__('datetime').date(2026, 12, 25) - "
                     "__import__('datetime').date(2026, 11, 29)).days", ("run_python",), 26, "days"),
        Task("floor-div", "What does -7 // 2 evaluate to in Python? Run it, then find the rule on "
             "floor division of integers in the reference.", ("run_python", "search_docs"),
             lambda a: mentions_number(a, -7 // 2) and quotes_relevant_section(a, ("binary", "numbers", "integers")),
             f"{-7 // 2}, and a quote from the binary-operators section"),
        _docs_task("docs-with", "q01"),
        _docs_task("docs-nonlocal", "q03"),
        _docs_task("docs-q05", "q05"),
        _docs_task("docs-q08", "q08"),
        Task("haiku", "Write a haiku about KV caches.", (), lambda a: False, "(out of scope: no checkable answer)", 2),
    )


@dataclass(frozen=True)
class TaskResult:
    task: Task
    run: AgentRun
    success: bool
    trajectory_ok: bool
    trajectory_note: str


def trajectory_check(task: Task, run: AgentRun) -> tuple[bool, str]:
    """Did the run call every expected tool, no tool that failed, within the task's step budget?"""
    called = [c.name for c in run.tool_calls]
    missing = [t for t in task.expected_tools if t not in called]
    failed = [c.name for c in run.tool_calls if c.is_error]
    problems = ([f"missing {', '.join(missing)}"] if missing else []) + (
        [f"failed {', '.join(failed)}"] if failed else []) + (
        [f"{run.steps} steps > {task.max_steps}"] if run.steps > task.max_steps else [])
    return not problems, "; ".join(problems) or "ok"


def run_task(task: Task, **kwargs) -> TaskResult:
    run = run_agent(task.prompt, **kwargs)
    ok, note = trajectory_check(task, run)
    return TaskResult(task, run, bool(task.check(run.answer)), ok, note)


def run_suite(tasks: Sequence[Task] | None = None, **kwargs) -> list[TaskResult]:
    """Every task end to end (``kwargs`` go to ``run_agent``: backend, model, caching, ...)."""
    return [run_task(t, **kwargs) for t in (task_set() if tasks is None else tasks)]


@dataclass(frozen=True)
class SuiteSummary:
    tasks: int
    successes: int
    interval: tuple[float, float]
    trajectory_ok: int
    cost_usd: float
    cost_per_success_usd: float
    tool_calls: int
    steps: int


def summarize(results: Sequence[TaskResult], confidence: float = 0.95) -> SuiteSummary:
    """Success rate with its Wilson interval, trajectory passes, and cost per successful task."""
    n, k = len(results), sum(r.success for r in results)
    cost = sum(r.run.cost_usd for r in results)
    per_success = calc.cost_per_successful_task_usd(cost / n, k / n) if k else float("inf")
    return SuiteSummary(n, k, calc.wilson_interval(k, n, confidence), sum(r.trajectory_ok for r in results), cost,
                        per_success,
                        sum(len(r.run.tool_calls) for r in results), sum(r.run.steps for r in results))


def results_table(results: Sequence[TaskResult], *, wall_time: bool = False) -> str:
    """One line per task: steps, tool calls, prompt and output tokens, cost at list price, (wall time,)
    success and trajectory."""
    lines = [f"{'task':14s} {'steps':>5s} {'tools':>5s} {'in+cache tok':>12s} {'out tok':>7s} {'cost $':>9s}  "
             + ("  wall s  " if wall_time else "") + f"{'ok':2s}  trajectory"]
    for r in results:
        run = r.run
        prompt = run.tokens("input_tokens") + run.tokens("cache_write_tokens") + run.tokens("cache_read_tokens")
        lines.append(f"{r.task.id:14s} {run.steps:>5d} {len(run.tool_calls):>5d} {prompt:>12,d} "
                     f"{run.tokens('output_tokens'):>7,d} {run.cost_usd:>9.5f}  "
                     + (f"{run.wall_s:>7.3f}  " if wall_time else "") + f"{'✓' if r.success else '✗':2s}  "
                     f"{r.trajectory_note}")
    return "\n".join(lines)


def session_tasks(n: int = 48) -> tuple[Task, ...]:
    """A long working session for the memory comparison: ``n`` sizing, pricing and eval tasks whose
    parameters vary (deterministically), so that many episodes look alike, as in a real session."""
    import itertools

    models = ("llama-3.1-8b", "llama-3.1-70b", "mistral-7b", "llama-2-13b")
    contexts, users, gpus = (4_096, 8_192, 32_768), (1, 4, 8, 16), (1, 2, 4)
    prices = ("claude-haiku-5-5", "claude-sonnet-5-5", "claude-opus-5-5")
    combos = itertools.product(range(3), models, contexts, users, gpus)
    out: list[Task] = []
    for i, (kind, cfg, ctx, u, g) in enumerate(combos):
        if len(out) >= n:
            break
        if i % 7:  # spread the picks over the grid
            continue
        if kind == 0:
            out.append(_kv_fit_task(f"s{len(out):02d}", cfg, ctx, u, g, "h100-sxm"))
        elif kind == 1:
            model = prices[len(out) % 3]
            out.append(_number_task(f"s{len(out):02d}", f"What do {u * 1_000:,} requests of {ctx:,} input and "
                                    f"{ctx // 8:,} output tokens cost on {model}?", ("api_cost_usd",),
                                    calc.api_cost_usd(model, u * 1_000 * ctx, u * 1_000 * (ctx // 8)), "US dollars"))
        else:
            k = 20 + (len(out) * 7) % 29
            out.append(Task(f"s{len(out):02d}", f"An agent solved {k} of 50 eval tasks: what is the 95% confidence "
                            "interval for its success rate?", ("wilson_interval",), lambda a: True, "interval"))
    return tuple(out)
