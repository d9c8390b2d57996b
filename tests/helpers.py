"""What the tests share: vaults and stubs, waiting, the watcher harness,
and readers of what the tool wrote (headings, text outside live blocks,
links, snapshots of a folder)."""

from __future__ import annotations

import contextlib
import re
import os
import stat
import threading
import time
from pathlib import Path

import mistune

from vault_tools import blocks, frontmatter, markdown
from vault_tools.markdown import Link
from vault_tools.watch import Watcher

DEBOUNCE = 0.3


def make_vault(root: Path, files: dict[str, str | bytes] | None = None, obsidian: bool = True) -> Path:
    """A vault at `root` holding `files` (text is written as-is, bytes raw)."""
    root.mkdir(parents=True, exist_ok=True)
    if obsidian:
        (root / ".obsidian").mkdir(exist_ok=True)
    for rel, content in (files or {}).items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_bytes(content.encode("utf-8"))
    return root


def stub(body: str = "Notes of my own.\n", **props: str) -> str:
    """A stub note's text with the given properties (values as YAML text)."""
    lines = ["---", "tags: [system-design/stub]"] + [f"{k.replace('_', '-')}: {v}" for k, v in props.items()]
    return "\n".join(lines) + "\n---\n" + body


def wait_until(predicate, timeout=10.0, step=0.02):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return predicate()


def expanded(path: Path) -> bool:
    try:
        text = path.read_text()
    except OSError:
        return False
    return "system-design/topic" in text and "## 13. Interview Discussion Points" in text


class Written(list):
    """The paths a watcher wrote, in order; `runs` counts its pipeline runs,
    `processed` the paths each watch run was given (its own echoes among
    them, if any), `caught_up` is set by its first report."""

    def __init__(self) -> None:
        super().__init__()
        self.runs = 0
        self.processed: list[str] = []
        self.caught_up = threading.Event()


@contextlib.contextmanager
def running(root: Path, **options):
    """A watcher on its own thread; yields the paths it wrote (`Written`)."""
    written = Written()
    lock = threading.Lock()

    def record(report):
        with lock:
            written.extend(report.written)
            written.runs += 1
        written.caught_up.set()

    watcher = Watcher(root, debounce=options.pop("debounce", DEBOUNCE), on_report=record, **options)
    run = watcher.pipeline.run

    def recording(paths=None, **run_options):
        if paths is not None:
            written.processed.extend(paths)
        return run(paths, **run_options)

    watcher.pipeline.run = recording
    thread = threading.Thread(target=watcher.run, name="watcher")
    thread.start()
    try:
        assert wait_until(lambda: _started(watcher)), "watcher did not start"
        yield written
    finally:
        watcher.stop()
        thread.join(timeout=30)
        assert not thread.is_alive()


def _started(watcher):
    return any(t.name.startswith(("Inotify", "Polling")) or "Emitter" in type(t).__name__
               for t in threading.enumerate()) or watcher._stopped.is_set()


def headings_of(text: str) -> list[str]:
    """Level-2 headings of the body, as a Markdown parser sees them."""
    tokens = mistune.create_markdown(renderer=None)(text[frontmatter.split(text).body_start:])
    found = []
    for token in tokens:
        if token["type"] == "heading" and token["attrs"]["level"] == 2:
            found.append("".join(child.get("raw", "") for child in token["children"]))
    return found


def outside_blocks(text: str) -> str:
    """The text with every live block (markers included) replaced by its name."""
    found, _ = blocks.find(text)
    pieces, position = [], 0
    for block in found:
        pieces += [text[position:block.start], f"<{block.name}>"]
        position = block.end
    return "".join(pieces) + text[position:]


def block(name: str, content: str, newline: str = "\n") -> str:
    """A whole live block as the tool writes it."""
    return blocks.render(name, content, newline)


def links(text: str) -> list[Link]:
    """Every wikilink, embed and internal Markdown link, in order."""
    found: list[Link] = []
    for token in markdown._walk(markdown.tokens(text)):
        if token["type"] == "wikilink":
            found.append(token["attrs"]["link"])
        elif token["type"] in ("link", "image"):
            link = markdown.markdown_link(token["attrs"].get("url", ""), token["type"] == "image")
            if link:
                found.append(link)
    return found


def file_snapshot(root):
    """Every regular file under `root`: its bytes and mtime."""
    return {p.relative_to(root).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(root.rglob("*")) if p.is_file() and not p.is_symlink()}


def tree_snapshot(folder: Path) -> dict:
    """Every entry under `folder`: kind, bytes (files), link target, mtime."""
    found = {}
    for path in sorted(folder.rglob("*")):
        info = path.lstat()
        rel = path.relative_to(folder).as_posix()
        if stat.S_ISLNK(info.st_mode):
            found[rel] = ("link", os.readlink(path), info.st_mtime_ns)
        elif stat.S_ISDIR(info.st_mode):
            found[rel] = ("dir", None, info.st_mtime_ns)
        else:
            found[rel] = ("file", path.read_bytes(), info.st_mtime_ns)
    found["."] = ("dir", None, folder.stat().st_mtime_ns)
    return found


def stamp_snapshot(root: Path) -> dict[str, tuple[int, int, int]]:
    """Every entry under `root`: mtime, size and inode."""
    found = {}
    for path in root.rglob("*"):
        info = path.lstat()
        found[path.relative_to(root).as_posix()] = (info.st_mtime_ns, info.st_size, info.st_ino)
    return found


_EMPTY_CELL = re.compile(r"\|[ \t]*(?=\|)")
_EMPTY_BULLET = re.compile(r"^[ \t]*(?:[-*+]|\d+[.)])[ \t]*(?:\*\*[^*]+\*\*:?[ \t]*|[^:\n]{1,40}:[ \t]*)?$")


def placeholders(text: str, sections: tuple[int, ...]) -> list[str]:
    """Blanks a person would have to fill in the given sections (by number):
    empty table cells, empty or label-only bullets, lines that trail off in
    "…". Each found is returned as "§N: the line"."""
    found = []
    for number in sections:
        body = section_text(text, number)
        fenced = False
        for line in body.splitlines():
            if line.lstrip().startswith(("```", "~~~")):
                fenced = not fenced
            if fenced or line.startswith("%% vault-tools:"):
                continue
            stripped = line.strip()
            is_row = stripped.startswith("|") and not ("-" in stripped and re.fullmatch(r"[|:\-\s]+", stripped))
            if (is_row and _EMPTY_CELL.search(stripped.rstrip("|") + "|")) or _EMPTY_BULLET.match(line) \
                    or stripped.endswith(("…", "...")):
                found.append(f"§{number}: {stripped}")
    return found


def section_text(text: str, number: int) -> str:
    """The text of section `number` of an expanded topic."""
    from vault_tools.sections import heading_regex
    start = re.search("^" + heading_regex(number), text, re.MULTILINE)
    if start is None:
        return ""
    end = re.search(r"^## ", text[start.end():], re.MULTILINE)
    return text[start.end(): start.end() + end.start()] if end else text[start.end():]
