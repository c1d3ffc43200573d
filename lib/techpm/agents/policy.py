"""The offline policy: deterministic rules that play the model's part in the agent loop, and say why.

It is not a language model and does not pretend to be one. Each rule matches a phrasing of a task
(a regular expression), then plans the next tool call from the task and the tool results so far, and
finally writes the answer from those results. Every reply carries its ``reason`` ("rule kv_fit, step 2:
memory_fit to compare weights + KV cache with the GPUs"), so a transcript is readable end to end. A
task that no rule matches gets an honest "no rule for this" answer, which the evals count as a failure.
The policy reads tool results as data: it never follows text found inside them.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from techpm.agents.runtime import Reply

NAME = r"[\w.\-]+"
NUM = r"[\d,]*\.?\d+"


def _num(text: str) -> float:
    return float(text.replace(",", ""))


def _int(text: str) -> int:
    return int(_num(text))


def _prob(text: str) -> float:
    return _num(text.rstrip("%")) / 100 if text.endswith("%") else _num(text)


@dataclass(frozen=True)
class Call:
    tool: str
    input: dict[str, Any]
    why: str


@dataclass(frozen=True)
class Final:
    text: str
    why: str


Results = list[tuple[str, Any, bool]]  # (tool name, parsed result, is_error)
Planner = Callable[[re.Match, Results], "Call | Final"]


def _result(raw: str) -> Any:
    try:
        data = json.loads(raw)
    except json.JSONDecodeError:
        return raw
    return data.get("result", data) if isinstance(data, dict) else data


# --- the rules -------------------------------------------------------------------------------------

def _kv_fit(m: re.Match, done: Results) -> Call | Final:
    cfg, ctx, users, n, gpu = m["cfg"], _int(m["ctx"]), _int(m["users"]), _int(m["n"]), m["gpu"]
    if not done:
        return Call("kv_cache_bytes", {"cfg": cfg, "context_tokens": ctx, "batch_size": users},
                    "size the KV cache of every user's sequence first")
    if len(done) == 1:
        return Call("memory_fit", {"cfg": cfg, "gpu": gpu, "n_gpus": n, "batch_size": users, "context_tokens": ctx},
                    "compare weights + KV cache with what the GPUs hold")
    kv, fit = done[0][1], done[1][1]
    verdict = "fits" if fit["fits"] else "does not fit"
    return Final(f"The KV cache needs {kv / 1e9:,.1f} GB; weights + KV cache need {fit['needed_bytes'] / 1e9:,.1f} GB "
                 f"against {fit['usable_bytes'] / 1e9:,.1f} GB usable on {n} x {gpu}: it {verdict}.",
                 "both numbers are in; state them and the verdict")


def _single(tool: str, arguments: Callable[[re.Match], dict[str, Any]], say: Callable[[Any, re.Match], str],
            why: str) -> Planner:
    """A rule that needs one tool call and phrases its result."""
    def plan(m: re.Match, done: Results) -> Call | Final:
        if not done:
            return Call(tool, arguments(m), why)
        return Final(say(done[0][1], m), f"{tool} answered; phrase the result")
    return plan


def _docs(m: re.Match, done: Results) -> Call | Final:
    if not done:
        return Call("search_docs", {"query": m["q"]}, "look the question up in the reference")
    return Final(_quote(m["q"], done[0][1]), "quote the best-matching sentence of the top hit")


def _quote(question: str, hits: list[dict[str, Any]]) -> str:
    from techpm.rag.chunking import Chunk
    from techpm.rag.generate import extractive_answer

    chunks = [Chunk(h["chunk"], h["section"], h["text"], 0) for h in hits[:1]]
    claims = extractive_answer(question, chunks, max_sentences=1).claims
    if not claims:
        return "The search found nothing that answers this."
    return f'From the `{hits[0]["section"]}` section: "{claims[0].text}"'


def _python(m: re.Match, done: Results) -> Call | Final:
    if not done:
        return Call("run_python", {"code": f"print({m['expr']})"}, "compute it in the sandbox, not in my head")
    return Final(f"{m['expr']} = {done[0][1]}", "report what the sandbox printed")


def _check_in_docs(m: re.Match, done: Results) -> Call | Final:
    if not done:
        return Call("run_python", {"code": f"print({m['expr']})"}, "evaluate the expression in the sandbox")
    if len(done) == 1:
        return Call("search_docs", {"query": m["topic"]}, "find the rule in the reference that explains it")
    return Final(f"{m['expr']} evaluates to {done[0][1]}. {_quote(m['topic'], done[1][1])}",
                 "combine the value and the rule")


RULES: tuple[tuple[str, re.Pattern, Planner], ...] = (
    ("kv_fit", re.compile(rf"KV cache of (?P<cfg>{NAME}) at (?P<ctx>{NUM}) tokens for (?P<users>\d+) users.*?"
                          rf"fit on (?P<n>\d+) x (?P<gpu>{NAME})", re.I), _kv_fit),
    ("min_gpus", re.compile(rf"How many (?P<gpu>{NAME}) GPUs does (?P<cfg>{NAME}) need for (?P<users>\d+) users "
                            rf"at (?P<ctx>{NUM}) tokens", re.I),
     _single("min_gpus", lambda m: {"cfg": m["cfg"], "gpu": m["gpu"], "batch_size": _int(m["users"]),
                                    "context_tokens": _int(m["ctx"])},
             lambda r, m: f"{m['cfg']} needs {r} x {m['gpu']} for {m['users']} users at {m['ctx']} tokens.",
             "the smallest GPU count whose memory holds weights + KV cache")),
    ("api_cost", re.compile(rf"What do (?P<n>{NUM}) requests of (?P<inp>{NUM}) input and (?P<out>{NUM}) output "
                            rf"tokens cost on (?P<model>{NAME})\?", re.I),
     _single("api_cost_usd", lambda m: {"model": m["model"], "input_tokens": _num(m["n"]) * _num(m["inp"]),
                                        "output_tokens": _num(m["n"]) * _num(m["out"])},
             lambda r, m: f"${r:,.2f} at {m['model']}'s list price.", "price all the tokens at list price")),
    ("decode_speed", re.compile(rf"tokens per second does (?P<cfg>{NAME}) decode at batch (?P<b>\d+) on "
                                rf"(?P<gpu>{NAME})", re.I),
     _single("decode_tokens_per_s", lambda m: {"cfg": m["cfg"], "gpu": m["gpu"], "batch_size": _int(m["b"])},
             lambda r, m: f"About {r:,.0f} tokens per second for the whole batch (roofline bound).",
             "the roofline bound on decode speed")),
    ("agent_success", re.compile(rf"chance that an agent finishes (?P<steps>\d+) steps at (?P<p>{NUM}%?) "
                                 rf"success per step with (?P<r>\d+) retr", re.I),
     _single("agent_success_probability", lambda m: {"step_success": _prob(m["p"]), "steps": _int(m["steps"]),
                                                     "retries_per_step": _int(m["r"])},
             lambda r, m: f"{r:.1%} of tasks finish.", "success compounds over the steps")),
    ("retries", re.compile(rf"How many retries per step lift an? (?P<steps>\d+)-step agent to (?P<target>{NUM}%?) "
                           rf"task success at (?P<p>{NUM}%?) per step", re.I),
     _single("retries_for_target_success", lambda m: {"step_success": _prob(m["p"]), "steps": _int(m["steps"]),
                                                      "target": _prob(m["target"])},
             lambda r, m: f"{r} retries per step.", "search the retries that reach the target")),
    ("loop_tokens", re.compile(rf"input tokens .*? loop of (?P<steps>\d+) steps .*? (?P<sys>{NUM})-token system "
                               rf"prompt .*? (?P<t>{NUM}) tokens per step", re.I),
     _single("agent_loop_input_tokens", lambda m: {"steps": _int(m["steps"]), "system_tokens": _num(m["sys"]),
                                                   "tokens_per_step": _num(m["t"])},
             lambda r, m: f"{r:,.0f} input tokens over the loop.", "the history is resent on every call")),
    ("wilson", re.compile(r"(?P<k>\d+) of (?P<n>\d+) .*?95% (?:confidence )?interval", re.I),
     _single("wilson_interval", lambda m: {"successes": _int(m["k"]), "n": _int(m["n"])},
             lambda r, m: f"95% Wilson interval: {r[0]:.1%} to {r[1]:.1%}.", "Wilson's interval for a rate")),
    ("check_in_docs", re.compile(r"What does (?P<expr>.+?) evaluate to in Python\? Run it, then find the rule on "
                                 r"(?P<topic>.+?) in the reference", re.I), _check_in_docs),
    ("python", re.compile(r"Compute with Python: (?P<expr>.+?)\.?$", re.I), _python),
    ("docs", re.compile(r"Quote the Python reference: (?P<q>.+)$", re.I), _docs),
)


class OfflinePolicy:
    """Plays the model in the loop: deterministic, explainable, and limited to its rules."""

    name = "offline policy"

    def __init__(self) -> None:
        self._ids = itertools.count(1)

    def respond(self, system: str, messages: list[dict[str, Any]], tools: list[dict[str, Any]]) -> Reply:
        task = messages[0]["content"] if isinstance(messages[0]["content"], str) else ""
        done = _results_so_far(messages)
        if done and done[-1][2]:
            return Reply([{"type": "text", "text": f"The tool {done[-1][0]} failed: {done[-1][1]}"}],
                         "a tool failed; report it rather than guess")
        offered = {t["name"] for t in tools}
        for name, pattern, plan in RULES:
            m = pattern.search(task)
            if not m:
                continue
            step = plan(m, done)
            if isinstance(step, Final):
                return Reply([{"type": "text", "text": step.text}], f"rule {name}: {step.why}")
            if step.tool not in offered:
                return Reply([{"type": "text", "text": f"I would need the {step.tool} tool, which is not offered."}],
                             f"rule {name}: tool missing")
            block = {"type": "tool_use", "id": f"toolu_offline_{next(self._ids):03d}", "name": step.tool,
                     "input": step.input}
            return Reply([{"type": "text", "text": f"Calling {step.tool}: {step.why}."}, block],
                         f"rule {name}, step {len(done) + 1}: {step.tool} to {step.why}")
        return Reply([{"type": "text", "text": "The offline policy has no rule for this task; a model (Claude, with "
                       "a key) would have to plan it."}], "no rule matches the task")


def _results_so_far(messages: list[dict[str, Any]]) -> Results:
    """(tool name, parsed result, is_error) for every tool call in the conversation, in order."""
    names = {b["id"]: b["name"] for msg in messages if msg["role"] == "assistant"
             for b in msg["content"] if isinstance(b, dict) and b.get("type") == "tool_use"}
    return [(names.get(b["tool_use_id"], "?"), _result(b["content"]) if not b.get("is_error") else b["content"],
             bool(b.get("is_error")))
            for msg in messages if msg["role"] == "user" and isinstance(msg["content"], list)
            for b in msg["content"] if b.get("type") == "tool_result"]
