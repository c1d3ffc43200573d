"""The worked-example questions a cohort's notebooks will ask, so an instructor can answer them in advance.

Each lesson ends with a worked example, a cell that calls ``techpm.generate(QUESTION)``. Answers are
cached under a key made of the question, the model and the prompt version (``techpm.generator.cache``):
a question that differs by one word, or a cohort whose ``CLAUDE_MODEL`` differs, misses the cache. So the
questions to pre-generate (``techpm.generate_many``, half the token price) are read here from the
notebooks themselves, with a cohort's parameters applied the way papermill applies them (after the
``parameters`` cell), and cannot drift from what the notebooks ask::

    techpm workshop questions [cohort.json] [--bank]

A question that a notebook only knows at run time (10's pick from the question bank) is listed with the
expression that computes it; ``bank=True`` adds every question of the bank instead.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from techpm.devtools.notebooks import read, source, tags
from techpm.errors import TechpmError


@dataclass(frozen=True)
class WorkedExample:
    """One ``techpm.generate(...)`` call in a notebook, or one question of the capstone bank."""

    notebook: str  # the notebook's file name, e.g. "03_inference.ipynb"
    model: str  # the notebook's CLAUDE_MODEL, after the cohort's parameters: part of the cache key
    question: str | None  # None when the notebook computes it at run time
    expression: str  # the call's argument as written in the cell (or the bank question's id)


def _format(node: ast.JoinedStr, names: dict[str, Any]) -> str | None:
    """An f-string whose fields are known names (with optional conversions and format specs), else None."""
    parts = []
    for value in node.values:
        if isinstance(value, ast.Constant):
            parts.append(str(value.value))
            continue
        if not isinstance(value, ast.FormattedValue) or not isinstance(value.value, ast.Name):
            return None
        if value.value.id not in names:
            return None
        field = names[value.value.id]
        field = {ord("r"): repr, ord("s"): str, ord("a"): ascii}.get(value.conversion, lambda x: x)(field)
        spec = _format(value.format_spec, names) if value.format_spec is not None else ""
        if spec is None:
            return None
        parts.append(format(field, spec))
    return "".join(parts)


def _string(node: ast.expr, names: dict[str, Any]) -> str | None:
    """The text of a string literal, of a name bound to one, or of an f-string over known names."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Name):
        value = names.get(node.id)
        return value if isinstance(value, str) else None
    if isinstance(node, ast.JoinedStr):
        return _format(node, names)
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in names:
        value = getattr(names[node.value.id], node.attr, None)  # question.question, a picked bank question
        return value if isinstance(value, str) else None
    return None


_UNKNOWN = object()


def _value(node: ast.expr, names: dict[str, Any]) -> Any:
    if isinstance(node, ast.Name):
        return names.get(node.id, _UNKNOWN)
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return _UNKNOWN


def _picked_question(call: ast.expr, names: dict[str, Any]) -> Any:
    """``capstone.pick(TOPIC, DIFFICULTY, seed=SEED)`` with every argument known: the question it draws
    (the draw is deterministic for a seed), so the capstone's worked example is known before the run."""
    if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr == "pick"
            and isinstance(call.func.value, ast.Name) and call.func.value.id == "capstone"):
        return _UNKNOWN
    args = [_value(a, names) for a in call.args]
    kwargs = {k.arg: _value(k.value, names) for k in call.keywords if k.arg}
    if _UNKNOWN in args or _UNKNOWN in kwargs.values() or len(kwargs) != len(call.keywords):
        return _UNKNOWN
    from techpm.capstone import pick

    try:
        return pick(*args, **kwargs)
    except (TechpmError, TypeError, ValueError):
        return _UNKNOWN


def _bind(statement: ast.stmt, names: dict[str, Any]) -> None:
    """Follow ``NAME = <literal or f-string>``; a name bound to anything else becomes unknown."""
    if not (isinstance(statement, ast.Assign) and len(statement.targets) == 1
            and isinstance(statement.targets[0], ast.Name)):
        return
    name = statement.targets[0].id
    picked = _picked_question(statement.value, names)
    if picked is not _UNKNOWN:
        names[name] = picked
        return
    try:
        names[name] = ast.literal_eval(statement.value)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        text = _format(statement.value, names) if isinstance(statement.value, ast.JoinedStr) else None
        if text is None:
            names.pop(name, None)
        else:
            names[name] = text


def _is_generate(node: ast.AST) -> bool:
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "generate"
            and isinstance(node.func.value, ast.Name) and node.func.value.id == "techpm" and bool(node.args))


def notebook_examples(path: Path, params: dict[str, Any] | None = None) -> list[WorkedExample]:
    """The ``techpm.generate(...)`` calls of one notebook, in order, each with its question and model."""
    from techpm.config import DEFAULT_CLAUDE_MODEL

    names: dict[str, Any] = {}
    found = []
    for cell in read(Path(path))["cells"]:
        if cell["cell_type"] != "code":
            continue
        text = "\n".join(line for line in source(cell).splitlines() if not line.lstrip().startswith(("%", "!")))
        try:
            tree = ast.parse(text)
        except SyntaxError:
            continue
        for statement in tree.body:
            for node in ast.walk(statement):
                if _is_generate(node):
                    model = names.get("CLAUDE_MODEL", DEFAULT_CLAUDE_MODEL)
                    found.append(WorkedExample(Path(path).name, str(model), _string(node.args[0], names),
                                               ast.unparse(node.args[0])))
            _bind(statement, names)
        if "parameters" in tags(cell):  # papermill injects a cohort's values right after this cell
            names.update({k: v for k, v in (params or {}).items() if k in names})
    return found


def worked_examples(root: Path, params: dict[str, Any] | None = None, *, bank: bool = False,
                    folder: str = "notebooks") -> list[WorkedExample]:
    """Every worked-example call in ``root/folder``'s notebooks, with ``params`` (a cohort's parameter
    values) applied; ``bank=True`` adds each question of the capstone bank, on the model of the
    notebook that asks the generator about it. A parameter no notebook declares is an error."""
    from techpm.workshop.cohort import declared_parameters

    paths = sorted((Path(root) / folder).glob("*.ipynb"))
    if not paths:
        raise TechpmError(f"no notebooks in {Path(root) / folder}")
    params = dict(params or {})
    known = {name for p in paths for name in declared_parameters(p)}
    unknown = sorted(set(params) - known)
    if unknown:
        raise TechpmError(f"no notebook has a parameter called {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    examples = [e for p in paths for e in notebook_examples(p, params)]
    if bank:
        from techpm.capstone import question_bank

        asking = [e for e in examples if e.question is None] or examples
        model = asking[-1].model
        notebook = asking[-1].notebook
        examples += [WorkedExample(notebook, model, q.question, f"question bank: {q.id}") for q in question_bank()]
    return examples


def by_model(examples: Iterable[WorkedExample]) -> dict[str, list[str]]:
    """The known questions grouped by model (one ``generate_many`` call each), without repeats, in order."""
    groups: dict[str, list[str]] = {}
    for e in examples:
        if e.question is not None and e.question not in groups.setdefault(e.model, []):
            groups[e.model].append(e.question)
    return groups


def batch_cost_ceiling_usd(question: str, model: str, *, web_search: bool = True) -> float:
    """The most one batched answer can cost, as ``generate_many`` sends it (web search unless
    ``web_search=False``, as in ``generate_many``; never the calculator tools).

    ceiling = calc.api_cost_usd(model, prompt_tokens, claude.ANSWER_MAX_TOKENS, batch=True)
              + claude.WEB_SEARCH_MAX_USES * claude_client.WEB_SEARCH_USD_PER_SEARCH   (with web search)
    with prompt_tokens = calc.text_tokens_estimate(system prompt + question): characters / 4. Both terms
    are priced by ``claude_client.request_cost_usd``; the batch price is the table's ``batch_discount`` (half
    the token price), and web searches are billed per search. Real answers are usually shorter.
    """
    import json

    from techpm.calc import text_tokens_estimate
    from techpm.generator import claude
    from techpm.generator import client as claude_client
    from techpm.generator.answer import Usage

    system, messages, _tools = claude.answer_request(question, model, web_search=web_search, calculators=False)
    prompt_tokens = text_tokens_estimate(json.dumps(system) + json.dumps(messages))
    usage = Usage(input_tokens=prompt_tokens, output_tokens=claude.ANSWER_MAX_TOKENS,
                  web_search_requests=claude.WEB_SEARCH_MAX_USES if web_search else 0)
    return claude_client.request_cost_usd(model, usage, batch=True)


def is_cached(example: WorkedExample) -> bool:
    """Whether Claude's answer to this question, on this model, is in the answer cache here
    (``TECHPM_CACHE_DIR``, default ``~/.cache/techpm``), under the current prompt version."""
    from techpm.generator import cache
    from techpm.generator.prompts import PROMPT_VERSION

    if example.question is None:
        return False
    return cache.load(cache.cache_key(example.question, "claude", example.model, PROMPT_VERSION)) is not None


def report(examples: list[WorkedExample]) -> list[str]:
    """Lines for ``techpm workshop questions``: one per call or bank question (cached here or not), then
    how many are cached and, per model, the batch cost ceiling of answering them all."""
    from techpm.generator import cache, claude
    from techpm.generator.answer import format_usd

    lines = []
    for e in examples:
        if e.question is None:
            lines.append(f"{e.notebook} · {e.model} · asked at run time ({e.expression}); "
                         "--bank lists the question bank")
        else:
            lines.append(f"{e.notebook} · {e.model} · {'cached' if is_cached(e) else 'not cached'} · {e.question}")
    known = [e for e in examples if e.question is not None]
    lines.append(f"{sum(map(is_cached, known))} of {len(known)} cached in {cache.cache_dir()}")
    for model, questions in by_model(examples).items():
        ceiling = sum(batch_cost_ceiling_usd(q, model) for q in questions)
        lines.append(f"{len(questions)} questions on {model}: at most {format_usd(ceiling)} through the Message "
                     f"Batches API (each answer at its {claude.ANSWER_MAX_TOKENS:,}-token maximum with "
                     f"{claude.WEB_SEARCH_MAX_USES} web searches; prompts estimated from their length)")
    return lines
