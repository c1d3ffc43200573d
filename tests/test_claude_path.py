"""Issue 12: the Claude path with the real SDK over real HTTP (tests/fake_anthropic.py): settings checked
where they are given, spending bounded, research counted, nothing paid for lost, fallbacks visible."""

from __future__ import annotations

import dataclasses
import io
import json
import math
import os
import subprocess
import sys
import time
import warnings

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from techpm import calc, config
from techpm import cli as top_cli
from techpm.errors import TechpmError
from techpm.generator import cache, claude, generate, generate_many
from techpm.generator import cli as gen_cli
from techpm.generator import client as claude_client
from techpm.generator.answer import Answer, Section
from tests.conftest import FAKE_KEY, MODEL, QUESTION, ROOT
from tests.fake_anthropic import (
    error,
    message,
    six_section_text,
    text_block,
    tool_use_block,
    web_citation,
    web_search_blocks,
)
from tests.test_generator_claude import bodies

CONCURRENCY = ("little_concurrency", {"arrival_rate_per_s": 10, "latency_s": 2})


def researched(n_searches: int = 6, *, stop_reason: str = "end_turn", **usage) -> object:
    """A reply with ``n_searches`` searches and a citation in every section: research the method accepts."""
    url = "https://arxiv.org/abs/2005.11401"
    return message([*web_search_blocks("rag", [(url, "RAG paper")]),
                    text_block(six_section_text("Grounded"), [web_citation(url, "RAG paper")])],
                   web_search_requests=n_searches, stop_reason=stop_reason, **usage)


# --- 1. settings checked where they are given ---------------------------------------------------------------

ESTIMATE = claude_client.Estimate(MODEL, 1_000, 8_000, 8, 25.10)  # the issue's $25.10 request


@given(st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-10**6, 10**6), st.text(max_size=8),
                 st.sampled_from(["nan", "NaN", "inf", "-inf", "-5", "1e309", " ", "0x10", True, False]),
                 st.none(), st.lists(st.integers(), max_size=2)))
@hsettings(max_examples=300, deadline=None)
def test_no_setting_value_disables_the_cap(value):
    """Whatever value is given as a cap (configure, generate, the CLI, the environment), either it is refused
    in one sentence, or it is None (no cap, asked for explicitly), or it is a finite number that a $25.10
    request exceeds unless the number is at least $25.10."""
    saved = config.SETTINGS
    try:
        for check in (lambda v: config.configure(max_cost_usd=v) or config.SETTINGS.max_cost_usd,
                      lambda v: config.check_cap(v)):
            try:
                cap = check(value)
            except TechpmError:
                continue
            if value is None:
                assert cap is None
                continue
            assert isinstance(cap, float) and math.isfinite(cap) and cap >= 0
            if cap < ESTIMATE.usd:
                with pytest.raises(claude_client.CostLimitError):
                    claude_client.check_budget(ESTIMATE, cap)
    finally:
        config.SETTINGS = saved
    if value is not None:  # check_budget itself refuses a cap that is not a finite number >= 0
        try:
            cap = config.check_cap(value)
        except TechpmError:
            with pytest.raises(TechpmError):
                claude_client.check_budget(ESTIMATE, value)
        else:
            if cap < ESTIMATE.usd:
                with pytest.raises(claude_client.CostLimitError):
                    claude_client.check_budget(ESTIMATE, value)


@pytest.mark.parametrize("value", [float("nan"), -5, "abc", float("inf"), True])
def test_bad_caps_are_refused_at_every_entry(value, settings):
    with pytest.raises(TechpmError, match="finite number of dollars"):
        config.configure(max_cost_usd=value)
    with pytest.raises(TechpmError, match="finite number of dollars"):
        generate(QUESTION, max_cost_usd=value, stream=False)
    with pytest.raises(TechpmError, match="finite number of dollars"):
        generate_many([QUESTION], max_cost_usd=value)


def test_a_nan_cap_never_reaches_the_api(server):
    server.input_tokens_for_count = 2_000_000  # the expensive request
    with pytest.raises(TechpmError):
        generate(QUESTION, backend="claude", max_cost_usd=float("nan"), stream=False)
    assert server.messages_requests() == []


@pytest.mark.parametrize("changes, match", [
    ({"cache_dir": 123}, "cache_dir"), ({"offline": "maybe"}, "offline"), ({"max_searches": -1}, "max_searches"),
    ({"thinking_budget_tokens": 10}, "thinking_budget_tokens"), ({"effort": "hi"}, "Did you mean 'high'"),
    ({"claude_model": 5}, "claude_model"),
])
def test_configure_checks_every_setting_where_it_is_given(changes, match, settings):
    with pytest.raises(TechpmError, match=match):
        config.configure(**changes)


@pytest.mark.parametrize("text, expected", [("False", False), ("FALSE", False), ("no", False), ("off", False),
                                            ("0", False), ("", False), ("true", True), ("Yes", True), ("ON", True),
                                            ("1", True)])
def test_offline_flags_read_both_ways(text, expected, monkeypatch, settings):
    monkeypatch.setenv("TECHPM_OFFLINE", text)
    assert config._from_environment().offline is expected
    config.configure(offline=text)
    assert config.SETTINGS.offline is expected


def test_bad_environment_values_warn_in_one_sentence(monkeypatch):
    monkeypatch.setenv("TECHPM_OFFLINE", "maybe")
    monkeypatch.setenv("TECHPM_MAX_COST_USD", "nan")
    with pytest.warns(UserWarning) as caught:
        env = config._from_environment()
    assert env.offline is True and env.max_cost_usd == config.DEFAULT_MAX_COST_USD
    assert any("TECHPM_MAX_COST_USD" in str(w.message) for w in caught)


# --- 2. a paid answer is never lost; the cache is read defensively ------------------------------------------

@pytest.mark.parametrize("where", ["file", "proc"])
def test_a_cache_that_cannot_be_written_warns_and_the_answer_is_returned(where, server, settings, monkeypatch,
                                                                          tmp_path, capsys):
    if where == "file":
        blocker = tmp_path / "not-a-folder"
        blocker.write_text("x")
        monkeypatch.setattr(config, "SETTINGS", dataclasses.replace(settings, cache_dir=blocker))
    else:
        monkeypatch.setattr(config, "SETTINGS", dataclasses.replace(settings, cache_dir="/proc/techpm-cache"))
    with pytest.warns(UserWarning, match="could not save the answer to the cache"):
        answer = generate(QUESTION, backend="claude")
    assert answer.backend == "claude" and len(server.messages_requests()) == 1
    assert "Body of section 6" in capsys.readouterr().out  # shown all the same


def good_answer() -> dict:
    return Answer(QUESTION, [Section(i, f"Title {i}", f"Body {i}.") for i in range(1, 7)], "claude", MODEL,
                  cost_usd=0.01).to_dict()


def write_cache(tmp_path, answer: object, key: str = "k") -> None:
    (tmp_path / f"{key}.json").write_text(json.dumps({"format": cache.FORMAT_VERSION, "answer": answer}))


@pytest.mark.parametrize("mutate, match", [
    (lambda a: a["sections"][0].update(markdown=123), "section body"),
    (lambda a: a["usage"].update(input_tokens="lots"), "usage.input_tokens"),
    (lambda a: a.update(cost_usd=float("nan")), "cost_usd"),
    (lambda a: a.update(cost_usd=-1), "cost_usd"),
    (lambda a: a.update(backend="evil"), "backend"),
    (lambda a: a["sections"][0].update(number=9), "number"),
    (lambda a: a.update(citations=[{"title": "x", "url": "javascript:alert(1)"}]), "web address"),
    (lambda a: a.update(sections="six"), "sections"),
])
def test_cached_answers_are_checked_field_by_field(mutate, match, tmp_path):
    data = good_answer()
    mutate(data)
    write_cache(tmp_path, data)
    with pytest.warns(UserWarning, match=match):
        assert cache.load("k", tmp_path) is None


def test_reading_the_cache_never_raises(tmp_path):
    (tmp_path / "latin.json").write_bytes(b'{"format": 1, "answer": "caf\xe9"}')
    (tmp_path / "deep.json").write_text("[" * 100_000 + "]" * 100_000)
    (tmp_path / "dir.json").mkdir()
    for key, match in (("latin", "not UTF-8"), ("deep", "nested too deep|corrupt"), ("dir", "unreadable")):
        with pytest.warns(UserWarning, match=match):
            assert cache.load(key, tmp_path) is None


def test_cached_html_is_shown_as_text_not_run(tmp_path):
    data = good_answer()
    data["sections"][0]["markdown"] = 'Hi <img src=x onerror="alert(1)"> and `a <b> c`\n```\n<div>kept</div>\n```'
    write_cache(tmp_path, data)
    answer = cache.load("k", tmp_path)
    body = answer.sections[0].markdown
    assert "<img" not in body and "&lt;img" in body
    assert "`a <b> c`" in body and "<div>kept</div>" in body  # code is shown as typed
    assert "<img" not in answer.markdown


def test_cache_files_are_0644_whatever_the_umask(tmp_path):
    old = os.umask(0o077)
    try:
        path = cache.store("k", Answer.from_dict(good_answer()), tmp_path)
    finally:
        os.umask(old)
    assert path is not None and (path.stat().st_mode & 0o777) == 0o644


# --- 3. research counted, bounded across rounds, priced in every worst case ---------------------------------

def search_tools(body: dict) -> list[dict]:
    return [t for t in body.get("tools", []) if str(t.get("type", "")).startswith("web_search")]


def test_searches_are_bounded_across_all_rounds(server):
    server.queue(message([tool_use_block(*CONCURRENCY, "t1")], stop_reason="tool_use", web_search_requests=5),
                 message([tool_use_block(*CONCURRENCY, "t2")], stop_reason="tool_use", web_search_requests=3),
                 researched(0))
    answer = generate(QUESTION, backend="claude", stream=False)
    first, second, third = bodies(server)
    assert search_tools(first)[0]["max_uses"] == config.DEFAULT_MAX_SEARCHES
    assert search_tools(second)[0]["max_uses"] == config.DEFAULT_MAX_SEARCHES - 5
    assert search_tools(third) == []  # all eight used: no more searches offered
    assert answer.usage.web_search_requests == 8 and answer.research is None
    assert "research: 8 web searches, 1 cited source" in answer.footer()


def test_a_pending_search_keeps_the_tool_defined_after_the_budget_is_spent(server):
    pending = {"type": "server_tool_use", "id": "srvtoolu_9", "name": "web_search", "input": {"query": "q"}}
    server.queue(message([pending, tool_use_block(*CONCURRENCY)], stop_reason="tool_use", web_search_requests=8),
                 researched(1))
    generate(QUESTION, backend="claude", stream=False)
    second = bodies(server)[1]
    assert search_tools(second)[0]["max_uses"] == 1  # only for the search already started


def test_the_worst_case_before_a_later_round_includes_the_searches_left(server):
    server.queue(message([tool_use_block(*CONCURRENCY)], stop_reason="tool_use", input_tokens=1_000,
                         output_tokens=100))
    spent = claude_client.request_cost_usd(MODEL, claude.Usage(1_000, 100))
    tokens_only = claude_client.request_cost_usd(MODEL, claude.Usage(1_100, claude.ANSWER_MAX_TOKENS))
    with_fees = tokens_only + config.DEFAULT_MAX_SEARCHES * claude_client.WEB_SEARCH_USD_PER_SEARCH
    server.input_tokens_for_count = 100
    first = claude_client.request_cost_usd(MODEL, claude.Usage(100, claude.ANSWER_MAX_TOKENS,
                                                        web_search_requests=config.DEFAULT_MAX_SEARCHES))
    cap = (first + spent + with_fees) / 2  # the first request fits; a second with its searches does not
    assert first < cap < spent + with_fees and spent + tokens_only < cap  # without the fees it would go on
    answer = generate(QUESTION, backend="claude", max_cost_usd=cap, stream=False)
    assert len(bodies(server)) == 1 and "Claude did not finish" in answer.notice


def test_a_well_researched_answer_has_no_research_notice(server):
    server.queue(researched(6))
    answer = generate(QUESTION, backend="claude", stream=False)
    assert answer.research is None and (answer.notice is None or "under-researched" not in answer.notice)


def test_an_answer_without_citations_says_so(server, settings, monkeypatch):
    monkeypatch.setattr(config, "SETTINGS", dataclasses.replace(settings, min_searches=2))
    server.queue(message(web_search_requests=3))
    answer = generate(QUESTION, backend="claude", stream=False)
    assert answer.research == "under-researched: no citations" and "no citations" in answer.notice
    assert "no citations" in answer.footer()


# --- 4. the growing conversation is cached, and the saving shown --------------------------------------------

def test_every_round_caches_the_conversation_and_the_footer_shows_the_saving(server):
    server.queue(message([tool_use_block(*CONCURRENCY)], stop_reason="tool_use", cache_creation_input_tokens=4_000),
                 researched(6, input_tokens=300, cache_read_input_tokens=40_000))
    answer = generate(QUESTION, backend="claude", stream=False)
    assert all(b["cache_control"] == {"type": "ephemeral"} for b in bodies(server))
    price = calc.get_api_price(MODEL)
    saved = 40_000 * (price.input_usd_per_mtok - price.cache_read_usd_per_mtok) / 1e6
    assert answer.cache_savings_usd == pytest.approx(saved)
    assert "prompt caching saved" in answer.footer() and "40,000 tokens read from the cache" in answer.footer()


# --- 5. extended thinking and effort; the default model by measured cost ------------------------------------

def test_thinking_and_effort_reach_the_request_and_the_estimate(server, settings, monkeypatch):
    monkeypatch.setattr(config, "SETTINGS", dataclasses.replace(settings, thinking_budget_tokens=2_048,
                                                                effort="high"))
    answer = generate(QUESTION, backend="claude", stream=False)
    (body,) = bodies(server)
    assert body["thinking"] == {"type": "enabled", "budget_tokens": 2_048}
    assert body["output_config"] == {"effort": "high"}
    assert body["max_tokens"] == claude.ANSWER_MAX_TOKENS + 2_048
    expected = claude_client.request_cost_usd(MODEL, claude.Usage(server.input_tokens_for_count, body["max_tokens"],
                                                           web_search_requests=config.DEFAULT_MAX_SEARCHES))
    assert answer.estimated_cost_usd == pytest.approx(expected)


def test_thinking_is_off_by_default_and_the_default_model_is_the_measured_choice():
    assert config.Settings().thinking_budget_tokens is None and config.Settings().effort is None
    costs = claude.model_costs()
    assert [c.model for c in costs] == list(claude.CURRENT_TIERS)
    for c in costs:
        assert c.first_request_usd < c.answer_usd < c.answer_with_thinking_usd
    assert claude.default_model_choice(costs) == config.DEFAULT_CLAUDE_MODEL
    # the default is off because thinking would take the default model's worst case past the cap
    assert not claude.thinking_on_by_default(costs, config.DEFAULT_CLAUDE_MODEL)
    text = claude.model_costs_markdown(costs)
    assert f"Why the default is {config.DEFAULT_CLAUDE_MODEL}" in text and "Prices as of" in text


# --- 6. batches: resumed, never paid twice, with the live answers' notices ----------------------------------

def test_an_interrupted_batch_is_resumed_without_resubmitting(server, settings, monkeypatch):
    server.queue(message(web_search_requests=1), message(stop_reason="pause_turn"))
    questions = [QUESTION, "Design an eval system for a coding agent"]

    def interrupted(_seconds):
        raise KeyboardInterrupt

    monkeypatch.setattr(time, "sleep", interrupted)
    with pytest.raises(KeyboardInterrupt):
        generate_many(questions, poll_interval_s=1, progress=False)
    (pending,) = (settings.cache_dir / "batches").glob("*.json")
    assert json.loads(pending.read_text())["batch_id"].startswith("msgbatch_")
    monkeypatch.setattr(time, "sleep", lambda _s: None)
    answers = generate_many(questions, poll_interval_s=1, progress=False)
    creates = [r for r in server.requests if r.method == "POST" and r.path == "/v1/messages/batches"]
    assert len(creates) == 1  # paid for once
    assert [a.backend for a in answers] == ["claude", "claude"]
    assert all("calculators are not available in batch mode" in a.notice for a in answers)
    assert "pause_turn" in answers[1].notice and "pause_turn" not in answers[0].notice
    assert not pending.exists()


# --- 7. fallbacks are visible -------------------------------------------------------------------------------

def run_cli(*args, env=None, stdin=subprocess.DEVNULL, cwd=ROOT):
    base = {k: v for k, v in os.environ.items() if not k.startswith(("ANTHROPIC_", "TECHPM_"))}
    return subprocess.run([sys.executable, "-m", "techpm.cli", *args], capture_output=True, text=True, cwd=cwd,
                          env={**base, "PYTHONPATH": str(ROOT / "lib"), **(env or {})}, stdin=stdin, timeout=120)


def test_backend_claude_without_a_key_exits_non_zero_and_says_why_even_when_quiet(tmp_path):
    out = tmp_path / "a.md"
    result = run_cli("answer", QUESTION, "--backend", "claude", "--quiet", "--out", str(out),
                     env={"TECHPM_CACHE_DIR": str(tmp_path / "cache")})
    assert result.returncode == gen_cli.EXIT_FELL_BACK
    assert "No Anthropic API key found" in result.stderr and "could not use Claude" in result.stderr
    assert result.stdout == "" and out.read_text().startswith("# ")
    auto = run_cli("answer", QUESTION, "--quiet", "--out", str(out), env={"TECHPM_CACHE_DIR": str(tmp_path / "c")})
    assert auto.returncode == 0 and "No Anthropic API key found" in auto.stderr


def test_cli_refuses_a_nan_cap_in_one_line():
    result = run_cli("answer", QUESTION, "--max-cost-usd", "nan")
    assert result.returncode == 2 and "finite number of dollars" in result.stderr
    assert "Traceback" not in result.stderr


def test_rag_auto_falls_back_to_the_extractive_answer(server, monkeypatch):
    from techpm.rag import generate as rag_generate
    from techpm.rag.chunking import Chunk

    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-api03-WRONG-key-abcdefghijklmnop")
    chunks = [Chunk("for#0", "for", "The for statement iterates over the items of any sequence in order.", 0)]
    result = rag_generate.answer("How does the for statement iterate?", chunks)
    assert result.backend == "extractive" and "rejected the key" in result.notice
    assert "rejected the key" in result.markdown
    with pytest.raises(claude_client.ClaudeError):
        rag_generate.answer("How does the for statement iterate?", chunks, backend="claude")


def test_ask_turns_a_malformed_base_url_into_one_sentence(monkeypatch, settings):
    monkeypatch.setenv("ANTHROPIC_API_KEY", FAKE_KEY)
    monkeypatch.setenv("ANTHROPIC_BASE_URL", "http://localhost:80x")
    monkeypatch.setattr(claude_client, "MAX_RETRIES", 0)
    with pytest.raises(claude_client.ClaudeError, match="InvalidURL") as info:
        claude_client.ask("hi")
    assert info.value.__suppress_context__ and FAKE_KEY not in str(info.value)


def test_colab_access_not_granted_is_not_reported_as_no_key(monkeypatch):
    import types

    from techpm import keys

    class NotebookAccessError(Exception):
        pass

    def refuse(name):
        raise NotebookAccessError("access not granted")

    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    colab = types.ModuleType("google.colab")
    colab.userdata = types.SimpleNamespace(get=refuse)
    monkeypatch.setitem(sys.modules, "google", types.ModuleType("google"))
    monkeypatch.setitem(sys.modules, "google.colab", colab)
    info = keys.find_api_key()
    assert info.colab_problem == "not-granted" and "not granted access" in info.missing_reason()
    from techpm.generator import why_offline

    assert "not granted access" in why_offline("auto") and "No Anthropic API key" not in why_offline("auto")
    with pytest.raises(claude_client.ClaudeError, match="not granted access"):
        claude_client.client()


# --- 8. CLI errors: one sentence, non-zero, the answer never lost ------------------------------------------

def test_answer_out_folder_gets_a_file_named_after_the_question(tmp_path):
    result = run_cli("answer", QUESTION, "--quiet", "--out", str(tmp_path), env={"TECHPM_CACHE_DIR": str(tmp_path / "c")})
    assert result.returncode == 0, result.stderr
    written = tmp_path / gen_cli.default_name(QUESTION)
    assert written.read_text().startswith(f"# {QUESTION}")


def test_answer_out_under_a_file_writes_the_answer_elsewhere_and_says_so(tmp_path):
    (tmp_path / "file").write_text("x")
    result = run_cli("answer", QUESTION, "--quiet", "--out", str(tmp_path / "file" / "x.md"),
                     env={"TECHPM_CACHE_DIR": str(tmp_path / "c")}, cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "cannot write" in result.stderr and "the answer is in" in result.stderr
    assert (tmp_path / gen_cli.default_name(QUESTION)).read_text().startswith(f"# {QUESTION}")


def test_grade_input_errors_are_one_sentence(tmp_path):
    closed = run_cli("grade", "-", stdin=None)
    folder = run_cli("grade", str(tmp_path))
    device = run_cli("grade", "/dev/null")
    missing = run_cli("grade", str(tmp_path / "nope.md"))
    for result, words in ((folder, "is a folder"), (device, "not a regular file"), (missing, "no such file")):
        assert result.returncode == 2 and words in result.stderr and "Traceback" not in result.stderr
    assert closed.returncode in (0, 2) and "Traceback" not in closed.stderr


def test_grade_stdin_closed_is_one_sentence(monkeypatch):
    monkeypatch.setattr(sys, "stdin", None)
    with pytest.raises(TechpmError, match="standard input"):
        top_cli.read_answer_text("-")
    closed = io.StringIO("x")
    closed.close()
    monkeypatch.setattr(sys, "stdin", closed)
    with pytest.raises(TechpmError, match="closed"):
        top_cli.read_answer_text("-")


def test_cohort_parameter_errors_are_one_sentence(tmp_path):
    from techpm.workshop import cohort

    with pytest.raises(TechpmError, match="Did you mean CLAUDE_MODEL"):
        cohort.make_cohort(ROOT, {"CLAUDE_MODL": "claude-haiku-5-5"}, tmp_path, only=["00"])
    with pytest.raises(TechpmError, match="OFFLINE must be true or false"):
        cohort.make_cohort(ROOT, {"OFFLINE": "yes"}, tmp_path, only=["00"])
    with pytest.raises(TechpmError, match="Did you mean 'claude-haiku-5-5'"):
        cohort.make_cohort(ROOT, {"CLAUDE_MODEL": "claude-haiku-55"}, tmp_path, only=["00"])
    assert not list(tmp_path.rglob("*.ipynb"))  # refused before anything ran


# --- the key never leaks on the new paths ------------------------------------------------------------------

def test_the_key_never_appears_on_the_new_paths(server, settings, monkeypatch, capsys, tmp_path):
    texts: list[str] = []
    server.queue(error(400, f"echoing {FAKE_KEY}"))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        blocker = tmp_path / "blocker"
        blocker.write_text("x")
        monkeypatch.setattr(config, "SETTINGS", dataclasses.replace(settings, cache_dir=blocker))
        texts.append(generate(QUESTION).markdown)
        texts.append(generate("Another question", model="claude-sonnet-5").markdown)  # a retired-style 404 path
    texts += [str(w.message) for w in caught]
    monkeypatch.setattr(config, "SETTINGS", settings)
    server.queue(message(), message())
    monkeypatch.setattr(time, "sleep", lambda _s: None)
    generate_many([QUESTION, "Design an agent"], poll_interval_s=1, progress=False)
    monkeypatch.setenv("ANTHROPIC_BASE_URL", "http://localhost:80x")
    with pytest.raises(claude_client.ClaudeError) as info:
        claude_client.ask("hi")
    texts.append(str(info.value))
    out = capsys.readouterr()
    texts += [out.out, out.err]
    texts += [p.read_text(errors="replace") for p in settings.cache_dir.rglob("*") if p.is_file()]
    assert [t[:60] for t in texts if FAKE_KEY in t or FAKE_KEY[7:27] in t] == []
