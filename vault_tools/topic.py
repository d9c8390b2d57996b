"""The topic model: one topic note in its vault `Context`, as every
generator reads it, and the library notes (`Pick`) chosen for it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Callable

from vault_tools import sections
from vault_tools.capacity import CapacityReport, PriceTable, build_report
from vault_tools.library import rules
from vault_tools.library.catalog import Catalog, Component
from vault_tools.library.notes import DEEP_DIVE, LibraryNote
from vault_tools.links import LinkStyle, Resolver
from vault_tools.note import Note
from vault_tools.problems import Kind, Problem
from vault_tools.settings import Settings

MAX_SUGGESTED = 3
_FIRST_SECTION = re.compile("^" + sections.heading_regex(1), re.MULTILINE)


@dataclass
class Context:
    """The vault-wide inputs of rendering, read once per run."""

    settings: Settings
    resolver: Resolver = field(default_factory=Resolver)
    library: dict[str, LibraryNote] = field(default_factory=dict)
    catalog: Catalog = field(default_factory=Catalog)
    prices: PriceTable | None = None
    style: LinkStyle = field(default_factory=LinkStyle)


@dataclass(frozen=True)
class Pick:
    """A library note chosen for a topic: named in its properties or suggested by a rule."""

    note: LibraryNote
    reason: str = ""  # why it was suggested; "" when the person named it


class Topic:
    """Everything a generator may read about one topic note."""

    def __init__(self, note: Note, context: Context):
        self.note = note
        self.context = context
        self.problems: list[Problem] = []
        self._memo: dict[str, object] = {}

    def memo(self, key: str, make: Callable[[], object]):
        """`make()` once per topic: several blocks draw on the same model."""
        if key not in self._memo:
            self._memo[key] = make()
        return self._memo[key]

    @property
    def name(self) -> str:
        return self.note.topic_name

    @property
    def props(self) -> dict:
        return self.note.props

    @property
    def cloud(self) -> str:
        value = self.props.get("cloud")
        return str(value).strip().lower() if isinstance(value, str) and value.strip() else self.context.settings.cloud

    def prop_list(self, key: str) -> list[str]:
        """A list property (`[a, b]` or `a, b`) as clean strings."""
        value = self.props.get(key)
        items = value if isinstance(value, list) else str(value).split(",") if value else []
        return [str(item).strip() for item in items if str(item).strip()]

    @cached_property
    def capacity(self) -> CapacityReport:
        props = self.props
        if "cloud" not in props and self.context.settings.cloud != Settings.cloud:
            props = {**props, "cloud": self.context.settings.cloud}  # the vault's default cloud
        catalog = self.context.catalog
        roles = catalog.roles(self.prop_list("components")) if catalog.components else None
        return build_report(props, self.name, self.context.prices, roles)

    @cached_property
    def components(self) -> list[tuple[str, Component | None]]:
        return [(name, self.context.catalog.find(name)) for name in self.prop_list("components")]

    @cached_property
    def signals(self) -> rules.Signals:
        names = {c.name for _, c in self.components if c} | {slug_name.lower() for slug_name, _ in self.components}
        figures = self.capacity.to_json()
        media = bool(self.props.get("media-share")) and str(self.props.get("media-share")).strip() not in ("0", "0%")
        return rules.Signals(frozenset(names), f"{self.name} {self.own_text}".lower(), figures, media)

    @property
    def own_text(self) -> str:
        """The person's text above the 13 sections (the stub's body)."""
        body = self.note.body
        first = _FIRST_SECTION.search(body)
        return body[: first.start()] if first else body

    def picks(self, key: str, kind: str) -> list[Pick]:
        """The library notes of `kind` named in property `key`, or suggested by
        their rules; worked out once per topic (several blocks list them)."""
        return self.memo(f"picks {key}", lambda: self._picks(key, kind))

    def _picks(self, key: str, kind: str) -> list[Pick]:
        named = self.prop_list(key)
        if named:
            return [pick for pick in (self._named(item, key, kind) for item in named) if pick]
        suggested = []
        for note in sorted(self.context.library.values(), key=lambda n: n.title):
            if note.kind != kind:
                continue
            for condition in note.suggest_when:
                ok, evidence = rules.holds(condition, self.signals)
                if ok:
                    suggested.append(Pick(note, evidence or condition))
                    break
        return suggested[:MAX_SUGGESTED]

    def _named(self, item: str, key: str, kind: str) -> Pick | None:
        target = link_target(item)
        path = self.context.resolver.resolve(target, self.note.path)
        note = self.context.library.get(path) if path else None
        if note is None or note.kind != kind:
            folder = "Deep Dives" if kind == DEEP_DIVE else "Trade-offs"
            close = self.context.resolver.suggestion(target, folder)
            self.problems.append(Problem(
                f"no {kind} note called `{target}`", key=key, kind=Kind.LINK,
                hint=f"did you mean `{close}`?" if close else f"add a note to {folder}/ or fix the name"))
            return None
        return Pick(note)

    def link(self, path: str, text: str = "", anchor: str = "", embed: bool = False) -> str:
        return self.context.style.link(path, self.note.path, self.context.resolver, text, anchor, embed)


def link_target(item: str) -> str:
    """`[[SQL vs NoSQL|alias]]` or `sql-vs-nosql` → the name to link to."""
    item = item.strip()
    if item.startswith("[[") and item.endswith("]]"):
        item = item[2:-2]
    return item.split("|")[0].split("#")[0].strip()
