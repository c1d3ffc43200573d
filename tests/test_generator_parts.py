"""The generator's parts that need no server: the Answer and its Markdown, the cache, the calculator
tools, the transcript and the section splitter, argument checking."""

from __future__ import annotations

import inspect
import json
import typing

import pytest

from techpm import calc
from techpm.errors import TechpmError
from techpm.generator import cache, claude, generate, prompts, tools
from techpm.generator import client as claude_client
from techpm.generator.answer import Answer, Citation, Section, Usage, format_usd
from techpm.method import SECTIONS


def sample_answer(**changes) -> Answer:
    fields = dict(
        question="Design a RAG system", backend="claude", model="claude-haiku-5-5",
        sections=[Section(s.number, s.title, f"Text of {s.number}.") for s in SECTIONS],
        citations=[Citation("Paper [v2]", "https://arxiv.org/abs/1"), Citation("Blog", "https://b.example"),
                   Citation("Paper again", "https://arxiv.org/abs/1")],
        usage=Usage(1_000, 2_000, 300, 40, 3), cost_usd=0.0123, tools_used=["kv_cache_bytes"] * 2 + ["api_cost_usd"],
    )
    fields.update(changes)
    return Answer(**fields)


# --- the Answer ---------------------------------------------------------------------------------------

def test_markdown_has_sections_in_order_numbered_sources_and_a_footer():
    answer = sample_answer(sections=list(reversed(sample_answer().sections)))
    text = answer.markdown
    positions = [text.index(f"## {s.number}. {s.title}") for s in SECTIONS]
    assert positions == sorted(positions)
    assert "1. [Paper (v2)](https://arxiv.org/abs/1)\n2. [Blog](https://b.example)" in text
    assert text.count("https://arxiv.org/abs/1") == 1  # deduplicated
    footer = text.strip().splitlines()[-1]
    assert "claude-haiku-5-5" in footer and "1,000 input + 2,000 output + 300 cache-write + 40 cache-read" in footer
    assert "3 web searches" in footer and format_usd(0.0123) in footer and "kv_cache_bytes x2, api_cost_usd" in footer
    assert answer._repr_markdown_() == text


def test_offline_answer_says_so_plainly():
    answer = sample_answer(backend="offline", model=None, usage=Usage(), cost_usd=0.0, tools_used=[],
                           notice="No key found.")
    text = answer.markdown
    assert "Offline generator" in text.splitlines()[2] and "> No key found." in text
    assert "offline generator" in text.strip().splitlines()[-1] and "$" not in text.strip().splitlines()[-1]


def test_answer_round_trips_through_a_dict():
    answer = sample_answer(notice="n", estimated_cost_usd=0.05)
    again = Answer.from_dict(json.loads(json.dumps(answer.to_dict())))
    assert again == answer


def test_usage_adds_field_by_field():
    total = Usage(1, 2, 3, 4, 5) + Usage(10, 20, 30, 40, 50)
    assert total == Usage(11, 22, 33, 44, 55) and total.total_tokens == 11 + 22 + 33 + 44


@pytest.mark.parametrize("usd", [0.0209, 0.000035, 2.5e-7, 1.5])
def test_format_usd_never_rounds_a_cost_to_zero(usd):
    text = format_usd(usd)
    assert text.startswith("$") and float(text[1:].replace(",", "")) == pytest.approx(usd, rel=0.05)


# --- the cache ----------------------------------------------------------------------------------------

def test_cache_key_depends_on_what_determines_the_answer():
    base = cache.cache_key("Design  a RAG\nsystem", "claude", "m", "v1")
    assert base == cache.cache_key(" Design a RAG system ", "claude", "m", "v1")
    others = {cache.cache_key("Design a RAG system?", "claude", "m", "v1"),
              cache.cache_key("Design a RAG system", "offline", "m", "v1"),
              cache.cache_key("Design a RAG system", "claude", "m2", "v1"),
              cache.cache_key("Design a RAG system", "claude", "m", "v2")}
    assert base not in others and len(others) == 4


def test_store_is_atomic_and_load_marks_the_answer_cached(tmp_path):
    answer = sample_answer()
    path = cache.store("k", answer, tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["k.json"]  # no temporary file left
    loaded = cache.load("k", tmp_path)
    assert loaded.cached and loaded.markdown != answer.markdown
    loaded.cached = False
    assert loaded == answer
    assert json.loads(path.read_text())["format"] == cache.FORMAT_VERSION
    assert cache.load("missing", tmp_path) is None


@pytest.mark.parametrize("content", ["{not json", "[]", '{"format": 1, "answer": {"question": "q"}}', ""])
def test_a_corrupt_file_is_ignored_with_a_warning(tmp_path, content):
    (tmp_path / "bad.json").write_text(content)
    with pytest.warns(UserWarning, match="corrupt cache file"):
        assert cache.load("bad", tmp_path) is None


def test_a_file_of_another_format_version_is_ignored_quietly(tmp_path, recwarn):
    (tmp_path / "old.json").write_text(json.dumps({"format": 0, "answer": {}}))
    assert cache.load("old", tmp_path) is None and not recwarn.list


# --- calculators as tools -----------------------------------------------------------------------------------

def test_every_curated_calculator_becomes_a_tool_with_a_schema_from_its_signature():
    registry = tools.calculator_tools()
    assert len(registry) >= 20
    for name, tool in registry.items():
        schema = tool.schema
        assert schema["name"] == name and name in schema["description"]
        signature = inspect.signature(getattr(calc, name))
        props = schema["input_schema"]["properties"]
        assert list(props) == list(signature.parameters)
        required = [p for p, spec in signature.parameters.items() if spec.default is inspect.Parameter.empty]
        assert schema["input_schema"]["required"] == required
        hints = typing.get_type_hints(getattr(calc, name))
        for pname, prop in props.items():
            if hints.get(pname) is float:
                assert prop["type"] == "number"
            if hints.get(pname) is int:
                assert prop["type"] == "integer"


def test_tool_schemas_name_units_defaults_and_table_ids():
    registry = tools.calculator_tools()
    props = registry["kv_cache_bytes"].schema["input_schema"]["properties"]
    assert props["cfg"]["enum"] == calc.model_ids() and props["cfg"]["type"] == "string"
    assert "(default 1)" in props["batch_size"]["description"]
    assert registry["api_cost_usd"].schema["input_schema"]["properties"]["model"]["enum"] == calc.api_model_ids()
    assert "seconds" in registry["little_concurrency"].schema["input_schema"]["properties"]["latency_s"]["description"]


def test_run_tool_matches_the_calculator_and_reports_bad_input():
    text, is_error = tools.run_tool("capacity_plan", {"arrival_rate_per_s": 50, "latency_s": 2, "slots_per_replica": 16})
    plan = calc.capacity_plan(50, 2, 16)
    assert not is_error and json.loads(text)["result"]["gpus"] == plan.gpus
    assert "L = lambda * W" in json.loads(text)["formula"]
    text, is_error = tools.run_tool("kv_cache_bytes", {"cfg": "llama-3.1-8b"})
    assert is_error and "context_tokens" in text
    text, is_error = tools.run_tool("training_time_s", {"compute_flops": -1, "flops_per_s": 1e15})
    assert is_error and "compute_flops" in text
    assert tools.run_tool("rm_rf", {})[1] is True
    assert tools.run_tool("param_count", ["llama-3.1-8b"])[1] is True


# --- the transcript and the sections ------------------------------------------------------------------------

def test_split_sections_accepts_common_heading_forms_and_fills_gaps():
    text = ("Preamble.\n# 1. Scope\nA\n### Section 2: Users\nB\n## 3) Design ##\nC\n## 3. Design, continued\nD\n"
            "## 6. Metrics\nF")
    sections = claude.split_sections(text)
    assert [s.number for s in sections] == [1, 2, 3, 4, 5, 6]
    assert (sections[0].title, sections[0].markdown) == ("Scope", "A")
    assert sections[1].title == "Users" and sections[2].markdown == "C\n\nD"
    assert sections[3].title == SECTIONS[3].title and "did not write" in sections[3].markdown


def test_prompt_is_built_from_the_method_and_versioned():
    text = prompts.system_text()
    assert all(f"## {s.number}. {s.title}" in text for s in SECTIONS)
    assert prompts.system_blocks()[0]["cache_control"] == {"type": "ephemeral"}
    assert prompts.PROMPT_VERSION.startswith("claude-v1-")


# --- arguments -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("kwargs, match", [
    ({"question": ""}, "question"), ({"question": 3}, "question"),
    ({"question": "q", "backend": "claud"}, "Did you mean 'claude'"),
    ({"question": "q", "max_cost_usd": -1}, "max_cost_usd"),
])
def test_bad_arguments_get_a_clear_error(kwargs, match):
    with pytest.raises(TechpmError, match=match):
        generate(**kwargs)


def test_planning_estimate_prices_the_prompt_length_without_the_api():
    est = claude.planning_estimate(model="claude-haiku-5-5")
    assert est.input_tokens == calc.text_tokens_estimate(
        len(json.dumps(prompts.system_blocks())) + len(json.dumps([prompts.user_message(
            "Design a RAG system for a law firm's contracts")])) + len(json.dumps(tools.tool_definitions())))
    assert est.usd == pytest.approx(calc.api_cost_usd("claude-haiku-5-5", est.input_tokens, claude.ANSWER_MAX_TOKENS)
                                    + claude.WEB_SEARCH_MAX_USES * claude_client.WEB_SEARCH_USD_PER_SEARCH)
    cheaper = claude.planning_estimate(model="claude-haiku-5-5", web_search=False)
    assert cheaper.max_searches == 0 and cheaper.usd < est.usd
