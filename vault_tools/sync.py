"""The pipeline: scan → parse → render → write, once over the whole vault.

`sync` is what the CLI's `sync` and the watcher both run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from vault_tools import blocks, problems_note, scan, write
from vault_tools.note import STUB, TOPIC, Note, parse
from vault_tools.problems import Problem
from vault_tools.render import render
from vault_tools.sections import load_scaffolds
from vault_tools.settings import Settings, load_settings


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
    settings, problems = load_settings(root)
    scaffolds, template_problems = load_scaffolds(root, settings.sections_folder)
    problems += template_problems
    listing = scan.walk(root, settings)
    if apply:
        for temp in listing.temp_files:
            write.remove_stale_temp(root, temp)
    report = SyncReport(notes=len(listing.notes))
    for entry in listing.notes:
        if entry.path == settings.problems_note:
            continue
        note, found = _read(root, entry, settings)
        problems += found
        if note is None:
            continue
        result = render(note, settings, scaffolds)
        problems += result.problems
        if result.text is not None:
            report.changes.append(Change(note.path, result.action, note.raw, note.encode(result.text)))
    if apply:
        problems += _apply(root, report.changes, report)
    report.problems = sorted(problems, key=lambda p: (p.path or "", p.key or "", p.message))
    summary = _problems_note_change(root, settings, report.problems)
    if summary is not None:
        report.changes.append(summary)
        if apply:
            report.problems += _apply(root, [summary], report)
    return report


def _read(root: Path, entry: scan.Entry, settings: Settings) -> tuple[Note | None, list[Problem]]:
    raw, problem = scan.read(root, entry, settings.max_note_bytes)
    if raw is None:
        return None, [problem] if problem else []
    note, problems = parse(entry.path, raw, settings)
    if note is not None and entry.is_link and note.kind in (STUB, TOPIC):
        return None, [Problem("the note is a symbolic link; vault-tools never writes through links", note.path,
                              kind="unsafe", hint="replace the link with the note itself")]
    return note, problems


def _apply(root: Path, changes: list[Change], report: SyncReport) -> list[Problem]:
    """Write the changes; returns the problems of those that were refused."""
    problems: list[Problem] = []
    for change in changes:
        refused = write.write(root, change.path, change.before, change.after)
        if refused is None:
            report.written.append(change.path)
        elif refused.kind == "retry":
            report.retry.append(refused)
        else:
            problems.append(refused)
    return problems


def _problems_note_change(root: Path, settings: Settings, problems: list[Problem]) -> Change | None:
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
