"""The component catalog (`Catalog/Components.md`): the one list of what
`components:` may name, each component's aliases, layer, role and the cloud
services that play it. Capacity, cost and diagrams all ask it."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

from vault_tools import frontmatter, markdown
from vault_tools.links import slug
from vault_tools.problems import Kind, Problem

LAYERS = ("client", "edge", "service", "data", "async", "external")


@dataclass(frozen=True)
class Component:
    name: str
    aliases: tuple[str, ...]
    layer: str
    azure: str
    aws: str
    oss: str
    notes: str = ""
    role: str = ""  # what it does on the request paths (diagrams, capacity, cost); "" → its name

    def __post_init__(self) -> None:
        object.__setattr__(self, "role", self.role or self.name)


@dataclass
class Catalog:
    """What `components:` may name, and the service that plays each part."""

    components: list[Component] = field(default_factory=list)
    path: str = ""
    _index: dict[str, Component] = field(default_factory=dict, repr=False)

    def roles(self, names: list[str]) -> tuple[str, ...]:
        """The roles of the named components (names the catalog does not know are left out)."""
        return tuple(dict.fromkeys(c.role for c in map(self.find, names) if c))

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
                problems.append(Problem(f"component `{name}` has layer `{layer}`", path, name, kind=Kind.LIBRARY,
                                        hint=f"one of: {', '.join(LAYERS)}"))
                layer = "service"
            def text_of(key: str) -> str:
                cell = row.get(key)
                return cell.text.strip() if cell else ""
            catalog.components.append(Component(
                name, tuple(a.strip().lower() for a in text_of("aliases").split(",") if a.strip()), layer,
                text_of("azure"), text_of("aws"), text_of("open source"), text_of("notes"),
                text_of("role").lower()))
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
                                           kind=Kind.LIBRARY)]
    return Catalog(), []
