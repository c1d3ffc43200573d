"""The grader's vocabulary: the words that signal each rubric point, as lowercase regular expressions.

Every pattern here is a plain alternation of literals (no nested quantifiers), so a search runs in time
linear in the text. The checks never count a word on its own: a term earns credit only in a sentence
that says something (a number, a mechanism, a reason), which ``text.Doc`` decides.
"""

from __future__ import annotations

import re

COMPONENTS = (r"vector|embedding", r"\bindex", r"retriev", r"cach", r"queue", r"gateway|load balanc",
              r"router|routing", r"orchestrat|planner|agent loop", r"database|\bstore\b|storage",
              r"pipeline|ingest", r"\bapi\b|endpoint", r"schedul|worker", r"classifier|moderation", r"rerank",
              r"\bbatch", r"stream", r"replica|gpu|\bnodes?\b", r"sandbox|\btools?\b", r"chunk",
              r"prompt template|system prompt", r"speech[- ]to[- ]text|\basr\b|transcri|text[- ]to[- ]speech|tts",
              r"judge|grader", r"golden set|eval(?:uation)? set|test set|benchmark", r"a/b test|experiment",
              r"human (?:review|label|rater)|annotat", r"approv|confirm", r"\bloop\b|planner", r"\bstate\b|memory", r"webhook|connector", r"\blogs?\b|trace", r"harness|replay|\bci\b",
              r"sampl(?:e|er|ing) (?:of |from )?(?:live|production|traffic|conversations)", r"redact|anonymi[sz]|tokeni[sz]",
              r"dashboard", r"\bservice\b|microservice", r"\bcdn\b|edge", r"vad|voice activity|endpointing")
PRODUCTION = (r"monitor|dashboard|alert", r"observab|trac(?:e|ing)|logging|\blogs?\b", r"fallback|degrad",
              r"retr(?:y|ies)|backoff|idempoten", r"roll ?out|canary|feature flag|a/b|shadow",
              r"failover|redundan|regional", r"rate limit|quota|429", r"autoscal|capacity",
              r"\bsla\b|uptime|on-call|incident", r"version", r"drain|circuit breaker|timeout")
FLOW = r"-->|->|→|=>|\bthen\b|\bfeeds?\b|\bpasses\b|\bsends?\b|\breturns?\b"

LATENCY = (r"latenc|ttft|time to first token|\bms\b|millisecond|tokens/s|tokens per second|\bseconds?\b|\bwait|slow|fast|"
           r"in minutes|turnaround|quick|\bspeed")
COST = r"\$|\bcost|price|spend|budget|dollar|\busd\b|cheap|expensive"
QUALITY = r"quality|accura|faithful|hallucinat|correct|eval|win rate|recall|precision|\bwer\b|error rate"
CORNERS = {"latency": LATENCY, "cost": COST, "quality": QUALITY}
LEVERS = (r"stream", r"cach", r"\bbatch", r"rout", r"quantiz|int4|int8|fp8", r"speculative", r"distill",
          r"(?:small(?:er)?|larger|bigger|cheaper) (?:[a-z-]+ )?model", r"self-consistency|majority vote",
          r"chain[- ]of[- ]thought|reasoning steps|thinking", r"fine[- ]tun", r"rerank", r"human[- ]in[- ]the[- ]loop|human (?:review|label|pass|rater)|\bjudge\b",
          r"context (?:length|window)|fewer chunks|more chunks|top[- ]?k", r"spot|reserved|autoscal")
TRADE = (r"\btrade|at the (?:cost|expense)|in exchange|\bversus\b|\bvs\.?\b|\bbut\b|sacrific|costs? (?:more|less)|"
         r"\bbuys?\b|\bwhile\b|\binstead\b|\bgives up\b|\bpays?\b|\badd(?:s|ed)?\b|\bsav(?:es|ed|e)\b|\bcuts?\b|"
         r"\bhalv(?:es|ed)\b|\bdoubl(?:es|ed)\b|\b(?:raise|lower|reduce|increase)[sd]?\b")

# The mechanisms the method asks an answer to explain, each as stages in the order they happen:
# what goes in, what is done to it, what comes out, how it is measured. ``depth`` credits the longest run
# of stages an answer describes in this order, in sentences that say something.
MECHANISMS: dict[str, tuple[tuple[str, str], ...]] = {
    "RAG": (("documents are split into chunks", r"ingest|pars(?:e|ing)|\bsplit|chunk"),
            ("chunks are embedded and indexed", r"embed|vector|\bindex"),
            ("a query retrieves candidates", r"retriev|hybrid|bm25|\bsearch|nearest|top[- ]?\d+|top[- ]k"),
            ("candidates are reranked or filtered", r"rerank|cross[- ]encoder|keep (?:the )?(?:best|top)|filter"),
            ("the model answers from them", r"prompt|generat|cit(?:e|es|ation)|context"),
            ("retrieval and answers are measured", r"recall@|recall at|faithful|mrr|ndcg|golden|grounded")),
    "evals": (("a set of real items", r"golden|eval(?:uation)? set|test set|\bitems\b|labell?ed|sampled? from|examples"),
              ("a grader scores each item", r"judge|rubric|grader|human (?:label|rater|review)|annotat|unit tests?|exact match"),
              ("the grader is calibrated and the score gets an error bar",
               r"kappa|agreement|calibrat|confidence interval|error bar|standard error|significan|paired|margin"),
              ("the score drives a decision", r"a/b|\bship|\bgate|threshold|regression|release|canary|launch"),
              ("its pitfalls are watched", r"contaminat|goodhart|bias|drift|held[- ]out|leak")),
    "RLHF": (("supervised fine-tuning on demonstrations", r"\bsft\b|supervised fine|demonstration"),
             ("people compare pairs of outputs", r"preference|comparison|pairs? of|ranked|chosen|rejected"),
             ("a reward model learns the preferences", r"reward model|\bdpo\b"),
             ("the policy is optimised against it", r"\bppo\b|policy|optimi[sz]"),
             ("a KL penalty keeps it near the reference", r"\bkl\b|kullback|reference (?:model|policy)|reward hacking")),
    "inference": (("the prompt is prefilled", r"prefill|prompt tokens|input tokens|time to first token|ttft"),
                  ("attention keys and values are cached", r"kv[- ]cache|paged"),
                  ("tokens are decoded one by one", r"decod|output tokens|tokens/s|tokens per second"),
                  ("requests are batched on the GPUs", r"\bbatch"),
                  ("the fleet is sized", r"\bgpus?\b|\bnodes?\b|replica|fleet|autoscal"),
                  ("levers change the cost or speed", r"quantiz|fp8|int8|int4|speculative|distill")),
    "agents": (("the model is given tools", r"\btools?\b|function call"),
               ("it loops: plan, act, observe", r"\bplan|\bloop|react|observ|\bsteps?\b"),
               ("state and memory carry between steps", r"memory|\bstate\b|context"),
               ("risky actions are gated", r"sandbox|permission|approv|confirm|policy"),
               ("failures are handled and traced", r"trac(?:e|ing)|idempoten|undo|roll ?back|retr(?:y|ies)|budget|max_steps")),
}

HARD = (r"hallucinat|confabul|made[- ]up|invent", r"reward hacking|over-?optimi",
        r"hard to (?:evaluate|measure)|\bevaluation\b|regression", r"safety|harm", r"abuse|misuse|fraud",
        r"jailbreak|prompt injection|inject", r"credential|secret|payment", r"privacy|\bpii\b|leak|confidential", r"bias|fairness",
        r"security|permission|access control", r"drift|distribution shift|stale", r"contaminat",
        r"tail latency|burst|outage|failure")
RESPONSES = (r"detect", r"mitigat", r"measur", r"monitor", r"guardrail|classifier|filter", r"abstain|not found|refus",
             r"red[- ]team", r"\bground|\bcite|citation", r"human review|escalat", r"verif|validat|check",
             r"\bgate|canary|rollback|roll back|drain|retry", r"enforc|block|restrict|sandbox|isolat|redact|encrypt|audit",
             r"treat(?:ed|s)? as data|approv|confirm|step-up|authenticat", r"golden set|eval(?:uation)? set|test set|held[- ]out",
             r"alert|fallback|admission control|limit")

USERS = (r"\busers?\b", r"customers?", r"developers?|engineers?", r"persona", r"end[- ]users?", r"\bpeople\b|\bteams?\b",
         r"lawyers?|doctors?|clinicians?|analysts?|agents?|students?|buyers?|admins?|operators?|employees?|callers?|"
         r"travell?ers?|reviewers?|patients?|merchants?|support staff|maintainers?|reporters?|contributors?|"
         r"volunteers?|readers?|viewers?|shoppers?|riders?|drivers?|sellers?|members?|subscribers?|players?|"
         r"learners?|teachers?|nurses?|pharmacists?|radiologists?|accountants?|auditors?|recruiters?|managers?|"
         r"handlers?|adjusters?|underwriters?|clerks?|representatives?|specialists?|officers?|technicians?|"
         r"planners?|dispatchers?|brokers?|advisers?|advisors?|consultants?|editors?|writers?|moderators?")
OUTCOMES = (r"so that|which means|for (?:the |our )?users?|they (?:need|want|wait|trust|feel|read|check)", r"trust",
            r"adoption|adopt", r"retention|churn", r"experience|frustrat|workflow", r"revenue|pricing|price|margin|pay",
            r"activation|satisfaction|\bnps\b", r"\bwait|\bfeel|tolerat", r"quality bar|rely|relying|confiden|\bcheck")
TECH = (r"latenc|\bcost|model|retriev|cach|accura|eval|gpu|token|stream|index|\bapi\b|rout|batch|ground|cit(?:e|ation)|"
        r"faithful|design|rerank|prompt|search|classifier|threshold|abstain|fallback|confirm")

REASONS = (r"\bbecause\b|\bsince\b|\bso that\b|\bso\b|which means|\btherefore\b|\botherwise\b|\bunless\b|\bwhen\b|"
           r"\bif\b|\buntil\b|\binstead of\b|\brather than\b|\bat the cost\b|\bin exchange\b|\bbut\b|\bthen\b|"
           r"\bbefore\b|\bafter\b|\bmeans\b|\bcauses?\b|\bbecomes?\b")
FILLER = (r"it is (?:very |really |extremely )?(?:important|crucial|essential|worth|vital|key)|in today'?s|"
          r"plays? an? (?:crucial|key|vital|important|central) role|at the end of the day|goes without saying|"
          r"needless to say|in conclusion|in summary|to summari[sz]e|as (?:mentioned|discussed|noted) (?:above|earlier|before)|"
          r"as we have seen|best[- ]in[- ]class|state[- ]of[- ]the[- ]art|world[- ]class|cutting[- ]edge|seamless|"
          r"game[- ]chang|synerg|holistic|paradigm|leverag|robust and scalable|next[- ]generation|first of all|"
          r"(?:very|really|extremely|incredibly) important|great deal|many different|a wide (?:range|variety)|"
          r"various (?:aspects|factors|considerations)|it should be noted|one of the most")

#: Every term a check may credit, in one list (the keyword-list detector counts them per sentence).
ALL_TERMS: tuple[str, ...] = tuple(dict.fromkeys(
    COMPONENTS + PRODUCTION + LEVERS + HARD + RESPONSES + (LATENCY, COST, QUALITY)
    + tuple(p for stages in MECHANISMS.values() for _, p in stages)))


def compile_all(patterns: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p in patterns)
