"""The offline generator never crashes: generated questions with generated quantities always get an
answer (or, for an empty question, one clear TechpmError), every quantity the reader finds is used, a
megabyte question is read, and every replica count an answer states covers its peak."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from techpm.errors import TechpmError
from techpm.generator import offline
from techpm.generator.devset import body_of
from techpm.generator.reading import mentions, read_question

SUBJECTS = ["a voice agent for a bank", "an on-device keyboard", "a RAG system over contracts", "an AI tutor",
            "video search", "a fraud classifier", "an embeddings API", "a coding agent", "a moderation system",
            "the serving stack", "a translation app", "a receipt reader", "a support chatbot", "our next model",
            "a meeting summarizer", "a pricing plan for our API", "a parking garage"]
UNITS = ["users", "concurrent calls", "requests per second", "documents", "hours of video", "languages",
         "GB of RAM", "ms", "seconds", "engineers", "weeks", "x cheaper", "preference pairs", "B parameters",
         "T parameters", "tokens of context", "images a day", "attacks", "H100s", "FLOPs", "% of tickets",
         "phones", "schools", "steps", "points", "$ a month", "M-token codebase", "fps", "minutes"]
NUMBERS = st.one_of(st.integers(0, 10**13).map(str), st.integers(0, 10**6).map(lambda n: f"{n:,}"),
                    st.floats(0, 1e6, allow_nan=False).map(lambda x: f"{x:.2f}"),
                    st.sampled_from(["1e12", "1e24", "10^9", "0", "0.5", "1T", "5k", "2M", "1 billion", "K-12",
                                     "p95", "GPT-4", "H100", "1851", "3-5", "twelve", "a million"]))


@st.composite
def questions(draw) -> str:
    parts = [f"Design {draw(st.sampled_from(SUBJECTS))}"]
    for _ in range(draw(st.integers(0, 5))):
        unit = draw(st.sampled_from(UNITS))
        number = draw(NUMBERS)
        parts.append(f"${number} a month" if unit == "$ a month" else f"{number} {unit}")
    text = ", ".join(parts) + draw(st.sampled_from([".", "?", "", " with PCI and COPPA.", " on-device."]))
    return text + draw(st.text(max_size=20))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(questions())
def test_generated_questions_always_get_an_answer_that_uses_what_it_read(question):
    if not question.strip():
        with pytest.raises(TechpmError):
            offline.answer(question)
        return
    answer = offline.answer(question)
    assert [s.number for s in answer.sections] == [1, 2, 3, 4, 5, 6]
    body = body_of(answer.markdown)
    for q in read_question(question).quantities:
        assert mentions(body, q) >= 2, (q, question)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_any_text_is_an_answer_or_one_clear_error(text):
    try:
        answer = offline.answer(text)
    except TechpmError as exc:
        assert not text.strip() and "question must be a non-empty string" in str(exc)
    else:
        assert len(answer.sections) == 6


def test_a_megabyte_question_is_read():
    question = ("Design a RAG system over 2 million contracts for 500 lawyers with p95 under 2 s. " * 13_000)[:1_000_000]
    answer = offline.answer(question)
    assert len(answer.sections) == 6 and len(read_question(question).quantities) <= 40


@pytest.mark.parametrize("question", ["Serve a 0B model", "Serve a -5B model", "Serve a 7B model with a 100M-token "
                                      "context at 1e12 requests per second", "Our 1T parameters model on 0 GPUs"])
def test_impossible_sizes_get_a_clear_answer(question):
    answer = offline.answer(question)
    deep_dive = answer.sections[3].markdown
    assert "Traceback" not in answer.markdown and "nan" not in deep_dive.lower().split()
    if "0B" in question:
        assert "has no weights to serve" in deep_dive


NUM = r"\d[\d,.]*(?:e\d+| trillion)?"
REPLICAS = re.compile(rf"({NUM}) replicas? of (\d+) x [^,]+?\(({NUM}) GPUs?\), each sustaining ([\d,.]+) (\w+)s "
                      rf"a second.*?ceil\(({NUM}) ")


def _number(text: str) -> float:
    text = text.replace(",", "")
    return float(text.replace(" trillion", "")) * (1e12 if "trillion" in text else 1)


@pytest.mark.parametrize("question", [
    "Design the serving stack for a 70B model at 10k QPS with p95 under 500 ms",
    "Design a voice agent for a bank call center: 5,000 concurrent calls, 700 ms voice-to-voice latency",
    "Serve Llama 3.1 8B for 200 requests per second on H100s",
    "Pick between a 405B model via API and self-hosting a 70B model for 300 requests per second.",
    "Serve a 7B model with a 100M-token context at 1e12 requests per second",
])
def test_every_stated_replica_count_covers_the_peak_at_sustained_throughput(question):
    """Issue 14, item 12: replicas x sustained throughput >= peak, for every replica figure stated."""
    p = offline.plan(question)
    checks = p.ctx.notes.get("replica_checks", [])
    assert checks, "no replica figure to check"
    for replicas, sustained, peak in checks:
        assert replicas * sustained >= peak
    deep_dive = offline.answer(question).sections[3].markdown
    stated = REPLICAS.findall(deep_dive)
    assert len(stated) == len(checks)
    for replicas, per_replica, gpus, sustained, _noun, peak in stated:
        assert _number(replicas) * int(per_replica) == pytest.approx(_number(gpus), rel=0.01)
        assert _number(replicas) * _number(sustained) >= _number(peak) * 0.999  # rounding of the printed numbers
