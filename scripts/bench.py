"""Benchmarks against baselines measured in the same run.

For each vault size (synthetic vaults from `synthvault.py`):

- cold `sync` (no stamp cache, nothing to write) ÷ the raw floor: a loop that
  only reads every `.md` file's bytes;
- no-op `sync` (stamp cache, nothing changed) ÷ a bare `os.scandir` + stat walk;
- our indexing ÷ `obsidiantools` (`Vault(path).connect().gather()`), where
  "ours" is a whole cold `sync --dry-run`: indexing plus rendering every topic;
- peak RSS of `sync`, and of the idle daemon;
- a stub's save → expanded on disk in watch mode, minus the quiet period.

Every timed figure is the median of several runs, each in a fresh process
(`--child` below), so memory figures are per run and nothing is shared. The
ratios are the results to compare across machines; absolute times move with
the load of a shared machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import synthvault  # noqa: E402

DEBOUNCE = 1.0
CACHE = ".vault-tools/index.json"


# -- what each child process measures ---------------------------------------------


def floor(root: Path) -> None:
    """Read every `.md` file's bytes, and nothing else."""
    for folder, _, files in os.walk(root):
        for name in files:
            if name.endswith(".md"):
                with open(os.path.join(folder, name), "rb") as handle:
                    handle.read()


def walk(root: Path) -> None:
    """A bare scandir + stat of every `.md` file."""
    stack = [str(root)]
    while stack:
        for item in os.scandir(stack.pop()):
            if item.is_dir(follow_symlinks=False):
                stack.append(item.path)
            elif item.name.endswith(".md"):
                item.stat()


def our_sync(apply: bool = True):
    from vault_tools.sync import sync

    def run(root: Path) -> None:
        report = sync(root, apply=apply)
        if report.changes or report.problems:
            raise RuntimeError(f"expected nothing to do: {len(report.changes)} changes, "
                               f"{len(report.problems)} problems")

    return run


def obsidiantools():
    import obsidiantools.api as otools

    return lambda root: otools.Vault(root).connect().gather()


def child(kind: str, root: Path) -> dict:
    """Run one measurement in this process: its time (s) and peak RSS (MB).
    Modules are imported before the clock starts, ours and theirs alike."""
    task = {"floor": lambda: floor, "walk": lambda: walk, "cold": our_sync, "noop": our_sync,
            "index": lambda: our_sync(apply=False), "obsidiantools": obsidiantools}[kind]()
    if kind in ("cold", "index"):
        (root / CACHE).unlink(missing_ok=True)
    started = time.perf_counter()
    task(root)
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "rss_mb": peak_rss_mb()}


def peak_rss_mb() -> float:
    """This process's peak RSS. Not `ru_maxrss`: Linux carries the parent's
    peak over into a child, and the parent here built the vault."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(kind: str, root: Path, runs: int, timeout: float | None = None) -> tuple[float, float]:
    """Median seconds and the largest peak RSS (MB) over `runs` fresh processes;
    a run stopped at `timeout` counts as infinitely slow."""
    results = []
    for _ in range(runs):
        try:
            out = subprocess.run([sys.executable, __file__, "--child", kind, str(root)], check=True,
                                 capture_output=True, text=True, timeout=timeout).stdout
        except subprocess.TimeoutExpired:
            results.append({"seconds": float("inf"), "rss_mb": float("nan")})
            continue
        results.append(json.loads(out.strip().splitlines()[-1]))
    return statistics.median(r["seconds"] for r in results), max(r["rss_mb"] for r in results)


# -- watch mode -------------------------------------------------------------------------


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def wait_for(predicate, timeout: float, step: float = 0.001) -> float | None:
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        if predicate():
            return time.perf_counter()
        time.sleep(step)
    return None


def watch_latency(root: Path, edits: int) -> tuple[list[float], float]:
    """Latencies (ms, quiet period subtracted) of stub → expanded on disk, and idle RSS (MB)."""
    (root / "vault-tools.yaml").write_text(f"debounce-seconds: {DEBOUNCE}\n")
    daemon = subprocess.Popen([sys.executable, "-m", "vault_tools", "watch", str(root)],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        for line in daemon.stdout:  # wait for the catch-up sync to end
            if "catch-up sync" in line:
                break
        threading.Thread(target=lambda: [None for _ in daemon.stdout], daemon=True).start()  # keep draining
        time.sleep(2)  # idle
        idle_rss = rss_mb(daemon.pid)
        latencies = []
        rng = random.Random(7)
        for n in range(edits):
            path = root / "Topics" / f"Bench {n}.md"
            path.write_text(synthvault.stub(100_000 + n, rng))
            written = time.perf_counter()
            done = wait_for(lambda: b"system-design/topic" in path.read_bytes(), 30)
            if done is None:
                raise RuntimeError(f"{path.name} was not expanded within 30 s")
            latencies.append((done - written - DEBOUNCE) * 1000)
            time.sleep(0.2)
        return latencies, idle_rss
    finally:
        daemon.terminate()
        daemon.wait(timeout=10)


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) >= 2 else values[0]


# -- one vault size -----------------------------------------------------------------------


def bench_size(size: int, args) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "vault"
        counts = synthvault.make(root, size)
        row = {"size": size, "markdown": counts["markdown"], "topics": counts["topics"]}
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "vault_tools", "sync", str(root)], check=True, capture_output=True)
        row["first"] = time.perf_counter() - started  # expands the stubs: once, it changes the vault
        row["markdown"] = sum(1 for _ in root.rglob("*.md"))
        if "sync" in args.only:
            row["floor"], _ = measure("floor", root, args.runs)
            row["walk"], _ = measure("walk", root, args.runs)
            row["cold"], row["cold_rss"] = measure("cold", root, args.runs)
            row["noop"], row["noop_rss"] = measure("noop", root, args.runs)
            # The same vault without its topics (and their drawings): what a
            # cold sync costs for the notes that are not ours to render.
            plain = Path(folder) / "without topics"
            shutil.copytree(root, plain, symlinks=True)
            shutil.rmtree(plain / "Topics")
            subprocess.run([sys.executable, "-m", "vault_tools", "sync", str(plain)], check=True, capture_output=True)
            row["plain_notes"] = sum(1 for _ in plain.rglob("*.md"))
            row["plain_floor"], _ = measure("floor", plain, args.runs)
            row["plain_cold"], _ = measure("cold", plain, args.runs)
            shutil.rmtree(plain)
        if "index" in args.only:
            row["index"], _ = measure("index", root, args.runs)
            tools_runs = 1 if size >= 1_000 else min(args.runs, 3)
            row["obsidiantools"], _ = measure("obsidiantools", root, tools_runs, args.baseline_timeout)
        if "watch" in args.only:
            latencies, row["idle_rss"] = watch_latency(root, args.edits)
            row["latency"], row["latency_p95"] = statistics.median(latencies), p95(latencies)
        print(json.dumps({k: round(v, 4) if isinstance(v, float) else v for k, v in row.items()}), flush=True)
        return row


def tables(rows: list[dict], args) -> str:
    out = []
    base = rows[0]
    if "sync" in args.only:
        out += ["| notes (.md files) | topics | floor: read all (s) | cold sync (s) | cold ÷ floor "
                "| scandir walk (s) | no-op sync (s) | no-op ÷ walk | peak RSS cold / no-op (MB) |",
                "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
        out += [f"| {r['markdown']:,} | {r['topics']:,} | {r['floor']:.3f} | {r['cold']:.3f} | "
                f"**{r['cold'] / r['floor']:.1f}×** | {r['walk']:.3f} | {r['noop']:.3f} | "
                f"**{r['noop'] / r['walk']:.1f}×** | {r['cold_rss']:.0f} / {r['noop_rss']:.0f} |" for r in rows]
        out += ["", "The same vaults without their topics — the notes that are not ours to render:", "",
                "| notes (.md files) | floor: read all (s) | cold sync (s) | cold ÷ floor |", "|---:|---:|---:|---:|"]
        out += [f"| {r['plain_notes']:,} | {r['plain_floor']:.3f} | {r['plain_cold']:.3f} | "
                f"**{r['plain_cold'] / r['plain_floor']:.1f}×** |" for r in rows]
        out += ["", "Growth from the smallest vault (×; the note count grew "
                + ", ".join(f"{r['markdown'] / base['markdown']:.0f}×" for r in rows[1:]) + "):", "",
                "| notes | floor | cold sync | no-op sync | first sync (expands the stubs, one run) |",
                "|---:|---:|---:|---:|---:|"]
        out += [f"| {r['markdown']:,} | {r['floor'] / base['floor']:.1f}× | {r['cold'] / base['cold']:.1f}× | "
                f"{r['noop'] / base['noop']:.1f}× | {r['first']:.2f} s ({r['first'] / base['first']:.1f}×) |"
                for r in rows]
    if "index" in args.only:
        out += ["", "| notes | obsidiantools connect+gather (s) | ours: cold sync --dry-run (s) | ours is faster by |",
                "|---:|---:|---:|---:|"]
        out += [f"| {r['markdown']:,} | {r['obsidiantools']:.2f} | {r['index']:.2f} | "
                f"**{r['obsidiantools'] / r['index']:.1f}×** |" if r["obsidiantools"] != float("inf") else
                f"| {r['markdown']:,} | stopped after {args.baseline_timeout:.0f} | {r['index']:.2f} | "
                f"**over {args.baseline_timeout / r['index']:.0f}×** |" for r in rows]
    if "watch" in args.only:
        out += ["", "| notes | save → on disk, median (ms) | p95 (ms) | median ÷ smallest vault's "
                "| idle daemon RSS (MB) |", "|---:|---:|---:|---:|---:|"]
        out += [f"| {r['markdown']:,} | {r['latency']:.1f} | {r['latency_p95']:.1f} | "
                f"**{r['latency'] / base['latency']:.2f}** | {r['idle_rss']:.1f} |" for r in rows]
    return "\n".join(out)


def main() -> int:
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        print(json.dumps(child(sys.argv[2], Path(sys.argv[3]))))
        return 0
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--notes", default="100,1000,10000", help="vault sizes, comma-separated")
    parser.add_argument("--runs", type=int, default=5, help="runs per timed figure (the median is kept)")
    parser.add_argument("--edits", type=int, default=20, help="stubs saved per vault in watch mode")
    parser.add_argument("--only", default="sync,index,watch", help="which benchmarks: sync,index,watch")
    parser.add_argument("--baseline-timeout", type=float, default=600,
                        help="seconds after which an obsidiantools run is stopped (its figure is then a bound)")
    parser.add_argument("--record", action="store_true", help="append the results to BENCHMARKS.md")
    parser.add_argument("--profile", type=int, metavar="NOTES",
                        help="instead: profile a cold sync of a vault of NOTES notes (pyinstrument)")
    args = parser.parse_args()
    if args.profile:
        return profile(args.profile)
    args.only = set(args.only.split(","))
    if "index" in args.only and not _has("obsidiantools"):
        parser.error("obsidiantools is not installed: scripts/bench installs it (the bench extra)")
    rows = [bench_size(int(size), args) for size in args.notes.split(",")]
    table = tables(rows, args)
    print(table)
    if args.record:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                                text=True).stdout.strip()
        header = (f"\n### {dt.date.today()} — commit {commit} — {os.cpu_count()} cores, "
                  f"{platform.python_implementation()} {platform.python_version()} — "
                  f"median of {args.runs} runs\n\n")
        with open(ROOT / "BENCHMARKS.md", "a", encoding="utf-8") as out:
            out.write(header + table + "\n")
    return 0


def profile(size: int) -> int:
    """Where a cold sync spends its time, as a call tree."""
    from pyinstrument import Profiler

    from vault_tools.sync import sync

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "vault"
        synthvault.make(root, size)
        sync(root)
        (root / CACHE).unlink()
        profiler = Profiler(interval=0.001)
        with profiler:
            sync(root)
        print(profiler.output_text(color=False, unicode=True))
    return 0


def _has(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module) is not None


if __name__ == "__main__":
    sys.exit(main())
