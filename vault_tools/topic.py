"""The topic model: one topic note in its vault `Context`, as every
generator reads it, and the library notes (`Pick`) chosen for it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Callable

from vault_tools import sections
from vault_tools.capacity import CapacityReport, PriceTable, build_report
from vault_tools.capacity.assumptions import Assumptions, default_assumptions
from vault_tools.capacity.cost import CDN_BILLS, CostLine, CostReport
from vault_tools.capacity.show import significant
from vault_tools.library import rules
from vault_tools.library.catalog import Catalog, Component
from vault_tools.capacity.inputs import RIVALS
from vault_tools.library.notes import DEEP_DIVE, PROBLEM, LibraryNote
from vault_tools.library.problem_notes import Match, ProblemNote, closest, find_named, match_title, problem_note
from vault_tools.links import LinkStyle, Resolver, slug
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
    assumptions: Assumptions | None = None
    style: LinkStyle = field(default_factory=LinkStyle)

    @cached_property
    def problem_library(self) -> list[LibraryNote]:
        """The problem notes, by title."""
        return sorted((n for n in self.library.values() if n.kind == PROBLEM), key=lambda n: (n.title, n.path))


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

    # -- the problem it is --------------------------------------------------------

    @cached_property
    def match(self) -> Match:
        """Its problem: the `problem:` property, else matched from its name."""
        library = self.context.problem_library
        named = self.props.get("problem")
        if isinstance(named, str) and named.strip():
            target = link_target(named)
            if target.lower() == "none":
                return Match(None, "`problem: none`")
            found = find_named(target, library)
            if found is not None:
                return Match(found, "`problem:` names it")
            close = closest(target, library)
            self.problems.append(Problem(
                f"no problem note called `{target}`", key="problem", kind=Kind.LINK,
                hint=f"did you mean `{close[0].title}`?" if close else "add a note to Problems/ or fix the name"))
            return Match(None, f"`problem: {target}` names no note in Problems/", close)
        return match_title(self.name, library)

    @cached_property
    def problem(self) -> ProblemNote | None:
        return problem_note(self.match.problem) if self.match.problem else None

    @cached_property
    def numbers(self) -> dict:
        """The properties the capacity engine reads: the stub's own, then the
        problem's `## Scale` defaults, then (in the engine) the global defaults."""
        props = dict(self.props)
        if self.problem is not None:
            for key, value in self.problem.defaults().items():
                if key not in props and not any(rival in props for rival in RIVALS.get(key, ())):
                    props[key] = value
        if "cloud" not in props and self.context.settings.cloud != Settings.cloud:
            props["cloud"] = self.context.settings.cloud  # the vault's default cloud
        return props

    @property
    def entities(self) -> object:
        """The stub's `entities`, else its problem's `## Entities` (name → fields)."""
        value = self.props.get("entities")
        if value in (None, "", [], {}) and self.problem is not None and self.problem.entities:
            return {row.name: row.fields for row in self.problem.entities}
        return value

    @cached_property
    def capacity(self) -> CapacityReport:
        catalog = self.context.catalog
        roles = catalog.roles([name for name, _ in self.components]) if catalog.components else None
        split = self.problem.latency if self.problem is not None else None
        report = build_report(self.numbers, self.name, self.context.prices, roles, split or None,
                              self.context.assumptions, own_estimates=self.problem is not None)
        if self.problem is not None:
            report = replace(report, cost=with_extra_costs(report.cost, self.problem.extra_costs))
        return report

    @cached_property
    def components(self) -> list[tuple[str, Component | None]]:
        """The stub's `components`, else the components of its problem's infrastructure."""
        names = self.prop_list("components")
        if not names and self.problem is not None:
            names = list(dict.fromkeys(part.component for part in self.problem.parts))
        return [(name, self.context.catalog.find(name)) for name in names]

    @cached_property
    def signals(self) -> rules.Signals:
        names = {c.name for _, c in self.components if c} | {slug_name.lower() for slug_name, _ in self.components}
        figures = self.capacity.to_json()
        media = bool(self.props.get("media-share")) and str(self.props.get("media-share")).strip() not in ("0", "0%")
        read_heavy = (self.context.assumptions or default_assumptions())["read-heavy"]
        return rules.Signals(frozenset(names), f"{self.name} {self.own_text}".lower(), figures, read_heavy, media)

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
        if not named and self.problem is not None:
            named = list(self.problem.deep_dives if key == "deep-dives" else self.problem.trade_offs)
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


def with_extra_costs(cost: CostReport, extras: tuple) -> CostReport:
    """The cost with a problem's `## Extra costs`: each replaces the engine's
    line it names (its own sizing of a SKU the price table lacks) or adds to them."""
    if not extras:
        return cost
    replaced = {extra.replaces for extra in extras if extra.replaces}
    lines = [line for line in cost.lines if line.key not in replaced]
    for extra in extras:
        amount = f"{extra.quantity:,.0f}" if float(extra.quantity).is_integer() else significant(extra.quantity)
        formula = f"{amount} × ${extra.unit_usd:,g}" + (f" ({extra.source})" if extra.source else "")
        lines.append(CostLine(f"problem_{slug(extra.line)}", extra.line, extra.quantity * extra.unit_usd, formula))
    note = ("the lines priced as quantity × unit price come from the problem: SKUs and fees the "
            "price table does not carry" + (f"; they stand in for the list-price {', '.join(sorted(replaced))} "
                                            "line(s)" if replaced else ""))
    words = [word for key in replaced for word in _ASSUMPTION_WORDS.get(key, ())]
    kept = [a for a in cost.assumptions if not any(word in a for word in words)]  # of lines no longer there
    if any("front door" in extra.line.lower() for extra in extras):  # the problem prices its requests
        kept = [a.replace(_UNPRICED_REQUESTS, "") for a in kept]
    return replace(cost, lines=lines, assumptions=[*kept, note])


_UNPRICED_REQUESTS = "; Azure Front Door's per-request fee is not in the price table, so not included"
# The words of the cost assumptions that explain each engine line.
_ASSUMPTION_WORDS = {
    "cache": ("cache = cheapest node",), "stream": ("one event per write", "one event per message"),
    "queue": ("one queue message per write",), "gateway": ("passes the API gateway",),
    "database": ("Cosmos DB 1 RU", "DynamoDB provisioned", "SQL primary sized",
                 "text (write-size) lives in the database"),
    "cdn_egress": (CDN_BILLS,), "storage_hot": ("media in object storage by age",),
}
