"""In-process `ask()` latency: today's answer pipeline against the pipeline at a baseline commit, measured in
the same run on the same questions (dev and test sets, `now` pinned), one process after the other.

    python -m evals.bench_ask [--baseline f8e3915] [--rounds 2] [--report bench_ask.json]

The ratio of the medians is the result; milliseconds move with whatever else the machine is doing."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from evals.bench_http import baseline_env, baseline_tree

ROOT = Path(__file__).resolve().parent.parent
PINNED_NOW = "2025-06-16T10:00:00+02:00"

# Run inside the measured tree: load once, warm up, then time every question `rounds` times.
_WORKER = r"""
import json, statistics, sys, time
sys.path.insert(0, sys.argv[1])
from assistant.assistant import Assistant
questions = json.loads(open(sys.argv[2], encoding="utf-8").read())
rounds = int(sys.argv[3])
started = time.perf_counter()
assistant = Assistant.load()
load = time.perf_counter() - started
assistant.ask("Hvornår er ansøgningsfristen?", now="2025-06-16T10:00")
times = []
for _ in range(rounds):
    for q in questions:
        t = time.perf_counter()
        assistant.ask(q["question"], pool=q["pool"], history=q["history"], now=q["now"])
        times.append((time.perf_counter() - t) * 1000)
times.sort()
print(json.dumps({"load_s": load, "n": len(times), "p50": statistics.median(times),
                  "p95": times[int(0.95 * (len(times) - 1))], "mean": statistics.fmean(times)}))
"""


def load_questions() -> list[dict]:
    out = []
    for name in ("dev.jsonl", "test.jsonl"):
        for line in (ROOT / "evals" / name).read_text(encoding="utf-8").splitlines():
            q = json.loads(line)
            out.append(
                {"question": q["question"], "pool": q["pool"], "history": q["history"], "now": q["now"] or PINNED_NOW}
            )
    return out


def measure(tree: Path, questions_file: Path, rounds: int, threads: int | None, paths: dict[str, str]) -> dict:
    env = {**os.environ, **paths}
    if threads:  # as each web worker runs it (`--threads 1`); the same for both trees
        env["OMP_NUM_THREADS"] = str(threads)
    result = subprocess.run(
        [sys.executable, "-c", _WORKER, str(tree), str(questions_file), str(rounds)],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default="f8e3915", help="commit of the pipeline to compare against")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--threads", type=int, default=None, help="embedding threads (default: the library's)")
    parser.add_argument("--report", default=None)
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="tilskud-bench-ask-"))
    try:
        questions_file = work / "questions.json"
        questions_file.write_text(json.dumps(load_questions(), ensure_ascii=False), encoding="utf-8")
        old_tree = baseline_tree(args.baseline, work / "baseline")
        old = measure(old_tree, questions_file, args.rounds, args.threads, baseline_env(old_tree, work))
        new = measure(ROOT, questions_file, args.rounds, args.threads, {})
    finally:
        shutil.rmtree(work, ignore_errors=True)
    report = {
        "baseline": args.baseline,
        "baseline_ms": old,
        "current_ms": new,
        "p50_ratio": new["p50"] / old["p50"],
        "p95_ratio": new["p95"] / old["p95"],
        "load_average": os.getloadavg()[0],
    }
    print(
        f"ask() over {new['n']} calls: p50 {new['p50']:.1f} ms (baseline {old['p50']:.1f} ms, "
        f"ratio {report['p50_ratio']:.2f}), p95 {new['p95']:.1f} ms (baseline {old['p95']:.1f} ms, "
        f"ratio {report['p95_ratio']:.2f}); load {new['load_s']:.2f} s; machine load {report['load_average']:.1f}"
    )
    if args.report:
        Path(args.report).write_text(json.dumps(report, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
