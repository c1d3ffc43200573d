"""The offline generator: a six-section answer composed from facets and the course's calculators, no model call.

    from techpm.generator import offline
    answer = offline.answer("Design a voice agent for a bank call center: 5,000 concurrent calls, 700 ms")
    print(answer.markdown)

It reads the question fully (``reading.read_question``: every stated quantity with its role, the
modalities, deployment, workloads, regulated data and users), picks the facets the question activates
(``facets.active``: speech, retrieval, serving, regulated data, ...), lets each compute its figures from
the stated numbers with ``techpm.calc`` and contribute its scoping questions, components, deep dive,
risks, API lines and metrics, and writes the six sections of the method from them, citing the curated
reading list (``references``). When no facet fits, it says so plainly and still gives section 1 and the
calculations of the stated numbers. It does no research and has no judgement of its own: a worked
example to study and to argue with, not an oracle.

``plan(question)`` returns the pieces (brief, facets, figures, assumptions) for tests and notebooks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from types import SimpleNamespace

from techpm.generator import facets as facet_registry
from techpm.generator.answer import Answer, Citation, Section
from techpm.generator.facets._calc import LARGE_MODEL, SMALL_MODEL, Scale, build_scale, workload_cost
from techpm.generator.facets.base import Ctx, Facet
from techpm.generator.figures import Figures, duration, num, pct, usd
from techpm.generator.reading import Brief, Quantity, read_question, say, usd_per_month
from techpm.generator.references import get_reference
from techpm.method import SECTIONS

__all__ = ["MAX_FACETS", "NOTICE", "OfflinePlan", "answer", "plan"]

NOTICE = ("Offline generator: the question read into a brief, answered from facet templates filled in by the "
          "course's calculators. This is not Claude and did no research; use it as a worked example to check "
          "and argue with.")
MAX_FACETS = 4

_ROLE_WORDS = {
    "users": "people who use it", "devices": "devices", "organizations": "organizations",
    "concurrent_sessions": "sessions in progress at once", "requests_per_s": "a rate per second",
    "requests_per_min": "a rate per minute", "requests_per_hour": "a rate per hour",
    "requests_per_day": "a daily volume", "requests_per_week": "a weekly volume",
    "requests_per_month": "a monthly volume", "requests_per_year": "a yearly volume",
    "documents": "items in the corpus", "media_hours": "hours of media", "media_minutes": "minutes of media",
    "media_seconds": "seconds of media", "media_items": "media items", "tokens": "tokens",
    "context_tokens": "tokens of context", "languages": "languages", "memory_gb": "memory",
    "latency_ms": "a latency budget", "ttft_ms": "a time-to-first-token budget", "team_size": "the team",
    "weeks": "the deadline", "months": "the timeline", "days": "a time span", "years": "a time span",
    "hours": "a time span", "minutes": "a time span", "duration_s": "a duration",
    "improvement_factor": "an improvement target", "points": "a tolerance in points", "percent": "a percentage",
    "model_params": "the model size", "preference_pairs": "preference data", "training_examples": "training data",
    "eval_items": "evaluation items", "attacks": "red-team attacks", "compute_flops": "a compute budget", "agent_steps": "steps per task",
    "budget_usd": "a budget", "price_usd": "a price", "usd": "an amount of money", "gpus": "accelerators",
    "frames_per_s": "a frame rate", "tokens_per_s": "a token rate", "age": "an age limit", "year": "a date",
    "data_gb": "data volume", "data_bytes": "data volume", "count": "a count",
}


@dataclass
class OfflinePlan:
    """What the offline answer is built from: the brief, the facets that fired, the computation context."""

    question: str
    brief: Brief
    facets: list[Facet]
    ctx: Ctx
    supporting: frozenset[str] = frozenset()  # facets that joined to complete the answer without firing

    @property
    def figures(self) -> Figures:
        return self.ctx.figures

    @property
    def fits(self) -> bool:
        """Whether any facet covers the question (when none does, the answer says so)."""
        return bool(self.facets)

    @property
    def scale(self) -> Scale:
        return self.ctx.scale

    @property
    def scenario(self) -> SimpleNamespace:
        """The priced workload as data: ``requests_per_month``, ``input_tokens.value``, ``output_tokens.value``."""
        noun, tokens_in, tokens_out, per_month = self.ctx.notes["workload"]
        return SimpleNamespace(request_noun=noun, requests_per_month=int(per_month),
                               input_tokens=SimpleNamespace(value=tokens_in),
                               output_tokens=SimpleNamespace(value=tokens_out))


# --- reading the question into text slots -------------------------------------------------------------

_BUILD = re.compile(r"\b(?:design|build|create|launch|architect|propose|ship|scope|price|evaluate|make|add|"
                    r"develop|plan|implement|deploy|serve|improve|reduce|cut|fine-tune|train|red-team|"
                    r"secure|test|set up|introduce|choose|pick)\s+(?:an?|the|our|your|their|a new|new)?\s*"
                    r"(?P<what>[\w'/&+-]+(?:\s+[\w'/&+-]+){0,5}?)"
                    r"(?=\s+(?:for|that|which|to|with|on|at|in|across|over|from|using|so|where|when|while|by|"
                    r"of|and|or|without|under|within|serving|handling|before|after|into|via|between)\b|\s*[:,.;?!()]|$)", re.I)


_HEADS = ("agent", "assistant", "tutor", "chatbot", "bot", "copilot", "api", "apis", "platform", "system", "model",
          "app", "application", "feature", "service", "tool", "pipeline", "search", "engine", "keyboard", "index",
          "archive", "product", "codebase", "stack", "cluster", "fleet", "classifier", "translator", "checker",
          "generator", "summarizer", "recommender", "workflow", "dashboard", "marketplace", "filter", "layer",
          "gateway", "extractor", "reader", "scanner", "moderation", "coach", "companion", "concierge", "helpdesk")
_STOP = r"(?:an?|the|our|your|their|its|in|of|for|to|with|on|at|and|or|over|from|by|wants?|needs?|is|are|has|have|between)"
_HEAD_RE = re.compile(r"\b(?:an?|the|our|your|their|its|new)\s+((?:(?!" + _STOP + r"\b)[\w'/&+-]+\s+){0,4}?(?:"
                      + "|".join(_HEADS)
                      + r"))\b", re.I)
_FOR_RE = re.compile(r"^\s*(?:for|over|across)\s+(?:an?\s+|the\s+|our\s+|their\s+)?([\w',&-]+(?:\s+[\w'&-]+){0,3}?)"
                     r"(?=\s*[:,.;?!()]|\s+(?:with|that|which|and|at|in|under|using|so|where|while|to|for)\b|$)", re.I)


def _clean(phrase: str) -> str:
    """Drop bare numbers and factors ("5x", "100,000 hours of") from a phrase; keep "70B" or "2M-token"."""
    phrase = re.sub(r"^[\d,.]+\s+(?:[a-z]+\s+of\s+)?", "", phrase.strip())
    words = [w for w in phrase.split() if not re.fullmatch(r"[\d,.]+[x%]?", w)]
    return " ".join(words).strip(" -'")


def _product(brief: Brief) -> str:
    """A short name for what the question asks to build ("the voice agent", "the video search"), for the text."""
    text = brief.question[:600]
    m = _BUILD.search(text)
    what = _clean(m.group("what")) if m else ""
    verb = m.group(0).split()[0].lower() if m else ""
    if re.match(_STOP + r"\s", what + " ", re.I):
        what = ""  # "build or buy an LLM gateway": the object comes later
    if verb in ("serve", "run", "deploy") and what:
        return f"the serving stack for the {what}"
    head = _HEAD_RE.search(text)
    if (not what or len(what.split()) == 1 and what.lower() not in _HEADS) and head:
        what = _clean(head.group(1))
    if what and len(what.split()) == 1 and m and _clean(m.group("what")) == what:
        ctx = _FOR_RE.search(text[m.end():])
        if ctx and _clean(ctx.group(1)):
            what = f"{what} {ctx.group(0).split()[0].lower()} {_clean(ctx.group(1))}"
    bad = ("it", "this", "them", "us", "sure", "costs", "cost", "latency", "how", "we", "pricing", "the")
    if what.lower() in bad and head:
        what = _clean(head.group(1))
    if not what or what.lower() in bad or len(what) < 3 or re.match(_STOP + r"\s", what, re.I):
        return "the system"
    return "the " + what


def _singular(noun: str) -> str:
    if noun.endswith("ies"):
        return noun[:-3] + "y"
    if noun.endswith(("sses", "ches", "shes", "xes")):
        return noun[:-2]
    return noun[:-1] if noun.endswith("s") and not noun.endswith("ss") else noun


def _slots(brief: Brief, chosen: list[Facet]) -> dict[str, str]:
    users_q = brief.first("users")
    users = (users_q.unit if users_q else (brief.users[0] if brief.users else "")) or \
        next((f.users_noun for f in chosen if f.users_noun), "users")
    rate_q = next((q for q in brief.quantities if q.role.startswith("requests_per_")), None)
    conc_q = brief.first("concurrent_sessions")
    items = (rate_q.unit.split("/")[0] if rate_q else "") or (conc_q.unit if conc_q else "") or \
        next((f.item_noun for f in chosen if f.item_noun), "requests")
    slots = {"product": _product(brief), "users": users, "user": _singular(users), "items": items,
             "item": _singular(items), "model_small": SMALL_MODEL, "model_large": LARGE_MODEL}
    for key in ("users", "items", "item", "product"):
        slots[f"{key}_title"] = _upper(slots[key])
    return slots


# --- planning ------------------------------------------------------------------------------------------

def plan(question: str) -> OfflinePlan:
    """Read ``question``, pick its facets and compute every figure (see the module docstring)."""
    brief = read_question(question)
    chosen = [facet_registry.get(name) for name in brief.facets][:MAX_FACETS]
    ctx = Ctx(brief, Figures())
    ctx.values.update(_slots(brief, chosen))
    ctx.scale = build_scale(ctx, ctx.values["items"])
    for facet in chosen:
        if facet.figures is not None:
            before = len(ctx.used)
            try:
                facet.figures(ctx)
            except (ArithmeticError, ValueError, OverflowError) as exc:  # a figure the numbers cannot give
                ctx.add(f"{facet.name}_limit", f"{facet.title}: a figure the stated numbers cannot give", 0.0,
                        f"the calculators refused it ({_first_sentence(str(exc)) or type(exc).__name__})",
                        "see the calculator's message", "techpm.calc", uses=tuple(ctx.used[before:]))
    if "workload" not in ctx.notes:
        _default_workload(ctx)
    _stated_numbers(ctx)
    supporting = frozenset(f.name for f in chosen if f.score(brief) < f.threshold)
    return OfflinePlan(brief.question, brief, chosen, ctx, supporting)


def _first_sentence(text: str) -> str:
    return text.split(". ")[0].rstrip(".")[:200]


def _default_workload(ctx: Ctx) -> None:
    s = ctx.scale
    item = ctx.values["item"]
    input_tokens = ctx.assume(f"tokens per {item}", 1_500, f"1,500 tokens in and 400 out per {item}",
                              f"instructions, context and the {item} itself in, a few paragraphs back from "
                              f"{ctx.values['product']}")
    workload_cost(ctx, "cost", item, input_tokens, 400, s.per_month, cached_prefix=1_000,
                  uses=(s.users_from, s.per_day_from),
                  basis=f"{num(s.per_day)} {ctx.values['items']} a day")


def _stated_numbers(ctx: Ctx) -> None:
    """A figure for every stated quantity no facet used, so none is dropped: the scale it implies."""
    for q in ctx.brief.quantities:
        if q in ctx.used:
            continue
        try:
            _stated_number(ctx, q)
        except (ArithmeticError, ValueError):  # a number the calculators refuse (a zero budget, a 0 ms target)
            ctx.add(f"stated_{q.role}", f"The stated \"{q.text}\"", q.value,
                    f"{say(q)} {q.unit}".strip() + ": the calculators cannot work with this value; section 1 asks "
                    "what was meant", "as stated", "reading of the question", uses=(q,))


def _stated_number(ctx: Ctx, q: Quantity) -> None:
    """The figure for one stated quantity no facet used (see ``_stated_numbers``)."""
    s = ctx.scale
    what = _ROLE_WORDS.get(q.role, "a count")
    if q.role == "budget_usd" and "monthly_usd" in ctx.notes:
        per_month = usd_per_month(q)
        monthly, routed = float(ctx.notes["monthly_usd"]), float(ctx.notes["routed_usd"])
        verdict = ("fits" if monthly <= per_month else
                   "fits only with routing" if routed <= per_month else "does not fit even with routing")
        ctx.add("budget", f"Against the stated budget, {q.text}", monthly / per_month if per_month else 0.0,
                f"{verdict}: {usd(monthly)} a month is {pct(monthly / per_month) if per_month else 'all'} of "
                f"{usd(per_month)}, {usd(routed)} with routing", "monthly model spend / monthly budget",
                "calc.api_cost_usd", "model spend only: retrieval, hosting and people come on top", uses=(q,))
        ctx.notes["budget_verdict"] = verdict
    elif q.role == "price_usd" and "cost_per_item" in ctx.notes:
        cost = float(ctx.notes["cost_per_item"])
        ctx.add("price", f"Against the stated price, {q.text}", cost / q.value if q.value else 0.0,
                f"a model cost of {usd(cost)} per {ctx.values['item']} is {pct(cost / q.value) if q.value else 'all'} "
                f"of {usd(q.value)}", "model cost per item / price", "calc.api_cost_usd",
                "the rest must pay for hosting, people and margin", uses=(q,))
    elif q.role in ("latency_ms", "ttft_ms") and "workload" in ctx.notes:
        _latency_check(ctx, q)
    elif q.role == "team_size":
        span_q = next((t for t in ctx.brief.quantities if t.role in ("weeks", "months")), None)
        weeks = (span_q.value * (4.3 if span_q.role == "months" else 1.0)) if span_q else 12.0
        ctx.add("team", f"The stated team, {q.text}", q.value * weeks,
                f"{say(q)} people for {span_q.text if span_q else 'a quarter'}: about {num(q.value * weeks)} "
                "person-weeks, enough for one focused workstream per person; the plan in section 4 is cut "
                "to fit it", f"{say(q)} x {weeks:,.1f} weeks", "arithmetic",
                "a quarter (12 weeks) when no deadline is stated", uses=(q, span_q))
    elif q.role in ("users", "devices", "organizations") and s.per_day:
        share = q.value / max(1.0, s.users)
        ctx.add(f"stated_{q.role}", f"The stated {q.text}", q.value,
                f"{say(q)} {q.unit}: {pct(share)} of the {num(s.users)} the scale uses, about "
                f"{num(s.per_day * share)} {ctx.values['items']} a day", f"{say(q)} / {num(s.users)} x "
                f"{num(s.per_day)} a day", "arithmetic", "read from the question", uses=(q,))
    elif q.role in ("weeks", "months", "days", "years", "hours"):
        factor = {"weeks": 7, "months": 30, "days": 1, "years": 365, "hours": 1 / 24}[q.role]
        days = q.value * factor
        ctx.add(f"stated_{q.role}", f"The stated {q.text}", days,
                f"{say(q)} {q.role} is about {num(days)} days: {num(s.per_day * days)} {ctx.values['items']} "
                "at the scale above", f"{say(q)} x {factor:g} days x {num(s.per_day)} a day", "arithmetic",
                uses=(q,))
    else:
        ctx.add(f"stated_{q.role}", f"The stated \"{q.text}\" ({what})", q.value,
                f"{say(q)} {q.unit}".strip() + ": no calculator in this answer depends on it; section 1 asks "
                "what it should change", "as stated", "reading of the question", uses=(q,))


def _latency_check(ctx: Ctx, q: Quantity) -> None:
    """A stated latency no facet used: what a reference replica does with this workload's tokens."""
    from techpm import calc
    from techpm.generator.facets._calc import GPU, OPEN_MODEL

    _, tokens_in, tokens_out, _ = ctx.notes["workload"]
    prompt, out = int(max(1, min(tokens_in, 100_000))), int(max(1, min(tokens_out, 4_000)))
    n_gpus = calc.min_gpus(OPEN_MODEL, GPU, 8, prompt + out)
    est = calc.serving_estimate(OPEN_MODEL, GPU, n_gpus=n_gpus, batch_size=8, prompt_tokens=prompt, output_tokens=out)
    budget_s = q.value / 1000
    if budget_s <= 0:
        raise ValueError("a latency budget must be positive")
    whole = est.request_latency_s <= budget_s
    first = est.ttft_s <= budget_s
    ctx.add("latency_check", f"Against the stated {q.text}", est.request_latency_s / budget_s,
            f"a {num(prompt)}-token prompt gets its first token after {duration(est.ttft_s)} and the whole "
            f"{num(out)}-token answer after {duration(est.request_latency_s)} on a loaded replica: "
            + ("the whole answer fits" if whole else "only a streamed first token fits" if first else
               "not even the first token fits: shorten the prompt or use a smaller model"),
            f"TTFT = prefill; total = TTFT + {num(out)} x time per token", "calc.serving_estimate",
            f"{OPEN_MODEL} on {n_gpus} x {calc.get_gpu(GPU).name} at batch 8 as a reference; hosted APIs publish "
            "no such guarantee, so measure them", uses=(q,))


# --- writing -------------------------------------------------------------------------------------------

def answer(question: str) -> Answer:
    """The offline six-section answer to ``question`` (backend "offline", no model, no cost)."""
    p = plan(question)
    for level in range(4):
        writer = _Writer(p, level)
        sections = [writer.section(spec.number) for spec in SECTIONS]
        citations = [Citation(ref.title, ref.url) for ref in (get_reference(k) for k in writer.cited)]
        result = Answer(question=p.question, sections=sections, backend="offline", model=None,
                        citations=citations, cost_usd=0.0, notice=NOTICE)
        if len(result.markdown.split()) <= MAX_WORDS:
            break
    return result


def _upper(text: str) -> str:
    return text[:1].upper() + text[1:]


MAX_WORDS = 3_150   # the method asks for about 2,500 words; longer answers drop their least central parts


class _Writer:
    """Fills the facets' text for one plan; remembers which references it cited, in order. ``level`` trims
    the least central facets' parts (1: fewer components and deep dives; 2: fewer scoping questions,
    trade-offs and risks) to keep a many-facet answer near the method's length."""

    def __init__(self, p: OfflinePlan, level: int = 0) -> None:
        self.p, self.ctx, self.facets = p, p.ctx, p.facets
        self.main = [f for f in p.facets if f.name not in p.supporting]  # a supporting facet adds design only
        self.level = level
        self.cited: list[str] = []

    def _take(self, rank: int, full: int) -> int:
        """How many parts a facet of this rank contributes at the current trim level."""
        if self.level == 0 or rank == 0:
            return full
        if self.level == 1:
            return full if rank == 1 else max(1, full - 1)
        return max(1, full - rank - (self.level - 2))

    def fill(self, text: str) -> str:
        values = self.ctx.values
        text = re.sub(r"<<(\w+)>>", lambda m: values.get(m.group(1), m.group(1).replace("_", " ")), text)
        return re.sub(r"(?:\[\[\w+\]\](?:\s*\[\[\w+\]\])*)", self._links, text)

    def _links(self, m: re.Match[str]) -> str:
        keys = re.findall(r"\[\[(\w+)\]\]", m.group(0))
        for key in keys:
            if key not in self.cited:
                self.cited.append(key)
        return "(" + "; ".join(get_reference(k).link() for k in keys) + ")"

    def section(self, number: int) -> Section:
        if not self.facets:
            body = {1: self._scoping, 2: self._decline_users, 3: self._decline_design, 4: self._deep_dive,
                    5: self._decline_api, 6: self._decline_metrics}[number]()
        else:
            body = {1: self._scoping, 2: self._users, 3: self._design, 4: self._deep_dive, 5: self._api,
                    6: self._metrics}[number]()
        return Section(number, SECTIONS[number - 1].title, self.fill(body))

    # --- section 1 ---------------------------------------------------------------------------------
    def _derived_questions(self) -> list[str]:
        b, v = self.p.brief, self.ctx.values
        out = []
        if not b.first("users", "devices", "organizations", "concurrent_sessions") and \
                not any(q.role.startswith("requests_per_") for q in b.quantities):
            out.append(f"How many {v['users']} will use {v['product']}, how many {v['items']} a day, and what "
                       "is the peak?")
        if not b.first("latency_ms", "ttft_ms") and b.deployment != "on-device":
            out.append(f"How long may {v['users']} wait for {v['product']}: an instant reply, a streamed one, "
                       "or a result later?")
        if not b.first("budget_usd", "price_usd", "improvement_factor"):
            out.append(f"What may {v['product']} cost per {v['item']} or per month, and who pays for it?")
        if not b.first("weeks", "months", "team_size"):
            out.append(f"Is {v['product']} a pilot to learn from in weeks, or production with an SLA from day one?")
        return out

    def _scoping(self) -> str:
        v = self.ctx.values
        lines = [f"Before designing {v['product']}, I would scope it with these questions:", ""]
        questions: list[str] = []
        for rank, facet in enumerate(self.main):
            questions += list(facet.scoping[: self._take(rank, 3 if rank < 2 else 2)])
        questions += [q for f in self.facets if f.name in self.p.supporting for q in f.scoping[:1]]
        questions += self._derived_questions()
        lines += [f"{i}. {q}" for i, q in enumerate(questions, start=1)]
        lines += ["", "**What the question states.**"]
        b = self.p.brief
        if b.quantities:
            for q in b.quantities:
                shown = say(q) if q.unit in ("ms", "GB") or q.unit.startswith("USD") else f"{say(q)} {q.unit}"
                lines.append(f"- \"{q.text}\": {_ROLE_WORDS.get(q.role, 'a count')}"
                             + (f" ({shown.strip()})" if q.unit and q.unit not in q.text.lower() else "") + ".")
        else:
            lines.append("- No numbers: every number below is an assumption, stated so it can be challenged.")
        if len(b.modalities) > 1:
            lines.append(f"- Modalities: {', '.join(sorted(b.modalities))}.")
        if b.deployment:
            lines.append(f"- Deployment: {b.deployment}.")
        if b.regulated:
            lines.append(f"- Regulated data named or implied: {', '.join(sorted(b.regulated))}.")
        if b.users:
            lines.append(f"- People named: {', '.join(b.users)}.")
        if self.ctx.assumptions:
            lines += ["", f"**What I assume for {v['product']} until told otherwise** (each drives a figure in "
                      "section 4):"]
            lines += [f"- {a.shown} ({a.basis})." for a in self.ctx.assumptions]
        if self.facets:
            names = ", ".join(f.title.lower() for f in self.facets)
            lines += ["", f"*The offline generator read this as: {names}.*"]
        else:
            lines += ["", "**No offline template covers this question.** The offline generator composes answers "
                      "from facets of AI product design (retrieval, agents, speech, vision, serving, evaluation, "
                      "tuning, safety, pricing and more), and none of them fits what is asked here. Rather than "
                      "answer another problem, it lists what the question states and the calculations those "
                      "numbers allow; ask Claude (an API key) for a full answer, or rephrase the question around "
                      "the AI system involved."]
        return "\n".join(lines)

    # --- section 2 ---------------------------------------------------------------------------------
    def _persona(self, layer: str, p) -> list[str]:  # noqa: ANN001 - a facets.Persona
        v = self.ctx.values
        return [f"**{layer}: {self.fill(p.name)}.**", f"- *Today, without {v['product']}:* {self.fill(p.today)}.",
                f"- *Technical sophistication:* {self.fill(p.sophistication)}.",
                f"- *Key frustrations:* {self.fill(p.frustrations)}.",
                f"- *What they need from {v['product']}:* {self.fill(p.needs)}.", ""]

    def _users(self) -> str:
        v = self.ctx.values
        lines = [f"Two layers of users: the people who build and run {v['product']}, and the {v['users']} who "
                 f"rely on what it returns for each {v['item']}.", ""]
        devs = [p for f in self.main for p in f.personas if p.layer == "developer"][:2]
        ends = [p for f in self.main for p in f.personas if p.layer == "end user"][:1]
        for p in devs:
            lines += self._persona("Developers", p)
        if ends:
            lines += self._persona("End users", ends[0])
        else:
            lines += [f"**End users: {v['users']}.**",
                      f"- *Today, without {v['product']}:* {v['users']} get each {v['item']} done without {v['product']}, by hand or "
                      "through someone else.",
                      f"- *Technical sophistication:* {v['users']} judge {v['product']} by its results, not by the "
                      "model behind it.",
                      f"- *Key frustrations:* waiting on {v['items']}, repeating themselves, and results they "
                      f"cannot check, which {v['product']} must not add to.",
                      f"- *What they need from {v['product']}:* a correct result for each {v['item']}, fast enough for the moment, and "
                      f"a clear path to a person when {v['product']} fails.", ""]
        others = [u for u in self.p.brief.users if u != v["users"]]
        if others:
            lines.append(f"Also named in the question: {', '.join(others)}. Each needs its own view of "
                         f"{v['product']}: what they see of the {v['items']}, what they may override, and what "
                         "they are accountable for.")
            lines.append("")
        lines.append(f"The quality bar of {v['product']} comes from the {v['users']}: section 4 judges each "
                     "trade-off against it, and section 6 measures it.")
        return "\n".join(lines)

    # --- section 3 ---------------------------------------------------------------------------------
    def _design(self) -> str:
        v, b = self.ctx.values, self.p.brief
        stages = [line for f in self.facets for line in f.stages]
        lines = [f"The whiteboard version of {v['product']}, data flowing left to right:", "", "```text", *stages,
                 "```", ""]
        for rank, facet in enumerate(self.facets):
            for name, text in facet.components[: self._take(rank, 3 if rank < 3 else 2)]:
                lines.append(f"- **{name}.** {text}")
        if b.deployment != "on-device":
            lines.append(f"- **Model layer.** {v['model_small']} handles the routine {v['items']} of {v['product']} "
                         f"and {v['model_large']} the hard ones, chosen by a router whose mistakes are measured; "
                         f"the fixed instructions are a cached prefix [[prompt_caching]].")
        kept = "recordings, transcripts and" if "voice" in b.modalities else (
            "images and" if {"image", "video"} & b.modalities else "prompts and")
        rule = f" under {', '.join(sorted(b.regulated))}" if b.regulated else ""
        lines.append(f"- **Storage.** Each {v['item']} of {v['product']} is logged with its {kept} outputs, the "
                     f"prompt and model versions and the cost, kept only as long as the retention policy{rule} "
                     "allows; these logs feed the eval set and the dashboards of section 6.")
        lines.append(f"- **Rollout.** {_upper(v['product'])} ships to a pilot group of {v['users']} first, behind a "
                     "flag, with a kill switch and a fallback to the current process, then widens as the metrics "
                     "of section 6 hold.")
        return "\n".join(lines)

    # --- section 4 ---------------------------------------------------------------------------------
    def _deep_dive(self) -> str:
        v = self.ctx.values
        lines = [f"The numbers that drive {v['product']}, each computed by the course's calculators from what the "
                 "question states and the assumptions of section 1 (formula in code font, calculator and "
                 "assumptions in brackets):", "", self.ctx.figures.markdown()]
        if not self.facets:
            return "\n".join(lines)
        lines += ["", "### The latency-cost-quality triangle", "", self._triangle()]
        for facet in self.facets[: max(1, 4 - self.level)]:
            if facet.deep_dive:
                title, text = facet.deep_dive
                lines += ["", f"### {title}", "", text]
        rows = [t for rank, f in enumerate(self.main) for t in f.tradeoffs[: self._take(rank, 3)]][: 6 - self.level]
        if rows:
            lines += ["", f"### Options weighed for {v['product']}", "",
                      "| Decision | Chosen here | The alternative, and when it wins |", "|---|---|---|"]
            lines += [f"| {a} | {b} | {c} |" for a, b, c in rows]
        lines += ["", "### What is hard", ""]
        risks = [r for f in self.main for r in f.risks] + [
            r for f in self.facets if f.name in self.p.supporting for r in f.risks[:1]]
        lines += [f"- **{name}:** {text}" for name, text in risks[: 7 - self.level]]
        names = " ".join(n.lower() for n, _ in risks)
        if "hallucinat" not in names:
            lines.append(f"- **Hallucination:** a confident, wrong answer costs {v['users']} more than no answer: "
                         f"{v['product']} is grounded in its inputs, may abstain, and a sample of its {v['items']} "
                         "is checked for unsupported claims every week [[reduce_hallucinations]].")
        if "evaluat" not in names and not any(f.name == "evaluation" for f in self.facets):
            lines.append(f"- **Evaluation:** no public benchmark matches the {v['items']} of {v['product']}: a "
                         f"labelled set drawn from real {v['items']}, scores reported with error bars "
                         "[[error_bars]], and every failure users report added to it.")
        lines += ["", "### Recommendation", ""]
        lines.append(" ".join(f.recommendation for f in self.facets[:3] if f.recommendation))
        return "\n".join(lines)

    def _triangle(self) -> str:
        v, notes = self.ctx.values, self.ctx.notes
        parts = []
        if "voice_budget" in v:
            parts.append(f"**Latency.** For {v['product']} the voice budget of {v['voice_budget']} leaves "
                         f"{v.get('llm_ms', 'little')} for the model; a cached prefix, a smaller model on the voice "
                         "path and speculative decoding [[speculative]] buy it back, and faster hardware buys it "
                         "with money.")
        elif "ttft" in v:
            parts.append(f"**Latency.** The first token of {v['product']} arrives after about {v['ttft']} on an idle "
                         f"replica of {v.get('serve_model', 'the model')}; streaming hides the rest, and speculative "
                         "decoding [[speculative]] or smaller batches cut it further at a price per token.")
        if "monthly_usd" in notes:
            monthly, routed = float(notes["monthly_usd"]), float(notes["routed_usd"])
            saving = pct(1 - routed / monthly) if monthly else "0%"
            parts.append(f"**Cost.** Every {v['item']} of {v['product']} on {LARGE_MODEL} adds up to {usd(monthly)} "
                         f"a month; routing the routine {v['items']} to {SMALL_MODEL} brings it to {usd(routed)} "
                         f"({saving} less), and batching whatever can wait halves that part again [[batches]]. "
                         f"The router of {v['product']} only saves money if it sends the hard {v['items']} up, so its "
                         "accuracy is tracked like a model's.")
        parts.append(f"**Quality.** A larger model, reasoning steps and self-consistency buy accuracy for "
                     f"{v['users']} at a multiple of cost and latency [[cot]] [[self_consistency]]: spend them on "
                     f"the {v['items']} where the eval of {v['product']} shows the cheaper setting fails.")
        return "\n\n".join(parts)

    # --- section 5 ---------------------------------------------------------------------------------
    def _api(self) -> str:
        v = self.ctx.values
        endpoints = [line for f in self.main for line in f.api][:8]
        lines = [f"**API surface.** {_upper(v['product'])} is exposed as a REST API with streaming and typed "
                 "SDKs:", "", "```http", *endpoints, "```", ""]
        notes = [self.fill(f.api_notes) for f in self.main if f.api_notes]
        if notes:
            lines += [" ".join(notes[:3]), ""]
        lines += [f"**Developer journey.** An engineer integrating {v['product']} gets a key from the console, "
                  f"sends a first {v['item']} from a quickstart with sample data in minutes, and moves to production "
                  "with idempotency keys, webhooks for long jobs, usage dashboards and spend alerts.", "",
                  f"**Versioning.** Date-pinned API versions let {v['product']} improve without breaking "
                  "integrations [[stripe_versioning]]; the model behind it is pinned per request and deprecated "
                  "with months of notice.", "",
                  f"**Rate limits and quotas.** Per-key token buckets on {v['items']} and tokens per minute, by tier, "
                  f"answer with a 429 and retry-after when {v['product']} is saturated rather than queueing "
                  "silently [[rate_limits]]."]
        return "\n".join(lines)

    # --- section 6 ---------------------------------------------------------------------------------
    def _metrics(self) -> str:
        v = self.ctx.values
        rows = [m for f in self.facets for m in f.metrics[: 1 if f.name in self.p.supporting else None]][:10]
        lines = [f"How we will know {v['product']} works: each metric with a target to review after launch.", "",
                 "| Metric | Target | Why it matters |", "|---|---|---|"]
        lines += [f"| {m} | {t} | {w} |" for m, t, w in rows]
        lines.append(f"| Weekly active {v['users']} of {v['product']} | rising for 3 months | adoption |")
        if "cost_per_item" in v:
            lines.append(f"| Cost per {v['item']} of {v['product']} | <= {v['cost_per_item']} | from section 4 |")
        lines += ["", f"Technical metrics of {v['product']} go on dashboards with alerts; product metrics are "
                  f"reviewed weekly, and a technical metric that improves while the {v['users']} see no change "
                  "means the eval measures the wrong thing."]
        return "\n".join(lines)

    # --- when nothing fits ---------------------------------------------------------------------------
    def _decline_users(self) -> str:
        v = self.ctx.values
        named = ", ".join(self.p.brief.users) or v["users"]
        return (f"Not written: no offline facet covers this question, so the users cannot be described without "
                f"guessing. The question names: {named}. For each, write how they work today, how technical "
                "they are and what frustrates them.")

    def _decline_design(self) -> str:
        return ("Not written: the offline generator has no design for this kind of system. Section 4 keeps the "
                "calculations the stated numbers allow; a design needs the questions of section 1 answered first.")

    def _decline_api(self) -> str:
        return ("Not written: without a design there is no API to sketch. If the system is offered to developers, "
                "start from its main action as one endpoint, then versioning, rate limits and pricing.")

    def _decline_metrics(self) -> str:
        return ("Not written: metrics follow from the design. Start from the outcome the users need and one "
                "measure of cost and one of speed.")
