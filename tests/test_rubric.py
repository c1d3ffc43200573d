"""The rubric grader: every point's check can pass and can fail; strong answers score high, weak ones low;
the judge's grades sit beside the checks' and disagreements are shown; no key means a plain report."""

from __future__ import annotations

import dataclasses
from importlib import resources

import pytest

import techpm
from techpm import config
from techpm.errors import TechpmError
from techpm.generator import offline
from techpm.generator.method import RUBRIC
from techpm.rubric import CHECKS, _Doc, find_sections, grade, split_sentences
from tests.fake_anthropic import FakeAnthropic, message, tool_use_block

FAKE_KEY = "sk-ant-api03-FAKE-rubric-key-0123456789abcdefghij"


def sample(name: str) -> str:
    return resources.files("techpm").joinpath("data", "sample_answers", f"{name}_rag_law_firm.md").read_text()


def check(point: str, text: str) -> float:
    return CHECKS[point](_Doc.read(text))[0]


# --- each check passes on a text that shows the point, and fails on one that does not -----------------

PASSES = {
    "scoping": "## 1. Clarifications\nHow many users, and how many requests per second at peak?\n"
               "What latency do they need?\nWhat data exists, and what privacy rules apply to it?\n"
               "What is the budget?\n\n## 2. Users\nLawyers.",
    "design": "Request path: question -> gateway -> router -> retriever -> reranker -> model -> answer.\n"
              "The vector index and BM25 index live in a database store; a queue feeds the ingestion pipeline "
              "that chunks and embeds documents; responses stream to the client; a cache holds the system prompt.\n"
              "We monitor every stage with traces and alerts, fall back to keyword search when the vector "
              "store is down, and roll out prompt changes behind a feature flag.",
    "triangle": "Streaming cuts perceived latency; caching and batching cut cost; routing easy requests to a "
                "small model saves 80% of cost but risks quality on hard ones, so it trades accuracy against "
                "price. A larger model buys quality at the expense of latency.",
    "depth": "Documents are split into chunks of 500 tokens, each chunk gets an embedding, hybrid search "
             "combines BM25 with vector search, a reranker orders the top 50, and we measure recall@8 and "
             "faithfulness on a golden set.",
    "hard_parts": "Hallucination: we detect unsupported claims with a citation check and mitigate by "
                  "grounding answers in retrieved text. Safety: a classifier filters harmful requests and we "
                  "measure the violation rate. Prompt injection in documents is mitigated by treating "
                  "retrieved text as data and we monitor for it.",
    "quantitative": "The corpus is 2,000,000 documents x 3,000 tokens = 6 billion tokens in 12 million chunks. "
                    "Embedding costs $360. The index needs 50 GB. Each question uses 5,600 tokens in and 400 "
                    "tokens out, $0.015 per question, $4,560 per month for 300,000 queries. TTFT is 400 ms, "
                    "decode 21 ms per token on 2 GPUs, 8.8 s in total; caching saves 19%.",
    "product": "Personas: developers who integrate it, and end users (lawyers) who read the answers. "
               "Lawyers trust an answer only when the citation is there, so the design always cites. "
               "Streaming matters for users because they wait less for the first words of the model. "
               "For the developers, a trace of each retrieval step means they can fix accuracy problems, "
               "which builds adoption.",
    "structure": "\n".join(f"## {n}. {title}\n\n" + "word " * 330 for n, title in
                           enumerate(("Clarifications and constraints", "Users", "System design",
                                      "Deep dive and trade-offs", "API design", "Metrics"), start=1)),
    "sources": "Hybrid search cuts failed retrievals ([Anthropic](https://www.anthropic.com/engineering/contextual-retrieval)). "
               "Models miss the middle of long contexts ([Liu](https://arxiv.org/abs/2307.03172)). "
               "HNSW search is logarithmic ([HNSW](https://arxiv.org/abs/1603.09320)). "
               "RAG grounds answers ([Lewis](https://arxiv.org/abs/2005.11401)). "
               "Judges agree with people ([Zheng](https://arxiv.org/abs/2306.05685)).",
}

FAILS = {
    "scoping": "We will use a vector database. It will be fast and accurate.",
    "design": "We will use a large model and make it good.",
    "triangle": "The model will be great and users will love it.",
    "depth": "We will use AI to answer questions about contracts.",
    "hard_parts": "The system answers questions and users like it.",
    "quantitative": "It will be fast and cheap, and scale to many users.",
    "product": "The model calls a retrieval service and returns JSON.",
    "structure": "## Metrics\n\nAccuracy.\n\n## Users\n\nLawyers.",
    "sources": "Retrieval helps models answer questions.",
}


@pytest.mark.parametrize("point", [p.id for p in RUBRIC])
def test_each_check_can_pass_and_can_fail(point):
    assert check(point, PASSES[point]) == 1.0, CHECKS[point](_Doc.read(PASSES[point]))
    assert check(point, FAILS[point]) == 0.0


def test_partial_credit():
    assert check("scoping", "What scale do we need? We use a vector database.") == 0.5
    assert check("sources", "See the RAG paper: https://arxiv.org/abs/2005.11401 for details.") == 0.5
    in_order_but_short = "\n".join(f"## {n}. {t}\n\nSome text." for n, t in enumerate(
        ("Scoping", "Users", "Design", "Trade-offs", "API", "Metrics"), start=1))
    assert check("structure", in_order_but_short) == 0.5
    listed_at_end = "Claims here.\n\n## Sources\n" + "\n".join(
        f"- https://arxiv.org/abs/2005.1140{i}" for i in range(6))
    assert check("sources", listed_at_end) == 0.5      # links only in a list at the end are not inline


def test_sections_are_found_by_number_or_by_name_and_order_matters():
    assert find_sections("# 1. Scoping\n## 2) Users\n**Architecture**\n## Trade-offs\n## API\n## Metrics") == [
        1, 2, 3, 4, 5, 6]
    shuffled = "\n".join(f"## {t}\n\n" + "word " * 330 for t in
                         ("Metrics", "Users", "Clarifications", "System design", "Trade-offs", "API design"))
    assert check("structure", shuffled) < 1.0


def test_sentences_join_wrapped_lines_and_skip_code_and_headings():
    text = "# Title\n\nFirst sentence wraps\nonto a second line. Second one!\n\n```text\na --> b\n```\n- A bullet."
    assert split_sentences(text) == ["First sentence wraps onto a second line.", "Second one!", "A bullet."]


# --- whole answers -----------------------------------------------------------------------------------

def test_samples_strong_scores_high_weak_scores_low():
    strong, weak = grade(sample("strong")), grade(sample("weak"))
    assert strong.total >= 80 and weak.total <= 25, (strong.total, weak.total)
    assert all(p.score == 0 for p in weak.points if p.id in ("scoping", "quantitative", "sources", "structure"))
    for p in weak.points:
        if p.score < 1:
            assert p.suggestion and p.evidence


@pytest.mark.parametrize("question", [
    "Design a RAG system for a law firm's 2 million contracts",
    "Design the serving stack for a 70B model at 10k QPS",
    "How would you evaluate a customer-support chatbot?",
    "Design a coding agent for our monorepo",
    "How would you prevent jailbreaks in a consumer chatbot?",
])
def test_offline_answers_score_well(question):
    report = grade(offline.answer(question).markdown)
    assert report.total >= 85, str(report)
    assert report.point("structure").score == 1.0 and report.point("sources").score == 1.0


def test_report_shape_and_display():
    report = techpm.grade(sample("strong"))
    assert [p.id for p in report.points] == [p.id for p in RUBRIC]
    assert 0 <= report.total <= 100
    assert report.total == round(100 * sum(p.score for p in report.points) / 9)
    md, html, text = report._repr_markdown_(), report._repr_html_(), str(report)
    assert f"{report.total}/100" in md and f"{report.total}/100" in html and f"{report.total}/100" in text
    assert md.count("\n| ") == 10 and html.count("<tr>") == 10      # header row + nine points
    assert report.judge_total is None and not report.disagreements
    with pytest.raises(TechpmError):
        report.point("nope")


def test_deterministic_and_clear_errors():
    assert str(grade(sample("strong"))) == str(grade(sample("strong")))
    for bad, match in (("", "empty"), ("   ", "empty"), (None, "string"), (3, "string")):
        with pytest.raises(TechpmError, match=match):
            grade(bad)  # type: ignore[arg-type]


# --- the judge --------------------------------------------------------------------------------------

@pytest.fixture
def online(monkeypatch, tmp_path):
    monkeypatch.setattr(config, "SETTINGS", dataclasses.replace(
        config.SETTINGS, offline=False, claude_model="claude-haiku-5-5", cache_dir=tmp_path, max_cost_usd=0.5))


def test_judge_without_a_key_says_so_and_keeps_the_checks(online, monkeypatch):
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    plain, judged = grade(sample("weak")), grade(sample("weak"), judge=True)
    assert "no Anthropic API key" in judged.judge_note
    assert judged.scores() == plain.scores() and judged.judge_total is None
    assert "no Anthropic API key" in judged.markdown()


def test_judge_offline_mode_says_so(monkeypatch):
    monkeypatch.setattr(config, "SETTINGS", dataclasses.replace(config.SETTINGS, offline=True))
    assert "offline mode" in grade(sample("weak"), judge=True).judge_note


def test_judge_grades_sit_beside_the_checks_and_disagreements_are_flagged(online, monkeypatch):
    from techpm.generator import claude

    ids = [p.id for p in RUBRIC]
    scores = [{"id": i, "score": 1.0 if i == "scoping" else 0.0, "evidence": f"judge on {i}",
               "suggestion": "more"} for i in ids]
    with FakeAnthropic(valid_key=FAKE_KEY) as server:
        monkeypatch.setenv("ANTHROPIC_API_KEY", FAKE_KEY)
        monkeypatch.setenv("ANTHROPIC_BASE_URL", server.url)
        server.queue(message([tool_use_block(claude.JUDGE_TOOL, {"scores": scores})], stop_reason="tool_use"))
        report = grade(sample("weak"), judge=True)
    assert report.judge_note is None and report.judge_model == "claude-haiku-5-5"
    assert report.point("scoping").judge_score == 1.0 and report.point("scoping").score == 0.0
    assert report.point("scoping").disagree and report.point("scoping").judge_evidence == "judge on scoping"
    assert report.judge_total == round(100 / 9)
    assert "scoping" not in [p.id for p in report.points if p.disagree and p.id != "scoping"]
    md = report.markdown()
    assert "disagree on: Opens with technical scoping questions" in md and "| Judge |" in md
    assert FAKE_KEY not in md + report._repr_html_() + str(report)


def test_judge_failure_is_reported_not_raised(online, monkeypatch):
    with FakeAnthropic(valid_key="sk-ant-api03-a-different-valid-key-0123456789") as server:
        monkeypatch.setenv("ANTHROPIC_API_KEY", FAKE_KEY)   # rejected: 401
        monkeypatch.setenv("ANTHROPIC_BASE_URL", server.url)
        report = grade(sample("strong"), judge=True)
    assert report.judge_note.startswith("Judge failed") and report.judge_total is None
    assert FAKE_KEY not in report.judge_note
    assert report.total == grade(sample("strong")).total
