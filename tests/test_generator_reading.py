"""The question reader: every stated quantity with its unit and role, and the traps of issue 10."""

from __future__ import annotations

import pytest

from techpm.errors import TechpmError
from techpm.generator.reading import Quantity, mentions, number_forms, rate_per_s, read_question, say


def roles(question: str) -> list[tuple[float, str]]:
    return [(q.value, q.role) for q in read_question(question).quantities]


@pytest.mark.parametrize("question, expected", [
    ("A voice agent for a bank call center: 5,000 concurrent calls, 700 ms voice-to-voice, PCI",
     [(5000, "concurrent_sessions"), (700, "latency_ms")]),
    ("An on-device keyboard for 1 billion Android phones with 4 GB of RAM",
     [(1e9, "devices"), (4, "memory_gb")]),
    ("An AI tutor for K-12 students in 2,000 schools", [(2000, "organizations")]),
    ("Serve a 7B model with a 100M-token context at 1e12 requests per second",
     [(7e9, "model_params"), (1e8, "context_tokens"), (1e12, "requests_per_s")]),
    ("Our 1T parameters MoE on 8 H100s", [(1e12, "model_params"), (8, "gpus")]),
    ("Cut our bill 5x without losing more than 1 point", [(5, "improvement_factor"), (1, "points")]),
    ("20,000 preference pairs, 8 weeks and a team of 4 engineers", [(20_000, "preference_pairs"), (8, "weeks"),
                                                                   (4, "team_size")]),
    ("Serve it at 10k QPS with p95 under 500 ms and time to first token under 300ms",
     [(10_000, "requests_per_s"), (500, "latency_ms"), (300, "ttft_ms")]),
    ("1.5M tickets per day from 20k customers over 300,000 manuals",
     [(1.5e6, "requests_per_day"), (20_000, "users"), (300_000, "documents")]),
    ("Search 100,000 hours of video in 40 languages", [(1e5, "media_hours"), (40, "languages")]),
    ("A budget of $50k/month and $0.01 per call", [(50_000, "budget_usd"), (0.01, "price_usd")]),
    ("We have a budget of 1e24 FLOPs", [(1e24, "compute_flops")]),
    ("Red-team it with 10,000 attacks; children under 13 use it", [(10_000, "attacks"), (13, "age")]),
    ("GPT-4 and Llama 3.1 answer in grades 9-12, replies in 3-5 seconds", [(5000, "latency_ms")]),
    ("An archive going back to 1851", [(1851, "year")]),
    ("A team of eight ships in two weeks", [(8, "team_size"), (2, "weeks")]),
])
def test_quantities_and_roles(question, expected):
    assert roles(question) == expected


def test_the_text_of_each_quantity_is_the_span_as_written():
    (calls, budget) = read_question("5,000 concurrent calls within 700 ms").quantities
    assert calls.text == "5,000 concurrent calls" and calls.unit == "calls" and budget.text == "700 ms"


def test_modalities_deployment_workloads_regulated_users():
    b = read_question("Design a voice agent for a bank call center: 5,000 concurrent calls, 700 ms, PCI")
    assert b.modalities == {"text", "voice"} and b.regulated == {"PCI"} and "agent" in b.workloads
    assert b.facets[0] == "speech" and "regulated" in b.facets
    b = read_question("An on-device keyboard for 1 billion Android phones with 4 GB of RAM")
    assert b.deployment == "on-device" and b.facets[0] == "on_device"
    b = read_question("Design an AI tutor for K-12 students in 2,000 schools (COPPA, FERPA, teacher oversight)")
    assert {"COPPA", "FERPA"} <= b.regulated and b.users == ("students", "teachers")
    b = read_question("Search footage and photos with OCR")
    assert {"video", "image"} <= b.modalities
    assert read_question("Serve Llama 3.1 70B on-prem").deployment == "self-hosted"
    assert read_question("Match our brand voice in emails").modalities == {"text"}


@pytest.mark.parametrize("quantity, forms", [
    (Quantity(5000, "calls", "concurrent_sessions", "5,000 concurrent calls"), {"5,000", "5000", "5k", "5 thousand"}),
    (Quantity(700, "ms", "latency_ms", "700 ms"), {"700 ms", "0.7 s"}),
    (Quantity(1e9, "phones", "devices", "1 billion phones"), {"1 billion", "1B", "1,000,000,000"}),
    (Quantity(50_000, "USD/month", "budget_usd", "$50k/month"), {"$50,000", "$50k", "$50K"}),
    (Quantity(5, "x", "improvement_factor", "5x"), {"5x", "5 times"}),
    (Quantity(1e24, "FLOPs", "compute_flops", "1e24 FLOPs"), {"1e24", "10^24"}),
    (Quantity(120_000, "ms", "latency_ms", "2 minutes"), {"2 minutes", "120 s"}),
])
def test_number_forms(quantity, forms):
    assert forms <= set(number_forms(quantity))


def test_mentions_counts_whole_numbers_only():
    q = Quantity(5000, "calls", "concurrent_sessions", "5,000 concurrent calls")
    assert mentions("5,000 calls; 5k at peak; 25,000 a day; 5,000.5 s; 5000", q) == 3
    assert say(q) == "5,000" and say(Quantity(1e24, "FLOPs", "compute_flops", "1e24 FLOPs")) == "1e24"


def test_rates_convert_to_per_second():
    (q,) = read_question("86,400 messages a day").quantities
    assert rate_per_s(q) == pytest.approx(1.0) and rate_per_s(Quantity(1, "x", "users", "")) is None


def test_bad_input_is_one_clear_error_and_long_input_is_capped():
    for bad in ("", "  ", None, 42):
        with pytest.raises(TechpmError, match="question must be a non-empty string"):
            read_question(bad)  # type: ignore[arg-type]
    assert len(read_question("5 users, " * 10_000).quantities) == 40
