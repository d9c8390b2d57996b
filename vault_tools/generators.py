"""What goes inside generated text: live block and one-off generators.

A generator is a pure function of a `Topic` — the note, its properties and
the vault `Context` (settings, library, catalog, prices) — returning
Markdown with `\\n` line endings. Problems it finds go to `topic.problems`.
"""

from __future__ import annotations

from typing import Callable

from vault_tools import diagrams
from vault_tools.capacity import whiteboard
from vault_tools.capacity.quantity import EXAMPLES
from vault_tools.diagrams import companion
from vault_tools.diagrams.architecture import product_named
from vault_tools.diagrams.mermaid import code
from vault_tools.library import rules
from vault_tools.library.notes import DEEP_DIVE, TRADE_OFF, LibraryNote
from vault_tools.markdown import cell, table
from vault_tools.problems import Kind, Problem
from vault_tools.topic import Topic

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


def overview(topic: Topic) -> str:
    cloud = topic.cloud + ("" if "cloud" in topic.props else " (default)")
    rows = [["Topic", cell(topic.name)], *_problem_rows(topic), ["Cloud", cloud]]
    rows += [[label, cell(topic.props[key])] for key, label in _OVERVIEW if topic.props.get(key) not in (None, "", [])]
    return table(["Property", "Value"], rows)


def _problem_rows(topic: Topic) -> list[list[str]]:
    """Which problem the topic is and why; with none, the closest ones."""
    match, problem = topic.match, topic.problem
    if problem is not None:
        rows = [["Problem", cell(f"{topic.link(problem.path)}: {match.reason}")]]
        rows += [["Crux", cell(problem.crux)]] if problem.crux else []
        return rows + ([["Patterns", cell(", ".join(problem.patterns))]] if problem.patterns else [])
    if not topic.context.problem_library:
        return []
    close = ", ".join(topic.link(note.path) for note in match.closest)
    return [["Problem", cell(f"none: {match.reason}" + (f"; closest: {close}" if close else "")
                             + "; set `problem:` to one of Problems/")]]


def inputs(topic: Topic) -> str:
    """Where each number the capacity math uses comes from: the stub, then
    the problem (with its source), then the defaults the engine states."""
    problem = topic.problem
    scale = {row.key: row for row in problem.scale} if problem else {}
    rows = []
    for key, value in topic.numbers.items():
        if key in topic.props and (key in EXAMPLES or key in scale):
            rows.append([f"`{key}`", cell(topic.props[key]), "your stub"])
        elif key in scale:
            source = f"{topic.link(problem.path)}: {scale[key].source}" if scale[key].source else topic.link(problem.path)
            rows.append([f"`{key}`", cell(scale[key].value), cell(source)])
    defaults = [line for line in topic.capacity.capacity_assumptions if line.endswith(")") and "default" in line]
    parts = [table(["Property", "Value", "From"], rows)] if rows else []
    if defaults:
        parts.append("**Defaults used**\n\n" + "".join(f"- {line}\n" for line in defaults))
    return "\n".join(parts) or "> [!note] Every number is a default: set `dau`, `writes` and the rest in the properties.\n"


def api(topic: Topic) -> str:
    """The problem's endpoints (`## APIs`), as a table that follows the note."""
    problem = topic.problem
    if problem is None or not problem.apis:
        return "> [!note] The endpoints of this topic's problem appear here; none matched (see the overview).\n"
    header = ["Method", "Path", "Request", "Response", "Status codes", "Notes"]
    keys = ["method", "path", "request", "response", "codes", "notes"]
    rows = [[code(row.get(k, "")) if k == "path" else cell(row.get(k, "") or "—") for k in keys]
            for row in problem.apis]
    return table(header, rows)


def deep_dives(topic: Topic) -> str:
    """Each linked deep-dive note with its Summary embedded; a problem-backed
    topic has its own deep dives above, decided for its numbers, so it only
    points at the general notes (their defaults may differ from its choices)."""
    picks = topic.picks("deep-dives", DEEP_DIVE)
    if not picks:
        return "> [!note] No deep dives yet\n> Name some in `deep-dives:` (notes in `Deep Dives/`).\n"
    if topic.problem is not None:
        links = " · ".join(topic.link(pick.note.path) for pick in picks)
        return f"The general patterns, with the options this design did not take: {links}\n"
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
    if topic.problem is not None and not topic.prop_list("components"):
        return _problem_parts(topic)
    if not topic.components:
        return "> [!note] No components yet\n> List them in `components:`; see [[Components]] for the names.\n"
    first, second = ("AWS", "Azure") if topic.cloud == "aws" else ("Azure", "AWS")
    rows = []
    for name, component in topic.components:
        if component is None:
            close = topic.context.catalog.closest(name)
            topic.problems.append(Problem(f"`{name}` is not in the component catalog", key="components",
                                          kind=Kind.LINK, hint=f"did you mean `{close}`?" if close else
                                          "add a row to Catalog/Components"))
            rows.append([cell(name), "?", "—", "—", "—"])
            continue
        services = {"Azure": component.azure, "AWS": component.aws}
        rows.append([cell(component.name), component.layer, cell(services[first]), cell(services[second]),
                     cell(component.oss)])
    return table(["Component", "Layer", first, second, "Open source"], rows)


def _problem_parts(topic: Topic) -> str:
    """Each part of the problem's infrastructure, what it does, and the
    service that plays it on each cloud: on the topic's cloud the one its
    description names, or none when it names none of the catalog's (a
    self-run part), so no product the design passed over is shown as chosen."""
    first, second = ("AWS", "Azure") if topic.cloud == "aws" else ("Azure", "AWS")
    rows = []
    for part in topic.problem.parts:
        component = topic.context.catalog.find(part.component)
        if component is None:
            rows.append([cell(part.name), cell(part.component), "?", "—", cell(part.does)])
            continue
        services = {"Azure": component.azure, "AWS": component.aws}
        chosen = product_named(part.does, services[first])
        if component.layer == "client" and not chosen:
            services = {"Azure": "outside our cloud", "AWS": "outside our cloud"}
        elif not chosen:  # self-run or bought: no cloud's product plays it
            services = {"Azure": "— (see Holds / does)", "AWS": "— (see Holds / does)"}
        rows.append([cell(part.name), component.name, cell(f"**{chosen}**" if chosen else services[first]),
                     cell(services[second]), cell(part.does)])
    return table(["Part", "Component", first, second, "Holds / does"], rows)


def probes(topic: Topic) -> str:
    """The probing questions of the linked library notes; a problem-backed topic
    has its own probes below, so it only points at the notes for more."""
    notes = [p.note for p in topic.picks("deep-dives", DEEP_DIVE) + topic.picks("trade-offs", TRADE_OFF)]
    if topic.problem is not None:
        with_probes = [topic.link(note.path) for note in notes if note.probes]
        return (f"More probes on the patterns this design uses: {' · '.join(with_probes)}\n" if with_probes
                else "")
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
    source = (f"the services and infrastructure of {topic.link(topic.problem.path)}"
              if topic.problem is not None and not topic.prop_list("components") else "`components:`")
    return (f"{topic.link(path, embed=True)}\n\n"
            f"> [!tip] Drawn from {source} and redrawn when they change — until you draw on it; "
            "from then on it is yours.\n")


def _capacity_block(name: str) -> Callable[[Topic], str]:
    def make(topic: Topic) -> str:
        return whiteboard.render(name, topic.capacity)

    return make


Generator = Callable[[Topic], str]

LIVE: dict[str, Generator] = {
    **diagrams.GENERATORS,
    "overview": overview,
    "inputs": inputs,
    "api": api,
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
