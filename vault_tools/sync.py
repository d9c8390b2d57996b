"""The pipeline: scan → parse → render → write.

`sync` runs it once over the whole vault; the watcher keeps one `Pipeline`
and runs it over the paths that changed. Same code, same results.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from vault_tools import blocks, problems_note, scan, write
from vault_tools.note import STUB, TOPIC, Note, parse
from vault_tools.problems import Problem
from vault_tools.render import render
from vault_tools.sections import load_scaffolds
from vault_tools.settings import load_settings


@dataclass(frozen=True)
class Change:
    """A note whose bytes would change; `before` is None for a new note."""

    path: str
    action: str
    before: bytes | None
    after: bytes


@dataclass
class SyncReport:
    notes: int = 0
    changes: list[Change] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    retry: list[Problem] = field(default_factory=list)  # transient: tried again next time

    def to_json(self) -> dict:
        return {
            "notes": self.notes,
            "changes": [{"path": c.path, "action": c.action, "written": c.path in self.written}
                        for c in self.changes],
            "problems": [p.to_json() for p in self.problems],
            "retry": [p.to_json() for p in self.retry],
        }


def sync(root: Path, *, apply: bool = True) -> SyncReport:
    """Expand every stub and refresh every topic in the vault at `root`.

    With apply=False nothing is written: the report says what would change.
    """
    return Pipeline(root).run(apply=apply)


class Pipeline:
    """One vault's settings and section scaffolds, and the problems last
    found in each note (so that a run over a few paths still keeps the
    problems note whole)."""

    def __init__(self, root: Path):
        self.root = root
        self.by_path: dict[str, list[Problem]] = {}
        self.reload()

    def reload(self) -> None:
        """Read the settings and section scaffolds again."""
        self.settings, self.vault_problems = load_settings(self.root)
        self.scaffolds, template_problems = load_scaffolds(self.root, self.settings.sections_folder)
        self.vault_problems += template_problems

    def run(self, paths: Iterable[str] | None = None, *, apply: bool = True) -> SyncReport:
        """Process `paths` (vault-relative), or the whole vault when None."""
        if paths is None:
            listing = scan.walk(self.root, self.settings)
            entries = listing.notes
            self.by_path = {}
            if apply:
                for temp in listing.temp_files:
                    write.remove_stale_temp(self.root, temp)
        else:
            entries = self._entries(paths)
        report = SyncReport(notes=len(entries))
        for entry in entries:
            if entry.path == self.settings.problems_note:
                continue
            self.by_path[entry.path] = self._render(entry, report)
        if apply:
            self._apply(report.changes, report)
        self._problems_note(report, apply)
        return report

    def _entries(self, paths: Iterable[str]) -> list[scan.Entry]:
        entries = []
        for path in sorted(set(paths)):
            found = scan.entry(self.root, path, self.settings)
            if found is None:
                self.by_path.pop(path, None)  # deleted, or not a note: its problems go too
            else:
                entries.append(found)
        return entries

    def _render(self, entry: scan.Entry, report: SyncReport) -> list[Problem]:
        note, problems = self._read(entry)
        if note is None:
            return problems
        result = render(note, self.settings, self.scaffolds)
        if result.text is not None:
            report.changes.append(Change(note.path, result.action, note.raw, note.encode(result.text)))
        return problems + result.problems

    def _read(self, entry: scan.Entry) -> tuple[Note | None, list[Problem]]:
        raw, problem = scan.read(self.root, entry, self.settings.max_note_bytes)
        if raw is None:
            return None, [problem] if problem else []
        note, problems = parse(entry.path, raw, self.settings)
        if note is not None and entry.is_link and note.kind in (STUB, TOPIC):
            return None, [Problem("the note is a symbolic link; vault-tools never writes through links",
                                  note.path, kind="unsafe", hint="replace the link with the note itself")]
        return note, problems

    def _apply(self, changes: list[Change], report: SyncReport) -> None:
        for change in changes:
            refused = write.write(self.root, change.path, change.before, change.after)
            if refused is None:
                report.written.append(change.path)
            elif refused.kind == "retry":
                report.retry.append(refused)
            else:
                self.by_path.setdefault(change.path, []).append(refused)

    def problems(self) -> list[Problem]:
        """Every problem known now, in a stable order."""
        found = self.vault_problems + [p for problems in self.by_path.values() for p in problems]
        return sorted(found, key=lambda p: (p.path or "", p.key or "", p.message))

    def _problems_note(self, report: SyncReport, apply: bool) -> None:
        report.problems = self.problems()
        change = problems_note_change(self.root, self.settings, report.problems)
        if change is None:
            return
        report.changes.append(change)
        if apply:
            self._apply([change], report)
            report.problems = self.problems()


def problems_note_change(root: Path, settings, problems: list[Problem]) -> Change | None:
    """The problems note's new bytes: created when there are problems, kept
    current (and cleared) once it exists."""
    path = root / settings.problems_note
    try:
        before = path.read_bytes()
    except FileNotFoundError:
        if not problems:
            return None
        return Change(settings.problems_note, "created", None, problems_note.new_note(problems, settings).encode())
    except OSError:
        return None
    note, _ = parse(settings.problems_note, before, settings)
    if note is None:
        return None
    content = problems_note.content(problems, settings)
    text, _ = blocks.refresh(note.text, lambda name: content if name == problems_note.BLOCK else None, note.newline)
    return None if text == note.text else Change(settings.problems_note, "updated", before, note.encode(text))
