"""The agent loop: tool-use messages, the offline policy, the task set and its evals, and the Claude path
through the real ``anthropic`` SDK against tests/fake_anthropic.py."""

from __future__ import annotations

import dataclasses
import json

import pytest

from techpm import calc
from techpm.agents import policy, tasks, tools
from techpm.agents.runtime import SYSTEM_PROMPT, run_agent
from techpm.errors import TechpmError

KV_TASK = ("What does the KV cache of llama-3.1-70b at 32,768 tokens for 8 users need, and does it fit on "
           "2 x h100-sxm?")


@pytest.fixture(scope="module")
def toolbox():
    return tools.default_toolbox()


def test_offline_run_speaks_the_tool_use_format(toolbox):
    run = run_agent(KV_TASK, backend="offline", toolbox=toolbox)
    roles = [m["role"] for m in run.messages]
    assert roles == ["user", "assistant", "user", "assistant", "user", "assistant"]
    uses = [b for m in run.messages if m["role"] == "assistant" for b in m["content"] if b["type"] == "tool_use"]
    results = [b for m in run.messages if m["role"] == "user" and isinstance(m["content"], list) for b in m["content"]]
    assert [u["name"] for u in uses] == ["kv_cache_bytes", "memory_fit"]
    assert [r["tool_use_id"] for r in results] == [u["id"] for u in uses]
    assert all(r["type"] == "tool_result" and r["is_error"] is False for r in results)
    assert json.loads(results[0]["content"])["result"] == calc.kv_cache_bytes("llama-3.1-70b", 32_768, 8)
    assert run.stop_reason == "end_turn" and run.steps == 3
    assert "does not fit" in run.answer and "85.9 GB" in run.answer
    assert all(t.reason.startswith("rule kv_fit") for t in run.turns)


def test_offline_tokens_grow_and_caching_reads_the_previous_prompt(toolbox):
    cached = run_agent(KV_TASK, backend="offline", toolbox=toolbox, caching=True)
    plain = run_agent(KV_TASK, backend="offline", toolbox=toolbox, caching=False)
    prompts = [t.prompt_tokens for t in cached.turns]
    assert prompts == sorted(prompts) and prompts[0] < prompts[-1]
    assert [t.prompt_tokens for t in plain.turns] == prompts
    assert [t.cache_read_tokens for t in cached.turns] == [0, *prompts[:-1]]
    assert all(t.input_tokens == 0 for t in cached.turns)
    assert cached.cost_usd < plain.cost_usd
    expected = sum(calc.api_cost_usd(plain.model, t.input_tokens, t.output_tokens) for t in plain.turns)
    assert plain.cost_usd == pytest.approx(expected)


def test_max_steps_stops_a_loop(toolbox):
    run = run_agent(KV_TASK, backend="offline", toolbox=toolbox, max_steps=1)
    assert run.stop_reason == "max_steps" and run.answer == "" and run.steps == 1


def test_a_failed_tool_is_reported_not_guessed(toolbox):
    run = run_agent("What does the KV cache of no-such-model at 1,000 tokens for 1 users need, and does it fit on "
                    "1 x h100-sxm?", backend="offline", toolbox=toolbox)
    assert run.tool_calls[0].is_error and "failed" in run.answer


def test_unknown_task_gets_an_honest_answer_and_bad_input_a_clear_error(toolbox):
    run = run_agent("Write a haiku about KV caches.", backend="offline", toolbox=toolbox)
    assert "no rule" in run.answer and not run.tool_calls
    with pytest.raises(TechpmError):
        run_agent("   ", backend="offline")
    with pytest.raises(TechpmError, match="backend"):
        run_agent("x", backend="gpt")


def test_approval_gates_side_effects(tmp_path):
    box = tools.Toolbox({"save_note": tools.save_note_tool(tmp_path)})
    text, err = box.call("save_note", {"filename": "a.txt", "text": "hi"})
    assert err and "approval" in text and not (tmp_path / "a.txt").exists()
    text, err = box.call("save_note", {"filename": "a.txt", "text": "hi"}, approve=lambda n, a: True)
    assert not err and (tmp_path / "a.txt").read_text() == "hi"
    assert box.call("save_note", {"filename": "../x", "text": "hi"}, approve=lambda n, a: True)[1]
    assert box.call("nope", {})[1] and box.call("save_note", "not a dict")[1]


def test_calculator_tools_carry_dataclass_properties(toolbox):
    text, err = toolbox.call("memory_fit", {"cfg": "llama-3.1-8b", "gpu": "h100-sxm"})
    fit = calc.memory_fit("llama-3.1-8b", "h100-sxm")
    assert not err and json.loads(text)["result"]["fits"] == fit.fits
    assert json.loads(text)["result"]["usable_bytes"] == fit.usable_bytes
    text, err = toolbox.call("memory_fit", {"cfg": "llama-3.1-8b", "gpu": "h100-sxm", "n_gpus": 0})
    assert err and "n_gpus" in text


def test_screened_search_quarantines_the_injection():
    raw = json.loads(tools.poisoned_docs_tool().run({"query": "How do I make my own object work in a with block?"})[0])
    assert raw[0]["chunk"].startswith("community-with-note")
    screened = json.loads(tools.poisoned_docs_tool(screen=True).run(
        {"query": "How do I make my own object work in a with block?"})[0])
    assert screened[-1]["quarantined"] == [raw[0]["chunk"]]
    assert all("community" not in h.get("chunk", "") for h in screened)


def test_checkers_find_numbers_and_real_quotes():
    assert tasks.mentions_number("It needs 85.9 GB.", 85.899)
    assert not tasks.mentions_number("It needs 95.9 GB.", 85.899)
    assert tasks.mentions_number("97.0% of tasks finish", 0.9703)
    assert tasks.quotes_relevant_section('From `break`: "but not nested in a function or class '
                                         'definition within that loop."', ("break",))
    assert not tasks.quotes_relevant_section('From `break`: "break restarts the loop from the very top"', ("break",))


def test_suite_runs_end_to_end_and_evals_add_up(toolbox):
    results = tasks.run_suite(backend="offline", toolbox=toolbox)
    assert len(results) >= 15
    by_id = {r.task.id: r for r in results}
    assert by_id["kv-70b"].success and by_id["py-squares"].success and by_id["floor-div"].success
    assert not by_id["haiku"].success
    s = tasks.summarize(results)
    assert s.successes == sum(r.success for r in results) and s.interval == calc.wilson_interval(s.successes, s.tasks)
    assert s.cost_per_success_usd == pytest.approx(s.cost_usd / s.successes)
    assert "wall s" in tasks.results_table(results, wall_time=True) and "wall s" not in tasks.results_table(results)


def test_trajectory_check_names_what_went_wrong(toolbox):
    task = next(t for t in tasks.task_set() if t.id == "kv-70b")
    good = run_agent(task.prompt, backend="offline", toolbox=toolbox)
    assert tasks.trajectory_check(task, good) == (True, "ok")
    strict = dataclasses.replace(task, expected_tools=("kv_cache_bytes", "min_gpus"), max_steps=2)
    ok, note = tasks.trajectory_check(strict, good)
    assert not ok and "missing min_gpus" in note and "3 steps > 2" in note


def test_every_rule_has_a_task():
    prompts = [t.prompt for t in tasks.task_set()]
    for name, pattern, _plan in policy.RULES:
        assert any(pattern.search(p) for p in prompts), name


# --- Claude drives the same tools -------------------------------------------------------------------

def test_claude_path_through_the_sdk_against_a_local_server(monkeypatch, toolbox):
    pytest.importorskip("anthropic")
    from techpm import config
    from tests.fake_anthropic import FakeAnthropic, message, text_block, tool_use_block

    monkeypatch.setattr(config, "SETTINGS", dataclasses.replace(config.SETTINGS, offline=False))
    key = "sk-ant-api03-" + "y" * 40
    with FakeAnthropic(valid_key=key) as server:
        monkeypatch.setenv("ANTHROPIC_API_KEY", key)
        monkeypatch.setenv("ANTHROPIC_BASE_URL", server.url)
        server.queue(
            message([text_block("Sizing the cache."), tool_use_block("kv_cache_bytes", {
                "cfg": "llama-3.1-70b", "context_tokens": 32_768, "batch_size": 8}, "toolu_a")],
                stop_reason="tool_use", input_tokens=2_000, output_tokens=60, cache_creation_input_tokens=1_500),
            message([text_block("It needs 85.9 GB of KV cache.")], input_tokens=40, output_tokens=20,
                    cache_read_input_tokens=3_500))
        run = run_agent(KV_TASK, backend="auto", toolbox=toolbox, model="claude-haiku-5-5")
        sent = server.messages_requests()
    assert run.backend == "claude" and not run.estimated_tokens
    assert run.answer == "It needs 85.9 GB of KV cache." and run.stop_reason == "end_turn"
    first, second = sent[0].body, sent[1].body
    assert first["system"] == SYSTEM_PROMPT and first["model"] == "claude-haiku-5-5"
    assert {t["name"] for t in first["tools"]} == set(toolbox.names())
    assert first["messages"][-1]["content"][-1]["cache_control"] == {"type": "ephemeral"}
    result = second["messages"][-1]["content"][0]
    assert result["type"] == "tool_result" and result["tool_use_id"] == "toolu_a"
    assert json.loads(result["content"])["result"] == calc.kv_cache_bytes("llama-3.1-70b", 32_768, 8)
    assert second["messages"][1]["content"][1]["type"] == "tool_use"
    assert run.tokens("cache_write_tokens") == 1_500 and run.tokens("cache_read_tokens") == 3_500
    assert run.cost_usd == pytest.approx(calc.api_cost_usd("claude-haiku-5-5", 2_040, 80, 1_500, 3_500))
    assert tasks.mentions_number(run.answer, calc.kv_cache_bytes("llama-3.1-70b", 32_768, 8) / 1e9)
