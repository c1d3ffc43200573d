"""Memory strategies on a session transcript, context-window measurements, the agents explorer and checks."""

from __future__ import annotations

import json

import pytest

from techpm import calc, checks
from techpm.agents import context, memory, tasks, tools
from techpm.checks import agents as check
from techpm.errors import TechpmError

MODEL = "claude-haiku-5-5"


@pytest.fixture(scope="module")
def episodes():
    session = tasks.run_suite(tasks.session_tasks(), backend="offline")
    return memory.transcript([r.run for r in session])


def test_transcript_keeps_every_message_and_answer(episodes):
    assert len(episodes) == 48 and all(e.answer for e in episodes)
    assert all(e.messages[0].role == "user" and e.messages[0].text == e.task for e in episodes)
    assert any("[tool_use" in m.text for m in episodes[0].messages)


def test_strategies_respect_the_budget_and_full_history_recalls_everything(episodes):
    rows = {r.strategy: r for r in memory.compare(episodes, MODEL, 1_000)}
    total = sum(m.tokens for e in episodes for m in e.messages)
    assert rows["full history"].tokens_at_end == total and rows["full history"].facts_recalled == 48
    for name in memory.STRATEGIES[1:]:
        assert rows[name].tokens_at_end <= 1_000
    assert rows["sliding window"].facts_recalled < rows["full history"].facts_recalled
    assert rows["retrieval memory"].facts_recalled > rows["sliding window"].facts_recalled
    assert rows["sliding window"].usd_per_turn == pytest.approx(
        calc.api_cost_usd(MODEL, rows["sliding window"].mean_tokens_per_turn, 0))


def test_window_keeps_the_latest_and_summary_the_answers(episodes):
    window = memory.context("sliding window", episodes, budget_tokens=300)
    assert window[-1] == episodes[-1].messages[-1]
    summary = memory.context("running summary", episodes, budget_tokens=2_000)
    recent = {m.episode for m in summary if m.role != "summary"}
    lines = [m for m in summary if m.role == "summary"]
    assert lines and all(m.episode not in recent and episodes[m.episode].answer in m.text for m in lines)
    assert sum(m.tokens for m in lines) <= 1_000
    with pytest.raises(TechpmError):
        memory.context("forget everything", episodes)
    with pytest.raises(TechpmError):
        memory.context("sliding window", episodes, budget_tokens=10)


def test_best_under_budget(episodes):
    rows = memory.compare(episodes, MODEL, 1_000)
    best = memory.best_under_budget(rows, 1_000)
    assert best.strategy != "full history"
    assert best.facts_recalled == max(r.facts_recalled for r in rows if r.tokens_at_end <= 1_000)
    with pytest.raises(TechpmError):
        memory.best_under_budget(rows, 1)


def test_attention_cost_grows_quadratically():
    rows = context.attention_cost("llama-3.1-8b", "h100-sxm", [1_000, 2_000, 4_000, 64_000])
    attn = [r.prefill_flops - r.context_tokens * calc.forward_flops_per_token("llama-3.1-8b", 0) for r in rows]
    assert attn[1] / attn[0] == pytest.approx(4, rel=0.01) and attn[2] / attn[1] == pytest.approx(4, rel=0.01)
    assert rows[-1].attention_share > rows[0].attention_share
    assert rows[1].kv_cache_gb == pytest.approx(2 * rows[0].kv_cache_gb)


def test_stuff_vs_retrieve_prices_each_plan():
    stuffed, cached, retrieved = context.stuff_vs_retrieve(MODEL, 120_000, 200, 5, 100, 300)
    p = calc.get_api_price(MODEL)
    assert stuffed.usd_per_question == pytest.approx(
        (120_100 * p.long_context_input_usd_per_mtok + 300 * p.long_context_output_usd_per_mtok) / 1e6)
    assert retrieved.prompt_tokens == 1_100 and retrieved.usd_per_question == pytest.approx(
        calc.api_cost_usd(MODEL, 1_100, 300))
    assert retrieved.usd_per_question < cached.usd_per_question < stuffed.usd_per_question
    assert cached.prefill_s < stuffed.prefill_s


def test_lost_in_middle_measures_a_reader_by_position():
    from techpm.rag.eval import load_questions

    qs = load_questions()[:6]
    always_first = context.lost_in_middle(5, [0, 2, 4], reader=lambda q, chunks: chunks[0].id, questions=qs)
    assert always_first == [(0, 1.0), (2, 0.0), (4, 0.0)]
    measured = context.lost_in_middle(5, [0, 4], questions=qs)
    assert all(0 <= a <= 1 for _, a in measured)
    with pytest.raises(TechpmError):
        context.lost_in_middle(5, [7])


def test_knowledge_options_follow_the_calculators():
    ctx, ret, tune = context.knowledge_options(MODEL, 50_000, 1_000, 2)
    assert ctx.usd_per_month == pytest.approx(calc.api_cost_usd(MODEL, 100_000, 300_000, 0, 50_000_000)
                                              + 2 * calc.api_cost_usd(MODEL, 0, 0, 50_000))
    assert ret.usd_per_month == pytest.approx(calc.api_cost_usd(MODEL, 1_100_000, 300_000)
                                              + 2 * calc.embedding_cost_usd(50_000, "voyage-4"))
    assert tune.prompt_tokens == 100 and tune.setup_usd_per_update > 0


def test_agent_loop_explorer_follows_its_controls():
    from techpm.widgets.agents import SYSTEM_TOKENS, agent_loop_explorer

    e = agent_loop_explorer(steps=10, step_success=0.9, retries=0, tokens_per_step=500, model=MODEL)
    assert e.error is None and e.image.value[:4] == b"\x89PNG"
    assert e.result["success"] == pytest.approx(0.9 ** 10) and "34.9%" in e.html.value
    assert e.result["input_tokens"] == calc.agent_loop_input_tokens(10, SYSTEM_TOKENS, 500)
    plain = e.result["usd_per_task"]
    e.controls["caching"].value = "on"
    assert e.result["usd_per_task"] < plain and "caching on" in e.html.value
    e.controls["retries"].value = 1
    assert e.result["success"] == pytest.approx(calc.agent_success_probability(0.9, 10, 1))


def test_checks_pass_right_answers_and_explain_wrong_ones(episodes):
    checks.reset()
    p, usd = calc.agent_success_probability(0.9, 5), calc.agent_loop_cost(MODEL, 5, 1_000, 300, 100).total_usd
    kw = dict(step_success=0.9, steps=5, model=MODEL, system_tokens=1_000, tokens_per_step=300, output_tokens_per_step=100)
    assert all(r.passed for r in check.loop_success_and_cost(p, usd, **kw))
    flat = calc.api_cost_usd(MODEL, 5 * 1_300, 500)
    wrong = check.loop_success_and_cost(0.9, flat, **kw)
    assert "all the steps" in wrong[0].message and "resends" in wrong[1].message
    assert check.retries_needed(..., step_success=0.9, steps=5, target=0.99).status == checks.NOT_DONE
    r = calc.retries_for_target_success(0.9, 20, 0.99)
    assert check.retries_needed(r, step_success=0.9, steps=20, target=0.99).passed
    assert "attempts" in check.retries_needed(r + 1, step_success=0.9, steps=20, target=0.99).message
    rows = memory.compare(episodes, MODEL, 1_000)
    assert check.memory_choice(memory.best_under_budget(rows, 1_000).strategy, rows, 1_000).passed
    assert "budget" in check.memory_choice("full history", rows, 1_000).message
    result = tools.poisoned_docs_tool().run({"query": "How do I make my own object work in a with block?"})[0]
    bad = json.loads(result)[0]["chunk"]
    assert check.injected_chunk(bad, result).passed
    month = dict(model=MODEL, users=10, tasks_per_user_per_day=2, steps=6, system_tokens=2_000, tokens_per_step=400,
                 output_tokens_per_step=100)
    per_task = calc.agent_loop_cost(MODEL, 6, 2_000, 400, 100, caching=True).total_usd
    assert check.agent_monthly_cost(600 * per_task, **month).passed
    assert "without caching" in check.agent_monthly_cost(
        600 * calc.agent_loop_cost(MODEL, 6, 2_000, 400, 100).total_usd, **month).message
    lo = calc.wilson_interval(30, 40)[0]
    good = check.eval_interval_and_cost(lo, 2.0 / 30, successes=30, n=40, total_cost_usd=2.0)
    assert all(x.passed for x in good)
    assert "per task" in check.eval_interval_and_cost(lo, 2.0 / 40, successes=30, n=40, total_cost_usd=2.0)[1].message


def test_what_the_lesson_says_about_its_measurements(episodes):
    """The lesson's prose reads these results qualitatively; keep them true."""
    points = dict(context.lost_in_middle(20, [0, 9, 19]))
    assert points[0] > points[9] and points[0] > points[19]  # the extractive reader's tie-break favours first
    rows = {r.strategy: r for r in memory.compare(episodes, MODEL, 1_000)}
    assert max(rows.values(), key=lambda r: r.usd_per_turn).strategy == "full history"
    assert min(rows.values(), key=lambda r: r.facts_recalled).strategy == "sliding window"
    assert rows["retrieval memory"].facts_recalled > rows["running summary"].facts_recalled
    results = tasks.run_suite(backend="offline")
    assert any(not r.success and r.task.id.startswith("docs-") for r in results)


def test_claude_reader_returns_the_cited_chunk(monkeypatch):
    import dataclasses

    from techpm import config
    from techpm.rag.eval import load_questions
    from tests.fake_anthropic import FakeAnthropic, message, text_block

    monkeypatch.setattr(config, "SETTINGS", dataclasses.replace(config.SETTINGS, offline=False))
    key = "sk-ant-api03-" + "z" * 40
    cited = [{"type": "char_location", "cited_text": "x", "document_index": 2, "document_title": "?",
              "start_char_index": 0, "end_char_index": 1}]
    with FakeAnthropic(valid_key=key) as server:
        monkeypatch.setenv("ANTHROPIC_API_KEY", key)
        monkeypatch.setenv("ANTHROPIC_BASE_URL", server.url)
        server.queue(*[message([text_block("It is here.", citations=cited)]) for _ in range(2)])
        points = context.lost_in_middle(3, [0, 2], reader=context.claude_reader(MODEL),
                                        questions=load_questions()[:1])
        sent = server.messages_requests()
    assert points == [(0, 0.0), (2, 1.0)]  # the fake always cites the third chunk: right only when gold is there
    assert len(sent) == 2 and sum(b["type"] == "document" for b in sent[0].body["messages"][0]["content"]) == 3
