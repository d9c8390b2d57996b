"""Hostile vault: a corpus of bad notes mixed into a good vault.

Every bad input of `test_bad_input.BAD_NOTES`, plus deep folders, a
100,000-line note, 10,000 links in one note, 5,000 levels of nesting, symlink
loops, links leading outside the vault, FIFOs, an empty folder named like a
note and odd file names. The good notes all process, each bad one is a
listed problem (or, where the product skips quietly, is left as it was),
and nothing outside the vault is touched: a sibling folder the symlinks point
into is snapshot (bytes and mtimes) before and after.
"""

from __future__ import annotations

import os
import stat
import threading
import time
from pathlib import Path

import pytest
from test_bad_input import BAD_NOTES

from helpers import DEBOUNCE, expanded, headings_of, make_vault, running, stub, tree_snapshot, wait_until

from vault_tools import blocks, markdown
from vault_tools.diagrams import companion
from vault_tools.note import parse
from vault_tools.sections import HEADINGS
from vault_tools.settings import load_settings
from vault_tools.sync import sync

pytestmark = pytest.mark.slow  # the reliability campaign: scripts/test --fast leaves it out

ROOT_USER = os.geteuid() == 0  # root reads a file whatever its mode
DEPTH = 100
ODD_NAME = "Ünïcödé ☃ 名前 𝔘 \u202ertl\u202c \u200dzwj «q» & 'a' ~ (p) {b} $d @a ; s, c + p = e"
BAD_ODD_NAME = "a ]] | [[ b #^ c %% vault-tools:end problems %%"
NESTED_QUOTES = ">" * 5000 + " deep\n"
NESTED_LISTS = "- " * 5000 + "item\n" + "".join(" " * i + "- level\n" for i in range(300))
MIXED_NESTING = "> - " * 2500 + "x\n" + "*" * 5000 + "y" + "*" * 5000 + "\n" + "[" * 3000 + "z" + "]" * 3000 + "\n"

HOSTILE_DIVE = (
    "---\ntags: [system-design/deep-dive]\n---\n"
    "## Summary\n\n" + NESTED_QUOTES + MIXED_NESTING
    + "\n## Probing questions\n\n" + NESTED_LISTS
    + "".join(f"- question [[missing {i}]] [[Topics/good {i % 30:02d}]]\n" for i in range(5000))
)


def many_links() -> str:
    """10,000 links: to missing notes, to good notes by name and by path, embeds, Markdown links."""
    lines = []
    for i in range(2500):
        lines.append(f"- [[nowhere {i}]] [[good {i % 30:02d}|alias]] ![[Topics/good {i % 30:02d}#Summary]] "
                     f"[md](Missing%20{i}.md)\n")
    return "".join(lines)





def make_outside(base: Path) -> Path:
    """The sibling folder, outside any vault, that the vault's links lead into."""
    outside = base / "outside"
    files = {
        "stub.md": stub("outside the vault\n", dau="1M"),
        "folder/inner stub.md": stub("outside, in a folder\n"),
        "folder/plain.md": "# not ours\n",
        "drawing.excalidraw.md": companion.stamped("---\nexcalidraw-plugin: parsed\n---\nan old drawing\n"),
        "hard linked.md": stub("a hard link: the vault's copy may be replaced, this one never\n"),
    }
    for rel, text in files.items():
        (outside / rel).parent.mkdir(parents=True, exist_ok=True)
        (outside / rel).write_text(text)
    return outside


class Corpus:
    """A vault with good stubs and hostile notes, and what each should become."""

    def __init__(self, root: Path, outside: Path):
        self.root = root
        self.outside = outside
        self.good: list[str] = []  # stubs that must be expanded
        self.bad: dict[str, str] = {}  # path → a piece of its problem's message
        self.quiet: list[str] = []  # skipped quietly: must stay as they are
        self.fifos: list[Path] = []

    def state(self) -> dict[str, tuple]:
        """What the quietly skipped entries are now: kind, link target, listing or bytes."""
        found = {}
        for rel in self.quiet:
            path = self.root / rel
            info = path.lstat()
            if stat.S_ISLNK(info.st_mode):
                found[rel] = ("link", os.readlink(path))
            elif stat.S_ISFIFO(info.st_mode):
                found[rel] = ("fifo",)
            elif stat.S_ISDIR(info.st_mode):
                found[rel] = ("dir", sorted(os.listdir(path)))
            else:
                found[rel] = ("file", path.read_bytes())
        return found


def build(base: Path, outside: Path) -> Corpus:
    files: dict[str, str | bytes] = {}
    good: list[str] = []
    for i in range(30):
        props = {"dau": f"{i + 1}M", "writes": f"{i + 1}/user/day"}
        if i % 3 == 0:
            props["components"] = "[cdn, gateway, cache, nosql, queue]"
        if i % 5 == 0:
            props["deep-dives"] = "[Hostile Dive]"
        files[f"Topics/good {i:02d}.md"] = stub(f"Good note {i}.\n", **props)
        good.append(f"Topics/good {i:02d}.md")
    deep = "/".join(f"level-{n:03d}" for n in range(DEPTH))
    hostile_good = {
        f"{deep}/bottom.md": stub("At the bottom of 100 folders.\n", dau="2M"),
        "Big/hundred thousand lines.md": stub("".join(f"line {n}\n" for n in range(100_000)), dau="3M"),
        "Links/ten thousand links.md": stub(many_links(), **{"deep-dives": "[Hostile Dive, nowhere]"}),
        "Nest/quotes.md": stub(NESTED_QUOTES),
        "Nest/lists.md": stub(NESTED_LISTS),
        "Nest/mixed.md": stub(MIXED_NESTING, components="[cdn, cache]"),
        f"Odd/{ODD_NAME}.md": stub(components="[cdn, cache]"),
        "Odd/%% vault-tools:end overview %%.md": stub(components="[cdn]"),
        "Odd/topic property.md": stub(topic='"%% vault-tools:end capacity %%\\n## 2. Requirements Analysis"'),
    }
    files.update(hostile_good)
    good += list(hostile_good)
    files["Deep Dives/Hostile Dive.md"] = HOSTILE_DIVE
    bad: dict[str, str] = {"Links/ten thousand links.md": "no deep-dive note called `nowhere`"}  # and expanded
    for case, (content, message) in BAD_NOTES.items():
        files[f"Bad/{case}.md"] = content
        bad[f"Bad/{case}.md"] = message
    files[f"Bad/{BAD_ODD_NAME}.md"] = "---\ntags: [system-design/stub]\ndau: [1,\n---\n"
    bad[f"Bad/{BAD_ODD_NAME}.md"] = "malformed YAML"
    files["Bad/hundred thousand lines over the limit.md"] = stub("".join(f"line {n:032d}\n" for n in range(100_000)))
    bad["Bad/hundred thousand lines over the limit.md"] = "over the 2,097,152-byte limit"
    files["Bad/unreadable.md"] = stub()
    if ROOT_USER:
        good.append("Bad/unreadable.md")  # root reads it whatever its mode: it is expanded
    else:
        bad["Bad/unreadable.md"] = "cannot read"
    files["Empty/empty.md"] = ""
    files["Empty/frontmatter only.md"] = "---\n---\n"
    root = make_vault(base / "vault", files)
    corpus = Corpus(root, outside)
    corpus.good, corpus.bad = good, bad
    if not ROOT_USER:
        os.chmod(root / "Bad/unreadable.md", 0)

    # Links: loops, the vault root, folders and notes outside the vault, dangling.
    links = root / "Links"
    (links / "parent").symlink_to("..")
    (links / "vault root").symlink_to(root)
    (links / "outside folder").symlink_to(outside / "folder")
    (links / "outside stub.md").symlink_to(outside / "stub.md")
    bad["Links/outside stub.md"] = "symbolic link"
    (links / "dangling.md").symlink_to(root / "nowhere.md")
    (links / "self.md").symlink_to("self.md")
    (links / "ping.md").symlink_to("pong.md")
    (links / "pong.md").symlink_to("ping.md")
    # A drawing that links outside, and looks like one the tool wrote: never written through.
    (root / "Topics/good 00.excalidraw.md").symlink_to(outside / "drawing.excalidraw.md")
    # A hard link to a stub outside: the vault's name may be replaced, the outside file never written.
    os.link(outside / "hard linked.md", root / "Topics/hard linked.md")
    good.append("Topics/hard linked.md")
    # Not notes: a FIFO named like a note, one where a drawing goes, an empty folder named like a note.
    for rel in ("Topics/x.md", "Topics/good 03.excalidraw.md"):
        os.mkfifo(root / rel)
        corpus.fifos.append(root / rel)
    (root / "Topics/y.md").mkdir()
    corpus.quiet = ["Topics/x.md", "Topics/good 03.excalidraw.md", "Topics/y.md", "Topics/good 00.excalidraw.md",
                    "Links/parent", "Links/vault root", "Links/outside folder", "Links/dangling.md",
                    "Links/self.md", "Links/ping.md", "Links/pong.md", "Empty/empty.md", "Empty/frontmatter only.md"]
    return corpus


def release(fifos: list[Path]) -> None:
    """Open each FIFO for writing and close it: a reader stuck on it sees the end."""
    for fifo in fifos:
        try:
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        except OSError:
            pass  # no reader: nobody is stuck on it


def within(seconds: float, fifos: list[Path], run):
    """run() on a thread; fails (instead of hanging the suite) if it does not return in time."""
    outcome: dict[str, object] = {}

    def target():
        try:
            outcome["value"] = run()
        except BaseException as error:  # noqa: BLE001 - re-raised below
            outcome["error"] = error

    thread = threading.Thread(target=target, name="hostile-run")
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        release(fifos)
        thread.join(10)
        pytest.fail(f"did not finish within {seconds} s (blocked on a FIFO or looping)")
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def problems_note_rows(root: Path) -> list[tuple[str, str]]:
    """The rows of `vault-tools Problems.md`: (the Note cell, the Problem cell)."""
    text = (root / "vault-tools Problems.md").read_text()
    found, broken = blocks.find(text)
    assert not broken and [b.name for b in found] == ["problems"]
    tables = markdown.tables(found[0].inner)
    assert len(tables) == 1
    return [(row["note"].text, row["problem"].text) for row in tables[0]]


def check_expanded(corpus: Corpus) -> None:
    settings, _ = load_settings(corpus.root)
    for rel in corpus.good:
        raw = (corpus.root / rel).read_bytes()
        note, problems = parse(rel, raw, settings)
        assert note is not None and not problems, rel
        assert note.kind == "topic", f"{rel} was not expanded"
        assert headings_of(note.text) == [f"{n}. {h}" for n, h in enumerate(HEADINGS, 1)], rel


def check_problems(corpus: Corpus, report) -> None:
    paths = [p.path for p in report.problems]
    assert sorted(paths) == sorted(corpus.bad), "each bad note is listed once, and nothing else"
    for problem in report.problems:
        assert corpus.bad[problem.path] in problem.message, problem
        assert problem.hint, problem
    rows = problems_note_rows(corpus.root)
    assert sorted(rows) == sorted((f"[[{p.path.removesuffix('.md')}]]", p.message) for p in report.problems)


def test_a_hostile_vault_syncs_and_nothing_outside_is_touched(tmp_path):
    outside = make_outside(tmp_path)
    corpus = build(tmp_path, outside)
    before, quiet = tree_snapshot(outside), corpus.state()

    report = within(60, corpus.fifos, lambda: sync(corpus.root))
    check_expanded(corpus)
    check_problems(corpus, report)
    assert corpus.state() == quiet  # the FIFOs still FIFOs, the links as they were, `y.md` an empty folder
    assert tree_snapshot(outside) == before
    deep = next(rel for rel in corpus.good if rel.endswith("bottom.md"))
    assert deep.count("/") == DEPTH and "At the bottom of 100 folders." in (corpus.root / deep).read_text()
    big = (corpus.root / "Big/hundred thousand lines.md").read_text()
    assert big.count("\n") > 100_000 and "| Daily active users | 3M |" in big
    hostile_topic = (corpus.root / "Topics/good 05.md").read_text()
    assert "![[Hostile Dive#Summary]]" in hostile_topic

    again = within(60, corpus.fifos, lambda: sync(corpus.root))
    assert again.changes == [] and again.written == []
    assert [p.path for p in again.problems] == [p.path for p in report.problems]

    # The daemon over the same vault: it catches up with nothing to do, and a
    # stub saved meanwhile is expanded; still nothing outside is touched.
    try:
        with running(corpus.root) as written:
            (corpus.root / "Topics/late.md").write_text(stub(dau="7M"))
            assert wait_until(lambda: expanded(corpus.root / "Topics/late.md"), timeout=20)
            os.mkfifo(corpus.root / "Topics/late fifo.md")
            corpus.fifos.append(corpus.root / "Topics/late fifo.md")
            (corpus.root / "Links/late loop").symlink_to(corpus.root)
            time.sleep(DEBOUNCE * 3)
    finally:
        release(corpus.fifos)
    assert written == ["Topics/late.md"]
    assert corpus.state() == quiet
    assert tree_snapshot(outside) == before


@pytest.mark.parametrize("poll", [None, 0.3], ids=["inotify", "polling"])
def test_the_daemon_processes_a_hostile_vault_and_stays_alive(tmp_path, poll):
    outside = make_outside(tmp_path)
    corpus = build(tmp_path, outside)
    before, quiet = tree_snapshot(outside), corpus.state()
    try:
        with running(corpus.root, poll=poll) as written:
            assert wait_until(lambda: "vault-tools Problems.md" in written, timeout=40), "no catch-up sync"
            # While it runs: more bad notes, loops and FIFOs, then a good stub.
            (corpus.root / "Later").mkdir()
            os.mkfifo(corpus.root / "Later/fifo.md")
            corpus.fifos.append(corpus.root / "Later/fifo.md")
            (corpus.root / "Later/loop").symlink_to("..")
            (corpus.root / "Later/outside.md").symlink_to(outside / "folder/inner stub.md")
            (corpus.root / "Later/binary.md").write_bytes(b"\x00\x01\x02" * 100)
            (corpus.root / "Later/good.md").write_text(stub(dau="8M"))
            assert wait_until(lambda: expanded(corpus.root / "Later/good.md"), timeout=20)
            rows = lambda: problems_note_rows(corpus.root)  # noqa: E731
            assert wait_until(lambda: {note for note, _ in rows()} >= {"[[Later/outside]]", "[[Later/binary]]"})
            listed = [f"[[{path.removesuffix('.md')}]]" for path in [*corpus.bad, "Later/binary", "Later/outside"]]
            assert sorted(note for note, _ in rows()) == sorted(listed)
    finally:
        release(corpus.fifos)
    check_expanded(corpus)
    assert written.count("Later/good.md") == 1
    assert len([p for p in written if p in corpus.good]) == len(corpus.good)  # each once
    assert corpus.state() == quiet
    assert tree_snapshot(outside) == before


def test_polling_does_not_follow_a_link_to_the_vault_root(vault):
    """Polling (`--poll`, or the fallback at the inotify limit) used to follow
    symlinked folders: a link to the vault's parent made the first poll walk
    without end, so the daemon never started."""
    root = vault({"Topics/a.md": stub(), **{f"F{i}/n.md": "x\n" for i in range(6)}})
    (root / "Loops").mkdir()
    (root / "Loops/parent").symlink_to("..")
    (root / "Loops/root").symlink_to(root)
    with running(root, poll=0.2) as written:
        assert wait_until(lambda: expanded(root / "Topics/a.md"), timeout=10)
        (root / "Topics/b.md").write_text(stub())
        assert wait_until(lambda: expanded(root / "Topics/b.md"), timeout=10)
    assert written == ["Topics/a.md", "Topics/b.md"]


def test_fifos_where_the_tool_reads_its_own_notes_do_not_block(vault):
    """A FIFO where a topic's drawing or the problems note goes used to block
    `sync` forever on reading it."""
    root = vault({"Topics/c.md": stub(components="[cdn, cache]"),
                  "Topics/bad.md": "---\ntags: [system-design/stub]\nx: [\n---\n"})
    fifos = [root / "Topics/c.excalidraw.md", root / "vault-tools Problems.md"]
    for fifo in fifos:
        os.mkfifo(fifo)
    try:
        report = within(20, fifos, lambda: sync(root))
    finally:
        release(fifos)
    assert report.written == ["Topics/c.md"]
    assert [p.path for p in report.problems] == ["Topics/bad.md"]
    assert all(stat.S_ISFIFO(fifo.lstat().st_mode) for fifo in fifos)
    assert within(20, fifos, lambda: sync(root)).changes == []
