"""``techpm workshop``: slides, cohort copies and the static site (registered by ``techpm.cli``)."""

from __future__ import annotations

import argparse
from pathlib import Path


def _add(p: argparse.ArgumentParser) -> None:
    p.add_argument("action", choices=["slides", "cohort", "site", "questions"])
    p.add_argument("params", nargs="?", help="cohort, questions: a JSON file of parameter values")
    p.add_argument("--bank", action="store_true", help="questions: add every question of the capstone bank")
    p.add_argument("--only", nargs="*", help="cohort: only notebooks whose names start with these")
    p.add_argument("--out", type=Path, help="output folder (default: build/slides, build/site, build/cohort)")


def _run(args: argparse.Namespace) -> int:
    from techpm.devtools.notebooks import repo_root

    root = repo_root()
    if args.action == "slides":
        from techpm.workshop.slides import build_decks

        written = build_decks(root, args.out or root / "build" / "slides")
    elif args.action == "questions":
        from techpm.workshop.cohort import load_parameters
        from techpm.workshop.questions import report, worked_examples

        params = load_parameters(args.params) if args.params else None
        for line in report(worked_examples(root, params, bank=args.bank)):
            print(line)
        return 0
    elif args.action == "site":
        from techpm.workshop.site import build_site

        written = build_site(root, args.out or root / "build" / "site")
    else:
        from techpm.workshop.cohort import load_parameters, make_cohort

        if not args.params:
            raise ValueError("cohort needs a JSON file of parameters, e.g. techpm workshop cohort cohort.json")
        written = make_cohort(root, load_parameters(args.params), args.out or root / "build" / "cohort",
                              only=args.only)
    for path in written:
        print(f"wrote {path}")
    return 0


COMMANDS = {"workshop": ("instructors: build slide decks, a cohort's executed copies or the static site; list the "
                          "worked-example questions to pre-generate", _add, _run)}
