"""What goes inside generated text: live block and one-off generators.

A generator is a pure function of a `Topic` — the note, its properties and
the vault `Context` (settings, library, catalog, prices) — returning
Markdown with `\\n` line endings. Problems it finds go to `topic.problems`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Callable

from vault_tools import companion, rules, whiteboard
from vault_tools.capacity import CapacityReport, build_report
from vault_tools.cost import PriceTable
from vault_tools.library import DEEP_DIVE, TRADE_OFF, Catalog, Component, LibraryNote
from vault_tools.links import LinkStyle, Resolver
from vault_tools.note import Note
from vault_tools.problems import Problem
from vault_tools.settings import Settings

MAX_SUGGESTED = 3
_FIRST_SECTION = re.compile(r"^##[ \t]+(?:\S+[ \t]+)?1\.[ \t]", re.MULTILINE)
MAX_PROBES_PER_NOTE = 4

# The properties shown in the overview, in this order, with their labels.
_OVERVIEW = (
    ("dau", "Daily active users"), ("mau", "Monthly active users"),
    ("daily-active", "Daily active share"), ("writes", "Writes"), ("reads", "Reads"),
    ("read-write-ratio", "Read:write"), ("write-size", "Write size"), ("read-size", "Read size"),
    ("media-share", "Media share"), ("media-size", "Media size"), ("retention", "Retention"),
    ("availability", "Availability"), ("latency-p99", "Latency p99"), ("growth", "Growth"),
    ("components", "Components"), ("deep-dives", "Deep dives"), ("trade-offs", "Trade-offs"),
)


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
        return self.note.topic

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
        return build_report(props, self.name, self.context.prices)

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
                f"no {kind} note called `{target}`", key=key, kind="link",
                hint=f"did you mean `{close}`?" if close else f"add a note to {folder}/ or fix the name"))
            return None
        return Pick(note)

    def link(self, path: str, text: str = "", anchor: str = "", embed: bool = False) -> str:
        return self.context.style.link(path, self.note.path, self.context.resolver, text, anchor, embed)


def cell(value: object) -> str:
    """A value as one Markdown table cell (pipes and newlines escaped)."""
    if isinstance(value, list):
        value = ", ".join(str(item) for item in value)
    return str(value).replace("|", "\\|").replace("\n", " ").strip()


def link_target(item: str) -> str:
    """`[[SQL vs NoSQL|alias]]` or `sql-vs-nosql` → the name to link to."""
    item = item.strip()
    if item.startswith("[[") and item.endswith("]]"):
        item = item[2:-2]
    return item.split("|")[0].split("#")[0].strip()


def table(header: list[str], rows: list[list[str]]) -> str:
    """A Markdown table (cells already escaped with `cell`)."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def overview(topic: Topic) -> str:
    cloud = topic.cloud + ("" if "cloud" in topic.props else " (default)")
    rows = [["Topic", cell(topic.name)], ["Cloud", cloud]]
    rows += [[label, cell(topic.props[key])] for key, label in _OVERVIEW if topic.props.get(key) not in (None, "", [])]
    return table(["Property", "Value"], rows)


def deep_dives(topic: Topic) -> str:
    picks = topic.picks("deep-dives", DEEP_DIVE)
    if not picks:
        return "> [!note] No deep dives yet\n> Name some in `deep-dives:` (notes in `Deep Dives/`).\n"
    parts = []
    for pick in picks:
        why = f" — suggested: {pick.reason}" if pick.reason else ""
        head = f"### {pick.note.title}\n\n{topic.link(pick.note.path, 'Full note')}{why}\n"
        embed = topic.link(pick.note.path, anchor="Summary", embed=True) if pick.note.has_summary else ""
        parts.append(head + (f"\n{embed}\n" if embed else ""))
    return "\n".join(parts)


def trade_off_table(topic: Topic) -> str:
    rows = []
    for pick in topic.picks("trade-offs", TRADE_OFF):
        choice, why = _default_choice(topic, pick.note)
        options = ", ".join(pick.note.options) or "see the note"
        rows.append([cell(topic.link(pick.note.path)), cell(options), cell(choice), cell(why)])
    return table(["Decision", "Options", "Choice", "Why"], rows or [["", "", "", ""]])


def _default_choice(topic: Topic, note: LibraryNote) -> tuple[str, str]:
    for option in note.choose:
        ok, evidence = rules.holds(option.when, topic.signals)
        if ok:
            return option.choice, option.why + (f" ({evidence})" if evidence else "")
    return "", ""


def components(topic: Topic) -> str:
    if not topic.components:
        return "> [!note] No components yet\n> List them in `components:`; see [[Components]] for the names.\n"
    first, second = ("AWS", "Azure") if topic.cloud == "aws" else ("Azure", "AWS")
    rows = []
    for name, component in topic.components:
        if component is None:
            close = topic.context.catalog.closest(name)
            topic.problems.append(Problem(f"`{name}` is not in the component catalog", key="components",
                                          kind="link", hint=f"did you mean `{close}`?" if close else
                                          "add a row to Catalog/Components"))
            rows.append([cell(name), "?", "—", "—", "—"])
            continue
        services = {"Azure": component.azure, "AWS": component.aws}
        rows.append([cell(component.name), component.layer, cell(services[first]), cell(services[second]),
                     cell(component.oss)])
    return table(["Component", "Layer", first, second, "Open source"], rows)


def probes(topic: Topic) -> str:
    notes = [p.note for p in topic.picks("deep-dives", DEEP_DIVE) + topic.picks("trade-offs", TRADE_OFF)]
    parts = []
    for note in notes:
        if note.probes:
            questions = "\n".join(f"- {q}" for q in note.probes[:MAX_PROBES_PER_NOTE])
            parts.append(f"**From {topic.link(note.path)}**\n\n{questions}\n")
    if not parts:
        return "> [!note] Probing questions appear here from the deep dives and trade-offs this topic links.\n"
    return "\n".join(parts)


def drawing(topic: Topic) -> str:
    if not topic.components:
        return "> [!note] The Excalidraw drawing appears here once `components:` lists the building blocks.\n"
    path = companion.drawing_path(topic.note.path)
    return (f"{topic.link(path, embed=True)}\n\n"
            "> [!tip] Drawn from `components:` and redrawn when they change — until you draw on it; "
            "from then on it is yours.\n")


def _capacity_block(name: str) -> Callable[[Topic], str]:
    def make(topic: Topic) -> str:
        return whiteboard.render(name, topic.capacity)

    return make


Generator = Callable[[Topic], str]

LIVE: dict[str, Generator] = {
    "overview": overview,
    "deep-dives": deep_dives,
    "components": components,
    "probes": probes,
    "drawing": drawing,
    **{name: _capacity_block(name) for name in ("summary", "sla", "capacity", "growth", "cost")},
}
ONCE: dict[str, Generator] = {"trade-offs": trade_off_table}


def generator_for(topic: Topic, table: dict[str, Generator]) -> Callable[[str], str | None]:
    """name → generated text, or None for a name this version does not know."""

    def generate(name: str) -> str | None:
        make = table.get(name)
        return make(topic) if make else None

    return generate

from vault_tools import diagrams  # noqa: E402 - diagrams import Topic from here
LIVE.update(diagrams.GENERATORS)
