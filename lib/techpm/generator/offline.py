"""The offline generator: a six-section answer from templates and the course's calculators, no model call.

    from techpm.generator import offline
    answer = offline.answer("Design a RAG system for a law firm's 2 million contracts")
    print(answer.markdown)

It is deterministic and honest about what it is: it recognises the kind of question
(``offline_kinds``), reads the numbers the question states (``offline_constraints``), fills the rest with
stated defaults (``offline_scenario``), computes every number of the trade-offs with ``techpm.calc``
(``offline_numbers``, each with its formula) and writes the six sections of the method from the kind's
templates (``offline_text``), citing the curated reading list (``references``). It does no research and
has no judgement of its own: a worked example to study and to argue with, not an oracle.

``plan(question)`` returns the pieces (kind, constraints, scenario, figures) for tests and notebooks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from techpm.errors import TechpmError
from techpm.generator.answer import Answer, Citation, Section
from techpm.generator.method import SECTIONS, get_kind
from techpm.generator.offline_constraints import Constraints, extract_constraints
from techpm.generator.offline_kinds import Classification, classify
from techpm.generator.offline_numbers import Figures, compute_figures, duration, num, usd
from techpm.generator.offline_scenario import LARGE_MODEL, SMALL_MODEL, Scenario, build_scenario
from techpm.generator.offline_text import COMMON_SCOPING, KIND_TEXT, KindText, Persona
from techpm.generator.references import get_reference

__all__ = ["NOTICE", "OfflinePlan", "answer", "plan"]

NOTICE = ("Offline generator: deterministic templates filled in by the course's calculators. This is not "
          "Claude and did no research; use it as a worked example to check and argue with.")

_KIND_DEFAULT_TTFT = {"inference": "< 500 ms", "api_platform": "< 1 s", "safety": "< 1 s"}


@dataclass
class OfflinePlan:
    """What the offline answer is built from: the question's kind and constraints, the scenario, the figures."""

    question: str
    classification: Classification
    constraints: Constraints
    scenario: Scenario
    figures: Figures

    @property
    def kind(self) -> str:
        return self.classification.kind


def plan(question: str) -> OfflinePlan:
    """Classify ``question``, read its constraints, build the scenario and compute the figures."""
    if not isinstance(question, str) or not question.strip():
        raise TechpmError(f"question must be a non-empty string, got {question!r}.")
    text = " ".join(question.split())
    classification = classify(text)
    constraints = extract_constraints(text)
    scenario = build_scenario(classification.kind, constraints)
    return OfflinePlan(text, classification, constraints, scenario, compute_figures(scenario))


def answer(question: str) -> Answer:
    """The offline six-section answer to ``question`` (backend "offline", no model, no cost)."""
    p = plan(question)
    writer = _Writer(p)
    sections = [writer.section(spec.number) for spec in SECTIONS]
    citations = [Citation(ref.title, ref.url) for ref in (get_reference(k) for k in writer.cited)]
    return Answer(question=p.question, sections=sections, backend="offline", model=None,
                  citations=citations, cost_usd=0.0, notice=NOTICE)


# --------------------------------------------------------------------------------------------------

def _lower(text: str) -> str:
    """Lower-case the first letter, unless the first word is an acronym ("API platform")."""
    first = text.split(" ", 1)[0]
    return text if first[:2].isupper() else text[:1].lower() + text[1:]


def _upper(text: str) -> str:
    return text[:1].upper() + text[1:]


def _a(phrase: str, bold: bool = True) -> str:
    """'an inference platform' / 'a RAG' with the right article; the phrase in bold unless ``bold=False``."""
    article = "an" if phrase[:1].lower() in "aeio" and not phrase[:3].isupper() or phrase[:3] == "API" else "a"
    return f"{article} **{phrase}**" if bold else f"{article} {phrase}"


class _Writer:
    """Fills the templates of one plan; remembers which references it cited, in order."""

    def __init__(self, p: OfflinePlan) -> None:
        self.p, self.s, self.f = p, p.scenario, p.figures
        self.text: KindText = KIND_TEXT[p.kind]
        self.cited: list[str] = []
        self.values = self._values()

    # --- placeholders ---------------------------------------------------------------------------
    def _values(self) -> dict[str, str]:
        s, f = self.s, self.f
        ttft = s.latency_targets and next((t for t in s.latency_targets if t.what == "ttft"), None)
        response = next((t for t in s.latency_targets if t.what == "response"), None)
        values = {
            "user_noun": s.user_noun, "user_noun_title": s.user_noun[:1].upper() + s.user_noun[1:],
            "request_noun": s.request_noun, "request_noun_singular": s.request_noun.rstrip("s"),
            "document_noun": s.document_noun or "documents",
            "document_noun_title": (s.document_noun or "documents").capitalize(),
            "chunk": "500", "k": "8", "model_small": SMALL_MODEL, "model_large": LARGE_MODEL,
            "open_model": s.open_model_id, "gpu_name": s.gpu_id.upper(),
            "gpus_per_replica": num(s.gpu_count) if s.gpu_count else "N",
            "ttft_target": (f"<= {duration(ttft.seconds)} (stated)" if ttft else
                            _KIND_DEFAULT_TTFT.get(s.kind, "< 1.5 s")),
            "response_target": (f"<= {duration(response.seconds)} (stated)" if response else "< 5 s"),
            "cost_per_request": usd(f["cost_per_request"].value) if "cost_per_request" in f else "the budget",
            "cost_per_mtok": "the API price it replaces",
            "eval_items": num(f["eval_size"].value) if "eval_size" in f else "1,000",
            "ft_cost": usd(f["ppo_vs_dpo"].value) if "ppo_vs_dpo" in f else "the budget",
        }
        if "task_cost" in f:
            values["cost_per_request"] = usd(f["task_cost"].value)
        if "batching" in f and "latency" in f.notes:
            values["cost_per_mtok"] = usd(f.notes["latency"].usd_per_mtok)  # type: ignore[attr-defined]
        if "memory_fit" in f and not s.gpu_count:
            values["gpus_per_replica"] = f["memory_fit"].shown.split(" on ")[1].split(" x ")[0]
        return values

    def fill(self, text: str) -> str:
        text = re.sub(r"<<(\w+)>>", lambda m: self.values[m.group(1)], text)
        return re.sub(r"(?:\[\[\w+\]\](?:\s*\[\[\w+\]\])*)", self._links, text)

    def _links(self, m: re.Match[str]) -> str:
        keys = re.findall(r"\[\[(\w+)\]\]", m.group(0))
        for key in keys:
            if key not in self.cited:
                self.cited.append(key)
        return "(" + "; ".join(get_reference(k).link() for k in keys) + ")"

    # --- sections ---------------------------------------------------------------------------------
    def section(self, number: int) -> Section:
        body = {1: self._scoping, 2: self._users, 3: self._design, 4: self._deep_dive, 5: self._api,
                6: self._metrics}[number]()
        return Section(number, SECTIONS[number - 1].title, self.fill(body))

    def _scoping(self) -> str:
        kind = get_kind(self.p.kind)
        lines = [f"Before designing anything, I would scope the problem with these questions "
                 f"(this reads as {_a(_lower(kind.title))} question):", ""]
        questions = (*self.text.scoping, *COMMON_SCOPING)
        lines += [f"{i}. {q}" for i, q in enumerate(questions, start=1)]
        lines += ["", "**What the question states.**"]
        if self.s.found:
            lines += [f"- \"{phrase}\"" for phrase in self.s.found]
        else:
            lines.append("- No numbers: every number below is an assumption, stated so it can be challenged.")
        lines += ["", "**What I will assume until told otherwise** (each number in section 4 follows from these):"]
        for name, given in self.s.givens():
            if name == "open_model":
                if given.stated or self.p.kind in ("inference", "api_platform", "finetuning"):
                    lines.append(f"- Reference open model for latency and GPU sizing: {self.s.open_model_id}"
                                 f" on {self.s.gpu_id}" + (" (from the question)." if given.stated else "."))
                continue
            if name == "monthly_budget_usd":
                lines.append(f"- Budget: {usd(given.value)} a month (from the question).")
                continue
            source = "from the question" if given.stated else "assumed"
            basis = f", {given.basis}" if given.basis else ""
            lines.append(f"- {num(given.value)} {given.what} ({source}{basis}).")
        if self.s.budget_text and self.s.monthly_budget_usd is None:
            lines.append(f"- Budget as stated: {self.s.budget_text}.")
        where = ("on-premises, as the question says" if self.s.deployment_stated else
                 "in our cloud account, with a hosted model API and an option to self-host an open model")
        lines.append(f"- Infrastructure: {where}.")
        lines.append("- Model capabilities: strong instruction following, tool use and a long context "
                     "(hundreds of thousands of tokens); images only where the question needs them.")
        lines.append(f"- Timeline: {self.s.timeline or 'an MVP in about a quarter, designed so it can grow into production'}.")
        cues = ", ".join(f'"{c}"' for c in self.p.classification.cues) or "no specific cue"
        lines += ["", f"*Read as {_a(_lower(kind.title), bold=False)} question (cues: {cues}). Deep dive, "
                  f"section 4: {_lower(self.text.deep_dive_title)}.*"]
        return "\n".join(lines)

    def _persona(self, title: str, p: Persona) -> list[str]:
        name = self.fill(p.name)
        if name.lower() in ("users", title.lower()) or name.lower().startswith("end users"):
            name = "the people who use the product day to day"
        return [f"**{title}: {_lower(name)}.**",
                f"- *Today:* {p.today}.", f"- *Technical sophistication:* {p.sophistication}.",
                f"- *Key frustrations:* {p.frustrations}.", f"- *What they need from us:* {p.needs}.", ""]

    def _users(self) -> str:
        lines = ["Two layers of users: the people who build on the system and the people who consume its output.",
                 ""]
        lines += self._persona("Developers", self.text.developer)
        lines += self._persona("End users", self.text.end_user)
        lines.append(f"The quality bar follows from the end users: {self.text.end_user.needs}. Every "
                     "trade-off in section 4 is judged against that bar, and the metrics in section 6 measure it.")
        return "\n".join(lines)

    def _design(self) -> str:
        lines = ["The whiteboard version, request path left to right:", "", "```text", self.text.diagram, "```", ""]
        lines += [f"- **{name}.** {text}" for name, text in self.text.design]
        return "\n".join(lines)

    def _deep_dive(self) -> str:
        lines = ["The numbers that drive the design, each computed by the course's calculators from the "
                 "scenario in section 1 (formula in code font, calculator and assumptions in brackets):", "",
                 self.f.markdown()]
        if "gpu_count_too_small" in self.f.notes:
            lines += ["", f"*The question's {self.f.notes['gpu_count_too_small']} GPUs cannot hold "
                      f"{self.s.open_model_id} in bf16: the figures size the replica to fit instead.*"]
        lines += ["", "### The latency-cost-quality triangle", "", self._triangle(), "",
                  f"### {self.text.deep_dive_title}", "", self.text.deep_dive, "",
                  "### What is hard", ""]
        lines += [f"- **{name}:** {text}" for name, text in self.text.hard_parts]
        lines += ["", "### Recommendation", "", f"{self.text.decision} For {self.s.user_noun}, that means "
                  "the quality bar of section 2 is met first, and cost and latency are tuned with the "
                  "numbers above rather than guessed."]
        return "\n".join(lines)

    def _triangle(self) -> str:
        f, parts = self.f, []
        est = f.notes.get("latency")
        if est is not None:
            parts.append(
                f"**Latency.** Streaming shows the first words after the prefill, about "
                f"{duration(est.ttft_s)} on the reference replica, instead of after the whole answer "  # type: ignore[attr-defined]
                f"({duration(est.request_latency_s)}); shorter prompts and a cached prefix shorten prefill, "  # type: ignore[attr-defined]
                "and speculative decoding or a distilled model speed up the rest [[speculative]] "
                "[[prompt_caching]]. Latency costs money: faster hardware, smaller batches and "
                "reserved capacity all raise the price per token.")
        if "monthly_routed" in f:
            parts.append(
                f"**Cost.** All traffic on {LARGE_MODEL} costs {usd(f.notes['monthly_usd'])} a month "  # type: ignore[arg-type]
                f"(section 4's figure); routing easy requests to {SMALL_MODEL} brings it to "
                f"{usd(f.notes['routed_usd'])}, caching the fixed prefix and batching anything that can "  # type: ignore[arg-type]
                "wait take more off [[batches]]. The saving is only real if the router sends the hard "
                "requests up, so its accuracy becomes a quality metric.")
        elif "task_cost" in f:
            parts.append(f"**Cost.** {_upper(f['task_cost'].shown)} per task: caching the growing "
                         "conversation matters more than the model's list price, and a step budget caps "
                         "the worst case.")
        elif "batching" in f:
            parts.append(f"**Cost.** Batching is the main cost lever, and it spends each user's speed: from "
                         f"{_lower(f['batching'].label).replace(' vs ', ' to ')}, {f['batching'].shown}. Quantization moves the whole "
                         "curve [[gptq]] [[awq]].")
        elif "classifier_cost" in f:
            parts.append(f"**Cost.** Safety checks on a small model cost {f['classifier_cost'].shown}: cheap "
                         "next to the harm they prevent, as long as they run beside generation rather than "
                         "in series with it.")
        parts.append(
            "**Quality.** The large model, reasoning steps and self-consistency buy accuracy at a multiple "
            "of the cost and latency [[cot]] [[self_consistency]]; retrieval and fine-tuning buy it "
            "up front instead. Spend them only where the eval shows the cheaper setting fails, and "
            "re-check when prices or models change: the right corner of the triangle for "
            f"{self.s.user_noun} is set by what a wrong answer costs them.")
        return "\n\n".join(parts)

    def _api(self) -> str:
        return self.text.api

    def _metrics(self) -> str:
        lines = ["How we will know it works: each metric with a target to review after launch.", "",
                 "| Metric | Target | Why it matters |", "|---|---|---|"]
        lines += [f"| {m} | {t} | {w} |" for m, t, w in self.text.metrics]
        lines += ["", "Technical metrics are reviewed daily on dashboards with alerts; product metrics weekly "
                  "with the team. A metric that moves while the product metric does not is a sign the eval "
                  "measures the wrong thing [[error_bars]]."]
        return "\n".join(lines)
