"""Scan stage: which notes the vault has, and their bytes. Reads only."""

from __future__ import annotations

import errno
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from vault_tools.problems import Kind, Problem
from vault_tools.settings import STATE_DIR, Settings

TEMP_FILE = re.compile(r"^\..+\.vault-tools-(?P<pid>\d+)-[0-9a-f]+\.tmp$")


class Entry(NamedTuple):
    """A `.md` file found in the vault; `path` is vault-relative, posix.
    (A named tuple: a walk makes one per note, and tuples are made fast.)"""

    path: str
    size: int
    mtime_ns: int
    is_link: bool
    ino: int = 0
    ctime_ns: int = 0  # the inode's change time, which no tool can set back (mtime can be)

    @property
    def stamp(self) -> tuple[int, int, int, int]:
        return (self.mtime_ns, self.size, self.ino, self.ctime_ns)


@dataclass(frozen=True)
class Listing:
    notes: list[Entry]
    temp_files: list[str]  # our own temp files, left by an interrupted write


def walk(root: Path, settings: Settings) -> Listing:
    """Every note in the vault, sorted by path; dot-folders (`.obsidian`,
    `.trash`, `.git`, ...), ignored paths and symlinked folders are skipped."""
    notes: list[Entry] = []
    temps: list[str] = []
    ignore = settings.ignore
    stack = [""]
    while stack:
        folder = stack.pop()
        prefix = f"{folder}/" if folder else ""
        try:
            listing = list(os.scandir(root / folder if folder else root))
        except OSError:
            continue  # vanished or unreadable: nothing to do there
        for item in listing:
            name = item.name
            if name.startswith("."):  # dot-folders and dot-files hold no notes (see `included`)
                if TEMP_FILE.match(name):
                    temps.append(prefix + name)
                continue
            rel = prefix + name
            if ignore and _ignored(rel, ignore):
                continue
            try:
                if item.is_dir(follow_symlinks=False):
                    stack.append(rel)
                elif item.is_symlink():
                    if name.endswith(".md") and item.is_file():  # a linked folder is not followed
                        info = item.stat()
                        notes.append(Entry(rel, info.st_size, info.st_mtime_ns, True, info.st_ino, info.st_ctime_ns))
                elif name.endswith(".md"):
                    info = item.stat(follow_symlinks=False)
                    if stat.S_ISREG(info.st_mode):  # not a FIFO, socket or device
                        notes.append(Entry(rel, info.st_size, info.st_mtime_ns, False, info.st_ino, info.st_ctime_ns))
            except OSError:
                continue  # a broken link or a file gone meanwhile
    notes.sort()  # by path: the first field, and paths are unique
    temps += _state_temps(root)
    return Listing(notes, sorted(temps))


def _state_temps(root: Path) -> list[str]:
    """Temp files in the state folder (the stamp cache's), which the walk skips."""
    try:
        return [f"{STATE_DIR}/{item.name}" for item in os.scandir(root / STATE_DIR)
                if TEMP_FILE.match(item.name)]
    except OSError:
        return []  # no state folder yet


def included(rel: str, settings: Settings) -> bool:
    """Whether a path may hold a note of ours: not in a dot-folder, not a
    dot-file, not excluded by Obsidian's `userIgnoreFilters`. Folders pass
    when they could contain notes."""
    parts = rel.split("/")
    if any(part.startswith(".") or not part for part in parts) or _ignored(rel, settings.ignore):
        return False
    return True


def is_note_path(rel: str, settings: Settings) -> bool:
    """A `.md` file path the pipeline reads."""
    return rel.endswith(".md") and included(rel, settings)


def entry(root: Path, rel: str, settings: Settings) -> Entry | None:
    """The Entry for one path, or None if it is not (or no longer) a note."""
    if not is_note_path(rel, settings):
        return None
    path = root / rel
    try:
        info = path.stat()
        is_link = path.is_symlink()
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode) or _under_link(root, rel):
        return None
    return Entry(rel, info.st_size, info.st_mtime_ns, is_link, info.st_ino, info.st_ctime_ns)


def _under_link(root: Path, rel: str) -> bool:
    folder = root
    for part in rel.split("/")[:-1]:
        folder = folder / part
        if folder.is_symlink():
            return True
    return False


def _ignored(rel: str, filters: tuple[str, ...]) -> bool:
    for item in filters:
        if len(item) > 2 and item.startswith("/") and item.endswith("/"):
            try:
                if re.search(item[1:-1], rel):
                    return True
            except re.error:
                continue
        elif rel == item.rstrip("/") or rel.startswith(item if item.endswith("/") else item + "/"):
            return True
    return False


def read_regular(path: Path) -> bytes:
    """A file's bytes; OSError if it is not a regular file (a FIFO named
    like a note would otherwise block the read forever)."""
    with open(os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)), "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise OSError(errno.EINVAL, "not a regular file", str(path))
        return handle.read()


def read(root: Path, entry: Entry, max_bytes: int) -> tuple[bytes | None, Problem | None]:
    """A note's bytes; None with a Problem when too large or unreadable,
    None alone when it vanished since the scan."""
    if entry.size > max_bytes:
        return None, Problem(f"note is {entry.size:,} bytes, over the {max_bytes:,}-byte limit; skipped",
                             entry.path, kind=Kind.SIZE, hint="split it, or raise max-note-bytes in vault-tools.yaml")
    try:
        with open(os.path.join(root, entry.path), "rb") as handle:
            # As much as the file holds now (a buffer of max_bytes for every
            # note was the dearest part of reading a vault), and no more than
            # one byte past the limit if it grows meanwhile.
            size = os.fstat(handle.fileno()).st_size
            data = handle.read(min(size, max_bytes) + 1)
            if len(data) > size:
                data += handle.read(max_bytes + 1 - len(data))
    except FileNotFoundError:
        return None, None
    except OSError as error:
        return None, Problem(f"cannot read: {error.strerror or error}", entry.path, kind=Kind.IO,
                             hint="make the note readable; nothing was changed")
    if len(data) > max_bytes:
        return None, Problem(f"note is over the {max_bytes:,}-byte limit; skipped", entry.path, kind=Kind.SIZE,
                             hint="split it, or raise max-note-bytes in vault-tools.yaml")
    return data, None
