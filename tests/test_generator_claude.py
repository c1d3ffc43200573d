"""The Claude backend with the real ``anthropic`` SDK over real HTTP, against tests/fake_anthropic.py.

Nothing in the SDK is mocked: it builds the requests, retries, parses the server-sent events and raises
its own errors; only the other end of the wire is a local server that records what it receives.
"""

from __future__ import annotations

import json
import logging

import pytest

from techpm import calc
from techpm.generator import claude, generate, generate_many
from techpm.generator import client as claude_client
from techpm.generator.answer import format_usd

# the ``settings`` (online, private cache, default cap) and ``server`` (FakeAnthropic) fixtures are in conftest.py
from tests.conftest import FAKE_KEY, MODEL, QUESTION
from tests.fake_anthropic import (
    SIX_TITLES,
    FakeAnthropic,
    error,
    message,
    six_section_text,
    text_block,
    tool_use_block,
    web_citation,
    web_search_blocks,
)


def has_offline() -> bool:
    try:
        from techpm.generator import offline  # noqa: F401
    except ImportError:
        return False
    return True


needs_offline = pytest.mark.skipif(not has_offline(), reason="the offline generator is not installed yet")


def bodies(server: FakeAnthropic) -> list[dict]:
    return [r.body for r in server.messages_requests()]


# --- one streamed answer ---------------------------------------------------------------------------

def test_streamed_answer_has_six_sections_usage_and_cost(server, capsys):
    server.queue(message([text_block("I'll start.\n\n" + six_section_text("Details. "))], input_tokens=1_200,
                         output_tokens=900, cache_creation_input_tokens=3_000, cache_read_input_tokens=500,
                         web_search_requests=2))
    answer = generate(QUESTION, backend="claude")

    assert answer.backend == "claude" and answer.model == MODEL
    # two searches and no citations: the answer says it is under-researched, in its notice and footer
    assert "under-researched: 2 web searches, fewer than the 5" in answer.notice and "no citations" in answer.notice
    assert "research: 2 web searches, 0 cited sources (under-researched" in answer.footer()
    assert [s.title for s in answer.sections] == list(SIX_TITLES)
    assert "I'll start" not in answer.markdown  # text before the first heading is dropped
    assert (answer.usage.input_tokens, answer.usage.output_tokens) == (1_200, 900)
    assert (answer.usage.cache_creation_input_tokens, answer.usage.cache_read_input_tokens) == (3_000, 500)
    assert answer.usage.web_search_requests == 2
    expected = calc.api_cost_usd(MODEL, 1_200, 900, 3_000, 500) + 2 * claude_client.WEB_SEARCH_USD_PER_SEARCH
    assert answer.cost_usd == pytest.approx(expected)
    assert f"cost {format_usd(answer.cost_usd)}" in answer.markdown and "1,200 input" in answer.markdown
    assert MODEL in answer.markdown.splitlines()[-1]

    # the request: streamed, method in a cached system block, web search bounded, calculators offered
    (body,) = bodies(server)
    assert body["stream"] is True and body["model"] == MODEL
    assert body["system"][0]["cache_control"] == {"type": "ephemeral"}
    assert "Deep dive and trade-offs" in body["system"][0]["text"]
    search = [t for t in body["tools"] if t.get("name") == "web_search"]
    assert search == [{"type": claude_client.WEB_SEARCH_TOOL_TYPES[0], "name": "web_search",
                       "max_uses": claude.WEB_SEARCH_MAX_USES}]
    names = {t["name"] for t in body["tools"]}
    assert {"api_cost_usd", "kv_cache_bytes", "capacity_plan"} <= names
    assert QUESTION in body["messages"][0]["content"]
    # the estimate came first, from count_tokens
    assert [r.path for r in server.requests][:2] == ["/v1/messages/count_tokens", "/v1/messages"]
    # streamed to the terminal as it was written, then the footer
    out = capsys.readouterr().out
    assert "Body of section 6" in out and "Backend: Claude" in out and "estimated at most" in out


def test_stream_false_prints_nothing(server, capsys):
    answer = generate(QUESTION, backend="claude", stream=False)
    assert answer.backend == "claude"
    assert capsys.readouterr().out == ""
    assert bodies(server)[0]["stream"] is True  # streamed over HTTP all the same (no long-request limit)


# --- tools ------------------------------------------------------------------------------------------

def test_tool_use_loop_runs_the_calculator_and_returns_its_result(server):
    server.queue(
        message([text_block("Let me compute."), tool_use_block("kv_cache_bytes",
                 {"cfg": "llama-3.1-8b", "context_tokens": 8192}, "toolu_kv")], stop_reason="tool_use",
                input_tokens=500, output_tokens=40),
        message(input_tokens=700, output_tokens=800),
    )
    answer = generate(QUESTION, backend="claude")

    first, second = bodies(server)
    assert second["messages"][:1] == first["messages"]
    assistant, user = second["messages"][1], second["messages"][2]
    assert assistant["role"] == "assistant"
    assert {"type": "tool_use", "id": "toolu_kv", "name": "kv_cache_bytes"}.items() <= assistant["content"][-1].items()
    (result,) = user["content"]
    assert result["type"] == "tool_result" and result["tool_use_id"] == "toolu_kv" and not result.get("is_error")
    assert json.loads(result["content"])["result"] == calc.kv_cache_bytes("llama-3.1-8b", 8192)
    assert answer.tools_used == ["kv_cache_bytes"]
    assert (answer.usage.input_tokens, answer.usage.output_tokens) == (1_200, 840)
    assert answer.cost_usd == pytest.approx(calc.api_cost_usd(MODEL, 500, 40) + calc.api_cost_usd(MODEL, 700, 800))
    assert "kv_cache_bytes" in answer.markdown  # the footer names the calculators used


def test_bad_tool_input_goes_back_as_an_error_result(server):
    server.queue(message([tool_use_block("kv_cache_bytes", {"cfg": "llama-3.1-8b", "context_tokens": -5})],
                         stop_reason="tool_use"), message())
    generate(QUESTION, backend="claude")
    result = bodies(server)[1]["messages"][-1]["content"][0]
    assert result["is_error"] is True and "context_tokens" in result["content"]


def test_tool_loop_is_bounded(server, monkeypatch):
    monkeypatch.setattr(claude_client, "MAX_TOOL_ROUNDS", 2)
    loop = [message([tool_use_block("little_concurrency", {"arrival_rate_per_s": 10, "latency_s": 2},
                                    f"toolu_{i}")], stop_reason="tool_use") for i in range(2)]
    server.queue(*loop, message())
    answer = generate(QUESTION, backend="claude")
    sent = bodies(server)
    assert len(sent) == 3
    assert "tool_choice" not in sent[0] and sent[2]["tool_choice"] == {"type": "none"}
    assert answer.tools_used == ["little_concurrency", "little_concurrency"]


def test_the_cap_stops_a_tool_loop_whose_next_round_could_exceed_it(server):
    server.queue(message([tool_use_block("little_concurrency", {"arrival_rate_per_s": 10, "latency_s": 2})],
                         stop_reason="tool_use", input_tokens=50_000, output_tokens=1_000, web_search_requests=8))
    system, messages, tools = claude.answer_request(QUESTION, MODEL)
    first = claude_client.estimate(claude_client.client(), model=MODEL, system=system, messages=messages, tools=tools,
                            max_tokens=claude.ANSWER_MAX_TOKENS)
    spent = claude_client.request_cost_usd(MODEL, claude.Usage(50_000, 1_000, web_search_requests=8))
    worst_next = claude_client.request_cost_usd(MODEL, claude.Usage(51_000, claude.ANSWER_MAX_TOKENS))
    cap = (max(first.usd, spent) + spent + worst_next) / 2
    assert first.usd <= cap < spent + worst_next  # the estimate fits; a second round might not
    answer = generate(QUESTION, backend="claude", max_cost_usd=cap)
    assert len(bodies(server)) == 1 and answer.backend == "claude"
    assert "Claude did not finish" in answer.notice and answer.cost_usd == pytest.approx(spent)


# --- web search ----------------------------------------------------------------------------------------

def test_web_search_citations_become_numbered_links(server):
    url_a, url_b = "https://arxiv.org/abs/2005.11401", "https://www.anthropic.com/news/contextual-retrieval"
    server.queue(message([
        *web_search_blocks("RAG contracts", [(url_a, "RAG paper"), (url_b, "Contextual retrieval")]),
        text_block("## 1. Technical clarifications and constraints\n\nRetrieval grounds answers"),
        text_block(" in documents", [web_citation(url_a, "RAG paper"), web_citation(url_b, "Contextual retrieval")]),
        text_block(".\n\n## 2. Users\n\nLawyers; chunk context helps", [web_citation(url_b, "Contextual retrieval")]),
    ], web_search_requests=1))
    answer = generate(QUESTION, backend="claude")
    assert [(c.title, c.url) for c in answer.citations] == [("RAG paper", url_a), ("Contextual retrieval", url_b)]
    section1 = answer.sections[0].markdown
    assert f"in documents [[1]]({url_a}) [[2]]({url_b})" in section1
    assert f"chunk context helps [[2]]({url_b})" in answer.sections[1].markdown
    assert f"1. [RAG paper]({url_a})" in answer.markdown and "## Sources" in answer.markdown
    assert answer.sections[5].markdown.startswith("*(Claude did not write")


def test_web_search_falls_back_to_the_basic_version_then_to_none(server):
    server.queue(error(400, "tools.0: 'web_search_20260318' is not supported on this model"),
                 error(403, "Web search is not enabled for your organization"),
                 message())
    answer = generate(QUESTION, backend="claude")
    types = [[t.get("type") for t in b.get("tools", []) if t.get("name") == "web_search"] for b in bodies(server)]
    assert types == [["web_search_20260318"], ["web_search_20250305"], []]
    assert answer.backend == "claude"
    assert "web search is not available" in answer.notice
    assert {t["name"] for t in bodies(server)[2]["tools"]} >= {"kv_cache_bytes"}  # calculators kept


# --- retries and errors ---------------------------------------------------------------------------------

def test_retries_after_429_and_529_honouring_retry_after(server):
    server.queue(error(429, "slow down", retry_after_s=0.01), error(529, "overloaded", retry_after_s=0.01), message())
    answer = generate(QUESTION, backend="claude")
    sent = server.messages_requests()
    assert answer.backend == "claude" and len(sent) == 3
    assert sent[0].body == sent[2].body  # the same request, retried
    assert [r.headers.get("x-stainless-retry-count") for r in sent] == ["0", "1", "2"]


@needs_offline
def test_rate_limit_that_persists_gives_a_clear_notice_and_the_offline_answer(server):
    server.queue(*[error(429, "slow down", retry_after_s=0.01) for _ in range(claude_client.MAX_RETRIES + 1)])
    answer = generate(QUESTION, backend="auto")
    assert answer.backend == "offline"
    assert "Rate limited" in answer.notice and "429" in answer.notice and "offline" in answer.notice.lower()
    assert len(server.messages_requests()) == claude_client.MAX_RETRIES + 1


@needs_offline
def test_an_error_in_the_middle_of_the_stream_gives_the_offline_answer(server, capsys):
    broken = message()
    broken.stream_error = "overloaded_error"
    server.queue(broken)
    answer = generate(QUESTION)
    assert answer.backend == "offline" and "broke off while answering (overloaded_error" in answer.notice
    out = capsys.readouterr().out
    assert out.index("Body of section 1") < out.index("Offline generator")  # streamed, then replaced


@needs_offline
def test_invalid_key_gives_a_clear_message_and_the_offline_answer(server, monkeypatch, capsys):
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-api03-WRONG-key-abcdefghijklmnop")
    answer = generate(QUESTION)
    assert answer.backend == "offline" and answer.model is None
    assert "rejected the key (401" in answer.notice and "ANTHROPIC_API_KEY" in answer.notice
    assert "Traceback" not in capsys.readouterr().out
    assert server.messages_requests() == []  # refused at the estimate: nothing paid was attempted


def test_ask_raises_a_plain_claude_error_for_a_bad_key(server, monkeypatch):
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-api03-WRONG-key-abcdefghijklmnop")
    with pytest.raises(claude_client.ClaudeError, match="rejected the key") as info:
        claude_client.ask("Hello")
    assert info.value.__cause__ is None and info.value.__suppress_context__


@needs_offline
def test_no_key_means_offline_with_a_notice(monkeypatch, settings):
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    answer = generate(QUESTION, backend="claude", stream=False)
    assert answer.backend == "offline" and "No Anthropic API key" in answer.notice


@needs_offline
def test_no_network_means_offline_with_a_notice(monkeypatch, settings):
    monkeypatch.setenv("ANTHROPIC_API_KEY", FAKE_KEY)
    with FakeAnthropic() as gone:
        url = gone.url
    monkeypatch.setenv("ANTHROPIC_BASE_URL", url)  # a closed port: connection refused
    monkeypatch.setattr(claude_client, "MAX_RETRIES", 0)
    answer = generate(QUESTION, stream=False)
    assert answer.backend == "offline" and "Could not reach the Anthropic API" in answer.notice


# --- the cost cap ------------------------------------------------------------------------------------------

@needs_offline
def test_a_call_above_max_cost_is_refused_before_anything_is_sent(monkeypatch, settings):
    with FakeAnthropic(valid_key=FAKE_KEY, input_tokens_for_count=2_000_000) as server:
        monkeypatch.setenv("ANTHROPIC_API_KEY", FAKE_KEY)
        monkeypatch.setenv("ANTHROPIC_BASE_URL", server.url)
        answer = generate(QUESTION, max_cost_usd=0.05, stream=False)
        assert answer.backend == "offline"
        assert "Refused before sending" in answer.notice and f"max_cost_usd={format_usd(0.05)}" in answer.notice
        assert server.messages_requests() == []
        with pytest.raises(claude_client.CostLimitError):
            claude_client.ask("hi", max_cost_usd=0.05)


def test_the_estimate_prices_counted_input_max_output_and_searches(server):
    cl = claude_client.client()
    system, messages, tools = claude.answer_request(QUESTION, MODEL)
    est = claude_client.estimate(cl, model=MODEL, system=system, messages=messages, tools=tools, max_tokens=4_000)
    assert est.input_tokens == server.input_tokens_for_count
    assert est.usd == pytest.approx(calc.api_cost_usd(MODEL, server.input_tokens_for_count, 4_000)
                                    + claude.WEB_SEARCH_MAX_USES * claude_client.WEB_SEARCH_USD_PER_SEARCH)
    counted = server.requests[-1].body
    assert all(t.get("name") != "web_search" for t in counted["tools"])  # server tools are priced apart


# --- the disk cache ------------------------------------------------------------------------------------------

def test_a_second_run_comes_from_the_cache_at_no_cost(server, settings):
    first = generate(QUESTION, backend="claude", stream=False)
    requests_after_first = len(server.requests)
    again = generate("  Design a RAG system   for a law firm's contracts ", backend="claude", stream=False)
    assert len(server.requests) == requests_after_first  # nothing sent
    assert again.cached and again.markdown != first.markdown and "from the disk cache" in again.markdown
    assert [s.markdown for s in again.sections] == [s.markdown for s in first.sections]
    assert again.cost_usd == first.cost_usd  # what it cost the first time, shown honestly
    other_model = generate(QUESTION, backend="claude", model="claude-sonnet-5-5", stream=False)
    assert not other_model.cached and len(server.requests) > requests_after_first


def test_a_corrupt_cache_file_is_ignored_with_a_warning(server, settings):
    generate(QUESTION, backend="claude", stream=False)
    (path,) = (settings.cache_dir / "answers").glob("*.json")
    path.write_text("{not json", encoding="utf-8")
    with pytest.warns(UserWarning, match="corrupt cache file"):
        answer = generate(QUESTION, backend="claude", stream=False)
    assert answer.backend == "claude" and not answer.cached
    assert json.loads(path.read_text())["answer"]["question"] == QUESTION  # rewritten


# --- batch mode ------------------------------------------------------------------------------------------

def test_generate_many_uses_the_batch_api_at_half_price_and_fills_the_cache(server, capsys):
    questions = [QUESTION, "Design an eval system for a coding agent"]
    server.queue(message(input_tokens=1_000, output_tokens=2_000, web_search_requests=1),
                 message(input_tokens=3_000, output_tokens=1_000))
    answers = generate_many(questions, poll_interval_s=0)

    creates = [r for r in server.requests if r.path == "/v1/messages/batches" and r.method == "POST"]
    (create,) = creates
    params = [req["params"] for req in create.body["requests"]]
    assert [p["messages"][0]["content"].endswith(q) for p, q in zip(params, questions, strict=True)] == [True, True]
    assert all(p["system"][0]["cache_control"] == {"type": "ephemeral"} for p in params)
    polls = [r for r in server.requests if r.method == "GET" and r.path.count("/") == 4]
    assert len(polls) >= 2  # polled until it ended
    assert [a.backend for a in answers] == ["claude", "claude"]
    assert answers[0].cost_usd == pytest.approx(calc.api_cost_usd(MODEL, 1_000, 2_000, batch=True)
                                                 + claude_client.WEB_SEARCH_USD_PER_SEARCH)
    assert answers[1].cost_usd == pytest.approx(calc.api_cost_usd(MODEL, 3_000, 1_000, batch=True))
    assert "2/2 answered" in capsys.readouterr().err  # the progress bar
    before = len(server.requests)
    cached = generate(questions[1], backend="claude", stream=False)
    assert cached.cached and len(server.requests) == before
    assert all(a.cached for a in generate_many(questions, poll_interval_s=0)) and len(server.requests) == before


@needs_offline
def test_generate_many_refuses_a_batch_above_the_cap(server):
    answers = generate_many([QUESTION, "Design an agent"], max_cost_usd=0.001, poll_interval_s=0, progress=False)
    assert [a.backend for a in answers] == ["offline", "offline"]
    assert "Refused before sending" in answers[0].notice
    assert not [r for r in server.requests if r.path == "/v1/messages/batches"]


# --- the helpers for other lessons -----------------------------------------------------------------------------

def test_ask_returns_text_citations_usage_and_cost(server):
    server.queue(message([text_block("Short answer.", [web_citation("https://example.org/a", "A")])],
                         input_tokens=10, output_tokens=5))
    result = claude_client.ask([{"role": "user", "content": "Why stream?"}], system="Be brief.", max_tokens=50)
    assert result.text == "Short answer. [[1]](https://example.org/a)"
    assert [c.url for c in result.citations] == ["https://example.org/a"]
    assert result.cost_usd == pytest.approx(calc.api_cost_usd(MODEL, 10, 5))
    (body,) = bodies(server)
    assert body["system"] == "Be brief." and body["max_tokens"] == 50 and "stream" not in body


def test_ask_keeps_document_citations_for_rag(server):
    citation = {"type": "char_location", "cited_text": "Section 4.2 caps liability.", "document_index": 0,
                "document_title": "MSA", "start_char_index": 10, "end_char_index": 37}
    server.queue(message([text_block("Liability is capped.", [citation])]))
    document = {"type": "document", "source": {"type": "text", "media_type": "text/plain", "data": "..."},
                "title": "MSA", "citations": {"enabled": True}}
    result = claude_client.ask([{"role": "user", "content": [document, {"type": "text", "text": "Is liability capped?"}]}])
    assert result.document_citations[0]["cited_text"] == "Section 4.2 caps liability."
    assert bodies(server)[0]["messages"][0]["content"][0]["citations"] == {"enabled": True}


def test_judge_returns_structured_scores_through_a_forced_tool(server):
    points = [{"id": "scoping", "title": "Opens with scoping questions"},
              {"id": "sources", "title": "Claims carry sources"}]
    scores = [{"id": "scoping", "score": 1.0, "evidence": "What scale?", "suggestion": "Keep it."},
              {"id": "sources", "score": 0.0, "evidence": "No links.", "suggestion": "Link the RAG paper."}]
    server.queue(message([tool_use_block(claude_client.JUDGE_TOOL, {"scores": scores})], stop_reason="tool_use"))
    assert claude_client.judge("## 1. Scoping\n\nWhat scale?", points) == scores
    (body,) = bodies(server)
    assert body["tool_choice"] == {"type": "tool", "name": claude_client.JUDGE_TOOL}
    schema = body["tools"][0]["input_schema"]
    assert schema["properties"]["scores"]["items"]["properties"]["id"]["enum"] == ["scoping", "sources"]


# --- the key never leaks --------------------------------------------------------------------------------------

@needs_offline
def test_the_key_never_appears_in_output_files_logs_or_errors(monkeypatch, settings, capsys, caplog):
    caplog.set_level(logging.DEBUG)
    texts: list[str] = []
    with FakeAnthropic(valid_key=FAKE_KEY) as server:
        monkeypatch.setenv("ANTHROPIC_API_KEY", FAKE_KEY)
        monkeypatch.setenv("ANTHROPIC_BASE_URL", server.url)
        server.queue(error(429, retry_after_s=0.01),
                     message([tool_use_block("api_cost_usd", {"model": MODEL, "input_tokens": 1, "output_tokens": 1})],
                             stop_reason="tool_use"), message())
        answers = [generate(QUESTION)]
        server.queue(error(400, f"echoing your key {FAKE_KEY} back"))  # a server that echoes the key
        answers.append(generate("A second question about agents"))
        server.queue(error(400, f"bad request from {FAKE_KEY}"))
        with pytest.raises(claude_client.ClaudeError) as info:
            claude_client.ask("hi")
        texts.append(str(info.value))
        texts.append(repr(info.value))
        generate_many(["A batched question"], poll_interval_s=0)
        from techpm.keys import find_api_key

        texts.append(repr(find_api_key()))
        texts.append(repr(claude_client.client()))
        assert all(r.headers["authorization"] == f"Bearer {FAKE_KEY}" for r in server.requests)  # it was used
    texts += [a.markdown for a in answers] + [repr(a) for a in answers] + [str(a.notice) for a in answers]
    out = capsys.readouterr()
    texts += [out.out, out.err, caplog.text] + [r.getMessage() for r in caplog.records]
    texts += [p.read_text() for p in settings.cache_dir.rglob("*") if p.is_file()]
    assert "[redacted]" in answers[1].notice
    leaks = [t[:80] for t in texts if FAKE_KEY in t or FAKE_KEY[7:27] in t]
    assert leaks == []
