"""Load: the daemon under a storm — 5,000+ file events in a few seconds
(creates, edits, renames, deletes) — loses nothing, expands each stub once,
keeps its memory bounded, then goes quiet.

The real daemon runs as a subprocess (`python -m vault_tools watch --verbose`)
so that its memory can be read from /proc and its log counted: each write it
makes is one log line (`expanded PATH — 13 sections`, `drawn PATH`, ...).
Two smaller tests run the watcher in-process, to see what each of its runs is
given: the events of its own writes are recognised (no second render), and an
edit undone back to the daemon's own bytes is still followed.
"""

import contextlib
import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path, PurePosixPath


import pytest
from helpers import DEBOUNCE, running, stamp_snapshot, stub, wait_until

from vault_tools.create import init_vault
from vault_tools.scan import TEMP_FILE

pytestmark = pytest.mark.slow  # the reliability campaign: scripts/test --fast leaves it out

WAVES = 10  # the storm comes in waves, each shorter than the quiet period
WAVE_SECONDS = 0.25
NEW_STUBS = 1000  # per storm
POOL_TOPICS = 250  # per storm: stubs the catch-up sync expands, then edited, renamed, deleted
POOL_NOTES = 300  # per storm: ordinary notes, edited, renamed, deleted
PIECES = 8
COMPONENTS = "[gateway, app, cache, sql]"
# The daemon idles at ~51 MB on a 10,000-note vault (BENCHMARKS.md); this one ends at ~4,000
# notes. 150 MB leaves room for a busy moment, while holding on to what the storms wrote
# (2,000 topics of ~25 KB, before and after, plus drawings) would pass it.
PEAK_RSS_MB = 150
IDLE_GROWTH = 1.5  # idle RSS after the second storm ÷ after the first
QUIET_SECONDS = 5.0
CACHE_TRADE_OFF = "Trade-offs/Cache-Aside vs Write-Through vs Write-Behind.md"
PREFILLED = "| Cache-aside | simplest; the database stays the source of truth |"  # §12's choice, as written
MY_CHOICE = "| Write-through | my own reason |"
WRITE_LINE = re.compile(r"^\d\d:\d\d:\d\d (expanded|updated|drawn|redrawn|created) (.+?\.md)(?: — 13 sections)?"
                        r"(?:, \d+ ms)?$")


# -- the daemon ---------------------------------------------------------------------------------


class Daemon:
    def __init__(self, root: Path, logs: Path):
        self.out, self.err = logs / "watch.out", logs / "watch.err"
        with open(self.out, "wb") as out, open(self.err, "wb") as err:
            self.process = subprocess.Popen([sys.executable, "-m", "vault_tools", "watch", str(root), "--verbose"],
                                            stdout=out, stderr=err)

    def log(self) -> list[str]:
        return self.out.read_text(encoding="utf-8").splitlines()

    def writes(self, since: int = 0) -> list[tuple[str, str]]:
        """(action, path) of each write the daemon logged, from log line `since` on."""
        return [(m[1], m[2]) for line in self.log()[since:] if (m := WRITE_LINE.match(line))]

    def status(self, key: str) -> float:
        """A /proc/PID/status figure in MB (VmRSS, VmHWM)."""
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024
        raise KeyError(key)

    def cpu(self) -> float:
        """CPU seconds used so far, all threads."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rpartition(")")[2].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def settle(self, done, timeout: float = 150.0, calm: float = 1.5) -> None:
        """Wait until `done()` holds and the daemon has neither logged nor
        used CPU to speak of for `calm` seconds."""
        deadline = time.monotonic() + timeout
        last = (-1, -1.0)
        calm_since = time.monotonic()
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"the daemon died: {self.err.read_text()}"
            now = (self.out.stat().st_size, self.cpu())
            if now[0] != last[0] or now[1] - last[1] > 0.05:
                calm_since = time.monotonic()
            last = now
            if time.monotonic() - calm_since >= calm and done():
                return
            time.sleep(0.25)
        raise AssertionError("the daemon did not settle")


# -- notes ----------------------------------------------------------------------------------


def headings(root: Path) -> list[str]:
    """`## 1. System Overview` ... from the vault's section templates."""
    names = sorted(p.stem for p in (root / "Templates/Sections").glob("*.md"))
    assert len(names) == 13
    return [f"## {int(name[:2])}. {name[3:]}" for name in names]


def read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None


def expanded_once(path: Path, sections: list[str], own=(), shown=()) -> bool:
    """A topic now, its 13 sections each once, the person's texts `own` each
    once (not doubled by a second expansion), the generated lines `shown` in it."""
    text = read(path)
    if text is None or not text.startswith("---\ntags: [system-design/topic]\n"):
        return False
    return ("system-design/stub" not in text and all(text.count(f"\n{h}\n") == 1 for h in sections)
            and all(text.count(mine) == 1 for mine in own) and all(line in text for line in shown))


class Storm:
    """One storm's file operations, and what the vault must hold after it."""

    def __init__(self, root: Path, generation: int, sections: list[str]):
        self.root, self.g, self.sections = root, generation, sections
        self.events = 0  # each create, write, truncate, rename, unlink
        self.plain: dict[str, bytes] = {}  # ordinary notes: exactly these bytes
        self.topics: dict[str, tuple[list[str], list[str]]] = {}  # expanded once, with the person's
        # texts (each once) and generated ones (rendered from the note's current name and numbers)
        self.drawings: set[str] = set()  # must exist
        self.removed: set[str] = set()  # deleted or renamed away: must not exist
        self.stubs: dict[int, list[str]] = {}  # new stub → its names, first to last
        self.kept: set[int] = set()  # new stubs that survive
        self.gaps: dict[int, float] = {}  # new stub renamed or deleted: seconds after its last write
        self.drawn: set[str] = set()  # drawings of new stubs: drawn exactly once
        self.undone: dict[str, tuple[int, bytes]] = {}  # topics deleted, to be put back as they were
        self.reverted: dict[str, tuple[int, bytes]] = {}  # topics whose §12 choice changes, then back
        self.choices: dict[str, str] = {}  # topic → its row in the trade-off note

    # the vault before the daemon starts
    def seed(self) -> None:
        for j in range(POOL_TOPICS):
            path = self.root / self.pool(j)
            path.write_text(stub(f"pool {self.g}-{j}, mine\n", dau=f"{j + 1}M", components=COMPONENTS))
        for i in range(POOL_NOTES):
            (self.root / self.note(i)).write_text(f"# Note {self.g}-{i}\n\nSomething I wrote.\n")

    def pool(self, j: int) -> str:
        return f"Topics/g{self.g}s{j:03d}.md"

    def note(self, i: int) -> str:
        return f"Notes/g{self.g}n{i:03d}.md"

    # operations, each counted
    def _create(self, rel: str, text: str) -> None:
        with open(self.root / rel, "x", encoding="utf-8") as handle:
            handle.write(text)
        self.events += 2

    def _via_temp(self, rel: str, text: str) -> None:
        """Save as many editors do: a temp file beside the note, renamed over it."""
        path = self.root / rel
        temp = path.with_name(f".{path.name}.swp")
        self._create(temp.relative_to(self.root).as_posix(), text)
        os.replace(temp, path)
        self.events += 1

    def _rewrite(self, rel: str, text: str) -> None:
        with open(self.root / rel, "w", encoding="utf-8") as handle:  # truncate, then write
            handle.write(text)
        self.events += 2

    def _append(self, rel: str, text: str) -> None:
        with open(self.root / rel, "a", encoding="utf-8") as handle:
            handle.write(text)
        self.events += 1

    def _rename(self, src: str, dst: str) -> None:
        assert not (self.root / dst).exists()
        os.rename(self.root / src, self.root / dst)
        self.events += 1
        self.removed.add(src)
        self.removed.discard(dst)

    def _delete(self, rel: str) -> None:
        (self.root / rel).unlink()
        self.events += 1
        self.removed.add(rel)

    # the storm
    def run(self) -> float:
        started = time.monotonic()
        for wave in range(WAVES):
            wave_started = time.monotonic()
            self._wave(wave)
            time.sleep(max(0.0, WAVE_SECONDS - (time.monotonic() - wave_started)))
        return time.monotonic() - started

    def _wave(self, wave: int) -> None:
        per_wave = NEW_STUBS // WAVES
        ks = range(wave * per_wave, (wave + 1) * per_wave)
        notes = range(wave * POOL_NOTES // WAVES, (wave + 1) * POOL_NOTES // WAVES)
        for i in notes:  # ordinary notes: a first edit
            if i % 6 in (1, 2, 3):
                self._append(self.note(i), f"\nedit 1 of storm {self.g}\n")
        written = self._new_stubs(ks)
        for k in ks:  # some new stubs move or go before their quiet period ends
            fate = (k // 10) % 20
            if fate < 4:
                name = self.stubs[k][0]
                target = (f"Topics/g{self.g}t{k:04d} renamed.md" if fate % 2 else
                          f"{'Designs' if k % 3 else 'Inbox'}/g{self.g}t{k:04d} moved.md")
                self.gaps[k] = time.monotonic() - written[k]
                self._rename(name, target)
                self.stubs[k].append(target)
            elif fate < 7:
                self.gaps[k] = time.monotonic() - written[k]
                self._delete(self.stubs[k][0])
                self.kept.discard(k)
        for j in range(wave * POOL_TOPICS // WAVES, (wave + 1) * POOL_TOPICS // WAVES):
            self._pool_topic(j)
        for i in notes:
            self._ordinary_note(i)

    def _new_stubs(self, ks: range) -> dict[int, float]:
        """Create stubs: some typed in pieces, some saved by temp file and
        rename, some written at once. Returns when each was last written."""
        folders = ("Topics", "Topics", "Designs", "Inbox")
        texts, written = {}, {}
        for k in ks:
            fate = (k // 10) % 20
            props = {"dau": f"{k + 1}K"}
            if fate >= 7 and k % 2 == 0:  # only notes that stay put get drawings
                props["components"] = COMPONENTS
            rel = f"{folders[k % 4]}/g{self.g}t{k:04d}.md"
            texts[k] = stub(f"storm {self.g} stub {k}, mine\n", **props)
            self.stubs[k] = [rel]
            self.kept.add(k)
            if "components" in props:
                self.drawn.add(rel.removesuffix(".md") + ".excalidraw.md")
        typed = [k for k in ks if k % 10 < 3]
        handles = {k: open(self.root / self.stubs[k][0], "x", encoding="utf-8") for k in typed}
        self.events += len(handles)
        try:
            pieces = {k: _pieces(texts[k]) for k in typed}
            for piece in range(PIECES):  # interleaved: each note's pieces come milliseconds apart
                for k in typed:
                    handles[k].write(pieces[k][piece])
                    handles[k].flush()
                    self.events += 1
                    if piece == PIECES - 1:
                        written[k] = time.monotonic()
        finally:
            for handle in handles.values():
                handle.close()
        for k in ks:
            if k % 10 < 3:
                continue
            if k % 10 < 6:
                self._via_temp(self.stubs[k][0], texts[k])
            else:
                self._create(self.stubs[k][0], texts[k])
            written[k] = time.monotonic()
        return written

    def _pool_topic(self, j: int) -> None:
        rel = self.pool(j)
        kind = j % 10
        if kind < 4:  # the person's own text, above and below the sections; sometimes a number
            text = read(self.root / rel)
            mine = f"pool {self.g}-{j}, mine, edited in the storm\n"
            answer = f"\nMy answer {self.g}-{j}.\n"
            text = text.replace(f"pool {self.g}-{j}, mine\n", mine) + answer
            shown = []
            if kind == 0:
                text = text.replace(f"dau: {j + 1}M\n", f"dau: {j + 101}M\n")
                shown.append(f"| Daily active users | {j + 101}M |")
            (self._rewrite if j % 2 else self._via_temp)(rel, text)
            self.topics[rel] = ([mine, answer], shown)
        elif kind < 8:  # renamed, in its folder or to another
            name = f"g{self.g}s{j:03d} renamed" if kind < 6 else f"g{self.g}s{j:03d}"
            target = f"Topics/{name}.md" if kind < 6 else f"{'Designs' if kind == 6 else 'Topics/Archive'}/{name}.md"
            self._rename(rel, target)
            self.topics[target] = ([f"pool {self.g}-{j}, mine\n"], [f"| Topic | {name} |"])
            self.drawings.add(target.removesuffix(".md") + ".excalidraw.md")  # drawn anew beside it
        elif kind == 8:
            if (j // 10) % 2 == 0:
                self.undone[rel] = (j, (self.root / rel).read_bytes())
            self._delete(rel)
        elif (j // 10) % 2 == 0:  # a choice of §12 changed: the trade-off note follows; undone later
            data = (self.root / rel).read_bytes()
            assert PREFILLED.encode() in data
            self._rewrite(rel, data.decode("utf-8").replace(PREFILLED, MY_CHOICE))
            self.reverted[rel] = (j, data)
            self.topics[rel] = ([f"pool {self.g}-{j}, mine\n", MY_CHOICE], [])
            self.choices[rel] = MY_CHOICE
        else:
            self.topics[rel] = ([f"pool {self.g}-{j}, mine\n"], [])

    def _ordinary_note(self, i: int) -> None:
        rel = self.note(i)
        kind = i % 6
        if kind == 0:
            self._delete(rel)
            return
        if kind in (1, 2, 3):
            self._append(rel, f"edit 2 of storm {self.g}\n")
            self._append(rel, "edit 3, the last\n")
        elif kind == 4:
            text = read(self.root / rel)
            self._via_temp(rel, text + "rewritten once\n")
            self._via_temp(rel, text + "rewritten twice\n")
        else:
            target = f"Inbox/g{self.g}n{i:03d} moved.md"
            self._rename(rel, target)
            rel = target
        self.plain[rel] = (self.root / rel).read_bytes()

    def undo(self) -> None:
        """Put deleted topics back, byte for byte, once the daemon has seen them go
        (as the trash's restore, git or an undo do): they are topics again. And
        undo the §12 edits: the notes are again exactly what the daemon wrote."""
        for rel, (j, data) in self.undone.items():
            self._create(rel, data.decode("utf-8"))
            self.removed.discard(rel)
            self.topics[rel] = ([f"pool {self.g}-{j}, mine\n"], [])
        for rel, (j, data) in self.reverted.items():  # back to the daemon's own bytes
            self._rewrite(rel, data.decode("utf-8"))
            self.topics[rel] = ([f"pool {self.g}-{j}, mine\n", PREFILLED], [])
            self.choices[rel] = PREFILLED

    # what must hold
    def done(self) -> bool:
        return all(self._expanded(self.stubs[k][-1], [f"storm {self.g} stub {k}, mine\n"]) for k in self.kept)

    def _expanded(self, rel: str, own=(), shown=()) -> bool:
        return expanded_once(self.root / rel, self.sections, own, shown)

    def check(self, writes: list[tuple[str, str]] | None) -> dict[str, int]:
        """Assert the vault holds what this storm left; `writes` are the
        daemon's logged writes since the storm began (None: the files only)."""
        logged = writes is not None
        expanded = Counter(path for action, path in writes or [] if action == "expanded")
        drawn = Counter(path for action, path in writes or [] if action in ("drawn", "redrawn"))
        ours = {name for names in self.stubs.values() for name in names}
        assert set(expanded) <= ours, f"expanded what was no stub: {sorted(set(expanded) - ours)[:5]}"
        quick = 0
        for k, names in self.stubs.items():
            times = sum(expanded[name] for name in names)
            early = self.gaps.get(k, 0.0) < DEBOUNCE / 2  # moved or deleted well inside the quiet period
            quick += k in self.gaps and early
            if k in self.kept:
                own = [f"storm {self.g} stub {k}, mine\n"]
                assert self._expanded(names[-1], own), f"{names[-1]} is not expanded exactly once"
                assert times == 1 or not logged, f"{names} expanded {times} times"
                if early and logged:
                    assert expanded[names[-1]] == 1, f"{names[0]} was expanded before its quiet period ended"
            else:
                assert not (self.root / names[0]).exists(), f"deleted {names[0]} is back"
                if early and logged:
                    assert times == 0, f"{names[0]}, deleted inside its quiet period, was expanded"
        for rel in self.drawn:
            assert (self.root / rel).is_file(), f"{rel} was not drawn"
            assert drawn[rel] == 1 or not logged, f"{rel} drawn {drawn[rel]} times"
        for rel, (own, shown) in self.topics.items():
            assert self._expanded(rel, own, shown), f"{rel}: the person's edit is lost or the note is not whole"
            assert expanded[rel] == 0, f"{rel}, a topic already, was expanded again"
        for rel, data in self.plain.items():
            assert (self.root / rel).read_bytes() == data, f"{rel}: the person's edit was not kept"
        for rel in self.removed:
            assert not (self.root / rel).exists(), f"{rel} is back"
        for rel in self.drawings:
            assert (self.root / rel).is_file(), f"{rel} was not drawn"
        # The notes that gather every topic follow the creates, renames and deletions.
        table = read(self.root / "Capacity/Capacity across topics.md")
        rows = {line.split("]]")[0].removeprefix("| [[") for line in table.splitlines() if line.startswith("| [[")}
        here = {PurePosixPath(rel).stem for rel in [*self.topics, *(self.stubs[k][-1] for k in self.kept)]}
        gone = {PurePosixPath(rel).stem for rel in self.removed} - here  # (moved to another folder: here)
        assert here <= rows, f"missing from the capacity table: {sorted(here - rows)[:5]}"
        assert not gone & rows, f"gone, still in the capacity table: {sorted(gone & rows)[:5]}"
        trade_off = read(self.root / CACHE_TRADE_OFF)
        for rel, choice in self.choices.items():
            assert f"| [[{PurePosixPath(rel).stem}]] {choice}" in trade_off, f"{rel}: its choice is not followed"
        return {"quick": quick}

    def added(self) -> set[str]:
        """Paths this storm made, that must exist now."""
        stubs = {self.stubs[k][-1] for k in self.kept}
        return stubs | self.drawn | set(self.topics) | set(self.plain) | self.drawings


def _pieces(text: str) -> list[str]:
    """The text in PIECES pieces; the frontmatter's closing line comes in the
    last one, so that no prefix is a whole stub."""
    closing = text.index("\n---\n") + 1
    head, tail = text[:closing], text[closing:]
    size = -(-len(head) // (PIECES - 1))
    parts = [head[n * size:(n + 1) * size] for n in range(PIECES - 1)]
    return parts + [tail]


# -- the test ---------------------------------------------------------------------------------


def notes(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*.md") if ".vault-tools" not in p.parts}


def strays(root: Path) -> list[str]:
    """Temp files (ours or an editor's) and anything else that is no note."""
    found = []
    for path in root.rglob("*"):
        rel = path.relative_to(root)
        if path.is_dir() or rel.parts[0] == ".obsidian":
            continue
        if TEMP_FILE.match(path.name) or path.name.endswith(".swp"):
            found.append(rel.as_posix())
        elif rel.parts[0] == ".vault-tools":
            if path.name not in ("watch.lock", "index.json"):
                found.append(rel.as_posix())
        elif path.suffix != ".md" and rel.as_posix() != "vault-tools.yaml":
            found.append(rel.as_posix())
    return found


def test_a_storm_of_file_events(tmp_path):
    root = tmp_path / "vault"
    init_vault(root)
    (root / "vault-tools.yaml").write_text(f"debounce-seconds: {DEBOUNCE}\n")
    for folder in ("Designs", "Inbox", "Notes", "Topics/Archive"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    sections = headings(root)
    storms = [Storm(root, g, sections) for g in range(2)]
    for storm in storms:
        storm.seed()

    daemon = Daemon(root, tmp_path)
    try:
        daemon.settle(lambda: any("catch-up sync:" in line for line in daemon.log()), timeout=120)
        for storm in storms:
            assert all(storm._expanded(storm.pool(j)) for j in range(POOL_TOPICS))
        assert not (root / "vault-tools Problems.md").exists()
        expected = notes(root)

        figures = []
        for storm in storms:
            since = len(daemon.log())
            seconds = storm.run()
            daemon.settle(storm.done)
            found = storm.check(daemon.writes(since))
            storm.undo()
            daemon.settle(lambda: True)
            storm.check(None)
            expected = (expected - storm.removed) | storm.added()
            assert notes(root) == expected, (f"missing {sorted(expected - notes(root))[:5]}, "
                                             f"unexpected {sorted(notes(root) - expected)[:5]}")
            assert strays(root) == []
            figures.append((storm.events, seconds, found["quick"], daemon.status("VmRSS")))
        for storm in storms:  # the second storm left the first one's results alone
            storm.check(None)

        peak = daemon.status("VmHWM")
        (events1, _, _, idle1), (events2, _, _, idle2) = figures
        assert min(events1, events2) >= 5000
        assert peak < PEAK_RSS_MB, f"peak RSS {peak:.0f} MB"
        assert idle2 <= IDLE_GROWTH * idle1, f"idle RSS grew from {idle1:.0f} to {idle2:.0f} MB across a storm"

        # Quiet: nothing in the vault changes, the daemon writes nothing and idles.
        before, lines, cpu = stamp_snapshot(root), len(daemon.log()), daemon.cpu()
        time.sleep(QUIET_SECONDS)
        assert stamp_snapshot(root) == before
        assert daemon.log()[lines:] == []
        assert daemon.cpu() - cpu < 0.1 * QUIET_SECONDS, "the daemon is busy with nothing to do"
    finally:
        daemon.process.send_signal(signal.SIGTERM)
        try:
            code = daemon.process.wait(timeout=30)
        finally:
            daemon.process.kill()
    assert code == 0
    log = "\n".join(daemon.log())
    assert "problem:" not in log and "error" not in log, log[-2000:]
    assert "Traceback" not in daemon.err.read_text()
    assert not (root / ".vault-tools/watch.lock").read_bytes()  # released
    print("\n" + "; ".join(f"storm {n + 1}: {events} events in {seconds:.1f} s ({quick} stubs moved or deleted "
                           f"inside their quiet period), idle RSS {idle:.0f} MB"
                           for n, (events, seconds, quick, idle) in enumerate(figures))
          + f"; peak RSS {peak:.0f} MB")


@contextlib.contextmanager
def watching(root: Path):
    """A Watcher on a thread, past its catch-up sync; yields the list of the
    paths each watch run was given (its own echoes among them, if any)."""
    with running(root) as written:
        assert written.caught_up.wait(timeout=60), "no catch-up sync"
        time.sleep(DEBOUNCE * 3)  # its echoes come and go
        yield written.processed


def test_the_daemons_own_writes_are_not_processed_again(tmp_path):
    """Each of the daemon's writes comes back as an event; it is recognised by
    its hash and costs no second render (under a storm that is half the work)."""
    root = tmp_path / "vault"
    init_vault(root)
    sections = headings(root)
    stubs = [f"Topics/burst {i:03d}.md" for i in range(100)]
    with watching(root) as processed:
        processed.clear()
        for i, rel in enumerate(stubs):
            (root / rel).write_text(stub(f"burst {i}, mine\n", dau=f"{i + 1}M", components=COMPONENTS))
        assert wait_until(lambda: all(expanded_once(root / rel, sections) for rel in stubs), timeout=90)
        time.sleep(DEBOUNCE * 5)  # the echoes of those writes come and go
    again = sorted(set(processed) - set(stubs))
    assert again == [], f"{len(again)} of the daemon's own writes processed again, e.g. {again[:3]}"
    assert sorted(processed) == stubs  # each stub once


def test_an_edit_read_by_a_full_sync_then_undone_is_followed(tmp_path):
    """A §12 choice changed (the daemon writes no topic for it, only the trade-off
    note), read by a full sync rather than by a watch run, then undone: the
    note's bytes are again the daemon's own, yet they are news, not an echo."""
    root = tmp_path / "vault"
    init_vault(root)
    (root / "Topics/A.md").write_text(stub("mine\n", components=COMPONENTS))
    trade_off = root / CACHE_TRADE_OFF
    with watching(root):
        ours = (root / "Topics/A.md").read_bytes()
        assert f"| [[A]] {PREFILLED}" in read(trade_off)
        (root / "vault-tools.yaml").write_text(f"debounce-seconds: {DEBOUNCE}\n")  # a full sync is due first
        (root / "Topics/A.md").write_text(ours.decode().replace(PREFILLED, MY_CHOICE))
        assert wait_until(lambda: f"| [[A]] {MY_CHOICE}" in read(trade_off), timeout=30)
        time.sleep(DEBOUNCE * 3)
        (root / "Topics/A.md").write_bytes(ours)
        assert wait_until(lambda: f"| [[A]] {PREFILLED}" in read(trade_off), timeout=DEBOUNCE * 10)
