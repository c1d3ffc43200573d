"""How many learners does one machine hold? A real JupyterHub on loopback (the configuration
`techpm workshop hub` writes), N learners created through its REST API, their servers started, and each
learner running lesson 00 and one heavy lesson in their own kernel, all at once.

    python benchmarks/workshop_load.py                 # N = 1, 2, 4, 8 (stops early once the median doubles)
    python benchmarks/workshop_load.py --steps 2 4 --heavy 03_inference

Prints, per N: time to a ready server (median, worst), notebook run time (median, worst), peak resident
memory per learner (the server and its kernels), errors; then the largest N before the median run time
doubled against N = 1, and the sizing rule it implies. Loopback only; bounded in count and time (each step
at most --timeout seconds). Not part of the test suite: it takes minutes and its figures depend on the
machine (the instructor guide quotes a run on the project's 2-core, 24 GiB machine).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "lib"))

from techpm.workshop import hub as hubgen  # noqa: E402
from techpm.workshop.hubclient import local_hub, process_tree_rss_bytes, run_notebook, server_pids  # noqa: E402


def _sample_memory(stop: threading.Event, peaks: dict[str, int]) -> None:
    while not stop.is_set():
        for user, pid in server_pids().items():
            peaks[user] = max(peaks.get(user, 0), process_tree_rss_bytes(pid))
        time.sleep(0.5)


def one_step(n: int, heavy: str, timeout_s: float) -> dict:
    learners = tuple(f"learner{i:02d}" for i in range(1, n + 1))
    plan = hubgen.HubPlan(learners=learners, repository="https://github.com/techpm-course/techpm", ref="load-test")
    singleuser = shutil.which("jupyterhub-singleuser", path=str(Path(sys.executable).parent))
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        hubgen.write_hub(root / "config", plan)
        (root / "handout" / "notebooks").mkdir(parents=True)
        (root / "answer-cache").mkdir()
        for name in ("00_start_here", heavy):
            shutil.copy2(ROOT / "notebooks" / f"{name}.ipynb", root / "handout" / "notebooks")
        with local_hub(root, root / "config" / "jupyterhub_config.py", singleuser) as hub:
            hub.create_users(list(learners))
            with ThreadPoolExecutor(max_workers=n) as pool:
                ready = list(pool.map(hub.start_server, learners))
            stop, peaks = threading.Event(), {}
            sampler = threading.Thread(target=_sample_memory, args=(stop, peaks), daemon=True)
            sampler.start()

            def learner_session(name: str):
                return [run_notebook(hub, name, f"notebooks/{nb}.ipynb", timeout_s=timeout_s)
                        for nb in ("00_start_here", heavy)]

            with ThreadPoolExecutor(max_workers=n) as pool:
                sessions = list(pool.map(learner_session, learners))
            stop.set()
            sampler.join(timeout=5)
    runs = [r for session in sessions for r in session]
    per_learner = [sum(r.seconds for r in session) for session in sessions]
    return {"n": n, "ready_median": statistics.median(ready), "ready_max": max(ready),
            "run_median": statistics.median(per_learner), "run_max": max(per_learner),
            "peak_mb": max(peaks.values(), default=0) / 1e6,
            "peak_mb_median": statistics.median(peaks.values()) / 1e6 if peaks else 0.0,
            "errors": sum(len(r.errors) for r in runs), "first_error": next((r.errors[0] for r in runs if r.errors), "")}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, nargs="+", default=[1, 2, 4, 8])
    parser.add_argument("--heavy", default="05_rag", help="the heavy lesson each learner runs after 00")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds a notebook may take")
    args = parser.parse_args(argv)
    if max(args.steps) > 32:
        parser.error("at most 32 learners on one machine (bounded load test)")
    print(f"{'N':>3} {'ready med':>10} {'ready max':>10} {'run med':>8} {'run max':>8} {'peak MB/learner':>16} errors")
    results = []
    for n in args.steps:
        r = one_step(n, args.heavy, args.timeout)
        results.append(r)
        print(f"{n:>3} {r['ready_median']:>9.1f}s {r['ready_max']:>9.1f}s {r['run_median']:>7.1f}s "
              f"{r['run_max']:>7.1f}s {r['peak_mb_median']:>7.0f} (max {r['peak_mb']:.0f}) {r['errors']}"
              + (f"  {r['first_error']}" if r["errors"] else ""), flush=True)
        if r["run_median"] > 2 * results[0]["run_median"]:
            break
    base = results[0]["run_median"]
    holds = [r["n"] for r in results if r["run_median"] <= 2 * base and not r["errors"]]
    largest = max(holds) if holds else 0
    peak = max(r["peak_mb"] for r in results)
    print(f"\nlargest N before the median run time doubled (vs {base:.1f} s at N={results[0]['n']}): {largest}")
    print(f"peak memory per learner: {peak:.0f} MB (server + kernel, lesson 00 then {args.heavy})")
    import os

    cores = os.cpu_count() or 1
    print(f"sizing on this machine ({cores} cores): about {largest / cores:.1f} learners per core running "
          f"lessons at once; memory: {peak / 1e3:.2f} GB per learner plus headroom")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
