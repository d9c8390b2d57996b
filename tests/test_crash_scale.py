"""Crash consistency at scale: SIGKILL a `sync` of 1,000 notes at 50 random
moments; every file is old or new and whole; the next sync converges with
zero problems.

test_crash.py kills a small vault a dozen times; this one kills the starter
library plus 1,000 stubs (half with components, so that their expansion also
draws an Excalidraw companion; the library notes, which gather every topic,
are a run's last writes) 50 times. Most rounds go on from the state the last
kill left, stale temp files included; some start from the stubs again.

A killed run saves no stamp cache, so a run on from a kill re-renders what is
done before it writes on: restarts save little. The time is kept by where the
kills land instead: each is placed by the bytes the run has written (read from
/proc/PID/io), spread over the writes and leaning towards the start as much as
the budget needs on the machine at hand.
"""

import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path


import pytest
from helpers import stub

from vault_tools.create import init_vault
from vault_tools.scan import TEMP_FILE
from vault_tools.sync import sync

pytestmark = pytest.mark.slow  # the reliability campaign: scripts/test --fast leaves it out

STUBS = 1000
KILLS = 50
KILL_BUDGET = 60.0  # seconds of syncing before the kills, all rounds together (a target)
AIMED = 2  # of the kills, aimed at the library notes, the last writes of a run
COMPONENTS = ["[gateway, app, cache, sql]", "[cdn, gateway, app, nosql, queue]", "[app, sql]"]


def stub_text(i: int) -> str:
    props = {"dau": f"{i + 1}K", "writes": f"{i % 7 + 1}/user/day"}
    if i % 2:
        props["components"] = COMPONENTS[i % 3]
    if i % 5 == 0:
        props["deep_dives"] = "[Rate Limiting]"
        props["trade_offs"] = '["[[SQL vs NoSQL]]"]'
    return stub(f"note {i}, mine\n", **props)


def files(root: Path) -> dict[str, bytes]:
    """Every .md of the vault (drawings and library notes too), by path."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*.md")}


def temp_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if TEMP_FILE.match(p.name)]


def written_bytes(pid: int) -> int:
    """How many bytes the process has written so far: its progress through the writes."""
    try:
        with open(f"/proc/{pid}/io") as handle:
            return next(int(line.split()[1]) for line in handle if line.startswith("wchar:"))
    except (OSError, StopIteration, ValueError):
        return 0  # gone


def sync_killed(root: Path, *, written: float | None = None, after: float | None = None) -> subprocess.Popen:
    """A `sync` subprocess, SIGKILLed once it has written `written` bytes (or
    after `after` seconds); returns it ended, killed or finished first."""
    process = subprocess.Popen([sys.executable, "-m", "vault_tools", "sync", str(root)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if after is not None:
        time.sleep(after)
    while written is not None and process.poll() is None and written_bytes(process.pid) < written:
        time.sleep(0.002)
    if process.poll() is None:
        process.send_signal(signal.SIGKILL)
    process.wait()
    return process


def restore(root: Path, old: dict[str, bytes], now: dict[str, bytes]) -> None:
    """Back to the stubs, as a person reverting the vault would: stale temp
    files and the stamp cache stay (the next sync must cope with both)."""
    for path, data in now.items():
        if path not in old:
            (root / path).unlink()
        elif data != old[path]:
            (root / path).write_bytes(old[path])


def test_sigkill_a_sync_of_a_thousand_notes_fifty_times(tmp_path):
    root = tmp_path / "vault"
    init_vault(root)
    for i in range(STUBS):
        (root / f"Topics/t{i:04d}.md").write_text(stub_text(i))
    old = files(root)

    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "vault_tools", "--version"], check=True, capture_output=True)
    startup = time.perf_counter() - started
    expected_root = tmp_path / "expected"
    shutil.copytree(root, expected_root)
    # The reference: a whole first sync, timed; its first write marks the end of
    # the interpreter's start and of the scan.
    process = subprocess.Popen([sys.executable, "-m", "vault_tools", "sync", str(expected_root)],
                               stdout=subprocess.DEVNULL)
    started, first_write = time.perf_counter(), None
    while process.poll() is None:
        if first_write is None and written_bytes(process.pid):
            first_write = time.perf_counter() - started
        time.sleep(0.002)
    full = time.perf_counter() - started
    assert process.returncode == 0 and first_write is not None
    new = files(expected_root)
    assert sync(expected_root).changes == [], "the reference vault is not settled"
    assert sync(expected_root).problems == []
    topics = [p for p in old if p.startswith("Topics/")]
    drawings = [p for p in new if p.endswith(".excalidraw.md")]
    library = [p for p in old if old[p] != new.get(p) and not p.startswith("Topics/")]
    assert len(drawings) >= STUBS // 2 and len(library) >= 10, (len(drawings), library)
    writing = full - first_write

    def left(now: dict[str, bytes], paths) -> int:
        """Bytes a run from `now` has still to write to these notes."""
        return sum(len(new[p]) for p in paths if now.get(p) != new[p])

    # Where each kill lands: every tenth before the first write (the interpreter's
    # start, the scan, the re-reading of what is done), two among the library notes
    # (a run's last writes), the others at a fraction f of the bytes the run has left
    # to write: f = u ** skew, u stratified over [0, 1] so that each part of the
    # writes gets its share, skewed towards the start just enough to keep the rounds
    # within KILL_BUDGET, whatever the speed of the machine and of the code.
    rng = random.Random(20261125)
    spread = [(j + rng.random()) / KILLS for j in range(KILLS)]
    rng.shuffle(spread)
    ends = time.monotonic() + KILL_BUDGET

    kills = finished = mixed = mid_write = library_new = rounds = restored = 0
    now = old
    while kills < KILLS:
        rounds += 1
        assert rounds <= KILLS * 2, f"only {kills} of {rounds} syncs could be killed"
        done = sum(now[p] == new[p] for p in topics) / len(topics)
        # Mostly on from the last kill, sometimes from the stubs again; from the stubs
        # too once half is done (a run re-renders what is done before it writes on).
        if now == new or rng.random() < 0.2 or done > 0.5:
            restore(root, old, now)
            now, done, restored = old, 0.0, restored + 1
        before = now
        if kills % 10 == 9:
            process = sync_killed(root, after=rng.uniform(0, first_write))
        elif kills % (KILLS // AIMED) == KILLS // AIMED - 3:
            process = sync_killed(root, written=left(now, drawings + topics) + rng.random() * left(now, library))
        else:
            allowance = max(ends - time.monotonic(), 0) / (KILLS - kills)
            mean = (allowance - first_write - 0.65 * done * writing) / ((1 - done) * writing)
            mean = min(max(mean, 0.03), 0.5)
            f = spread[kills] ** (1 / mean - 1)
            process = sync_killed(root, written=max(f * left(now, new), 2 * len(new[topics[-1]])))
        if process.returncode == -signal.SIGKILL:
            kills += 1
        else:
            finished += 1
        now = files(root)
        for path, data in now.items():
            assert data in (old.get(path), new.get(path)), f"{path} is torn: neither its old nor its new bytes"
        assert set(old) <= set(now), "a note disappeared"
        if process.returncode == -signal.SIGKILL:
            if now != before:  # killed while writing
                mixed += any(now[p] == old[p] for p in topics) and any(now[p] == new[p] for p in topics)
                mid_write += any(f"-{process.pid}-" in p.name for p in temp_files(root))
                library_new += any(now[p] == new[p] for p in library) and any(now[p] == old[p] for p in library)
        else:
            assert process.returncode == 0 and now == new

    assert kills == KILLS
    assert mixed >= KILLS // 2, f"only {mixed} kills landed among the writes (some topics old, some new)"
    assert library_new >= 1, "no kill landed among the library writes"

    report = sync(root)
    assert report.problems == []
    assert files(root) == new
    assert temp_files(root) == [], "temp files left behind"
    assert sync(root).changes == []
    print(f"\n{STUBS} stubs, {len(new)} notes after: first sync {full:.1f} s, startup {startup:.2f} s, first write "
          f"at {first_write:.2f} s; {kills} kills in {rounds} rounds ({finished} finished first, "
          f"{restored} from the stubs): {mixed} among the "
          f"writes, leaving some topics old and some new, {mid_write} left a temp file (killed inside a write), "
          f"{library_new} among the library writes")
