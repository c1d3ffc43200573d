"""Grade an answer against the method's nine rubric points: deterministic checks, plus an optional judge.

    report = techpm.grade(text)            # deterministic: the same text always gets the same report
    report.total                           # 0 to 100
    report.points[0].evidence              # the sentence that earned the point, or what is missing
    report = techpm.grade(text, judge=True)   # adds Claude's grades (LLM-as-judge) beside them

Each point has a check that looks for observable signs of what the point asks (``method.RUBRIC``):
questions and assumptions at the start, named components and production concerns, the three corners of
the latency-cost-quality triangle with levers, mechanism vocabulary for RAG, RLHF or evals (or, where
those are not what the question is about, for inference or agents: the method's "where relevant"), named hard
problems with responses, numbers with units and computations, users tied to technical choices, the six
sections in order at about the expected length, and links. A check scores 1 (clearly there), 0.5 (partly)
or 0 (missing) and quotes the best sentence it found as evidence. These are signs, not understanding: a
text can game them, and a judge (a person, or Claude with ``judge=True``) reads for meaning. Where the
judge and the checks differ by half a point or more, the report says so.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from techpm.generator.method import EXPECTED_WORDS, RUBRIC, SECTIONS

__all__ = ["PointResult", "Report", "grade", "split_sentences", "find_sections", "CHECKS"]


# --------------------------------------------------------------------------------------------------
# Reading the text
# --------------------------------------------------------------------------------------------------

def _plain(text: str) -> str:
    """Markdown reduced to prose: link titles kept, URLs kept apart, emphasis and code marks dropped."""
    text = re.sub(r"\[([^\]]*)\]\((https?://[^)\s]+)\)", r"\1 <\2>", text)
    return re.sub(r"[*_`]+", "", text)


def _blocks(text: str) -> list[str]:
    """Markdown blocks as single lines: paragraphs and list items joined across their wrapped lines;
    headings, table rows and code left out (headings are read by ``find_sections``)."""
    blocks: list[str] = []
    current: list[str] = []
    in_code = False

    def flush() -> None:
        if current:
            blocks.append(" ".join(current))
            current.clear()

    for raw in text.splitlines():
        if raw.strip().startswith(("```", "~~~")):
            flush()
            in_code = not in_code
            continue
        if in_code:
            continue
        line = _plain(raw).strip()
        if not line or line.startswith("#"):
            flush()
            continue
        if line.startswith("|"):
            flush()
            cells = [c.strip() for c in line.strip("|").split("|")]
            if not all(set(c) <= set("-: ") for c in cells):
                blocks.append(" ".join(c for c in cells if c))
            continue
        item = re.match(r"^(?:[-+>]|\d+[.)])\s+(.*)", line)
        if item:
            flush()
            current.append(item.group(1))
        else:
            current.append(line)
    flush()
    return blocks


def split_sentences(text: str) -> list[str]:
    """Sentences of a Markdown text: paragraphs, list items and table rows split after . ! ?"""
    out: list[str] = []
    for block in _blocks(text):
        parts = re.split(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])", block)
        out += [p.strip() for p in parts if len(p.strip()) > 2]
    return out


_SECTION_CUES = (
    r"clarif|constraint|scop|assumption|requirement|question",
    r"user|persona|customer|audience|who (?:is|are)",
    r"design|architecture|system|component|overview",
    r"deep[ -]?dive|trade[- ]?off|tradeoff",
    r"\bapi\b|developer experience|\bdx\b|interface|sdk",
    r"metric|measur|success|kpi",
)


def find_sections(text: str) -> list[int | None]:
    """For each heading (Markdown ``#`` or a bold line) in order, which of the six sections it names."""
    found: list[int | None] = []
    for line in text.splitlines():
        m = re.match(r"^\s*(?:#{1,4}\s+(.*)|\*\*([^*]{3,80})\*\*\s*$)", line)
        if not m:
            continue
        title = (m.group(1) or m.group(2) or "").lower()
        number = re.match(r"\s*(\d)[.)]", title)
        if number and 1 <= int(number.group(1)) <= 6:
            found.append(int(number.group(1)))
            continue
        found.append(next((i + 1 for i, cue in enumerate(_SECTION_CUES) if re.search(cue, title)), None))
    return found


def _in_order(found: list[int | None]) -> list[int]:
    """The sections met in the method's order: the longest run 1, 2, ... found as an ordered subsequence."""
    got, want = [], 1
    for n in found:
        if n == want:
            got.append(n)
            want += 1
    return got


def _words(text: str) -> int:
    return len(re.findall(r"[A-Za-z0-9][\w'$%.,/-]*", _plain(text)))


@dataclass
class _Doc:
    text: str
    sentences: list[str]
    lower: list[str]
    words: int
    sections: list[int | None]
    opening: list[str]  # the first section's sentences, or the first fifth of the text

    @classmethod
    def read(cls, text: str) -> _Doc:
        sentences = split_sentences(text)
        sections = find_sections(text)
        opening = sentences[: max(5, len(sentences) // 5)]
        if sections and 1 in sections:
            # sentences up to the second section's heading
            cut = re.search(r"^\s*(?:#{1,4}\s+(?:2[.)]|.*(?:user|persona))|\*\*2[.)])", text, re.M | re.I)
            if cut:
                opening = split_sentences(text[: cut.start()]) or opening
        return cls(text, sentences, [s.lower() for s in sentences], _words(text), sections, opening)


def _hits(sentence: str, patterns: tuple[str, ...]) -> set[str]:
    return {p for p in patterns if re.search(p, sentence)}


def _best(doc: _Doc, patterns: tuple[str, ...], within: list[str] | None = None) -> tuple[str, int]:
    """The sentence with the most distinct pattern hits, and that count."""
    pool = within if within is not None else doc.sentences
    best, count = "", 0
    for sentence in pool:
        n = len(_hits(sentence.lower(), patterns))
        if n > count:
            best, count = sentence, n
    return best, count


def _distinct(doc: _Doc, patterns: tuple[str, ...]) -> set[str]:
    found: set[str] = set()
    whole = " ".join(doc.lower)
    for p in patterns:
        if re.search(p, whole):
            found.add(p)
    return found


def _quote(sentence: str, limit: int = 220) -> str:
    sentence = re.sub(r"\s*<https?://[^>]+>", "", sentence).strip()
    return f"\"{sentence[:limit - 1]}…\"" if len(sentence) > limit else f"\"{sentence}\""


# --------------------------------------------------------------------------------------------------
# The nine checks: each returns (score, evidence, suggestion)
# --------------------------------------------------------------------------------------------------

Check = Callable[[_Doc], tuple[float, str, str]]

_SCOPE_TOPICS = (r"\busers?\b|how many", r"qps|per second|requests?|traffic|peak|scale|volume", r"latenc|fast|time to",
                 r"\bdata\b|corpus|documents?|privacy|retention|pii", r"budget|cost|spend|\$",
                 r"integrat|plug|existing system", r"timeline|mvp|launch|production|weeks|months",
                 r"cloud|on[- ]prem|infrastructure|gpu|region")


def _scoping(doc: _Doc) -> tuple[float, str, str]:
    questions = [s for s in doc.opening if s.endswith("?")]
    topics = set().union(*(_hits(q.lower(), _SCOPE_TOPICS) for q in questions)) if questions else set()
    assumes = [s for s in doc.opening if re.search(r"\bassum|\bi will design|constraints?\b|we design for", s.lower())]
    if len(questions) >= 3 and len(topics) >= 3:
        return 1.0, _quote(questions[0]), ("Good scoping. Make sure the assumptions you design to are stated "
                                            "with numbers right after the questions.")
    if questions or assumes:
        evidence = _quote((questions or assumes)[0])
        return 0.5, evidence, ("Open with at least three scoping questions that cover scale (users, requests "
                               "per second), latency, data and budget, then state the assumptions you design to.")
    return 0.0, "No scoping questions or stated assumptions at the start.", (
        "Begin with three to five questions: how many users and requests per second at peak, what latency, "
        "what data exists and what rules apply to it, and what budget; then state your assumptions.")


_COMPONENTS = (r"vector|embedding", r"\bindex", r"retriev", r"cach", r"queue", r"gateway|load balanc", r"router|routing",
               r"orchestrat|planner|agent loop", r"database|\bstore\b|storage", r"pipeline|ingest", r"\bapi\b",
               r"schedul|worker", r"classifier|moderation", r"rerank", r"\bbatch", r"stream", r"replica|gpu",
               r"sandbox|tool", r"chunk", r"prompt template|system prompt")
_PRODUCTION = (r"monitor|dashboard|alert", r"observab|trac(?:e|ing)|logging|\blogs?\b", r"fallback|degrad",
               r"retr(?:y|ies)|backoff|idempoten", r"roll ?out|canary|feature flag|a/b", r"failover|redundan|regional",
               r"rate limit|quota|429", r"autoscal|capacity", r"\bsla\b|uptime|on-call|incident", r"version")


def _design(doc: _Doc) -> tuple[float, str, str]:
    components = _distinct(doc, _COMPONENTS)
    production = _distinct(doc, _PRODUCTION)
    flow = bool(re.search(r"-->|->|→|=>", doc.text))
    evidence, _ = _best(doc, _COMPONENTS)
    if len(components) >= 7 and len(production) >= 3 and flow:
        return 1.0, _quote(evidence), "Coherent and production-aware; check each box in the diagram has an owner."
    if len(components) >= 4:
        production_advice = ("production concerns: what happens on failure (fallbacks, retries), how you "
                             "monitor it, and how you roll out changes")
        if len(production) < 3:
            advice = (f"Add {production_advice}." if flow else
                      f"Draw the request path from input to output (A -> B -> C) and add {production_advice}.")
        else:
            advice = "Draw the request path from input to output (A -> B -> C) and name the data stores."
        return 0.5, _quote(evidence), advice
    return 0.0, "Few concrete components are named (found: " + (", ".join(sorted(
        c.split("|")[0].strip("\\b") for c in components)) or "none") + ").", (
        "Name the boxes of the architecture and the path a request takes through them: input, preprocessing, "
        "retrieval or tools, model, postprocessing, storage, serving.")


_LATENCY = (r"latenc|ttft|time to first token|\bms\b|millisecond|tokens/s|tokens per second|seconds?\b|speed|slow|fast",)
_COST = (r"\$|cost|price|spend|budget|dollar",)
_QUALITY = (r"quality|accura|faithful|hallucinat|correct|eval|win rate|recall",)
_LEVERS = (r"stream", r"cach", r"\bbatch", r"rout", r"quantiz|int4|int8|fp8", r"speculative", r"distill",
           r"small(?:er)? model", r"self-consistency|majority vote", r"chain[- ]of[- ]thought|reasoning steps",
           r"fine[- ]tun", r"rerank|retrieval", r"human[- ]in[- ]the[- ]loop|human review")
_TRADE = r"trade|at the (?:cost|expense)|in exchange|versus|\bvs\.?\b|\bbut\b|pull|against|sacrific|costs? (?:more|less)|buys?\b|spend"


def _triangle(doc: _Doc) -> tuple[float, str, str]:
    dims = [bool(_distinct(doc, d)) for d in (_LATENCY, _COST, _QUALITY)]
    levers = _distinct(doc, _LEVERS)
    trades = [s for s in doc.sentences if re.search(_TRADE, s.lower())
              and sum(bool(_hits(s.lower(), d)) for d in (_LATENCY, _COST, _QUALITY)) >= 2]
    if all(dims) and len(levers) >= 4 and trades:
        return 1.0, _quote(trades[0]), "Deep; make sure each lever carries a number for what it buys and costs."
    if sum(dims) >= 2 and levers:
        names = ["latency", "cost", "quality"]
        missing = [n for n, ok in zip(names, dims, strict=True) if not ok]
        return 0.5, _quote(trades[0] if trades else _best(doc, _LEVERS)[0]), (
            f"Name all three corners{' (missing: ' + ', '.join(missing) + ')' if missing else ''} and say "
            "what each technique buys on one side and costs on another: streaming, caching, batching, "
            "routing to a small model, quantization, a larger model.")
    return 0.0, "The latency-cost-quality trade-off is not discussed.", (
        "Add a paragraph on the triangle: which techniques lower latency (streaming, caching, speculative "
        "decoding), cost (batching, routing, quantization) and raise quality (larger model, retrieval, "
        "fine-tuning), and what each gives up.")


_FAMILIES = {
    "RAG": (r"chunk", r"embedding", r"rerank", r"hybrid|bm25|lexical", r"recall@|mrr|ndcg|recall at",
            r"faithful", r"vector (?:index|database|store)|hnsw|nearest[- ]neighbou?r", r"top[- ]?k\b|top \d",
            r"context window|lost in the middle", r"citation|cite"),
    "RLHF": (r"\bsft\b|supervised fine", r"reward model", r"\bppo\b", r"\bkl\b|kullback", r"\bdpo\b",
             r"preference|comparison", r"rlaif|constitutional", r"reward hacking|overoptimi", r"reference (?:model|policy)"),
    "evals": (r"golden (?:set|dataset)|eval(?:uation)? set", r"llm[- ]as[- ](?:a[- ])?judge|llm judge|judge",
              r"contaminat", r"goodhart", r"a/b test", r"confidence interval|error bar|standard error",
              r"human (?:label|annotat|rater|eval)", r"regression", r"benchmark", r"adversarial|red[- ]team"),
    "inference": (r"prefill", r"\bdecode|decoding", r"kv[- ]cache", r"continuous batching|paged", r"quantiz",
                  r"memory[- ]bound|compute[- ]bound|bandwidth|roofline", r"speculative", r"tensor parallel",
                  r"time to first token|ttft", r"tokens/s|tokens per second"),
    "agents": (r"tool (?:call|schema|use|result)|function call", r"\bloop\b|react|plan(?:ner|ning)?",
               r"(?:short|long)[- ]term memory|working memory", r"sandbox", r"approv|permission",
               r"step budget|max_steps|budgets? on steps", r"trace", r"idempoten|undo|roll ?back"),
}


def _depth(doc: _Doc) -> tuple[float, str, str]:
    counts = {name: _distinct(doc, pats) for name, pats in _FAMILIES.items()}
    name = max(counts, key=lambda k: (len(counts[k]), k == "RAG"))
    best, _ = _best(doc, _FAMILIES[name])
    if len(counts[name]) >= 5:
        return 1.0, _quote(best), f"Explains {name} mechanisms concretely; tie each to how you would measure it."
    if len(counts[name]) >= 3:
        return 0.5, _quote(best), (
            f"Go one level deeper on {name}: walk through the mechanism step by step (for RAG: chunking, "
            "embeddings, hybrid search, reranking, faithfulness; for RLHF: SFT, reward model, PPO with a KL "
            "penalty, DPO; for evals: golden sets, LLM judges, contamination, error bars).")
    return 0.0, "No mechanism of RAG, RLHF or evals is explained.", (
        "Where the question touches retrieval, preference tuning or evaluation, explain how it works, step "
        "by step, instead of naming it.")


_HARD = (r"hallucinat|confabul|made[- ]up|invent", r"reward hacking|over-?optimi", r"evaluat\w* (?:is|are) hard|hard to (?:evaluate|measure)|eval",
         r"safety|harm", r"abuse|misuse|fraud", r"jailbreak|prompt injection", r"privacy|pii|leak",
         r"bias|fairness", r"security|permission|access control", r"drift|distribution shift", r"contaminat")
_RESPONSES = (r"detect", r"mitigat", r"measur", r"monitor", r"guardrail|classifier|filter", r"abstain|not found|refus",
              r"red[- ]team", r"ground|cite|citation", r"human review|escalat", r"verif|validat")


def _hard_parts(doc: _Doc) -> tuple[float, str, str]:
    problems = _distinct(doc, _HARD)
    answered = [s for s in doc.sentences if _hits(s.lower(), _HARD) and len(_hits(s.lower(), _RESPONSES)) >= 1]
    responses = set().union(*(_hits(s.lower(), _RESPONSES) for s in answered)) if answered else set()
    if len(problems) >= 3 and len(responses) >= 3:
        best = max(answered, key=lambda s: len(_hits(s.lower(), _RESPONSES)))
        return 1.0, _quote(best), "Aware of the hard parts; give each a metric with a target in section 6."
    if problems:
        evidence = answered[0] if answered else _best(doc, _HARD)[0]
        return 0.5, _quote(evidence), (
            "For each hard problem (hallucination, evaluation, safety or abuse), say how you would detect it, "
            "reduce it and measure it.")
    return 0.0, "No hard problem (hallucination, evaluation, safety, abuse) is named.", (
        "Add a short 'what is hard' part: hallucination, evaluation and safety, each with detection, "
        "mitigation and a measurement.")


_QUANTITY = re.compile(
    r"\$\s?\d[\d,.]*\s?(?:k|m|bn?|million|billion)?|\b\d[\d,.]*\s?(?:%|x\b|ms\b|milliseconds?|s\b|sec\b|seconds?|"
    r"minutes?|hours?|h\b|days?|weeks?|months?|gb\b|tb\b|mb\b|kib|gib|tokens?|qps|rps|req/s|requests?|queries|"
    r"gpus?|users?|k\b|m\b|b\b|million|billion|chunks?|documents?|items?|dims?|params?|parameters|flops?|"
    r"tokens/s|per (?:second|day|month|query|request))", re.I)
_COMPUTATION = re.compile(r"\d[\d,.]*\s*(?:x|×|\*|/)\s*\$?\d|=\s*\$?\d|\d\s*=", re.I)


def _quantitative(doc: _Doc) -> tuple[float, str, str]:
    quantities = {m.group(0).lower().replace(" ", "") for m in _QUANTITY.finditer(_plain(doc.text))}
    computations = [s for s in doc.sentences if _COMPUTATION.search(s)] + \
        [m.group(0) for m in re.finditer(r"`[^`]*\d[^`]*`", doc.text) if _COMPUTATION.search(m.group(0))]
    best = max(doc.sentences, key=lambda s: len(_QUANTITY.findall(s)), default="")
    if len(quantities) >= 12 and computations:
        return 1.0, _quote(computations[0]), "Quantitative; keep each number's assumptions next to it."
    if len(quantities) >= 4:
        return 0.5, _quote(best), (
            "Put numbers on the trade-offs and show how they were computed: cost per request = tokens x price, "
            "GPUs = requests in flight / batch, and so on (the course's calculators do the arithmetic).")
    return 0.0, f"Only {len(quantities)} numbers with units appear.", (
        "Replace 'faster' and 'cheaper' with numbers: tokens per request, dollars per month, milliseconds to "
        "first token, gigabytes of memory, each with its formula.")


_USERS = (r"\busers?\b", r"customers?", r"developers?|engineers?", r"persona", r"end[- ]users?", r"people|team",
          r"lawyers?|doctors?|clinicians?|analysts?|agents?|students?|buyers?|admins?|operators?")
_OUTCOMES = (r"so that|which means|for (?:the |our )?users?|they (?:need|want|wait|trust)", r"trust", r"adoption|adopt",
             r"retention|churn", r"experience|frustrat|workflow", r"revenue|pricing|price|margin|pay",
             r"activation|satisfaction|nps", r"wait|speed|feel|tolerat", r"quality bar|value|rely|relying|confiden")
_TECH = (r"latenc|cost|model|retriev|cach|accura|eval|gpu|token|stream|index|api|rout|batch|ground|cit(?:e|ation)|"
         r"faithful|design|rerank|prompt|search|classifier|threshold")


def _product(doc: _Doc) -> tuple[float, str, str]:
    users = _distinct(doc, _USERS)
    links = [s for s in doc.sentences if _hits(s.lower(), _USERS) and _hits(s.lower(), _OUTCOMES)
             and re.search(_TECH, s.lower())]
    personas = bool(re.search(r"persona|end users?|developers?", doc.text.lower()))
    if len(links) >= 3 and personas and len(users) >= 2:
        return 1.0, _quote(links[0]), "Ties choices to users; name the user in each trade-off you recommend."
    if links or (personas and len(users) >= 2):
        return 0.5, _quote(links[0] if links else _best(doc, _USERS)[0]), (
            "Name the personas (who builds on it, who uses the output) and tie each big technical choice to "
            "what they experience: waiting time, trust in the answer, price.")
    return 0.0, "The answer does not say who the users are or what the choices mean for them.", (
        "Add the users (developers and end users, their workflow and frustrations) and connect the design "
        "to them: 'streaming matters because lawyers read while it writes'.")


def _structure(doc: _Doc) -> tuple[float, str, str]:
    got = _in_order(doc.sections)
    low, high = int(EXPECTED_WORDS * 0.6), int(EXPECTED_WORDS * 1.6)
    length_ok = low <= doc.words <= high
    titles = [SECTIONS[n - 1].title for n in range(1, 7) if n not in got]
    evidence = (f"Sections found in order: {', '.join(str(n) for n in got) or 'none'}; {doc.words:,} words "
                f"(expected about {EXPECTED_WORDS:,}).")
    if len(got) == 6 and length_ok:
        return 1.0, evidence, "Complete and in order."
    advice = []
    if titles:
        advice.append("add or reorder headings for: " + "; ".join(titles))
    if not length_ok:
        advice.append(f"aim for {low:,}-{high:,} words (now {doc.words:,})")
    score = 0.5 if len(got) >= 4 or (len(got) >= 2 and length_ok) else 0.0
    return score, evidence, "Use the six sections as headings, in order: " + "; ".join(advice) + "."


def _sources(doc: _Doc) -> tuple[float, str, str]:
    urls = set(re.findall(r"https?://[^\s)>\]]+", doc.text))
    cut = re.search(r"^#+\s*(?:sources|references|bibliography)\b", doc.text, re.M | re.I)
    body = doc.text[: cut.start()] if cut else doc.text
    inline = set(re.findall(r"https?://[^\s)>\]]+", body))
    named = re.findall(r"\b[A-Z][a-z]+ et al\.?,? \d{4}|\(\w+,? \d{4}\)|arxiv", doc.text, re.I)
    with_link = next((s for s in doc.sentences if "http" in s and len(s) > 60), "")
    if len(urls) >= 5 and len(inline) >= 3:
        return 1.0, _quote(with_link), "Well sourced; prefer primary sources (papers, docs) over summaries."
    if urls or len(named) >= 2:
        return 0.5, _quote(with_link) if with_link else f"{len(urls)} link(s), {len(named)} named citation(s).", (
            "Link sources inline next to the claims they support (papers, lab engineering posts, docs), "
            "at least five, not only a list at the end.")
    return 0.0, "No sources are cited.", (
        "Cite where claims come from: link the paper, benchmark or documentation next to each design "
        "decision and number that relies on it.")


CHECKS: dict[str, Check] = {"scoping": _scoping, "design": _design, "triangle": _triangle, "depth": _depth,
                            "hard_parts": _hard_parts, "quantitative": _quantitative, "product": _product,
                            "structure": _structure, "sources": _sources}


# --------------------------------------------------------------------------------------------------
# The report
# --------------------------------------------------------------------------------------------------

@dataclass
class PointResult:
    """One rubric point: the checks' score (0, 0.5 or 1), evidence and one suggestion; the judge's beside."""

    id: str
    title: str
    score: float
    evidence: str
    suggestion: str
    judge_score: float | None = None
    judge_evidence: str | None = None
    judge_suggestion: str | None = None

    @property
    def disagree(self) -> bool:
        """True when the judge's score differs from the checks' by half a point or more."""
        return self.judge_score is not None and abs(self.judge_score - self.score) >= 0.5


@dataclass
class Report:
    """The grade of one answer: nine points, a total out of 100, and the judge's view where asked."""

    points: list[PointResult]
    words: int
    judge_note: str | None = None
    judge_model: str | None = None
    sections: list[int] = field(default_factory=list)

    @property
    def total(self) -> int:
        """Sum of the nine scores, as a share of nine, in points out of 100."""
        return round(100 * sum(p.score for p in self.points) / len(self.points))

    @property
    def judge_total(self) -> int | None:
        scores = [p.judge_score for p in self.points]
        if any(s is None for s in scores):
            return None
        return round(100 * sum(s for s in scores if s is not None) / len(scores))

    @property
    def disagreements(self) -> list[PointResult]:
        return [p for p in self.points if p.disagree]

    def point(self, point_id: str) -> PointResult:
        for p in self.points:
            if p.id == point_id:
                return p
        from techpm.errors import unknown_name

        raise unknown_name("rubric point", point_id, [p.id for p in self.points])

    def scores(self) -> dict[str, float]:
        return {p.id: p.score for p in self.points}

    # --- display -----------------------------------------------------------------------------------
    def markdown(self) -> str:
        judged = self.judge_total is not None
        head = f"**Rubric score: {self.total}/100** ({self.words:,} words)"
        if judged:
            head += f" · judge ({self.judge_model}): {self.judge_total}/100"
        lines = [head, ""]
        if self.judge_note:
            lines += [f"> {self.judge_note}", ""]
        cols = "| # | Point | Checks | " + ("Judge | " if judged else "") + "Evidence | Suggestion |"
        lines += [cols, "|" + "---|" * (6 if judged else 5)]
        for i, p in enumerate(self.points, start=1):
            judge = ""
            if judged:
                judge = f"{p.judge_score:g}{' ⚠' if p.disagree else ''} | "
            lines.append(f"| {i} | {p.title} | {p.score:g} | {judge}{_cell(p.evidence)} | {_cell(p.suggestion)} |")
        if judged and self.disagreements:
            lines += ["", "⚠ Checks and judge disagree on: " + ", ".join(p.title for p in self.disagreements)
                      + ". Read those parts yourself: the checks look for signs, the judge reads for meaning."]
        return "\n".join(lines)

    def _repr_markdown_(self) -> str:
        return self.markdown()

    def _repr_html_(self) -> str:
        judged = self.judge_total is not None
        rows = []
        for i, p in enumerate(self.points, start=1):
            colour = {1.0: "#1a7f37", 0.5: "#9a6700"}.get(p.score, "#cf222e")
            judge = (f"<td style='text-align:center'>{p.judge_score:g}{' ⚠' if p.disagree else ''}</td>"
                     if judged else "")
            rows.append(f"<tr><td>{i}</td><td>{html.escape(p.title)}</td>"
                        f"<td style='text-align:center;color:{colour};font-weight:bold'>{p.score:g}</td>{judge}"
                        f"<td>{html.escape(p.evidence)}</td><td>{html.escape(p.suggestion)}</td></tr>")
        head = f"<b>Rubric score: {self.total}/100</b> ({self.words:,} words)"
        if judged:
            head += f" · judge ({html.escape(str(self.judge_model))}): {self.judge_total}/100"
        note = f"<p><i>{html.escape(self.judge_note)}</i></p>" if self.judge_note else ""
        judge_th = "<th>Judge</th>" if judged else ""
        return (f"<p>{head}</p>{note}<table><thead><tr><th>#</th><th>Point</th><th>Checks</th>{judge_th}"
                f"<th>Evidence</th><th>Suggestion</th></tr></thead><tbody>{''.join(rows)}</tbody></table>")

    def __str__(self) -> str:
        lines = [f"Rubric score: {self.total}/100 ({self.words:,} words)"]
        if self.judge_total is not None:
            lines[0] += f"; judge: {self.judge_total}/100"
        if self.judge_note:
            lines.append(self.judge_note)
        for p in self.points:
            mark = {1.0: "✔", 0.5: "½"}.get(p.score, "✘")
            lines.append(f"{mark} {p.title}: {p.evidence}")
            if p.score < 1:
                lines.append(f"    → {p.suggestion}")
        return "\n".join(lines)

    __repr__ = __str__


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def grade(text: str, judge: bool = False, *, model: str | None = None,
          max_cost_usd: float | None = None) -> Report:
    """Grade ``text`` (Markdown or plain) against the method's nine rubric points.

    ``judge=True`` also asks Claude to grade it (``techpm.generator.claude.judge``, structured output)
    and shows both; without a key, offline, or on an API error, the report says why and keeps the
    deterministic grades. ``model`` and ``max_cost_usd`` apply to the judge's call.
    """
    from techpm.errors import TechpmError

    if not isinstance(text, str):
        raise TechpmError(f"text must be the answer as a string (Markdown is fine), got {type(text).__name__}.")
    if not text.strip():
        raise TechpmError("text is empty: paste or write the answer to grade.")
    doc = _Doc.read(text)
    points = []
    for point in RUBRIC:
        score, evidence, suggestion = CHECKS[point.id](doc)
        points.append(PointResult(point.id, point.title, score, evidence, suggestion))
    report = Report(points, doc.words, sections=_in_order(doc.sections))
    if judge:
        _add_judge(report, text, model, max_cost_usd)
    return report


def _add_judge(report: Report, text: str, model: str | None, max_cost_usd: float | None) -> None:
    """Ask Claude for its grades and put them beside the checks'; on any obstacle, say why and stop."""
    from techpm.config import SETTINGS
    from techpm.keys import find_api_key, redact

    if SETTINGS.offline:
        report.judge_note = "Judge not asked: offline mode is on. These are the deterministic checks only."
        return
    key = find_api_key()
    if not key.present:
        report.judge_note = ("Judge not asked: no Anthropic API key found (set ANTHROPIC_API_KEY). These are "
                             "the deterministic checks only.")
        return
    try:
        from techpm.generator import claude

        grades = claude.judge(text, RUBRIC, model=model, max_cost_usd=max_cost_usd)
    except Exception as exc:  # the report must come back whatever the API does
        report.judge_note = redact(f"Judge failed ({type(exc).__name__}: {exc}); showing the deterministic "
                                   "checks only.", key.key)
        return
    by_id = {g.get("id"): g for g in grades if isinstance(g, dict)}
    for p in report.points:
        g = by_id.get(p.id)
        if g is None:
            continue
        try:
            p.judge_score = min(1.0, max(0.0, float(g.get("score", 0.0))))
        except (TypeError, ValueError):
            continue
        p.judge_evidence = str(g.get("evidence", ""))
        p.judge_suggestion = str(g.get("suggestion", ""))
    report.judge_model = model or SETTINGS.claude_model
    missing = [p.title for p in report.points if p.judge_score is None]
    if missing:
        report.judge_note = "The judge did not grade: " + ", ".join(missing) + "."
