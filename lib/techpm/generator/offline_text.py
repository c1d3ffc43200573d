"""The written parts of an offline answer, per kind of question: scoping questions, personas, the
whiteboard diagram, the design, the deep dive, what is hard, the API sketch and the metrics.

Text holds two kinds of placeholder, filled by ``offline.py``: ``<<name>>`` for a value of the scenario
(``<<user_noun>>``, ``<<documents>>``, ``<<model_large>>``, ...) and ``[[key]]`` for an inline link to a
source in ``references.py``. Numbers never appear here: the deep dive's numbers come from
``offline_numbers`` and are inserted where the text asks for them.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["KIND_TEXT", "KindText", "Persona", "COMMON_SCOPING"]


@dataclass(frozen=True)
class Persona:
    name: str
    today: str
    sophistication: str
    frustrations: str
    needs: str


@dataclass(frozen=True)
class KindText:
    scoping: tuple[str, ...]
    developer: Persona
    end_user: Persona
    diagram: str
    design: tuple[tuple[str, str], ...]
    deep_dive_title: str
    deep_dive: str
    hard_parts: tuple[tuple[str, str], ...]
    api: str
    metrics: tuple[tuple[str, str, str], ...]
    decision: str


COMMON_SCOPING = (
    "Where must it run: our cloud, the customer's VPC, or on-premises? Are there data-residency or "
    "retention rules (how long may we keep prompts and outputs, and may we train on them)?",
    "Is this an MVP to learn from in weeks, or a production system with an SLA from day one?",
)

_API_JOURNEY = (
    "**Developer journey.** Sign up and get a key in the console; a first call from a copy-paste "
    "quickstart in under five minutes; a sandbox with sample data; then production: idempotency keys, "
    "webhooks for long jobs, usage dashboards and alerts on spend. Docs follow the same path: quickstart, "
    "guides per use case, full reference, and a changelog.\n\n"
    "**Versioning.** Date-pinned API versions, so improvements ship without breaking old integrations "
    "[[stripe_versioning]]; a model id pinned per request, with deprecation notices months ahead.\n\n"
    "**Rate limits and quotas.** Per-key token buckets on requests and tokens per minute, by tier; a 429 "
    "with `retry-after` rather than a silent queue [[rate_limits]]."
)

KIND_TEXT: dict[str, KindText] = {
    # ------------------------------------------------------------------------------------------------
    "rag": KindText(
        scoping=(
            "What is in the corpus (<<document_noun>>: scanned or born-digital, how long, how many languages), "
            "how fast does it change, and who may see which document? Access control must survive retrieval.",
            "What questions do <<user_noun>> ask: lookups of a clause, comparisons across many "
            "<<document_noun>>, or summaries? Each needs a different retrieval depth.",
            "How right must an answer be, and what happens when it is wrong? Is \"I could not find it\" "
            "acceptable, and must every claim cite a passage?",
            "How many people ask, how often, and at what peak? What latency do they tolerate: an instant "
            "answer or a thorough one in 20 seconds?",
            "Which systems hold the documents today (a DMS, SharePoint, a data room), and where must answers "
            "appear (search bar, chat, the editor they already use)?",
            "What evaluation data exists: past questions with known answers, or experts who can label 200 of them?",
        ),
        developer=Persona(
            "The platform engineer who integrates and runs it",
            "wires document stores into search indexes by hand, with keyword search and brittle scripts",
            "strong backend skills; new to embeddings, rerankers and evaluating generated text",
            "silent failures: a changed PDF layout breaks parsing and nobody notices; no way to tell a "
            "retrieval miss from a generation error",
            "ingestion connectors, per-stage traces (which chunks, which scores), an eval harness in CI",
        ),
        end_user=Persona(
            "<<user_noun_title>>",
            "search by keyword, open a dozen <<document_noun>>, skim, copy passages into notes",
            "experts in their domain, not in AI; they will check a citation before they trust an answer",
            "missed documents, slow search, and tools that sound confident and are wrong",
            "answers with the exact passage cited, a clear \"not found\", and speed when they are in a hurry",
        ),
        diagram="""\
 <<document_noun_title>> --> [parse + clean] --> [chunk ~<<chunk>> tok + context] --> [embed] --> (vector index)
                                                                          \\--> (BM25 index)
 user question --> [rewrite/expand] --> [hybrid search: BM25 + vectors] --> [rerank top 50 -> top <<k>>]
        --> [prompt: instructions + <<k>> chunks + question] --> [LLM, streaming] --> [cite-check] --> answer
        \\--> [ACL filter: only documents this user may read]            logs + traces --> (eval store)""",
        design=(
            ("Ingestion", "Parse <<document_noun>> (OCR for scans), split on structure (sections, clauses) "
             "into chunks of about <<chunk>> tokens with a little overlap, and prepend a one-line context to "
             "each chunk (which document, which section) before embedding; this alone cuts failed retrievals "
             "markedly [[contextual_retrieval]]. Store chunk text, metadata and access-control lists together."),
            ("Retrieval", "Hybrid search: BM25 catches exact terms (names, clause numbers, defined terms) and "
             "dense vectors catch paraphrase; fuse the two rankings, then rerank the top 50 with a "
             "cross-encoder and keep the best <<k>> [[contextual_retrieval]]. An HNSW index gives "
             "millisecond nearest-neighbour search at this scale [[hnsw]]. Filter by the user's permissions "
             "before ranking, never after."),
            ("Generation", "Put the strongest chunks first and last in the prompt, since models use the "
             "middle of a long context least [[lost_middle]]; ask for an answer that quotes and cites chunk "
             "ids, and allow \"not found\". Stream tokens to the user [[rag]]."),
            ("Model layer", "A router sends simple lookups to <<model_small>> and multi-document analysis to "
             "<<model_large>>; the instructions and tool definitions are a cached prefix [[prompt_caching]]."),
            ("Storage and serving", "Vector and keyword indexes, a document store, conversation history per "
             "user, and an eval store of logged questions, retrieved chunks and feedback. Real-time serving "
             "for questions; batch jobs at half price for re-embedding and nightly evals [[batches]]."),
            ("Production concerns", "Incremental re-indexing when <<document_noun>> change, with a freshness "
             "metric; fallbacks (keyword-only search if the vector store is down); per-stage tracing; "
             "gradual rollout of new embedding or prompt versions behind an A/B flag."),
        ),
        deep_dive_title="Retrieval quality, end to end",
        deep_dive=(
            "A RAG answer fails in one of two places, and the fix differs: **retrieval** (the right passage "
            "was not among the <<k>> chunks) or **generation** (it was there, and the model ignored or "
            "distorted it). Measure them apart. Retrieval: recall@<<k>> and MRR on a golden set of "
            "questions labelled with the passages that answer them. Generation: faithfulness (is every "
            "claim supported by a cited chunk?) and answer relevance, graded by an LLM judge calibrated on "
            "human labels [[ragas]] [[llm_judge]].\n\n"
            "Chunk size is the first dial: small chunks retrieve precisely but lose context; large ones "
            "dilute the embedding. Contextual chunk headers, hybrid search and reranking each cut misses, and "
            "they stack [[contextual_retrieval]]. Long context is not a substitute at this corpus size: "
            "even a window that could hold hundreds of chunks costs that many tokens on every question and "
            "buries the answer in the middle [[lost_middle]]. Fine-tuning teaches style and format, not "
            "facts that change weekly: retrieve facts, fine-tune behaviour."
        ),
        hard_parts=(
            ("Hallucination", "detect it by checking that each cited chunk supports its claim (an NLI model "
             "or an LLM judge) and by sampling consistency [[selfcheck]]; mitigate by grounding, quoting and "
             "allowing abstention [[reduce_hallucinations]]; measure the unsupported-claim rate weekly on "
             "sampled traffic."),
            ("Evaluation", "no public benchmark matches these <<document_noun>>: build a golden set with "
             "domain experts, keep it out of every prompt and few-shot example, and refresh it as usage shifts."),
            ("Safety and security", "indirect prompt injection: a document can carry instructions that "
             "hijack the model [[prompt_injection]]; treat retrieved text as data, never as instructions, and "
             "enforce permissions before retrieval so no answer leaks a document the user may not open."),
        ),
        api=(
            "**API surface.** REST with server-sent-event streaming, and Python/TypeScript SDKs:\n\n"
            "```http\nPOST /v1/answers          {question, collection_id, filters, stream: true}\n"
            "  -> events: retrieval {chunks:[{doc_id, chunk_id, score}]}, text deltas, citations, done\n"
            "POST /v1/collections/{id}/documents   (upload or connector sync; async, webhook when indexed)\n"
            "GET  /v1/answers/{id}/trace          (chunks, scores, prompt version: for debugging)\n"
            "POST /v1/answers/{id}/feedback       {rating, correct_passage_id}\n```\n\n" + _API_JOURNEY +
            "\n\n**Pricing.** Seats for the end-user product; for the platform, per indexed document-month "
            "plus per question, with the model cost passed through at a margin."
        ),
        metrics=(
            ("Retrieval recall@<<k>> (golden set)", ">= 90%", "the answer can only be as good as what is retrieved"),
            ("Faithfulness (claims supported by citations)", ">= 95%", "the trust bar for <<user_noun>>"),
            ("\"Not found\" when the corpus has no answer", ">= 90% of such questions", "abstaining beats inventing"),
            ("Time to first token, p95", "<<ttft_target>>", "perceived speed while the answer streams"),
            ("Cost per question", "<= <<cost_per_request>>", "from the deep dive; watch it weekly"),
            ("Index freshness", "changes searchable within 1 hour", "stale answers erode trust"),
            ("Weekly active <<user_noun>> / all <<user_noun>>", "> 60% after 3 months", "adoption"),
            ("Answers with a citation clicked or copied", "rising", "a sign the answer was used"),
        ),
        decision=(
            "Start with hybrid retrieval, reranking and a cited, streamed answer on the small model for "
            "lookups; ship to a pilot group with a golden set of a few hundred expert-labelled questions, "
            "and move hard questions to the large model only where the eval shows it helps."
        ),
    ),
    # ------------------------------------------------------------------------------------------------
    "agent": KindText(
        scoping=(
            "Which tasks, end to end, and what does \"done\" look like for each? Can success be checked "
            "automatically (tests pass, a form validates) or only by a person?",
            "Which tools may the agent call, with what permissions: read-only, or can it write, send, pay or "
            "deploy? Which actions need a human to approve?",
            "How long may a task take and cost: seconds in a chat, or minutes in the background with a "
            "notification at the end?",
            "How many tasks a day, at what peak, and how many steps does a typical task take today by hand?",
            "What context must it carry across sessions: user preferences, past tasks, project state?",
            "What happens when it fails halfway: can every action be undone or retried safely?",
        ),
        developer=Persona(
            "The engineer who exposes tools to the agent",
            "writes scripts and integrations; reviews automation before it touches production",
            "expert in their systems; skeptical of non-deterministic automation",
            "agents that loop, call the wrong tool with confident arguments, or leave half-done changes",
            "typed tool schemas, dry-run modes, full traces of every step, and kill switches",
        ),
        end_user=Persona(
            "<<user_noun_title>>",
            "do the multi-step task by hand across several tools, or file a ticket and wait",
            "range from experts to novices; most will not read a trace",
            "busywork, waiting on others, and automation they cannot trust or correct",
            "a result they can check quickly, a clear summary of what was done, and an undo",
        ),
        diagram="""\
 task --> [planner: model + instructions + tool schemas] --> tool call --> [sandbox / permission gate]
              ^                                                                   |
              |-------- observation (result, error) <-- [tool: search, code, API] <--
              |-- working memory: this task's messages (cached prefix)
              |-- long-term memory: (vector store of past tasks, user preferences)
 stop when: goal checked, budget (steps/tokens/time) spent, or human approval needed --> result + summary""",
        design=(
            ("Start simple", "Prefer a fixed workflow (chain, router, orchestrator-workers) when the steps are "
             "known; use an open-ended agent only where the path truly varies [[effective_agents]]."),
            ("Tool layer", "Each tool has a typed schema, a clear description and examples; results come back "
             "as tool_result blocks [[tool_use]]; a standard protocol lets tools be reused across agents "
             "[[mcp]]. Tools are idempotent where possible, and side effects go through a permission gate."),
            ("The loop", "Reason, act, observe, repeat [[react]]: each step re-reads the conversation, so the "
             "prompt grows; the stable prefix (instructions, tool schemas) is cached [[prompt_caching]]. "
             "Budgets on steps, tokens and wall-clock time stop runaway loops."),
            ("Memory", "Short-term: the task's messages, summarised when they grow long. Long-term: a store of "
             "past tasks and preferences retrieved like RAG, never trusted as instructions."),
            ("Model layer", "<<model_large>> plans and handles hard steps; <<model_small>> handles "
             "classification, extraction and summaries of tool output."),
            ("Production concerns", "Sandboxed execution (containers without network by default), "
             "approvals for irreversible actions, full step traces, replay of failed tasks, and per-user "
             "rate limits [[rate_limits]]."),
        ),
        deep_dive_title="Reliability of a multi-step loop",
        deep_dive=(
            "An agent's quality is a product of its steps: small per-step error rates compound, so "
            "reliability comes from checks, retries and recovery at each step, not from a better prompt "
            "alone. Measure task success on a suite of realistic tasks with automatic checks (tests, "
            "validators), in the style of SWE-bench [[swe_bench]], and track cost and steps per task beside it.\n\n"
            "Cost grows faster than the number of steps, because every step re-reads the history; caching "
            "the prefix and summarising old observations keep it linear. Latency is the sum of model turns "
            "and tool time, so the product should run long tasks in the background and notify, rather than "
            "hold a spinner."
        ),
        hard_parts=(
            ("Safety of actions", "an agent that can act can do harm: least-privilege tools, sandboxes, "
             "approvals for irreversible steps, and audit logs [[owasp_llm]]."),
            ("Prompt injection", "web pages, emails and files the agent reads can carry instructions "
             "[[prompt_injection]]: keep untrusted content out of the instruction channel and re-check "
             "permissions at each tool call."),
            ("Evaluation", "tasks have many valid paths: grade outcomes (did the tests pass, is the record "
             "right) rather than transcripts, and keep a regression suite of past failures."),
            ("Hallucination", "the agent may claim success it did not achieve: verify the end state with a "
             "tool, not the model's word [[reduce_hallucinations]]."),
        ),
        api=(
            "**API surface.** Tasks are long-running, so the API is asynchronous:\n\n"
            "```http\nPOST /v1/tasks                 {goal, tools:[...], budget:{max_steps, max_usd}, approval: \"on_write\"}\n"
            "GET  /v1/tasks/{id}            -> status, steps[], cost_usd\n"
            "GET  /v1/tasks/{id}/events     (SSE: step started, tool called, approval needed, done)\n"
            "POST /v1/tasks/{id}/approve    {step_id, decision}\n"
            "POST /v1/tools                 {name, description, input_schema, endpoint}   (or an MCP server)\n```\n\n"
            + _API_JOURNEY + "\n\n**Pricing.** Per task or per step with a cap the caller sets, so a looping "
            "agent can never surprise anyone with its bill."
        ),
        metrics=(
            ("Task success rate (automatic checks)", ">= 80% on the task suite", "the headline quality number"),
            ("Steps and cost per successful task", "<= <<cost_per_request>>", "efficiency; catches loops"),
            ("Tasks needing human rescue", "< 10%", "where the product still falls short"),
            ("Unsafe or unapproved actions", "0", "a hard line, audited"),
            ("Time to first visible progress", "<<ttft_target>>", "users trust what they can watch"),
            ("Tasks delegated per active user per week", "rising", "adoption"),
            ("Undo rate", "< 5%", "a proxy for wrong actions"),
        ),
        decision=(
            "Ship a constrained workflow first (fixed tools, approvals on every write), measure task success "
            "on a suite of real tasks, and widen autonomy one tool at a time as the success rate and the "
            "undo rate allow."
        ),
    ),
    # ------------------------------------------------------------------------------------------------
    "inference": KindText(
        scoping=(
            "Which model (size, dense or mixture of experts, context length), and may we quantize or distil it?",
            "What traffic: requests per second at peak and on average, prompt and output lengths, and how "
            "bursty? Interactive chat or offline batch?",
            "What latency: time to first token and tokens per second per user, at which percentile?",
            "Which hardware can we get, in which regions, at what price, and is capacity reserved or on demand?",
            "Is the workload shared (many tenants, many fine-tuned variants) or one model for one product?",
            "What quality regression, if any, is acceptable for lower cost (quantization, smaller model)?",
        ),
        developer=Persona(
            "The ML platform engineer who runs the fleet",
            "tunes serving engines, batch sizes and GPU allocations; is paged at night",
            "deep systems expertise; measures everything",
            "GPU memory errors at peak, noisy neighbours, and cost reports that arrive a month late",
            "per-request metrics (queue, prefill, decode), autoscaling on the right signal, and safe rollouts",
        ),
        end_user=Persona(
            "<<user_noun_title>>",
            "wait for answers in chat and in products built on the model",
            "do not care how it is served; notice every pause",
            "a slow first token, stalls mid-answer, and errors at busy times",
            "a fast first token and a steady stream faster than they read",
        ),
        diagram="""\
 clients --> [API gateway: auth, rate limits, routing by model] --> [scheduler: queue per model, priorities]
     --> replica 1..N: [<<open_model>> on <<gpus_per_replica>> x <<gpu_name>>: continuous batching, paged KV cache]
            prefill (compute-bound) --> decode loop (memory-bound) --> streamed tokens
     --> [prefix cache] [speculative draft model] [metrics: TTFT, tokens/s, queue depth] --> autoscaler""",
        design=(
            ("Engine", "A serving engine with continuous batching, where new requests join the running "
             "batch at every step [[orca]]; a paged KV cache, so no memory is lost to fragmentation and "
             "larger batches fit [[vllm]]; and FlashAttention kernels [[flash_attention]]."),
            ("Replica shape", "Tensor parallelism inside one server to hold the weights and the KV cache; "
             "replicas behind a scheduler for throughput. Prefill is compute-bound and decode memory-bound "
             "[[scaling_book]], so long-prompt traffic and chat traffic may deserve separate pools."),
            ("Model layer", "The main model, a draft model for speculative decoding [[speculative]], and "
             "quantized variants behind flags (FP8, or INT4 with GPTQ or AWQ [[gptq]] [[awq]]); distillation into "
             "a smaller model for the high-volume easy tier [[distillation]]."),
            ("Scheduling and caching", "Priority queues per tier, prefix caching for shared system prompts, "
             "and admission control that sheds load with a 429 rather than timing out everyone."),
            ("Production concerns", "Autoscaling on queue depth and KV-cache utilisation (not CPU), canary "
             "rollouts of new engine versions, per-request traces, and capacity reserved for the peak."),
        ),
        deep_dive_title="Where the milliseconds and the dollars go",
        deep_dive=(
            "Two phases with different bottlenecks. **Prefill** processes the whole prompt at once and is "
            "limited by compute: it sets the time to first token. **Decode** produces one token per step "
            "per sequence and must read every weight and the KV cache each step: it is limited by memory "
            "bandwidth and sets tokens per second [[scaling_book]]. Batching shares each weight read among "
            "many sequences, so throughput per GPU (and cost per token) improves almost linearly with batch "
            "size until compute catches up or the KV cache fills memory; each user's speed drops a little.\n\n"
            "The KV cache is the memory that batching spends: its size per token is fixed by the model's "
            "shape (grouped-query attention shrinks it), and it grows with context length. Quantizing weights "
            "cuts the bytes read per step; quantizing the KV cache buys batch size. Speculative decoding "
            "trades spare compute for latency without changing outputs [[speculative]]."
        ),
        hard_parts=(
            ("Tail latency", "p99 is set by queueing at peak, long prompts and preemption, not by the average: "
             "measure queue time separately and cap prompt length per tier."),
            ("Quality under optimisation", "quantization and distillation can regress reasoning and long "
             "context more than perplexity shows: gate every change on the eval suite."),
            ("Capacity and cost", "GPUs are bought for the peak and paid at the trough: mix reserved and "
             "on-demand capacity, and move deferrable work to batch."),
            ("Safety", "serving is where abuse arrives: rate limits, classifiers in the request path, and "
             "per-key anomaly detection."),
        ),
        api=(
            "**API surface.** An OpenAI/Anthropic-style messages endpoint with streaming, plus batch:\n\n"
            "```http\nPOST /v1/messages       {model, messages, max_tokens, stream: true}   -> SSE token deltas + usage\n"
            "POST /v1/batches        {requests:[...]}  -> results within 24 h at a discount\n"
            "GET  /v1/models         (ids, context windows, prices, deprecation dates)\n```\n\n"
            + _API_JOURNEY + "\n\n**Pricing.** Per million input and output tokens (output costs more: it is "
            "the memory-bound phase), cached input at a discount, batch at half price [[pricing]] [[batches]]."
        ),
        metrics=(
            ("Time to first token, p50 / p95", "<<ttft_target>>", "what users feel first"),
            ("Output tokens/s per user, p50", ">= 30 (faster than reading)", "streaming speed"),
            ("Throughput per GPU (tokens/s)", "tracked against the roofline estimate", "efficiency"),
            ("Cost per million tokens", "<= <<cost_per_mtok>>", "from the deep dive"),
            ("Error rate (5xx + timeouts)", "< 0.1%", "reliability"),
            ("429s at peak", "< 1% of requests", "capacity planning"),
            ("GPU utilisation at peak", "60-80%", "headroom without waste"),
            ("Eval-suite score vs. the bf16 reference", "no regression beyond noise", "quality gate"),
        ),
        decision=(
            "Serve with continuous batching and a paged KV cache, size replicas for the peak with the numbers "
            "above, quantize to FP8 once the eval suite shows no regression, and add speculative decoding for "
            "the latency-sensitive tier."
        ),
    ),
    # ------------------------------------------------------------------------------------------------
    "evaluation": KindText(
        scoping=(
            "What decision will the evals drive: ship or not, which model, which prompt, or monitoring in "
            "production? Each needs a different suite and a different error bar.",
            "What does good look like for <<user_noun>>: correct, safe, on-policy, on-brand, fast? Who can "
            "label it, and how much do they agree with each other?",
            "What data exists: production logs (and may we use them?), past tickets, expert answers?",
            "How often will we run it: every prompt change in CI, nightly, before each release?",
            "What traffic do we have for online tests, and which product metric is the north star?",
            "Which failures are unacceptable at any rate (safety, privacy, legal)?",
        ),
        developer=Persona(
            "The ML engineer who changes prompts and models",
            "eyeballs a handful of outputs before shipping, or runs an ad-hoc script",
            "comfortable with code and statistics; short of time and labelled data",
            "regressions found by customers, and scores that move with noise",
            "an eval run in CI on every change, with error bars and a diff of what got worse",
        ),
        end_user=Persona(
            "<<user_noun_title>>",
            "use the product and occasionally click thumbs up or down",
            "varied; they judge by outcomes, not by metrics",
            "answers that were fine last week and wrong this week",
            "consistent quality; problems fixed once and stay fixed",
        ),
        diagram="""\
 sources: production logs (sampled, PII-scrubbed) + expert-written cases + adversarial cases + past bugs
     --> (golden set, versioned; held out of every prompt)
 candidate (model + prompt + retrieval version) --> [runner: batch API] --> outputs
     --> graders: [exact / programmatic checks] [LLM judge with rubric] [human review of a sample]
     --> [stats: score + confidence interval, paired diff vs. baseline] --> report, CI gate
 production --> [online metrics + A/B test] --> new failure cases --> back into the golden set""",
        design=(
            ("What to measure", "Accuracy against reference answers, instruction following, safety "
             "violations, hallucination rate, and task-specific checks (code runs, JSON validates); each "
             "with a rubric written down before grading [[helm]]."),
            ("Eval sets", "A golden set from real traffic and experts; adversarial and edge cases; a "
             "regression set of every past bug; domain-specific slices so a gain on average cannot hide a "
             "loss for one group."),
            ("Graders", "Programmatic checks where possible; an LLM judge with a rubric for open-ended "
             "answers, calibrated against human labels and checked for position and length bias "
             "[[llm_judge]]; humans for a sample and for disagreements."),
            ("Statistics", "Every score with a confidence interval; paired comparisons on the same items; "
             "enough items for the difference we care about [[error_bars]]."),
            ("Production concerns", "Runs through the batch API at half price [[batches]]; versioned "
             "datasets, prompts and graders; results stored for trend lines; the CI gate blocks a release "
             "on a significant regression."),
        ),
        deep_dive_title="Evals that can tell two versions apart",
        deep_dive=(
            "An eval is a measurement with noise: a score on a finite set is an estimate, and two versions "
            "are only different when the gap exceeds the error bars, computed on paired items "
            "[[error_bars]]. So the first design question is size: how many items for the margin we need, "
            "and how many days of traffic for an online test to see the effect we care about.\n\n"
            "Offline evals are fast and cheap but measure a proxy; online A/B tests measure the product "
            "metric but need traffic and time. Use both: offline to gate every change, online to confirm "
            "the big ones. LLM judges scale grading, but they prefer longer answers and the first of two "
            "options: swap positions, use a rubric, and keep measuring their agreement with people "
            "[[llm_judge]]."
        ),
        hard_parts=(
            ("Contamination", "public benchmarks leak into training data; private, refreshed sets are the "
             "ones to trust."),
            ("Goodhart's law", "a metric that becomes a target stops measuring: rotate items, read samples, "
             "and track several metrics."),
            ("Distribution shift", "users change what they ask; re-sample the golden set from recent "
             "traffic every quarter."),
            ("Hallucination measurement", "grade claims against sources or references, with consistency "
             "sampling as a cheap detector [[selfcheck]]."),
            ("Safety", "red-team sets for the unacceptable failures, reported as rates with upper bounds "
             "[[red_teaming]]."),
        ),
        api=(
            "**API surface.** Evals as a service for internal teams:\n\n"
            "```http\nPOST /v1/eval-runs   {dataset_id@version, candidate:{model, prompt_id}, graders:[...], baseline_run_id}\n"
            "GET  /v1/eval-runs/{id} -> scores with 95% intervals, paired diff vs. baseline, worst regressions\n"
            "POST /v1/datasets     (upload items; PII scan; dedupe against training data)\n```\n\n"
            + _API_JOURNEY + "\n\n**Pricing.** Internal: a budget per team in judge tokens; externally, per "
            "graded item."
        ),
        metrics=(
            ("Golden-set size per release gate", ">= <<eval_items>> items", "error bars narrow enough to decide"),
            ("Judge-human agreement (Cohen's kappa)", ">= 0.6", "the judge is trusted only while it agrees"),
            ("Time from change to eval result", "< 1 hour in CI", "so people actually run it"),
            ("Regressions caught before release / found by users", "rising / falling", "the eval's job"),
            ("Hallucination rate on sampled traffic", "tracked weekly, with an interval", "quality in production"),
            ("Product north star (e.g. resolution rate)", "moves with offline scores", "proof the evals matter"),
        ),
        decision=(
            "Build a versioned golden set of about the size computed above, gate every change on a paired "
            "comparison with error bars, calibrate an LLM judge on a few hundred human labels, and confirm "
            "major changes with an A/B test on the north-star metric."
        ),
    ),
    # ------------------------------------------------------------------------------------------------
    "finetuning": KindText(
        scoping=(
            "What behaviour must change, and have prompting, few-shot examples and retrieval already failed "
            "to produce it? Fine-tuning teaches behaviour and format, not fresh facts.",
            "What data exists: demonstrations of the right output, preference comparisons, or a rubric that "
            "an AI labeller could apply? How much, and may we use it?",
            "Which base model: an open model we host (which size?), or a hosted model's fine-tuning offer?",
            "How will we know it worked: which eval, and which regressions (safety, general skill) rule it out?",
            "Compute and timeline: GPUs available, budget, and how often we will retrain as data grows?",
            "Where will the tuned model be served, at what traffic and latency?",
        ),
        developer=Persona(
            "The ML engineer who trains and ships the model",
            "prompt-engineers around the model's weaknesses and curates examples in spreadsheets",
            "knows training loops; needs clean data pipelines and reproducible runs",
            "runs that improve the target metric and quietly break something else",
            "versioned data, eval suites that include regressions, and cheap experiments (adapters)",
        ),
        end_user=Persona(
            "<<user_noun_title>>",
            "use the product and correct its tone or format by hand",
            "not technical; notice style, refusals and consistency",
            "outputs that ignore house style, refuse reasonable requests, or vary run to run",
            "outputs they can use without editing",
        ),
        diagram="""\
 demonstrations --> [SFT] --> SFT model --+--> sample pairs --> [preference labels: people or AI] --+
                                          |                                                        |
                                          |     DPO: policy vs. frozen reference on the pairs  <---+
                                          |     or RLHF: [reward model] --> [PPO with KL penalty to the SFT model]
                                          v
                              [eval suite: target behaviour + safety + general skills] --> [serve: adapters / merged weights]""",
        design=(
            ("Try cheaper levers first", "System prompt, few-shot examples and retrieval; fine-tune when "
             "the behaviour must hold across many prompts or the prompt grows too long to pay for."),
            ("Supervised fine-tuning", "A few thousand to tens of thousands of high-quality demonstrations; "
             "LoRA adapters train a small fraction of the weights and can be swapped per customer [[lora]]."),
            ("Preference tuning", "RLHF: a reward model trained on human comparisons, then PPO against it "
             "with a KL penalty that keeps the policy near the SFT model [[instructgpt]] [[ppo]]. DPO "
             "optimises the same preferences directly, with no reward model or RL loop [[dpo]]. RLAIF and "
             "Constitutional AI replace most human labels with AI feedback against written principles "
             "[[rlaif]] [[cai]]."),
            ("Data pipeline", "Deduplicate, filter for quality, remove PII, hold out an eval split, and "
             "version everything so a regression can be traced to the data that caused it."),
            ("Serving", "Adapters on a shared base model for many variants; merged weights for one "
             "high-traffic model; distillation of a large tuned model into a small one for cost "
             "[[distillation]]."),
        ),
        deep_dive_title="RLHF, DPO and what each costs",
        deep_dive=(
            "RLHF runs in three stages: **SFT** on demonstrations teaches the format; a **reward model** "
            "learns from pairs of answers which one people prefer; **PPO** then updates the policy to earn "
            "reward while a KL penalty to the SFT model stops it drifting into outputs that game the reward "
            "model [[instructgpt]]. PPO keeps four models in memory (policy, value model, reference, reward "
            "model) and generates rollouts, which makes it the expensive, fiddly stage. DPO turns the same "
            "comparisons into a classification-style loss on the policy against a frozen reference: two "
            "models, no sampling loop, fewer knobs [[dpo]].\n\n"
            "Labels often cost more than compute. AI feedback against a written constitution cuts the label "
            "bill by orders of magnitude and reaches parity with human labels on some tasks [[rlaif]] "
            "[[cai]]; keep human labels for the eval set and for calibration."
        ),
        hard_parts=(
            ("Reward hacking", "the policy finds what the reward model overrates (length, flattery): detect "
             "it by watching KL, output length and human spot checks rather than reward alone; mitigate with "
             "the KL penalty and early stopping."),
            ("Safety regressions", "tuning for tone can erode safety training and general skills: measure "
             "them with the same eval suite before and after, not only the target behaviour."),
            ("Evaluation", "measure the preference win rate against the previous model, judged blind, with "
             "error bars [[error_bars]]."),
            ("Hallucination", "fine-tuning on facts the base model does not know can teach it to invent: "
             "mitigate by keeping facts in retrieval, and measure unsupported claims [[reduce_hallucinations]]."),
        ),
        api=(
            "**API surface.** For a fine-tuning product:\n\n"
            "```http\nPOST /v1/fine-tunes   {base_model, method: \"sft\" | \"dpo\", training_file, eval_file, hyperparameters}\n"
            "GET  /v1/fine-tunes/{id}  -> status, loss curves, eval results vs. base\n"
            "POST /v1/messages     {model: \"ft:<base>:<org>:<id>\", ...}   (served as an adapter)\n```\n\n"
            + _API_JOURNEY + "\n\n**Pricing.** Per training token, plus a per-token serving price for the "
            "tuned model (adapters keep it close to the base model's)."
        ),
        metrics=(
            ("Target-behaviour win rate vs. base (blind)", ">= 65%, interval excluding 50%", "did it work"),
            ("Safety and general-skill evals", "no regression beyond noise", "did it break anything"),
            ("Cost per training run", "<= <<ft_cost>>", "from the deep dive"),
            ("Edits users make to outputs", "falling", "the product effect"),
            ("Cost per request after tuning", "<= <<cost_per_request>>", "a smaller tuned model can pay for itself"),
        ),
        decision=(
            "Exhaust prompting and retrieval first; then SFT with LoRA on curated demonstrations, and DPO "
            "on AI-labelled preferences calibrated by a small human set; ship only when the blind win rate "
            "and the regression suite both pass."
        ),
    ),
    # ------------------------------------------------------------------------------------------------
    "api_platform": KindText(
        scoping=(
            "Who are the developers (startups, enterprises, hobbyists) and what do they build: chat, "
            "agents, batch pipelines?",
            "What is the unit of value we sell: tokens, requests, tasks, seats?",
            "Expected traffic: active developers, requests per second at peak, and how concentrated among "
            "the largest customers?",
            "What latency and uptime do we promise (SLA), per tier?",
            "Which surfaces: REST, streaming, SDKs in which languages, batch, webhooks?",
            "How do we ship new models and features without breaking existing integrations?",
        ),
        developer=Persona(
            "The application developer who integrates the API",
            "reads the quickstart, copies a snippet, then builds error handling and retries",
            "from prototype hackers to enterprise platform teams",
            "unclear errors, surprise rate limits, breaking changes, and bills they cannot predict",
            "a first call in minutes, stable versions, clear limits and usage dashboards",
        ),
        end_user=Persona(
            "The end users of the developers' apps",
            "never see our API, only the app built on it",
            "any",
            "slow or failing features in the apps they use",
            "fast, reliable answers: our latency and uptime become the app's",
        ),
        diagram="""\
 SDK / HTTP client --> [edge: TLS, auth by API key, org + tier lookup]
     --> [rate limiter: token buckets per key on requests/min and tokens/min] --429 + retry-after-->
     --> [router: model id, region, priority tier] --> [inference fleet] --> streamed response
     --> [usage metering: tokens in/out, cache reads] --> (billing) (dashboards) (alerts)
 [batch API] --> queue --> off-peak capacity --> results file + webhook""",
        design=(
            ("Surfaces", "REST with JSON, server-sent events for streaming, official SDKs that handle "
             "retries with backoff and typed errors, a batch endpoint for offline work [[batches]], and "
             "tool use [[tool_use]]."),
            ("Edge", "API keys per workspace, tiers that set limits, token-bucket rate limiting on requests "
             "and tokens per minute [[rate_limits]], and idempotency keys for safe retries."),
            ("Capacity", "Little's law sizes the fleet: requests in flight = arrival rate x time in system "
             "[[littles_law]]; priority tiers get reserved capacity; batch fills the troughs."),
            ("Metering and billing", "Count input, output, cache-write and cache-read tokens per request, "
             "as the usage object reports them; price each kind separately [[pricing]] [[prompt_caching]]."),
            ("Production concerns", "Regional failover, status page, per-key anomaly detection for abuse, "
             "and canary deploys of new model versions behind the same model alias."),
        ),
        deep_dive_title="Limits, pricing and capacity as one system",
        deep_dive=(
            "Rate limits protect capacity and fairness; pricing recovers the cost of that capacity; and "
            "capacity is sized for the peak the limits allow. Design them together. A token bucket lets a "
            "developer burst, then refills steadily, and answers the excess with a 429 and a retry-after "
            "instead of letting one customer's retry storm slow everyone [[rate_limits]]. Clients that retry "
            "with capped exponential backoff and jitter recover from transient errors without amplifying an "
            "outage.\n\n"
            "Pricing per token tracks cost closely, because cost per request varies a hundred-fold with "
            "prompt and output length; flat seats are simple for buyers but lose money on heavy users. "
            "Discounts for cached input and batch steer developers toward the traffic that is cheap to "
            "serve [[prompt_caching]] [[batches]]."
        ),
        hard_parts=(
            ("Abuse", "stolen keys, scraping and policy-violating use: anomaly detection per key, spend "
             "caps, and usage policies enforced by classifiers [[owasp_llm]]."),
            ("Backward compatibility", "behaviour changes of a model are breaking changes too: pin model "
             "versions, announce deprecations, and offer eval reports on the new version."),
            ("Evaluation", "developers need to know a new model is better for their use case: publish "
             "evals, and let them run their own through the batch API [[error_bars]]."),
            ("Hallucination and safety", "documented mitigation patterns (grounding, abstention) "
             "[[reduce_hallucinations]] and safety tooling developers can switch on."),
        ),
        api=(
            "**API surface.**\n\n"
            "```http\nPOST /v1/messages              {model, messages, tools?, stream?}   -> content + usage{input, output, cache_read, cache_write}\n"
            "POST /v1/messages/count_tokens (estimate before paying)\n"
            "POST /v1/messages/batches      (half price, within 24 h)\n"
            "GET  /v1/models                (ids, context window, price, deprecation date)\n"
            "Headers: x-api-key, anthropic-version: <date>, idempotency-key\n"
            "Errors: 400 invalid_request, 401 authentication, 429 rate_limit (retry-after), 529 overloaded\n```\n\n"
            + _API_JOURNEY + "\n\n**Pricing.** Per million input and output tokens by model, cache reads "
            "and batch at a discount, a free tier to start, volume commitments for enterprises."
        ),
        metrics=(
            ("Time to first successful call after sign-up", "< 10 minutes (median)", "activation"),
            ("Developers making a first call within 7 days of sign-up", "> 60%", "activation"),
            ("Monthly active developers; production integrations", "rising", "adoption"),
            ("Time to first token p95; 5xx rate", "<<ttft_target>>; < 0.1%", "reliability"),
            ("429s as a share of requests", "< 2%", "limits sized right"),
            ("Gross margin on tokens served", "> 50%", "from the pricing figure"),
            ("Developer NPS; support tickets per 1,000 developers", "> 40; falling", "satisfaction"),
            ("API spend; free-to-paid conversion", "rising", "revenue"),
        ),
        decision=(
            "Launch with per-token pricing, token-bucket limits per tier, SDKs that retry correctly, "
            "date-pinned versions and a batch endpoint; size the fleet from the peak with Little's law and "
            "watch activation and 429 rates weekly."
        ),
    ),
    # ------------------------------------------------------------------------------------------------
    "safety": KindText(
        scoping=(
            "Which harms matter most here (self-harm, violent extremism, fraud, privacy leaks, dangerous "
            "capabilities), and which policy defines them?",
            "Who are the users (consumers, minors, enterprises) and who are the likely attackers?",
            "What volume of <<request_noun>> a day, and what latency can a check add?",
            "What does a false positive cost (a refused customer) versus a false negative (harm, "
            "headlines, legal exposure)?",
            "What human review capacity exists, and what must be escalated?",
            "What is logged and kept, for how long, and who may read it?",
        ),
        developer=Persona(
            "The trust-and-safety engineer",
            "maintains keyword lists, reviews user reports, and writes rules after each incident",
            "expert in abuse patterns; not necessarily in ML",
            "rules that miss paraphrases, floods of false positives, no way to measure coverage",
            "classifiers with tunable thresholds, dashboards of violation rates, fast policy updates",
        ),
        end_user=Persona(
            "<<user_noun_title>>",
            "use the product for ordinary tasks",
            "any; some are vulnerable",
            "being refused for ordinary requests, or seeing harmful content",
            "helpful answers, and protection they never have to think about",
        ),
        diagram="""\
 user message --> [input classifier (small model): policy categories + score] --block/allow/flag-->
     --> [main model with safety-trained behaviour + system prompt] --> draft answer
     --> [output classifier] --block/allow/flag--> user
 flags --> [human review queue] --> decisions --> (labelled data) --> retrain classifiers, update evals
 [red team: internal + external + automated] --> new attacks --> eval set""",
        design=(
            ("Layers", "Safety training in the model itself [[cai]]; input and output classifiers in the "
             "request path, trained on a written policy [[llama_guard]] [[constitutional_classifiers]]; "
             "rate limits and account-level abuse detection; human review for the ambiguous middle."),
            ("Thresholds", "Each classifier outputs a score; thresholds per category trade false positives "
             "(refusing ordinary users) against false negatives (harm), set on a labelled eval set."),
            ("Red teaming", "Internal experts, external testers and automated attack generation, run "
             "before launch and continuously [[red_teaming]]; every success becomes a regression test."),
            ("Governance", "Capability evaluations decide which safeguards a model needs before release "
             "[[rsp]]; incident response with owners and timelines."),
            ("Production concerns", "Classifiers run in parallel with generation where possible so they add "
             "little latency; a fail-closed mode for the highest-risk categories; audit logs with strict access."),
        ),
        deep_dive_title="Precision, recall and proof",
        deep_dive=(
            "Every safety system trades false positives against false negatives, and both have users on "
            "the other end. Set thresholds per category from labelled data: strict where harm is severe, "
            "lenient where refusals are costly. Report violation rates with confidence intervals: a clean "
            "red-team run of a few hundred attacks bounds the true rate, it does not prove it is zero "
            "[[error_bars]].\n\n"
            "Jailbreaks evolve, so static filters decay. Classifiers trained on synthetic data generated "
            "from a written constitution can be updated when policy changes, and held up against thousands "
            "of hours of red teaming at a modest compute overhead [[constitutional_classifiers]]. Prompt "
            "injection is the same problem arriving through content the model reads [[prompt_injection]]."
        ),
        hard_parts=(
            ("Over-refusal", "users refused for ordinary requests leave; measure it with a benign eval set "
             "as carefully as the harmful one."),
            ("Evaluation", "harms are rare in traffic: enrich eval sets with adversarial examples, and "
             "report upper bounds, not point estimates."),
            ("Adaptive attackers", "attacks change after each fix: continuous red teaming and fast "
             "classifier updates [[red_teaming]]."),
            ("Hallucination", "confidently wrong medical, legal or financial advice is a safety issue: "
             "ground, cite, and abstain [[reduce_hallucinations]]."),
        ),
        api=(
            "**API surface.** Safety as a service for product teams:\n\n"
            "```http\nPOST /v1/moderations   {input, categories?, policy_version}  -> {category: score, action}\n"
            "POST /v1/messages      {..., safety: {input_check: true, output_check: true, thresholds}}\n"
            "POST /v1/reports       {message_id, reason}   (user reports into the review queue)\n```\n\n"
            + _API_JOURNEY + "\n\n**Pricing.** Included in model usage for standard checks; custom policies "
            "and dedicated review capacity as an enterprise add-on."
        ),
        metrics=(
            ("Violation rate on the harmful eval set (upper 95% bound)", "< 1% per category", "harm prevented"),
            ("False-positive rate on the benign eval set", "< 1%", "users not refused for nothing"),
            ("Red-team attack success rate", "falling release over release", "robustness"),
            ("Added latency of checks, p95", "< 100 ms (run in parallel)", "safety without slowness"),
            ("Time to mitigate a new attack", "< 48 hours", "responsiveness"),
            ("User reports per 10,000 conversations", "falling", "what users experience"),
        ),
        decision=(
            "Layer model-level safety training with input and output classifiers tuned per category on "
            "labelled data, run them in parallel with generation, red-team continuously, and report every "
            "rate with its confidence interval."
        ),
    ),
    # ------------------------------------------------------------------------------------------------
    "multimodal": KindText(
        scoping=(
            "Which modalities in and out (photos, scans, screenshots, video frames, speech), at what "
            "resolution and length?",
            "What must the model extract or decide, and how accurate must it be? Is a human in the loop?",
            "Volume: <<request_noun>> a day and at peak; interactive or can it wait for batch?",
            "Where are images captured (phones, scanners, cameras), and what about privacy: faces, "
            "documents with personal data, retention?",
            "Is there labelled data for evaluation, and which edge cases matter (blur, glare, handwriting, "
            "accents, background noise)?",
            "Does the output feed another system (structured JSON) or a person (a description)?",
        ),
        developer=Persona(
            "The engineer who builds the pipeline",
            "chains an OCR service, hand-written rules and a text model",
            "comfortable with APIs; new to vision-language models",
            "brittle OCR on real-world photos, and costs that jump with image size",
            "one model call per image with structured output, and clear per-image cost",
        ),
        end_user=Persona(
            "<<user_noun_title>>",
            "type in what they see, or photograph it and wait for someone else to process it",
            "any; they take photos in bad light",
            "retyping, errors, and slow turnaround",
            "point, shoot, and get a correct result in seconds",
        ),
        diagram="""\
 capture (phone / scanner / mic) --> [client: resize to the model's limit, compress, strip metadata]
     --> [API: image + instructions] --> [vision-language model] --> structured output (JSON) + confidence
     --> [validation: schema, totals add up, cross-checks] --low confidence--> [human review]
     --> result --> (store: image hash, output, embedding for search)
 audio: [speech-to-text] --> text model    |    search: [image/text embeddings, shared space] --> (vector index)""",
        design=(
            ("Model", "A vision-language model reads the image and the instructions together "
             "[[llava]]; speech goes through a robust speech recogniser first [[whisper]]; cross-modal "
             "search uses a shared image-text embedding space [[clip]]."),
            ("Preprocessing", "Resize on the client to the model's recommended maximum, which cuts upload "
             "time, tokens and time to first token with no loss of accuracy [[vision_docs]]."),
            ("Output", "Structured JSON validated against a schema and business rules; low-confidence or "
             "invalid results go to a person."),
            ("Model layer", "<<model_small>> for clean, common inputs; <<model_large>> for hard ones or "
             "retries; batch processing for anything that can wait [[batches]]."),
            ("Production concerns", "Privacy (blur faces, drop location metadata), storage of images only as "
             "long as needed, monitoring accuracy by capture device, and a fallback to manual entry."),
        ),
        deep_dive_title="Pixels are tokens",
        deep_dive=(
            "An image costs tokens in proportion to its pixel area, so resolution is a cost and latency "
            "dial: halving width and height quarters the tokens. Resize to the smallest size at which the "
            "task still succeeds, measured on the eval set, not guessed [[vision_docs]]. Small text "
            "(receipts, forms) needs more pixels than scene understanding.\n\n"
            "Accuracy failures cluster by capture condition: blur, glare, rotation, handwriting. Build the "
            "eval set from real captures, stratified by these conditions, and report accuracy per slice. "
            "Validate outputs with rules (totals that add up, dates that parse), which catches many "
            "misreadings without a second model call.\n\n"
            "Evaluation follows the same pattern as for text: a golden set of labelled captures, field-level "
            "accuracy with confidence intervals [[error_bars]], an LLM judge only for free-text descriptions "
            "(calibrated on human labels [[llm_judge]]), and a regression set of every misread that reached "
            "a user."
        ),
        hard_parts=(
            ("Hallucination", "models can read text that is not there in a blurry image: ask for a "
             "confidence or \"unreadable\", validate, and route doubtful cases to people "
             "[[reduce_hallucinations]] [[selfcheck]]."),
            ("Evaluation", "real-world captures differ from clean test images: evaluate per device and "
             "condition."),
            ("Privacy and safety", "images carry faces, IDs and locations: minimise, redact and expire; "
             "screen uploads for prohibited content."),
        ),
        api=(
            "**API surface.**\n\n"
            "```http\nPOST /v1/extractions   {image (file id or URL), schema_id, stream?: false}  -> {fields, confidence, needs_review}\n"
            "POST /v1/files          (upload once, reference many times)\n"
            "POST /v1/batches        (bulk images at half price, results within 24 h)\n```\n\n"
            + _API_JOURNEY + "\n\n**Pricing.** Per image (simple for buyers) backed by per-token cost, "
            "with a lower price for batch."
        ),
        metrics=(
            ("Field-level accuracy on the eval set, per capture condition", ">= 97%", "quality"),
            ("Share routed to human review", "< 10%", "automation rate"),
            ("Time to result, p95 (interactive)", "<<response_target>>", "the capture-to-result experience"),
            ("Cost per <<request_noun_singular>>", "<= <<cost_per_request>>", "from the deep dive"),
            ("Users who retake a photo", "< 5%", "friction"),
            ("Weekly active users; documents processed per user", "rising", "adoption"),
        ),
        decision=(
            "Resize on the client, extract with the small model into a validated schema, escalate "
            "low-confidence results to the large model and then to people, and process non-urgent volume "
            "through batches."
        ),
    ),
    # ------------------------------------------------------------------------------------------------
    "general": KindText(
        scoping=(
            "Who uses it, for which job, and how do they do that job today?",
            "What does a good output look like, and who judges it? What does a bad one cost?",
            "How many <<user_noun>>, how many <<request_noun>> a day, and what latency do they expect?",
            "What context does the model need (user data, documents, history), and may we send it to a "
            "model provider?",
            "Which model capabilities are assumed: long context, tool use, images, code?",
            "What is the budget per request or per month?",
        ),
        developer=Persona(
            "The product engineer who builds the feature",
            "integrates APIs and ships features on a release train",
            "strong generalist; new to prompt design and evaluating generated text",
            "outputs that vary, no way to test a prompt change, and surprise bills",
            "versioned prompts, an eval set in CI, and cost per request on a dashboard",
        ),
        end_user=Persona(
            "<<user_noun_title>>",
            "do the job by hand or with a template",
            "varied; they judge by whether the output saves them time",
            "blank pages, repetitive work, and AI output they must rewrite",
            "a useful first draft fast, easy to edit, in their voice",
        ),
        diagram="""\
 user action --> [app backend: gather context (user data, history), build prompt from a versioned template]
     --> [router: small model for most, large model for hard cases] --> [LLM, streaming]
     --> [post-process: format, policy checks] --> UI (edit, accept, regenerate, rate)
     --> logs (prompt version, model, tokens, cost, rating) --> eval set + dashboards""",
        design=(
            ("Start with the workflow", "A single well-prompted call with the right context is usually "
             "enough; add chains or agents only when the eval shows the need [[effective_agents]]."),
            ("Prompt and context", "Versioned templates; instructions and examples as a cached prefix "
             "[[prompt_caching]]; user context retrieved, not pasted wholesale [[lost_middle]]."),
            ("Model layer", "<<model_small>> for most requests, <<model_large>> for hard cases, chosen by "
             "a router; quality levers (reasoning steps, self-consistency) only where they pay "
             "[[cot]] [[self_consistency]]."),
            ("Storage", "Prompt versions, outputs, user edits and ratings: the edits are free training and "
             "eval data."),
            ("Production concerns", "Streaming for perceived speed, fallbacks on API errors, spend alerts, "
             "feature flags for prompt changes, and a kill switch."),
        ),
        deep_dive_title="Quality you can measure",
        deep_dive=(
            "Before optimising cost or latency, define quality: a rubric for a good output, a set of real "
            "inputs, and a grader (people at first, an LLM judge calibrated on them later) [[llm_judge]]. "
            "Then every change (prompt, model, routing) is an experiment with a number, not an opinion.\n\n"
            "The cheapest quality gains usually come from context (giving the model what a person would "
            "need) and from examples of good output, before any model upgrade. User edits tell you what "
            "the model gets wrong: track the edit distance between draft and final.\n\n"
            "The eval loop, concretely: a golden set of a few hundred real inputs with reference outputs "
            "or a rubric; an LLM judge whose agreement with human raters is measured before it is trusted; "
            "scores reported with confidence intervals, comparing versions on the same items "
            "[[error_bars]]; every bug users report added to a regression set; and an A/B test on a product "
            "metric for the changes that pass offline."
        ),
        hard_parts=(
            ("Hallucination", "invented facts in a draft are worse than no draft: ground in provided "
             "context, and flag unsupported claims [[reduce_hallucinations]]."),
            ("Evaluation", "taste is subjective: write the rubric down, measure grader agreement, and keep "
             "error bars [[error_bars]]."),
            ("Safety and misuse", "policy checks on inputs and outputs; rate limits per user."),
        ),
        api=(
            "**API surface.** Internal service behind the feature:\n\n"
            "```http\nPOST /v1/drafts   {template_id@version, inputs, stream: true}  -> SSE text + usage + draft_id\n"
            "POST /v1/drafts/{id}/feedback   {rating, final_text}\n```\n\n" + _API_JOURNEY +
            "\n\n**Pricing.** Part of a plan (seats) with fair-use limits; heavy use in a higher tier."
        ),
        metrics=(
            ("Rubric score on the eval set", ">= 4 of 5, with an interval", "quality"),
            ("Drafts accepted with light edits", "> 60%", "usefulness"),
            ("Time to first token, p95", "<<ttft_target>>", "speed"),
            ("Cost per request", "<= <<cost_per_request>>", "from the deep dive"),
            ("Weekly active users of the feature / all users", "> 30%", "adoption"),
            ("Retention of feature users vs. others", "higher", "value"),
        ),
        decision=(
            "Ship one well-prompted, streamed call on the small model with a rubric-based eval set, route "
            "hard cases to the large model, and let user edits and ratings drive the next iteration."
        ),
    ),
}
