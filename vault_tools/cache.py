"""The stamp cache in `.vault-tools/index.json`: what a full sync learned
about each note, kept until the note's stamp (mtime, size, inode, ctime) changes,
and the `Ledger` that decides what goes into it.

A cache made by other code, other settings, other section templates, another
catalog or other prices is ignored as a whole (the fingerprint), and so is a
cache that cannot be read: it only ever saves work, never changes a result.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from vault_tools import __version__
from vault_tools.facts import Row, TopicFacts
from vault_tools.library.notes import Choice, LibraryNote
from vault_tools.diagrams.companion import drawing_path
from vault_tools.note import OTHER, TOPIC
from vault_tools.problems import Problem
from vault_tools.settings import STATE_DIR
from vault_tools.write import write_state

CACHE_FILE = f"{STATE_DIR}/index.json"
_FORMAT = 3


def code_fingerprint() -> str:
    """A hash of this package's code: a cache from other code is never trusted."""
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(Path(__file__).resolve().parent.rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class Cached:
    """One note as the last full sync left it."""

    stamp: tuple[int, int, int, int]
    kind: str
    aliases: tuple[str, ...]
    problems: tuple[Problem, ...]
    library: LibraryNote | None = None
    facts: TopicFacts | None = None
    drawing: tuple[int, int, int, int] | None = None  # the stamp of the topic's drawing


def stamp(info) -> tuple[int, int, int, int]:
    """mtime, size, inode and ctime: an edit that puts mtime and size back
    (`touch -r`, `rsync -t --inplace`) still moves the ctime."""
    return (info.st_mtime_ns, info.st_size, info.st_ino, info.st_ctime_ns)


def racy(stamp: tuple[int, int, int, int], now_ns: int) -> bool:
    """Whether a stamp cannot be trusted yet: its mtime or change time is in whole
    seconds (FAT keeps two, HFS+ and ext3 one) and within 2 s of now, so an
    edit of the same size in the same tick would leave it as it is. Such a
    note is read again next time, as git does with its "racily clean"
    entries. Either time counts, but only within 2 s either side of now: a
    tool can set an mtime in the future, which must not keep a note racy
    until that date (and Windows reports the creation time as ctime)."""
    return any(ns % 1_000_000_000 == 0 and abs(ns - now_ns) < 2_000_000_000 for ns in (stamp[0], stamp[3]))


def load(root: Path, fingerprint: str) -> tuple[dict[str, Cached], str]:
    """The cached notes and the library fingerprint they were made with."""
    try:
        head, _, notes = (root / CACHE_FILE).read_bytes().partition(b"\n")
        header = _header(head, fingerprint)
        if header is None:
            return {}, ""
        return {path: _cached(item) for path, item in json.loads(notes).items()}, header.get("library", "")
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}, ""


def unchanged(root: Path, fingerprint: str, listing: str) -> dict[str, list[Problem]] | None:
    """When the vault's notes are exactly as the last full sync left them
    (the same paths with the same stamps, and every one of them settled),
    the problems that sync found; otherwise None. Reads only the cache's
    first line, so that a sync with nothing to do costs little more than
    a walk of the vault."""
    try:
        with open(root / CACHE_FILE, "rb") as handle:
            header = _header(handle.readline(), fingerprint)
        if header is None or header.get("listing") != listing:
            return None
        return {path: [Problem(**p) for p in found] for path, found in header["problems"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def listing_digest(stamps: list[tuple[str, int, int, int, int]]) -> str:
    """A hash of every note's path and stamp (mtime, size, inode, ctime), given in path order."""
    return hashlib.sha256(repr(stamps).encode("utf-8", "surrogateescape")).hexdigest()


def _header(line: bytes, fingerprint: str) -> dict | None:
    header = json.loads(line)
    if header.get("format") != _FORMAT or header.get("fingerprint") != fingerprint:
        return None
    return header


def dump(notes: dict[str, Cached], fingerprint: str, library: str, listing: str | None,
         problems: dict[str, list[Problem]]) -> bytes:
    """The cache file: a first line for `unchanged` (the listing digest, or
    None when some note is not settled, and the problems), then the notes."""
    header = {"format": _FORMAT, "fingerprint": fingerprint, "library": library, "listing": listing,
              "problems": {path: [asdict(p) for p in found] for path, found in sorted(problems.items()) if found}}
    data = {path: _plain(item) for path, item in sorted(notes.items())}
    return b"\n".join(json.dumps(part, separators=(",", ":")).encode("ascii")
                       for part in (header, data))


def library_fingerprint(library: dict[str, LibraryNote], shared_names: list[str]) -> str:
    """Topics render from the library, and write a link by name only while the
    name is unique: a change to either makes every topic stale."""
    return hashlib.sha256(repr((sorted(library.items()), shared_names)).encode()).hexdigest()[:16]


def _plain(item: Cached) -> dict:
    return {
        "stamp": item.stamp, "kind": item.kind, "aliases": item.aliases,
        "problems": [asdict(p) for p in item.problems],
        "library": asdict(item.library) if item.library else None,
        "facts": {"path": item.facts.path, "name": item.facts.name, "links": sorted(item.facts.links),
                  "rows": [asdict(r) for r in item.facts.rows], "figures": item.facts.figures}
        if item.facts else None,
        "drawing": item.drawing,
    }


def _cached(item: dict) -> Cached:
    library = item.get("library")
    facts = item.get("facts")
    return Cached(
        stamp=tuple(item["stamp"]), kind=item["kind"], aliases=tuple(item["aliases"]),
        problems=tuple(Problem(**p) for p in item["problems"]),
        library=LibraryNote(**{**library, **{k: tuple(library[k]) for k in
                                             ("aliases", "options", "probes", "suggest_when", "keywords", "patterns",
                                              "deep_dives", "trade_offs")},
                               "choose": tuple(Choice(**c) for c in library["choose"])}) if library else None,
        facts=TopicFacts(facts["path"], facts["name"], frozenset(facts["links"]),
                         tuple(Row(**r) for r in facts["rows"]),
                         tuple((k, v) for k, v in facts["figures"])) if facts else None,
        drawing=tuple(item["drawing"]) if item.get("drawing") else None,
    )


class Ledger:
    """What the stamp cache will hold after a full run: each note that is
    settled (on disk exactly as indexed or rendered) with its stamp. A note
    whose write was refused, or that a dry run would change, is unsettled:
    it is read again next time."""

    def __init__(self) -> None:
        self.settled: dict[str, Cached] = {}
        self.stamps: dict[str, tuple[int, int, int, int]] = {}  # stamps of files written this run
        self.unsettled: set[str] = set()

    def start(self) -> None:
        """A new run: forget what the last one wrote."""
        self.stamps, self.unsettled = {}, set()

    def forget(self) -> None:
        """Drop the settled notes (a resident pipeline holds only what watch runs need)."""
        self.settled = {}

    def settle(self, path: str, item: Cached) -> None:
        self.settled[path] = item

    def wrote(self, path: str, new_stamp: tuple[int, int, int, int]) -> None:
        self.stamps[path] = new_stamp

    def unsettle(self, path: str) -> None:
        self.unsettled.add(path)

    def settle_topic(self, entry, facts: TopicFacts, aliases: tuple[str, ...], problems: tuple[Problem, ...],
                     drawing_stamp: tuple[int, int, int, int] | None) -> None:
        """Remember a rendered topic if the disk now holds exactly what was
        rendered (written, or nothing to write)."""
        drawing = drawing_path(entry.path)
        if entry.path in self.unsettled or drawing in self.unsettled:
            return
        self.settled[entry.path] = Cached(self.stamps.get(entry.path, entry.stamp), TOPIC, aliases, problems,
                                          None, facts, self.stamps.get(drawing, drawing_stamp))
        if drawing in self.stamps:  # drawn this run: a note of ours, with nothing to index
            self.settled[drawing] = Cached(self.stamps[drawing], OTHER, (), ())

    @staticmethod
    def digest(listing, problems_note: str) -> str:
        """The digest of the walked notes (the problems note aside), as `save` makes it."""
        return listing_digest([(path, mtime, size, ino, ctime) for path, size, mtime, _, ino, ctime in listing.notes
                               if path != problems_note])  # in path order, as walked

    def save(self, root: Path, fingerprint: str, library: str, problems: dict[str, list[Problem]],
             problems_note: str) -> None:
        """Write the stamp cache, with the stamps of what this run wrote; only when it changed."""
        now = time.time_ns()
        settled = {}
        for path, item in self.settled.items():
            if path in self.unsettled or path == problems_note:
                continue
            stamp_ = self.stamps.get(path, item.stamp)
            if not racy(stamp_, now):  # else read again next time
                settled[path] = item if stamp_ == item.stamp else replace(item, stamp=stamp_)
        listed = None if self.unsettled - {problems_note} else listing_digest(
            sorted((path, *item.stamp) for path, item in settled.items()))
        data = dump(settled, fingerprint, library, listed, problems)
        try:
            if (root / CACHE_FILE).read_bytes() == data:
                return
        except OSError:
            pass
        write_state(root, CACHE_FILE, data)
