"""Sequence diagrams of the request paths (write, read with cache hit and
miss, the person's journeys) and the §6 live block."""

from __future__ import annotations
from typing import TYPE_CHECKING, Callable
from vault_tools.diagrams.architecture import STORES, Architecture, Node, architecture, architecture_flowchart, core
from vault_tools.diagrams.mermaid import label, mermaid, slug

if TYPE_CHECKING:
    from vault_tools.library.problem_notes import Flow
    from vault_tools.topic import Topic

class Sequence:
    """A sequence diagram built call by call; participants in order of use."""

    def __init__(self, title: str = ""):
        self.title = title
        self.people: dict[str, Node] = {}
        self.steps: list[str] = []

    def call(self, source: Node, target: Node, text: str, arrow: str = "->>") -> None:
        self.people.setdefault(source.id, source)
        self.people.setdefault(target.id, target)
        self.steps.append(f"{source.id}{arrow}{target.id}: {label(text)}")

    def note(self, over: Node, text: str) -> None:
        self.people.setdefault(over.id, over)
        self.steps.append(f"Note over {over.id}: {label(text)}")

    def block(self, keyword: str, text: str = "") -> None:
        self.steps.append(f"{keyword} {label(text)}" if text else keyword)

    def text(self) -> str:
        lines = ["sequenceDiagram"] + ([f"    title {label(self.title)}"] if self.title else []) + ["    autonumber"]
        for node in self.people.values():
            kind = "actor" if node.layer == "client" else "participant"
            name = label(node.name) + (f" · {label(node.service)}" if node.service and not node.implied else "")
            lines.append(f"    {kind} {node.id} as {name}")
        depth = 1
        for step in self.steps:
            depth -= step in ("end", "else") or step.startswith("else ")
            lines.append("    " * depth + step)
            depth += step.split(" ")[0] in ("alt", "opt", "else", "loop")
        return mermaid(lines)


def _round_trip(seq: Sequence, hops: list[Node], request: str, reply: str, middle: Callable[[], None]) -> None:
    """Request along `hops`, `middle` at the last hop, reply back the same way."""
    for source, target in zip(hops, hops[1:]):
        seq.call(source, target, request if source is hops[0] else "forward")
    middle()
    for source, target in zip(reversed(hops), list(reversed(hops))[1:]):
        seq.call(source, target, reply, "-->>")


def _paths(arch: Architecture) -> tuple[list[Node], Node, Node | None]:
    """The hops from the client to the first service, that service, and the primary store."""
    store = arch.role(*STORES) or next((n for n in arch.layer("data") if n.role not in ("cache", "blob")), None)
    service = arch.handlers[0]
    return arch.layer("client")[:1] + arch.layer("edge") + [service], service, store


def write_path(arch: Architecture) -> str:
    hops, service, store = _paths(arch)
    cache, bus = arch.role("cache"), (arch.buses or [None])[0]
    seq = Sequence()

    def commit() -> None:
        if store:
            seq.call(service, store, "insert / update")
            seq.call(store, service, "committed (durable)", "-->>")
        if cache:
            seq.call(service, cache, "delete cached key")
        if bus:
            seq.call(service, bus, "publish event (outbox)", "-)")

    _round_trip(seq, hops, "write request", "201 Created", commit)
    worker = (arch.workers or [None])[0]
    if bus and worker:
        seq.call(bus, worker, "deliver event", "-)")
        for target in arch.layer("external")[:1] or [n for n in arch.layer("data") if n.role == "search"][:1]:
            seq.call(worker, target, "side effect (idempotent)")
    return seq.text()


def read_path(arch: Architecture) -> str:
    hops, service, store = _paths(arch)
    cache = arch.role("cache")
    seq = Sequence()

    def read() -> None:
        if cache:
            seq.call(service, cache, "GET key")
            seq.block("alt", "cache hit")
            seq.call(cache, service, "value", "-->>")
            seq.block("else", "cache miss")
            seq.call(cache, service, "miss", "-->>")
        if store:
            seq.call(service, store, "read by key")
            seq.call(store, service, "row", "-->>")
        if cache:
            seq.call(service, cache, "SET key with TTL")
            seq.block("end")

    _round_trip(seq, hops, "read request", "200 OK", read)
    return seq.text()


def journey(arch: Architecture, name: str) -> str:
    hops, service, store = _paths(arch)
    bus = (arch.buses or [None])[0]
    seq = Sequence(name)

    def handle() -> None:
        if store:
            seq.call(service, store, "read / write")
            seq.call(store, service, "result", "-->>")
        if bus:
            seq.call(service, bus, "publish event", "-)")

    _round_trip(seq, hops, name, "response", handle)
    return seq.text()


def flow_diagram(arch: Architecture, flow: Flow, actors: tuple[str, ...]) -> str:
    """One `## Flows` flow of a problem as a sequence diagram: its steps in
    order, calls solid, replies dashed, async steps open-headed, plain steps as notes."""
    by_name = {n.name.casefold(): n for n in arch.nodes}
    people = {a.casefold() for a in actors}
    seq = Sequence(flow.title)

    def node(name: str) -> Node:
        key = " ".join(name.split()).casefold()
        if key not in by_name:
            layer = "client" if key in people else "external"
            by_name[key] = Node(f"x{len(by_name)}_{slug(name)}".rstrip("_"), name, layer)
        return by_name[key]

    first = next((step.source for step in flow.steps if step.arrow), "")
    last: Node | None = node(first) if first else None
    for step in flow.steps:
        if step.arrow:
            seq.call(node(step.source), node(step.target), step.text, step.arrow)
            last = node(step.target)
        elif last is not None:  # over the participant it starts with, else the last one called
            named = [n for key, n in by_name.items() if step.text.casefold().startswith(key)]
            seq.note(max(named, key=lambda n: len(n.name)) if named else last, step.text)
    return seq.text()


def _problem_block(topic: Topic, arch: Architecture) -> str:
    problem = topic.problem
    first = core(arch)
    parts = []
    if len(first.nodes) >= 4 and len(arch.nodes) - len(first.nodes) >= 3:
        parts += ["**First pass: the core request path** (clients, entry, services, the stores they own)\n",
                  architecture_flowchart(first),
                  "**Full design:** + shared caches, DNS, async messaging and external parties\n"]
    parts += [architecture_flowchart(arch),
              f"Drawn from the services and infrastructure of {topic.link(problem.path)} · solid: synchronous call · "
              "dotted: asynchronous (publish, consume, fire-and-forget)\n"]
    for flow in problem.flows:
        parts += [f"**{flow.title}**\n", flow_diagram(arch, flow, problem.actors)]
    return "\n".join(parts)


def architecture_block(topic: Topic) -> str:
    arch = architecture(topic)
    if topic.problem is not None and not topic.prop_list("components"):
        return _problem_block(topic, arch)
    if not arch.nodes:
        return ("> [!note] No components yet\n> List them in `components:` (e.g. `[cdn, gateway, cache, nosql,"
                " queue]`) to draw the architecture and its request paths.\n")
    parts = [architecture_flowchart(arch),
             "Solid: synchronous request path · dotted: asynchronous (queue, stream, pub/sub, workers)"
             + (" · dashed outline: implied, not in `components`" if any(n.implied for n in arch.nodes) else "")
             + "\n"]
    if arch.handlers:
        parts += ["**Write path**\n", write_path(arch), "**Read path**\n", read_path(arch)]
        journeys = topic.prop_list("journeys")
        if journeys:
            parts.append("**Journeys**\n")
            parts += [journey(arch, name) for name in journeys]
    return "\n".join(parts)
