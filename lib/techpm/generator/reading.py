"""Read a question fully: every stated quantity with its unit and role, the modalities, the deployment,
the workloads, the regulated data and the users it names. The offline generator designs to this brief,
shows it in section 1 ("what the question states"), and the grader checks answers against it.

    >>> b = read_question("A voice agent for a bank call center: 5,000 concurrent calls, 700 ms voice-to-voice, PCI")
    >>> [(q.value, q.role) for q in b.quantities]
    [(5000.0, 'concurrent_sessions'), (700.0, 'latency_ms')]
    >>> sorted(b.modalities), sorted(b.regulated)
    (['text', 'voice'], ['PCI'])

How it reads a number: one pass over the text finds each number (``5,000``, ``1.5``, ``1e12``,
``10^12``, ``2M``, ``one billion``, ``eight``), its scale word (k, M, B, T, thousand, million, billion,
trillion) and the few words after it; the unit or noun there decides its role. Guards keep the usual
traps out: a number glued to letters is a name (``K-12``, ``H100``, ``GPT-4``, ``p95``), "1 billion
phones" counts devices while "a 1B model" or "1T parameters" is a model size, "5,000 concurrent calls"
are sessions, not documents, and a bare year is a date. Every pattern looks at a bounded window, the
quantities stop at ``MAX_QUANTITIES`` and the cues are read in the first ``CUE_CHARS`` characters, so a
question of a megabyte is read in linear time. Numbers it cannot place are kept with role ``"count"``
and the noun that follows, so no stated number is dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Brief", "Quantity", "mentions", "number_forms", "rate_per_s", "read_question", "say", "usd_per_month", "named_items"]

MAX_QUANTITIES = 40  # a question states a handful; a pasted document is capped, not read forever
CUE_CHARS = 20_000   # modalities, workloads, regulations, users and facet cues are read in this much text


@dataclass(frozen=True)
class Quantity:
    """A stated quantity: ``value`` in ``unit``; ``role`` says what it measures (``"users"``,
    ``"latency_ms"``, ...); ``text`` is the span as written in the question."""

    value: float
    unit: str
    role: str
    text: str


@dataclass(frozen=True)
class Brief:
    """What a question states (see the module docstring); ``facets`` are the names of the offline
    generator's facets that fire, most central first."""

    question: str
    quantities: tuple[Quantity, ...]
    modalities: frozenset[str]
    deployment: str | None
    workloads: frozenset[str]
    regulated: frozenset[str]
    users: tuple[str, ...]
    facets: tuple[str, ...]

    def first(self, *roles: str) -> Quantity | None:
        """The first stated quantity with one of ``roles`` (None when the question states none)."""
        for q in self.quantities:
            if q.role in roles:
                return q
        return None

    def all(self, *roles: str) -> list[Quantity]:
        return [q for q in self.quantities if q.role in roles]


# --- numbers ----------------------------------------------------------------------------------------

_SCALE = {"k": 1e3, "thousand": 1e3, "m": 1e6, "mm": 1e6, "mn": 1e6, "million": 1e6, "b": 1e9, "bn": 1e9,
          "billion": 1e9, "t": 1e12, "tn": 1e12, "trillion": 1e12}
_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
          "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40,
          "fifty": 50, "hundred": 100, "a dozen": 12, "a hundred": 100, "a thousand": 1e3, "a million": 1e6,
          "a billion": 1e9, "half a million": 5e5}
_WORD_NUM = "|".join(sorted((re.escape(w) for w in _WORDS), key=len, reverse=True))
_NUMBER = re.compile(
    r"(?P<num>(?<![\w.])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:[eE][+]?\d{1,3}|\s?[x×*]\s?10\^\d{1,3})?"
    r"|\b(?:" + _WORD_NUM + r")\b)"
    r"(?:\s?(?P<scale>thousand|million|billion|trillion|mm|mn|bn|tn|[kKmMbBtT])(?![a-zA-Z]))?", re.I)

_TIME = {"second": 1.0, "sec": 1.0, "s": 1.0, "minute": 60.0, "min": 60.0, "hour": 3600.0, "hr": 3600.0,
         "day": 86400.0, "week": 7 * 86400.0, "month": 30 * 86400.0, "year": 365 * 86400.0}
_PERIOD_NAME = {1.0: "s", 60.0: "min", 3600.0: "hour", 86400.0: "day", 7 * 86400.0: "week",
                30 * 86400.0: "month", 365 * 86400.0: "year"}

# Nouns that place a count; the first list that matches the words after a number wins.
_PEOPLE = ("users", "customers", "employees", "lawyers", "attorneys", "developers", "engineers", "doctors",
           "physicians", "clinicians", "nurses", "students", "learners", "teachers", "tutors", "analysts",
           "people", "seats", "members", "subscribers", "patients", "sellers", "merchants", "drivers",
           "creators", "reps", "advisors", "advisers", "researchers", "accountants", "shoppers", "players",
           "gamers", "viewers", "listeners", "readers", "writers", "journalists", "editors", "agents",
           "operators", "moderators", "reviewers", "annotators", "labelers", "labellers", "traders",
           "bankers", "clients", "guests", "travelers", "travellers", "passengers", "citizens", "residents",
           "farmers", "workers", "technicians", "pharmacists", "radiologists", "scientists", "dau", "mau",
           "daily active users", "monthly active users", "accounts", "children", "kids", "parents",
           "recruiters", "candidates", "salespeople", "support staff", "staff", "volunteers", "callers")
_DEVICES = ("phones", "smartphones", "devices", "handsets", "cars", "vehicles", "cameras", "robots", "watches",
            "wearables", "laptops", "tablets", "sensors", "drones", "headsets", "glasses", "speakers",
            "kiosks", "terminals", "machines", "appliances", "tvs", "consoles", "iphones", "android phones",
            "android devices", "edge devices", "point-of-sale terminals")
_ORGS = ("schools", "districts", "hospitals", "clinics", "stores", "shops", "branches", "restaurants",
         "companies", "businesses", "enterprises", "tenants", "organizations", "organisations", "universities",
         "banks", "firms", "law firms", "warehouses", "factories", "plants", "offices", "hotels", "pharmacies",
         "retailers", "brands", "teams", "departments", "countries", "markets", "cities", "sites", "facilities")
_DOCS = ("documents", "docs", "contracts", "pages", "pdfs", "files", "articles", "papers", "emails", "records",
         "filings", "reports", "manuals", "patents", "products", "listings", "repositories", "repos",
         "code files", "lines of code", "books", "issues", "recipes", "policies", "notes", "chunks",
         "web pages", "webpages", "transcripts", "cases", "tickets", "messages", "conversations", "chats",
         "posts", "comments", "reviews", "invoices", "receipts", "forms", "claims", "resumes", "cvs",
         "slides", "spreadsheets", "datasets", "wiki pages", "faqs", "questions", "items", "skus",
         "applications", "prescriptions", "charts", "scans", "x-rays", "studies", "songs", "tracks",
         "episodes", "podcasts", "lectures", "courses", "lessons", "functions", "services", "microservices",
         "tables", "queries", "prompts", "outputs", "responses", "answers", "entries", "opinions", "statutes",
         "regulations", "precedents", "memos", "briefs", "theses", "dissertations", "abstracts", "guidelines",
         "protocols", "procedures", "sops", "playbooks", "runbooks", "specs", "specifications", "drawings")
_MEDIA = {"images": "images", "photos": "images", "pictures": "images", "screenshots": "images",
          "videos": "videos", "clips": "videos", "recordings": "recordings", "calls": "calls",
          "meetings": "meetings", "frames": "frames"}
_REQUESTS = ("requests", "queries", "calls", "questions", "messages", "conversations", "chats", "sessions",
             "tasks", "tickets", "images", "photos", "documents", "pages", "completions", "generations",
             "searches", "transactions", "interactions", "orders", "videos", "uploads", "posts", "emails",
             "claims", "applications", "invoices", "receipts", "forms", "reviews", "comments", "lookups",
             "predictions", "inferences", "translations", "meetings", "minutes of audio", "hours of audio",
             "hours of video", "events", "jobs", "runs", "tokens", "words", "characters", "clicks",
             "notifications", "alerts", "reports", "trips", "rides", "deliveries", "visits", "prompts")
_TRAINING = ("preference pairs", "preference comparisons", "comparisons", "pairs", "preferences",
             "ranked pairs", "demonstrations", "labeled examples", "labelled examples", "training examples",
             "examples", "samples", "annotations", "labels", "dialogues", "instruction pairs")
_ATTACKS = ("attacks", "jailbreaks", "jailbreak attempts", "red-team prompts", "red team prompts",
            "adversarial prompts", "attack prompts", "probes")


_NOT_PEOPLE = frozenset((
    "servers", "containers", "parameters", "orders", "vectors", "clusters", "layers", "numbers", "letters",
    "chapters", "characters", "headers", "answers", "papers", "filters", "registers", "computers", "routers",
    "printers", "trailers", "meters", "liters", "litres", "centimeters", "kilometers", "millimeters", "dollars",
    "errors", "sensors", "monitors", "motors", "processors", "accelerators", "transformers", "adapters",
    "encoders", "decoders", "classifiers", "embedders", "rerankers", "tokenizers", "counters", "markers",
    "folders", "binders", "towers", "centers", "quarters", "corridors", "floors", "doors", "colors", "factors",
    "tensors", "indicators", "elements", "documents", "segments", "components", "comments", "payments",
    "events", "agents", "clients", "patients", "students", "assistants", "restaurants", "plants", "variants",
    "tenants", "percents", "cents", "fees", "employees", "trustees", "degrees", "committees", "guarantees",
    "attendees", "refugees", "trainees", "licensees", "pharmacies", "others", "offers", "answers", "hours"))


def _word_list(words: tuple[str, ...]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


_MOD = r"(?:[a-z][\w'/-]*\s+){0,3}?"  # up to three modifier words between a number and its noun
_PEOPLE_RE = re.compile(rf"\s*{_MOD}({_word_list(_PEOPLE)})\b", re.I)
_DEVICE_RE = re.compile(rf"\s*{_MOD}({_word_list(_DEVICES)})\b", re.I)
_ORG_RE = re.compile(rf"\s*{_MOD}({_word_list(_ORGS)})\b", re.I)
_DOC_RE = re.compile(rf"\s*{_MOD}({_word_list(_DOCS)})\b", re.I)
_TRAIN_RE = re.compile(rf"\s*{_MOD}({_word_list(_TRAINING)})\b", re.I)
_ATTACK_RE = re.compile(rf"\s*{_MOD}({_word_list(_ATTACKS)})\b", re.I)
_RATE_RE = re.compile(rf"[\s-]*{_MOD}({_word_list(_REQUESTS)})?\s*(?:per|a|an|each|every|/)\s*"
                      r"(second|sec|s|minute|min|hour|hr|day|week|month|year)\b", re.I)
_UNIT_RATE_RE = re.compile(r"\s*(qps|rps|req/s|requests?/s|queries/s|rpm|tps|tokens?/s|tok/s|tokens?/sec)\b", re.I)
_CONCURRENT_RE = re.compile(r"\s*(?:(?:[a-z]+\s+)?(?:concurrent|simultaneous|parallel|live)"
                            r"(?:ly)?\s+([a-z]+)|([a-z]+) (?:at once|in parallel|concurrently|"
                            r"at the same time))", re.I)
_SKIP_PREV = re.compile(r"\b(?:llama|gpt|claude|gemini|mistral|qwen|phi|gemma|version|v|ios|android|python|"
                        r"windows|level|tier|grade|grades|section|chapter|phase|q|web|top|iso|soc|ages?|aged|"
                        r"rule|article|sonnet|opus|haiku|whisper|stage|series|model|round|class|type|"
                        r"mi|nvidia|rtx|gen|part|figure|table|appendix)[\s-]*$", re.I)
_LATENCY_CONTEXT = re.compile(r"latenc|respon|reply|replies|answer|under|below|within|less than|<|p\d\d|ttft|"
                              r"first token|voice-to-voice|round[- ]trip|end-to-end|budget|turn|fast|load|"
                              r"return|feel|instant|sla|slo|max|at most|no more than|in\s*$|\bto\s*$", re.I)


def _parse_number(raw: str) -> float:
    raw = raw.strip().lower()
    if raw in _WORDS:
        return float(_WORDS[raw])
    m = re.match(r"([\d,]+(?:\.\d+)?)\s?[x×*]\s?10\^(\d+)", raw)
    if m:
        return float(m.group(1).replace(",", "")) * 10 ** int(m.group(2))
    return float(raw.replace(",", ""))


def _clause(before: str) -> str:
    """The words before a number back to the last comma, semicolon or full stop (lower case)."""
    return re.split(r"[,;.:()]", before[-45:])[-1].lower()


def _is_year(raw: str, scale: str | None) -> bool:
    return scale is None and re.fullmatch(r"1[5-9]\d\d|20\d\d", raw) is not None


@dataclass
class _Reading:
    quantities: list[Quantity]


def _place(text: str, m: re.Match[str], value: float, scale_word: str) -> Quantity | None:
    """The quantity a number match states, or None when it is not a quantity (a name, a year, a range start)."""
    start, end = m.start(), m.end()
    before = text[max(0, start - 40):start]
    after = text[end:end + 80]
    raw = m.group("num")
    low_after = after.lower()
    # names and versions: K-12, GPT-4, H100, p95, Llama 3.1, "grades 9-12", "ages 8-12"
    if re.search(r"[A-Za-z]-?$", before) and not re.search(r"[\s(~$€£]$|^$", before[-1:] or " "):
        return None
    if _SKIP_PREV.search(before) and not scale_word and not re.match(r"\s*(?:%|x\b|×)", after):
        if not re.match(r"[\s-]*(?:b|bn|billion|t|trillion)?[\s-]*param", low_after):
            return None
    if re.search(r"(?:grades?|ages?|aged|k)\s*\d*\s*[-–]\s*$", before.lower()):
        return None
    if re.match(r"\s*(?:[-–]|to)\s*\d", after) and not re.match(r"\s*to\s*\d+\s*(?:x|%)", after):
        return None  # the start of a range ("3-5 seconds"): the end carries the unit
    if re.match(r"[\d.]*\.\d", after) or re.match(r"/\d", after):
        return None  # a version or date part
    if re.match(r"[a-z]", after) and not scale_word and not re.match(r"(?:x|ms|s|gb|tb|mb|k|fps|h)\b", low_after):
        return None  # glued to letters ("4o", "3rd"): a name
    unit, role = "", "count"
    scale = _SCALE.get(scale_word.lower(), 1.0) if scale_word else 1.0
    n = value * scale

    def span(extra: int) -> str:
        return text[start:end + extra].strip()

    # money
    money_before = re.search(r"(?:\$|usd\s?|us\$|€|£)\s*$", before, re.I)
    if money_before or re.match(r"\s*(?:dollars|usd)\b", after, re.I):
        per = re.match(r"\s*(?:dollars|usd)?\s*(?:/|per|a|an|each)\s*(?:1k\s+|1,000\s+|million\s+|m\s+)?"
                       r"(month|mo|year|yr|annum|day|week|quarter|query|request|call|user|seat|image|minute|"
                       r"hour|task|conversation|ticket|document|page|mtok|token|tokens|student|device|"
                       r"customer|session|message|video|month per user)\b", after, re.I)
        t0 = start - len(money_before.group(0)) if money_before else start
        if per:
            period = per.group(1).lower()
            period = {"mo": "month", "yr": "year", "annum": "year", "tokens": "mtok"}.get(period, period)
            if period in ("month", "year", "day", "week", "quarter"):
                return Quantity(n, f"USD/{period}", "budget_usd", text[t0:end + per.end()].strip())
            return Quantity(n, f"USD/{period}", "price_usd", text[t0:end + per.end()].strip())
        ctx = (before + after[:40]).lower()
        role = "budget_usd" if re.search(r"budget|spend|cap|afford|limit|fund|cost", ctx) else "usd"
        word = re.match(r"\s*(?:dollars|usd)\b", after, re.I)
        return Quantity(n, "USD", role, text[t0:end + (word.end() if word else 0)].strip())
    # percent, factors, points
    pm = re.match(r"\s*(%|percent\b|per cent\b)", after, re.I)
    if pm:
        return Quantity(n, "%", "percent", span(pm.end()))
    fm = re.match(r"\s*(?:x|×|-?fold|times)(?![a-z])", after, re.I)
    if fm:
        return Quantity(n, "x", "improvement_factor", span(fm.end()))
    pt = re.match(r"\s*(?:percentage\s+)?(?:points?|pp|pts?)\b", after, re.I)
    if pt:
        return Quantity(n, "points", "points", span(pt.end()))
    # model size: "70B model", "1T parameters", "7 billion parameters", "a 1B"
    ms = re.match(r"[\s-]*(?:param(?:eter)?s?|(?:-?param(?:eter)?\s+)?(?:model|llm|slm|dense|moe|transformer|"
                  r"network|checkpoint|base model|open model|open-weights?))\b", after, re.I)
    if ms and (scale_word.lower() in ("b", "bn", "billion", "t", "tn", "trillion", "m", "million")
               or re.match(r"[\s-]*param", after, re.I)):
        return Quantity(n, "parameters", "model_params", span(ms.end()))
    if scale_word in ("B", "T") and m.group(0)[-2:-1].isdigit() and not _PEOPLE_RE.match(after) \
            and not _DEVICE_RE.match(after) and not _DOC_RE.match(after):
        return Quantity(n, "parameters", "model_params", span(0))  # "a 70B" on its own
    # compute
    fl = re.match(r"[\s-]*(?:flops?|flop/s|floating[- ]point operations)\b", after, re.I)
    if fl:
        return Quantity(n, "FLOPs", "compute_flops", span(fl.end()))
    # time
    tm = re.match(r"[\s-]*(ms|msec|milliseconds?|s|secs?|seconds?|minutes?|mins?|hours?|hrs?|h|days?|weeks?|"
                  r"months?|years?|yrs?)\b", after, re.I)
    if tm:
        word = tm.group(1).lower()
        full = span(tm.end())
        if word in ("ms", "msec") or word.startswith("millisecond"):
            role = "ttft_ms" if re.search(r"ttft|first token", _clause(before)) else "latency_ms"
            return Quantity(n, "ms", role, full)
        if word in ("s", "sec", "secs") or word.startswith("second"):
            ctx = before[-30:] + " " + after[tm.end():tm.end() + 25]
            if re.match(r"[\s-]*(?:long\s+)?(?:clips?|videos?|audio|recordings?|calls?|segments?|windows?)",
                        after[tm.end():], re.I):
                return Quantity(n, "s", "media_seconds", full)
            if _LATENCY_CONTEXT.search(ctx) or _LATENCY_CONTEXT.search(_clause(before)):
                role = "ttft_ms" if re.search(r"ttft|first token", _clause(before)) else "latency_ms"
                return Quantity(n * 1000, "ms", role, full)
            return Quantity(n, "s", "duration_s", full)
        rest = after[tm.end():tm.end() + 40].lower()
        if word.startswith(("minute", "min")):
            if _LATENCY_CONTEXT.search(_clause(before)) and not re.search(r"every|each|per\s*$", _clause(before)):
                return Quantity(n * 60_000, "ms", "latency_ms", full)
            if re.match(r"[\s-]*(?:long\s+)?(?:of\s+)?(?:audio|video|footage|speech|recordings?|calls?|meetings?|"
                        r"lectures?|episodes?|podcasts?|clips?|sessions?|conversations?|visits?|appointments?)", rest):
                return Quantity(n, "min", "media_minutes", full)
            return Quantity(n, "min", "minutes", full)
        if word.startswith(("hour", "hr")) or word == "h":
            om = re.match(r"\s*(?:of\s+)?(?:[a-z]+\s+){0,2}?(audio|videos?|footage|speech|"
                          r"recordings?|calls?|content|podcasts?|lectures?|meetings?|tv|broadcasts?)\b", rest)
            if om:
                return Quantity(n, "hours", "media_hours", span(tm.end() + om.end()))
            return Quantity(n, "hours", "hours", full)
        if word.startswith("day"):
            return Quantity(n, "days", "days", full)
        if word.startswith("week"):
            return Quantity(n, "weeks", "weeks", full)
        if word.startswith("month"):
            return Quantity(n, "months", "months", full)
        return Quantity(n, "years", "years", full)
    # bytes
    bm = re.match(r"[\s-]*(kb|mb|gb|gib|tb|tib|pb|gigabytes?|terabytes?|petabytes?|megabytes?)\b", after, re.I)
    if bm:
        word = bm.group(1).lower()
        gb = n * {"k": 1e-6, "m": 1e-3, "g": 1, "t": 1e3, "p": 1e6}[word[0]]
        ctx = (before[-30:] + after[bm.end():bm.end() + 30]).lower()
        unit = {"k": "KB", "m": "MB", "g": "GB", "t": "TB", "p": "PB"}[word[0]]
        if re.search(r"ram|memory|vram|hbm|gpu|device|phone|chip|npu|on-device|laptop", ctx):
            return Quantity(gb, "GB", "memory_gb", span(bm.end()))
        return Quantity(n, unit, "data_bytes" if unit != "GB" else "data_gb", span(bm.end()))
    # tokens and context
    cx = re.match(r"[\s-]*(?:tokens?[\s-]+)?(?:of\s+)?context(?:[\s-]+(?:window|length))?\b", after, re.I)
    if cx:
        return Quantity(n, "tokens", "context_tokens", span(cx.end()))
    tk = re.match(r"[\s-]*(?:[a-z]+[\s-]+)?(tokens?|tok)\b", after, re.I)
    if tk and not re.match(r"\s*(?:/|per)\s*(?:s|sec|second)", after[tk.end():], re.I):
        ctx = (before[-25:] + after[:tk.end() + 25]).lower()
        rate = _RATE_RE.match(after)
        if rate and rate.group(1) and rate.group(1).lower() == "tokens":
            period = _TIME[rate.group(2).lower()]
            return Quantity(n, f"tokens/{_PERIOD_NAME[period]}", f"tokens_per_{_PERIOD_NAME[period]}",
                            span(rate.end()))
        role = "context_tokens" if re.search(r"context|window|prompt", ctx) else "tokens"
        return Quantity(n, "tokens", role, span(tk.end()))
    ur = _UNIT_RATE_RE.match(after)
    if ur:
        word = ur.group(1).lower()
        if word.startswith("tok") or word == "tps":
            return Quantity(n, "tokens/s", "tokens_per_s", span(ur.end()))
        if word == "rpm":
            return Quantity(n, "requests/min", "requests_per_min", span(ur.end()))
        return Quantity(n, "requests/s", "requests_per_s", span(ur.end()))
    lm = re.match(r"[\s-]*(?:[a-z]+\s+)?(languages?|locales?|dialects?)\b", after, re.I)
    if lm:
        return Quantity(n, "languages", "languages", span(lm.end()))
    gm = re.match(r"\s*(?:x\s*)?(?:nvidia\s+)?(gpus?|h100s?|h200s?|a100s?|b200s?|l4s?|t4s?|mi300xs?|tpus?|"
                  r"accelerators?)\b", after, re.I)
    if gm:
        return Quantity(n, gm.group(1).lower().rstrip("s") or "gpu", "gpus", span(gm.end()))
    fr = re.match(r"\s*(?:fps|frames?\s*(?:per|a|/)\s*(?:second|sec|s))\b", after, re.I)
    if fr:
        return Quantity(n, "frames/s", "frames_per_s", span(fr.end()))
    st = re.match(r"[\s-]*(?:tool\s+calls?|steps?|turns?|hops?|actions?)\b", after, re.I)
    if st and not re.match(r"[\s-]*(?:turns?)\s+(?:per|a)", after, re.I):
        return Quantity(n, "steps", "agent_steps", span(st.end()))
    # rates of things: "300,000 images a day", "50 queries per minute"
    rate = _RATE_RE.match(after)
    if rate and (rate.group(1) or re.match(r"\s*(?:per|/)", after)):
        period = _TIME[rate.group(2).lower()]
        noun = (rate.group(1) or "requests").lower()
        name = _PERIOD_NAME[period]
        role = "requests_per_s" if period == 1.0 else f"requests_per_{name}"
        if noun == "tokens":
            role = f"tokens_per_{name}"
        return Quantity(n, f"{noun}/{name}", role, span(rate.end()))
    # concurrent sessions before the generic nouns: "5,000 concurrent calls" are sessions
    cm = _CONCURRENT_RE.match(after)
    if cm:
        return Quantity(n, (cm.group(1) or cm.group(2) or "sessions").lower(), "concurrent_sessions",
                        span(cm.end()))
    ctx_before = before[-30:].lower()
    # team: "a team of 6", "6 engineers on the team", "6-person team"
    builders = re.match(r"[\s-]*(?:[a-z]+\s+)?(engineers?|people|persons?|developers?|researchers?|scientists?|"
                        r"members?|pms?|designers?|annotators?)\b", after, re.I)
    if re.search(r"(?:team|squad|crew|headcount) of\s*$", ctx_before):
        return Quantity(n, "people", "team_size", span(builders.end() if builders else 0))
    team = re.match(r"[\s-]*(?:person|people|engineer|member)s?[\s-]+((?:[a-z]+[\s-]+){0,3}?)"
                    r"(?:team|squad|department|desk|unit)\b", after, re.I)
    if team:
        what = team.group(1).strip(" -").lower()
        if not what or re.search(r"engineer|\bml\b|\bai\b|data|platform|product|dev|research|infra", what):
            return Quantity(n, "people", "team_size", span(team.end()))
        # "a 40-person claims team": the people who will use the system, not the builders
        return Quantity(n, f"{what} team members", "users", span(team.end()))
    if builders and n <= 200 and re.search(r"(?:with|have|has|only|just|of|hire|add)\s*$", ctx_before) and \
            re.search(r"\b(?:we|our|team|with|only|just|hire)\b", ctx_before):
        return Quantity(n, "people", "team_size", span(builders.end()))
    for regex, role in ((_TRAIN_RE, "preference_pairs"), (_ATTACK_RE, "attacks")):
        hit = regex.match(after)
        if hit:
            noun = hit.group(1).lower()
            if role == "preference_pairs" and not re.search(r"pair|comparison|preference|rank", noun):
                ctx = (before + after[:60]).lower()
                role = "eval_items" if re.search(r"eval|test set|golden|benchmark|held[- ]out", ctx) \
                    else "training_examples"
            return Quantity(n, noun, role, span(hit.end()))
    if re.match(r"\s*(?:years?\s+old|yo)\b", after, re.I) or (
            re.search(r"(?:under|over|below|above|younger than|older than|aged?|ages)\s*$", ctx_before)
            and re.search(r"child|kid|minor|teen|age|student|user|people|anyone|under", ctx_before)
            and value < 120 and not scale_word):
        return Quantity(n, "years", "age", span(0))
    for regex, role in ((_PEOPLE_RE, "users"), (_DEVICE_RE, "devices"), (_ORG_RE, "organizations")):
        hit = regex.match(after)
        if hit:
            return Quantity(n, hit.group(1).lower(), role, span(hit.end()))
    person = re.match(r"\s*(?:[a-z]+\s+)?([a-z]+(?:ers|ors|ists|ians|ants|ees))\b", after, re.I)
    if person and person.group(1).lower() not in _NOT_PEOPLE and not _DOC_RE.match(after):
        return Quantity(n, person.group(1).lower(), "users", span(person.end()))  # adjusters, auditors, pharmacists
    media = re.match(rf"\s*{_MOD}({'|'.join(_MEDIA)})\b", after, re.I)
    if media:
        return Quantity(n, media.group(1).lower(), "media_items", span(media.end()))
    hit = _DOC_RE.match(after)
    if hit:
        return Quantity(n, hit.group(1).lower(), "documents", span(hit.end()))
    if _is_year(raw, scale_word or None):
        if re.search(r"(?:since|from|in|by|until|till|back to|before|after|of|year)\s*$", ctx_before):
            return Quantity(n, "year", "year", span(0))
        return None
    nm = re.match(r"\s*(?:[a-z][\w-]*\s+){0,1}?([a-z][\w-]*)", after, re.I)
    noun = nm.group(1).lower() if nm else ""
    if noun in ("of", "the", "and", "or", "to", "in", "on", "at", "for", "is", "are", "with"):
        noun = ""
    if not noun and value == int(value) and value < 10 and not scale_word:
        return None  # a bare small number ("step 3", "option 2") states nothing
    return Quantity(n, noun or "", "count", span(nm.end() if nm and noun else 0))


def _quantities(text: str) -> tuple[Quantity, ...]:
    found: list[Quantity] = []
    for m in _NUMBER.finditer(text):
        if len(found) >= MAX_QUANTITIES:
            break
        try:
            value = _parse_number(m.group("num"))
        except (ValueError, OverflowError):
            continue
        if value != value or value in (float("inf"), float("-inf")):
            continue
        q = _place(text, m, value, m.group("scale") or "")
        if q is not None and q.value == q.value and abs(q.value) != float("inf"):
            found.append(q)
    return tuple(found)


# --- everything else the question states --------------------------------------------------------------

_MODALITY_CUES = {
    "voice": r"(?<!brand )(?<!your )(?<!our )\bvoice(?! and tone)(?!s? of)|speech|spoken|\baudio\b|call[- ]?cent(?:er|re)|phone calls?|\bcalls?\b.*\b(?:agent|center)|"
             r"podcast|transcri|dictat|\basr\b|\btts\b|text[- ]to[- ]speech|speech[- ]to[- ]text|\bivr\b|hotline|"
             r"\bsubtitl|\bcaption|interpret(?:er|ing)|meeting notes|voicemail",
    "image": r"\bimages?\b|\bphotos?\b|picture|screenshot|\bscan(?:s|ned)?\b|\bocr\b|receipt|x-?rays?|\bcamera|"
             r"diagram|\bvision\b|handwrit|invoices?|radiolog|\bmri\b|satellite|\bcharts?\b|whiteboard|"
             r"floor ?plans?|product shots|selfie|id cards?|passport|blueprint",
    "video": r"\bvideos?\b|footage|\bclips?\b|\bframes?\b|cctv|youtube|livestream|surveillance|\bmovies?\b|"
             r"\bfilms?\b|broadcast|dashcam|body ?cam|lecture recordings|\btv\b|\bstreams? of video",
}
_DEPLOYMENT_CUES = (
    ("on-device", r"on[- ]device|\bedge\b|offline on|runs? locally|\blocal(?:ly)?\b.*\b(?:phone|laptop|device)|"
                  r"\bphones?\b.*\b(?:ram|memory)\b|gb of ram|\bmobile keyboard|in[- ]car\b|embedded|"
                  r"on the (?:phone|device|watch|car|robot|laptop)|without (?:a )?(?:network|internet|connectivity)|"
                  r"\bnpu\b|microcontroller|raspberry pi|smart ?watch|wearable"),
    ("self-hosted", r"self[- ]host|on[- ]prem|air[- ]?gapped|our own (?:gpus|hardware|data ?cent|cluster|servers)|"
                    r"open[- ]weights?|open[- ]source (?:model|llm)|\bh100s?\b|\ba100s?\b|\bh200s?\b|\bb200s?\b|"
                    r"\bgpus?\b.*\bserv|\bserv\w*\b.*\bgpus?\b|\bvllm\b|in our vpc|private cloud|"
                    r"serving (?:stack|infrastructure|platform)|inference (?:platform|cluster|fleet)"),
    ("hosted-api", r"\bvia (?:an? |the )?api\b|hosted (?:model|api|llm)|claude|gpt-?\d|gemini|openai|anthropic|"
                   r"bedrock|vertex|third[- ]party (?:model|api|llm)|model provider|foundation model api"),
)
_WORKLOAD_CUES = {
    "rag": r"\brag\b|retriev|knowledge base|semantic search|\bsearch\b|vector|\bcorpus\b|question[- ]answering|"
           r"\bq&a\b|chat with (?:our|your|their|the)|\barchive\b|knowledge (?:assistant|management)|wiki|"
           r"documentation (?:assistant|bot|search)|ground(?:ed|ing) in|look ?up",
    "agent": r"\bagents?\b|agentic|tool[- ]use|tool calling|function calling|autonomous|computer use|browse|"
             r"multi[- ]step|take actions?|\bbook(?:s|ing)?\b|workflow automation|\bmcp\b|executes?|"
             r"coding assistant|fixes bugs|opens? (?:pull requests|prs)",
    "chat": r"\bchat|assistant|copilot|\btutor|conversation|chatbot|companion|concierge|helpdesk|help desk",
    "classification": r"classif|moderat|triage|routing|detect|flag|spam|fraud|categori[sz]|tagging|sentiment|"
                      r"intent",
    "translation": r"translat|interpret(?:er|ation|ing)?\b|multilingual|localiz|localis|subtitl|dubbing|"
                   r"cross[- ]lingual|\bin \d+ languages",
    "tuning": r"fine[- ]?tun|\brlhf\b|\bdpo\b|\bppo\b|reward model|preference (?:data|pairs|tuning|optimi[sz]ation)|"
              r"\bsft\b|\blora\b|distill|post[- ]train|pre-?train|train (?:our|a|an|its|their) own|instruction[- ]tun|"
              r"\brlaif\b|constitutional ai|preference pairs",
    "evals": r"\bevals?\b|evaluat|benchmark|llm[- ]as[- ](?:a[- ])?judge|golden (?:set|dataset)|a/b test|"
             r"regression test|measure (?:the )?quality|how (?:do|would) (?:you|we) know|grading|win rate",
    "pricing": r"pric(?:e|ing)|monetiz|billing|\btiers?\b|per[- ]seat|usage[- ]based|margin|packag",
    "platform": r"\bapis?\b|\bsdks?\b|developer platform|developer experience|rate[- ]limit|quota|endpoint|"
                r"versioning|webhook|backward[- ]compat|platform for developers",
    "serving": r"\bserv(?:e|es|ing)\b|inference|throughput|\bgpus?\b|quantiz|\bint[48]\b|\bfp8\b|speculative|"
               r"batching|tokens per second|tokens/s|\bttft\b|time to first token|\bqps\b|kv[- ]cache|"
               r"latency",
    "summarization": r"summar|digest|recap|meeting notes|minutes of",
    "extraction": r"extract|parse|\bocr\b|structured (?:data|output)|fields? from|key[- ]value|invoice|receipt",
    "generation": r"generat|draft|write|compose|copywrit|create (?:content|images|videos)",
    "recommendation": r"recommend|personali[sz]|ranking|feed\b|next[- ]best",
    "coding": r"\bcod(?:e|ing)\b|codebase|repositor|monorepo|pull requests?|\bide\b|developer tools?",
    "long_context": r"long[- ]context|context window|\d+\s*[mk]?[\s-]*tokens? (?:of )?context|whole (?:codebase|book)|"
                    r"million[- ]token|[\d.]+\s?m[\s-]*token",
    "safety": r"safety|\bsafe\b|harm|abuse|misuse|jailbreak|moderat|content (?:filter|polic)|trust (?:and|&) safety|"
              r"red[- ]team|toxic|prompt injection|guardrail|self[- ]harm|\bcsam\b|extremis|safeguard",
    "cost": r"cost|cheaper|spend|bill\b|budget|\d+\s?x\b|reduce .*(?:cost|price|spend)|unit economics|margin",
}
_REGULATED = {
    "PCI": r"\bpci\b|pci[- ]dss|card (?:numbers?|data|payments?)|credit cards?|cardholder|\bpan\b",
    "HIPAA": r"\bhipaa\b|\bphi\b|patient|medical records?|clinical|health records?|\behr\b|\bemr\b|hospital",
    "COPPA": r"\bcoppa\b|children under 13|kids under 13|under 13|\bk-12\b|\bk12\b|elementary school|children",
    "FERPA": r"\bferpa\b|student records?|education records?|\bk-12\b|\bk12\b|school district",
    "GDPR": r"\bgdpr\b|\beu\b|european|right to (?:be forgotten|erasure)|data subjects?",
    "CCPA": r"\bccpa\b|\bcpra\b|california consumer",
    "SOC 2": r"\bsoc ?2\b",
    "SOX": r"\bsox\b|sarbanes",
    "GLBA": r"\bglba\b|gramm|bank customer data|banking data|nonpublic personal",
    "FINRA": r"\bfinra\b|broker[- ]dealer|\bsec rule",
    "EU AI Act": r"ai act",
    "attorney-client privilege": r"privilege|attorney[- ]client",
    "FedRAMP": r"fedramp|government agenc|federal agenc",
    "ITAR": r"\bitar\b|export[- ]controlled",
}
_NAMED = tuple(p for p in _PEOPLE if " " not in p and p not in ("people", "dau", "mau", "agents", "accounts", "tutors",
                                                                 "seats", "staff", "children", "kids"))
_USER_RE = re.compile(r"\b(?:(?:[a-z]+[- ])?(?:" + _word_list(_NAMED + tuple(p[:-1] for p in _NAMED if p.endswith("s")))
                      + r"|children|kids))\b", re.I)
_USER_MODIFIERS = ("bank", "hospital", "support", "call-center", "call center", "enterprise", "retail", "k-12",
                   "school", "high-school", "medical", "legal", "sales", "field", "junior", "senior", "new",
                   "internal", "external", "end", "mobile", "android", "business", "small-business", "home",
                   "elderly", "young", "adult", "deaf", "blind", "remote", "frontline", "contact-center")


def _named_users(low: str) -> tuple[str, ...]:
    users: list[str] = []
    for m in _USER_RE.finditer(low):
        if len(users) >= 6:
            break
        words = m.group(0).split(" ") if " " in m.group(0) else [m.group(0)]
        phrase = m.group(0) if len(words) > 1 and words[0] in _USER_MODIFIERS else words[-1]
        phrase = phrase.replace("-", " ") if phrase.startswith("call-") else phrase
        if not phrase.endswith(("s", "children")):
            phrase += "s"  # "teacher oversight" names the teachers
        if phrase not in users and not any(phrase.endswith(u) or u.endswith(phrase) for u in users):
            users.append(phrase)
    return tuple(users)


def read_question(question: str) -> Brief:
    """The brief of ``question`` (see the module docstring). A non-string or empty question is one
    clear ``TechpmError``; anything else gets a brief, in time linear in its length."""
    from techpm.errors import TechpmError

    if not isinstance(question, str) or not question.strip():
        raise TechpmError(f"question must be a non-empty string, got {question!r:.80}.")
    text = " ".join(question.split())
    low = text[:CUE_CHARS].lower()
    quantities = _quantities(text)
    modalities = {"text"} | {name for name, cue in _MODALITY_CUES.items() if re.search(cue, low)}
    if "image" in modalities and re.search(r"\bimage (?:generation|model)\b|text[- ]to[- ]image", low):
        modalities.add("image")
    deployment = next((name for name, cue in _DEPLOYMENT_CUES if re.search(cue, low)), None)
    if deployment is None and any(q.role == "memory_gb" for q in quantities) and \
            any(q.role == "devices" for q in quantities):
        deployment = "on-device"
    workloads = frozenset(name for name, cue in _WORKLOAD_CUES.items() if re.search(cue, low))
    regulated = frozenset(name for name, cue in _REGULATED.items() if re.search(cue, low))
    brief = Brief(text, quantities, frozenset(modalities), deployment, workloads, regulated,
                  _named_users(low), ())
    from techpm.generator import facets

    names = tuple(f.name for f in facets.active(brief))
    return Brief(text, quantities, brief.modalities, deployment, workloads, regulated, brief.users, names)


# --- how an answer may write a quantity ---------------------------------------------------------------------

def _plain(x: float) -> list[str]:
    """'5,000' and '5000' (integers), '1.5' (decimals)."""
    if float(x).is_integer():
        i = int(x)
        return list(dict.fromkeys([f"{i:,}", str(i)]))
    return list(dict.fromkeys([f"{x:,.2f}".rstrip("0").rstrip("."), f"{x:g}", f"{x:,.1f}"]))


def _short(x: float) -> list[str]:
    """'5k', '5K', '5 thousand', '2M', '2 million', '1B', '1 billion', '1T', '1 trillion'."""
    out: list[str] = []
    for scale, letters, word in ((1e12, ("T",), "trillion"), (1e9, ("B", "bn"), "billion"),
                                 (1e6, ("M", "m"), "million"), (1e3, ("k", "K"), "thousand")):
        if abs(x) >= scale:
            v = x / scale
            if abs(v - round(v, 2)) < 1e-9 * max(1.0, abs(v)):
                s = f"{v:g}"
                out += [f"{s}{letter}" for letter in letters] + [f"{s} {word}"]
                if s == "1":
                    out.append(f"a {word}")
            break
    return out


def number_forms(q: Quantity) -> tuple[str, ...]:
    """The textual forms an answer may use for ``q``: "5,000", "5000", "5k", "5 thousand"; "700 ms",
    "0.7 s"; "1 billion", "1B", "1,000,000,000"; "$50,000", "$50k"; "5x"; "40%"; and the number exactly
    as the question wrote it ("7.00", "1e12")."""
    return tuple(dict.fromkeys(_forms(q) + _as_written(q)))


_UNIT_ROLES = frozenset(("latency_ms", "ttft_ms", "memory_gb", "improvement_factor", "percent", "points",
                         "duration_s", "media_seconds", "minutes", "hours", "days", "weeks", "months", "years"))


def _as_written(q: Quantity) -> tuple[str, ...]:
    if q.role in _UNIT_ROLES and len(q.text) <= 16:
        return (q.text,)  # "3s", "4 GB": a bare "3" elsewhere in an answer is not this quantity
    m = re.match(rf"[$€£]?\s*(\d[\d,]*(?:\.\d+)?(?:[eE][+]?\d+)?|(?:{_WORD_NUM})\b)", q.text, re.I)
    if not m:
        return ()
    return (m.group(1), f"${m.group(1)}") if q.unit.startswith("USD") else (m.group(1),)


def _forms(q: Quantity) -> tuple[str, ...]:
    v, forms = q.value, []
    if q.role in ("latency_ms", "ttft_ms"):
        for p in _plain(v):
            forms += [f"{p} ms", f"{p}ms"]
        s = v / 1000
        for p in _plain(s) if s >= 0.01 else []:
            forms += [f"{p} s", f"{p}s", f"{p} seconds", f"{p} second"]
        forms += [f"{s:.1f} s", f"{s:.2f} s"] if s >= 0.1 else []
        if v >= 60_000:
            for p in _plain(v / 60_000):
                forms += [f"{p} minutes", f"{p} minute", f"{p} min"]
        return tuple(dict.fromkeys(forms))
    if q.role == "memory_gb":
        for p in _plain(v):
            forms += [f"{p} GB", f"{p}GB", f"{p} GiB"]
        return tuple(dict.fromkeys(forms))
    if q.unit.startswith("USD"):
        for p in _plain(v) + _short(v):
            forms += [f"${p}", f"$ {p}", f"{p} USD", f"{p} dollars"]
        forms += [f"${v:,.2f}"] if not float(v).is_integer() else [f"${v:,.0f}"]
        return tuple(dict.fromkeys(forms))
    if q.role == "improvement_factor":
        for p in _plain(v):
            forms += [f"{p}x", f"{p} x", f"{p}×", f"{p} times", f"{p}-fold"]
        return tuple(dict.fromkeys(forms))
    if q.unit == "%":
        for p in _plain(v):
            forms += [f"{p}%", f"{p} %", f"{p} percent"]
        return tuple(dict.fromkeys(forms))
    forms = _plain(v) + _short(v)
    if abs(v) >= 1e13:
        mantissa, exponent = f"{v:.6e}".split("e")
        m = mantissa.rstrip("0").rstrip(".")
        e = int(exponent)
        forms += [f"{m}e{e}", f"{m}e+{e}", f"{m}E{e}", f"{m} x 10^{e}", f"{m}x10^{e}"]
        if m == "1":
            forms += [f"10^{e}"]
    word = q.text.split(" ")[0].lower() if q.text else ""
    if word in _WORDS or q.text.lower().startswith(("a dozen", "a hundred", "a thousand", "a million",
                                                      "a billion", "half a million")):
        forms.append(" ".join(q.text.split(" ")[:2 if q.text.lower().startswith(("a ", "half")) else 1]))
    return tuple(dict.fromkeys(forms))


def mentions(text: str, q: Quantity) -> int:
    """How many times ``text`` writes ``q`` in one of its ``number_forms`` (whole numbers only: "5,000"
    is not counted inside "25,000" or "5,000.5")."""
    if not text:
        return 0
    forms = sorted(number_forms(q), key=len, reverse=True)
    pattern = "|".join(re.escape(f) for f in forms)
    return len(re.findall(rf"(?<![\w.,$])(?:{pattern})(?![\w]|[.,]\d)", text, re.I))


def say(q: Quantity) -> str:
    """The number of ``q`` as an answer writes it: '5,000', '700 ms', '4 GB', '$50,000', '5x', '1 billion';
    above ten trillion in scientific form ('1e24')."""
    if abs(q.value) >= 1e13 and not q.unit.startswith("USD") and q.role not in ("latency_ms", "ttft_ms"):
        mantissa, exponent = f"{q.value:.6e}".split("e")
        return f"{mantissa.rstrip('0').rstrip('.')}e{int(exponent)}"
    return number_forms(q)[0] if q.role not in ("model_params",) and q.value < 1e9 else (
        _short(q.value)[-1] if _short(q.value) and not _short(q.value)[-1].startswith("a ") else
        (_short(q.value) or _plain(q.value))[0])


def named_items(question: str) -> str | None:
    """The first kind of document the question names without a number ("contracts", "tickets"), if any."""
    m = re.search(rf"\b({_word_list(_DOCS)})\b", question[:CUE_CHARS], re.I)
    return m.group(1).lower() if m else None


def usd_per_month(q: Quantity) -> float:
    """An amount of US dollars per 30-day month: "$2M a year" -> 166,667; a one-off or monthly amount as is."""
    per = {"USD/year": 1 / 12, "USD/quarter": 1 / 3, "USD/week": 30 / 7, "USD/day": 30.0}
    return q.value * per.get(q.unit, 1.0)


def rate_per_s(q: Quantity) -> float | None:
    """A rate quantity in units per second (``requests_per_day`` 86,400 -> 1.0); None for other roles."""
    m = re.fullmatch(r"(?:requests|tokens)_per_(s|min|hour|day|week|month|year)", q.role)
    if not m:
        return None
    seconds = {"s": 1.0, "min": 60.0, "hour": 3600.0, "day": 86400.0, "week": 7 * 86400.0,
               "month": 30 * 86400.0, "year": 365 * 86400.0}[m.group(1)]
    return q.value / seconds
