"""Every facet is complete, self-contained and well formed; the registry picks them by score."""

from __future__ import annotations

import re

import pytest

from techpm.errors import TechpmError
from techpm.generator import facets, offline
from techpm.generator.facets import Facet
from techpm.generator.reading import read_question
from techpm.generator.references import get_reference

NAMES = [f.name for f in facets.ALL]


def test_the_registry_finds_every_facet_module():
    assert len(NAMES) == len(set(NAMES)) >= 16
    for required in ("speech", "translation", "on_device", "vision", "video", "embeddings", "pricing", "agents",
                     "safety", "regulated", "long_context", "cost_target", "tuning", "evaluation", "rag", "serving",
                     "platform"):
        assert required in NAMES
    assert facets.get("rag").name == "rag"
    with pytest.raises(TechpmError, match="Unknown facet"):
        facets.get("ragg")


def _texts(f: Facet) -> list[str]:
    return [*f.scoping, *(t for _, t in f.components), *(f.deep_dive or ()), *(t for _, t in f.risks), f.api_notes,
            f.recommendation, *(" ".join(m) for m in f.metrics), *(" ".join(t) for t in f.tradeoffs),
            *(" ".join((p.name, p.today, p.sophistication, p.frustrations, p.needs)) for p in f.personas)]


@pytest.mark.parametrize("facet", facets.ALL, ids=NAMES)
def test_each_facet_is_complete_and_well_formed(facet):
    assert facet.title and facet.cues and facet.figures is not None
    assert facet.concept_groups and all(g and all(p == p.lower() for p in g) for g in facet.concept_groups)
    assert facet.domain_terms and all(t == t.lower() for t in facet.domain_terms)
    assert len(facet.scoping) >= 2 and all(q.rstrip().endswith("?") for q in facet.scoping)
    assert len(facet.components) >= 1 and facet.stages and facet.metrics and facet.recommendation
    for pattern, weight in facet.cues:
        re.compile(pattern) and weight  # noqa: B015 - each cue compiles
    for text in _texts(facet):
        for key in re.findall(r"\[\[(\w+)\]\]", text):
            get_reference(key)  # every citation is in the curated list
        for sentence in re.split(r"(?<=[.;?])\s+", text):
            if "[[" in sentence:
                continue  # a number quoted from the source cited beside it
            bare = re.sub(r"<<\w+>>|\d+%|\b[45]\d\ds?\b|per 1,000", "", sentence)  # HTTP codes, rates per 1,000
            assert not re.search(r"\d{3,}|\d,\d{3}", bare), sentence  # other numbers come from the figures


def test_active_orders_by_score_and_adds_the_evaluation_plan():
    brief = read_question("Design a voice agent for a bank call center: 5,000 concurrent calls, 700 ms, PCI")
    names = [f.name for f in facets.active(brief)]
    assert names[:2] == ["speech", "regulated"] and "agents" in names
    names = [f.name for f in facets.active(read_question("Design a coding agent for our monorepo"))]
    assert names == ["agents", "evaluation"]  # one or two facets: the evaluation plan joins them
    assert facets.active(read_question("Plan a 3-day team offsite for 25 people in Lisbon.")) == []


@pytest.mark.parametrize("name", NAMES)
def test_each_facet_fires_on_a_question_of_its_own(name):
    questions = {
        "speech": "Design a voice bot for our call center", "translation": "Translate support chats into 20 languages",
        "on_device": "Run a model on-device on phones with 6 GB of RAM", "vision": "Read scanned invoices with OCR",
        "video": "Search our video archive of lectures", "embeddings": "Launch an embeddings API",
        "pricing": "How should we price our AI API: per token or per seat?",
        "agents": "Design an agent that books meetings with tool calling",
        "safety": "Prevent jailbreaks in our chatbot", "regulated": "Handle patient records under HIPAA",
        "long_context": "Long context or RAG for a 1M-token codebase?",
        "cost_target": "Cut our LLM costs 3x", "tuning": "Fine-tune with DPO on 10,000 preference pairs",
        "evaluation": "How would you evaluate our LLM with an eval set?", "rag": "Design a RAG system over our wiki",
        "serving": "Serve a 70B model on H100 GPUs with batching", "platform": "Design rate limits and SDKs for our developer platform",
        "assistant": "Design an AI assistant that drafts replies to customer support tickets",
        "classification": "Classify and triage incoming tickets by intent",
        "transcription": "Transcribe and summarize recorded meetings with speaker labels",
        "pretraining": "We have 1e23 FLOPs: how big should our next model be?",
        "recommendation": "Design a recommendation system for a streaming service",
        "image_generation": "Build a text-to-image generation feature for a design tool",
    }
    assert name in questions, f"add a question for the new facet {name}"
    assert name in read_question(questions[name]).facets


def test_adding_a_facet_changes_the_answer_through_its_module_only():
    p = offline.plan("Design a voice agent for a bank call center: 5,000 concurrent calls, 700 ms, PCI")
    text = offline.answer(p.question).markdown
    speech = facets.get("speech")
    assert speech.components[0][0] in text and speech.deep_dive[0] in text
    assert "voice_budget" in p.figures
