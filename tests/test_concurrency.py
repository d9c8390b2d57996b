"""Concurrency: a separate process keeps editing notes, the way a person and
their editor do, while `sync` runs in a loop and then while the daemon runs.
No edit of that process is ever lost.

The editor process appends unique marker lines to the person's own text
(above the 13 sections, under a section heading, at the end of the note —
all outside live blocks) and changes `dau`, saving in place or by temp file
and rename, and logs each edit once it is saved. Afterwards, and after a
final sync, every logged marker is in its note exactly once, every note has
the last `dau` written and shows it, and every note is whole.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path


import pytest

from helpers import headings_of, make_vault, running, stub, wait_until

from vault_tools import blocks, write
from vault_tools.note import TOPIC, parse
from vault_tools.sections import HEADINGS
from vault_tools.settings import load_settings
from vault_tools.sync import sync

pytestmark = pytest.mark.slow  # the reliability campaign: scripts/test --fast leaves it out

EDIT_SECONDS = 6.0

# The editor: a separate process. Arguments: vault root, seconds, log path,
# seed, then the notes it edits. Each edit reads the note, changes it, saves
# it (in place, or temp file + rename like most editors) and only then logs it.
EDITOR = r'''
import json, os, random, re, sys, time
root, seconds, log_path, seed, notes = sys.argv[1], float(sys.argv[2]), sys.argv[3], int(sys.argv[4]), sys.argv[5:]
rng = random.Random(seed)
values = [f"{n}M" for n in range(11, 100)]  # all one length: a dau edit keeps the size
deadline = time.monotonic() + seconds
count = 0
with open(log_path, "w") as log:
    while time.monotonic() < deadline:
        rel = rng.choice(notes)
        path = os.path.join(root, rel)
        with open(path, "rb") as handle:
            text = handle.read().decode("utf-8")
        count += 1
        if rng.random() < 0.3:
            value = rng.choice(values)
            text, found = re.subn(r"(?m)^dau: .*$", f"dau: {value}", text, count=1)
            entry = {"note": rel, "dau": value}
        else:
            area = rng.choice(["own", "section", "end"])
            marker = f"marker {seed}-{count} {area}"
            first = re.search(r"(?m)^## ", text)
            section = re.search(r"(?m)^## 2\. Requirements Analysis[ \t]*\n", text)
            if area == "section" and section:
                at = section.end()
            elif area == "end" or not first:
                at = len(text)
                if not text.endswith("\n"):
                    marker = "\n" + marker
            else:
                at = first.start()
            text = text[:at] + marker + "\n" + text[at:]
            entry = {"note": rel, "marker": marker.strip(), "area": area}
        data = text.encode("utf-8")
        entry["mode"] = "in place" if rng.random() < 0.5 else "rename"
        if entry["mode"] == "in place":
            with open(path, "wb") as handle:
                handle.write(data)
        else:
            folder, name = os.path.split(path)
            temp = os.path.join(folder, f".{name}.swp")
            with open(temp, "wb") as handle:
                handle.write(data)
            os.replace(temp, path)
        log.write(json.dumps(entry) + "\n")
        log.flush()
        time.sleep(rng.random() * 0.02)
'''

NOTES = [f"Topics/edited {i}.md" for i in range(4)] + [f"Topics/stub {i}.md" for i in range(2)]


def vault_for_editing(root: Path) -> Path:
    """Four topics (expanded first), two stubs the first sync races with, and notes nobody edits."""
    files = {rel: stub(f"Mine, {rel}.\n", dau="10M", components="[cdn, cache, nosql]") for rel in NOTES}
    files.update({f"Topics/quiet {i}.md": stub(dau=f"{i + 1}M") for i in range(10)})
    root = make_vault(root, {rel: text for rel, text in files.items() if "stub" not in rel})
    sync(root)
    for rel in NOTES:
        if "stub" in rel:
            (root / rel).write_text(files[rel])
    return root


def editor(root: Path, log: Path, seed: int, seconds: float = EDIT_SECONDS) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", EDITOR, str(root), str(seconds), str(log), str(seed), *NOTES])


def edits(log: Path) -> list[dict]:
    return [json.loads(line) for line in log.read_text().splitlines()]


def check_nothing_lost(root: Path, log: Path) -> None:
    """Every marker logged is in its note once, in the area it was written to;
    `dau` is the last value written and the note shows it; every note is whole."""
    report = sync(root)
    assert report.retry == [] and report.problems == [], report.problems
    assert sync(root).changes == []
    settings, _ = load_settings(root)
    logged = edits(log)
    assert len(logged) > 50, "the editor hardly ran"
    for rel in NOTES:
        text = (root / rel).read_text()
        note, problems = parse(rel, text.encode(), settings)
        assert note is not None and not problems and note.kind == TOPIC, rel
        assert headings_of(text) == [f"{n}. {h}" for n, h in enumerate(HEADINGS, 1)], rel
        found, broken = blocks.find(text)
        assert not broken and all(block.state == blocks.OWNED for block in found), rel
        own = note.body[: note.body.index("## 1. System Overview")]
        assert own.startswith(f"Mine, {rel}.\n"), rel
        mine = [entry for entry in logged if entry["note"] == rel]
        markers = [entry for entry in mine if "marker" in entry]
        lost = [entry["marker"] for entry in markers if text.count(entry["marker"] + "\n") != 1]
        assert not lost, f"{rel}: {len(lost)} of {len(markers)} edits lost or doubled, e.g. {lost[:3]}"
        for entry in markers:
            if entry["area"] == "own":
                assert entry["marker"] in own, entry
        values = [entry["dau"] for entry in mine if "dau" in entry]
        last = values[-1] if values else "10M"
        assert re.search(r"(?m)^dau: (.*)$", note.yaml_text)[1] == last, rel
        assert f"| Daily active users | {last} |" in text, f"{rel}: the overview does not show dau {last}"


def test_no_edit_is_lost_while_sync_runs_in_a_loop(tmp_path):
    root = vault_for_editing(tmp_path / "vault")
    log = tmp_path / "edits.jsonl"
    process = editor(root, log, seed=1)
    written: list[str] = []
    try:
        while process.poll() is None:
            written += sync(root).written
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()
    assert process.returncode == 0
    assert len([path for path in written if path in NOTES]) > 20, "sync and the editor hardly overlapped"
    check_nothing_lost(root, log)


def test_no_edit_is_lost_while_the_daemon_runs(tmp_path):
    root = vault_for_editing(tmp_path / "vault")
    log = tmp_path / "edits.jsonl"
    process = editor(root, log, seed=2)  # already typing when the daemon starts
    try:
        with running(root, debounce=0.05, reconcile_seconds=1.5) as written:
            assert process.wait(timeout=EDIT_SECONDS + 30) == 0
            assert wait_until(lambda: all("system-design/topic" in (root / rel).read_text() for rel in NOTES))
            time.sleep(0.5)
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()
    assert len([path for path in written if path in NOTES]) > 20, "the daemon and the editor hardly overlapped"
    check_nothing_lost(root, log)


@pytest.mark.skipif(write._renameat2 is None, reason="no atomic swap (renameat2) on this system: "
                    "the comparison right before the rename is as close as it gets")
@pytest.mark.parametrize("how", ["in place", "rename"])
def test_a_save_between_the_comparison_and_the_swap_is_put_back(vault, monkeypatch, how):
    """The loop above found it: the editor's save landed after `write` had
    compared the note and before it replaced it, and was lost. Here the save
    is made at exactly that moment."""
    root = vault({"Topics/a.md": stub(dau="11M")})
    path = root / "Topics/a.md"
    saved = stub("my save, between the comparison and the swap\n", dau="22M")
    real_read = write._read

    def read_then_save(target):
        found = real_read(target)
        if target == path and found is not None and b"my save" not in found:
            if how == "in place":
                path.write_text(saved)
            else:
                (root / "Topics/.a.md.swp").write_text(saved)
                os.replace(root / "Topics/.a.md.swp", path)
        return found

    monkeypatch.setattr(write, "_read", read_then_save)
    report = sync(root)
    assert path.read_text() == saved
    assert report.written == [] and [p.kind for p in report.retry] == ["retry"]
    assert not [p for p in path.parent.iterdir() if p.name.endswith(".tmp")]
    monkeypatch.setattr(write, "_read", real_read)
    assert sync(root).written == ["Topics/a.md"]
    text = path.read_text()
    assert "my save, between the comparison and the swap" in text and "| Daily active users | 22M |" in text
