"""Library notes: trade-off, deep-dive, capacity and problem notes, read
from the vault, where a person edits them."""

from __future__ import annotations

from dataclasses import dataclass

from vault_tools import frontmatter, markdown
from vault_tools.note import Note
from vault_tools.problems import Kind, Problem

TRADE_OFF, DEEP_DIVE, CAPACITY, PROBLEM = "trade-off", "deep-dive", "capacity", "problem"
_KINDS = {f"system-design/{kind}": kind for kind in (TRADE_OFF, DEEP_DIVE, CAPACITY, PROBLEM)}


@dataclass(frozen=True)
class Choice:
    """A default for a topic's trade-off row: taken when `when` holds."""

    when: str
    choice: str
    why: str


@dataclass(frozen=True)
class LibraryNote:
    path: str
    kind: str
    title: str
    aliases: tuple[str, ...] = ()
    options: tuple[str, ...] = ()
    probes: tuple[str, ...] = ()
    suggest_when: tuple[str, ...] = ()
    choose: tuple[Choice, ...] = ()
    has_summary: bool = False
    figures: str = ""  # a capacity note: which figures its `figures` block shows
    # A problem note: words in a title that point to it, its one-line crux, the
    # patterns it exercises, the library notes it leans on, and its body (read
    # into a `ProblemNote` when a topic needs it).
    keywords: tuple[str, ...] = ()
    crux: str = ""
    patterns: tuple[str, ...] = ()
    deep_dives: tuple[str, ...] = ()
    trade_offs: tuple[str, ...] = ()
    body: str = ""


def aliases(props: dict) -> tuple[str, ...]:
    """A note's `aliases` (list or string), as Obsidian reads them."""
    value = props.get("aliases", props.get("alias"))
    items = value if isinstance(value, list) else [value] if isinstance(value, str) else []
    return tuple(str(item).strip() for item in items if isinstance(item, (str, int, float)) and str(item).strip())


def library_note(note: Note) -> tuple[LibraryNote | None, list[Problem]]:
    """The library entry of a note tagged `system-design/trade-off`,
    `.../deep-dive`, `.../capacity` or `.../problem`; None for any other note."""
    tags = frontmatter.tag_set(note.props)
    kind = next((k for tag, k in _KINDS.items() if tag in tags), None)
    if kind is None:
        return None, []
    body = note.body
    choose, problems = _choices(note)
    return LibraryNote(
        path=note.path, kind=kind, title=note.name, aliases=aliases(note.props),
        options=_strings(note.props.get("options")),
        probes=tuple(markdown.bullets(markdown.section(body, "Probing questions"))),
        suggest_when=_strings(note.props.get("suggest-when")),
        choose=choose, has_summary=bool(markdown.section(body, "Summary").strip()),
        figures=str(note.props.get("figures") or "").strip().lower(),
        **(_problem_fields(note) if kind == PROBLEM else {}),
    ), problems


def _problem_fields(note: Note) -> dict:
    props = note.props
    crux = props.get("crux")
    return {"keywords": _strings(props.get("keywords")), "crux": " ".join(str(crux).split()) if crux else "",
            "patterns": _strings(props.get("patterns")), "deep_dives": _strings(props.get("deep-dives")),
            "trade_offs": _strings(props.get("trade-offs")), "body": note.body}


def _strings(value: object) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value] if isinstance(value, str) else []
    return tuple(str(item).strip() for item in items if isinstance(item, (str, int, float)) and str(item).strip())


def _choices(note: Note) -> tuple[tuple[Choice, ...], list[Problem]]:
    value = note.props.get("choose") or []
    if not isinstance(value, list):
        value = [value]
    found, problems = [], []
    for item in value:
        if isinstance(item, dict) and isinstance(item.get("choice"), str):
            found.append(Choice(str(item.get("when") or "always"), item["choice"], str(item.get("why") or "")))
        else:
            problems.append(Problem("a `choose` entry needs `choice:` (and usually `when:` and `why:`)",
                                    note.path, "choose", kind=Kind.LIBRARY,
                                    hint="e.g. - {when: read-heavy, choice: Cache-aside, why: reads dominate}"))
    return tuple(found), problems
