"""``techpm answer`` (registered by ``techpm.cli``; ``techpm grade`` lives there, above the rubric).

    techpm answer "Design a RAG system for a law firm's contracts" --out answer.md

Exit status of ``techpm answer``: 0 when the answer came from the backend asked for (or ``auto`` fell
back to the offline generator, which it is allowed to do); ``3`` when ``--backend claude`` was asked for
but Claude could not be used (the offline answer is still printed or written, and the reason goes to
standard error); ``2`` for bad input, or when ``--out`` could not be written (the answer is then written
to a default file name in the current folder, and the message says where). The fallback notice always
goes to standard error, with ``--quiet`` too.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

#: ``techpm answer --backend claude`` that could not use Claude.
EXIT_FELL_BACK = 3


def _cap(text: str) -> float | None:
    """``--max-cost-usd``: a finite number of dollars >= 0 (argparse reports a bad one in one line)."""
    from techpm.config import check_cap

    try:
        return check_cap(text, "--max-cost-usd")
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _add_answer(p: argparse.ArgumentParser) -> None:
    from techpm.generator import BACKENDS

    p.add_argument("question", help="the question, in quotes")
    p.add_argument("--out", type=Path, help="also write the answer to this Markdown file (a folder: a file "
                                            "named after the question in it)")
    p.add_argument("--backend", choices=BACKENDS, default="auto",
                   help="auto (Claude with a key, else offline), claude (exit status 3 when Claude could not "
                        "be used) or offline (default: auto)")
    p.add_argument("--model", help="Claude model id (default: the session's claude_model)")
    p.add_argument("--max-cost-usd", type=_cap, default=None,
                   help="refuse a Claude call estimated above this many dollars (default: the course's cap)")
    p.add_argument("--quiet", action="store_true", help="do not print the answer (with --out)")


def default_name(question: str) -> str:
    """A file name for an answer: the question's first words, lowercase, hyphenated."""
    words = re.findall(r"[a-z0-9]+", question.lower())[:8]
    return ("answer-" + "-".join(words) if words else "answer") + ".md"


def write_answer(out: Path, markdown: str, question: str) -> tuple[Path | None, str | None]:
    """Write ``markdown`` to ``out`` (a folder: a default name inside it). On failure, write it to a
    default name in the current folder instead. Returns (where it was written, the error or None)."""
    target = out / default_name(question) if out.is_dir() else out
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(markdown, encoding="utf-8")
        return target, None
    except OSError as exc:
        error = f"cannot write {out} ({exc.strerror or type(exc).__name__})"
    fallback = Path.cwd() / default_name(question)
    try:
        fallback.write_text(markdown, encoding="utf-8")
        return fallback, error
    except OSError:
        return None, error


def _answer(args: argparse.Namespace) -> int:
    import os

    from techpm.generator import generate

    try:
        answer = generate(args.question, backend=args.backend, model=args.model, max_cost_usd=args.max_cost_usd,
                          stream=not args.quiet)
    except BrokenPipeError:  # the reader went away (``techpm answer ... | head``): stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    status = 0
    fell_back = answer.backend == "offline" and args.backend != "offline"
    if fell_back and answer.notice:
        print(f"techpm answer: {answer.notice}", file=sys.stderr)
    if fell_back and args.backend == "claude":
        print("techpm answer: --backend claude could not use Claude; the answer above is the offline "
              "generator's.", file=sys.stderr)
        status = EXIT_FELL_BACK
    if args.out:
        where, error = write_answer(args.out, answer.markdown, args.question)
        if error:
            kept = f"the answer is in {where} instead" if where else "the answer could not be saved anywhere"
            print(f"techpm answer: {error}; {kept}.", file=sys.stderr)
            if where is None and args.quiet:
                print(answer.markdown)  # never lose a paid answer
            return 2
        print(f"wrote {where}", file=sys.stderr)
    return status


COMMANDS = {
    "answer": ("answer a question with the six-section method (Claude with a key, else offline)",
               _add_answer, _answer),
}
