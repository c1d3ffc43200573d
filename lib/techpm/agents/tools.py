"""The agent's tools: real course code behind Messages API tool definitions.

A tool is a name, a description, a JSON-schema ``input_schema`` (what the model sees; Anthropic,
"Tool use", https://docs.anthropic.com/en/docs/agents-and-tools/tool-use/implement-tool-use) and the
function that runs when the model asks for it with a ``tool_use`` block. The toolbox holds:

- course **calculators** (schemas generated from their signatures by ``techpm.generator.tools``);
- ``search_docs``: the 05 lesson's BM25 index over Python's language reference;
- ``run_python``: the sandboxed runner (``techpm.agents.sandbox``);
- ``save_note``: writes a file in the agent's scratch folder, an action with a side effect, so it
  **requires human approval**: the runtime asks an ``approve`` callback first and, without one, refuses.

The same ``Toolbox`` serves the offline policy, Claude (``techpm.agents.runtime``) and the MCP server
(``techpm.agents.mcp_server``).
"""

from __future__ import annotations

import dataclasses
import functools
import json
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# Calculators the agent may call (a subset of the generator's, plus the agent-loop math).
CALCULATORS = (
    "kv_cache_bytes", "memory_fit", "min_gpus", "max_batch_size", "decode_tokens_per_s", "api_cost_usd",
    "agent_success_probability", "retries_for_target_success", "agent_loop_input_tokens", "wilson_interval",
)
SEARCH_K = 3
SNIPPET_CHARS = 600


@dataclass(frozen=True)
class AgentTool:
    """One tool: what the model sees (``definition``) and what runs (``run``: input -> (text, is_error))."""

    name: str
    description: str
    input_schema: dict[str, Any]
    run: Callable[[dict[str, Any]], tuple[str, bool]]
    requires_approval: bool = False

    @property
    def definition(self) -> dict[str, Any]:
        """The entry of the Messages API's ``tools`` list."""
        return {"name": self.name, "description": self.description, "input_schema": self.input_schema}


def _with_properties(value: Any) -> Any:
    """A dataclass result as a dict that also carries its public properties (``MemoryFit.fits``...)."""
    if not dataclasses.is_dataclass(value) or isinstance(value, type):
        return value
    out = {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    for name in dir(type(value)):
        if not name.startswith("_") and isinstance(getattr(type(value), name), property):
            out[name] = getattr(value, name)
    return out


def _schema(properties: dict[str, Any], required: list[str]) -> dict[str, Any]:
    return {"type": "object", "properties": properties, "required": required, "additionalProperties": False}


def calculator_tool(name: str) -> AgentTool:
    """A course calculator as a tool (schema and runner from ``techpm.generator.tools``)."""
    from techpm import calc
    from techpm.generator.tools import CalculatorTool, run_tool, tool_schema

    function = getattr(calc, name)
    schema = tool_schema(function, name)

    @functools.wraps(function)
    def with_properties(**kwargs: Any) -> Any:
        return _with_properties(function(**kwargs))

    wrapped = {name: CalculatorTool(name, with_properties, schema)}
    return AgentTool(name, schema["description"], schema["input_schema"], lambda args: run_tool(name, args, wrapped))


def search_docs_tool(chunks: list | None = None, index: Any = None, *, screen: bool = False) -> AgentTool:
    """BM25 search over the Python reference (05's chunks and index, or the ones given).

    ``screen``: drop hits that read like instructions to an AI (05's ``injection_signals``) and say so
    in the result, instead of handing them to the model."""

    def run(args: dict[str, Any]) -> tuple[str, bool]:
        query = args.get("query")
        if not isinstance(query, str) or not query.strip():
            return "search_docs needs a non-empty 'query' string.", True
        k = args.get("k", SEARCH_K)
        if isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= 10:
            return "k must be a whole number from 1 to 10.", True
        nonlocal chunks, index
        if index is None:
            from techpm.rag.pipeline import lexical_index

            chunks, index = lexical_index("heading", 800)
        hits = [{"chunk": chunks[i].id, "section": chunks[i].section_id, "score": round(float(s), 2),
                 "text": chunks[i].text[:SNIPPET_CHARS]} for i, s in index.search(query, k)]
        if screen:
            from techpm.rag.injection import injection_signals

            flagged = [h["chunk"] for h in hits if injection_signals(h["text"])]
            hits = [h for h in hits if h["chunk"] not in flagged]
            if flagged:
                hits.append({"quarantined": flagged, "why": "these hits read like instructions to an AI"})
        return json.dumps(hits), False

    return AgentTool("search_docs", "Search the Python language reference (BM25 over its chunks). Returns the "
                     "best chunks: id, section, score and text. Quote from 'text' to answer.",
                     _schema({"query": {"type": "string", "description": "what to look for, in words"},
                              "k": {"type": "integer", "description": f"how many chunks (default {SEARCH_K})"}},
                             ["query"]), run)


def poisoned_docs_tool(*, screen: bool = False) -> AgentTool:
    """``search_docs`` over the reference plus 05's poisoned "community note" (a prompt injection)."""
    from techpm.rag.chunking import chunk_corpus
    from techpm.rag.injection import POISON
    from techpm.rag.lexical import BM25Index
    from techpm.rag.pipeline import lexical_index

    chunks = [*lexical_index("heading", 800)[0], *chunk_corpus([POISON], "heading", 800)]
    return search_docs_tool(chunks, BM25Index([c.text for c in chunks]), screen=screen)


def run_python_tool(**limits: Any) -> AgentTool:
    """The sandboxed Python runner as a tool (standard library only; no files outside its scratch dir)."""
    from techpm.agents.sandbox import run_python

    def run(args: dict[str, Any]) -> tuple[str, bool]:
        code = args.get("code")
        if not isinstance(code, str):
            return "run_python needs a 'code' string.", True
        result = run_python(code, **limits)
        return result.as_tool_result(), not result.ok

    return AgentTool("run_python", "Run Python 3 code in a sandbox (standard library only, no network, no files "
                     "outside a scratch folder, 2 CPU-seconds). Returns what it prints.",
                     _schema({"code": {"type": "string", "description": "a complete program that prints its answer"}},
                             ["code"]), run)


def save_note_tool(folder: str | Path | None = None) -> AgentTool:
    """Write a text file in the agent's scratch folder: a side effect, so it needs approval."""
    target = Path(folder) if folder else Path(tempfile.mkdtemp(prefix="techpm-notes-"))

    def run(args: dict[str, Any]) -> tuple[str, bool]:
        name, text = args.get("filename"), args.get("text")
        if not isinstance(name, str) or not isinstance(text, str) or "/" in name or name.startswith("."):
            return "save_note needs a plain 'filename' (no folders) and a 'text' string.", True
        (target / name).write_text(text, encoding="utf-8")
        return f"saved {len(text)} characters to {name}", False

    return AgentTool("save_note", "Save a text note to a file (overwrites a file of the same name). Needs a "
                     "person's approval.", _schema({"filename": {"type": "string"}, "text": {"type": "string"}},
                                                   ["filename", "text"]), run, requires_approval=True)


@dataclass
class Toolbox:
    """Tools by name, in the order the model sees them."""

    tools: dict[str, AgentTool] = field(default_factory=dict)

    def definitions(self) -> list[dict[str, Any]]:
        return [t.definition for t in self.tools.values()]

    def names(self) -> list[str]:
        return list(self.tools)

    def call(self, name: str, arguments: Any, approve: Callable[[str, dict], bool] | None = None) -> tuple[str, bool]:
        """Run tool ``name``: (tool_result text, is_error). Unknown tools and refusals are errors, not crashes."""
        tool = self.tools.get(name)
        if tool is None:
            return f"Unknown tool {name!r}. Available: {', '.join(self.tools)}.", True
        if not isinstance(arguments, dict):
            return "Tool input must be a JSON object.", True
        if tool.requires_approval and not (approve and approve(name, arguments)):
            return f"Refused: {name} has a side effect and needs a person's approval, which was not given.", True
        return tool.run(arguments)


def default_toolbox(*, with_notes: bool = True) -> Toolbox:
    """The course's toolbox: calculators, the docs search, the Python sandbox (and the note writer)."""
    tools = [calculator_tool(name) for name in CALCULATORS]
    tools += [search_docs_tool(), run_python_tool()]
    if with_notes:
        tools.append(save_note_tool())
    return Toolbox({t.name: t for t in tools})
