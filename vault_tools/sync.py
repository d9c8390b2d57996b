"""The pipeline: scan → parse → index → render → write.

`sync` runs it once over the whole vault; the watcher keeps one `Pipeline`
and runs it over the paths that changed, plus the notes whose cross-topic
blocks depend on them. Same code, same results.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from vault_tools import blocks, cache, problems_note, scan, write
from vault_tools.config import load_config
from vault_tools.diagrams import companion
from vault_tools.facts import TopicFacts, topic_facts
from vault_tools.library.crosslinks import Crosslinks
from vault_tools.library.notes import CAPACITY, LibraryNote, aliases, library_note
from vault_tools.links import LinkStyle, Resolver
from vault_tools.note import STUB, TOPIC, Note, parse
from vault_tools.problems import Kind, Problem
from vault_tools.render import render
from vault_tools.settings import Settings, VaultError
from vault_tools.topic import Context, Topic


class Action(StrEnum):
    """What a change does to a file."""

    EXPANDED = "expanded"  # a stub became the 13 sections
    UPDATED = "updated"  # live blocks refreshed
    CREATED = "created"  # a note the tool makes (the problems note)
    DRAWN = "drawn"  # a topic's drawing, made
    REDRAWN = "redrawn"  # ... made again, while still the tool's


@dataclass(frozen=True)
class Change:
    """A note whose bytes would change; `before` is None for a new note."""

    path: str
    action: Action
    before: bytes | None
    after: bytes


@dataclass
class SyncReport:
    notes: int = 0
    changes: list[Change] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    retry: list[Problem] = field(default_factory=list)  # transient: tried again next time
    apply: bool = True  # written as found; else `changes` hold the bytes, for a diff

    def to_json(self) -> dict:
        return {
            "notes": self.notes,
            "changes": [{"path": c.path, "action": str(c.action), "written": c.path in self.written}
                        for c in self.changes],
            "problems": [p.to_json() for p in self.problems],
            "retry": [p.to_json() for p in self.retry],
        }


def sync(root: Path, *, apply: bool = True) -> SyncReport:
    """Expand every stub, refresh every topic and cross-topic note of the
    vault at `root`. With apply=False nothing is written: the report says
    what would change."""
    return Pipeline(root, resident=False).run(apply=apply)


class Pipeline:
    """One vault's configuration and index, kept between runs (so a run over
    a few paths knows the rest of the vault)."""

    def __init__(self, root: Path, *, resident: bool = True):
        self.root = root
        # A resident pipeline (the daemon's) keeps the whole index after a full
        # run; a one-off sync may instead stop early when nothing changed.
        self.resident = resident
        self.problems_by_path: dict[str, list[Problem]] = {}
        self.resolver = Resolver()  # every note and its aliases, for links
        self.library: dict[str, LibraryNote] = {}
        self.facts: dict[str, TopicFacts] = {}
        self.ledger = cache.Ledger()
        self.reader = Reader(root, lambda: self.settings, self.problems_by_path)
        self.emitter = Emitter(root, self.ledger, self.problems_by_path,
                               lambda path, data: self.on_written(path, data))
        # Asked between notes: when it says stop, the run ends after the note in
        # hand and writes nothing more (the next run picks up the rest).
        self.should_stop: Callable[[], bool] = lambda: False
        # Told each path written and its bytes (the report keeps names only): the
        # watcher remembers what it wrote, to know the events of its own writes.
        self.on_written: Callable[[str, bytes], None] = lambda path, data: None
        self.reload()

    def reload(self) -> None:
        """Read the vault's configuration again."""
        self.config = load_config(self.root)

    @property
    def settings(self):
        return self.config.settings

    def context(self) -> Context:
        config = self.config
        return Context(config.settings, self.resolver, self.library, config.catalog, config.prices,
                       config.assumptions, LinkStyle(config.settings.markdown_links, config.settings.new_link_format))

    def index(self) -> list[str]:
        """Know the vault's library and links, rendering nothing (a topic's problem is
        in the library: `capacity`, `new`, `problems`); the stubs' and topics' paths."""
        listing = scan.walk(self.root, self.settings)
        topics, _ = self._index(listing, cache.load(self.root, self.config.fingerprint)[0])
        self.ledger.forget()
        return [entry.path for entry, _ in topics]

    def topic(self, rel: str) -> Topic:
        """One note as a topic in this vault's context (for `capacity`);
        raises VaultError when the note cannot be read."""
        entry = scan.entry(self.root, rel, self.settings) or scan.Entry(rel, 0, 0, False)
        note = self.reader.read(entry, skim=False)  # any note the person names, tagged or not
        if note is None:
            found = self.problems_by_path.get(rel) or [Problem("cannot be read as a note", rel)]
            raise VaultError("; ".join(p.line() for p in found))
        return Topic(note, self.context())

    # -- runs -------------------------------------------------------------------

    def run(self, paths: Iterable[str] | None = None, *, apply: bool = True) -> SyncReport:
        """Process `paths` (vault-relative) and what depends on them, or the
        whole vault when None."""
        self.ledger.start()
        if paths is None:
            return self._full(apply)
        paths = sorted(set(paths))
        if any(self.config.is_config(path) for path in paths):
            self.reload()
            return self._full(apply)
        notes, gone = self.reader.read_paths(paths)
        if library_changed(notes, gone, self.library, self.resolver):
            return self._full(apply)
        report = SyncReport(notes=len(notes), apply=apply)
        old = {path: self.facts.get(path) for path in [*notes, *gone]}
        for path in gone:
            self.facts.pop(path, None)
            self.resolver.remove(path)
            self.problems_by_path.pop(path, None)
        for note in notes.values():
            self.resolver.set(note.path, aliases(note.props))
        context = self.context()
        for note in notes.values():
            if self.should_stop():
                return report
            self._render_topic(note, context, report)
        touched = {path for path in notes if path in self.library}  # e.g. a block emptied by hand
        render_library(self, dependents(old, self.facts, self.library) | touched, context, report, notes)
        return self._finish(report)

    def _full(self, apply: bool) -> SyncReport:
        """The recipe: list the vault, index every note, render the topics,
        then the library notes that gather them, then the problems note."""
        listing = scan.walk(self.root, self.settings)
        if apply:
            for temp in listing.temp_files:
                write.remove_stale_temp(self.root, temp)
        digest = self.ledger.digest(listing, self.settings.problems_note)
        found = None if self.resident else cache.unchanged(self.root, self.config.fingerprint, digest)
        if found is not None:  # every note as the last sync left it: its problems still stand
            self.problems_by_path.clear()
            self.problems_by_path.update(found)
            return self._finish(SyncReport(notes=len(listing.notes), apply=apply))
        cached, cached_library = cache.load(self.root, self.config.fingerprint)
        topics, library_notes = self._index(listing, cached)
        library = cache.library_fingerprint(self.library, self.resolver.shared_names())
        report = SyncReport(notes=len(listing.notes), apply=apply)
        context = self.context()
        stamps = {entry.path: entry.stamp for entry in listing.notes}
        for entry, hit in topics:  # read again rather than hold every topic in memory
            if self.should_stop():
                return report
            drawing = stamps.get(companion.drawing_path(entry.path))
            if hit is not None and hit.facts is not None and library == cached_library and hit.drawing == drawing:
                self.facts[entry.path] = hit.facts  # unchanged since the last sync: nothing to render
                self.ledger.settle(entry.path, hit)
                continue
            note = self.reader.read(entry)
            if note is not None:
                self._render_topic(note, context, report)
                if entry.path in self.facts:  # remembered if the disk now holds what was rendered
                    self.ledger.settle_topic(entry, self.facts[entry.path], self.resolver.paths.get(entry.path, ()),
                                             tuple(self.problems_by_path.get(entry.path, ())),
                                             stamps.get(companion.drawing_path(entry.path)))
        render_library(self, set(self.library), context, report, library_notes)
        report = self._finish(report)
        if apply:
            problems = {path: found for path, found in self.problems_by_path.items()
                        if path != self.settings.problems_note}
            self.ledger.save(self.root, self.config.fingerprint, library, problems, self.settings.problems_note)
        self.ledger.forget()  # the daemon keeps running: hold only what watch runs need
        return report

    def _index(self, listing: scan.Listing, cached: dict[str, cache.Cached]
               ) -> tuple[list[tuple[scan.Entry, cache.Cached | None]], dict[str, Note]]:
        """First pass over every note: what links can reach, the library, and
        which notes are topics (with what the cache knew of them)."""
        self.problems_by_path.clear()
        self.facts, self.library = {}, {}
        known: dict[str, tuple[str, ...]] = {}
        topics: list[tuple[scan.Entry, cache.Cached | None]] = []
        library_notes: dict[str, Note] = {}
        for entry in listing.notes:
            hit = cached.get(entry.path)
            if hit is not None and hit.stamp == entry.stamp:
                known[entry.path] = hit.aliases
                self.problems_by_path[entry.path] = list(hit.problems)
                if hit.library is not None:
                    self.library[entry.path] = hit.library
                if hit.kind in (STUB, TOPIC):
                    topics.append((entry, hit))
                else:
                    self.ledger.settle(entry.path, hit)
                continue
            note = self.reader.read(entry)
            if note is not None:
                known[note.path] = aliases(note.props)
            if note is not None and note.kind in (STUB, TOPIC):
                topics.append((entry, None))
                continue
            if note is not None and self._index_library(note):
                library_notes[note.path] = note
            self.ledger.settle(entry.path, cache.Cached(
                entry.stamp, note.kind if note else "unreadable", known.get(entry.path, ()),
                tuple(self.problems_by_path.get(entry.path, ())), self.library.get(entry.path)))
        self.resolver = Resolver(known)
        return topics, library_notes

    # -- stages -------------------------------------------------------------------

    def _index_library(self, note: Note) -> bool:
        entry, problems = library_note(note)
        if entry is None:
            return False
        self.library[note.path] = entry
        self.problems_by_path[note.path] = self.problems_by_path.get(note.path, []) + problems
        return True

    def _render_topic(self, note: Note, context: Context, report: SyncReport) -> None:
        result = render(note, context, self.config.scaffolds)
        self.problems_by_path[note.path] = self.problems_by_path.get(note.path, []) + result.problems
        if result.text is not None:
            self.emitter.emit(Change(note.path, Action(result.action), note.raw, note.encode(result.text)), report)
        if result.topic is None:
            self.facts.pop(note.path, None)
            return
        self.facts[note.path] = facts_of(note, result, context, self.library)
        for rel, companion_text in result.companions.items():
            self.emitter.companion(rel, companion_text.encode("utf-8"), report)

    def _finish(self, report: SyncReport) -> SyncReport:
        report.problems = self.problems()
        change = problems_note_change(self.root, self.settings, report.problems)
        if change is not None:
            self.emitter.emit(change, report)
            report.problems = self.problems()
        return report

    def problems(self) -> list[Problem]:
        """Every problem known now, in a stable order."""
        found = self.config.problems + [p for problems in self.problems_by_path.values() for p in problems]
        return sorted(dict.fromkeys(found), key=lambda p: (p.path or "", p.key or "", p.message))


def facts_of(note: Note, result, context: Context, library: dict[str, LibraryNote]) -> TopicFacts:
    """What a rendered topic contributes to the cross-topic notes, from its text as it will be on disk."""
    text = result.text if result.text is not None else note.text
    body = text[note.span.body_start:] if note.span else text
    figures = result.topic.capacity.to_json()
    figures["monthly_cost_usd_total"] = (figures.get("monthly_cost_usd") or {}).get("total")
    return topic_facts(note.path, note.topic_name, body, context.resolver, library, figures)


def render_library(pipeline: Pipeline, paths: set[str], context: Context, report: SyncReport,
                   read: dict[str, Note]) -> None:
    """Refresh the cross-topic blocks of the library notes at `paths` (the
    render stage of the library: after every topic's facts are known)."""
    crosslinks = Crosslinks(pipeline.facts.values(), context.resolver, context.style)
    for path in sorted(paths):
        entry = pipeline.library.get(path)
        note = read.get(path) or pipeline.reader.reread(path)
        if entry is None or note is None:
            continue
        text, problems = blocks.refresh(note.text, crosslinks.generator(entry), note.newline)
        problems = [Problem(p.message, path, p.key, p.hint, p.kind) for p in problems]
        kept = [p for p in pipeline.problems_by_path.get(path, [])
                if p.kind not in blocks.PROBLEM_KINDS]  # found anew
        pipeline.problems_by_path[path] = kept + problems
        if text != note.text:
            pipeline.emitter.emit(Change(path, Action.UPDATED, note.raw, note.encode(text)), report)


def library_changed(notes: dict[str, Note], gone: list[str], library: dict[str, LibraryNote],
                    resolver: Resolver) -> bool:
    """Whether a library note (or a note's aliases) changed: topics then need a full run."""
    if any(path in library for path in gone):
        return True
    for path, note in notes.items():
        entry, _ = library_note(note)
        if entry != library.get(path) or (entry and aliases(note.props) != resolver.paths.get(path)):
            return True
    return False


def dependents(old: dict[str, TopicFacts | None], facts: dict[str, TopicFacts],
               library: dict[str, LibraryNote]) -> set[str]:
    """Library notes whose cross-topic blocks change with these topics."""
    affected: set[str] = set()
    for path, before in old.items():
        after = facts.get(path)
        if before == after:
            continue
        for found in (before, after):
            if found is not None:
                affected |= found.links
        if (before and before.figures, before and before.name) != (after and after.figures, after and after.name):
            affected |= {p for p, entry in library.items() if entry.kind == CAPACITY}
    return affected


class Reader:
    """Reads notes (scan, then parse) and records each one's read and parse
    problems in `problems` (the pipeline's, by path)."""

    def __init__(self, root: Path, settings: Callable[[], Settings], problems: dict[str, list[Problem]]):
        self.root, self._settings, self.problems_by_path = root, settings, problems

    @property
    def settings(self) -> Settings:
        return self._settings()

    def read_paths(self, paths: list[str]) -> tuple[dict[str, Note], list[str]]:
        notes, gone = {}, []
        for path in paths:
            entry = scan.entry(self.root, path, self.settings)
            note = self.read(entry) if entry else None
            if note is not None:
                notes[path] = note
            elif entry is None:
                gone.append(path)
        return notes, gone

    def read(self, entry: scan.Entry, record: bool = True, skim: bool = True) -> Note | None:
        """The note, its read and parse problems recorded (unless `record` is
        False: a second read for rendering keeps what the first one found).
        `skim`: see `note.parse`."""
        if entry.path == self.settings.problems_note:
            return None
        raw, problem = scan.read(self.root, entry, self.settings.max_note_bytes)
        if raw is None:
            if record:
                self.problems_by_path[entry.path] = [problem] if problem else []
            return None
        note, problems = parse(entry.path, raw, self.settings, skim=skim)
        if note is not None and entry.is_link and note.kind in (STUB, TOPIC):
            note, problems = None, [Problem("the note is a symbolic link; vault-tools never writes through links",
                                            entry.path, kind=Kind.UNSAFE,
                                            hint="replace the link with the note itself")]
        if record:
            self.problems_by_path[entry.path] = problems
        return note

    def reread(self, path: str) -> Note | None:
        entry = scan.entry(self.root, path, self.settings)
        return self.read(entry, record=False) if entry else None


class Emitter:
    """Records each change in the report and, when applying, writes it (the
    ledger learns its new stamp; a refusal is a retry or a problem)."""

    def __init__(self, root: Path, ledger: cache.Ledger, problems: dict[str, list[Problem]],
                 on_written: Callable[[str, bytes], None]):
        self.root, self.ledger, self.problems_by_path, self.on_written = root, ledger, problems, on_written

    def emit(self, change: Change, report: SyncReport) -> None:
        """Record a change; when applying, write it now and keep only its name
        (a first sync of thousands of stubs then holds no note in memory)."""
        if not report.apply:
            report.changes.append(change)
            self.ledger.unsettle(change.path)
            return
        report.changes.append(Change(change.path, change.action, None, b""))
        refused = write.write(self.root, change.path, change.before, change.after)
        if refused is None:
            report.written.append(change.path)
            self.on_written(change.path, change.after)
            try:
                self.ledger.wrote(change.path, cache.stamp(os.stat(self.root / change.path)))
            except OSError:
                self.ledger.unsettle(change.path)
            return
        self.ledger.unsettle(change.path)
        if refused.kind == Kind.RETRY:
            report.retry.append(refused)
        else:
            self.problems_by_path.setdefault(change.path, []).append(refused)

    def companion(self, rel: str, after: bytes, report: SyncReport) -> None:
        """A companion file (the topic's drawing), written while it is still ours."""
        if (self.root / rel).is_symlink():
            return  # a link is the person's, like a drawing drawn on: never ours to write
        try:
            before = scan.read_regular(self.root / rel)
        except FileNotFoundError:
            before = None
        except OSError:
            return
        if before is None:
            self.emit(Change(rel, Action.DRAWN, None, after), report)
        elif before != after and companion.owned(before.decode("utf-8", "replace")):
            self.emit(Change(rel, Action.REDRAWN, before, after), report)


def problems_note_change(root: Path, settings, problems: list[Problem]) -> Change | None:
    """The problems note's new bytes: created when there are problems, kept
    current (and cleared) once it exists."""
    path = root / settings.problems_note
    try:
        before = scan.read_regular(path)
    except FileNotFoundError:
        if not problems:
            return None
        return Change(settings.problems_note, Action.CREATED, None,
                      problems_note.new_note(problems, settings).encode())
    except OSError:
        return None
    note, _ = parse(settings.problems_note, before, settings)
    if note is None:
        return None
    content = problems_note.content(problems, settings)
    text, _ = blocks.refresh(note.text, lambda name: content if name == problems_note.BLOCK else None, note.newline)
    return None if text == note.text else Change(settings.problems_note, Action.UPDATED, before, note.encode(text))
