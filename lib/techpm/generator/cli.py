"""``techpm answer`` and ``techpm grade`` (registered by ``techpm.cli``).

    techpm answer "Design a RAG system for a law firm's contracts" --out answer.md
    techpm grade answer.md --question "Design a RAG system for a law firm's contracts"
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _add_answer(p: argparse.ArgumentParser) -> None:
    from techpm.generator import BACKENDS

    p.add_argument("question", help="the question, in quotes")
    p.add_argument("--out", type=Path, help="also write the answer to this Markdown file")
    p.add_argument("--backend", choices=BACKENDS, default="auto",
                   help="auto (Claude with a key, else offline), claude or offline (default: auto)")
    p.add_argument("--model", help="Claude model id (default: the session's claude_model)")
    p.add_argument("--max-cost-usd", type=float, default=None,
                   help="refuse a Claude call estimated above this many dollars (default: the course's cap)")
    p.add_argument("--quiet", action="store_true", help="do not print the answer (with --out)")


def _answer(args: argparse.Namespace) -> int:
    import os

    from techpm.generator import generate

    try:
        answer = generate(args.question, backend=args.backend, model=args.model, max_cost_usd=args.max_cost_usd,
                          stream=not args.quiet)
    except BrokenPipeError:  # the reader went away (``techpm answer ... | head``): stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(answer.markdown, encoding="utf-8")
        print(f"wrote {args.out}", file=sys.stderr)
    return 0


def _add_grade(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", help="a Markdown file with the answer ('-' reads standard input)")
    p.add_argument("--judge", action="store_true", help="also ask Claude to grade it (needs a key; costs a little)")
    p.add_argument("--question", help="the question the answer addresses (default: its 'Question:' line or title)")
    p.add_argument("--target-words", type=int, default=None,
                   help="grade a timed, spoken-style answer of about this many words (for example 450)")


def _grade(args: argparse.Namespace) -> int:
    from techpm.rubric import grade
    from techpm.rubric.fit import question_from_text

    if args.file == "-":
        text = sys.stdin.read()
    else:
        path = Path(args.file)
        if not path.is_file():
            raise FileNotFoundError(f"no such file: {path}")
        text = path.read_text(encoding="utf-8")
    question = args.question or question_from_text(text)
    report = grade(text, question=question, judge=args.judge, target_words=args.target_words)
    markdown = getattr(report, "markdown", None)
    print(markdown() if callable(markdown) else markdown or str(report))
    return 0


COMMANDS = {
    "answer": ("answer a question with the six-section method (Claude with a key, else offline)",
               _add_answer, _answer),
    "grade": ("grade an answer in a Markdown file against the method's nine rubric points", _add_grade, _grade),
}
