"""The ``techpm`` command: ``techpm doctor``, ``techpm exercises build``, ``techpm grade``, and the authors'
``techpm dev``. ``techpm answer`` and ``techpm workshop`` are registered by their own packages.

    techpm grade answer.md --question "Design a RAG system for a law firm's contracts"

``grade`` lives here, at the top of the layers, so that the generator never imports the rubric.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

# Other modules add sub-commands here: name -> (help, add_arguments, run).
Command = tuple[str, Callable[[argparse.ArgumentParser], None], Callable[[argparse.Namespace], int]]


def _doctor(args: argparse.Namespace) -> int:
    from techpm.doctor import main as doctor_main

    return doctor_main(instructor=args.instructor)


def _exercises(args: argparse.Namespace) -> int:
    from techpm.devtools.exercises import build
    from techpm.devtools.notebooks import repo_root

    root = repo_root()
    changed = build(root, check_only=args.check)
    for path in changed:
        print(f"{'out of date' if args.check else 'wrote'}: {path.relative_to(root)}")
    if args.check and changed:
        print("Exercises are out of date: run `techpm exercises build`.", file=sys.stderr)
        return 1
    if not changed:
        print("Exercises are up to date with their solutions.")
    return 0


def _freshness(days: int) -> int:
    """``techpm dev freshness``: every data row older than ``days``, with its source, for the author to
    re-check. Exit status 0 either way (it is a to-do list, not a failure)."""
    from techpm.lifecycle import stale_rows

    stale = stale_rows(days)
    for row in stale:
        print(row.line())
    print(f"{len(stale)} data row(s) older than {days} days." if stale else
          f"Every data row was checked within the last {days} days.")
    return 0


def _days(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"--days must be a whole number of days >= 0, got {text!r}.")
    return value


def _add_grade(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", help="a Markdown file with the answer ('-' reads standard input)")
    p.add_argument("--judge", action="store_true", help="also ask Claude to grade it (needs a key; costs a little)")
    p.add_argument("--question", help="the question the answer addresses (default: its 'Question:' line or title)")
    p.add_argument("--target-words", type=int, default=None,
                   help="grade a timed, spoken-style answer of about this many words (for example 450)")


def read_answer_text(name: str) -> str:
    """The answer to grade from a file name or '-' (standard input); ``TechpmError`` in one sentence."""
    from techpm.errors import TechpmError

    if name == "-":
        stdin = sys.stdin
        if stdin is None or stdin.closed:
            raise TechpmError("no answer on standard input: it is closed (pipe the answer in, or give a file).")
        try:
            return stdin.read()
        except (OSError, UnicodeDecodeError) as exc:
            raise TechpmError(f"cannot read the answer from standard input ({exc}).") from None
    path = Path(name)
    if path.is_dir():
        raise TechpmError(f"{path} is a folder, not a Markdown file with an answer.")
    if not path.exists():
        raise TechpmError(f"no such file: {path}")
    if not path.is_file():
        raise TechpmError(f"{path} is not a regular file (a device or a pipe?): give a Markdown file.")
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise TechpmError(f"{path} is not UTF-8 text: save the answer as UTF-8 Markdown.") from None
    except OSError as exc:
        raise TechpmError(f"cannot read {path} ({exc.strerror or type(exc).__name__}).") from None


def _grade(args: argparse.Namespace) -> int:
    from techpm.rubric import grade
    from techpm.rubric.fit import question_from_text

    text = read_answer_text(args.file)
    question = args.question or question_from_text(text)
    report = grade(text, question=question, judge=args.judge, target_words=args.target_words)
    markdown = getattr(report, "markdown", None)
    print(markdown() if callable(markdown) else markdown or str(report))
    return 0


def _dev(args: argparse.Namespace) -> int:
    from techpm.devtools import notebooks as nbtools

    if args.action == "freshness":
        return _freshness(args.days)

    root = nbtools.repo_root()
    paths = [Path(p).resolve() for p in args.paths] or nbtools.all_notebooks(root)
    if args.action == "sync":
        from techpm.devtools import architecture, calcdocs, exports

        if exports.sync(root):
            print("synced: lib/techpm/calc/__init__.py (the calculators' export block)")
        if architecture.sync_lesson_map(root):
            print("synced: CONTRIBUTING.md (the lesson map)")
        for changed in calcdocs.sync(root):
            print(f"synced: {changed.relative_to(root)} (the calculators' 'Used in:' lines)")
        for path in paths:
            if nbtools.sync(root, path):
                print(f"synced: {path.relative_to(root)}")
        return 0
    if args.action == "check":
        from techpm.devtools import architecture, calcdocs, exports

        bad = 0
        if not exports.is_current(root):
            bad += 1
            print("lib/techpm/calc/__init__.py: the export block is out of date (run `techpm dev sync`)")
        if not architecture.lesson_map_is_current(root):
            bad += 1
            print("CONTRIBUTING.md: the lesson map is out of date (run `techpm dev sync`)")
        for problem in calcdocs.problems(root):
            bad += 1
            print(problem)
        for path in paths:
            for problem in nbtools.problems(root, path):
                bad += 1
                print(f"{path.relative_to(root)}: {problem}")
        print("All notebooks follow the conventions." if not bad else f"{bad} problem(s).")
        return 1 if bad else 0
    if args.action == "execute":
        from techpm.devtools.execute import execute

        for path in paths:
            if path.parent.name == "exercises":
                continue  # exercises are stored without outputs
            _, seconds = execute(path)
            print(f"executed {path.relative_to(root)} in {seconds:.1f} s")
        return 0
    return 2


COMMANDS: dict[str, Command] = {
    "doctor": ("check this machine's set-up for the course",
               lambda p: p.add_argument("--instructor", action="store_true",
                                        help="also check what `techpm workshop` needs (cohorts, slides, hub)"),
               _doctor),
    "exercises": (
        "build exercises/ from solutions/",
        lambda p: (p.add_argument("action", choices=["build"]),
                   p.add_argument("--check", action="store_true", help="only report what is out of date")),
        _exercises,
    ),
    "grade": ("grade an answer in a Markdown file against the method's nine rubric points", _add_grade, _grade),
    "dev": (
        "authors' tools: sync badges, setup cells and calc's export block, check conventions, execute notebooks in place, "
        "list data rows due for re-checking (freshness)",
        lambda p: (p.add_argument("action", choices=["sync", "check", "execute", "freshness"]),
                   p.add_argument("paths", nargs="*", help="notebooks (default: all)"),
                   p.add_argument("--days", type=_days, default=120,
                                  help="freshness: list rows whose as_of is older than this (default 120)")),
        _dev,
    ),
}


def _register_optional() -> None:
    """Sub-commands that live with their feature (generator, workshop kit), when present."""
    import importlib

    for module_name in ("techpm.generator.cli", "techpm.workshop.cli"):
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name and module_name.startswith(exc.name):
                continue
            raise
        COMMANDS.update(module.COMMANDS)


def main(argv: list[str] | None = None) -> int:
    _register_optional()
    parser = argparse.ArgumentParser(prog="techpm", description="techpm: technical depth for AI PMs.")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, (help_text, add_arguments, _run) in COMMANDS.items():
        add_arguments(sub.add_parser(name, help=help_text, description=help_text))
    args = parser.parse_args(argv)
    try:
        return COMMANDS[args.command][2](args)
    except (ValueError, FileNotFoundError) as exc:
        print(f"techpm {args.command}: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `techpm answer ... | head`: the reader left; stop quietly
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
