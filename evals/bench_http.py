"""HTTP benchmark: today's server against the server at a baseline commit, measured in the same run on
loopback. Throughput and latency at 50 clients with unique and with repeated questions, and the p95 of
ordinary clients with and without three clients sending maximum-size inputs.

    python -m evals.bench_http [--baseline f8e3915] [--seconds 20] [--report bench.json]

Ratios, not absolute numbers, are the result: both servers run on the same machine in the same run."""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from dataclasses import asdict, dataclass
from io import BytesIO
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
PREFIXES = [
    "",
    "Hej. ",
    "Kort spørgsmål: ",
    "Jeg undrer mig: ",
    "Et spørgsmål til jer: ",
    "Godmorgen. ",
    "Vi er en forening. ",
    "Tak for hjælpen. ",
    "Hjælp: ",
    "Må jeg spørge: ",
]


@dataclass
class Phase:
    server: str
    name: str
    requests: int
    errors: int
    seconds: float
    rps: float
    p50_ms: float
    p95_ms: float


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def dev_questions() -> list[dict]:
    rows = [json.loads(line) for line in (ROOT / "evals" / "dev.jsonl").read_text(encoding="utf-8").splitlines()]
    return [
        {"question": r["question"], "pool": r.get("pool")} for r in rows if r.get("question") and not r.get("history")
    ]


class Server:
    def __init__(self, name: str, command: list[str], cwd: Path, env: dict[str, str], data: Path) -> None:
        self.name, self.port = name, free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = data / f"{name}.log"
        data.mkdir(parents=True, exist_ok=True)
        full_env = {**os.environ, **env, "ASSISTANT_DATA_DIR": str(data / name), "GRADIO_ANALYTICS_ENABLED": "False"}
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(
                [*command, "--host", "127.0.0.1", "--port", str(self.port)],
                cwd=cwd,
                env=full_env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{name} exited:\n{self.log.read_text()[-2000:]}")
            try:
                if httpx.get(f"{self.url}/readyz", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"{name} not ready")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()


async def run_clients(url: str, clients: list, seconds: float) -> list[tuple[str, float, int]]:
    """Each client is (kind, next_payload, pause): it posts, waits `pause` minus its latency, and repeats."""
    results: list[tuple[str, float, int]] = []
    stop_at = time.monotonic() + seconds

    async def client(i: int, kind: str, next_payload, pause: float) -> None:
        headers = {"X-Forwarded-For": f"198.51.100.{i % 250}", "Content-Type": "application/json"}
        limits = httpx.Limits(max_connections=1)
        async with httpx.AsyncClient(base_url=url, timeout=120, limits=limits) as http:
            while time.monotonic() < stop_at:
                started = time.monotonic()
                try:
                    response = await http.post("/api/ask", content=json.dumps(next_payload()), headers=headers)
                    status = response.status_code
                except httpx.HTTPError:
                    status = 0
                elapsed = time.monotonic() - started
                results.append((kind, elapsed, status))
                if pause:
                    await asyncio.sleep(max(0.0, pause - elapsed))

    await asyncio.gather(*(client(i, kind, nxt, pause) for i, (kind, nxt, pause) in enumerate(clients)))
    return results


def summarise(server: str, name: str, results: list, seconds: float, kind: str = "normal") -> Phase:
    mine = [(t, s) for k, t, s in results if k == kind]
    times = sorted(t for t, _ in mine) or [0.0]
    errors = sum(1 for _, s in mine if s != 200)
    p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
    return Phase(
        server,
        name,
        len(mine),
        errors,
        seconds,
        round(len(mine) / seconds, 1),
        round(statistics.median(times) * 1000, 1),
        round(p95 * 1000, 1),
    )


def phases(server: Server, seconds: float, questions: list[dict]) -> list[Phase]:
    out = []
    unique = iter([{"question": p + q["question"], "pool": q["pool"]} for p in PREFIXES for q in questions])
    unique_next = lambda: next(unique, {"question": f"Hvem kan søge? ({random.random()})", "pool": None})  # noqa: E731
    repeated = itertools.cycle(questions[:20])
    runs = {
        "unique, 50 clients": [("normal", unique_next, 0.0)] * 50,
        "repeated, 50 clients": [("normal", lambda: next(repeated), 0.0)] * 50,
    }
    asyncio.run(run_clients(server.url, [("normal", lambda: next(repeated), 0.0)] * 10, 3))  # warm up
    for name, clients in runs.items():
        out.append(summarise(server.name, name, asyncio.run(run_clients(server.url, clients, seconds)), seconds))
    # isolation: 20 ordinary clients asking once a second, then the same with three abusive clients sending
    # maximum-size inputs (a 2,000-character question and a 50 KB history) back to back.
    counter = itertools.count()
    ordinary = [
        (
            "normal",
            lambda: {"question": f"{random.choice(PREFIXES)}{random.choice(questions)['question']}", "pool": None},
            1.0,
        )
    ] * 20
    big_turn = "Hvad gælder for ansøgningsfristen og budgettet? " * 200
    abusive = [
        (
            "abusive",
            lambda: {
                "question": f"{next(counter)} "
                + ("Hvilke udgifter kan der søges tilskud til, og hvordan skal budgettet opstilles? " * 30)[:1990],
                "history": [{"role": ("user", "assistant")[i % 2], "content": big_turn[:10_000]} for i in range(5)],
            },
            0.0,
        )
    ] * 3
    baseline = asyncio.run(run_clients(server.url, ordinary, seconds))
    out.append(summarise(server.name, "ordinary clients alone", baseline, seconds))
    mixed = asyncio.run(run_clients(server.url, ordinary + abusive, seconds))
    out.append(summarise(server.name, "ordinary clients beside 3 abusive", mixed, seconds))
    out.append(summarise(server.name, "the 3 abusive clients", mixed, seconds, kind="abusive"))
    return out


def baseline_tree(commit: str, target: Path) -> Path:
    archive = subprocess.run(["git", "archive", commit], cwd=ROOT, capture_output=True, check=True).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(target, filter="data")
    return target


def baseline_env(tree: Path, work: Path) -> dict[str, str]:
    """The baseline reads its own corpus and its own index (formats change between commits); the index is
    built once here with the baseline's own code (about a minute)."""
    env = {"ASSISTANT_CORPUS_DIR": str(tree / "corpus"), "ASSISTANT_INDEX_DIR": str(work / "baseline-index")}
    launcher = f"import sys; sys.path.insert(0, {str(tree)!r}); from assistant.cli import main; sys.exit(main())"
    subprocess.run(
        [sys.executable, "-c", launcher, "build-index"],
        cwd=tree,
        env={**os.environ, **env},
        check=True,
        capture_output=True,
    )
    return env


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default="f8e3915", help="commit of the server to compare against")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--report", default=None)
    parser.add_argument("--only", choices=["baseline", "current"], default=None)
    args = parser.parse_args(argv)
    questions = dev_questions()
    work = Path(tempfile.mkdtemp(prefix="tilskud-bench-"))
    python = sys.executable
    common = {
        "ASSISTANT_INDEX_DIR": str(ROOT / "indexes"),
        "ASSISTANT_CORPUS_DIR": str(ROOT / "corpus"),
        # Capacity is measured, on both servers alike: the simulated clients come through loopback as a proxy,
        # and the per-client limit is above what they send. (A baseline with a rate limit of its own answered
        # most requests 429, and its throughput counted the refusals.) A baseline older than these settings
        # ignores them.
        "ASSISTANT_TRUSTED_PROXIES": '["127.0.0.1"]',
        "ASSISTANT_RATE_LIMIT": "100000/minute",
    }
    results: list[Phase] = []
    try:
        if args.only != "current":
            old = baseline_tree(args.baseline, work / "baseline")
            launcher = f"import sys; sys.path.insert(0, {str(old)!r}); from assistant.cli import main; sys.exit(main())"
            server = Server(
                "baseline", [python, "-c", launcher, "serve"], old, {**common, **baseline_env(old, work)}, work
            )
            try:
                results += phases(server, args.seconds, questions)
            finally:
                server.stop()
        if args.only != "baseline":
            env = {**common, "ASSISTANT_STAFF_TOKEN": "bench-only"}
            server = Server("current", [python, "-m", "assistant.cli", "serve"], ROOT, env, work)
            try:
                results += phases(server, args.seconds, questions)
            finally:
                server.stop()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"{'server':<9} {'phase':<36} {'requests':>8} {'errors':>6} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8}")
    for r in results:
        print(f"{r.server:<9} {r.name:<36} {r.requests:>8} {r.errors:>6} {r.rps:>7} {r.p50_ms:>8} {r.p95_ms:>8}")
    by = {(r.server, r.name): r for r in results}
    ratios = {}
    for name in ("unique, 50 clients", "repeated, 50 clients"):
        if ("baseline", name) in by and ("current", name) in by:
            ratios[f"throughput ratio, {name}"] = round(
                by[("current", name)].rps / max(by[("baseline", name)].rps, 0.01), 2
            )
    for server in ("baseline", "current"):
        alone, mixed = by.get((server, "ordinary clients alone")), by.get((server, "ordinary clients beside 3 abusive"))
        if alone and mixed:
            ratios[f"p95 rise from 3 abusive clients, {server}"] = round(mixed.p95_ms / max(alone.p95_ms, 0.1), 2)
    for key, value in ratios.items():
        print(f"{key}: {value}")
    if args.report:
        Path(args.report).write_text(json.dumps({"phases": [asdict(r) for r in results], "ratios": ratios}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
