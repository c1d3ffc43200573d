"""The offline generator: six sections in order, numbers the calculators agree with, the question's
quantities used, determinism, honest labelling, sources that are curated and cited, and clear errors."""

from __future__ import annotations

import re

import pytest

from techpm import calc
from techpm.errors import TechpmError
from techpm.generator import offline
from techpm.generator.facets._calc import LARGE_MODEL, PEAK_TO_MEAN
from techpm.generator.figures import num, size, usd
from techpm.generator.references import REFERENCES, get_reference
from techpm.method import SECTIONS

QUESTIONS = {
    "rag": "Design a RAG system for a law firm's 2 million contracts used by 500 lawyers, budget $50k/month",
    "agents": "Design a coding agent that fixes bugs in a large monorepo for 3,000 engineers",
    "serving": "Design the serving stack for a 70B model at 10k QPS with p95 under 500 ms",
    "evaluation": "How would you evaluate a customer-support chatbot before launch? It handles 40,000 "
                  "conversations per day",
    "tuning": "Should we fine-tune an open 8B model with RLHF or DPO on 10,000 preference pairs?",
    "platform": "Design an API platform and SDKs for 50,000 developers with rate limits",
    "safety": "How would you prevent jailbreaks and moderate 2 million messages a day in a consumer chatbot?",
    "vision": "Design a product that reads photos of receipts: 300,000 images per day",
    "speech": "Design a voice agent for a bank call center: 5,000 concurrent calls, 700 ms voice-to-voice, PCI",
    "assistant": "Design an AI feature that writes first drafts of marketing emails",
}


@pytest.fixture(scope="module")
def answers():
    return {name: offline.answer(q) for name, q in QUESTIONS.items()}


@pytest.fixture(scope="module")
def plans():
    return {name: offline.plan(q) for name, q in QUESTIONS.items()}


def test_each_question_leads_with_its_facet(plans):
    for name, p in plans.items():
        assert p.facets[0].name == name, (name, [f.name for f in p.facets])


@pytest.mark.parametrize("name", list(QUESTIONS))
def test_six_sections_in_order_with_titles_and_honest_label(answers, name):
    a = answers[name]
    assert [s.number for s in a.sections] == [1, 2, 3, 4, 5, 6]
    assert [s.title for s in a.sections] == [spec.title for spec in SECTIONS]
    assert re.findall(r"^## (\d)\. ", a.markdown, re.M) == ["1", "2", "3", "4", "5", "6"]
    assert a.backend == "offline" and a.model is None and a.cost_usd == 0
    assert "not Claude" in a.notice and "offline" in a.notice.lower()
    for section in a.sections:
        assert len(section.markdown.split()) > 60, (name, section.number)
    assert 2_000 <= len(a.markdown.split()) <= 3_300, (name, len(a.markdown.split()))


@pytest.mark.parametrize("name", list(QUESTIONS))
def test_section_contents_follow_the_method(answers, name):
    s1, s2, s3, s4, s5, s6 = (sec.markdown for sec in answers[name].sections)
    assert s1.count("?") >= 6 and "What the question states" in s1
    assert "Developers:" in s2 and "End users:" in s2 and "Key frustrations" in s2
    assert "```text" in s3 and "-->" in s3
    assert "latency-cost-quality triangle" in s4 and "What is hard" in s4 and "Options weighed" in s4
    assert "```http" in s5 and "Versioning" in s5 and "Rate limits" in s5
    assert s6.count("\n|") >= 6
    assert "<<" not in answers[name].markdown and "[[" not in answers[name].markdown  # every slot filled


@pytest.mark.parametrize("name", list(QUESTIONS))
def test_sources_are_curated_links_and_cited_inline(answers, name):
    a = answers[name]
    urls = {ref.url for ref in REFERENCES}
    assert len(a.citations) >= 5 and all(c.url in urls for c in a.citations)
    body = "\n".join(s.markdown for s in a.sections)
    for c in a.citations:
        assert f"]({c.url})" in body, c.url


@pytest.mark.parametrize("name", list(QUESTIONS))
def test_every_figure_shows_a_formula_and_appears_in_the_deep_dive(answers, plans, name):
    deep_dive = answers[name].sections[3].markdown
    assert plans[name].figures.items
    for figure in plans[name].figures.items:
        assert figure.formula and figure.calculator
        assert figure.shown in deep_dive and f"`{figure.formula}`" in deep_dive


def test_rag_numbers_match_the_calculators_and_the_question(plans, answers):
    p = plans["rag"]
    f, s = p.figures, p.scale
    assert s.users == 500 and s.user_noun == "lawyers"
    corpus = 2_000_000 * 8_000  # contracts are assumed 8,000 tokens each
    chunks = -(-corpus // 500)
    assert f["chunks"].value == chunks
    assert f["index"].value == calc.hnsw_index_bytes(int(chunks), 1024)
    n = s.per_month
    assert n == 500 * 5 * 30
    prompt = 1_500 + 8 * 500 + 100
    monthly = calc.api_cost_usd(LARGE_MODEL, prompt * n, 400 * n, requests=n)
    assert f["rag_cost"].value == pytest.approx(monthly)
    assert p.scenario.input_tokens.value == prompt and p.scenario.requests_per_month == n
    assert f["budget"].value == pytest.approx(monthly / 50_000)
    text = answers["rag"].markdown
    assert "2 million contracts" in text and "500 lawyers" in text and "$50k/month" in text
    assert usd(monthly) in text and size(f["index"].value) in text


def test_serving_numbers_match_the_calculators_and_the_question(plans, answers):
    p = plans["serving"]
    f, s = p.figures, p.scale
    assert s.peak_rps == 10_000 and s.per_day == pytest.approx(10_000 * 86_400 / PEAK_TO_MEAN)
    n_gpus = calc.min_gpus("llama-3.1-70b", "h100-sxm", 1, 1_250)
    fit = calc.memory_fit("llama-3.1-70b", "h100-sxm", n_gpus, 1, 1_250)
    batch = min(64, fit.max_batch_size)
    busy = calc.serving_estimate("llama-3.1-70b", "h100-sxm", n_gpus=n_gpus, batch_size=batch,
                                 prompt_tokens=1_000, output_tokens=250)
    one = calc.serving_estimate("llama-3.1-70b", "h100-sxm", n_gpus=n_gpus, batch_size=1, prompt_tokens=1_000,
                                output_tokens=250)
    assert f["batching"].value == pytest.approx(busy.output_tokens_per_s / one.output_tokens_per_s)
    replicas = -(-10_000 // (busy.requests_per_s * 0.7))
    assert f["fleet"].value == replicas * n_gpus
    assert replicas * busy.requests_per_s >= 10_000
    assert f["weights"].value == calc.weights_bytes(70e9, 16)
    assert "10k QPS" in answers["serving"].markdown and num(replicas * n_gpus) in answers["serving"].markdown
    assert "500 ms" in f["target"].label


def test_agent_numbers(plans):
    f = plans["agents"].figures
    assert plans["agents"].scale.users == 3_000
    assert f["loop_tokens"].value == calc.agent_loop_input_tokens(8, 3_000, 1_300)
    assert f["task_success"].value == pytest.approx(calc.agent_success_probability(0.97, 8, retries_per_step=1))


def test_evaluation_tuning_safety_vision_numbers(plans):
    s, f = plans["evaluation"].scale, plans["evaluation"].figures
    assert s.per_day == 40_000
    assert f["eval_size"].value == calc.sample_size_for_margin(0.03)
    assert f["ab_test"].value == calc.ab_test_sample_size(0.30, 0.02)
    f = plans["tuning"].figures
    ppo = calc.rlhf_budget(8e9, 10_000, method="ppo")
    dpo = calc.rlhf_budget(8e9, 10_000, method="dpo")
    assert f["ppo_vs_dpo"].value == pytest.approx(dpo.total_usd)
    assert usd(ppo.total_usd) in f["ppo_vs_dpo"].shown and "$1.02" not in f["ppo_vs_dpo"].shown
    s, f = plans["safety"].scale, plans["safety"].figures
    assert s.per_day == 2_000_000
    assert f["false_positives"].value == pytest.approx(0.01 * 2_000_000)
    assert f["redteam_bound"].value == pytest.approx(calc.zero_failure_upper_bound(500))
    s, f = plans["vision"].scale, plans["vision"].figures
    assert s.per_day == 300_000
    assert f["image_tokens"].value == calc.image_tokens(1092, 1092)


def test_speech_splits_the_stated_budget_and_sizes_for_the_stated_sessions(plans, answers):
    f = plans["speech"].figures
    assert f["voice_budget"].value == 700 - (150 + 100 + 150 + 100)
    assert "5,000 calls in progress" in f["voice_traffic"].shown
    text = answers["speech"].markdown
    for phrase in ("speech recognition", "barge-in", "PCI", "700 ms"):
        assert phrase in text


def test_stated_numbers_change_the_answer():
    small = offline.plan("Design a RAG system over 10,000 documents for 100 analysts")
    large = offline.plan("Design a RAG system over 5 million documents for 20,000 analysts")
    assert small.figures["chunks"].value * 500 == large.figures["chunks"].value
    assert large.figures["rag_cost"].value == pytest.approx(200 * small.figures["rag_cost"].value)
    default = offline.answer("Design a RAG system over our documents")
    assert "No numbers" in default.sections[0].markdown and "What I assume" in default.sections[0].markdown


def test_deterministic():
    q = QUESTIONS["rag"]
    assert offline.answer(q).markdown == offline.answer(q).markdown
    assert offline.answer("  " + q.replace(" ", "   ") + "\n").markdown == offline.answer(q).markdown


def test_a_question_outside_every_facet_says_so():
    a = offline.answer("Plan a 3-day team offsite for 25 people in Lisbon.")
    assert "No offline template covers this question" in a.sections[0].markdown
    assert "\"25 people\"" in a.sections[0].markdown and "25 people" in a.sections[3].markdown
    assert "Not written" in a.sections[2].markdown


def test_bad_questions_get_a_clear_error():
    for bad in ("", "   ", None, 42):
        with pytest.raises(TechpmError, match="question must be a non-empty string"):
            offline.answer(bad)  # type: ignore[arg-type]


def test_references_are_well_formed_and_the_fixed_claims_are_right():
    keys = [r.key for r in REFERENCES]
    assert len(keys) == len(set(keys))
    for ref in REFERENCES:
        assert ref.url.startswith("https://") and ref.title and ref.supports
    assert "150" in get_reference("contextual_retrieval").supports  # reranks 150, keeps 20
    with pytest.raises(TechpmError, match="Unknown reference"):
        get_reference("nope")
    text = offline.answer(QUESTIONS["rag"]).markdown
    assert "top 50, keep the best 8" not in text and "error bars" not in text.split("eval measures the wrong")[0][-200:]


def test_blended_prices_are_labelled(answers, plans):
    batching = plans["serving"].figures["batching"]
    assert "per million tokens (input and output together)" in batching.shown
    busy = calc.serving_estimate("llama-3.1-70b", "h100-sxm", n_gpus=plans["serving"].ctx.notes["serving"]["n_gpus"],
                                 batch_size=plans["serving"].ctx.notes["serving"]["batch"], prompt_tokens=1_000,
                                 output_tokens=250)
    assert usd(busy.usd_per_mtok) in batching.shown  # the blended figure, labelled as blended
    for a in answers.values():
        for line in a.sections[3].markdown.splitlines():
            if "per million tokens" in line and " in / " not in line and "input" not in line:
                assert "output" in line or "input and output together" in line, line


def test_the_public_generate_uses_the_offline_backend():
    import techpm

    a = techpm.generate(QUESTIONS["assistant"], backend="offline", stream=False)
    assert a.backend == "offline" and a.markdown == offline.answer(QUESTIONS["assistant"]).markdown
