"""The offline generator: one question per kind, six sections in order, numbers the calculators agree
with, constraints read from the question, determinism, honest labelling, and clear errors."""

from __future__ import annotations

import re

import pytest

from techpm import calc
from techpm.errors import TechpmError
from techpm.generator import offline
from techpm.generator.method import KINDS, SECTIONS
from techpm.generator.offline_constraints import extract_constraints
from techpm.generator.offline_kinds import classify
from techpm.generator.offline_numbers import num, size, usd
from techpm.generator.offline_scenario import LARGE_MODEL, PEAK_TO_MEAN, SMALL_MODEL
from techpm.generator.references import REFERENCES, get_reference, references_for

QUESTIONS = {
    "rag": "Design a RAG system for a law firm's 2 million contracts used by 500 lawyers, budget $50k/month",
    "agent": "Design a coding agent that fixes bugs in a large monorepo for 3,000 engineers",
    "inference": "Design the serving stack for a 70B model at 10k QPS with p95 under 500 ms",
    "evaluation": "How would you evaluate a customer-support chatbot before launch? It handles 40,000 "
                  "conversations per day",
    "finetuning": "Should we fine-tune an open 8B model with RLHF or DPO to make our assistant follow brand tone?",
    "api_platform": "Design an API platform and SDKs for 50,000 developers",
    "safety": "How would you prevent jailbreaks and moderate 2 million messages a day in a consumer chatbot?",
    "multimodal": "Design a product that reads photos of receipts: 300,000 images per day",
    "general": "Design an AI feature that writes first drafts of marketing emails",
}


@pytest.fixture(scope="module")
def answers():
    return {kind: offline.answer(q) for kind, q in QUESTIONS.items()}


@pytest.fixture(scope="module")
def plans():
    return {kind: offline.plan(q) for kind, q in QUESTIONS.items()}


def test_every_kind_has_a_question_and_is_recognised(plans):
    assert set(QUESTIONS) == {k.id for k in KINDS}
    for kind, p in plans.items():
        assert p.kind == kind, (kind, p.classification)


@pytest.mark.parametrize("kind", list(QUESTIONS))
def test_six_sections_in_order_with_titles_and_honest_label(answers, kind):
    a = answers[kind]
    assert [s.number for s in a.sections] == [1, 2, 3, 4, 5, 6]
    assert [s.title for s in a.sections] == [spec.title for spec in SECTIONS]
    headings = re.findall(r"^## (\d)\. ", a.markdown, re.M)
    assert headings == ["1", "2", "3", "4", "5", "6"]
    assert a.backend == "offline" and a.model is None and a.cost_usd == 0
    assert "not Claude" in a.notice and "offline" in a.notice.lower()
    for section in a.sections:
        assert len(section.markdown.split()) > 60, (kind, section.number)
    words = len(a.markdown.split())
    assert 1_500 <= words <= 4_000, (kind, words)


@pytest.mark.parametrize("kind", list(QUESTIONS))
def test_section_contents_follow_the_method(answers, kind):
    s1, s2, s3, s4, s5, s6 = (sec.markdown for sec in answers[kind].sections)
    assert s1.count("?") >= 6                                        # scoping questions
    assert "Developers:" in s2 and "End users:" in s2 and "Key frustrations" in s2
    assert "```text" in s3 and "-->" in s3                          # a whiteboard diagram
    assert "latency-cost-quality triangle" in s4 and "What is hard" in s4
    assert "```http" in s5 and "Versioning" in s5 and "Rate limits" in s5
    assert s6.count("\n|") >= 6                                      # a metrics table with targets


@pytest.mark.parametrize("kind", list(QUESTIONS))
def test_sources_are_curated_links_and_cited_inline(answers, kind):
    a = answers[kind]
    urls = {ref.url for ref in REFERENCES}
    assert len(a.citations) >= 5
    assert all(c.url in urls for c in a.citations)
    body = "\n".join(s.markdown for s in a.sections)
    for c in a.citations:
        assert f"]({c.url})" in body, c.url                        # every listed source is linked in the text


@pytest.mark.parametrize("kind", list(QUESTIONS))
def test_every_figure_shows_a_formula_and_appears_in_the_deep_dive(answers, plans, kind):
    deep_dive = answers[kind].sections[3].markdown
    assert plans[kind].figures.items
    for figure in plans[kind].figures.items:
        assert figure.formula and figure.calculator
        assert figure.shown in deep_dive and f"`{figure.formula}`" in deep_dive


def test_rag_numbers_match_the_calculators_and_the_question(plans, answers):
    p = plans["rag"]
    s, f = p.scenario, p.figures
    assert s.documents.value == 2_000_000 and s.documents.stated and s.document_noun == "contracts"
    assert s.users.value == 500 and s.users.stated and s.user_noun == "lawyers"
    assert s.monthly_budget_usd.value == 50_000
    corpus = 2_000_000 * s.tokens_per_document.value
    chunks = -(-corpus // 500)
    assert f["chunks"].value == chunks
    assert f["embed_cost"].value == pytest.approx(calc.embedding_cost_usd(corpus, "voyage-4"))
    assert f["index_bytes"].value == calc.hnsw_index_bytes(int(chunks), 1024)
    n = s.requests_per_month
    assert n == round(500 * 20 * 30)
    monthly = calc.api_cost_usd(LARGE_MODEL, 5_600 * n, 400 * n, requests=n)
    assert f["monthly_cost"].value == pytest.approx(monthly)
    assert f["cost_per_request"].value == pytest.approx(calc.api_cost_usd(LARGE_MODEL, 5_600, 400))
    small = calc.api_cost_usd(SMALL_MODEL, 5_600 * n, 400 * n, requests=n)
    assert f["monthly_routed"].value == pytest.approx(0.8 * small + 0.2 * monthly)
    assert f["budget"].value == pytest.approx(monthly / 50_000)
    text = answers["rag"].markdown
    assert "2,000,000 contracts" in text and "500 lawyers" in text and "$50,000 a month" in text
    assert usd(monthly) in text and size(f["index_bytes"].value) in text


def test_inference_numbers_match_the_calculators_and_the_question(plans, answers):
    p = plans["inference"]
    s, f = p.scenario, p.figures
    assert s.peak_rps.value == 10_000 and s.peak_rps.stated
    assert s.requests_per_day.value == pytest.approx(10_000 * 86_400 / PEAK_TO_MEAN)
    assert s.open_model_id == "llama-3.1-70b"               # "70B" maps to the tabled 70B model
    assert [t.seconds for t in s.latency_targets] == [0.5] and s.latency_targets[0].percentile == 95
    assert f["kv_per_token"].value == calc.kv_cache_bytes_per_token("llama-3.1-70b")
    n_gpus = max(2, calc.min_gpus("llama-3.1-70b", "h100-sxm", 32, 1_250))
    fit = calc.memory_fit("llama-3.1-70b", "h100-sxm", n_gpus, 1, 1_250)
    assert f["memory_fit"].value == fit.weights_bytes
    batch = min(64, fit.max_batch_size)
    busy = calc.serving_estimate("llama-3.1-70b", "h100-sxm", n_gpus=n_gpus, batch_size=batch,
                                 prompt_tokens=1_000, output_tokens=250)
    one = calc.serving_estimate("llama-3.1-70b", "h100-sxm", n_gpus=n_gpus, batch_size=1,
                                prompt_tokens=1_000, output_tokens=250)
    assert f["batching"].value == pytest.approx(busy.output_tokens_per_s / one.output_tokens_per_s)
    plan = calc.capacity_plan(10_000, busy.request_latency_s, batch, n_gpus, 0.7)
    assert f["fleet"].value == plan.gpus
    price = calc.get_gpu_prices("h100-sxm")[0].usd_per_gpu_hour
    assert usd(calc.gpu_monthly_usd(price, plan.gpus)) in f["fleet"].shown
    draft = (calc.decode_time_per_token_s("llama-3.1-8b", "h100-sxm", n_gpus=n_gpus)
             / calc.decode_time_per_token_s("llama-3.1-70b", "h100-sxm", n_gpus=n_gpus))
    assert f["speculative"].value == pytest.approx(calc.speculative_speedup(0.8, 4, draft))
    # a 500 ms budget cannot hold 250 decoded tokens: the answer says so and reads it as TTFT
    target = f["target_response"]
    assert target.value == pytest.approx(busy.ttft_s / 0.5)
    assert "time-to-first-token budget" in target.shown
    assert "10k QPS" in answers["inference"].markdown and num(plan.gpus) in answers["inference"].markdown


def test_agent_numbers(plans):
    s, f = plans["agent"].scenario, plans["agent"].figures
    assert s.users.value == 3_000 and s.user_noun == "engineers"
    steps, base, obs, out = 8, 3_000, 1_000, 300
    total_in = steps * base + (obs + out) * steps * (steps - 1) // 2
    assert f["task_tokens"].value == total_in
    assert f["task_cost"].value == pytest.approx(calc.api_cost_usd(LARGE_MODEL, total_in, steps * out))
    assert f["task_success"].value == pytest.approx(calc.retry_success_probability(0.03, 1) ** steps)


def test_evaluation_numbers(plans):
    s, f = plans["evaluation"].scenario, plans["evaluation"].figures
    assert s.requests_per_day.value == 40_000 and s.requests_per_day.stated
    n = calc.sample_size_for_margin(0.03)
    assert f["eval_size"].value == n
    assert f["ab_test"].value == calc.ab_test_sample_size(0.30, 0.02)
    assert f["judge_cost"].value == pytest.approx(calc.api_cost_usd(LARGE_MODEL, 2_500 * n, 300 * n))
    low, high = calc.wilson_interval(int(0.85 * n), n)
    assert f["error_bars"].value == pytest.approx(high - low)


def test_finetuning_numbers(plans):
    s, f = plans["finetuning"].scenario, plans["finetuning"].figures
    assert s.open_model_id == "llama-3.1-8b" and s.open_model.stated
    n_params = calc.param_count("llama-3.1-8b")
    assert f["sft_compute"].value == pytest.approx(calc.training_flops(n_params, 20_000 * 1_000 * 3))
    assert f["ft_memory"].value == calc.training_memory_bytes(n_params)
    ppo = calc.rlhf_budget(n_params, 10_000, method="ppo")
    dpo = calc.rlhf_budget(n_params, 10_000, method="dpo")
    assert f["ppo_vs_dpo"].value == pytest.approx(ppo.total_usd / dpo.total_usd)
    assert f["labels"].value == pytest.approx(calc.preference_labeling_cost_usd(10_000))


def test_api_platform_safety_multimodal_general_numbers(plans):
    f = plans["api_platform"].figures
    assert plans["api_platform"].scenario.users.value == 50_000
    bucket = calc.simulate_token_bucket([0.0] * 30, rate_per_s=1.0, burst=20)
    assert f["rate_limit"].value == bucket.throttled == 10
    s, f = plans["safety"].scenario, plans["safety"].figures
    assert s.requests_per_day.value == 2_000_000 and s.requests_per_day.stated
    assert f["false_positives"].value == pytest.approx(0.01 * 2_000_000)
    assert f["redteam"].value == pytest.approx(calc.wilson_interval(0, 500)[1])
    s, f = plans["multimodal"].scenario, plans["multimodal"].figures
    assert s.requests_per_day.value == 300_000 and s.request_noun == "images"
    n = s.requests_per_month
    assert f["monthly_cost"].value == pytest.approx(calc.api_cost_usd(LARGE_MODEL, 1_900 * n, 300 * n, requests=n))
    f = plans["general"].figures
    assert f["eval_size"].value == calc.sample_size_for_margin(0.05)


def test_stated_numbers_change_the_answer():
    small = offline.plan("Design a RAG system over 10,000 documents for 100 analysts")
    large = offline.plan("Design a RAG system over 5 million documents for 20,000 analysts")
    assert small.figures["chunks"].value * 500 == large.figures["chunks"].value
    assert large.figures["monthly_cost"].value == pytest.approx(200 * small.figures["monthly_cost"].value)
    assert large.figures["index_bytes"].value > small.figures["index_bytes"].value
    default = offline.plan("Design a RAG system over our documents")
    assert not default.scenario.documents.stated and not default.scenario.users.stated
    assert "No numbers" in offline.answer("Design a RAG system over our documents").sections[0].markdown


def test_constraints_are_extracted():
    c = extract_constraints("Serve Llama 3.1 70B on 8 H100s: 200 requests per second, p99 latency under 2 s, "
                            "time to first token under 300ms, 128k context, $2M a year, on-prem")
    assert c.peak_rps == 200 and c.model_id == "llama-3.1-70b" and c.model_params == 70e9
    assert (c.gpu_id, c.gpu_count) == ("h100-sxm", 8)
    assert [(t.seconds, t.percentile, t.what) for t in c.latency_targets] == [(2.0, 99, "response"),
                                                                              (0.3, None, "ttft")]
    assert c.context_tokens == 128_000
    assert c.budget_usd == 2e6 and c.budget_period == "year" and c.monthly_budget_usd == pytest.approx(2e6 / 12)
    assert c.deployment == "on-premises"
    c = extract_constraints("1.5M tickets per day from 20k customers over 300,000 manuals")
    assert c.requests_per_day == 1.5e6 and c.users == 20_000 and c.documents == 300_000
    c = extract_constraints("A chatbot handling 50 queries per minute")
    assert c.requests_per_day == pytest.approx(50 * 60 * 24)
    assert extract_constraints("Design a chatbot").found == []


def test_classification_falls_back_to_general_and_explains_itself():
    c = classify("Design a chatbot that writes birthday poems")
    assert c.kind == "general" and c.cues == ()
    c = classify("Build semantic search with embeddings over our wiki")
    assert c.kind == "rag" and "embeddings" in c.cues


@pytest.mark.parametrize("question, kind", [
    ("Design a documentation assistant for our developer platform", "rag"),  # docs assistant = retrieval
    ("Design the API for our developer platform", "api_platform"),
    ("How would you evaluate a coding agent?", "evaluation"),
    ("Design a coding agent that can run tests", "agent"),
])
def test_close_calls_between_kinds(question, kind):
    assert classify(question).kind == kind


def test_deterministic():
    q = QUESTIONS["rag"]
    assert offline.answer(q).markdown == offline.answer(q).markdown
    assert offline.answer("  " + q.replace(" ", "   ") + "\n").markdown == offline.answer(q).markdown


def test_bad_questions_get_a_clear_error():
    for bad in ("", "   ", None, 42):
        with pytest.raises(TechpmError, match="question must be a non-empty string"):
            offline.answer(bad)  # type: ignore[arg-type]


def test_references_are_well_formed():
    keys = [r.key for r in REFERENCES]
    assert len(keys) == len(set(keys))
    for ref in REFERENCES:
        assert ref.url.startswith("https://") and ref.title and ref.supports
    for kind in KINDS:
        assert len(references_for(kind.id)) >= 5, kind.id
    with pytest.raises(TechpmError, match="Unknown reference"):
        get_reference("nope")


def test_the_public_generate_uses_the_offline_backend():
    import techpm

    a = techpm.generate(QUESTIONS["general"], backend="offline", stream=False)
    assert a.backend == "offline" and a.markdown == offline.answer(QUESTIONS["general"]).markdown
