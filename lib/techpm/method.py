"""The six-section method as data: the sections and the nine rubric points.

This module is the one place the course writes the method down for code. The Claude backend's system
prompt, the offline generator's templates and the rubric grader are all built from these tuples, so a
change here reaches all three. The wording is the project's own, derived from the course's method
specification (``shared/method.md`` in the development tree).

    from techpm.method import SECTIONS, RUBRIC
    [s.title for s in SECTIONS]      # the six section titles, in order
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "EXPECTED_WORDS",
    "RUBRIC",
    "SECTIONS",
    "RubricPoint",
    "SectionSpec",
    "draw_method",
    "method_markdown",
]

#: The length the method aims for: a technical walkthrough of roughly this many words.
EXPECTED_WORDS = 2500


@dataclass(frozen=True)
class SectionSpec:
    """One section of an answer: its place in the order, its title, and what it must cover."""

    number: int
    title: str
    purpose: str
    covers: tuple[str, ...]


@dataclass(frozen=True)
class RubricPoint:
    """One of the nine things a good answer shows, and what earns the point."""

    id: str
    title: str
    earns: str


SECTIONS: tuple[SectionSpec, ...] = (
    SectionSpec(
        1, "Technical clarifications and constraints",
        "Scope the problem before designing anything: ask, then state the assumptions you will design to.",
        (
            "what the model must be able to do (reasoning, images or audio in, tool use, writing code)",
            "scale: users, requests per second and the peak, and the latency each request must meet",
            "infrastructure: cloud or on-premises, and the compute or spending budget",
            "data: what exists for training and evaluation, and the privacy and retention rules on it",
            "integration: the systems this must plug into",
            "timeline: a first version to learn from, or a production system",
        ),
    ),
    SectionSpec(
        2, "Users",
        "Name who builds on the system and who consumes its output, and what each needs from it.",
        (
            "developers and engineers who build on it: their skill, what they expect from a platform",
            "end users who read or act on the output: the quality bar they need",
            "for each persona: how they work today, how technical they are, what frustrates them",
        ),
    ),
    SectionSpec(
        3, "High-level system design",
        "An architecture clear enough to draw on a whiteboard, from the request to the response.",
        (
            "the data path: input, preprocessing, model, postprocessing, output",
            "the model layer: which models, foundation or fine-tuned, routing between them",
            "orchestration of multi-step work: chains, agents, state machines",
            "storage: conversations, embeddings, preferences, model artifacts",
            "serving: real-time or batch, cloud or edge",
            "for retrieval: ingestion (chunking, embedding model, vector index), retrieval (dense, lexical, "
            "hybrid, reranking), generation (context budget, prompting, citations), evaluation",
            "for agents: tool calling, the plan-act-observe loop, short- and long-term memory, sandboxing",
        ),
    ),
    SectionSpec(
        4, "Deep dive and trade-offs",
        "Go deep on the part a stakeholder would probe, with numbers: latency, cost and quality pull "
        "against each other.",
        (
            "the latency-cost-quality triangle, with a number for each technique's effect",
            "latency levers: streaming, caching, speculative decoding, distillation, edge deployment",
            "cost levers: batching, routing easy requests to a small model, quantization, spot capacity",
            "quality levers: reasoning steps, self-consistency, retrieval, fine-tuning, human review",
            "where it applies: RLHF end to end (SFT, reward model, PPO with a KL penalty; DPO, RLAIF, "
            "Constitutional AI), evals (what, how, pitfalls, building eval sets), long context and memory",
            "hallucination: how to detect it, how to reduce it, how to measure it",
        ),
    ),
    SectionSpec(
        5, "API design and developer experience",
        "The surface developers touch and the path from sign-up to production.",
        (
            "the API surface: REST, streaming, SDKs; the key endpoints",
            "the developer journey: sign-up, first call, production integration, and the docs for each",
            "pricing: per token, per request, tiers or seats",
            "rate limits and quotas: fair use and abuse prevention",
            "versioning: shipping improvements without breaking existing integrations",
        ),
    ),
    SectionSpec(
        6, "Metrics",
        "How we will know it works: technical and product measures, each with a target.",
        (
            "technical: time to first token, output tokens per second, error rates (4xx, 5xx, timeouts), "
            "cost per thousand tokens, eval-suite accuracy, hallucination rate, safety-violation rate",
            "product: activation (first call within 7 days), adoption (monthly active developers, "
            "production integrations), satisfaction (NPS, support tickets), revenue (spend, conversion)",
        ),
    ),
)


RUBRIC: tuple[RubricPoint, ...] = (
    RubricPoint("scoping", "Opens with technical scoping questions",
                "The answer begins by asking about constraints, scale and data, and states the assumptions "
                "it designs to, before proposing any architecture."),
    RubricPoint("design", "Coherent, production-aware system design",
                "The design names concrete components and how a request flows through them, and deals with "
                "production concerns (failures, monitoring, caching, rollout), not only the happy path."),
    RubricPoint("triangle", "Understands the latency-cost-quality triangle",
                "It names the three pulls explicitly and shows what a technique buys on one side and costs "
                "on another (streaming, caching, batching, routing, quantization, larger models)."),
    RubricPoint("depth", "Explains RLHF, evals or RAG without hand-waving",
                "Where the question touches them, it explains the mechanism step by step: retrieval "
                "(chunking, embeddings, reranking), evals (golden sets, judges, pitfalls), or RLHF (SFT, "
                "reward model, PPO with a KL penalty, DPO)."),
    RubricPoint("hard_parts", "Aware of what is hard",
                "It names the hard problems (hallucination, evaluation, safety, abuse) and says how each "
                "would be detected, mitigated and measured."),
    RubricPoint("quantitative", "Specific, quantitative trade-offs",
                "Its trade-offs carry numbers with units (milliseconds, dollars, tokens, gigabytes) and show "
                "how they were computed, rather than 'faster' or 'cheaper'."),
    RubricPoint("product", "Connects technical choices to users and the product",
                "It names the users, and ties decisions back to what they experience or what the business "
                "pays: waiting time, trust, adoption, price."),
    RubricPoint("structure", "All six sections, in order, at about the expected length",
                f"It covers the six sections in the method's order and runs to roughly {EXPECTED_WORDS:,} "
                "words: long enough to be specific, short enough to present."),
    RubricPoint("sources", "Technical claims carry sources",
                "Claims and design decisions link to papers, lab engineering posts, documentation or "
                "benchmarks next to where they are made."),
)



def method_markdown() -> str:
    """The method as Markdown: the six sections with what each covers, then the nine rubric points.

    Used as the core of the Claude backend's system prompt and shown in the start-here notebook."""
    lines = [f"Answer in six sections, in this order, in roughly {EXPECTED_WORDS:,} words.", ""]
    for s in SECTIONS:
        lines.append(f"## {s.number}. {s.title}")
        lines.append(s.purpose)
        lines.extend(f"- {item}" for item in s.covers)
        lines.append("")
    lines.append("## What a good answer shows")
    lines.extend(f"{i}. **{p.title}.** {p.earns}" for i, p in enumerate(RUBRIC, start=1))
    return "\n".join(lines) + "\n"


# Short labels for the diagram, and how the sections feed each other (from -> to, what flows).
_SHORT = ("Clarify &\nconstrain", "Users", "System\ndesign", "Deep dive &\ntrade-offs", "API &\ndev. experience",
          "Metrics")
_BLURB = ("questions,\nassumptions,\nnumbers", "developers and\nend users:\nquality bar", "whiteboard:\ndata, models,\nserving",
          "latency, cost,\nquality, with\nnumbers", "endpoints,\npricing, limits,\nversioning", "targets for\ntechnical and\nproduct")
LINKS = ((1, 4, "constraints become the numbers"), (2, 6, "the users' quality bar becomes metrics"),
         (6, 1, "metrics test the assumptions"))


def draw_method(ax=None):  # type: ignore[no-untyped-def]
    """The six sections as a flow (1 -> 6) with the three links that tie them together; returns the figure.

    Used by the start-here notebook: scoping feeds the numbers of the deep dive, the users set the
    quality bar that the metrics measure, and the metrics close the loop by testing the assumptions."""
    import matplotlib.pyplot as plt
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

    if ax is None:
        fig, ax = plt.subplots(figsize=(9.6, 3.8))
    else:
        fig = ax.figure
    ax.set_xlim(0, 12)
    ax.set_ylim(-3.2, 2.5)
    ax.axis("off")
    width_in, height_in = ax.get_position().size * fig.get_size_inches()
    aspect = (width_in / 12) / (height_in / 5.7)  # arcs bend in display space: data height per data width
    centers = [(1 + 2 * i, 0.0) for i in range(len(SECTIONS))]
    for i, (x, y) in enumerate(centers):
        ax.add_patch(FancyBboxPatch((x - 0.8, y - 0.55), 1.6, 1.1, boxstyle="round,pad=0.05",
                                    facecolor="#fde2c8" if i == 3 else "#dbe9f6", edgecolor="#33557a"))
        ax.text(x, y + 0.25, f"{i + 1}", ha="center", va="center", fontsize=11, fontweight="bold")
        ax.text(x, y - 0.2, _SHORT[i], ha="center", va="center", fontsize=8)
        ax.text(x, y - 1.15, _BLURB[i], ha="center", va="center", fontsize=7, color="#444")
        if i:
            ax.add_patch(FancyArrowPatch((centers[i - 1][0] + 0.85, y), (x - 0.85, y), arrowstyle="-|>",
                                         mutation_scale=12, color="#33557a"))
    for a, b, label in LINKS:
        (xa, _), (xb, _) = centers[a - 1], centers[b - 1]
        if b > a:  # forward links arc above the boxes
            rad, y0 = (0.3, 0.62) if b - a < 4 else (0.25, 0.62)
            height = rad * (xb - xa) / 2 * aspect * 1.1
            ax.add_patch(FancyArrowPatch((xa, y0), (xb, y0), connectionstyle=f"arc3,rad=-{rad}",
                                         arrowstyle="-|>", mutation_scale=12, color="#b35900"))
            ax.text((xa + xb) / 2, y0 + height + 0.08, label, ha="center", va="bottom", fontsize=8,
                    color="#b35900")
        else:      # the feedback loop runs below, dashed
            rad, y0 = 0.12, -1.75
            height = rad * (xa - xb) / 2 * aspect * 1.1
            ax.add_patch(FancyArrowPatch((xa, y0), (xb, y0), connectionstyle=f"arc3,rad=-{rad}",
                                         arrowstyle="-|>", mutation_scale=12, linestyle="--", color="#777"))
            ax.text((xa + xb) / 2, y0 - height - 0.1, label, ha="center", va="top", fontsize=8, color="#555")
    ax.set_title("The six sections of an answer, and how they feed each other", fontsize=10)
    fig.tight_layout()
    return fig
