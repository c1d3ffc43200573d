"""Pull the numbers a question states out of its text: users, request rates, latency targets, documents,
budgets, model sizes, context lengths and GPUs.

Interview questions often carry one or two hard numbers ("10k QPS", "p95 under 500 ms", "2 million
contracts", "$50k/month", "a 70B model"). An answer that ignores them is generic; the offline generator
reads them here and designs to them, and states a default for everything the question leaves open.

    >>> c = extract_constraints("Serve a 70B model at 10k QPS with p95 under 500 ms")
    >>> c.peak_rps, c.model_params, c.latency_targets[0].seconds
    (10000.0, 70000000000.0, 0.5)

Only plain patterns are recognised (a number, an optional k/M/B or 'thousand/million/billion', then a
unit or a noun): predictable, and shown back to the reader as "from the question" so they can check it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["Constraints", "LatencyTarget", "extract_constraints", "parse_quantity"]

_MULTIPLIER = {"": 1.0, "k": 1e3, "thousand": 1e3, "m": 1e6, "mm": 1e6, "million": 1e6, "mn": 1e6,
               "b": 1e9, "bn": 1e9, "billion": 1e9, "t": 1e12, "trillion": 1e12}
_NUM = r"(\d+(?:,\d{3})*(?:\.\d+)?)\s*(k|thousand|mm|million|mn|m|bn|billion|b|trillion|t)?\b"
_SECONDS = 1.0
_PER = {"second": 1.0, "sec": 1.0, "s": 1.0, "minute": 60.0, "min": 60.0, "hour": 3600.0, "hr": 3600.0,
        "day": 86400.0, "week": 7 * 86400.0, "month": 30 * 86400.0}

_PEOPLE = ("users", "user", "customers", "customer", "employees", "employee", "lawyers", "attorneys",
           "developers", "engineers", "doctors", "clinicians", "nurses", "students", "teachers", "agents",
           "analysts", "people", "seats", "members", "subscribers", "patients", "sellers", "merchants",
           "drivers", "creators", "reps", "advisors", "researchers", "accountants", "shoppers", "players",
           "dau", "mau", "daily active users", "monthly active users")
_DOCS = ("documents", "document", "docs", "contracts", "pages", "pdfs", "files", "tickets", "articles",
         "papers", "emails", "records", "filings", "reports", "manuals", "transcripts", "cases",
         "policies", "notes", "chunks", "web pages", "webpages", "products", "listings", "repositories",
         "repos", "code files", "patents", "messages", "conversations", "images", "videos", "photos",
         "hours of audio", "hours of video", "calls")
_REQUEST_NOUNS = ("requests", "request", "queries", "query", "calls", "call", "questions", "messages",
                  "conversations", "chats", "sessions", "tasks", "tickets", "images", "photos", "documents",
                  "tokens", "completions", "generations", "searches", "transactions", "interactions")


def parse_quantity(number: str, suffix: str | None) -> float:
    """'2.5', 'm' -> 2,500,000.0; '10,000', None -> 10,000.0."""
    return float(number.replace(",", "")) * _MULTIPLIER[(suffix or "").lower()]


@dataclass(frozen=True)
class LatencyTarget:
    """A latency requirement: ``seconds`` at ``percentile`` (None when the question names none) for
    ``what``: 'ttft' (time to first token) or 'response' (the whole answer)."""

    seconds: float
    percentile: int | None
    what: str
    text: str

    def describe(self) -> str:
        pct = f"p{self.percentile} " if self.percentile else ""
        label = "time to first token" if self.what == "ttft" else "response time"
        value = f"{self.seconds * 1000:,.0f} ms" if self.seconds < 1 else f"{self.seconds:g} s"
        return f"{pct}{label} under {value}"


@dataclass
class Constraints:
    """What the question states. ``None`` means "not stated"; ``found`` lists the phrases that were read."""

    users: float | None = None
    user_noun: str | None = None
    peak_rps: float | None = None
    requests_per_day: float | None = None
    request_noun: str | None = None
    latency_targets: list[LatencyTarget] = field(default_factory=list)
    documents: float | None = None
    document_noun: str | None = None
    budget_usd: float | None = None
    budget_period: str | None = None  # "month", "year", "day", "query", "request" or None (one-off)
    model_params: float | None = None
    model_id: str | None = None  # a tabled model named in the question ("Llama 3.1 70B")
    context_tokens: int | None = None
    gpu_id: str | None = None
    gpu_count: int | None = None
    deployment: str | None = None  # "on-premises" or "cloud" when stated
    timeline: str | None = None
    found: list[str] = field(default_factory=list)

    @property
    def ttft_target_s(self) -> float | None:
        for target in self.latency_targets:
            if target.what == "ttft":
                return target.seconds
        return None

    @property
    def response_target_s(self) -> float | None:
        for target in self.latency_targets:
            if target.what == "response":
                return target.seconds
        return None

    @property
    def monthly_budget_usd(self) -> float | None:
        """The budget per 30-day month, when it is stated per day, month or year."""
        if self.budget_usd is None:
            return None
        return {"day": self.budget_usd * 30, "month": self.budget_usd, "year": self.budget_usd / 12}.get(
            self.budget_period or "")


def _noun_after(text: str, pos: int, nouns: tuple[str, ...]) -> str | None:
    """The noun (from ``nouns``) that follows position ``pos``, allowing up to two adjectives between."""
    rest = text[pos:pos + 60].lower()
    for noun in sorted(nouns, key=len, reverse=True):
        if re.match(rf"\s*(?:[a-z\-']+\s+){{0,2}}?{re.escape(noun)}\b", rest):
            return noun
    return None


def _requests(text: str, c: Constraints) -> None:
    rate = re.compile(_NUM + r"\s*(?:([a-z]+(?:\s[a-z]+)?)\s*)?(?:qps|rps|req/s|requests?/s|queries/s)\b", re.I)
    for m in rate.finditer(text):
        if m.group(3) and m.group(3).lower() not in ("peak", "sustained", "average", "at peak"):
            continue
        c.peak_rps = parse_quantity(m.group(1), m.group(2))
        c.request_noun = "requests"
        c.found.append(m.group(0).strip())
        return
    per = re.compile(_NUM + r"\s+(?:[a-z\-]+\s+){0,2}?(" + "|".join(_REQUEST_NOUNS) +
                     r")\s+(?:per|a|an|each|every|/)\s*(second|sec|minute|min|hour|hr|day|week|month)\b", re.I)
    for m in per.finditer(text):
        value = parse_quantity(m.group(1), m.group(2))
        seconds = _PER[m.group(4).lower()]
        c.request_noun = m.group(3).lower()
        if seconds == 1.0:
            c.peak_rps = value
        else:
            c.requests_per_day = value * 86400.0 / seconds
        c.found.append(m.group(0).strip())
        return


def _latency(text: str, c: Constraints) -> None:
    value_re = re.compile(r"(?:under|below|less than|within|<=?|at most|of|in|no more than|max(?:imum)?|"
                          r"p\d{2}\s*(?:of|=|:)?)\s*(\d+(?:\.\d+)?)\s*(ms|milliseconds?|s|sec|secs|seconds?)\b", re.I)
    previous_end = 0
    for m in value_re.finditer(text):
        window_start = max(m.start() - 45, previous_end)
        clause = re.split(r"[.;,]", text[window_start:m.start()])[-1]
        start = m.start() - len(clause)
        low = clause.lower() + m.group(0).lower()
        qualifier = re.search(r"p\d{2}|ttft|time[ -]to[ -]first[ -]token|first token|latenc\w*|respon\w*|"
                              r"answer\w*|repl\w*|results?|returns?|loads?|fast", low)
        if not qualifier:
            continue
        ttft = bool(re.search(r"ttft|time[ -]to[ -]first[ -]token|first token", low))
        value = float(m.group(1))
        seconds = value / 1000.0 if m.group(2).lower().startswith("m") else value
        pct_match = re.search(r"p(\d{2})", low)
        percentile = int(pct_match.group(1)) if pct_match else None
        phrase = text[start + qualifier.start():m.end()].strip()
        c.latency_targets.append(LatencyTarget(seconds, percentile, "ttft" if ttft else "response", phrase))
        c.found.append(phrase)
        previous_end = m.end()


def _people_and_documents(text: str, c: Constraints) -> None:
    for m in re.finditer(_NUM, text, re.I):
        if text[max(0, m.start() - 1):m.start()] in ("$", "p") or text[m.end():m.end() + 1] in ("%",):
            continue
        value = parse_quantity(m.group(1), m.group(2))
        tail = text[m.end():m.end() + 3].lower()
        if re.match(r"\s*(b|bn)\b", tail) or (m.group(2) or "").lower() in ("b", "bn") and \
                re.match(r"[\s-]*(param|model|llm|dense|moe)", text[m.end():m.end() + 12].lower()):
            continue
        noun = _noun_after(text, m.end(), _PEOPLE)
        if noun and c.users is None:
            c.users, c.user_noun = value, noun
            c.found.append(f"{m.group(0).strip()} {noun}")
            continue
        noun = _noun_after(text, m.end(), _DOCS)
        after = text[m.end():m.end() + 40].lower()
        if noun and c.documents is None and not re.search(r"\b(per|a|each|every)\s+(day|second|hour|minute|month)",
                                                           after):
            c.documents, c.document_noun = value, noun
            c.found.append(f"{m.group(0).strip()} {noun}")


def _budget(text: str, c: Constraints) -> None:
    m = re.search(r"\$\s*" + _NUM + r"\s*(?:(?:/|per|a|an|each)\s*(month|mo|year|yr|annum|day|query|request|"
                  r"call|user|seat))?", text, re.I)
    if not m:
        return
    c.budget_usd = parse_quantity(m.group(1), m.group(2))
    period = (m.group(3) or "").lower()
    c.budget_period = {"mo": "month", "yr": "year", "annum": "year", "call": "request"}.get(period, period) or None
    c.found.append(m.group(0).strip())


_MODEL_NAMES = {
    "llama 3.1 405b": "llama-3.1-405b", "llama-3.1-405b": "llama-3.1-405b", "405b": "llama-3.1-405b",
    "llama 3.1 70b": "llama-3.1-70b", "llama-3.1-70b": "llama-3.1-70b", "llama 3 70b": "llama-3.1-70b",
    "llama 2 70b": "llama-2-70b", "llama-2-70b": "llama-2-70b",
    "llama 3.1 8b": "llama-3.1-8b", "llama-3.1-8b": "llama-3.1-8b", "llama 3 8b": "llama-3.1-8b",
    "llama 2 13b": "llama-2-13b", "llama 2 7b": "llama-2-7b", "mistral 7b": "mistral-7b",
    "mixtral": "mixtral-8x7b", "8x7b": "mixtral-8x7b", "gpt-3": "gpt-3-175b", "175b": "gpt-3-175b",
    "chinchilla": "chinchilla-70b",
}


def _model(text: str, c: Constraints) -> None:
    low = text.lower()
    for name, model_id in sorted(_MODEL_NAMES.items(), key=lambda kv: -len(kv[0])):
        if re.search(rf"(?<![\w.]){re.escape(name)}(?![\w])", low):
            c.model_id = model_id
            c.found.append(name)
            break
    m = re.search(r"(?<![\w$.])(\d+(?:\.\d+)?)\s*(b|bn|billion)(?:[\s-]*(?:param\w*|model|llm|dense|moe))?\b",
                  text, re.I)
    if m and not re.match(r"\s*(?:tokens|documents|users|requests|dollars)", text[m.end():m.end() + 12], re.I):
        c.model_params = float(m.group(1)) * 1e9
        if m.group(0).strip().lower() not in c.found:
            c.found.append(m.group(0).strip())


def _context(text: str, c: Constraints) -> None:
    m = re.search(_NUM + r"[\s-]*(?:tokens?\s+(?:of\s+)?context|token\s+context|context(?:\s+window)?|"
                  r"-?token\s+(?:prompts?|inputs?|documents?))", text, re.I)
    if m:
        c.context_tokens = int(parse_quantity(m.group(1), m.group(2)))
        c.found.append(m.group(0).strip())


_GPUS = {"h100": "h100-sxm", "h200": "h200", "b200": "b200", "a100": "a100-80gb", "l4": "l4", "t4": "t4",
         "mi300x": "mi300x"}


def _gpu(text: str, c: Constraints) -> None:
    m = re.search(r"(?:(\d+)\s*(?:x\s*)?)?(?:nvidia\s+)?\b(h100|h200|b200|a100|l4|t4|mi300x)s?\b", text, re.I)
    if m:
        c.gpu_id = _GPUS[m.group(2).lower()]
        c.gpu_count = int(m.group(1)) if m.group(1) else None
        c.found.append(m.group(0).strip())


def _deployment_and_timeline(text: str, c: Constraints) -> None:
    low = text.lower()
    if re.search(r"on[- ]prem|on[- ]premises|air[- ]gapped|self[- ]hosted|own data ?cent(er|re)|in our vpc", low):
        c.deployment = "on-premises"
        c.found.append("on-premises")
    m = re.search(r"\b(mvp|prototype|pilot|in \d+ (?:weeks?|months?|days?)|by q[1-4])\b", low)
    if m:
        c.timeline = m.group(1)
        c.found.append(m.group(1))


def extract_constraints(question: str) -> Constraints:
    """The constraints ``question`` states (see the module docstring); unstated ones stay ``None``."""
    c = Constraints()
    text = " ".join(question.split())
    _requests(text, c)
    _latency(text, c)
    _budget(text, c)
    _model(text, c)
    _context(text, c)
    _gpu(text, c)
    _people_and_documents(text, c)
    _deployment_and_timeline(text, c)
    return c
