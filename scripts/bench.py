"""Benchmarks of the watcher: edit-to-disk latency and idle memory.

Each figure is measured on synthetic vaults of several sizes in the same run,
so the ratio between sizes (work ∝ change, not vault size) is the result
that matters more than the absolute numbers on a shared machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEBOUNCE = 1.0


def stub(i: int, rng: random.Random) -> str:
    dau = rng.choice(["1M", "10M", "50M", "100M", "300M"])
    comps = rng.sample(["cdn", "gateway", "cache", "nosql", "sql", "blob", "queue", "worker"], 4)
    return (f"---\ntags: [system-design/stub]\ntopic: Topic {i}\ndau: {dau}\nwrites: {rng.randint(1, 20)}/user/day\n"
            f"read-write-ratio: \"{rng.choice([5, 10, 100])}:1\"\nwrite-size: {rng.choice([200, 500, 1000])} B\n"
            f"components: [{', '.join(comps)}]\n---\nNotes for topic {i}.\n")


def plain(i: int, rng: random.Random) -> str:
    words = " ".join(rng.choice(["cache", "shard", "queue", "latency", "replica", "index"]) for _ in range(200))
    return f"---\ntags: [reading]\ncreated: 2026-01-{1 + i % 28:02d}\n---\n# Note {i}\n\n{words}\n\n[[Note {i + 1}]]\n"


def make_vault(root: Path, notes: int, seed: int = 1) -> None:
    """A vault of `notes` notes: 10% topics (expanded by a sync), the rest
    ordinary notes in nested folders, plus an attachment every 50 notes."""
    rng = random.Random(seed)
    (root / ".obsidian").mkdir(parents=True)
    (root / "vault-tools.yaml").write_text(f"debounce-seconds: {DEBOUNCE}\n")
    for i in range(notes):
        if i % 10 == 0:
            path = root / "Topics" / f"Topic {i}.md"
            text = stub(i, rng)
        else:
            path = root / f"Notes/{i % 37}/{i % 5}/Note {i}.md"
            text = plain(i, rng)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        if i % 50 == 0:
            (path.parent / f"image {i}.png").write_bytes(os.urandom(2048))
    subprocess.run([sys.executable, "-m", "vault_tools", "sync", str(root)], check=True, capture_output=True)


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
            path.write_text(stub(100_000 + n, rng))
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--notes", default="100,10000", help="vault sizes, comma-separated")
    parser.add_argument("--edits", type=int, default=20, help="stubs written per vault")
    parser.add_argument("--record", action="store_true", help="append the results to BENCHMARKS.md")
    args = parser.parse_args()
    rows = []
    for size in [int(s) for s in args.notes.split(",")]:
        with tempfile.TemporaryDirectory() as folder:
            root = Path(folder) / "vault"
            make_vault(root, size)
            latencies, idle = watch_latency(root, args.edits)
            rows.append((size, statistics.median(latencies), p95(latencies), idle))
            print(f"{size:>6} notes: median {rows[-1][1]:.1f} ms, p95 {rows[-1][2]:.1f} ms, idle RSS {idle:.1f} MB",
                  flush=True)
    base = rows[0][1]
    table = ["| notes | edit → on disk, median (ms) | p95 (ms) | median ÷ smallest vault's | idle daemon RSS (MB) |",
             "|---:|---:|---:|---:|---:|"]
    table += [f"| {n:,} | {med:.1f} | {p:.1f} | {med / base:.2f} | {rss:.1f} |" for n, med, p, rss in rows]
    print("\n".join(table))
    if args.record:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                                text=True).stdout.strip()
        header = (f"\n### Watch latency and memory — {dt.date.today()} — commit {commit} — "
                  f"{os.cpu_count()} cores, {platform.python_implementation()} {platform.python_version()}\n\n"
                  f"Latency: a stub's last write → the expanded note on disk, minus the {DEBOUNCE:g} s quiet period; "
                  f"{args.edits} stubs per vault; 10% of notes are topics.\n\n")
        with open(ROOT / "BENCHMARKS.md", "a", encoding="utf-8") as out:
            out.write(header + "\n".join(table) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
