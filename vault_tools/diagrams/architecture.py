"""The architecture model (nodes by layer, sync and async edges) drawn from
a topic's components, and its Mermaid flowchart."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING
from vault_tools.diagrams.mermaid import label, mermaid, slug
from vault_tools.library.catalog import LAYERS

if TYPE_CHECKING:
    from vault_tools.library.catalog import Component
    from vault_tools.library.problem_notes import ProblemNote
    from vault_tools.topic import Topic

LAYER_TITLES = {"client": "Client", "edge": "Edge", "service": "Services", "data": "Data",
           "async": "Async messaging", "external": "External"}
_COLOURS = {"client": "#e8f0fe,stroke:#4a6fa5", "edge": "#fff4e5,stroke:#d48a1a",
            "service": "#e8f5e9,stroke:#3c8c40", "data": "#f3e5f5,stroke:#8e44ad",
            "async": "#fffde7,stroke:#b59f00", "external": "#eceff1,stroke:#607d8b"}

MESSAGING = ("queue", "stream", "pubsub")
STORES = ("sql", "nosql")
SIDE_SERVICES = ("auth", "ml")  # called by other services, not the main request handler


@dataclass(frozen=True)
class Node:
    """One box: a listed component, or one the paths need (`implied`)."""

    id: str
    name: str
    layer: str
    role: str = ""
    service: str = ""  # the cloud product that plays it, shortened, e.g. Cosmos DB
    implied: bool = False

    def __post_init__(self) -> None:
        product = re.sub(r"^(azure|amazon|aws) ", "", self.service.casefold())
        if self.service and product in self.name.casefold():
            object.__setattr__(self, "service", "")  # "Key Vault" played by Key Vault says it once

    @property
    def messaging(self) -> bool:
        return self.role in MESSAGING or (self.layer == "async" and self.role != "worker")

    @property
    def serves_requests(self) -> bool:
        return self.layer == "service" and self.role != "worker" and not self.messaging


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    asynchronous: bool = False
    label: str = ""
    both_ways: bool = False


@dataclass(frozen=True)
class Architecture:
    """The topic's components as boxes in layers and the calls between them."""

    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...] = ()

    def layer(self, name: str) -> list[Node]:
        return [n for n in self.nodes if n.layer == name]

    def node(self, node_id: str) -> Node:
        return next(n for n in self.nodes if n.id == node_id)

    def role(self, *roles: str) -> Node | None:
        return next((n for n in self.nodes if n.role in roles), None)

    @property
    def services(self) -> list[Node]:
        """Everything that serves requests; the main handlers first."""
        serving = [n for n in self.nodes if n.serves_requests]
        return sorted(serving, key=lambda n: n.role in SIDE_SERVICES)

    @property
    def handlers(self) -> list[Node]:
        return [n for n in self.services if n.role not in SIDE_SERVICES]

    @property
    def workers(self) -> list[Node]:
        return [n for n in self.nodes if n.role == "worker"]

    @property
    def buses(self) -> list[Node]:
        return [n for n in self.nodes if n.messaging]


def short_service(text: str) -> str:
    """`Blob Storage (hot, cool, cold, archive tiers)` → `Blob Storage`: the
    first product a catalog cell names, short enough for a box."""
    first = re.split(r"\(|,|;", text, maxsplit=1)[0].strip()
    if len(first) > 36:  # the cloud's name is the first thing a box can spare
        first = re.sub(r"^(Azure|Amazon|AWS) ", "", first)
    return first if len(first) <= 38 else first[:37].rstrip() + "…"


def architecture(topic: Topic) -> Architecture:
    """The topic's problem's own services and infrastructure when it has a
    problem and lists no `components`; else boxes for `components` (unknown
    names are services), plus the client, app service and workers that the
    paths need when none is listed."""
    if topic.problem is not None and not topic.prop_list("components"):
        return topic.memo("architecture", lambda: problem_architecture(topic.problem, topic))
    return topic.memo("architecture", lambda: _architecture(topic))


def problem_architecture(problem: ProblemNote, topic: Topic) -> Architecture:
    """A box per `## Infrastructure` row (placed by its catalog component) and
    per service; an arrow per ownership, call, publication and consumption in
    `## Services` (labelled so), then per call or async step of the `## Flows`."""
    nodes: dict[str, Node] = {}
    for index, part in enumerate(problem.parts, 1):
        component = topic.context.catalog.find(part.component)
        node = _node(index, part.name, component, topic.cloud)
        products = (component.aws if topic.cloud == "aws" else component.azure) if component else ""
        nodes[_name_key(part.name)] = Node(f"p{node.id[1:]}", part.name, node.layer, node.role,
                                           product_named(part.does, products))
    for index, service in enumerate(problem.services, 1):
        nodes.setdefault(_name_key(service.name), Node(f"s{index}_{slug(service.name)}".rstrip("_"), service.name,
                                                       "service", "service"))
    edges: dict[tuple[str, str], Edge] = {}

    def add(source: str, target: str, asynchronous: bool = False, text: str = "") -> None:
        a, b = nodes.get(_name_key(source)), nodes.get(_name_key(target))
        if a is not None and b is not None and a.id != b.id:
            edges.setdefault((a.id, b.id), Edge(a.id, b.id, asynchronous, text))

    for service in problem.services:
        for store in service.owns:
            add(service.name, store, text="owns")
        for callee, why in service.calls_with_notes():
            add(service.name, callee, text=why)
        for bus, _ in service.publishes:
            add(service.name, bus, True, "publish")
        for bus, _ in service.consumes:
            add(bus, service.name, True, "consume")
    for flow in problem.flows:
        for step in flow.steps:
            if step.arrow in ("->>", "-)"):
                add(step.source, step.target, step.arrow == "-)")
    return Architecture(tuple(nodes.values()), _simplified(edges, {n.id: n for n in nodes.values()}))


def _simplified(edges: dict[tuple[str, str], Edge], nodes: dict[str, Node]) -> tuple[Edge, ...]:
    """One arrow per pair: a client's direct arrow to a box it already reaches
    through another (its load balancer, say) is dropped, and two plain arrows
    between the same boxes in opposite directions become one two-way arrow."""
    for (a, c) in list(edges):
        if nodes[a].layer == "client" and any((a, b) in edges and (b, c) in edges
                                              for b in nodes if b not in (a, c)):
            del edges[(a, c)]
    kept: dict[tuple[str, str], Edge] = {}
    for (a, b), edge in edges.items():
        back = edges.get((b, a))
        if back is None or edge.label or back.label or edge.asynchronous or back.asynchronous:
            kept[(a, b)] = edge
        elif (b, a) not in kept:
            kept[(a, b)] = replace(edge, both_ways=True)
    return tuple(kept.values())


def product_named(text: str, products: str) -> str:
    """The catalog product a part's description names (`PostgreSQL` → Azure
    Database for PostgreSQL), shortened; "" when it names none."""
    said = {word.lower() for word in re.findall(r"[A-Za-z][A-Za-z0-9]+", text)}
    for product in re.split(r",|;|\(", products):
        if product.strip().lower().startswith("n/a"):
            continue  # the catalog's "no product plays it"
        words = [w for w in re.findall(r"[A-Za-z][A-Za-z0-9]+", product)
                 if w.lower() not in _GENERIC_WORDS and (len(w) > 2 or not w.islower())]  # "S3", not "an"
        if words and any(w.lower() in said for w in words):
            return short_service(product.replace(" Flexible Server", "").strip())
    return ""


_GENERIC_WORDS = frozenset("azure aws amazon microsoft ai database for server flexible managed service services "
                           "storage apps app api the and with".split())


def _name_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def _architecture(topic: Topic) -> Architecture:
    nodes: list[Node] = []
    for index, (name, component) in enumerate(topic.components, 1):
        node = _node(index, name, component, topic.cloud)
        if node.name.lower() not in {n.name.lower() for n in nodes}:
            nodes.append(node)
    if not nodes:
        return Architecture(())
    if not any(n.layer == "client" for n in nodes):
        nodes.insert(0, Node("client", "Client", "client", "", "web · mobile", implied=True))
    if not Architecture(tuple(nodes)).handlers and any(n.layer != "client" for n in nodes):
        nodes.append(Node("app", "App service", "service", "", "stateless, autoscaled", implied=True))
    if any(n.messaging for n in nodes) and not any(n.role == "worker" for n in nodes):
        nodes.append(Node("workers", "Workers", "service", "worker", "consumers", implied=True))
    return Architecture(tuple(nodes), tuple(_edges(Architecture(tuple(nodes)))))


def _node(index: int, name: str, component: Component | None, cloud: str) -> Node:
    node_id = f"n{index}" + (f"_{slug(name)}" if slug(name) else "")
    if component is None:
        return Node(node_id, name, "service")
    service = short_service(component.aws if cloud == "aws" else component.azure)
    return Node(node_id, component.name, component.layer, component.role, service)


def _edges(arch: Architecture) -> list[Edge]:
    """Who calls whom: the edge chain in the order listed, handlers to data
    and buses, buses to workers, workers to data and the outside world."""
    edges: dict[tuple[str, str], Edge] = {}

    def add(source: Node, target: Node, asynchronous: bool = False, text: str = "") -> None:
        if source.id != target.id:
            edges.setdefault((source.id, target.id), Edge(source.id, target.id, asynchronous, text))

    entry = arch.layer("client")
    for hop in arch.layer("edge"):
        for source in entry:
            add(source, hop)
        entry = [hop]
    data = arch.layer("data")
    stores = [n for n in data if n.role != "analytics"]
    analytics = [n for n in data if n.role == "analytics"]
    outside = [n for n in arch.layer("external") if n.role not in ("monitoring", "secrets", "payment")]
    buses, workers = arch.buses, arch.workers
    for service in arch.services:
        for source in entry:
            add(source, service, text="verify token" if service.role == "auth" else "")
    for handler in arch.handlers:
        for target in stores:
            add(handler, target)
        for side in arch.services:
            if side.role == "ml":
                add(handler, side, text="inference")
        for target in buses:
            add(handler, target, True, "publish")
        for target in [] if buses else workers:
            add(handler, target, True, "enqueue job")
        for target in [n for n in arch.layer("external") if n.role in ("payment", "secrets")]:
            add(handler, target)
        for target in [] if workers else outside:
            add(handler, target)
        for target in [] if buses or workers else analytics:
            add(handler, target, True, "export")
    for bus in buses:
        for target in workers:
            add(bus, target, True, "consume")
        for target in analytics:
            add(bus, target, True, "ingest")
    for worker in workers:
        for target in [n for n in stores if n.role != "cache"] + outside + ([] if buses else analytics):
            add(worker, target, True)
    for source in arch.handlers + workers:
        for target in [n for n in arch.layer("external") if n.role == "monitoring"]:
            add(source, target, True, "telemetry")
    cdn, blob = arch.role("cdn"), arch.role("blob")
    if cdn and blob:
        add(cdn, blob, False, "origin")
    return list(edges.values())


def box(node: Node) -> str:
    text = label(node.name) + (f"<br/>{label(node.service)}" if node.service else "")
    if node.messaging:
        return f'{node.id}{{{{"{text}"}}}}'
    opening, closing = {"client": ('(["', '"])'), "data": ('[("', '")]'), "external": ('[/"', '"/]')}.get(
        node.layer, ('[["', '"]]') if node.role == "worker" else ('["', '"]'))
    return f"{node.id}{opening}{text}{closing}"


def arrow(edge: Edge) -> str:
    arrow = "-.->" if edge.asynchronous else "<-->" if edge.both_ways else "-->"
    text = f'|"{label(edge.label)}"|' if edge.label else ""
    return f"    {edge.source} {arrow}{text} {edge.target}"


def styles(nodes: list[Node]) -> list[str]:
    lines = [f"    classDef lyr_{layer} fill:{_COLOURS[layer]},color:#1a1a1a" for layer in LAYERS
             if any(n.layer == layer for n in nodes)]
    for layer in LAYERS:
        members = [n.id for n in nodes if n.layer == layer]
        if members:
            lines.append(f"    class {','.join(members)} lyr_{layer}")
    lines += [f"    style {n.id} stroke-dasharray:5 5" for n in nodes if n.implied]
    return lines


def architecture_flowchart(arch: Architecture) -> str:
    lines = ["flowchart LR"]
    for layer in LAYERS:
        members = arch.layer(layer)
        if members:
            lines.append(f'    subgraph layer_{layer} ["{LAYER_TITLES[layer]}"]')
            lines += [f"        {box(n)}" for n in members]
            lines.append("    end")
    lines += [arrow(e) for e in arch.edges] + styles(list(arch.nodes))
    return mermaid(lines)


CORE_EDGE = ("cdn", "load balancer", "gateway", "websocket")  # the entry path a first whiteboard draws
CORE_DATA = ("sql", "nosql", "blob")  # the stores of record, before any cache or index


def core(arch: Architecture) -> Architecture:
    """The first whiteboard pass: clients, the entry path (the CDN too when
    requests enter through it), the services and the stores they own or keep
    records in, joined by synchronous calls; shared caches, messaging and
    external parties come in the full picture."""
    owned = {e.target for e in arch.edges if e.label == "owns" and not e.asynchronous}

    def kept(node: Node) -> bool:
        return (node.layer in ("client", "service") and not node.messaging
                or node.layer == "edge" and node.role in CORE_EDGE
                or node.layer == "data" and (node.role in CORE_DATA or node.id in owned))

    ids = {n.id for n in arch.nodes if kept(n)}
    edges = tuple(e for e in arch.edges if not e.asynchronous and e.source in ids and e.target in ids)
    joined = {e.source for e in edges} | {e.target for e in edges}
    return Architecture(tuple(n for n in arch.nodes if n.id in joined), edges)
