"""The course's calculators offered to Claude as tools, so the numbers in an answer are computed.

Each tool's JSON schema is generated from the calculator's signature and docstring: a parameter's type
comes from its annotation (``float`` -> number, ``int`` -> integer, a model/GPU name -> a string limited
to the table's ids), its description from its unit suffix (``_s`` seconds, ``_usd`` US dollars, ...)
and its default. Claude asks for a calculation with a ``tool_use`` block; ``run_tool`` runs it and returns
the ``tool_result`` text: the value and the formula line of the calculator's docstring, or, for bad
input, the calculator's own error message so that Claude can correct the call.

Tool use in the Messages API: https://docs.anthropic.com/en/docs/agents-and-tools/tool-use/implement-tool-use
"""

from __future__ import annotations

import dataclasses
import inspect
import json
import math
import typing
from collections.abc import Callable
from typing import Any

# The calculators Claude may call: scalar arguments, answers a design question needs. A name missing
# from ``techpm.calc`` (a module not installed yet) is skipped.
CURATED = (
    "api_cost_usd", "get_api_price", "get_gpu", "get_model",
    "param_count", "active_param_count", "kv_cache_bytes_per_token", "kv_cache_bytes", "model_memory_bytes",
    "forward_flops_per_token", "training_flops", "chinchilla_optimal", "training_memory_bytes",
    "training_time_s", "capacity_plan", "little_concurrency", "replicas_for_concurrency",
    "token_serving_cost_usd", "gross_margin_fraction", "embedding_storage_bytes", "hnsw_index_bytes",
    "embedding_cost_usd", "chunks_that_fit", "text_tokens_estimate", "margin_of_error",
    "sample_size_for_margin", "wilson_interval", "ab_test_sample_size", "comparisons_per_ranking",
    "preference_labeling_cost_usd", "retry_success_probability",
)

# Unit suffixes of the course's argument names (CONTRIBUTING: names carry the unit).
_UNITS = (
    ("_usd_per_mtok", "US dollars per million tokens"), ("flops_per_s", "FLOP per second"),
    ("bytes_per_s", "bytes per second"), ("_per_s", "per second"), ("_usd", "US dollars"),
    ("_s", "seconds"), ("_bytes", "bytes"), ("_flops", "floating-point operations"), ("_tokens", "tokens"),
)
_JSON_TYPES = {float: "number", int: "integer", bool: "boolean", str: "string"}
_NAME_ENUMS = {"cfg": "model_ids", "gpu": "gpu_ids"}
_NAMED = {"cfg": "model architecture id from the course's table", "gpu": "GPU id from the course's table",
          "model": "API model id from the course's price table", "name": "id from the course's table"}


@dataclasses.dataclass(frozen=True)
class CalculatorTool:
    """One calculator as a tool: its function and the schema sent to the API."""

    name: str
    function: Callable[..., Any]
    schema: dict[str, Any]


def _first_paragraph(doc: str | None) -> str:
    text = inspect.cleandoc(doc or "")
    lines = [line for line in text.split("\n\n")[0].splitlines() if not line.strip().startswith(">>>")]
    return " ".join(line.strip() for line in lines)


def _json_type(annotation: Any) -> str | None:
    """The JSON-schema type for an annotation, or None when a tool cannot pass it."""
    if annotation in _JSON_TYPES:
        return _JSON_TYPES[annotation]
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if typing.get_origin(annotation) in (typing.Union, getattr(__import__("types"), "UnionType", None)):
        if str in args:  # ``ModelConfig | str``: pass the table id
            return "string"
        kinds = {_json_type(a) for a in args}
        return kinds.pop() if len(kinds) == 1 else None
    return None


def _describe(name: str, parameter: inspect.Parameter) -> str:
    unit = next((label for suffix, label in _UNITS if name.endswith(suffix)), "")
    text = _NAMED.get(name) or name.replace("_", " ")
    if unit and unit not in text:
        text += f", in {unit}"
    if parameter.default is not inspect.Parameter.empty and parameter.default is not None:
        text += f" (default {parameter.default!r})"
    return text


def tool_schema(function: Callable[..., Any], name: str | None = None) -> dict[str, Any]:
    """The Messages API tool definition of ``function``, from its signature and docstring."""
    from techpm import calc

    hints = typing.get_type_hints(function)
    properties: dict[str, Any] = {}
    required: list[str] = []
    for pname, parameter in inspect.signature(function).parameters.items():
        json_type = _json_type(hints.get(pname, parameter.annotation))
        if json_type is None:
            raise TypeError(f"{function.__name__}: argument {pname!r} cannot be passed as JSON")
        prop: dict[str, Any] = {"type": json_type, "description": _describe(pname, parameter)}
        enum_source = _NAME_ENUMS.get(pname)
        if pname == "model" and json_type == "string":
            enum_source = "api_model_ids"
        if pname == "name" and function.__name__ in ("get_gpu", "get_model", "get_api_price"):
            enum_source = {"get_gpu": "gpu_ids", "get_model": "model_ids", "get_api_price": "api_model_ids"}[
                function.__name__]
        if enum_source and hasattr(calc, enum_source):
            prop["enum"] = list(getattr(calc, enum_source)())
        properties[pname] = prop
        if parameter.default is inspect.Parameter.empty:
            required.append(pname)
    description = _first_paragraph(function.__doc__)
    return {
        "name": name or function.__name__,
        "description": f"{description} (techpm.calc.{function.__name__})",
        "input_schema": {"type": "object", "properties": properties, "required": required,
                         "additionalProperties": False},
    }


def calculator_tools(names: tuple[str, ...] = CURATED) -> dict[str, CalculatorTool]:
    """The curated calculators present in ``techpm.calc``, as tools keyed by name."""
    from techpm import calc

    tools = {}
    for name in names:
        function = getattr(calc, name, None)
        if function is None:
            continue
        tools[name] = CalculatorTool(name, function, tool_schema(function, name))
    return tools


def tool_definitions(tools: dict[str, CalculatorTool] | None = None) -> list[dict[str, Any]]:
    """The ``tools`` list for a Messages API request."""
    return [tool.schema for tool in (tools or calculator_tools()).values()]


def _jsonable(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {k: _jsonable(v) for k, v in dataclasses.asdict(value).items()}
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if hasattr(value, "item") and callable(value.item):  # numpy scalars
        return value.item()
    return value


def run_tool(name: str, arguments: dict[str, Any], tools: dict[str, CalculatorTool] | None = None) -> tuple[str, bool]:
    """Run calculator ``name`` on ``arguments``; returns (tool_result text, is_error)."""
    tools = tools if tools is not None else calculator_tools()
    tool = tools.get(name)
    if tool is None:
        return f"Unknown tool {name!r}. Available: {', '.join(sorted(tools))}.", True
    if not isinstance(arguments, dict):
        return "Tool input must be a JSON object of named arguments.", True
    try:
        value = tool.function(**arguments)
    except TypeError as exc:  # wrong or missing argument names
        return f"Bad arguments for {name}: {exc}.", True
    except ValueError as exc:  # TechpmError: the calculator's own message names the argument
        return f"{name} refused the input: {exc}", True
    return json.dumps({"result": _jsonable(value), "formula": _first_paragraph(tool.function.__doc__)}), False
