"""``techpm workshop``: slides, cohort copies, the static site, the questions to pre-generate, and the
room's progress (registered by ``techpm.cli``). A flag that an action does not use is refused, never
silently ignored."""

from __future__ import annotations

import argparse
from pathlib import Path

from techpm.errors import TechpmError

ACTIONS = ("slides", "cohort", "site", "questions", "progress", "hub")
# Which optional flags each action uses; any other flag given is an error.
USES = {"slides": {"params", "only", "out"}, "cohort": {"params", "only", "out"}, "site": {"out"},
        "questions": {"params", "only", "bank"}, "progress": {"params", "csv", "html"},
        "hub": {"learners", "ref", "out"}}


def _add(p: argparse.ArgumentParser) -> None:
    p.add_argument("action", choices=ACTIONS)
    p.add_argument("params", nargs="?",
                   help="cohort, questions, slides: a JSON file of parameter values; progress: the folder of "
                        "learners' notebooks (a hub's /home)")
    p.add_argument("--bank", action="store_true", help="questions: add every question of the capstone bank")
    p.add_argument("--only", nargs="+", help="cohort, questions, slides: only notebooks whose names start with these")
    p.add_argument("--out", type=Path, help="output folder (default: build/slides, build/site, build/cohort)")
    p.add_argument("--csv", type=Path, help="progress: also write the table as CSV")
    p.add_argument("--html", type=Path, help="progress: also write a small HTML page")
    p.add_argument("--learners", help="hub: how many learners (learner01, ...) or a file with one name a line")
    p.add_argument("--ref", help="hub: the git tag or branch every learner gets (tag the commit you tested)")


def _refuse_unused(args: argparse.Namespace) -> None:
    given = {name for name in ("params", "only", "out", "csv", "html", "bank", "learners", "ref")
             if getattr(args, name)}
    unused = sorted(given - USES[args.action])
    if unused:
        flags = ", ".join("the parameters file" if n == "params" else f"--{n}" for n in unused)
        raise TechpmError(f"`techpm workshop {args.action}` does not use {flags}; it takes "
                          f"{', '.join(sorted(USES[args.action])) or 'no options'}.")


def _run(args: argparse.Namespace) -> int:
    from techpm.devtools.notebooks import repo_root

    _refuse_unused(args)
    root = repo_root()
    if args.action == "progress":
        return _progress(args, root)
    if args.action == "hub":
        return _hub(args, root)
    if args.action == "questions":
        from techpm.workshop.questions import report, worked_examples

        examples = worked_examples(root, _params(args), bank=args.bank)
        if args.only:
            examples = [e for e in examples if e.notebook.startswith(tuple(args.only))]
        for line in report(examples):
            print(line)
        return 0
    if args.action == "site":
        from techpm.workshop.site import build_site

        written = build_site(root, args.out or root / "build" / "site")
    elif args.action == "slides":
        from techpm.workshop.slides import build_decks

        written = build_decks(root, args.out or root / "build" / "slides", only=args.only,
                              params=_params(args))
    else:
        from techpm.workshop.cohort import make_cohort

        if not args.params:
            raise TechpmError("cohort needs a JSON file of parameters, e.g. techpm workshop cohort cohort.json")
        written = make_cohort(root, _params(args), args.out or root / "build" / "cohort", only=args.only)
    for path in written:
        print(f"wrote {path}")
    return 0


def _params(args: argparse.Namespace) -> dict | None:
    from techpm.workshop.cohort import load_parameters

    return load_parameters(args.params) if args.params else None


def _progress(args: argparse.Namespace, root: Path) -> int:
    from techpm.workshop import progress

    if not args.params:
        raise TechpmError("progress needs the folder of learners' notebooks, e.g. techpm workshop progress /home")
    table = progress.read_progress(Path(args.params), root)
    print(progress.render_text(table))
    for path, text in ((args.csv, progress.render_csv), (args.html, progress.render_html)):
        if path:
            Path(path).write_text(text(table), encoding="utf-8")
            print(f"wrote {path}")
    return 0


def _hub(args: argparse.Namespace, root: Path) -> int:
    from techpm.devtools.notebooks import repo_url
    from techpm.workshop import hub

    if not args.learners or not args.ref:
        raise TechpmError("hub needs --learners (a number, or a file of names) and --ref (a git tag or branch), "
                          "e.g. techpm workshop hub --learners 25 --ref workshop-2026-12-03")
    if args.learners.isdigit():
        learners = hub.numbered_learners(int(args.learners))
    else:
        try:
            lines = Path(args.learners).read_text(encoding="utf-8").split()
        except OSError as exc:
            raise TechpmError(f"cannot read learner names from {args.learners}: {exc.strerror}") from None
        learners = tuple(lines)
    plan = hub.HubPlan(learners=learners, repository=repo_url(root), ref=args.ref)
    for path in hub.write_hub(args.out or root / "build" / "hub", plan):
        print(f"wrote {path}")
    return 0


COMMANDS = {"workshop": ("instructors: build slide decks, a cohort's executed copies or the static site; list the "
                          "worked-example questions to pre-generate; see the room's exercise progress", _add, _run)}
