"""Recognise what kind of question this is (see ``method.KINDS``) from the words it uses.

Each kind has weighted cue phrases; the kind with the highest total wins, ties going to the earlier
kind in ``method.KINDS``, and a question with no cue at all is "general". Deliberately simple and
explainable: ``classify`` returns the cues it matched, and the offline answer prints them.

    >>> classify("Design a RAG system for a law firm's contracts").kind
    'rag'
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from techpm.generator.method import KINDS

__all__ = ["CUES", "Classification", "classify"]

# kind -> ((cue regex, weight), ...). Strong, unambiguous cues weigh 3; supporting words 1.
CUES: dict[str, tuple[tuple[str, int], ...]] = {
    "rag": ((r"\brag\b", 4), (r"retrieval", 3), (r"knowledge base", 3), (r"semantic search", 3),
            (r"enterprise search", 3), (r"vector (?:db|database|store|search)", 3), (r"embeddings?", 2),
            (r"\bcorpus\b", 2), (r"question[- ]answering|q&a", 2), (r"over (?:our|their|its|the) (?:docs|documents)", 3),
            (r"contracts?|documents?|docs\b|pdfs?|wiki|manuals?|policies|filings|papers", 1),
            (r"\bsearch\b", 1), (r"\bcit(?:e|ation)s?", 1), (r"chat with", 2),
            (r"knowledge (?:assistant|bot|management)|internal knowledge", 3),
            (r"confluence|sharepoint|notion|google drive|slack history", 2),
            (r"documentation (?:assistant|bot|search|q&a)|docs? (?:assistant|bot)|help[- ]cent(?:er|re) (?:assistant|bot)", 5)),
    "agent": ((r"\bagents?\b", 3), (r"agentic", 4), (r"tool[- ]use|tool calling|function calling|tools\b", 2),
              (r"autonomous(?:ly)?", 3), (r"computer use|browser|browse|browsing", 2), (r"multi[- ]step", 2),
              (r"take actions?|acts? on|execute|book(?:s|ing)? (?:flights|travel|meetings)", 2),
              (r"coding assistant|code assistant|pair programmer", 2), (r"\bmcp\b", 3), (r"workflow automation", 3),
              (r"orchestrat\w+", 1), (r"\bplan(?:ning|s)?\b", 1)),
    "inference": ((r"\bserv(?:e|es|ing)\b", 3), (r"inference", 3), (r"throughput", 2), (r"\bgpus?\b", 2),
                  (r"h100|h200|a100|b200|l4\b|mi300x", 2), (r"self[- ]host\w*|host(?:ing)? (?:a|an|our|the)", 3),
                  (r"quantiz\w+|int4|int8|fp8", 3), (r"speculative decoding", 3), (r"batching", 2),
                  (r"tokens per second|tokens/s|ttft|time to first token", 2), (r"\bqps\b|\brps\b", 1),
                  (r"\d+(?:\.\d+)?\s*b\b(?:[\s-]*(?:param\w*|model))?", 2), (r"kv[- ]cache", 3),
                  (r"latency", 1), (r"deploy\w*", 1), (r"open[- ](?:weights?|source) model", 2),
                  (r"first token", 3), (r"context (?:window|length)", 2), (r"mixture[- ]of[- ]experts|\bmoe\b", 2)),
    "evaluation": ((r"\bevals?\b", 4), (r"evaluat\w+", 3), (r"benchmark\w*", 3), (r"llm[- ]as[- ](?:a[- ])?judge", 4),
                   (r"golden (?:set|dataset)", 3), (r"regression test\w*", 2), (r"a/b test\w*", 2),
                   (r"measur\w+ (?:the )?quality|quality bar|how (?:do|would) (?:you|we) know", 2),
                   (r"grad(?:e|ing|er)", 1), (r"metrics?", 1), (r"hallucination rate", 2),
                   (r"^(?:how (?:would|do|should|can) (?:you|we|i) )?(?:evaluate|measure|benchmark|test)\b", 3)),
    "finetuning": ((r"fine[- ]?tun\w+", 4), (r"\brlhf\b", 4), (r"\bdpo\b", 4), (r"reward model", 3),
                   (r"preference (?:data|tuning|optimization|learning)", 3), (r"\bsft\b|supervised fine", 3),
                   (r"\blora\b|adapters?", 3), (r"distill\w*", 2), (r"train (?:our|a|an|its|their) own", 3),
                   (r"post[- ]training|alignment training|instruction[- ]tun\w+", 3), (r"\brlaif\b|constitutional ai", 3),
                   (r"\bflops\b|pre-?train\w*|scaling laws?|chinchilla|how big should", 3),
                   (r"\btrain(?:ing)?\b", 1)),
    "api_platform": ((r"\bapis?\b", 3), (r"developer platform|developer experience|\bdx\b", 4), (r"\bsdks?\b", 3),
                     (r"rate[- ]limit\w*", 3), (r"quotas?", 2), (r"pricing|tiers?\b", 2), (r"endpoints?", 2),
                     (r"versioning|backward[- ]compat\w*", 3), (r"developers?", 1), (r"platform", 1),
                     (r"webhooks?", 2), (r"usage[- ]based", 2), (r"integrations?|breaking", 2)),
    "safety": ((r"safety|\bsafe\b", 3), (r"harm\w*", 2), (r"abuse|misuse", 3), (r"jailbreak\w*", 4),
               (r"moderat\w+", 3), (r"content (?:filter\w*|polic\w+)", 3), (r"trust (?:and|&) safety", 4),
               (r"red[- ]team\w*", 3), (r"toxic\w*", 3), (r"prompt injection", 4), (r"guardrails?", 3),
               (r"responsible scaling|alignment", 2), (r"\bcsam\b|self[- ]harm|extremis\w+", 3),
               (r"safeguards?", 3)),
    "multimodal": ((r"multi[- ]?modal", 4), (r"images?|photos?|pictures?|screenshots?", 2), (r"vision", 3),
                   (r"video", 3), (r"audio|speech|voice|spoken", 3), (r"transcri\w+", 2), (r"\bocr\b", 3),
                   (r"diagrams?|charts?|scans?|scanned", 1), (r"text[- ]to[- ](?:image|speech|video)", 4),
                   (r"camera|x-rays?|radiolog\w+", 2)),
}


@dataclass(frozen=True)
class Classification:
    """The recognised kind, the runner-up (for a secondary deep dive) and the cues that decided it."""

    kind: str
    secondary: str | None
    scores: dict[str, int]
    cues: tuple[str, ...]


def classify(question: str) -> Classification:
    """Score ``question`` against every kind's cues; the highest score wins (see the module docstring)."""
    text = question.lower()
    order = [k.id for k in KINDS]
    scores: dict[str, int] = {}
    matched: dict[str, list[str]] = {}
    for kind, cues in CUES.items():
        total = 0
        for pattern, weight in cues:
            m = re.search(pattern, text)
            if m:
                total += weight
                matched.setdefault(kind, []).append(m.group(0))
        scores[kind] = total
    ranked = sorted((k for k in scores if scores[k] > 0), key=lambda k: (-scores[k], order.index(k)))
    if not ranked:
        return Classification("general", None, scores, ())
    kind = ranked[0]
    secondary = ranked[1] if len(ranked) > 1 and scores[ranked[1]] >= 3 else None
    return Classification(kind, secondary, scores, tuple(matched[kind]))
