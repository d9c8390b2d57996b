"""The knowledge library: trade-off, deep-dive and capacity notes, and the
component catalog — read from the vault, where a person edits them."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

from vault_tools import frontmatter, markdown
from vault_tools.links import slug
from vault_tools.note import Note
from vault_tools.problems import Problem

TRADE_OFF, DEEP_DIVE, CAPACITY = "trade-off", "deep-dive", "capacity"
_KINDS = {f"system-design/{kind}": kind for kind in (TRADE_OFF, DEEP_DIVE, CAPACITY)}

LAYERS = ("client", "edge", "service", "data", "async", "external")


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


def aliases(props: dict) -> tuple[str, ...]:
    """A note's `aliases` (list or string), as Obsidian reads them."""
    value = props.get("aliases", props.get("alias"))
    items = value if isinstance(value, list) else [value] if isinstance(value, str) else []
    return tuple(str(item).strip() for item in items if isinstance(item, (str, int, float)) and str(item).strip())


def library_note(note: Note) -> tuple[LibraryNote | None, list[Problem]]:
    """The library entry of a note tagged `system-design/trade-off`,
    `.../deep-dive` or `.../capacity`; None for any other note."""
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
    ), problems


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
                                    note.path, "choose", kind="library",
                                    hint="e.g. - {when: read-heavy, choice: Cache-aside, why: reads dominate}"))
    return tuple(found), problems


@dataclass(frozen=True)
class Component:
    name: str
    aliases: tuple[str, ...]
    layer: str
    azure: str
    aws: str
    oss: str
    notes: str = ""


@dataclass
class Catalog:
    """What `components:` may name, and the service that plays each part."""

    components: list[Component] = field(default_factory=list)
    path: str = ""
    _index: dict[str, Component] = field(default_factory=dict, repr=False)

    def find(self, name: str) -> Component | None:
        """The component a name or alias stands for (first listed wins)."""
        if not self._index:  # built on first use: slugs of every name and alias
            for component in self.components:
                for key in (component.name, *component.aliases):
                    self._index.setdefault(slug(key), component)
        return self._index.get(slug(name))

    def closest(self, name: str) -> str | None:
        """The catalog name or alias nearest to an unknown one, for a hint."""
        names = [key for c in self.components for key in (c.name, *c.aliases)]
        close = difflib.get_close_matches(name.lower(), names, n=1, cutoff=0.5)
        return close[0] if close else None


CATALOG_NOTE = "Catalog/Components.md"


def parse_catalog(text: str, path: str) -> tuple[Catalog, list[Problem]]:
    """The catalog note's table: Component | Aliases | Layer | Azure | AWS | Open source | Notes."""
    span = frontmatter.split(text) if text.startswith("---") else None
    body = text[span.body_start:] if span else text
    catalog, problems = Catalog(path=path), []
    for table in markdown.tables(body):
        if not table or "component" not in table[0] or "layer" not in table[0]:
            continue
        for row in table:
            name = row["component"].text.strip().lower()
            layer = row.get("layer").text.strip().lower() if row.get("layer") else ""
            if not name:
                continue
            if layer not in LAYERS:
                problems.append(Problem(f"component `{name}` has layer `{layer}`", path, name, kind="library",
                                        hint=f"one of: {', '.join(LAYERS)}"))
                layer = "service"
            def text_of(key: str) -> str:
                cell = row.get(key)
                return cell.text.strip() if cell else ""
            catalog.components.append(Component(
                name, tuple(a.strip().lower() for a in text_of("aliases").split(",") if a.strip()), layer,
                text_of("azure"), text_of("aws"), text_of("open source"), text_of("notes")))
    return catalog, problems


def load_catalog(root: Path, shipped: Path) -> tuple[Catalog, list[Problem]]:
    """The vault's catalog note, else the one shipped with the package."""
    for base, label in ((root, CATALOG_NOTE), (shipped, "")):
        path = base / CATALOG_NOTE
        if path.is_file() and not path.is_symlink():
            try:
                return parse_catalog(path.read_text(encoding="utf-8-sig"), label or CATALOG_NOTE)
            except (OSError, UnicodeDecodeError, frontmatter.FrontmatterError) as error:
                return Catalog(), [Problem(f"cannot read the component catalog: {error}", CATALOG_NOTE,
                                           kind="library")]
    return Catalog(), []
