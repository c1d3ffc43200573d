"""Agents: a model that plans and acts through tools over several steps, in a sandbox, with approvals."""

from __future__ import annotations

from techpm import calc
from techpm.generator.facets._calc import GPU, LARGE_MODEL, OPEN_MODEL, workload_cost
from techpm.generator.facets.base import Ctx, Facet, Persona
from techpm.generator.figures import duration, num, pct, usd

STEPS = 8
SYSTEM_TOKENS = 3_000        # instructions + tool schemas
OBSERVATION_TOKENS = 1_000   # one tool result
TURN_OUTPUT_TOKENS = 300
STEP_SUCCESS = 0.97          # chance one step (a model turn plus its tool call) goes right
TOOL_S = 1.0                 # seconds one tool call takes (a search, an API call, running tests takes longer)


def _figures(ctx: Ctx) -> None:
    steps_q = ctx.take("agent_steps")
    steps = int(max(1, min(steps_q.value, 10_000))) if steps_q else int(ctx.assume(
        "steps", STEPS, f"{STEPS} steps per task", "a plan, a few tool calls and a check"))
    per_step = OBSERVATION_TOKENS + TURN_OUTPUT_TOKENS
    total_in = calc.agent_loop_input_tokens(steps, SYSTEM_TOKENS, per_step)
    ctx.add("loop_tokens", f"Tokens one {ctx.values.get('item', 'task')} of {ctx.values['product']} reads", total_in,
            f"{num(total_in)} input tokens over {steps} steps: every step re-reads the conversation so far",
            f"{steps} x {num(SYSTEM_TOKENS)} + {num(per_step)} x {steps} x {steps + 1} / 2",
            "calc.agent_loop_input_tokens",
            f"{num(SYSTEM_TOKENS)} tokens of instructions and tool schemas, {num(OBSERVATION_TOKENS)} per tool "
            f"result, {TURN_OUTPUT_TOKENS} per model turn", uses=(steps_q,))
    plain = calc.agent_success_probability(STEP_SUCCESS, steps)
    one = calc.agent_success_probability(STEP_SUCCESS, steps, retries_per_step=1)
    ctx.add("task_success", "Tasks that finish without a person", one,
            f"{pct(plain)} of {steps}-step tasks with no retries, {pct(one)} with one retry per step",
            f"(step success)^{steps}; with a retry, (1 - {1 - STEP_SUCCESS:.2f}^2)^{steps}",
            "calc.agent_success_probability", f"{pct(STEP_SUCCESS)} per step, failures independent: errors "
            "compound with length", uses=(steps_q,))
    cached = calc.agent_loop_cost(LARGE_MODEL, steps, SYSTEM_TOKENS, per_step, TURN_OUTPUT_TOKENS,
                                  caching=True).total_usd
    ctx.values["task_cost_cached"] = usd(cached)
    ctx.values["steps"] = str(steps)
    ctx.values["task_success"] = pct(one)
    s = ctx.scale
    workload_cost(ctx, "task_cost", ctx.values.get("item", "task"), total_in, steps * TURN_OUTPUT_TOKENS,
                  s.per_month, uses=(s.users_from, s.per_day_from),
                  basis=f"uncached; with prompt caching a task costs {usd(cached)}")
    budget_q = ctx.take("latency_ms")
    if budget_q is not None:
        n_gpus = calc.min_gpus(OPEN_MODEL, GPU, 1, int(SYSTEM_TOKENS + steps * per_step))
        run = calc.agent_loop_latency(OPEN_MODEL, GPU, steps, SYSTEM_TOKENS, per_step, TURN_OUTPUT_TOKENS, TOOL_S,
                                      n_gpus=n_gpus, prefix_caching=True)
        task_s = run.total_s
        ok = task_s * 1000 <= budget_q.value
        ctx.add("task_time", f"Time per {ctx.values.get('item', 'task')} against the stated {budget_q.text}",
                task_s * 1000 / budget_q.value,
                f"{steps} steps of model time and {TOOL_S:g}-second tool calls take {duration(task_s)}: "
                f"{'within' if ok else 'over'} the {budget_q.text}",
                "sum over steps of (prefill of the new tokens + decode of the reply + tool time)",
                "calc.agent_loop_latency", f"{OPEN_MODEL} on {n_gpus} x {calc.get_gpu(GPU).name} with prefix "
                "caching, idle (a best case)", uses=(budget_q,))


FACET = Facet(
    name="agents",
    title="Agents that act through tools",
    cues=((r"\bagents?\b", 3), (r"agentic", 4), (r"tool[- ]use|tool calling|function calling|\btools\b", 2),
          (r"autonomous", 3), (r"computer use|\bbrows(?:e|er|ing)\b", 2), (r"multi[- ]step", 2),
          (r"take actions?|acts? on|book(?:s|ing)? |schedul|refund|cancel|transfer|reset password", 2),
          (r"coding (?:agent|assistant)|fixes bugs|pull requests?|\bmcp\b|workflow automation", 3),
          (r"code[- ]review|review(?:s|ing)? (?:code|pull requests|diffs?)|\bbot\b", 1)),
    boost=lambda b: 1.0 if b.first("agent_steps") else 0.0,
    threshold=3.0,
    concept_groups=(
        ("tool", "function call"),
        ("sandbox", "permission", "least privilege"),
        ("approval", "human in the loop", "confirm"),
        ("loop", "step", "plan"),
    ),
    domain_terms=("tool schema", "sandbox", "agent loop", "tool_result"),
    scoping=(
        "Which actions may <<product>> take on its own (read, write, pay, send), and which need a person to "
        "approve before they happen?",
        "What does a finished <<item>> of <<product>> look like, and can success be checked by a tool (a record updated, tests "
        "passing) rather than by the model's word?",
        "When <<product>> fails halfway, can every action be undone or retried safely?",
    ),
    personas=(Persona("developer", "the engineer who exposes tools to <<product>>",
                      "writes integrations and reviews automation before it touches production",
                      "expert in the systems <<product>> will touch; wary of non-deterministic automation",
                      "agents that loop, call the wrong tool with confident arguments, or leave half-done <<items>>",
                      "typed tool schemas, dry runs, a trace of every step of <<product>> and a kill switch"),),
    stages=("<<item>> --> [planner: model + instructions + tool schemas] --> tool call --> [permission gate + sandbox]",
            "   ^--- observation (result or error) <-- [tools: lookups, actions, code] ; stop on goal checked, budget spent or approval needed"),
    components=(
        ("Start with a workflow", "Fixed steps (a chain, a router) where the path of a <<item>> of <<product>> "
         "is known; an open-ended loop only where it truly varies [[effective_agents]]."),
        ("Tools", "Each tool of <<product>> has a typed schema, a clear description and examples, and returns "
         "structured results [[tool_use]]; a standard protocol lets other agents reuse them [[mcp]]. Side "
         "effects go through a permission gate, least privilege by default for <<product>>."),
        ("The loop", "Reason, act, observe, repeat [[react]]: each of the <<steps>> steps re-reads the "
         "conversation, so the stable prefix is cached [[prompt_caching]], and budgets on steps, tokens and "
         "time stop runaway loops of <<product>>."),
    ),
    figures=_figures,
    deep_dive=("Reliability of a multi-step loop",
               "The quality of <<product>> is a product of its steps: at the per-step success assumed here, "
               "<<steps>>-step <<items>> finish on their own <<task_success>> of the time even with a retry, so "
               "reliability comes from checks at each step, safe retries and a person for the rest, not from a "
               "better prompt alone. Grade outcomes with a tool (is the record right, did the tests pass), in "
               "the style of SWE-bench [[swe_bench]], and track steps and cost per <<item>> beside success. "
               "Caching the growing conversation brings a <<item>> to <<task_cost_cached>>."),
    risks=(("Unsafe actions", "<<product>> can do harm once it can act: least-privilege tools, sandboxes, "
            "approvals for irreversible steps and an audit log of every action [[owasp_llm]]."),
           ("Prompt injection", "content <<product>> reads can carry instructions [[prompt_injection]]: keep it "
            "out of the instruction channel and re-check permissions at every tool call.")),
    api=("POST /v1/tasks               {goal, tools, budget: {max_steps, max_usd}, approval: \"on_write\"}",
         "GET  /v1/tasks/{id}/events   (SSE: step, tool call, approval needed, done)",
         "POST /v1/tasks/{id}/approve  {step_id, decision}"),
    api_notes="A caller of <<product>> sets a step and spend cap per task, so a looping agent never "
              "surprises anyone with its bill.",
    metrics=(("<<item_title>> success rate, checked by tools", ">= 80% on the task suite", "the headline quality of <<product>>"),
             ("Actions of <<product>> taken without a required approval", "0", "a hard line, audited"),
             ("<<items_title>> needing a person to finish", "< 15%", "where <<product>> still falls short")),
    users_noun="users",
    item_noun="tasks",
    tradeoffs=(
        ("Autonomy", "approval on every write",
         "full autonomy for reversible, low-stakes <<items>> once the undo rate of <<product>> is low"),
        ("Structure", "a fixed workflow where steps are known",
         "an open loop where the path of a <<item>> of <<product>> truly varies"),
    ),
    recommendation="Ship <<product>> as a constrained workflow first, with approvals on every write, and widen "
                   "autonomy one tool at a time as the measured success and undo rates allow.",
)
